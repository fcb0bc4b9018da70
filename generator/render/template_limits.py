"""The bounds a template cannot exceed, checked *before* the work is done.

jinja2's ImmutableSandboxedEnvironment keeps a template away from Python's internals, but not from
the memory: `{{ "x" * 1000000000 }}`, `{{ 2 ** 10 ** 9 }}`, `{{ "%1000000000s" | format("") }}` or
a string doubled with `~` in a loop would each take gigabytes. Here are the bounds and the checks
on what a value, an operator (`*`, `**`, `+`, `%`), a `str` method or `str.format` can make; the
filters' guards are in `filter_limits`, and `sandbox.Sandbox` calls both at every step.

MAX_TEXT bounds one value, MAX_OUTPUT a template's text, MAX_DIGITS a number. What is not bounded is
time: a loop that writes nothing (two nested `range(100000)`) runs for hours.

A step over a bound raises `LimitError` (a Chinese message) from the template line that asked for it.
"""
from __future__ import annotations

import dataclasses
import math
import re
import types
from collections import deque
from collections.abc import Mapping

import jinja2
from jinja2.sandbox import SandboxedEscapeFormatter, SandboxedFormatter
from jinja2.utils import Namespace
from markupsafe import Markup
from pydantic import BaseModel

MAX_TEXT = 2_000_000  # characters of one value (a profile's longest text is a few thousand)
MAX_OUTPUT = 20_000_000  # characters one template, macro or block writes (the manual is ~30,000)
MAX_ITEMS = 2_000_000  # items of one list or tuple
MAX_DIGITS = 4_000  # decimal digits of a whole number (Python itself refuses to print more than 4,300)
MAX_DEPTH = 100  # nesting of lists, dicts and objects in a value that is printed
MAX_SPEC = 1_000  # characters of one format specification ("{:>10}" has 3)

_BITS_PER_DIGIT = math.log2(10)
_TOO_MANY_DIGITS = 10 ** MAX_DIGITS  # the least number of MAX_DIGITS + 1 digits


