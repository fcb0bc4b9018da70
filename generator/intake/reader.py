"""A profile read from an intake workbook: the answers as the data a YAML profile holds, and the cell
of every value, so that each problem is located as `client.xlsx!网点清单!C14`.

The sheets are found by their names and the answers by the keys in a form's first column and the
headers of a table, so a workbook whose rows or columns were moved still reads; an answer that
would be lost (under a header or key that is not ours) is told. A cell that cannot be what its
field takes (a date that does not exist, a year typed into a date cell, an unknown choice, 是/否
misspelt, a formula never calculated, an error value) is a problem found here, in the workbook's
words; the rest (a number out of range, a missing answer) is the profile's own validation, located
through `at`. A formula is read as the value its cell shows (Excel, WPS and LibreOffice save it).
"""
from __future__ import annotations

import difflib
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem, ProfileError, display
from generator.inputs.inputfile import read_input
from generator.inputs.yamlload import format_path
from generator.intake.cells import ErrorValue, Formula, answer, blank, letter, put, sheet_reference
from generator.intake.layout import LINES, Form, Group, Leaf, Table, dotted, sheets, value_at

MAX_BYTES = 32 * 1024 * 1024  # a workbook of 10,000 outlets is about 1 MB
MAX_UNPACKED = 160 * 1024 * 1024  # what its parts may unpack to (10,000 outlets: about 6 MB): more is a zip bomb, not a questionnaire
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")  # a cell's <f> in a sheet's XML


@dataclass
class Sheets:
    """A profile's data read from a workbook, with the cell of every value (see yamlload.Loaded)."""

    file: str
    data: dict
    places: dict[tuple, str] = field(default_factory=dict)  # key path -> "Sheet!C14"
    keys: dict[tuple, str] = field(default_factory=dict)  # a mapping entry's path -> its key's cell
    labels: dict[tuple, str] = field(default_factory=dict)  # an answer's path -> its item or column as shown
    problems: list[Problem] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)

    def at(self, path: tuple, *, key: bool = False) -> dict:
        """Where the value at `path` is: its cell, or the nearest cell above it (a group's row, a
        list's header, a sheet's title)."""
        path = tuple(path)
        if key and path in self.keys:
            return {"file": self.file, "cell": self.keys[path]}
        while path and path not in self.places:
            path = path[:-1]
        return {"file": self.file, "cell": self.places.get(path, "填写说明!A1")}

    def label(self, path: tuple) -> str | None:
        """The name the workbook gives the answer at `path` (its row's item, its column's header)."""
        return self.labels.get(tuple(path))

    def problem(self, message: str, path: tuple, cell: str, hint: str = "", *, covers: bool = True) -> None:
        """A problem at `cell` with the value at `path`; it `covers` what validation would say of the
        values there (they are not the user's), unless the values there were read as they are."""
        self.problems.append(Problem(message, self.file, key_path=format_path(path), hint=hint,
                                     path=path if covers else (), cell=cell))


def load_workbook_file(path: str | Path) -> Sheets:
    """The profile in the intake workbook at `path`; an unreadable file is a ProfileError."""
    name = str(path)
    raw = read_input(path, ProfileError, MAX_BYTES)
    book, formulas = _open(raw, name)
    read = Sheets(name, {})
    titles = {ws.title.strip(): ws for ws in book.worksheets}
    ours = {sheet.title for sheet in sheets()}
    if not ours & set(titles):
        raise ProfileError(f"{display(name)} 不是企业信息采集表", [Problem(
            f"其中没有“{sheets()[0].title}”“网点清单”等工作表；空白的采集表可用 `aftersales intake -o 采集表.xlsx` 写出",
            name)])
    others = [title for title in titles if title not in ours]
    for sheet in sheets():
        ws = titles.get(sheet.title)
        if ws is None:
            read.places[sheet.path] = "填写说明!A1"
            renamed = difflib.get_close_matches(sheet.title, others, n=1, cutoff=0.5)
            hint = (f"工作表“{renamed[0]}”是不是它？请改回原名“{sheet.title}”" if renamed else
                    "请用 `aftersales intake -o 新文件.xlsx` 写出新的采集表，把答案复制过去")
            read.problem(f"缺少工作表“{sheet.title}”", sheet.path, "填写说明!A1", hint)
            continue
        grid = _Grid(ws, formulas.get(ws.title, {}))
        if isinstance(sheet, Form):
            _read_form(grid, sheet, read)
        else:
            _read_table(grid, sheet, read)
    return read


