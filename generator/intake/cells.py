"""An answer cell as the profile's data: what a workbook's cell or a list file's cell holds (text,
number, date, 是/否, a choice's label, a formula never calculated, an error value), converted as the
field takes it, or kept as it is after a problem in the workbook's words (`read.problem(message,
path, cell, hint)`: the intake reader's `Sheets` or a list file's reader)."""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from generator.inputs.yamlload import one_line_break, refused_character
from generator.intake.layout import BOOL_LABELS, Leaf

_TRUE = {"是", "true", "yes", "y", "1", "对", "√"}
_FALSE = {"否", "false", "no", "n", "0", "不", "×"}
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0?0:00(?::00)?)?")


@dataclass(frozen=True)
class Formula:
    """A cell's formula that has no calculated value (written by a program, never opened in Excel)."""

    text: str


@dataclass(frozen=True)
class ErrorValue:
    """A cell that shows an error value (#VALUE!, #REF! …): a formula's, or a number a date cell cannot show."""

    text: str
    formula: str = ""


# --- cells ------------------------------------------------------------------------------------
_KIND_WORDS = {"int": "整数", "number": "数字", "date": "日期（如 2026-03-15）", "text": "文字"}


def answer(raw, leaf: Leaf, path: tuple, cell: str, read):
    """A cell's answer as the profile's data: None when blank; a value that cannot be what the field
    takes is kept as it is (validation sees it wrong) after a problem that says why."""
    if blank(raw):
        return None
    if isinstance(raw, str):  # a text as a YAML profile holds it: no control character, one kind of line break
        refused = refused_character(raw)
        if refused:
            read.problem(*refused[:1], path, cell, refused[1])
        raw = one_line_break(raw)
    if isinstance(raw, Formula):
        read.problem(f"单元格是公式 {_shown(raw.text)}，没有计算出的值", path, cell,
                     "请直接填写答案；要写以“=”开头的文字，请在前面加一个英文单引号（'）")
        return raw.text
    if isinstance(raw, ErrorValue):
        if raw.formula:
            read.problem(f"单元格中公式 {_shown(raw.formula)} 的结果是错误值 {raw.text}", path, cell, "请直接填写答案，不要用公式")
        elif leaf.kind == "date":
            read.problem(f"单元格显示错误值 {raw.text}，不是日期", path, cell,
                         "日期格式的单元格中填了超出日期范围的数字（如 20260315）时会这样；请写成 2026-03-15 的形式")
        else:
            read.problem(f"单元格显示错误值 {raw.text}", path, cell, "请直接填写答案")
        return raw.text
    if leaf.lines:
        parts = raw.split("\n") if isinstance(raw, str) else [raw]
        values = [_one(p.strip() if isinstance(p, str) else p, leaf, path, cell, read) for p in parts]
        return [v for v in values if not blank(v)]
    return _one(raw, leaf, path, cell, read)


def _one(raw, leaf: Leaf, path: tuple, cell: str, read):
    if blank(raw):
        return None
    kind = leaf.kind
    if isinstance(raw, dt.datetime) and kind == "text":
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.datetime) and kind in ("int", "number"):
        read.problem(f"应为{_KIND_WORDS[kind]}，实际为日期 {raw.date().isoformat()}", path, cell,
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
            if not math.isfinite(number) or "_" in text:
                return raw  # "nan", "inf", "1e999", "1_0": not a number a person writes
            raw = number
        if isinstance(raw, float) and raw.is_integer() and kind == "int":
            return int(raw)
        return raw
    if kind == "date":
        if isinstance(raw, dt.datetime):
            serial = _serial(raw)
            if serial == int(serial) and 1900 <= serial <= 2100:  # a year typed into a date cell: a day of 1905
                serial = int(serial)
                read.problem(f"应为日期（如 2026-03-15），单元格中是数字 {serial}", path, cell,
                             f"日期格式的单元格把数字 {serial} 显示为 {raw.date().isoformat()}；请写出年、月、日")
                return raw
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


def _serial(moment: dt.datetime) -> float:
    """The number Excel keeps for a date cell."""
    from openpyxl.utils.datetime import to_excel

    return to_excel(moment)


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:36] + "…"


def put(data: dict, path: tuple, value) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def sheet_reference(title: str) -> str:
    """A sheet's name as a cell reference writes it: quoted where it has spaces or punctuation."""
    return title if re.fullmatch(r"[\w]+", title) else "'" + title.replace("'", "''") + "'"
