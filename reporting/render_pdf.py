"""The report as a PDF (WeasyPrint): A4, landscape pages for the wide tables, repeated table
headers, page numbers, the growth chart as inline SVG and one embedded font (DejaVu Sans,
vendored in reporting/fonts) that has every Kazakh letter."""

from pathlib import Path

from django.template.loader import render_to_string

from .chart import growth_svg

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"
ALLOWED = {FONT_REGULAR.as_uri(), FONT_BOLD.as_uri()}


def _fetcher():
    from weasyprint.urls import URLFetcher

    class FontsOnly(URLFetcher):
        # Only the vendored fonts are ever loaded: no user text can make the renderer read
        # a local file or reach the network.
        def fetch(self, url, headers=None):
            if url not in ALLOWED:
                raise ValueError(f"refused to fetch {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


def render_html(report):
    return render_to_string(
        "reporting/report_pdf.html",
        {
            "report": report,
            "screen": False,
            "chart": growth_svg(report),
            "font_regular": FONT_REGULAR.as_uri(),
            "font_bold": FONT_BOLD.as_uri(),
        },
    )


def render_pdf(report):
    """PDF bytes of the report."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    document = HTML(string=render_html(report), base_url=str(FONT_DIR), url_fetcher=_fetcher())
    return document.write_pdf(font_config=font_config)
