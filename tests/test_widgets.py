"""The dual-mode explorer mechanism (pairing_lib.widgets) and the book style."""

from __future__ import annotations

import asyncio
import io
import itertools

import numpy as np
import pytest
from PIL import Image

from pairing_lib import plotting
from pairing_lib.widgets import MAX_FRAMES, Explorer, Param, all_explorers, widget_mode


def toy_explorer(mode):
    calls = []

    def compute(a, b):
        calls.append((a, b))
        if a < 0:
            raise ValueError("a must be >= 0, got %r" % a)
        x = np.linspace(0, 1, 20)
        return x, a * x + b

    def draw(fig, data, a, b):
        ax = fig.add_subplot()
        ax.plot(*data)
        ax.set_xlabel("x")

    exp = Explorer(compute, draw, [Param("a", "a", values=[-1.0, 0.5, 1.0, 2.0], default=1.0),
                                   Param("b", "b", values=[0.0, 1.0])], mode=mode)
    return exp, calls


def in_fresh_thread(test):
    """Run ``test`` in a new thread, where no event loop runs.

    A session fixture of the site tests (Playwright's sync API) keeps an event
    loop registered as running in the main thread of a pytest worker; the
    explorers defer redraws to a running loop (as in a kernel), so the tests
    that expect the no-loop (synchronous) behaviour, or start a loop of their
    own, run where none is registered.
    """
    import functools
    import threading

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        errors = []

        def target():
            try:
                test(*args, **kwargs)
            except BaseException as err:  # re-raised in the test's own thread
                errors.append(err)

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        if errors:
            raise errors[0]

    return wrapper


def find(widget, cls):
    out = []
    if isinstance(widget, cls):
        out.append(widget)
    for child in getattr(widget, "children", ()):
        out.extend(find(child, cls))
    return out


def test_param_validation():
    with pytest.raises(ValueError, match="identifier"):
        Param("not a name", "x", values=[1])
    with pytest.raises(ValueError, match="empty"):
        Param("x", "x", values=[])
    with pytest.raises(ValueError, match="distinct"):
        Param("x", "x", values=[1.0001, 1.0002], fmt=".2f")
    assert Param("x", "x", values=[0, 1, 2, 3]).default_index == 1
    assert Param("x", "x", values=np.linspace(0, 1, 11), default=0.31).default_index == 3


def test_mode_from_environment(monkeypatch):
    monkeypatch.delenv("PAIRING_LIB_WIDGETS", raising=False)
    assert widget_mode() == "live"
    monkeypatch.setenv("PAIRING_LIB_WIDGETS", "static")
    assert widget_mode() == "static"
    monkeypatch.setenv("PAIRING_LIB_WIDGETS", "sometimes")
    with pytest.raises(ValueError, match="PAIRING_LIB_WIDGETS"):
        widget_mode()


def test_static_mode_refuses_too_many_frames():
    p = Param("x", "x", values=range(20))
    q = Param("y", "y", values=range(7))
    with pytest.raises(ValueError, match="frames"):
        Explorer(lambda x, y: None, lambda fig, d, x, y: None, [p, q], mode="static")
    # the same explorer is fine live: nothing is precomputed
    assert Explorer(lambda x, y: None, lambda f, d, x, y: None, [p, q], mode="live").frame_count == 140


@in_fresh_thread
def test_live_slider_recomputes_and_redraws():
    import ipywidgets as w

    exp, calls = toy_explorer("live")
    box = exp.widget()
    image = find(box, w.Image)[0]
    slider_a, slider_b = find(box, w.SelectionSlider)
    first = image.value
    assert calls == [(1.0, 0.0)]
    slider_a.value = 2.0
    assert calls[-1] == (2.0, 0.0)
    assert image.value != first
    second = image.value
    slider_b.value = 1.0
    assert calls[-1] == (2.0, 1.0) and image.value != second


@in_fresh_thread
def test_live_errors_are_shown_not_swallowed():
    import ipywidgets as w

    exp, _ = toy_explorer("live")
    box = exp.widget()
    slider_a = find(box, w.SelectionSlider)[0]
    slider_a.value = -1.0
    messages = [h.value for h in find(box, w.HTML)]
    assert any("a must be &gt;= 0" in m or "a must be >= 0" in m for m in messages)


