"""The book's shared frame, checked mechanically on every chapter notebook.

* one notation: the notation appendix exists and every chapter links it; symbols the
  book has retired appear nowhere (a chapter may name a paper's own symbol once, in a
  sentence that says it is the paper's); each distinctive symbol of the notation table
  is used only in the chapters the table lists for it;
* the template: a Prerequisites box, a section on the experiments, a summary, exercises,
  "How the book computes this" (collapsed) before the references;
* the running prose argues physics: at most three code identifiers outside directives;
* constructs that render both on the website and in JupyterLab (jupyterlab-myst):
  no {cite}, {numref}, {bibliography}, and no {margin} (jupyterlab-myst draws it as a
  zero-height block under the next paragraph; code pointers are admonitions with the
  ``margin`` class); every {eq} points to a label of the same notebook;
* every static figure carries alt text in its cell metadata (``mystnb.image.alt``).
"""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import ROOT

CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
IDS = [c.stem for c in CHAPTERS]
NOTATION = ROOT / "notation.md"
MAX_PROSE_IDENTIFIERS = 3

# Symbols the book no longer uses, with what replaced them.
RETIRED = {
    r"\\tilde\s*\\Delta|\\tilde\{\\Delta\}|Δ̃": "the bulk gap is \\Delta_0",
    r"\\omega_c\b|\\omega_\{c\}|ω_c|omega_c": "the pairing cutoff is \\omega_D; chapter 3's critical field is h_c^{\\rm sh}",
    r"\\Delta\(0\)": "chapter 3's shell gap is \\Delta_{\\rm sh}",
    r"\\Delta_\\alpha|\\Delta_\{\\alpha\}|Δ_α": "droplets are indexed by i",
}
PAPER_WORDS = re.compile(r"paper|seed|Braun|Andreev|Zhou|Kuzmenko|literature", re.I)


def _nb(path):
    return nbformat.read(path, as_version=4)


def _markdown(path) -> str:
    return "\n\n".join(c.source for c in _nb(path).cells if c.cell_type == "markdown")


def prose_lines(md: str) -> list[str]:
    """Lines of running prose: outside fenced directives/code blocks and outside display math."""
    out, stack, in_math = [], [], False
    for line in md.splitlines():
        s = line.strip()
        m = re.match(r"^(`{3,}|:{3,})(.*)$", s)
        if m:
            fence, info = m.group(1), m.group(2).strip()
            if stack and fence[0] == stack[-1][0] and len(fence) >= len(stack[-1]) and not info:
                stack.pop()
                continue
            if info or not stack:
                stack.append(fence)
                continue
        if stack:
            continue
        if s.startswith("$$"):
            if not (len(s) > 2 and s.endswith("$$") and s != "$$"):
                in_math = not in_math
            continue
        if in_math:
            continue
        out.append(line)
    return out


CODE_ROLE = re.compile(r"\{(?:py:)?(?:func|mod|class|meth|attr|data|obj)\}`[^`]+`")
CODE_SPAN = re.compile(r"(?<![}`])`[^`\n]+`(?!`)")


def prose_identifiers(md: str) -> list[str]:
    text = "\n".join(prose_lines(md))
    text = re.sub(r"\$[^$\n]+\$", " ", text)          # inline math
    roles = CODE_ROLE.findall(text)
    text = CODE_ROLE.sub(" ", text)
    text = re.sub(r"\{[a-z:]+\}`[^`]+`", " ", text)   # other roles: ref, doc, eq, ...
    return roles + CODE_SPAN.findall(text)


def notation_rows() -> list[tuple[str, set[int]]]:
    rows = []
    for line in NOTATION.read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 4 or not cells[0].startswith("$"):
            continue
        chapters: set[int] = set()
        for part in cells[3].split(","):
            part = part.strip()
            if re.fullmatch(r"\d-\d", part):
                a, b = map(int, part.split("-"))
                chapters |= set(range(a, b + 1))
            elif part.isdigit():
                chapters.add(int(part))
        rows.append((cells[0].strip("$"), chapters))
    return rows


def _norm(tex: str) -> str:
    tex = re.sub(r"\s+", "", tex)
    return re.sub(r"_\{(\w)\}", r"_\1", tex)


def distinctive(symbol: str) -> bool:
    """Symbols a text search can find without false hits: a command or a subscripted name."""
    s = _norm(symbol)
    if re.fullmatch(r"[a-z]_[a-z]", s):      # a_p: as easily an operator with an index
        return False
    return len(s) > 2 and ("\\" in s or "_" in s)


def symbol_pattern(symbol: str) -> re.Pattern:
    s = _norm(symbol)
    return re.compile(re.escape(s) + r"(?![A-Za-z_{^])" if s[-1].isalpha() else re.escape(s) + r"(?![\^])")


def _math_of(md: str) -> str:
    parts = re.findall(r"\$\$.*?\$\$|\$[^$\n]+\$", md, re.S)
    parts += re.findall(r"```\{math\}.*?```", md, re.S)
    text = _norm(" ".join(parts))
    return text.replace(r"\zeta(3)", " ")                # Riemann's zeta(3): a number, not the symbol


