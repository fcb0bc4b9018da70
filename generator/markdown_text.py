"""Turning profile values into Markdown text that is shown literally, never interpreted.

Every `{{ value }}` in a document template passes through `literal()`: HTML is escaped, Markdown
punctuation is backslash-escaped (CommonMark and Python-Markdown both honour these escapes), and
line breaks are folded, so a company called `**x** <script>` prints exactly that in DOCX and site.
Text that templates build on purpose as Markdown is wrapped in `Markdown` to pass unchanged.
"""
from __future__ import annotations

import datetime as dt
import html
import re

# Characters escaped everywhere, and the ones that only matter at the start of a line.
_INLINE = re.compile(r"([\\`*_\[\]{}#|!])")
_LEADING = re.compile(r"^(\s*)([-+=>~]|\d+[.)])")
_BREAK = re.compile("\\s*[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]\\s*")  # every line terminator a reader honours


class Markdown(str):
    """Markdown produced by our own code or templates: inserted as is."""


def number(value: float | int) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def hours(value: float) -> str:
    """A time limit in hours as a reader says it: "2 小时", "30 分钟"."""
    if value < 1:
        return f"{number(round(value * 60, 1))} 分钟"
    return f"{number(value)} 小时"


def date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def literal(value: object) -> str:
    """The Markdown that displays `value` as plain text."""
    if isinstance(value, Markdown):
        return value
    if value is None:
        raise ValueError("模板输出了空值 None：请在模板中处理该可选字段")
    if isinstance(value, (bool, int, float)):
        return number(value)
    if isinstance(value, dt.date):
        return date(value)
    text = _BREAK.sub(" ", str(value))
    text = html.escape(text, quote=False)
    text = _INLINE.sub(r"\\\1", text)
    return _LEADING.sub(lambda m: m.group(1) + _escape_lead(m.group(2)), text)


def _escape_lead(lead: str) -> str:
    # "1." -> "1\.", "-" -> "\-"
    if lead[0].isdigit():
        return lead[:-1] + "\\" + lead[-1]
    return "\\" + lead
