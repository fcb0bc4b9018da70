"""A profile read from an intake workbook: the answers as the data a YAML profile holds, and the cell
of every value, so that each problem is located as `client.xlsx!网点清单!C14`.

The sheets are found by their names and the answers by the keys in a form's first column and the
headers of a table, so a workbook whose rows or columns were moved still reads. A cell that cannot
be what its field takes (a date that does not exist, an unknown choice, 是/否 misspelt) is a problem
found here, in the workbook's words; the rest (a number out of range, a missing answer) is the
profile's own validation, located through `at`.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem, ProfileError, display
from generator.inputs.inputfile import read_input
from generator.intake.layout import BOOL_LABELS, LINES, Form, Group, Leaf, Table, dotted, sheets

MAX_BYTES = 32 * 1024 * 1024  # a workbook of 10,000 outlets is about 1 MB
MAX_UNPACKED = 512 * 1024 * 1024  # what its parts may unpack to: more is a zip bomb, not a questionnaire
_TRUE = {"是", "true", "yes", "y", "1", "对", "√"}
_FALSE = {"否", "false", "no", "n", "0", "不", "×"}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


@dataclass
class Sheets:
    """A profile's data read from a workbook, with the cell of every value (see yamlload.Loaded)."""

    file: str
    data: dict
    places: dict[tuple, str] = field(default_factory=dict)  # key path -> "Sheet!C14"
    keys: dict[tuple, str] = field(default_factory=dict)  # a mapping entry's path -> its key's cell
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

    def problem(self, message: str, path: tuple, cell: str, hint: str = "") -> None:
        self.problems.append(Problem(message, self.file, key_path=_key_path(path), hint=hint, path=path, cell=cell))


def load_workbook_file(path: str | Path) -> Sheets:
    """The profile in the intake workbook at `path`; an unreadable file is a ProfileError."""
    name = str(path)
    raw = read_input(path, ProfileError, MAX_BYTES)
    book = _open(raw, name)
    read = Sheets(name, {})
    titles = {ws.title.strip(): ws for ws in book.worksheets}
    for sheet in sheets():
        ws = titles.get(sheet.title)
        if ws is None:
            read.places[sheet.path] = "填写说明!A1"
            read.problem(f"缺少工作表“{sheet.title}”", sheet.path, "填写说明!A1",
                         "请用 `aftersales intake -o 新文件.xlsx` 写出新的采集表，把答案复制过去")
            continue
        if isinstance(sheet, Form):
            _read_form(ws, sheet, read)
        else:
            _read_table(ws, sheet, read)
    return read


def _open(raw: bytes, name: str):
    hint = "请给出 `aftersales intake` 写出的 .xlsx 工作簿（Excel、WPS 或 LibreOffice 中“另存为 Excel 工作簿 (.xlsx)”）"
    if raw.startswith(b"\xd0\xcf\x11\xe0"):  # an OLE file: an .xls, or a workbook encrypted with a password
        raise ProfileError(f"{display(name)} 是旧版 Excel（.xls）文件或加了密码的工作簿，无法读取", [Problem(
            "请取消工作簿的打开密码，另存为 Excel 工作簿（.xlsx）后重试", name)])
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise ProfileError(f"{display(name)} 解压后过大，不像企业信息采集表", [Problem(hint, name)])
            if "xl/workbook.xml" not in archive.namelist():
                raise ProfileError(f"{display(name)} 不是 Excel 工作簿", [Problem(hint, name)])
        from openpyxl import load_workbook

        with warnings.catch_warnings():  # openpyxl warns of features it does not read (extensions, slicers)
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(raw), data_only=True)
    except ProfileError:
        raise
    except Exception as exc:  # a damaged zip or XML: openpyxl raises many kinds
        raise ProfileError(f"{display(name)} 不是有效的 Excel 工作簿（{type(exc).__name__}）", [Problem(hint, name)]) from None


