"""Text in spreadsheets we write stays text.

A cell whose text starts with one of FORMULA_START would be run as a formula by Excel or
LibreOffice (and openpyxl stores a string beginning with "=" as a formula). Every XLSX
writer of the product sets typed text through `set_text`, so nobody's typed name or
note ever becomes a formula.
"""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value):
    return isinstance(value, str) and value.startswith(FORMULA_START)


def set_text(cell, value):
    """Put a string in a cell of a normal worksheet as text, never as a formula."""
    cell.value = value
    cell.data_type = "s"
    if looks_like_formula(value):
        # Shown as typed; the quote prefix also keeps Excel from re-reading it on edit.
        cell.quotePrefix = True
    return cell
