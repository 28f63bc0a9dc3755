"""references.bib: every entry can be found, the seed entries match their seeds.

* Every entry carries a stable identifier: a DOI, an arXiv id, or -- only for
  what has neither -- a book's ISBN or the ADS abstract page of a journal
  article that predates DOIs. Identifiers that are derived from the
  bibliographic data (APS DOIs, arXiv years, ADS bibcodes, ISBN check
  digits) must agree with it.
* The five seed papers come first, and each entry's title (and authors,
  where the extraction prints them) is checked against the title page of its
  seed text in ``shared/seeds/``; the journal references printed by seed 004
  are checked against our entries.
* The built bibliography page links every identifier (site test).
"""

from __future__ import annotations

import html
import re
import unicodedata

import pytest
from pybtex.database import parse_file

from conftest import ROOT, SITE

BIB = parse_file(str(ROOT / "references.bib"))
ENTRIES = BIB.entries
KEYS = list(ENTRIES)
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
ADS_ABS = "https://ui.adsabs.harvard.edu/abs/"

# seed file prefix -> (bib key, does the extraction's title page print the title?, the authors?)
SEEDS = {
    "000": ("braun1997", True, False),
    "001": ("frauendorf2003", True, False),
    "002": ("kresin_clusters", True, False),  # lecture slides: the title is on a later slide
    "003": ("andreev1998", False, False),     # the extraction starts with the abstract
    "004": ("zhou1998", True, True),
}
TITLE_PAGE_CHARS = 2500

APS_JOURNALS = {
    "Physical Review": "PhysRev",
    "Physical Review A": "PhysRevA",
    "Physical Review B": "PhysRevB",
    "Physical Review C": "PhysRevC",
    "Physical Review E": "PhysRevE",
    "Physical Review Letters": "PhysRevLett",
    "Reviews of Modern Physics": "RevModPhys",
}

# References printed by seed 004 (Zhou & Biagini): key -> (volume, first page) as printed.
SEED_004_REFERENCES = {
    "clogston1962": ("9", "266"),
    "chandrasekhar1962": ("1", "7"),
    "zhou_spivak1998": ("80", "5647"),
    "lifshitz1964": ("13", "483"),
    "halperin1966": ("148", "772"),
    "zittartz1966": ("148", "741"),
}
# Misprints of the seeds, with the reason our entry differs.
SEED_MISPRINTS = {
    ("halperin1966", "772"): "Halperin & Lax I runs over pp. 722-740 of Phys. Rev. 148; "
                             "Zittartz & Langer follow at p. 741 of the same volume",
}


def fields(entry):
    return {k.lower(): v for k, v in entry.fields.items()}


def first_page(entry):
    return re.split(r"-+|–", fields(entry).get("pages", ""))[0].strip()


def normalise(text):
    """Lower case ASCII letters and digits only (TeX braces, accents, OCR spacing gone)."""
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode().lower())


def seed_text(prefix):
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed texts not found at {SEEDS_DIR}")
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(errors="replace")


def isbn_is_valid(isbn):
    digits = isbn.replace("-", "").replace(" ", "").upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"\d{13}", digits):
        return sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits)) % 10 == 0
    return False


def identifiers(key):
    f = fields(ENTRIES[key])
    return {k: f[k] for k in ("doi", "eprint", "isbn", "url") if k in f}


# ------------------------------------------------------------------ every entry


@pytest.mark.parametrize("key", KEYS)
def test_entry_has_a_stable_identifier(key):
    entry, f = ENTRIES[key], fields(ENTRIES[key])
    ids = identifiers(key)
    if "doi" in ids or "eprint" in ids:
        return
    if entry.type == "book":
        assert "isbn" in ids, f"{key}: a book needs an ISBN (it has no DOI or arXiv id)"
        return
    assert "url" in ids and ids["url"].startswith(ADS_ABS), (
        f"{key}: no DOI, no arXiv id and no ADS abstract page -- add one, or drop the entry"
    )
    assert int(f["year"]) < 2005, f"{key}: a journal article of {f['year']} has a DOI: use it"


@pytest.mark.parametrize("key", [k for k in KEYS if "doi" in identifiers(k)])
def test_doi_is_well_formed_and_agrees_with_the_entry(key):
    f = fields(ENTRIES[key])
    doi = f["doi"]
    assert re.fullmatch(r"10\.\d{4,9}/\S+", doi), doi
    assert not doi.lower().startswith(("http", "doi:")), "store the bare DOI"
    if doi.startswith("10.1103/"):
        code, volume, page = doi[len("10.1103/"):].split(".")
        if "journal" in f:
            assert APS_JOURNALS[f["journal"]] == code, (key, f["journal"], doi)
            assert (volume, page) == (f["volume"], first_page(ENTRIES[key])), (key, doi)
        else:  # a preprint or slides naming the APS paper the DOI identifies
            assert f"{volume}, {page}" in f.get("howpublished", ""), key