# --- a section's form -------------------------------------------------------------------------
def _read_form(ws, sheet: Form, read: Sheets) -> None:
    read.places[sheet.path] = f"{_quoted(ws.title)}!A1"
    rows = {item.path: item for item in sheet.rows}
    seen: dict[tuple, int] = {}
    for row in range(1, ws.max_row + 1):
        key = ws.cell(row, 1).value
        if not isinstance(key, str):
            continue
        path = tuple(key.strip().split("."))
        if path not in rows or path in seen:
            continue
        seen[path] = row
        item = rows[path]
        if isinstance(item, Group):
            read.places[path] = f"{_quoted(ws.title)}!B{row}"
            continue
        cell = f"{_quoted(ws.title)}!C{row}"
        read.places[path] = cell
        value = _value(ws.cell(row, 3).value, item, path, cell, read)
        if value is not None:
            _put(read.data, path, value)
    groups = [item for item in sheet.rows if isinstance(item, Group)]
    for group in groups:  # a whole section left out where it may be: not there at all
        if _get(read.data, group.path) is None and group.required:
            _put(read.data, group.path, {})
    if _get(read.data, sheet.path) is None:
        _put(read.data, sheet.path, {})


# --- a list's table ---------------------------------------------------------------------------
def _read_table(ws, sheet: Table, read: Sheets) -> None:
    title = _quoted(ws.title)
    leaves = ([sheet.key] if sheet.key else []) + list(sheet.columns)
    labels = {leaf.label: leaf for leaf in leaves}
    header_row, columns = _header(ws, labels, sheet.named)
    read.places[sheet.path] = f"{title}!A{header_row or 1}"
    if header_row is None:
        read.problem(f"工作表“{ws.title}”中找不到表头（{'、'.join(labels)}）", sheet.path, f"{title}!A1",
                     "请不要修改表头；可用 `aftersales intake -o 新文件.xlsx` 写出新的采集表")
        return
    for label, leaf in labels.items():
        if leaf not in columns.values() and leaf.required:
            read.problem(f"缺少“{label}”列", sheet.path, f"{title}!A{header_row}", "请不要删除或改写表头")
    items: list | dict = {} if sheet.key else []
    for row in range(header_row + 1, ws.max_row + 1):
        cells = {column: ws.cell(row, column).value for column in columns}
        if all(_blank(v) for column, v in cells.items() if columns[column] is not sheet.key):
            continue  # an empty row, or a listed clause not answered
        item: dict = {}
        index: object = len(items)
        if sheet.key:
            key_column = next((c for c, leaf in columns.items() if leaf is sheet.key), None)
            key = cells.get(key_column)
            key = _value(key, sheet.key, (*sheet.path,), f"{title}!{_letter(key_column or 1)}{row}", read)
            if _blank(key):
                read.problem(f"第 {row} 行没有填写{sheet.key.label}", sheet.path, f"{title}!A{row}",
                             f"请在“{sheet.key.label}”列写明，或清空这一行")
                continue
            index = str(key)
            if index in items:
                read.problem(f"{sheet.key.label} {index} 重复", (*sheet.path, index), f"{title}!A{row}",
                             f"第 {row} 行与前面的一行写的是同一个{sheet.key.label}；请合并为一行")
                continue
            read.keys[(*sheet.path, index)] = f"{title}!{_letter(key_column)}{row}"
        base = (*sheet.path, index)
        read.places[base] = f"{title}!A{row}"
        for group in sheet.groups:
            read.places[(*base, *group.path)] = f"{title}!A{row}"
        for column, leaf in columns.items():
            if leaf is sheet.key:
                continue
            cell = f"{title}!{_letter(column)}{row}"
            path = (*base, *leaf.path)
            read.places[path] = cell
            value = _value(cells[column], leaf, path, cell, read)
            if value is None:
                continue
            if leaf.path:
                _put(item, leaf.path, value)
            else:
                item = value  # a mapping to plain values (region_service, exclusions)
        if isinstance(items, dict):
            items[index] = item
        else:
            items.append(item)
    if items or sheet.required:
        _put(read.data, sheet.path, items)