class LimitError(jinja2.TemplateRuntimeError):
    """A template asked for something too large, or wrote what a document cannot hold; the message is
    the user's, in Chinese."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)  # jinja's TemplateError keeps it as `.message`
        self.hint = hint or "请检查模板中的重复（*）、乘方（**）、宽度或次数参数，以及在循环中不断加长的文字"


# Characters no document may hold: control characters (a DOCX cannot, the Markdown and the site would
# show them as garbage or drop them), and what UTF-8 cannot encode (as in yamlload._ILLEGAL).
# control characters, and the bidirectional controls that make shown text lie about its order (as in a profile)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")
CONTROL_HINT = "模板只能输出文字；请删去模板中的控制字符或其转义（如 \\x07、\\0、\\u0000）"


def control_error(text: str, what: str) -> LimitError | None:
    """The error for the first control character in `text`, which `what` wrote; None when there is none."""
    found = CONTROL.search(text)
    if found is None:
        return None
    return LimitError(f"{what}含有不可见的控制字符 U+{ord(found.group()):04X}（第 {found.start() + 1} 个字符）",
                      CONTROL_HINT)


def too_long(what: str, size: float, limit: int = MAX_TEXT, unit: str = "个字符") -> LimitError:
    about = f"约 {size:,.0f} {unit}" if size < 1e15 else "天文数字般的长度"
    return LimitError(f"结果过大：{what}会生成{about}（上限 {limit:,} {unit}）")


# --- how big a value is as text ---------------------------------------------------------------

def size(value: object, limit: int = MAX_TEXT) -> int:
    """An estimate from above of len(str(value)), counting a part as often as it is printed (a list
    that holds one string a thousand times prints it a thousand times); counting stops past `limit`."""
    return _size(value, {}, 0, limit)


def _size(value: object, seen: dict, depth: int, limit: int) -> int:
    if isinstance(value, (str, bytes)):
        return len(value)
    if value is None or isinstance(value, (bool, float)):
        return 24
    if isinstance(value, int):
        return int(value.bit_length() / _BITS_PER_DIGIT) + 2
    if isinstance(value, range):
        return 24 + 8 * len(value)  # its items, when a filter lists them
    if isinstance(value, type) or callable(value) and not isinstance(value, (BaseModel, Namespace)):
        return 24  # a class, function, macro or method prints as its name
    key = id(value)
    if key in seen:
        return seen[key]  # a part met before (or a cycle, which prints as "[...]")
    if depth >= MAX_DEPTH:
        raise LimitError(f"值的嵌套层数过多（超过 {MAX_DEPTH} 层）", "请不要在循环中把列表一层层地套起来")
    seen[key] = 8
    if isinstance(value, (Mapping, types.MappingProxyType)):
        children = [part for pair in value.items() for part in pair]
    elif isinstance(value, (list, tuple, set, frozenset, deque, type({}.keys()), type({}.values()),
                            type({}.items()))):
        children = value
    elif isinstance(value, Namespace):
        children = object.__getattribute__(value, "_Namespace__attrs").values()
    elif isinstance(value, BaseModel) or dataclasses.is_dataclass(value):
        children = getattr(value, "__dict__", {}).values()
    else:
        children = ()  # anything else prints as a short description (a date, a loop, an Undefined)
    total = 24
    for child in children:
        total += _size(child, seen, depth + 1, limit) + 4
        if total > limit:
            break
    seen[key] = total
    return total


def check_text(value, what: str = "这一步"):
    """A result that is already made: refused when it is text over the bound (it will not grow further),
    or a whole number of more digits than allowed (`"9" * 4100 | int`, a sum)."""
    if isinstance(value, (str, bytes)) and len(value) > MAX_TEXT:
        raise too_long(what, len(value))
    if is_int(value) and value.bit_length() > 13_000 and abs(value) >= _TOO_MANY_DIGITS:
        digits = int(value.bit_length() * math.log10(2)) + 1  # one too many at most
        raise digits_error(what, digits - (abs(value) < 10 ** (digits - 1)))
    return value


def check_printable(value, what: str):
    """A value about to be turned into text."""
    if not isinstance(value, str):
        estimate = size(value)
        if estimate > MAX_TEXT:
            raise too_long(what, estimate)
    return value


def check_count(value, what: str, limit: int = MAX_TEXT) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value > limit:
        shown = f"{value:,}" if value < 10 ** 30 else "天文数字"
        raise LimitError(f"参数过大：{what}为 {shown}（上限 {limit:,}）")


# --- operators -----------------------------------------------------------------------------------

_SEQUENCES = (str, bytes, list, tuple)


def check_binop(operator: str, left, right) -> None:
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, _SEQUENCES) and isinstance(count, int) and count > 0:
                if isinstance(seq, (str, bytes)):
                    if len(seq) * count > MAX_TEXT:
                        raise too_long("文字重复（*）", len(seq) * count)
                elif len(seq) * count > MAX_ITEMS:
                    raise too_long("列表重复（*）", len(seq) * count, MAX_ITEMS, "项")
        if is_int(left) and is_int(right):
            bits = abs(left).bit_length() + abs(right).bit_length()
            if bits > MAX_DIGITS * _BITS_PER_DIGIT:
                raise digits_error("乘法（*）", bits / _BITS_PER_DIGIT)
    elif operator == "**":
        if is_int(left) and is_int(right) and right > 0 and abs(left) > 1:
            digits = right * math.log10(abs(left))
            if digits > MAX_DIGITS:
                raise digits_error("乘方（**）", digits)
    elif operator == "+":
        if isinstance(left, (str, bytes)) and isinstance(right, (str, bytes)):
            if len(left) + len(right) > MAX_TEXT:
                raise too_long("文字相加（+）", len(left) + len(right))
        elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
            if len(left) + len(right) > MAX_ITEMS:
                raise too_long("列表相加（+）", len(left) + len(right), MAX_ITEMS, "项")
    elif operator == "%" and isinstance(left, (str, bytes)):
        check_percent(left, right, "格式化（%）")


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def digits_error(what: str, digits: float) -> LimitError:
    about = f"约 {digits:,.0f} 位" if digits < 1e15 else "天文数字般的位数"
    joint = " " if what[-1:].isascii() and what[-1:].isalnum() else ""  # "过滤器 int 的结果"
    return LimitError(f"数值过大：{what}{joint}的结果有{about}（上限 {MAX_DIGITS:,} 位）",
                      "模板中的数应是文档用得到的数；请检查乘方（**）和循环中的连乘")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.?)")


def check_percent(template, values, what: str) -> None:
    """`template % values` (the `%` operator and the `format` filter), before it is done."""
    specs = _PERCENT_SPEC.findall(template if isinstance(template, str) else template.decode("latin-1"))
    if not specs:
        return
    if isinstance(values, tuple):
        args = list(values)
    elif isinstance(values, Mapping):
        args = list(values.values())
    else:
        args = [values]
    widths = [int(n) for width, precision, _ in specs for n in (width, precision) if n.isdigit()]
    if any("*" in (width, precision) for width, precision, _ in specs):
        widths += [a for a in args if is_int(a)]
    widest = max(widths, default=0)
    check_count(widest, f"{what}的宽度或精度")
    factor = 6 if isinstance(template, Markup) else 1  # Markup escapes what it inserts
    estimate = len(template) + len(specs) * (factor * max((size(a) for a in args), default=0) + widest)
    if estimate > MAX_TEXT:
        raise too_long(what, estimate)


# --- str methods ---------------------------------------------------------------------------------

_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill"}


def check_method(owner, name: str, args: tuple, kwargs: dict) -> tuple:
    """A method of a built-in value called from a template: its arguments, checked (and an iterable
    given to `join` made a list, so that it can be measured and then joined)."""
    what = f"{type(owner).__name__}.{name}()"
    if isinstance(owner, (str, bytes)):
        factor = 6 if isinstance(owner, Markup) else 1
        if name in _WIDTH_METHODS and args:
            check_count(args[0], f"{what} 的宽度")
        elif name == "expandtabs":
            tabsize = args[0] if args else kwargs.get("tabsize", 8)
            if is_int(tabsize) and tabsize > 0:
                tabs = owner.count("\t" if isinstance(owner, str) else b"\t")
                if len(owner) + tabs * tabsize > MAX_TEXT:
                    raise too_long(what, len(owner) + tabs * tabsize)
        elif name == "replace" and len(args) >= 2 and isinstance(args[0], type(owner)):
            old, new = args[0], args[1]
            hits = len(owner) + 1 if len(old) == 0 else owner.count(old)
            count = args[2] if len(args) > 2 else kwargs.get("count", -1)
            if is_int(count) and count >= 0:
                hits = min(hits, count)
            estimate = len(owner) + hits * max(factor * size(new) - len(old), 0)
            if estimate > MAX_TEXT:
                raise too_long(what, estimate)
        elif name == "join" and len(args) == 1:
            items = args[0] if isinstance(args[0], (list, tuple)) else list(args[0])
            if len(owner) * max(len(items) - 1, 0) + factor * sum(size(i) for i in items) > MAX_TEXT:
                raise too_long(what, len(owner) * max(len(items) - 1, 0) + sum(size(i) for i in items))
            args = (items,)
        elif name == "translate" and args and isinstance(owner, str):
            table = args[0]
            parts = table.values() if isinstance(table, Mapping) else table if isinstance(table, (list, tuple)) else ()
            longest = max((size(p) for p in parts), default=1)
            if len(owner) * longest > MAX_TEXT:
                raise too_long(what, len(owner) * longest)
    if isinstance(owner, (str, bytes, int)):  # a width, length or count (a list's or dict's are items, keys)
        for value in (*args, *kwargs.values()):
            check_count(value, f"{what} 的参数")
    return args


class Formatter(SandboxedFormatter):
    """`str.format` in the sandbox, measured field by field."""

    def vformat(self, format_string, args, kwargs):
        self._made = len(format_string)
        return check_text(super().vformat(format_string, args, kwargs), "str.format()")

    def format_field(self, value, format_spec):
        if len(format_spec) > MAX_SPEC:
            raise LimitError(f"格式说明过长（{len(format_spec):,} 个字符，上限 {MAX_SPEC:,}）")
        for number in re.findall(r"\d+", format_spec):
            check_count(int(number) if len(number) < 30 else 10 ** 30, "str.format() 的宽度或精度")
        check_printable(value, "str.format()")
        text = super().format_field(value, format_spec)
        self._made += len(text)
        if self._made > MAX_TEXT:
            raise too_long("str.format()", self._made)
        return text


class EscapeFormatter(Formatter, SandboxedEscapeFormatter):
    """`Markup.format` in the sandbox, measured as `Formatter`."""