@pytest.mark.parametrize("key", [k for k in KEYS if "eprint" in identifiers(k)])
def test_arxiv_id_is_well_formed_and_predates_the_entry(key):
    f = fields(ENTRIES[key])
    assert f.get("archiveprefix", "").lower() == "arxiv", f"{key}: set archiveprefix = {{arXiv}}"
    eprint = f["eprint"]
    old = re.fullmatch(r"[a-z-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}", eprint)
    new = re.fullmatch(r"(\d{2})(\d{2})\.\d{4,5}", eprint)
    assert old or new, f"{key}: {eprint} is not an arXiv identifier"
    yy, mm = (old or new).groups()
    year = (1900 if int(yy) > 90 else 2000) + int(yy)
    assert 1 <= int(mm) <= 12
    assert 0 <= int(f["year"]) - year <= 2, f"{key}: arXiv {eprint} is from {year}, entry {f['year']}"


@pytest.mark.parametrize("key", [k for k in KEYS if "url" in identifiers(k)])
def test_ads_bibcode_agrees_with_the_entry(key):
    entry, f = ENTRIES[key], fields(ENTRIES[key])
    url = f["url"]
    assert url.startswith(ADS_ABS), f"{key}: only ADS abstract pages are used as identifiers"
    code = url[len(ADS_ABS):]
    assert len(code) == 19, code
    year, journal, volume, page, initial = code[:4], code[4:9], code[9:13], code[14:18], code[18]
    assert year == f["year"], (key, code)
    assert journal.strip(".") and volume.strip(".") == f["volume"], (key, code)
    assert page.strip(".") == first_page(entry), (key, code)
    surname = entry.persons["author"][0].last_names[0]
    assert initial == normalise(surname)[0].upper(), (key, code)


@pytest.mark.parametrize("key", [k for k in KEYS if "isbn" in identifiers(k)])
def test_isbn_has_a_valid_check_digit(key):
    assert ENTRIES[key].type == "book"
    assert isbn_is_valid(fields(ENTRIES[key])["isbn"]), key


def test_keys_are_unique_and_identifiers_are_not_shared():
    text = (ROOT / "references.bib").read_text()
    keys = re.findall(r"^@\w+\{([^,\s]+),", text, re.M)
    assert len(keys) == len(set(keys))
    seen = {}
    for key in KEYS:
        for kind, value in identifiers(key).items():
            assert (kind, value) not in seen, f"{key} and {seen.get((kind, value))} share {value}"
            seen[(kind, value)] = key


# ------------------------------------------------------------------ the seeds


def test_seed_papers_come_first():
    assert KEYS[:len(SEEDS)] == [key for key, _, _ in SEEDS.values()]


@pytest.mark.parametrize("prefix", SEEDS)
def test_seed_entry_matches_its_title_page(prefix):
    key, has_title, has_authors = SEEDS[prefix]
    text = seed_text(prefix)
    page = normalise(text[:TITLE_PAGE_CHARS])
    entry = ENTRIES[key]
    assert identifiers(key), key
    if not has_title:
        pytest.skip(f"the extraction of seed {prefix} prints no title page")
    title = normalise(fields(entry)["title"])
    assert title in page, f"{key}: title not on the title page of seed {prefix}"
    if has_authors:
        for person in entry.persons["author"]:
            surname = normalise(" ".join(person.last_names))
            assert surname in page, f"{key}: author {surname} not on seed {prefix}'s title page"


@pytest.mark.parametrize("key", SEED_004_REFERENCES)
def test_references_printed_by_seed_004_agree(key):
    volume, page = SEED_004_REFERENCES[key]
    text = seed_text("004")
    assert re.search(rf"\*\*\s*(?:B\s*)?{volume}\*\*,?\s*{page}\s*\(", text), (
        f"seed 004 does not print volume {volume}, page {page}"
    )
    f = fields(ENTRIES[key])
    if (key, page) in SEED_MISPRINTS:
        assert first_page(ENTRIES[key]) != page, "the misprint is ours now"
        return
    assert (f["volume"], first_page(ENTRIES[key])) == (volume, page), key


# ------------------------------------------------------------------ the built page


def expected_links(key):
    ids = identifiers(key)
    links = []
    if "doi" in ids:
        links.append("https://doi.org/" + ids["doi"])
    if "eprint" in ids:
        links.append("https://arxiv.org/abs/" + ids["eprint"])
    if "isbn" in ids:
        links.append("https://openlibrary.org/isbn/" + re.sub(r"[-\s]", "", ids["isbn"]))
    if "url" in ids:
        links.append(ids["url"])
    return links


@pytest.mark.site
def test_bibliography_page_links_every_identifier():
    page = SITE / "bibliography.html"
    if not page.exists():
        pytest.fail("the book is not built: run `make book` first")
    text = page.read_text()
    hrefs = {html.unescape(h) for h in re.findall(r'href="([^"]+)"', text)}
    # one list item per entry (the a11y extension turns docutils' deprecated
    # role="doc-biblioentry" into role="listitem")
    entries = re.findall(r'<div class="citation" id="id\d+" role="listitem"|role="doc-biblioentry"', text)
    assert len(entries) == len(KEYS), "the bibliography page should list every entry (:all:)"
    missing = {key: link for key in KEYS for link in expected_links(key) if link not in hrefs}
    assert not missing, f"identifiers not linked on the bibliography page: {missing}"


def test_chapter_reference_lists_are_up_to_date():
    # every chapter lists exactly the works it cites, as _ext/references.py writes them
    import sys

    sys.path.insert(0, str(ROOT / "_ext"))
    import references

    assert references.stale_notebooks() == [], "run `python _ext/references.py`"
