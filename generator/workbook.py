"""Excel workbooks (openpyxl) formatted alike and saved reproducibly, and the rule that keeps text
text in every spreadsheet the tool writes (XLSX, CSV, a chart's embedded workbook).

Text from a profile, a template or the standard is data, never a formula. A cell that starts like a
formula ("=", "+", "-", "@", tab, CR, NUL; also the full-width "＝＋－＠" a Chinese input method types,
which East Asian Excel may take for the half-width ones as it does full-width digits) is a string
cell with Excel's quotePrefix, so it shows exactly its text and editing it in Excel keeps it text.
In a CSV, which Excel evaluates as it opens it, such a cell gets a leading apostrophe (OWASP's CSV
injection advice). Our workbooks hold no formulas; one that ever needs a formula names its cells to `save`.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable

from .ooxml import repack

# The first characters with which Excel, LibreOffice or Google Sheets may read a cell as a formula
# (OWASP; ASVS 5.0 1.2.10 adds NUL), and the full-width forms a Chinese input method types.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Texts openpyxl would store as error values rather than strings.
_ERROR_TEXTS = frozenset(("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"))


def formula_like(text: str) -> bool:
    """Whether a spreadsheet could take `text`, typed or opened as a cell, for a formula."""
    return text.startswith(FORMULA_START)


def _quoted(text: str) -> bool:
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


def format_table(sheet, widths: list[float], *, header: bool = True) -> None:
    """Column widths, a bold first row (when it is a header) frozen in place, wrapped cells."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    if header:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"


def save(book, issued: dt.date, formulas: Iterable = ()) -> bytes:
    """The workbook's bytes, dated `issued` and byte-identical for the same content. Every cell that
    holds a str is a string cell (never a formula or an error value) except the `formulas` cells."""
    as_text(book, formulas)
    stamp = dt.datetime.combine(issued, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "aftersales"
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue(), stamp)


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
            if _quoted(value):
                cell.quotePrefix = True


def chart_data_xlsx(data) -> bytes:
    """The workbook of python-pptx chart data (`data.xlsx_blob`, written with XlsxWriter in the
    layout the chart XML points at) with text kept text: XlsxWriter's write() would make a str that
    starts with "=" a formula and one that looks like a URL a hyperlink."""
    from contextlib import contextmanager

    from pptx.chart.xlsx import CategoryWorkbookWriter
    from xlsxwriter import Workbook

    class TextWriter(CategoryWorkbookWriter):
        @contextmanager
        def _open_worksheet(self, xlsx_file):
            book = Workbook(xlsx_file, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
            sheet = book.add_worksheet()
            quoted = {}

            def text(worksheet, row, col, token, cell_format=None):
                if not _quoted(token):
                    return None  # XlsxWriter's own handling: a string cell (or a blank for "")
                key = None if cell_format is None else cell_format.num_format
                if key not in quoted:
                    quoted[key] = book.add_format({"quote_prefix": True} if key is None else
                                                  {"num_format": key, "quote_prefix": True})
                return worksheet.write_string(row, col, token, quoted[key])

            sheet.add_write_handler(str, text)
            yield book, sheet
            book.close()

    return TextWriter(data).xlsx_blob  # python-pptx's own writer for category charts, with these options


def _reproducible(data: bytes, stamp: dt.datetime) -> bytes:
    """openpyxl's zip made reproducible (fixed entry times and order, core dates), fonts in Excel's order."""
    def fix(parts: dict[str, bytes]) -> None:
        if "xl/styles.xml" in parts:
            parts["xl/styles.xml"] = _font_order(parts["xl/styles.xml"])

    return repack(data, stamp, fix)


# The order Excel writes a font's properties in (and the Open XML SDK's schema, which openxml-audit
# applies, expects); openpyxl writes name and family first.
_FONT_ORDER = {name.encode(): rank for rank, name in enumerate(
    ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name", "family",
     "charset", "scheme"))}


def _font_order(styles: bytes) -> bytes:
    def reorder(match: re.Match) -> bytes:
        children = re.findall(rb"<(\w+)\b[^>]*/>", match.group(2))
        elements = re.findall(rb"<\w+\b[^>]*/>", match.group(2))
        if b"".join(elements) != match.group(2):  # not only empty elements: leave as written
            return match.group(0)
        ranked = sorted(zip(children, elements), key=lambda pair: _FONT_ORDER.get(pair[0], len(_FONT_ORDER)))
        return match.group(1) + b"".join(element for _, element in ranked) + match.group(3)

    return re.sub(rb"(<font>)(.*?)(</font>)", reorder, styles, flags=re.S)


def made_here(path) -> bool:
    """Whether the workbook at `path` was written by this tool (its creator property says so), and
    so may be replaced by a new one."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as book:
            core = book.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError):
        return False
    return re.search(rb"<dc:creator\b[^>]*>aftersales</dc:creator>", core) is not None
