"""The growth chart: pre-test vs post-test mean per track, as inline SVG (no JavaScript, no
image files), drawn from the report structure's figures."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

PRE_COLOUR = "#9aa5b1"
POST_COLOUR = "#1f4e8c"


def _wrap(text, width=16):
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines[:4]


def growth_svg(report, width=640, height=280):
    rows = [g for g in report.growth if g.pre.value is not None]
    if not rows:
        return ""
    F = report.F
    top, bottom, left, right = 24, 70, 36, 12
    plot_h = height - top - bottom
    plot_w = width - left - right
    slot = plot_w / len(rows)
    bar = min(36, slot / 3)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(F["growth_chart"])}" '
        'font-family="BirgemizSans, DejaVu Sans, sans-serif" font-size="10">'
    ]
    for pct in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - pct / 100)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end" fill="#555">{pct}%</text>')
    for i, g in enumerate(rows):
        x0 = left + slot * i + slot / 2 - bar
        for j, (cell, colour) in enumerate(((g.pre, PRE_COLOUR), (g.post, POST_COLOUR))):
            value = float(cell.value or 0)
            h = plot_h * value / 100
            x = x0 + j * bar
            y = top + plot_h - h
            w = bar - 2
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{colour}"/>')
            out.append(
                f'<text x="{x + w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">'
                f"{escape(cell.display)}</text>"
            )
        for k, line in enumerate(_wrap(g.name)):
            out.append(
                f'<text x="{left + slot * i + slot / 2:.1f}" y="{top + plot_h + 14 + 11 * k}" '
                f'text-anchor="middle">{escape(line)}</text>'
            )
    lx = left
    for label, colour in ((F["growth_pre"], PRE_COLOUR), (F["growth_post"], POST_COLOUR)):
        out.append(f'<rect x="{lx}" y="6" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{lx + 14}" y="15">{escape(label)}</text>')
        lx += 24 + 7 * len(label)
    out.append("</svg>")
    return mark_safe("".join(out))
