"""The report as a PDF (WeasyPrint, through `birgemiz.pdf`): A4, landscape pages for the
wide tables, repeated table headers, page numbers, a bookmark per section, the growth
chart as inline SVG, words hyphenated in the report's language (Kazakh patterns of our
own, `reporting.hyphenation`) and the core's one embedded font (DejaVu Sans) that has
every Kazakh letter."""

from django.template.loader import render_to_string

from birgemiz.pdf import font_uris, html_to_pdf

from . import hyphenation
from .chart import growth_svg


def render_html(report):
    return render_to_string(
        "reporting/report_pdf.html",
        {"report": report, "screen": False, "chart": growth_svg(report), **font_uris()},
    )


def render_pdf(report):
    """PDF bytes of the report."""
    hyphenation.register()
    return html_to_pdf(render_html(report))