def _open(raw: bytes, name: str):
    """The workbook (cached values, as its cells show them) and, where a sheet has formulas, each
    sheet's formula cells by (row, column): a formula that was never calculated has no value to read."""
    hint = "请给出 `aftersales intake` 写出的 .xlsx 工作簿（Excel、WPS 或 LibreOffice 中“另存为 Excel 工作簿 (.xlsx)”）"
    if raw.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: an .xls, or a workbook encrypted with a password
        if "EncryptedPackage".encode("utf-16-le") in raw:
            raise ProfileError(f"{display(name)} 加了打开密码，无法读取", [Problem(
                "请在 Excel 或 WPS 中取消打开密码（“文件 → 信息 → 保护工作簿 → 用密码进行加密”清空密码）后保存，再重试",
                name)])
        raise ProfileError(f"{display(name)} 是旧版 Excel（.xls）文件或加了密码的工作簿，无法读取", [Problem(
            "请取消工作簿的打开密码，另存为 Excel 工作簿（.xlsx）后重试", name)])
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise ProfileError(f"{display(name)} 解压后过大，不像企业信息采集表", [Problem(hint, name)])
            if "xl/workbook.xml" not in archive.namelist():
                raise ProfileError(f"{display(name)} 不是 Excel 工作簿", [Problem(hint, name)])
            with_formulas = {info.filename for info in archive.infolist() if info.filename.startswith("xl/worksheets/")
                             and info.filename.endswith(".xml") and _FORMULA.search(archive.read(info))}
        from openpyxl import load_workbook

        with warnings.catch_warnings():  # openpyxl warns of features it does not read (extensions, slicers)
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(raw), data_only=True)
            found = _formulas(raw, with_formulas) if with_formulas else {}
    except ProfileError:
        raise
    except zipfile.BadZipFile:
        raise ProfileError(f"{display(name)} 不是有效的 Excel 工作簿（文件已损坏或不完整）", [Problem(hint, name)]) from None
    except Exception as exc:  # a damaged zip or XML: openpyxl raises many kinds
        raise ProfileError(f"{display(name)} 不是有效的 Excel 工作簿（{type(exc).__name__}）", [Problem(hint, name)]) from None
    return book, found