def _header(ws, labels: dict[str, Leaf], named: str) -> tuple[int | None, dict[int, Leaf]]:
    """The header's row and the column of each field in it: the first of the top rows that names a field."""
    for row in range(1, min(ws.max_row, 12) + 1):
        found: dict[int, Leaf] = {}
        for column in range(1, ws.max_column + 1):
            text = ws.cell(row, column).value
            if isinstance(text, str) and text.strip().rstrip("*＊").strip() in labels:
                leaf = labels[text.strip().rstrip("*＊").strip()]
                if leaf not in found.values():
                    found[column] = leaf
        if found:
            return row, found
    return None, {}


# --- cells ------------------------------------------------------------------------------------
_KIND_WORDS = {"int": "整数", "number": "数字", "date": "日期（如 2026-03-15）", "text": "文字"}


def _value(raw, leaf: Leaf, path: tuple, cell: str, read: Sheets):
    """A cell's answer as the profile's data: None when blank; a value that cannot be what the field
    takes is kept as it is (validation sees it wrong) after a problem that says why."""
    if _blank(raw):
        return None
    if leaf.lines:
        parts = raw.split("\n") if isinstance(raw, str) else [raw]
        values = [_one(p.strip() if isinstance(p, str) else p, leaf, path, cell, read) for p in parts]
        return [v for v in values if not _blank(v)]
    return _one(raw, leaf, path, cell, read)


def _one(raw, leaf: Leaf, path: tuple, cell: str, read: Sheets):
    if _blank(raw):
        return None
    kind = leaf.kind
    if isinstance(raw, dt.datetime) and kind != "date":
        if kind == "text":
            return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
        read.problem(f"应为{_KIND_WORDS.get(kind, '文字')}，实际为日期 {raw.date().isoformat()}", path, cell,
                     "请把单元格格式改为“常规”后重新填写")
        return raw
    if kind == "text":
        if isinstance(raw, bool):
            return "TRUE" if raw else "FALSE"
        if isinstance(raw, float) and raw.is_integer():
            return str(int(raw))
        return raw if isinstance(raw, str) else str(raw)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        read.problem(f"应为“{BOOL_LABELS[0]}”或“{BOOL_LABELS[1]}”", path, cell, f"实际为 {_shown(raw)}")
        return raw
    if kind == "choice":
        text = str(raw).strip()
        for option, label in zip(leaf.options, leaf.labels):
            if text in (option, label):
                return option
        read.problem("应为以下之一：" + "、".join(leaf.labels), path, cell, f"实际为 {_shown(raw)}；请从下拉列表中选择")
        return raw
    if kind in ("int", "number"):
        if isinstance(raw, str):
            text = raw.strip().replace(",", "").replace("，", "")
            try:
                number = float(text)
            except ValueError:
                return raw  # validation: "应为整数（实际为 '十二'）"
            raw = number
        if isinstance(raw, float) and raw.is_integer() and kind == "int":
            return int(raw)
        return raw
    if kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        text = str(raw).strip()
        match = _DATE.fullmatch(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                read.problem(f"日期不存在：{text}", path, cell, "请核对年、月、日（如 2 月没有 30 日）")
                return raw
        read.problem("应为日期（如 2026-03-15）", path, cell, f"实际为 {_shown(raw)}")
        return raw
    return raw


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:36] + "…"


def _put(data: dict, path: tuple, value) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def _get(data, path: tuple):
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _quoted(title: str) -> str:
    """A sheet's name as a cell reference writes it: quoted where it has spaces or punctuation."""
    return title if re.fullmatch(r"[\w]+", title) else "'" + title.replace("'", "''") + "'"


def _key_path(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


__all__ = ["LINES", "Sheets", "load_workbook_file", "dotted"]