def test_notation_page_is_in_the_book_and_lists_symbols():
    toc = (ROOT / "_toc.yml").read_text()
    assert "file: notation" in toc
    rows = notation_rows()
    assert len(rows) >= 30, "the notation table lists the book's symbols"
    symbols = [_norm(s) for s, _ in rows]
    assert len(set(symbols)) == len(symbols), "a symbol is listed twice"
    for s, ch in rows:
        assert ch and ch <= {1, 2, 3, 4, 5}, f"{s}: chapters column {ch}"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_links_the_notation_and_has_prerequisites(path):
    md = _markdown(path)
    box = re.search(r"\{admonition\}\s*Prerequisites(.*?)^(```|:::)", md, re.S | re.M)
    assert box, f"{path.name}: no Prerequisites box"
    assert re.search(r"\{doc\}`[^`]*<\.\./notation>`", md), f"{path.name}: no link to the notation appendix"
    assert "Builds on" in box.group(1) or path.name.startswith("01"), "say which chapters it builds on"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_template_sections(path):
    md = _markdown(path)
    heads = re.findall(r"^#{1,3} (.+)$", md, re.M)
    assert any("Summary" in h for h in heads), f"{path.name}: no Summary"
    assert any("Exercises" in h for h in heads), f"{path.name}: no Exercises"
    assert any(re.search(r"[Ee]xperiment", h) for h in heads), f"{path.name}: no section on the experiments"
    assert "How the book computes this" in heads, f"{path.name}: no 'How the book computes this'"
    assert heads[-1] == "References" and heads[-2] == "How the book computes this", (
        f"{path.name}: 'How the book computes this' comes last, just before the References"
    )
    section = md.split("## How the book computes this", 1)[1].split("## References", 1)[0]
    assert re.search(r"^(:{3,}|`{3,})\{dropdown\}", section, re.M), "the methods section is collapsed"
    assert re.search(r"\{admonition\}\s*Learning goals", md), f"{path.name}: no learning goals"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_running_prose_has_few_code_identifiers(path):
    found = prose_identifiers(_markdown(path))
    assert len(found) <= MAX_PROSE_IDENTIFIERS, (
        f"{path.name}: {len(found)} code identifiers in running prose (move them to a margin): {found}"
    )


def test_prose_counter_sees_prose_and_skips_directives():
    md = (
        "Text with `a` and {func}`b`.\n\n```{margin}\n`hidden` {func}`x`\n```\n\n"
        "::::{dropdown} Methods\n`m`\n```python\ncode()\n```\n::::\n\n$$\n`not code`\n$$\nEnd `c`."
    )
    assert prose_identifiers(md) == ["{func}`b`", "`a`", "`c`"]


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_no_retired_symbols(path):
    nb = _nb(path)
    text = "\n".join(c.source for c in nb.cells)
    for pattern, why in RETIRED.items():
        hits = [m for m in re.finditer(pattern, text)]
        bad = [m for m in hits if not PAPER_WORDS.search(text[max(0, m.start() - 120): m.end() + 120])]
        assert not bad, f"{path.name}: retired symbol {bad[0].group(0)!r} ({why}): ...{text[max(0, bad[0].start()-60):bad[0].end()+60]}..."
        assert len(hits) <= 2, f"{path.name}: {pattern} appears {len(hits)} times; name a paper's symbol once"


def test_no_retired_symbols_in_the_library():
    for py in sorted((ROOT / "pairing_lib").rglob("*.py")):
        text = py.read_text()
        for pattern, why in RETIRED.items():
            for m in re.finditer(pattern, text):
                context = text[max(0, m.start() - 160): m.end() + 160]
                assert PAPER_WORDS.search(context), (
                    f"{py.relative_to(ROOT)}: retired symbol {m.group(0)!r} ({why}): ...{context.strip()[:200]}..."
                )


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_symbols_are_used_where_the_table_says(path):
    number = int(path.name[:2])
    math = _math_of(_markdown(path))
    wrong = []
    for symbol, chapters in notation_rows():
        if distinctive(symbol) and symbol_pattern(symbol).search(math) and number not in chapters:
            wrong.append(symbol)
    assert not wrong, (
        f"{path.name} uses {wrong}, which the notation table does not list for chapter {number}: "
        "use the book's symbol or add the chapter to the table"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_constructs_render_in_jupyterlab_too(path):
    md = _markdown(path)
    for role in ("{cite}", "{cite:", "{numref}", "{bibliography}", "{margin}"):
        assert role not in md, f"{path.name}: {role} does not render in JupyterLab"
    assert not re.search(r"\{doc\}`[^<`]+`", md), f"{path.name}: a {{doc}} link without a title"
    labels = set(re.findall(r":label:\s*(\S+)", md)) | set(re.findall(r"^\(([\w-]+)\)=", md, re.M))
    labels |= set(re.findall(r"\$\$\s*\(([\w-]+)\)\s*$", md, re.M))     # $$ ... $$ (label)
    missing = sorted(set(re.findall(r"\{eq\}`([^`]+)`", md)) - labels)
    assert not missing, f"{path.name}: {{eq}} to labels of other notebooks (JupyterLab cannot follow): {missing}"


FIGURE = re.compile(r"plt\.(subplots|figure)\(|\.add_subplot\(|plotting\.\w+_figure\(")


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_static_figures_have_alt_text(path):
    for i, cell in enumerate(_nb(path).cells):
        if cell.cell_type != "code" or not FIGURE.search(cell.source):
            continue
        alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
        assert len(alt.split()) >= 8, f"{path.name}, cell {i}: a figure without alt text (mystnb.image.alt)"
        assert not alt.lower().startswith(("figure", "<figure", "image", "plot")), f"cell {i}: alt text says nothing"
