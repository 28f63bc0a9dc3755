"""Bibliography style in which every identifier of an entry is a link (local Sphinx extension).

pybtex's "alpha" style (sphinxcontrib-bibtex's default) already links a DOI
(``doi:...`` -> https://doi.org/) and an arXiv id (``arXiv:...`` ->
https://arxiv.org/abs/). This style, registered as ``linked`` and selected by
``bibtex_default_style`` in ``_config.yml``, adds the two identifiers that
``references.bib`` uses for works that have neither:

* a book's ISBN links to its Open Library record;
* an ADS abstract page (``url`` = https://ui.adsabs.harvard.edu/abs/<bibcode>,
  used for journals that predate DOIs) shows as ``ADS:<bibcode>``.

``tests/test_references.py`` checks that every entry has one of these
identifiers and that the bibliography page links each of them.
"""

from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.template import field, href, join
from pybtex.plugin import register_plugin

ADS_ABS = "https://ui.adsabs.harvard.edu/abs/"
OPEN_LIBRARY_ISBN = "https://openlibrary.org/isbn/"


class LinkedStyle(AlphaStyle):
    # Both methods return the parent's template when the field is missing: that
    # template fails inside pybtex's optional[...], which then drops the part.
    def format_isbn(self, e):
        if "isbn" not in e.fields:
            return super().format_isbn(e)
        isbn = e.fields["isbn"].replace("-", "").replace(" ", "")
        return href(OPEN_LIBRARY_ISBN + isbn)[join(sep=" ")["ISBN", field("isbn")]]

    def format_url(self, e):
        url = e.fields.get("url", "")
        if url.startswith(ADS_ABS):
            return href(url)[join["ADS:", url[len(ADS_ABS):]]]
        return super().format_url(e)


def setup(app):
    register_plugin("pybtex.style.formatting", "linked", LinkedStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
