"""A real JupyterLab for tests and benchmarks: the book's chapters as a reader meets them there.

:func:`jupyterlab_server` starts JupyterLab from the environment running this
code (the book's ``.venv``: ``make test``) on a free loopback port, with no
token, a fresh workspace and settings folder (notebook autosave off, every
cell kept in the page), serving a temporary copy of ``chapters/`` (nothing a
test does can write into the repository); the kernels import the
repository's ``pairing_lib``. The server is stopped when the context ends.

:func:`open_lab` opens it in a Playwright page; :func:`run_notebook` opens a
chapter, runs all its cells and returns the notebook's panel id;
:func:`close_notebook` shuts its kernel down. Used by
``tests/test_jupyterlab.py`` and ``benchmarks/bench_jupyterlab.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("0*.ipynb"))

#: Settings of the fresh JupyterLab: no autosave, every cell rendered (no windowing).
SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


def jupyter_lab_command() -> list[str]:
    """``jupyter lab`` of the running environment (the book's .venv under ``make test``)."""
    exe = Path(sys.executable).parent / "jupyter-lab"
    if not exe.exists():
        raise FileNotFoundError(
            f"{exe} not found: install the book's requirements "
            "(`.venv/bin/pip install -r requirements.txt`)")
    return [str(exe)]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyterlab_server(timeout: float = 90.0):
    """Run JupyterLab on 127.0.0.1 for the duration of the context; yields its base URL."""
    tmp = Path(tempfile.mkdtemp(prefix="pairing-jupyterlab-"))
    root = tmp / "book"
    (root / "chapters").mkdir(parents=True)
    for nb in CHAPTERS:
        shutil.copy(nb, root / "chapters" / nb.name)
    for name, value in SETTINGS.items():
        path = tmp / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value))
    port = _free_port()
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])]),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        IPYTHONDIR=str(tmp / "ipython"),
    )
    env.pop("PAIRING_LIB_WIDGETS", None)        # live explorers, as a reader gets them
    env.pop("PAIRING_LIB_FRAMES", None)
    log = open(tmp / "server.log", "wb")
    proc = subprocess.Popen(
        [*jupyter_lab_command(), "--no-browser", f"--port={port}", "--port-retries=0",
         "--ServerApp.ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
         "--allow-root"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError("JupyterLab exited:\n"
                                   + (tmp / "server.log").read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("JupyterLab did not start:\n"
                                   + (tmp / "server.log").read_text(errors="replace")[-3000:])
            time.sleep(0.3)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)     # the server and its kernels
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def open_lab(browser, url: str, width: int = 1280, height: int = 1000):
    """A new page showing JupyterLab with a fresh workspace (``?reset``); ``(context, page)``."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{url}/lab?reset", wait_until="domcontentloaded")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.started !== undefined",
                           timeout=90_000)
    page.evaluate("async () => { await window.jupyterapp.started; await window.jupyterapp.restored; }")
    return context, page


OPEN_AND_RUN_JS = """
async (path) => {
  const app = window.jupyterapp;
  const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  await panel.context.ready;
  await panel.sessionContext.ready;
  app.shell.activateById(panel.id);
  const t0 = performance.now();
  const ok = await app.commands.execute('notebook:run-all-cells');
  return {id: panel.id, ok, ms: performance.now() - t0};
}
"""

IDLE_JS = """
(id) => {
  const panel = window.jupyterapp.shell.currentWidget;
  if (!panel || panel.id !== id) return false;
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const prompts = Array.from(panel.node.querySelectorAll('.jp-InputPrompt'));
  return prompts.every(p => !p.textContent.includes('*'));
}
"""


def run_notebook(page, name: str, timeout_s: float = 300.0) -> str:
    """Open ``chapters/<name>`` in the page, run all cells, wait for the kernel; the panel id."""
    res = page.evaluate(OPEN_AND_RUN_JS, f"chapters/{name}")
    page.wait_for_function(IDLE_JS, arg=res["id"], timeout=timeout_s * 1000)
    return res["id"]


def notebook_json(page, panel_id: str) -> dict:
    """The notebook as the browser holds it (nbformat JSON, outputs included)."""
    return page.evaluate(
        "(id) => { const p = window.jupyterapp.shell.currentWidget;"
        " if (p.id !== id) throw new Error('not the current notebook');"
        " return p.context.model.toJSON(); }", panel_id)


def close_notebook(page, panel_id: str) -> None:
    """Shut the notebook's kernel down and close its tab without saving."""
    page.evaluate(
        """async (id) => {
             const app = window.jupyterapp;
             const panel = app.shell.currentWidget;
             if (!panel || panel.id !== id) return;
             await panel.sessionContext.shutdown();
             panel.context.model.dirty = false;
             panel.dispose();
           }""", panel_id)


#: Arms a measurement of the time from a key press on an explorer's slider handle to
#: the new picture on screen: the keydown is stamped in the page (capture phase), then
#: the image's new ``src`` is decoded and one animation frame passes (it is painted).
#: The result lands in ``window.pairingKeyToPicture`` ({ms} or {ms: null} on time-out).
ARM_KEY_TO_PICTURE_JS = """
([sel, timeout]) => {
  const handle = document.querySelector(sel);
  const root = handle.closest('.pairing-explorer');
  const img = root.querySelector('.pairing-picture img');
  const before = img.src;
  const state = {t0: null, ms: undefined};
  window.pairingKeyToPicture = state;
  const finish = (ok) => {
    obs.disconnect(); clearTimeout(timer);
    state.ms = ok && state.t0 !== null ? performance.now() - state.t0 : null;
  };
  document.addEventListener('keydown', () => { state.t0 = performance.now(); },
                            {capture: true, once: true});
  const obs = new MutationObserver(() => {
    if (img.src === before) return;
    obs.disconnect();
    const painted = () => requestAnimationFrame(() => finish(true));
    img.decode().then(painted, painted);
  });
  obs.observe(img, {attributes: true, attributeFilter: ['src']});
  const timer = setTimeout(() => finish(false), timeout);
  handle.focus();
}
"""


def key_to_picture_ms(page, handle_selector: str, key: str = "ArrowRight",
                      timeout_ms: float = 10_000) -> float | None:
    """Milliseconds from pressing ``key`` on the slider handle to its explorer's new picture
    on screen (``None`` if the picture did not change within ``timeout_ms``)."""
    page.evaluate(ARM_KEY_TO_PICTURE_JS, [handle_selector, timeout_ms])
    page.keyboard.press(key)
    page.wait_for_function("() => window.pairingKeyToPicture.ms !== undefined",
                           timeout=timeout_ms + 5_000)
    return page.evaluate("() => window.pairingKeyToPicture.ms")
