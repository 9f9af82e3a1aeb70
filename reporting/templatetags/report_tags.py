"""Rendering helpers for the report templates (the page and the PDF share one body)."""

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

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


def _text(value):
    """`value` as `{{ value }}` prints it (localized, escaped)."""
    return conditional_escape(localize(value))


@register.simple_tag(takes_context=True)
def plan_fact_row(context, activity, row, first):
    """A row of section 4's plan-fact table, the activity's cells on its `first` row:
    what the template wrote cell by cell, in one tag (a programme has a row per planned
    result, 88 in the demo's)."""
    parts = [f'<tr class="{"missed" if row.marks else ""}">\n          ']
    if first:
        n = _text(len(activity.rows))
        result = linebreaksbr(activity.result, autoescape=True)
        parts.append(
            f'<td rowspan="{n}"></td>\n'
            f'            <td rowspan="{n}">{_text(activity.number)}. {_text(activity.title)}</td>\n'
            f'            <td rowspan="{n}" class="small">{result}</td>'
        )
    parts.append(f"\n          <td>{_text(row.name)}</td>\n")
    parts.append(f'          <td class="n">{_text(row.plan or "—")}')
    if row.units and row.target is not None:
        units = conditional_escape(cell(context, row.units))
        parts.append(f'<div class="note">× {units} = {_text(row.target_display)}</div>')
    parts.append(f'</td>\n          <td class="n">{conditional_escape(cell(context, row.fact))}')
    if row.marks:
        parts.append(f' <span class="flag">{conditional_escape(marks(row))}</span>')
    parts.append("\n            ")
    parts.extend(f'<div class="note">{_text(note)}</div>' for note in row.notes if note != row.target_note)
    parts.append("</td>\n        </tr>")
    return mark_safe("".join(parts))
