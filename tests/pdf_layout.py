"""What a careful reader sees on a printed page, measured from the PDF itself (pdfplumber):
words that run into each other, words that leave their table cell, pages left nearly
empty. `layout_problems(pdf)` lists every one, page by page."""

import io
from dataclasses import dataclass

import pdfplumber
from pypdf import PdfReader

TOL = 0.4  # points: a glyph's side bearing may touch a border or a neighbour, no more
BORDER_GREY = 0.25  # table borders are #333 (0.2); the chart's grid lines are lighter
MIN_FILL = 0.25


@dataclass
class Problem:
    page: int  # 1-based
    kind: str  # "overlap" | "outside cell" | "nearly empty"
    detail: str

    def __str__(self):
        return f"p{self.page} {self.kind}: {self.detail}"


def _is_border(line):
    colour = line.get("stroking_color")
    if isinstance(colour, (list, tuple)) and len(colour) == 1:
        colour = (colour[0],) * 3
    grey = isinstance(colour, (list, tuple)) and len(colour) == 3 and max(colour) <= BORDER_GREY
    return grey and line["linewidth"] < 1.5


def _borders(page):
    vertical, horizontal = [], []
    for line in page.lines:
        if not _is_border(line):
            continue
        if abs(line["x0"] - line["x1"]) < 0.1:
            vertical.append((line["x0"], line["top"], line["bottom"]))
        elif abs(line["top"] - line["bottom"]) < 0.1:
            horizontal.append((line["top"], line["x0"], line["x1"]))
    return vertical, horizontal


def _crosses(word, vertical, horizontal):
    """A border running through the word's ink box: the word is not inside its cell."""
    x0, x1, top, bottom = word["x0"] + TOL, word["x1"] - TOL, word["top"] + TOL, word["bottom"] - TOL
    for x, y0, y1 in vertical:
        if x0 < x < x1 and min(bottom, y1) - max(top, y0) > 1:
            return f"vertical border at x={x:.1f}"
    for y, a, b in horizontal:
        if top < y < bottom and min(x1, b) - max(x0, a) > 1:
            return f"horizontal border at y={y:.1f}"
    return ""


def _overlaps(boxes, share=0.0):
    """Pairs of boxes that intersect (a sweep over x). With `share`, glyphs may touch: two
    characters collide when they overlap by more than that share of the narrower one."""
    found = []
    active = []
    for w in sorted(boxes, key=lambda w: w["x0"]):
        active = [a for a in active if a["x1"] - TOL > w["x0"]]
        for a in active:
            dx = min(a["x1"], w["x1"]) - max(a["x0"], w["x0"])
            dy = min(a["bottom"], w["bottom"]) - max(a["top"], w["top"])
            narrow = min(a["x1"] - a["x0"], w["x1"] - w["x0"])
            low = min(a["bottom"] - a["top"], w["bottom"] - w["top"])
            if dx > max(TOL, share * narrow) and dy > max(TOL, share * low):
                found.append((a, w))
        active.append(w)
    return found


def section_starts(data):
    """{page index: top of the first section bookmark on it} from the PDF outline."""
    reader = PdfReader(io.BytesIO(data))
    starts = {}
    for item in reader.outline:
        if isinstance(item, list):
            continue
        index = reader.get_destination_page_number(item)
        top = float(item.top) if item.top is not None else None
        height = float(reader.pages[index].mediabox.height)
        y = height - top if top is not None else 0.0
        starts[index] = min(starts.get(index, y), y)
    return starts


def page_fill(page, footer_band=40):
    """How far down the page its content reaches (the page number and the footer line
    excluded), as a share of the printable height."""
    bottom_limit = page.height - footer_band
    boxes = [w for w in page.extract_words() if w["bottom"] < bottom_limit]
    boxes += [r for r in page.rects + page.lines if r["bottom"] < bottom_limit]
    if not boxes:
        return 0.0
    bottom = max(b["bottom"] for b in boxes)
    margin_top = 34 if page.width > page.height else 45
    return (bottom - margin_top) / (bottom_limit - margin_top)


def layout_problems(data):
    """Every overlap, word outside its cell and nearly empty page of a PDF."""
    problems = []
    starts = section_starts(data)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = pdf.pages
        for index, page in enumerate(pages):
            number = index + 1
            words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
            vertical, horizontal = _borders(page)
            for w in words:
                crossing = _crosses(w, vertical, horizontal)
                if crossing:
                    problems.append(Problem(number, "outside cell", f"«{w['text']}» across the {crossing}"))
            for a, b in _overlaps(words):
                problems.append(Problem(number, "overlap", f"«{a['text']}» and «{b['text']}»"))
            # Words that run into each other merge into one «word»: their letters collide.
            chars = [c for c in page.chars if c["text"].strip()]
            collided = {(a["text"], round(a["top"])) for a, _b in _overlaps(chars, share=0.3)}
            for text, top in sorted(collided)[:20]:
                problems.append(Problem(number, "overlap", f"letters «{text}» collide at y={top}"))
            last = index == len(pages) - 1
            # A section's last page: the next page opens a section (a bookmark) at its top.
            # Turning the paper is no excuse: a landscape table pushed off a portrait section's
            # page leaves the page as empty as any other break would.
            section_ends = last or starts.get(index + 1, page.height) < 0.1 * pages[index + 1].height
            fill = page_fill(page)
            if fill < MIN_FILL and not section_ends:
                problems.append(Problem(number, "nearly empty", f"{fill:.0%} of the page used"))
    return problems
