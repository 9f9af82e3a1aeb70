"""HTML to PDF (WeasyPrint) for every document the product prints: the final report, the
consolidated report and the certificates.

One font is vendored in birgemiz/fonts (DejaVu Sans, licence beside it): it has every
Kazakh letter (ә, ғ, қ, ң, ө, ұ, ү, һ, і), so documents print the same on any server.
Templates load it with `@font-face { src: url("{{ font_regular }}") }` from `font_uris()`.
The renderer fetches nothing else: no text typed by a user can make it read a local file
or reach the network.
"""

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
ALLOWED = frozenset({FONT_REGULAR.as_uri(), FONT_BOLD.as_uri()})


def font_uris():
    """The template context a document needs to embed the vendored font."""
    return {"font_regular": FONT_REGULAR.as_uri(), "font_bold": FONT_BOLD.as_uri()}


def fonts_only_fetcher():
    """A WeasyPrint URL fetcher that refuses every URL but the vendored fonts."""
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in ALLOWED:
                raise ValueError(f"refused to fetch {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


def html_to_pdf(html):
    """PDF bytes of an HTML string whose only resources are the vendored fonts."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    document = HTML(string=html, base_url=str(FONT_DIR), url_fetcher=fonts_only_fetcher())
    return document.write_pdf(font_config=FontConfiguration())
