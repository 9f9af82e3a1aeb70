"""Rendering helpers for the report templates (the page and the PDF share one body)."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.simple_tag(takes_context=True)
def cell(context, c, empty="—"):
    """A figure: a link to the rows it counts on screen, plain text in the PDF."""
    if c is None:
        return empty
    text = c.display if c.display != "" else empty
    if context.get("screen") and c.links:
        links = [link for link in c.links if link.url]
        if len(links) == 1:
            return format_html(
                '<a href="{}" class="fig" title="{}">{}</a>',
                links[0].url,
                context.get("rows_title", ""),
                text,
            )
        if links:
            more = format_html_join(
                " ", '<a href="{}" class="fig-more">{}</a>', ((link.url, link.label) for link in links)
            )
            return format_html('<span class="fig">{}</span> <small>{}</small>', text, more)
    return text


@register.simple_tag
def marks(row):
    """«✗ 3, 5»: the numbers of the annex's items about a row, each an anchor (#mark-3) the
    report page's checks link to."""
    if not row.marks:
        return ""
    anchors = format_html_join("", '<span id="mark-{}"></span>', ((n,) for n in row.marks))
    return format_html("{}✗ {}", anchors, ", ".join(str(n) for n in row.marks))
