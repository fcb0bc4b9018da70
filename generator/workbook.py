"""Excel workbooks (openpyxl) formatted alike and saved reproducibly, and the rule that keeps text
text in every spreadsheet the tool writes (XLSX, CSV, a chart's embedded workbook).

Text from a profile, a template or the standard is data, never a formula. A cell that starts like a
formula ("=", "+", "-", "@", tab, CR, NUL; also the full-width "＝＋－＠" a Chinese input method types,
which East Asian Excel may take for the half-width ones as it does full-width digits) is a string
cell with Excel's quotePrefix, so it shows exactly its text and editing it in Excel keeps it text.
In a CSV, which Excel evaluates as it opens it, such a cell gets a leading apostrophe (OWASP's CSV
injection advice). Our workbooks hold no formulas; one that ever needs a formula names its cells to `save`.

A workbook the user names (`score --xlsx FILE`) is sealed with a digest of its content, so that the
tool replaces it only while it is untouched (`ownership`): one the user has edited is the user's.
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


def save(book, issued: dt.date, formulas: Iterable = (), *, sealed: bool = False) -> bytes:
    """The workbook's bytes, dated `issued` and byte-identical for the same content. Every cell that
    holds a str is a string cell (never a formula or an error value) except the `formulas` cells.
    A `sealed` workbook records the digest of its content (`content_digest`), so that `ownership`
    can later tell it, untouched, from the same workbook edited."""
    as_text(book, formulas)
    stamp = dt.datetime.combine(issued, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.creator = "aftersales"
    data = _saved(book, stamp)
    if sealed:  # the digest of the content as it reads back from these bytes, not as it was built
        from openpyxl.packaging.custom import StringProperty

        digest = content_digest(_load(io.BytesIO(data)))
        book.custom_doc_props.append(StringProperty(name=DIGEST_PROPERTY, value=f"{DIGEST_VERSION}:{digest}"))
        data = _saved(book, stamp)
    return data


def _saved(book, stamp: dt.datetime) -> bytes:
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


# --- telling the tool's own untouched workbook from one the user has edited ---------------------
# Excel, WPS, LibreOffice and openpyxl keep the creator property when a user saves, so it says who
# wrote a workbook first, not whether it is still as written. A sealed workbook (save(sealed=True))
# also holds, in a custom document property, a digest of what a user edit changes and a plain save
# keeps: sheet names, order and visibility; every cell's value and kind (text, number, date, bool,
# formula, error); bold, italic, underline and strike-through; fill; comments; hyperlinks; merged
# cells; hidden rows and columns; defined names. Left out, because a save without edits may rewrite
# them (LibreOffice writes "yyyy-mm-dd" back as "yyyy\-mm\-dd", Excel rounds column widths) or
# because they are the view rather than the content: number formats, fonts' names and sizes,
# alignment, widths and heights, the selection, the scroll position, frozen panes and zoom. So opening
# and saving without edits leaves a workbook the tool's own, and it is replaced on the next run; any
# edit of a value (or of the formatting above) makes it the user's, and it is kept.
DIGEST_PROPERTY = "aftersales-content"
DIGEST_VERSION = "v1"  # what content_digest covers; a workbook sealed by another version is not confirmed
OURS, EDITED, UNCONFIRMED, FOREIGN = "ours", "edited", "unconfirmed", "foreign"
_MAX_UNPACKED = 64 << 20  # bytes: ours are tens of KB; a larger workbook is read no further


def ownership(path) -> str:
    """Whose the workbook at `path` is: OURS (written by this tool, sealed, and its content still
    as written: it may be replaced), EDITED (written by this tool, edited since), UNCONFIRMED
    (written by this tool, but whether it was edited cannot be told: written by a version that
    sealed no digest or a digest of another kind, or it cannot be read) or FOREIGN (not written by this tool)."""
    import warnings
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            core = package.read("docProps/core.xml")
            size = sum(info.file_size for info in package.infolist())
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, EOFError):
        return FOREIGN
    if re.search(rb"<dc:creator\b[^>]*>aftersales</dc:creator>", core) is None:
        return FOREIGN
    if size > _MAX_UNPACKED:
        return UNCONFIRMED
    try:
        with warnings.catch_warnings():  # openpyxl warns of parts it drops (an edited workbook's extensions)
            warnings.simplefilter("ignore")
            book = _load(path)
    except Exception:  # noqa: BLE001 - whatever openpyxl fails on, the workbook is not confirmed ours
        return UNCONFIRMED
    sealed = [p.value for p in book.custom_doc_props if p.name == DIGEST_PROPERTY and isinstance(p.value, str)]
    version, _, digest = (sealed[0] if len(sealed) == 1 else "").partition(":")
    if version != DIGEST_VERSION:
        return UNCONFIRMED
    return OURS if digest == content_digest(book) else EDITED


def made_here(path) -> bool:
    """Whether the workbook at `path` is this tool's own, untouched since it was written, and so may
    be replaced by a new one."""
    return ownership(path) == OURS


def _load(source):
    from openpyxl import load_workbook

    return load_workbook(source, keep_links=False)


def content_digest(book) -> str:
    """SHA-256 of what a user's edit of the workbook `book` (as openpyxl reads it) changes and a save
    without edits keeps (see the note above DIGEST_PROPERTY)."""
    import hashlib
    import json

    digest = hashlib.sha256()

    def put(*fields) -> None:
        digest.update(json.dumps(fields, ensure_ascii=False).encode("utf-8") + b"\n")

    put("names", sorted((name, str(defined.attr_text)) for name, defined in book.defined_names.items()))
    for sheet in book._sheets:  # worksheets and chart sheets, in order
        put("sheet", sheet.title, type(sheet).__name__, sheet.sheet_state)
        if not hasattr(sheet, "_cells"):
            continue
        put("merged", sorted(str(r) for r in sheet.merged_cells.ranges))
        put("hidden rows", sorted(n for n, d in sheet.row_dimensions.items() if d.hidden))
        put("hidden columns", sorted({n for d in sheet.column_dimensions.values() if d.hidden and d.min and d.max
                                      for n in range(d.min, d.max + 1)}))
        put("names", sorted((name, str(defined.attr_text)) for name, defined in sheet.defined_names.items()))
        for (row, column), cell in sorted(sheet._cells.items()):
            look = _look(cell)
            if cell.value in (None, "") and not any(look):
                continue  # an empty cell, however written, is no content
            put(row, column, *_value(cell), *look)
    return digest.hexdigest()


def _value(cell) -> tuple:
    """A cell's kind and value, written alike by every writer that keeps it: a number to 15
    significant digits (Excel's precision), a date or time in ISO form."""
    value = cell.value
    if value in (None, ""):
        return ("", "")
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("n", format(float(value), ".15g"))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return ("d", value.isoformat())
    if isinstance(value, dt.timedelta):
        return ("t", value.total_seconds())
    return (cell.data_type, str(value))  # text, a formula's text ("f"), an error value ("e")


def _look(cell) -> tuple:
    """What a user changes in a cell's look (and a save keeps): emphasis, fill, comment, hyperlink."""
    font, fill = cell.font, cell.fill  # style proxies: told apart by their tag
    if fill.tagname == "patternFill":
        shade = (fill.patternType, _colour(fill.fgColor), _colour(fill.bgColor)) if fill.patternType else None
    else:  # a gradient
        shade = (fill.type, fill.degree, [(stop.position, _colour(stop.color)) for stop in fill.stop])
    link = cell.hyperlink
    return (bool(font.b), bool(font.i), font.u or None, bool(font.strike), shade,
            cell.comment.text if cell.comment else None,
            (link.target, link.location) if link else None)


def _colour(colour) -> tuple | None:
    return None if colour is None else (colour.type, str(colour.value), colour.tint or 0)