def _formulas(raw: bytes, parts: set[str]) -> dict[str, dict[tuple[int, int], str]]:
    """The formula of each cell that has one, by sheet and (row, column), read from the parts that
    have formulas: streamed, and only the cells the part holds (openpyxl's read-only rows are as wide
    as the sheet's widest, 16,384 cells each where a far column was typed)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)  # only to know each sheet's part
    titles = {str(getattr(ws, "_worksheet_path", "")).lstrip("/"): ws.title for ws in book.worksheets}
    book.close()
    found: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for part in parts & set(titles):
            found[titles[part]] = _formula_cells(archive.read(part))
    return found


def _formula_cells(xml: bytes) -> dict[tuple[int, int], str]:
    from lxml import etree
    from openpyxl.utils.cell import coordinate_to_tuple

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    found: dict[tuple[int, int], str] = {}
    shared: dict[str, str] = {}  # a shared formula's text, given once in its first cell
    for _, element in etree.iterparse(io.BytesIO(xml), events=("end",), resolve_entities=False, no_network=True,
                                      huge_tree=True):
        if element.tag == f"{main}c":
            formula = element.find(f"{main}f")
            ref = element.get("r")
            if formula is not None and ref:
                text = formula.text or shared.get(formula.get("si", ""), "")
                if formula.get("si") is not None and formula.text:
                    shared[formula.get("si")] = formula.text
                try:
                    found[coordinate_to_tuple(ref)] = "=" + text
                except ValueError:
                    pass  # no cell reference: openpyxl did not read it as a cell either
        elif element.tag == f"{main}row":
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    return found


class _Grid:
    """A sheet's cells that hold something, by (row, column): read from the cells the file has (a
    value typed in row 1,048,576 costs nothing), each as its answer: the value it shows, or a formula
    without one, or an error value."""

    def __init__(self, ws, formulas: dict[tuple[int, int], str]):
        self.title = sheet_reference(ws.title)
        self.values: dict[tuple[int, int], object] = {}
        for place, cell in ws._cells.items():  # openpyxl keeps no other index of the cells it read
            value = cell.value
            if cell.data_type == "e" and value is not None:
                value = ErrorValue(str(value), formulas.get(place, ""))
            elif value is None and place in formulas:
                value = Formula(formulas[place])
            elif isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
                value = round(value * 100, 10)  # 92% typed is 0.92 in the file: read as it shows, 92 (the profile's %)
            if not blank(value):
                self.values[place] = value

    def get(self, row: int, column: int):
        return self.values.get((row, column))

    def rows(self, first: int = 1) -> list[int]:
        return sorted({row for row, _ in self.values if row >= first})

    def columns(self, row: int) -> list[int]:
        return sorted(column for r, column in self.values if r == row)

    def where(self, row: int, column: int) -> str:
        return f"{self.title}!{letter(column)}{row}"


# --- a section's form -------------------------------------------------------------------------
def _read_form(grid: _Grid, sheet: Form, read: Sheets) -> None:
    read.places[sheet.path] = f"{grid.title}!A1"
    rows = {item.path: item for item in sheet.rows}
    seen: dict[tuple, int] = {}
    for row in grid.rows():
        key = grid.get(row, 1)
        if not isinstance(key, str):
            continue
        path = tuple(key.strip().split("."))
        answered = not blank(grid.get(row, 3))
        if path not in rows:
            if answered and row > 3 and key.strip() != "键":  # an answer whose key was changed: it would be lost
                read.problem(f"第 {row} 行的键“{key.strip()[:40]}”不是本表的项目，这一行的答案没有读取",
                             sheet.path, grid.where(row, 1),
                             "请不要修改 A 列的键；可用 `aftersales intake` 写出新的采集表对照", covers=False)
            continue
        if path in seen:
            if answered:
                read.problem(f"{dotted(path)} 出现了两次（第 {seen[path]} 行和第 {row} 行），第 {row} 行的答案没有读取",
                             path, grid.where(row, 3), "请删除重复的一行，把答案写在一处", covers=False)
            continue
        seen[path] = row
        item = rows[path]
        if isinstance(item, Group):
            read.places[path] = grid.where(row, 2)
            continue
        cell = grid.where(row, 3)
        read.places[path] = cell
        read.labels[path] = item.label
        value = answer(grid.get(row, 3), item, path, cell, read)
        if value is not None:
            put(read.data, path, value)
    groups = [item for item in sheet.rows if isinstance(item, Group)]
    for group in groups:  # a whole section left out where it may be: not there at all
        if value_at(read.data, group.path) is None and group.required:
            put(read.data, group.path, {})
    if value_at(read.data, sheet.path) is None:
        put(read.data, sheet.path, {})


# --- a list's table ---------------------------------------------------------------------------
def _read_table(grid: _Grid, sheet: Table, read: Sheets) -> None:
    title = grid.title
    leaves = ([sheet.key] if sheet.key else []) + list(sheet.columns)
    labels = {leaf.label: leaf for leaf in leaves}
    header_row, columns = _header(grid, labels)
    read.places[sheet.path] = f"{title}!A{header_row or 1}"
    if header_row is None:
        read.problem(f"工作表“{_shown_title(grid)}”中找不到表头（{'、'.join(labels)}）", sheet.path, f"{title}!A1",
                     "请不要修改表头；可用 `aftersales intake -o 新文件.xlsx` 写出新的采集表")
        return
    rows = [row for row in grid.rows(header_row + 1)]
    for column in grid.columns(header_row):  # a header not ours over answers: they would be lost
        text = grid.get(header_row, column)
        if column in columns or (isinstance(text, str) and _label(text) == sheet.named):
            continue
        if any(not blank(grid.get(row, column)) for row in rows):
            read.problem(f"“{_said(text)[:40]}”列不是本表的列，这一列的答案没有读取",
                         sheet.path, grid.where(header_row, column),
                         "本表的列为：" + "、".join(labels) + "；请不要改写表头，不用的列请清空", covers=False)
    missing = [label for label, leaf in labels.items() if leaf not in columns.values() and leaf.required]
    for label in missing:
        read.problem(f"缺少“{label}”列", sheet.path, f"{title}!A{header_row}", "请不要删除或改写表头")
    if sheet.key and sheet.key.label in missing:
        return  # no row can be told from another
    key_column = next((c for c, leaf in columns.items() if leaf is sheet.key), None)
    items: list | dict = {} if sheet.key else []
    for row in rows:
        cells = {column: grid.get(row, column) for column in columns}
        if all(blank(v) for column, v in cells.items() if column != key_column):
            continue  # an empty row, or a listed clause not answered
        item: dict = {}
        index: object = len(items)
        if sheet.key:
            where = grid.where(row, key_column)
            key = answer(cells[key_column], sheet.key, sheet.path, where, read)
            if blank(key):
                read.problem(f"第 {row} 行没有填写{sheet.key.label}", sheet.path, where,
                             f"请在“{sheet.key.label}”列写明，或清空这一行", covers=False)
                continue
            index = str(key)
            if index in items:
                read.problem(f"{sheet.key.label} {index} 重复", (*sheet.path, index), where,
                             f"第 {row} 行与前面的一行写的是同一个{sheet.key.label}；请合并为一行", covers=False)
                continue
            read.keys[(*sheet.path, index)] = where
        base = (*sheet.path, index)
        read.places[base] = f"{title}!A{row}"
        for group in sheet.groups:
            read.places[(*base, *group.path)] = f"{title}!A{row}"
        for column, leaf in columns.items():
            if leaf is sheet.key:
                continue
            cell = grid.where(row, column)
            path = (*base, *leaf.path)
            read.places[path] = cell
            read.labels[path] = leaf.label
            value = answer(cells[column], leaf, path, cell, read)
            if value is None:
                continue
            if leaf.path:
                put(item, leaf.path, value)
            else:
                item = value  # a mapping to plain values (region_service, exclusions)
        if isinstance(items, dict):
            items[index] = item
        else:
            items.append(item)
    if items or sheet.required:
        put(read.data, sheet.path, items)


def _header(grid: _Grid, labels: dict[str, Leaf]) -> tuple[int | None, dict[int, Leaf]]:
    """The header's row and the column of each field in it: the first of the top rows that names a field."""
    for row in grid.rows():
        if row > 12:
            break
        found: dict[int, Leaf] = {}
        for column in grid.columns(row):
            text = grid.get(row, column)
            if isinstance(text, str) and _label(text) in labels:
                leaf = labels[_label(text)]
                if leaf not in found.values():
                    found[column] = leaf
        if found:
            return row, found
    return None, {}


def _label(text: str) -> str:
    return text.strip().rstrip("*＊").strip()


def _said(value) -> str:
    """A header's text as a message quotes it."""
    if isinstance(value, (Formula, ErrorValue)):
        return value.text
    return _label(value) if isinstance(value, str) else str(value)


def _shown_title(grid: _Grid) -> str:
    title = grid.title
    return title[1:-1].replace("''", "'") if title.startswith("'") else title



__all__ = ["LINES", "Sheets", "load_workbook_file", "dotted"]
