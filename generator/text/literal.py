"""Turning profile values into Markdown text that is shown literally, never interpreted.

The same Markdown is read by two renderers: markdown-it-py (CommonMark, for the DOCX) and
Python-Markdown (the site, with the extensions of the generated mkdocs.yml), and each escape used
here is one both read as the character it stands for. CommonMark honours a backslash before any
ASCII punctuation, Python-Markdown only before a few; any other character that must not be read as
syntax is written as an HTML character reference (`&lt;`, `&#61;`), which both decode.

Every `{{ value }}` in a document template passes through `literal()`: HTML is escaped, Markdown
punctuation is escaped, and line breaks are folded, so a company called `**x** <script>` prints
exactly that in DOCX and site. Text that templates build on purpose as Markdown is wrapped in
`Markdown` to pass unchanged. A user's own Markdown (the profile's `customisation`) goes through
`user_markdown()` (text/user_markdown.py): its formatting works, and everything else in it is shown
as typed.

The site's safety hook (`html_safety`) removes a URL attribute with a scheme it does not allow
wherever it appears in a page, in the text too; so in text an `=` after such an attribute's name is
written `&#61;`, and `href="javascript:x"` typed by a user is shown, not silently cut.
"""
from __future__ import annotations

import datetime as dt
import html
import math
import re

from generator.text.html_safety import URL_ATTRIBUTES
from generator.text.html_text import reference

# Characters escaped everywhere, and the ones that only matter at the start of a line.
_INLINE = re.compile(r"([\\`*_\[\]{}#|!])")
_LEADING = re.compile(r"^(\s*)([-+>]|\d+[.)])")
_SETEXT = re.compile(r"\s*=+\s*")  # a line of only "=" underlines the line before it as a heading
_TILDE_FENCE = re.compile(r"^(\s*)~(?=~~)")  # "~~~" opens a code block
_INDENT = re.compile(r"^[ \t]+")  # four columns of it open a code block
_ATTRIBUTE_EQUALS = re.compile(rf"(?i)((?:{'|'.join(map(re.escape, URL_ATTRIBUTES))})\s*)=")
# Text none of the escapes below touches: no line break, nothing html.escape, _INLINE, the attribute's
# "=" or the fence's "~" act on (the start of the text is tested on its own).
_UNTOUCHED = re.compile("[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029&<>\\\\`*_\\[\\]{}#|!=~]*")
_BREAK = re.compile("\\s*[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]\\s*")  # every line terminator a reader honours


class Markdown(str):
    """Markdown produced by our own code or templates: inserted as is."""


class Duration(float):
    """A time limit of the profile (hours or days): shown rounded up, so that no document promises a
    shorter time than the profile does (0.0001 hours is "1 分钟", never "0 分钟")."""


def _up(value: float, places: int) -> float:
    """`value` rounded up to `places` decimals (the product's float noise first rounded away: 0.1 × 60
    is 6.000000000000001, which is 6 minutes)."""
    scale = 10 ** places
    steps = math.ceil(round(value * scale, 6))
    return (steps if steps or value <= 0 else 1) / scale


def number(value: float | int) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Duration):
        value = _up(value, 2)
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def hours(value: float) -> str:
    """A time limit in hours as a reader says it: "2 小时", "30 分钟" (rounded up, never to 0)."""
    if value < 1:
        return f"{number(_up(value * 60, 0))} 分钟"
    return f"{number(Duration(value))} 小时"


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
    text = str(value)
    return text if unchanged(text) else _escaped(text)


def unchanged(text: str) -> bool:
    """Whether `literal` leaves `text` as it is: nothing its escapes act on (most names, addresses and
    numbers of a long list), tested without running them."""
    return _UNTOUCHED.fullmatch(text) is not None and not text[:1].isspace() and _LEADING.match(text) is None


def _escaped(text: str) -> str:
    text = _BREAK.sub(" ", text)
    text = html.escape(text, quote=False)
    text = _INLINE.sub(r"\\\1", text)
    text = _LEADING.sub(lambda m: m.group(1) + _escape_lead(m.group(2)), text)
    text = _ATTRIBUTE_EQUALS.sub(r"\1&#61;", text)
    if _SETEXT.fullmatch(text):
        text = text.replace("=", "&#61;", 1)
    text = _TILDE_FENCE.sub(r"\1&#126;", text)
    indent = _INDENT.match(text)
    if indent and _columns(indent.group()) >= 4:  # the first of them as a reference: no code block
        text = reference(text[0]) + text[1:]
    return text


def _escape_lead(lead: str) -> str:
    # "1." -> "1\.", "-" -> "\-"
    if lead[0].isdigit():
        return lead[:-1] + "\\" + lead[-1]
    return "\\" + lead


def _columns(indent: str) -> int:
    """How far spaces and tabs indent a line (a tab stops at the next multiple of 4, as in both renderers)."""
    column = 0
    for ch in indent:
        column = column + 4 - column % 4 if ch == "\t" else column + 1
    return column