def test_static_widget_precomputes_every_frame_and_links_sliders():
    import ipywidgets as w

    exp, calls = toy_explorer("static")
    exp = Explorer(exp.compute, exp.draw,
                   [Param("a", "a", values=[0.5, 1.0, 2.0]), Param("b", "b", values=[0.0, 1.0])],
                   mode="static")
    box = exp.widget()
    fs = box._pairing_frames
    stacks = find(box, w.Stack)
    sliders = find(box, w.SelectionSlider)
    grid = find(box, w.GridBox)[0]
    assert len(fs.overlay) == exp.frame_count == 6
    assert len(set(fs.overlay)) == 6, "every frame must differ"
    # base and overlays share one grid cell: the overlay is painted over its base
    assert [c.layout.grid_area for c in grid.children] == ["frame", "frame"]
    overlay_root = grid.children[1]
    assert isinstance(overlay_root, w.Stack) and len(overlay_root.children) == 3
    links = box._pairing_links
    # one link per overlay stack (outer over a, one inner per a-value), one for a base stack
    n_overlay_stacks = 1 + 3
    assert len(links) == n_overlay_stacks + (fs.group is not None)
    for link in links:
        (src, src_attr), (dst, dst_attr) = link.source, link.target
        assert src in sliders and src_attr == "index"
        assert dst in stacks and dst_attr == "selected_index"
    assert overlay_root.selected_index == sliders[0].index
    assert set(calls) == {(a, b) for a in (0.5, 1.0, 2.0) for b in (0.0, 1.0)}
    # the composite of base and overlay gives back every frame
    for i, (a, b) in enumerate(itertools.product((0.5, 1.0, 2.0), (0.0, 1.0))):
        key = (i // 2, i % 2)
        shown = fs.decode(i, 0 if fs.group is None else key[fs.group]).astype(int)
        ref = exp.reference_frame(a=a, b=b)[..., :3].astype(int)
        assert np.mean(np.abs(shown - ref).max(axis=2) > 40) < 1e-3


def test_frames_have_an_opaque_white_background():
    exp, _ = toy_explorer("live")
    img = Image.open(io.BytesIO(exp.render())).convert("RGBA")
    assert img.getpixel((1, 1)) == (255, 255, 255, 255)
    assert img.getpixel((img.width - 2, img.height - 2)) == (255, 255, 255, 255)
    exp = Explorer(exp.compute, exp.draw, [Param("a", "a", values=[0.5, 1.0]), exp.params[1]])
    fs = exp.static_frames()
    base = Image.open(io.BytesIO(fs.images[fs.base_of_value[0]])).convert("RGBA")
    assert base.getpixel((1, 1)) == (255, 255, 255, 255)


def test_book_style_is_opaque():
    for key in ("figure.facecolor", "axes.facecolor", "savefig.facecolor"):
        assert plotting.RC[key] == "white"
    assert plotting.RC["savefig.transparent"] is False


def test_every_book_explorer_fits_the_static_budget_and_draws():
    explorers = all_explorers()
    assert "scales.level_spacing" in explorers
    for key, factory in explorers.items():
        exp = factory()
        assert exp.frame_count <= MAX_FRAMES, f"{key}: {exp.frame_count} frames"
        fig = exp.figure()  # default state computes and draws without error
        assert fig.axes, f"{key} drew no axes"
        for ax in fig.axes:
            if ax.get_visible() and ax.axison and ax.has_data():
                labelled = ax.get_xlabel() or ax.get_ylabel() or ax.get_title()
                assert labelled, f"{key}: a panel without axis labels or title"


# ---------------------------------------------------------------------------
# in-place drawing: a frame drawn over the retained figure (blitted where it
# can be) must be the frame a fresh figure draws
# ---------------------------------------------------------------------------
def _sequence(exp, n=7):
    """A walk over the slider grid that moves every slider, seeded."""
    names = [p.name for p in exp.params]
    combos = list(itertools.product(*(p.stops for p in exp.params)))
    rng = np.random.default_rng(7)
    picks = [combos[i] for i in rng.choice(len(combos), size=min(n, len(combos)), replace=False)]
    picks.append(combos[-1])
    return [dict(zip(names, c)) for c in picks]


def assert_same_picture(a, b, what):
    """Pixel comparison; a handful of antialiased edge pixels may differ slightly."""
    diff = np.abs(a.astype(int) - b.astype(int)).max(axis=2)
    n_bad = int(np.count_nonzero(diff > 0))
    assert n_bad <= 10 and diff.max() <= 64, (
        f"{what}: {n_bad} pixels differ from a fresh draw (max {diff.max()})")


@pytest.mark.parametrize("key", sorted(all_explorers()))
def test_in_place_frames_match_a_fresh_draw(key):
    exp = all_explorers()[key]()
    assert exp.setup is not None, f"{key}: book explorers update in place (give a setup)"
    for vals in _sequence(exp):
        assert_same_picture(exp.frame(**vals), exp.reference_frame(**vals), f"{key} at {vals}")


def _marker_explorer(honest=True):
    def compute(x):
        return x

    def setup(fig):
        ax = fig.add_subplot()
        ax.plot(np.linspace(0, 1, 50), np.linspace(0, 1, 50) ** 2, color="0.6", lw=3,
                label="static curve")
        (dot,) = ax.plot([], [], "o", color="C1", ms=12)
        note = ax.annotate("here", (0.0, 0.0), xytext=(0.2, 0.8), arrowprops={"arrowstyle": "->"},
                           zorder=1)      # under the marker: cached in the background
        ax.legend(loc="center")           # a static legend drawn over the moving marker
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("x")
        return dot, note

    def draw(art, x, x_value=None, **_):
        dot, note = art
        dot.set_data([x], [x**2])
        note.xy = (x, x**2)
        if honest:
            note.stale = True             # direct attribute writes must say so

    def draw_x(art, data, x):
        draw(art, data)

    return Explorer(compute, draw_x, [Param("x", "x", values=[0.1, 0.3, 0.5, 0.7, 0.9])],
                    setup=setup, mode="live")


def test_blitting_is_used_and_exact_under_a_static_legend():
    exp = _marker_explorer()
    for x in (0.1, 0.5, 0.3, 0.5, 0.9, 0.7):
        assert_same_picture(exp.frame(x=x), exp.reference_frame(x=x), f"x = {x}")
    assert exp.renderer.stats.blit >= 3, exp.renderer.stats


def test_pixel_comparison_catches_a_stale_artist():
    """The comparison above can fail: an annotation moved without marking it stale."""
    exp = _marker_explorer(honest=False)
    exp.frame(x=0.1)
    exp.frame(x=0.3)            # learns the changing marker, blits from here on
    moved = exp.frame(x=0.9)
    fresh = exp.reference_frame(x=0.9)
    diff = np.abs(moved.astype(int) - fresh.astype(int)).max(axis=2)
    assert np.count_nonzero(diff) > 50


def test_limits_changing_with_a_slider_redraw_that_axes():
    def setup(fig):
        ax = fig.add_subplot()
        (line,) = ax.plot([], [])
        ax.set_xlim(0, 1)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        return ax, line

    def draw(art, data, a):
        ax, line = art
        x = np.linspace(0, 1, 40)
        line.set_data(x, a * x)
        ax.set_ylim(0, a)                 # new tick labels at every stop
        ax.set_title(f"a = {a:g}")

    exp = Explorer(lambda a: None, draw, [Param("a", "a", values=[1.0, 10.0, 100.0, 1000.0])],
                   setup=setup, mode="live")
    for a in (10.0, 1000.0, 1.0, 100.0):
        assert_same_picture(exp.frame(a=a), exp.reference_frame(a=a), f"a = {a}")


# ---------------------------------------------------------------------------
# a drag does not queue work
# ---------------------------------------------------------------------------
@in_fresh_thread
def test_a_drag_is_coalesced_into_few_redraws():
    import ipywidgets as w

    exp, calls = toy_explorer("live")
    slider_a, slider_b = (None, None)

    async def drag():
        nonlocal slider_a, slider_b
        box = exp.widget()
        updates = box._pairing_updates
        image = find(box, w.Image)[0]
        slider_a, slider_b = find(box, w.SelectionSlider)
        stops = [v for _, v in slider_b.options]
        values = [0.5, 1.0, 2.0]
        n_before = len(calls)
        runs_before = updates.runs
        for i in range(50):                       # 50 moves, faster than any redraw
            slider_a.value = values[(i + 1) % 3]
            slider_b.value = stops[(i // 3) % 2]
        assert len(calls) == n_before, "value changes must not draw synchronously under a loop"
        for _ in range(200):                      # let the event loop run the redraw(s)
            await asyncio.sleep(0.01)
            if updates.handle is None:
                break
        return image, updates, updates.runs - runs_before

    image, updates, redraws = asyncio.run(drag())
    assert updates.handle is None
    assert 1 <= redraws <= 3, f"{redraws} redraws for 50 moves"
    last = {"a": slider_a.value, "b": slider_b.value}
    assert calls[-1] == (last["a"], last["b"])
    shown = np.asarray(Image.open(io.BytesIO(image.value)).convert("RGB")).astype(int)
    expected = exp.reference_frame(**last)[..., :3].astype(int)
    assert np.array_equal(shown, expected), "the figure must end on the last slider state"


# ---------------------------------------------------------------------------
# compact static frames (pairing_lib.widgets.frames)
# ---------------------------------------------------------------------------
def _synthetic_frames():
    """3 x 2 frames of 40 x 60 pixels: a background, a block moved by slider 0 and a
    colour set by slider 1 (few colours, so the palette holds them exactly)."""
    frames, keys = [], []
    for i, j in itertools.product(range(3), range(2)):
        f = np.full((40, 60, 3), 255, np.uint8)
        f[5:35, 2:4] = (0, 0, 0)                       # a static "axis"
        f[10:20, 10 + 15 * i:20 + 15 * i] = (0, 114, 178) if j == 0 else (213, 94, 0)
        frames.append(f)
        keys.append((i, j))
    return frames, keys


def test_encoded_frames_give_back_every_frame_exactly():
    from pairing_lib.widgets.frames import encode_frames

    frames, keys = _synthetic_frames()
    fs = encode_frames(frames, keys, [3, 2])
    assert fs.size == (60, 40)
    for n, (frame, key) in enumerate(zip(frames, keys)):
        value = 0 if fs.group is None else key[fs.group]
        assert np.array_equal(fs.decode(n, value), frame), f"frame {key}"


def test_identical_frames_are_stored_once():
    from pairing_lib.widgets.frames import encode_frames

    frames, keys = _synthetic_frames()
    doubled = frames + [f.copy() for f in frames]
    keys2 = [(k[0], k[1], r) for r in (0, 1) for k in keys]
    fs = encode_frames(doubled, keys2, [3, 2, 2])
    assert len(fs.overlay) == 12
    assert fs.overlay[:6] == fs.overlay[6:], "a repeated frame must reuse its overlay"
    assert len(set(fs.overlay)) <= 6
    assert len(fs.images) == len(set(fs.overlay) | set(fs.base_of_value))


def test_frames_encoding_refuses_bad_input():
    from pairing_lib.widgets.frames import encode_frames

    frames, keys = _synthetic_frames()
    with pytest.raises(ValueError, match="empty"):
        encode_frames([], [], [1])
    with pytest.raises(ValueError, match="one entry per frame"):
        encode_frames(frames, keys[:-1], [3, 2])
    with pytest.raises(ValueError, match="same size"):
        encode_frames([frames[0], frames[1][:30]], keys[:2], [3, 2])


def test_overlays_are_smaller_than_whole_frames():
    """The point of the encoding: a frame that differs in a few curves costs a few kB."""
    from pairing_lib.widgets.frames import encode_frames

    exp = all_explorers()["clogston.dos"]()
    names = [p.name for p in exp.params]
    stops = [p.stops[:2] for p in exp.params]
    keys = list(itertools.product(*(range(len(s)) for s in stops)))
    frames = [exp.frame(**{n: s[i] for n, s, i in zip(names, stops, k)})[..., :3] for k in keys]
    fs = encode_frames(frames, keys, [len(s) for s in stops])
    whole = np.mean([len(encode_png_palette(f)) for f in frames[:2]])
    overlays = np.mean([len(fs.images[i]) for i in fs.overlay])
    assert overlays < 0.5 * whole, (overlays, whole)


def encode_png_palette(frame):
    img = Image.fromarray(np.ascontiguousarray(frame)).quantize(colors=256)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_a_drag_in_a_real_kernel_is_coalesced():
    """The same, in an IPython kernel: 50 moves inside one cell give one redraw after it."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    outputs = []

    def keep(msg):
        if msg["msg_type"] == "stream":
            outputs.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            outputs.append("\n".join(msg["content"]["traceback"]))

    try:
        kc.execute_interactive(
            "import io, numpy as np, ipywidgets as w\n"
            "from PIL import Image\n"
            "from pairing_lib.widgets import Explorer, Param\n"
            "x = np.linspace(0, 1, 30)\n"
            "def setup(fig):\n"
            "    ax = fig.add_subplot(); (line,) = ax.plot([], []); ax.set_ylim(0, 3)\n"
            "    ax.set_xlim(0, 1); ax.set_xlabel('x'); return line\n"
            "def draw(line, y, a): line.set_data(x, y)\n"
            "exp = Explorer(lambda a: a * x, draw, [Param('a', 'a', values=[0.5, 1.0, 2.0, 3.0])],\n"
            "               setup=setup, mode='live')\n"
            "box = exp.widget(); updates = box._pairing_updates\n"
            "slider = box.children[0].children[0]; image = box.children[1].children[0]\n"
            "runs0 = updates.runs\n"
            "for i in range(50): slider.value = [0.5, 1.0, 2.0, 3.0][i % 4]\n"
            "print('during', updates.runs - runs0)\n",
            timeout=120, output_hook=keep)
        kc.execute_interactive(
            "import time; time.sleep(0.3)\n", timeout=60, output_hook=keep)
        kc.execute_interactive(
            "shown = np.asarray(Image.open(io.BytesIO(image.value)).convert('RGB'))\n"
            "same = np.array_equal(shown, exp.reference_frame(a=slider.value)[..., :3])\n"
            "print('after', updates.runs - runs0, slider.value, same)\n",
            timeout=120, output_hook=keep)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    text = "".join(outputs)
    assert "during 0" in text, text
    assert "after 1 1.0 True" in text, text     # the 50th move set a = 1.0


def test_an_axes_whose_frame_settles_is_blitted_artist_by_artist_again():
    """A rarely moved slider that relabels an axis makes that axes redraw as a whole
    only for a while; every frame on the way is the fresh-draw frame."""
    def setup(fig):
        ax = fig.add_subplot()
        ax.plot(np.linspace(0, 1, 50), np.linspace(0, 1, 50) ** 2, color="0.6")
        (dot,) = ax.plot([], [], "o", color="C1")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_ylabel("y")
        return ax, dot

    def draw(art, data, x, kind):
        ax, dot = art
        dot.set_data([x], [x * x])
        ax.set_xlabel(f"x ({kind})")          # same text most of the time: no change

    exp = Explorer(lambda x, kind: None, draw,
                   [Param("x", "x", values=[0.1, 0.3, 0.5, 0.7, 0.9]),
                    Param("kind", "kind", values=["a", "b"])], setup=setup, mode="live")
    renderer = exp.renderer
    for x in (0.1, 0.3, 0.7):
        assert_same_picture(exp.frame(x=x, kind="b"), exp.reference_frame(x=x, kind="b"), x)
    assert renderer.whole_axes, "a relabelled axes is redrawn as a whole"
    for x in (0.1, 0.3, 0.5, 0.7, 0.9, 0.7, 0.5, 0.3, 0.1, 0.9):
        assert_same_picture(exp.frame(x=x, kind="b"), exp.reference_frame(x=x, kind="b"), x)
    assert renderer.whole_axes == [], "a settled axes blits artist by artist again"


# ---------------------------------------------------------------------------
# explorers speak (issue 20): text alternative per frame, live region, named sliders
# ---------------------------------------------------------------------------
def _described_explorer(mode, describe=True):
    x = np.linspace(0, 1, 30)

    def setup(fig):
        ax = fig.add_subplot()
        (line,) = ax.plot([], [])
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 3)
        ax.set_xlabel("x")
        return line

    def draw(line, y, a, kind):
        line.set_data(x, y)

    def say(y, a, kind):
        return f"The {kind} curve a x² reaches {y[-1]:.2f} at x = 1."

    return Explorer(lambda a, kind: a * x if kind == "parabola" else a * x**0.5, draw,
                    [Param("a", "amplitude a", values=[0.5, 1.0, 2.0]),
                     Param("kind", "kind", values=["parabola", "root"])],
                    setup=setup, title="A toy curve", describe=say if describe else None,
                    mode=mode)


def _text(html_value):
    import re

    return re.sub(r"<[^>]+>", "", html_value).strip()


def test_description_is_title_plus_describe_and_changes_with_the_frame():
    exp = _described_explorer("live")
    text = exp.description(a=2.0, kind="root")
    assert text == "A toy curve. The root curve a x² reaches 2.00 at x = 1."
    assert exp.description(a=0.5, kind="root") != text
    # without describe: the title and every slider's label and value
    plain = _described_explorer("live", describe=False)
    assert plain.description(a=2.0, kind="root") == (
        "A toy curve: figure at amplitude a = 2, kind = root.")


def test_every_book_explorer_describes_its_frames():
    """Non-trivial text alternatives that change with the frame, for every explorer."""
    for key, factory in sorted(all_explorers().items()):
        exp = factory()
        texts = set()
        for p in exp.params:
            for v in (p.stops[0], p.stops[-1]):
                text = exp.description(**{p.name: v})
                assert len(text) >= 40, f"{key}: description too short: {text!r}"
                assert exp.title is None or text.startswith(exp.title.rstrip(".: ")[:20]), text
                texts.add(text)
        assert len(texts) >= 2, f"{key}: the description does not change with the sliders"


@in_fresh_thread
def test_live_caption_is_the_described_frame_and_changes_after_a_move():
    import ipywidgets as w

    exp = _described_explorer("live")
    box = exp.widget()
    assert "pairing-explorer" in box._dom_classes
    caption = box._pairing_caption
    assert "pairing-describe" in caption._dom_classes
    pictures = [c for c in find(box, w.Box) if "pairing-picture" in c._dom_classes]
    assert len(pictures) == 1 and find(pictures[0], w.Image), "the picture is marked for alt text"
    before = _text(caption.value)
    assert before == exp.description()
    slider_a = find(box, w.SelectionSlider)[0]
    slider_a.value = 2.0
    after = _text(caption.value)
    assert after != before and "2.00" in after
    assert after == exp.description(a=2.0)


def test_static_caption_holds_every_frame_description_in_slider_order():
    """Every precomputed frame has its own description; the caption carries them all
    (frames in slider product order, as the page's script indexes them) and shows the
    default frame's."""
    import html as html_mod
    import json
    import re

    import ipywidgets as w

    exp = _described_explorer("static")
    box = exp.widget()
    fs = box._pairing_frames
    assert len(fs.descriptions) == exp.frame_count == 6
    assert len(set(fs.descriptions)) == 6
    captions = [c for c in find(box, w.HTML) if "pairing-describe" in c._dom_classes]
    assert len(captions) == 1
    value = captions[0].value
    assert "</script" not in value.lower()    # it sits inside the page's widget-state script
    frames = json.loads(html_mod.unescape(re.search(
        r"<span hidden class='pairing-describe-frames' data-frames=\"(.*?)\"></span>",
        value, re.S).group(1)))
    assert frames == fs.descriptions
    for n, (a, kind) in enumerate(itertools.product((0.5, 1.0, 2.0), ("parabola", "root"))):
        assert frames[n] == exp.description(a=a, kind=kind)
    shown = re.search(r"<p class='pairing-describe-text'[^>]*>(.*?)</p>", value).group(1)
    assert html_mod.unescape(shown) == exp.description()
    # the index the script computes from the sliders (aria-valuenow, aria-valuemax)
    sliders = find(box, w.SelectionSlider)
    index = 0
    for s in sliders:
        index = index * len(s.options) + s.index
    assert frames[index] == exp.description()


def test_sliders_are_named_and_the_browser_script_names_them():
    import ipywidgets as w

    from pairing_lib.widgets.a11y import EXPLORER_A11Y_JS

    exp = _described_explorer("live")
    sliders = find(exp.widget(), w.SelectionSlider)
    assert [s.description for s in sliders] == ["amplitude a", "kind"]
    for needle in ('"aria-label"', '"aria-valuetext"', '"aria-live", "polite"', '"alt"',
                   ".pairing-explorer", ".pairing-describe", ".pairing-picture", ".noUi-handle",
                   ".pairing-describe-frames", '"aria-valuenow"'):
        assert needle in EXPLORER_A11Y_JS, needle


def test_the_website_loads_the_browser_script():
    import importlib.util
    from pathlib import Path

    from pairing_lib.widgets.a11y import JS_FILENAME

    path = Path(__file__).resolve().parents[1] / "_ext" / "book_html.py"
    spec = importlib.util.spec_from_file_location("book_html", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)

    class App:
        js = []

        def connect(self, *args, **kwargs):
            pass

        def add_js_file(self, name, **kwargs):
            self.js.append(name)

    app = App()
    mod.setup(app)
    assert app.js == [JS_FILENAME]


# ---------------------------------------------------------------------------
# live sliders are finer than the static ones (issue 19)
# ---------------------------------------------------------------------------
def test_refined_stops_keep_every_stop_and_are_four_times_finer():
    from pairing_lib.widgets import LIVE_REFINE, refine_stops

    cases = [
        (0.0, 0.5, 1.0),
        (0.02, 0.05, 0.1, 0.2, 0.5),            # log-spaced: refined in the logarithm
        (1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0),
        (-0.3, 0.1, 0.5),
        (1.0, 0.5, 0.0),                         # decreasing
        (0.0, 0.6, 1.4),
    ]
    for stops in cases:
        live = refine_stops(stops)
        assert len(live) >= LIVE_REFINE * len(stops), (stops, live)
        assert [v for v in live if v in stops] == list(stops)
        d = np.diff(live)
        assert np.all(d > 0) or np.all(d < 0), live
    log = refine_stops((0.02, 0.05, 0.1, 0.2, 0.5))
    ratios = np.diff(np.log(log))
    assert ratios.max() / ratios.min() < 2.5, "log-spaced stops are refined evenly in log"
    # integers: every integer of a short range, else integer sub-steps, 4x at least
    assert refine_stops((1, 2, 3)) == tuple(range(1, 4))
    assert refine_stops((7, 11, 23))[0] == 7 and len(refine_stops((7, 11, 23))) >= 12
    assert all(isinstance(v, int) for v in refine_stops((8, 40, 92, 168)))
    # strings and single stops unchanged
    assert refine_stops(("even", "odd")) == ("even", "odd")
    assert refine_stops((0.5,)) == (0.5,)


def test_live_sliders_are_finer_static_sliders_unchanged():
    import ipywidgets as w

    from pairing_lib.widgets import LIVE_REFINE

    for key, factory in sorted(all_explorers().items()):
        exp = factory()
        live = find(exp.live_widget(), w.SelectionSlider)
        static_exp = factory()
        static_sliders = static_exp._sliders("static")
        for p, s_live, s_static in zip(exp.params, live, static_sliders):
            static_values = [v for _, v in s_static.options]
            live_values = [v for _, v in s_live.options]
            assert static_values == list(p.stops), f"{key}.{p.name}: static stops changed"
            assert s_static.value == s_live.value == exp.defaults()[p.name], \
                f"{key}.{p.name}: the default differs between the modes"
            if all(isinstance(v, str) for v in p.stops):
                assert live_values == static_values
                continue
            span = abs(p.stops[-1] - p.stops[0]) + 1
            want = LIVE_REFINE * len(p.stops)
            if all(isinstance(v, int) for v in p.stops):
                want = min(want, span)
            assert len(live_values) >= want, f"{key}.{p.name}: {len(live_values)} live stops"
            assert set(p.stops) <= set(live_values)
            labels = [t for t, _ in s_live.options]
            assert len(set(labels)) == len(labels), f"{key}.{p.name}: readouts repeat"
            for t, v in s_live.options:        # the readout shows the value
                assert abs(float(t) - v) <= 1e-9 * max(1.0, abs(v)), (key, p.name, t, v)


@pytest.mark.parametrize("key", sorted(all_explorers()))
def test_live_explorers_draw_between_the_static_stops(key):
    """compute and draw work at values between the stops (the live sliders offer them)."""
    exp = all_explorers()[key]()
    rng = np.random.default_rng(3)
    for _ in range(3):
        vals = {}
        for p in exp.params:
            extra = [v for v in p.live_stops if v not in p.stops] or list(p.live_stops)
            vals[p.name] = extra[int(rng.integers(len(extra)))]
        frame = exp.frame(**vals)
        assert frame.shape[2] == 4
        assert len(exp.description(**vals)) >= 40


# ---------------------------------------------------------------------------
# the static explorer in a browser: a page holding only its widget state, rendered
# by the book's widget manager (no book build needed)
# ---------------------------------------------------------------------------
STATIC_PAGE_STATE_JS = """
() => {
  const r = document.querySelector('.pairing-explorer');
  const rows = Array.from(r.querySelectorAll('.widget-slider'));
  return {
    handles: rows.map(row => {
      const h = row.querySelector('.noUi-handle');
      return {label: h.getAttribute('aria-label'), valuetext: h.getAttribute('aria-valuetext'),
              readout: row.querySelector('.widget-readout').textContent.trim(),
              editable: row.querySelector('.widget-readout').isContentEditable};
    }),
    alts: Array.from(r.querySelectorAll('.pairing-picture img'))
            .filter(i => i.offsetParent !== null).map(i => i.getAttribute('alt')),
    srcs: Array.from(r.querySelectorAll('.pairing-picture img'))
            .filter(i => i.offsetParent !== null).map(i => i.src),
    live: r.querySelector('.pairing-describe').getAttribute('aria-live'),
    caption: r.querySelector('.pairing-describe-text').textContent.trim(),
  };
}
"""


@pytest.mark.site
def test_static_explorer_speaks_in_the_browser(browser, tmp_path):
    """Sliders named, frames with alt text, caption = the description of the frame shown,
    a polite live region; Tab goes from handle to handle and the arrow keys move them."""
    import functools
    import html as html_mod
    import http.server
    import json
    import shutil
    import threading
    from pathlib import Path

    from ipywidgets.embed import embed_data

    from pairing_lib.widgets.a11y import EXPLORER_A11Y_JS

    manager = Path(__file__).resolve().parents[1] / "_assets" / "html-manager"
    if not (manager / "embed.js").exists():
        pytest.fail("the widget manager is not in _assets: run `make assets` (or `make book`)")
    shutil.copytree(manager, tmp_path / "html-manager")
    (tmp_path / "explorer-a11y.js").write_text(EXPLORER_A11Y_JS, encoding="utf-8")
    exp = _described_explorer("static")
    box = exp.widget()
    data = embed_data(views=[box])
    state = json.dumps(data["manager_state"]).replace("</", "<\\/")
    view = json.dumps(data["view_specs"][0])
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>explorer</title>"
        "<script src='explorer-a11y.js'></script><script src='html-manager/embed.js'></script>"
        f"<script type='application/vnd.jupyter.widget-state+json'>{state}</script></head>"
        f"<body><main><script type='application/vnd.jupyter.widget-view+json'>{view}</script>"
        "</main></body></html>", encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        page.wait_for_selector(".pairing-explorer .noUi-handle[aria-label]", timeout=30_000)
        page.wait_for_function("() => document.querySelector('.pairing-picture img[alt]')")

        def check():
            st = page.evaluate(STATIC_PAGE_STATE_JS)
            assert [h["label"] for h in st["handles"]] == ["amplitude a", "kind"]
            assert all(h["valuetext"] == h["readout"] for h in st["handles"]), st
            assert not any(h["editable"] for h in st["handles"]), "readout is an extra Tab stop"
            a = float(st["handles"][0]["readout"])
            kind = st["handles"][1]["readout"]
            assert st["caption"] == exp.description(a=a, kind=kind), st
            assert st["live"] == "polite"
            assert st["alts"][-1] == st["caption"] and all(t == "" for t in st["alts"][:-1]), st
            return st

        first = check()
        handles = page.locator(".pairing-explorer .noUi-handle")
        handles.nth(0).focus()
        page.keyboard.press("ArrowRight")                   # a: 1.0 -> 2.0
        page.wait_for_function("c => document.querySelector('.pairing-describe-text')"
                               ".textContent.trim() !== c", arg=first["caption"])
        page.wait_for_timeout(200)
        second = check()
        assert second["srcs"] != first["srcs"], "the picture did not change"
        page.keyboard.press("Tab")                          # the next handle, not the readout
        assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == "kind"
        page.keyboard.press("ArrowRight")                   # kind: parabola -> root
        page.wait_for_function("c => document.querySelector('.pairing-describe-text')"
                               ".textContent.trim() !== c", arg=second["caption"])
        page.wait_for_timeout(200)
        third = check()
        assert "root" in third["caption"] and html_mod.escape("2.00") in third["caption"]
        assert errors == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_explicit_live_values_must_keep_the_static_stops():
    p = Param("x", "x", values=[0.0, 1.0], live_values=[0.0, 0.25, 0.5, 0.75, 1.0])
    assert p.live_stops == (0.0, 0.25, 0.5, 0.75, 1.0) and p.stops == (0.0, 1.0)
    assert p.options("live")[1] == ("0.25", 0.25)
    with pytest.raises(ValueError, match="live_values must contain every static stop"):
        Param("x", "x", values=[0.0, 1.0], live_values=[0.0, 0.5])


def test_live_readout_gains_digits_only_where_needed():
    p = Param("mu", "μ", values=[0.5, 1.0, 1.5], fmt=".1f")
    labels = [t for t, _ in p.options("live")]
    assert len(set(labels)) == len(labels)
    assert [t for t, _ in p.options("static")] == ["0.5", "1.0", "1.5"]
    assert all(abs(float(t) - v) < 1e-12 for t, v in p.options("live"))


def test_a_live_explorer_shows_the_browser_script_with_itself():
    import IPython.display as disp
    from IPython.display import Javascript

    shown = []
    original = disp.display
    disp.display = lambda *objs, **kw: shown.extend(objs)
    try:
        _described_explorer("live")._ipython_display_()
        live = list(shown)
        shown.clear()
        _described_explorer("static")._ipython_display_()
        static = list(shown)
    finally:
        disp.display = original
    assert any(isinstance(o, Javascript) and "pairingExplorerA11y" in o.data for o in live)
    assert not any(isinstance(o, Javascript) for o in static), "the website loads it as a file"
