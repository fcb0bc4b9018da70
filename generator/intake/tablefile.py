"""A list file's rows: the bytes of a CSV or an Excel workbook the company keeps, read within limits
(size, rows, unpacked size), decoded (UTF-8, GBK, UTF-16) and split (comma, tab, semicolon), or the
sheet that holds the list; each row numbered as a spreadsheet shows it. What cannot be read is
`refuse`d: the caller's Refused, located at the profile's key."""
from __future__ import annotations

import codecs
import csv
import io
import os
import stat
import warnings
import zipfile

from generator.errors import Problem, display, os_reason
from generator.inputs.inputfile import wide_encoding
from generator.intake.cells import ErrorValue, blank, sheet_reference
from generator.intake.reader import MAX_UNPACKED

MAX_BYTES = 32 * 1024 * 1024  # 100,000 outlets in a CSV are about 12 MB
MAX_ROWS = 100_000
HEADER_ROWS = 20  # the header is looked for in the first rows (a title and notes may stand above it)
DELIMITERS = (",", "\t", ";")


class Refused(Exception):
    """The list cannot be read at all: its problems, and the list is left out."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message)
        self.problems = problems


def file_bytes(name: str, refuse) -> bytes:
    hint = "路径相对于企业档案所在的文件夹，也可写绝对路径"
    try:
        if not stat.S_ISREG(os.stat(name).st_mode):  # a folder or a FIFO is not opened
            raise refuse(f"{display(name)} 不是普通文件", "请给出 .csv 或 .xlsx 文件的路径")
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise refuse(f"找不到文件 {display(name)}", hint) from None
    except OSError as exc:
        raise refuse(f"无法读取 {display(name)}：{os_reason(exc)}", "请检查文件的权限，或关闭正在编辑它的程序") from None
    if len(raw) > MAX_BYTES:
        raise refuse(f"{display(name)} 超过 {MAX_BYTES // 1024 // 1024} MB", f"一个清单至多 {MAX_ROWS:,} 行")
    if not raw.strip():
        raise refuse(f"{display(name)} 是空文件", "请检查是否给错了文件")
    return raw


def filled(rows, name: str, refuse, limit: int | None = None) -> list[tuple[int, tuple]]:
    """The rows that are not blank, with their numbers as a spreadsheet shows them; more than the
    cap is refused (blank rows do not count: a sheet formatted down to row 1,048,576 is not long)."""
    found = []
    for number, row in enumerate(rows, 1):
        if any(not blank(cell) for cell in row):
            found.append((number, tuple(row)))
            if limit is not None and len(found) >= limit:
                break
            if len(found) > MAX_ROWS + HEADER_ROWS:
                raise refuse(f"{display(name)} 超过 {MAX_ROWS:,} 行", "一个清单至多这么多行；请检查是否选错了文件或工作表")
    return found


def text_rows(raw: bytes, name: str, refuse) -> list[tuple[int, tuple]]:
    """A CSV's rows of texts (numbered as a spreadsheet shows them: a quoted cell may hold line breaks)."""
    text = decoded(raw, name, refuse)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    try:
        return filled(reader, name, refuse)
    except csv.Error as exc:
        raise refuse(f"{display(name)} 第 {reader.line_num} 行无法按 CSV 读取（{exc}）",
                     "请检查引号是否配对；或用 Excel、WPS 打开后重新另存为 CSV") from None


def decoded(raw: bytes, name: str, refuse) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and wide_encoding(raw) == "UTF-16":
        encoding = "utf-16"  # Excel's "Unicode 文本 (*.txt)"
    elif wide_encoding(raw):  # UTF-32, or UTF-16 without its byte order mark
        raise refuse(f"{display(name)} 是 {wide_encoding(raw)} 编码的文本", "请在 Excel、WPS 中另存为“CSV UTF-8（逗号分隔）”")
    elif b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise refuse(f"{display(name)} 第 {line} 行有空字符（NUL），不像文本文件",
                     "请确认给出的是 CSV 文件；可用 Excel、WPS 打开后另存为“CSV UTF-8（逗号分隔）”")
    else:
        encoding = "utf-8"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            line = raw[: exc.start].count(b"\n") + 1
            raise refuse(f"{display(name)} 第 {line} 行无法按 {encoding.upper().removesuffix('-SIG')} 解码",
                         "文件可能已损坏") from None
        first = exc
    try:
        return raw.decode("gb18030")  # GBK, as Excel and WPS on Chinese Windows save a CSV
    except UnicodeDecodeError:
        line = raw[: first.start].count(b"\n") + 1
        raise refuse(f"{display(name)} 既不是 UTF-8 也不是 GBK 编码（第 {line} 行无法解码）",
                     "请在 Excel、WPS 中另存为“CSV UTF-8（逗号分隔）”") from None


def delimiter(text: str) -> str:
    """The delimiter under which the first lines split into the most cells, as the same count on most
    lines (a header and its rows); a comma when nothing tells."""
    lines = [line for line in text[:65536].splitlines()[:HEADER_ROWS + 5] if line.strip()]
    best, score = ",", 0
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)] if lines else []
        common = max(set(widths), key=widths.count) if widths else 1
        found = (common - 1) * widths.count(common) if common > 1 else 0
        if found > score:
            best, score = delimiter, found
    return best


def workbook_rows(raw: bytes, name: str, wanted: str | None, finds, at: tuple,
                   refuse) -> tuple[list[tuple[int, tuple]], str]:
    """The sheet's rows that are not blank, and its name as a reference writes it: the sheet named,
    else the first whose top rows name a field of the list (a notes sheet may come first), else the first."""
    hint = "请用 Excel、WPS 或 LibreOffice 打开后另存为 Excel 工作簿（.xlsx）"
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise refuse(f"{display(name)} 解压后过大，不像一份清单", hint)
            if "xl/workbook.xml" not in archive.namelist():
                raise refuse(f"{display(name)} 不是 Excel 工作簿", hint)
        from openpyxl import load_workbook

        with warnings.catch_warnings():  # openpyxl warns of features it does not read (extensions, slicers)
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            try:
                every = book.worksheets
                if not every:
                    raise refuse(f"{display(name)} 中没有工作表", hint)
                for ws in every:
                    ws.reset_dimensions()  # some programs record a wrong size: read every row there is
                if wanted is not None:
                    ws = next((ws for ws in every if ws.title.strip() == wanted.strip()), None)
                    if ws is None:
                        raise refuse(f"{display(name)} 中没有工作表“{wanted}”",
                                     "工作表有：" + "、".join(ws.title for ws in every), (*at, "sheet"))
                else:
                    ws = next((ws for ws in every if finds(
                        filled(shown_rows(ws), name, refuse, HEADER_ROWS))), every[0])
                rows = filled(shown_rows(ws), name, refuse)
                title = ws.title
            finally:
                book.close()
    except Refused:
        raise
    except Exception as exc:  # a damaged zip or XML: openpyxl raises many kinds
        raise refuse(f"{display(name)} 不是有效的 Excel 工作簿（{type(exc).__name__}）", hint) from None
    return rows, sheet_reference(title)


def shown_rows(ws):
    """A read-only sheet's rows as their cells show them: an error value (#N/A of a lookup) as the
    intake reader's ErrorValue, which it tells as such, not as the text "#N/A"."""
    for row in ws.iter_rows():
        yield [ErrorValue(str(cell.value)) if cell.data_type == "e" and cell.value is not None else cell.value
               for cell in row]


