"""Inline SVG charts for the dashboard: no JavaScript, no library, light on a phone.

Each function returns safe markup; every text in it is escaped. Charts scale with
their container (viewBox); a table with the same numbers sits next to each chart."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Bootstrap-ish colours, distinguishable for the common colour-blindnesses.
PALETTE = ["#0d6efd", "#fd7e14", "#198754", "#d63384", "#6f42c1", "#20c997", "#6c757d", "#ffc107"]


def _f(x):
    return f"{float(x):.1f}"


def growth_chart(data, title):
    """Horizontal grouped bars: one group per region, one bar per track (growth, pp).

    `data` is {code: (track name, [(region, growth, measured)])}."""
    if not data:
        return ""
    regions = []
    for _name, items in data.values():
        for region, _g, _n in items:
            if region not in regions:
                regions.append(region)
    codes = list(data)
    values = {(code, region): g for code, (_n, items) in data.items() for region, g, _m in items}
    top = max([float(v) for v in values.values()] + [10.0])
    top = (int(top) // 10 + 1) * 10
    label_w, bar_h, gap, width = 190, 5, 8, 720
    plot_w = width - label_w - 40
    group_h = bar_h * len(codes) + gap
    legend_h = 18 * ((len(codes) + 2) // 3)
    height = 24 + legend_h + group_h * len(regions) + 24
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="11" font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    for i, code in enumerate(codes):
        x, y = 10 + (i % 3) * 235, 12 + 18 * (i // 3)
        out.append(
            f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
        )
        out.append(f'<text x="{x + 14}" y="{y}">{escape(data[code][0][:38])}</text>')
    y0 = 24 + legend_h
    for tick in range(0, top + 1, 10):
        x = label_w + plot_w * tick / top
        out.append(
            f'<line x1="{_f(x)}" y1="{y0 - 4}" x2="{_f(x)}" y2="{height - 20}" stroke="#dee2e6"/>'
        )
        out.append(f'<text x="{_f(x)}" y="{height - 6}" text-anchor="middle">{tick}</text>')
    for r, region in enumerate(regions):
        gy = y0 + r * group_h
        out.append(
            f'<text x="{label_w - 6}" y="{gy + group_h / 2}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(region[:32])}</text>'
        )
        for i, code in enumerate(codes):
            g = values.get((code, region))
            if g is None:
                continue
            w = max(0.0, plot_w * float(g) / top)
            out.append(
                f'<rect x="{label_w}" y="{gy + i * bar_h}" width="{_f(w)}" height="{bar_h - 1}" '
                f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(region)} — {escape(data[code][0])}: '
                f"{_f(g)}</title></rect>"
            )
    out.append("</svg>")
    return mark_safe("".join(out))


def progress_chart(progress, title, labels):
    """Two lines in percent of plan, by month: students enrolled and lesson hours confirmed."""
    months = progress["months"]
    if not months:
        return ""
    ps, ph = progress["planned_students"], progress["planned_hours"]
    series = []
    if ps:
        series.append((labels["students"], [100 * m["students"] / ps for m in months], PALETTE[0]))
    if ph:
        series.append(
            (labels["hours"], [100 * float(m["hours"]) / float(ph) for m in months], PALETTE[1])
        )
    if not series:
        return ""
    width, height, left, bottom, top_pad = 720, 260, 44, 36, 28
    top_value = max([100.0] + [max(v) for _l, v, _c in series])
    top_value = (int(top_value) // 25 + 1) * 25
    plot_w, plot_h = width - left - 16, height - bottom - top_pad
    step = plot_w / max(1, len(months) - 1)

    def y(v):
        return top_pad + plot_h * (1 - v / top_value)

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="11" font-family="sans-serif">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(0, top_value + 1, 25):
        out.append(
            f'<line x1="{left}" y1="{_f(y(tick))}" x2="{width - 16}" y2="{_f(y(tick))}" '
            f'stroke="{"#adb5bd" if tick == 100 else "#e9ecef"}"/>'
        )
        out.append(f'<text x="{left - 4}" y="{_f(y(tick) + 4)}" text-anchor="end">{tick}%</text>')
    for i, m in enumerate(months):
        out.append(
            f'<text x="{_f(left + i * step)}" y="{height - bottom + 16}" text-anchor="middle">'
            f"{m['month']:%m.%y}</text>"
        )
    for s, (label, values, colour) in enumerate(series):
        points = " ".join(f"{_f(left + i * step)},{_f(y(v))}" for i, v in enumerate(values))
        out.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for i, v in enumerate(values):
            out.append(
                f'<circle cx="{_f(left + i * step)}" cy="{_f(y(v))}" r="3" fill="{colour}">'
                f"<title>{escape(label)} {months[i]['month']:%m.%Y}: {v:.0f}%</title></circle>"
            )
        out.append(f'<rect x="{left + 8 + s * 300}" y="6" width="12" height="4" fill="{colour}"/>')
        out.append(f'<text x="{left + 24 + s * 300}" y="12">{escape(label)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))

