"""Citations that read the same on the website and in JupyterLab.

The chapters cite with MyST's ``{ref}`` role and an explicit title, e.g.
``[{ref}`Braun and von Delft, 1997 <ch1-ref-braun1997>`]``; both Sphinx and
JupyterLab's MyST renderer (jupyterlab-myst, which has no BibTeX support) show
the author-year text and link it to the chapter's own reference list. That list
is the markdown cell that starts with ``## References``: one paragraph per work,
each behind a target ``(ch1-ref-<key>)=``, written from ``references.bib``.

Run ``python _ext/references.py`` after adding or removing a citation: it

* turns any ``{cite}`key1,key2``` left in a notebook into the form above,
* rewrites each notebook's reference list to exactly the works it cites,
  sorted by author and year.

``python _ext/references.py --check`` changes nothing and exits 1 if a notebook
is out of date (``tests/test_references.py`` runs the same check).

The bibliography appendix (``bibliography.md``) still lists every entry with
sphinxcontrib-bibtex; this module only uses pybtex, which that package brings.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
from pybtex.database import parse_file
from pybtex.richtext import Text

ROOT = Path(__file__).resolve().parents[1]
BIB_FILE = ROOT / "references.bib"
NOTEBOOKS = {"intro.ipynb": "intro"} | {
    f"chapters/{p.name}": f"ch{int(p.name[:2])}" for p in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
}
HEADING = "## References"
CITE = re.compile(r"\{cite\}`([^`]+)`")
REF = re.compile(r"\{ref\}`[^`<]*<(?P<label>[a-z0-9]+-ref-(?P<key>[^>]+))>`")
ADS_ABS = "https://ui.adsabs.harvard.edu/abs/"
OPEN_LIBRARY_ISBN = "https://openlibrary.org/isbn/"


def _bib():
    return parse_file(str(BIB_FILE)).entries


def _plain(s: str) -> str:
    """BibTeX field text without braces and the few LaTeX accents the file uses."""
    return Text.from_latex(s).render_as("text")


def _last(person) -> str:
    return _plain(" ".join(person.prelast_names + person.last_names))


def author_year(entry) -> str:
    """Short author-year text: 'Clogston, 1962', 'Braun and von Delft, 1997', 'Ralph et al., 1995'."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [_last(p) for p in people]
    if not names:
        who = _plain(entry.fields.get("organization", entry.fields.get("title", "?")))
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


def _initials(person) -> str:
    first = " ".join(person.first_names + person.middle_names)
    parts = re.split(r"([ -])", _plain(first))
    out = ""
    for p in parts:
        if p in (" ", "-"):
            out += p
        elif p:
            out += p[0] + "."
    return out


def full_reference(entry) -> str:
    """One reference in Markdown: authors, *title*, where it appeared, and a link."""
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [f"{_initials(p)} {_last(p)}".strip() for p in people]
    if len(names) > 2:
        authors = ", ".join(names[:-1]) + ", and " + names[-1]
    else:
        authors = " and ".join(names)
    f = entry.fields
    title = _plain(f.get("title", "")).rstrip(".")
    where = []
    if "journal" in f:
        j = _plain(f["journal"])
        vol = f" **{f['volume']}**" if "volume" in f else ""
        page = f", {f['pages'].split('-')[0].split('–')[0]}" if "pages" in f else ""
        where.append(f"{j}{vol}{page}")
    elif entry.type == "book":
        where.append(", ".join(x for x in (_plain(f.get("publisher", "")), _plain(f.get("address", ""))) if x))
    elif "howpublished" in f:
        where.append(_plain(f["howpublished"]))
    elif "note" in f:
        where.append(_plain(f["note"]))
    year = f.get("year", "")
    text = f"{authors}, *{title}*"
    if where and where[0]:
        text += f", {where[0]}"
    text += f" ({year})."
    links = []
    if "doi" in f:
        links.append(f"[doi:{f['doi']}](https://doi.org/{f['doi']})")
    if "eprint" in f:
        links.append(f"[arXiv:{f['eprint']}](https://arxiv.org/abs/{f['eprint']})")
    if "isbn" in f:
        isbn = f["isbn"].replace("-", "").replace(" ", "")
        links.append(f"[ISBN {f['isbn']}]({OPEN_LIBRARY_ISBN}{isbn})")
    url = f.get("url", "")
    if url.startswith(ADS_ABS):
        links.append(f"[ADS:{url[len(ADS_ABS):]}]({url})")
    elif url and not links:
        links.append(f"<{url}>")
    if links:
        text += " " + ", ".join(links) + "."
    return text


def _convert_cites(src: str, prefix: str, bib) -> str:
    def repl(m):
        keys = [k.strip() for k in m.group(1).split(",")]
        for k in keys:
            if k not in bib:
                raise ValueError(f"{{cite}} of unknown key {k!r}: add it to references.bib")
        refs = "; ".join(f"{{ref}}`{author_year(bib[k])} <{prefix}-ref-{k}>`" for k in keys)
        return f"[{refs}]"

    return CITE.sub(repl, src)


def reference_cell(keys, prefix: str, bib) -> str:
    order = sorted(set(keys), key=lambda k: (author_year(bib[k]).lower(), k))
    parts = [HEADING, ""]
    for k in order:
        parts += [f"({prefix}-ref-{k})=", full_reference(bib[k]), ""]
    return "\n".join(parts).rstrip() + "\n"


def update_notebook(path: Path, prefix: str, bib) -> bool:
    """Bring one notebook's citations and reference list up to date; True if it changed."""
    nb = nbformat.read(path, as_version=4)
    changed = False
    keys = []
    ref_cell = None
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        if cell.source.lstrip().startswith(HEADING):
            ref_cell = cell
            continue
        new = _convert_cites(cell.source, prefix, bib)
        if new != cell.source:
            cell.source, changed = new, True
        for m in REF.finditer(cell.source):
            if not m.group("label").startswith(f"{prefix}-ref-"):
                raise ValueError(f"{path.name}: {m.group('label')} is not a label of this notebook ({prefix}-ref-...)")
            if m.group("key") not in bib:
                raise ValueError(f"{path.name}: unknown reference key {m.group('key')!r}")
            keys.append(m.group("key"))
    if ref_cell is None:
        raise ValueError(f"{path.name}: no markdown cell starting with {HEADING!r}")
    text = reference_cell(keys, prefix, bib)
    if ref_cell.source != text:
        ref_cell.source, changed = text, True
    if changed:
        nbformat.write(nb, path)
    return changed


def stale_notebooks() -> list[str]:
    """Notebooks whose citations or reference list the tool would change (nothing is written)."""
    import shutil
    import tempfile

    bib = _bib()
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        for rel, prefix in NOTEBOOKS.items():
            copy = Path(tmp) / Path(rel).name
            shutil.copy(ROOT / rel, copy)
            if update_notebook(copy, prefix, bib):
                stale.append(rel)
    return stale


def main(argv) -> int:
    if "--check" in argv:
        stale = stale_notebooks()
        for rel in stale:
            print(f"out of date: {rel} (run python _ext/references.py)")
        return 1 if stale else 0
    bib = _bib()
    for rel, prefix in NOTEBOOKS.items():
        if update_notebook(ROOT / rel, prefix, bib):
            print(f"updated {rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
