"""Text is data in every spreadsheet the tool writes (XLSX, CSV, a chart's embedded workbook), never a formula.

Text from a profile, a template or the standard is data, never a formula. A cell that starts like a
formula ("=", "+", "-", "@", tab, CR, NUL; also the full-width "＝＋－＠" a Chinese input method types,
which East Asian Excel may take for the half-width ones as it does full-width digits) is a string
cell with Excel's quotePrefix, so it shows exactly its text and editing it in Excel keeps it text.
In a CSV, which Excel evaluates as it opens it, such a cell gets a leading apostrophe (OWASP's CSV
injection advice). Our workbooks hold no formulas; one that ever needs a formula names its cells to `save`.
"""
from __future__ import annotations

from collections.abc import Iterable

# The first characters with which Excel, LibreOffice or Google Sheets may read a cell as a formula
# (OWASP; ASVS 5.0 1.2.10 adds NUL), and the full-width forms a Chinese input method types.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Texts openpyxl would store as error values rather than strings.
_ERROR_TEXTS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could take `text`, typed or opened as a cell, for a formula."""
    return text.startswith(FORMULA_START)


def quoted(text: str) -> bool:
    """Whether a text cell needs quotePrefix: Excel would make it a formula or an error value when edited."""
    return formula_like(text) or text in _ERROR_TEXTS


def csv_cell(value):
    """A CSV cell that a spreadsheet shows as text: a str that starts like a formula (after any
    apostrophes, so that the mapping can be undone) gets a leading apostrophe; anything else is as it is."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(cell: str) -> str:
    """The text `csv_cell` was given: its inverse."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_START) else cell


def as_text(book, formulas: Iterable = ()) -> None:
    """Every str cell of the workbook (but the `formulas` cells) as a string cell showing its text;
    one that Excel would read as a formula or an error when edited gets quotePrefix."""
    keep = {id(cell) for cell in formulas}
    for sheet in book.worksheets:
        for cell in sheet._cells.values():  # the cells that exist (iter_rows would add empty ones)
            value = cell.value
            if not isinstance(value, str) or id(cell) in keep:
                continue
            cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error
            if quoted(value):
                cell.quotePrefix = True
