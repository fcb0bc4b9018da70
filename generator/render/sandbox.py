"""The sandbox a consultant's `--content` templates run in, with bounds on what they can build.

jinja2's ImmutableSandboxedEnvironment keeps a template away from Python's internals, but not from
the memory: `{{ "x" * 1000000000 }}`, `{{ 2 ** 10 ** 9 }}`, `{{ "%1000000000s" | format("") }}` or
a string doubled with `~` in a loop would each take gigabytes. `Sandbox` checks, *before* the work
is done, every step that can make something much larger than its inputs:

- the operators `*`, `**`, `+`, `%` (through jinja2's `intercepted_binops` / `call_binop`) and `~`
  (through the code generator);
- the filters and `str` methods that take a width, a count or a separator (`center`, `indent`,
  `format`, `join`, `replace`, `wordwrap`, `batch`, `slice`, `str.ljust`, `str.format` …), and every
  filter that turns a value into text (`[s] * 1000 | string` is small in memory, not as text);
- every value a template prints (`finalize`), and the text each template, macro and block writes
  (`concat`, a bounded buffer, imported modules): a loop cannot write without end.

MAX_TEXT bounds one value, MAX_OUTPUT a template's text, MAX_DIGITS a number. What is not bounded is
time: a loop that writes nothing (two nested `range(100000)`) runs for hours.

A step over a bound raises `LimitError` (a Chinese message) from the template line that asked for
it. `explain()` turns any exception of a template into a Chinese message and hint.
"""
from __future__ import annotations

import dataclasses
import functools
import gc
import inspect
import math
import re
import types
from collections import deque
from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.sandbox import (MAX_RANGE, ImmutableSandboxedEnvironment, SandboxedEscapeFormatter,
                            SandboxedFormatter, SecurityError)
from jinja2.utils import Namespace
from markupsafe import Markup
from pydantic import BaseModel

from generator.errors import display
from generator.paths import DOCUMENTS

MAX_TEXT = 2_000_000  # characters of one value (a profile is at most 2 MB)
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


def _too_long(what: str, size: float, limit: int = MAX_TEXT, unit: str = "个字符") -> LimitError:
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


def _check_text(value, what: str = "这一步"):
    """A result that is already made: refused when it is text over the bound (it will not grow further),
    or a whole number of more digits than allowed (`"9" * 4100 | int`, a sum)."""
    if isinstance(value, (str, bytes)) and len(value) > MAX_TEXT:
        raise _too_long(what, len(value))
    if _is_int(value) and value.bit_length() > 13_000 and abs(value) >= _TOO_MANY_DIGITS:
        digits = int(value.bit_length() * math.log10(2)) + 1  # one too many at most
        raise _digits(what, digits - (abs(value) < 10 ** (digits - 1)))
    return value


def _check_printable(value, what: str):
    """A value about to be turned into text."""
    if not isinstance(value, str):
        estimate = size(value)
        if estimate > MAX_TEXT:
            raise _too_long(what, estimate)
    return value


def _check_count(value, what: str, limit: int = MAX_TEXT) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value > limit:
        shown = f"{value:,}" if value < 10 ** 30 else "天文数字"
        raise LimitError(f"参数过大：{what}为 {shown}（上限 {limit:,}）")


# --- operators -----------------------------------------------------------------------------------

_SEQUENCES = (str, bytes, list, tuple)


def _check_binop(operator: str, left, right) -> None:
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, _SEQUENCES) and isinstance(count, int) and count > 0:
                if isinstance(seq, (str, bytes)):
                    if len(seq) * count > MAX_TEXT:
                        raise _too_long("文字重复（*）", len(seq) * count)
                elif len(seq) * count > MAX_ITEMS:
                    raise _too_long("列表重复（*）", len(seq) * count, MAX_ITEMS, "项")
        if _is_int(left) and _is_int(right):
            bits = abs(left).bit_length() + abs(right).bit_length()
            if bits > MAX_DIGITS * _BITS_PER_DIGIT:
                raise _digits("乘法（*）", bits / _BITS_PER_DIGIT)
    elif operator == "**":
        if _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            digits = right * math.log10(abs(left))
            if digits > MAX_DIGITS:
                raise _digits("乘方（**）", digits)
    elif operator == "+":
        if isinstance(left, (str, bytes)) and isinstance(right, (str, bytes)):
            if len(left) + len(right) > MAX_TEXT:
                raise _too_long("文字相加（+）", len(left) + len(right))
        elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
            if len(left) + len(right) > MAX_ITEMS:
                raise _too_long("列表相加（+）", len(left) + len(right), MAX_ITEMS, "项")
    elif operator == "%" and isinstance(left, (str, bytes)):
        _check_percent(left, right, "格式化（%）")


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _digits(what: str, digits: float) -> LimitError:
    about = f"约 {digits:,.0f} 位" if digits < 1e15 else "天文数字般的位数"
    joint = " " if what[-1:].isascii() and what[-1:].isalnum() else ""  # "过滤器 int 的结果"
    return LimitError(f"数值过大：{what}{joint}的结果有{about}（上限 {MAX_DIGITS:,} 位）",
                      "模板中的数应是文档用得到的数；请检查乘方（**）和循环中的连乘")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.?)")


def _check_percent(template, values, what: str) -> None:
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
        widths += [a for a in args if _is_int(a)]
    widest = max(widths, default=0)
    _check_count(widest, f"{what}的宽度或精度")
    factor = 6 if isinstance(template, Markup) else 1  # Markup escapes what it inserts
    estimate = len(template) + len(specs) * (factor * max((size(a) for a in args), default=0) + widest)
    if estimate > MAX_TEXT:
        raise _too_long(what, estimate)


# --- filters -------------------------------------------------------------------------------------

def _sep_join(separator, items, what: str) -> None:
    count = len(items)
    estimate = sum(size(i) for i in items) + size(separator or "") * max(count - 1, 0)
    if estimate > MAX_TEXT:
        raise _too_long(what, estimate)


def _guard_center(value, width=80):
    _check_count(width, "center 的宽度")
    return value


def _guard_indent(s, width=4, first=False, blank=False):
    text_size = size(s)
    lines = str(s).count("\n") + 1 if text_size <= MAX_TEXT else 1
    prefix = width if isinstance(width, int) and not isinstance(width, bool) else len(str(width))
    estimate = text_size + lines * prefix
    if estimate > MAX_TEXT:
        raise _too_long("indent 缩进", estimate)
    return s


def _guard_format(value, *args, **kwargs):
    _check_printable(value, "format 过滤器")
    _check_percent(str(value), kwargs or args, "format 过滤器")
    return value


def _guard_join(value, d="", attribute=None):
    items = value if isinstance(value, (list, tuple)) else list(value)
    _sep_join(d, items, "join 拼接")  # an item's attribute is a part of the item: no larger than it
    return items


def _guard_replace(s, old, new, count=None):
    text = str(_check_printable(s, "replace 替换"))
    old, new = str(_check_printable(old, "replace 替换")), str(_check_printable(new, "replace 替换"))
    hits = len(text) + 1 if old == "" else text.count(old)
    if count is not None and _is_int(count) and count >= 0:
        hits = min(hits, count)
    factor = 6 if isinstance(s, Markup) else 1
    estimate = len(text) + hits * max(factor * len(new) - len(old), 0)
    if estimate > MAX_TEXT:
        raise _too_long("replace 替换", estimate)
    return s


def _guard_wordwrap(s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True):
    text_size = size(s)
    if text_size > MAX_TEXT:
        raise _too_long("wordwrap 换行", text_size)
    if wrapstring is not None:
        estimate = text_size + (text_size + 1) * size(wrapstring)
        if estimate > MAX_TEXT:
            raise _too_long("wordwrap 换行", estimate)
    return s


def _guard_urlize(value, trim_url_limit=None, nofollow=False, target=None, rel=None, extra_schemes=None):
    text_size = size(value)
    words = str(value).count(" ") + str(value).count("\n") + 1 if text_size <= MAX_TEXT else 1
    estimate = 4 * text_size + words * (size(target or "") + size(rel or "") + 60)
    if estimate > MAX_TEXT:
        raise _too_long("urlize", estimate)
    return value


def _guard_tojson(value, indent=None):
    _check_count(indent, "tojson 的缩进", 64)
    estimate = 6 * size(value) * (1 + (indent or 0))
    if estimate > MAX_TEXT:
        raise _too_long("tojson", estimate)
    return value


def _guard_batch(value, linecount, fill_with=None):
    _check_count(linecount, "batch 的每组项数", MAX_ITEMS)
    return value


def _guard_slice(value, slices, fill_with=None):
    _check_count(slices, "slice 的份数", MAX_RANGE)
    return value


def _guard_sum(iterable, attribute=None, start=0):
    items = iterable if isinstance(iterable, (list, tuple)) else list(iterable)
    if attribute is None and isinstance(start, (list, tuple)):
        estimate = size(items) + size(start)
        if estimate > MAX_ITEMS:
            raise _too_long("sum 相加", estimate, MAX_ITEMS, "项")
    return items


def _guard_number(value, *args, **kwargs):
    """`int` / `float` of text: Python refuses text of over 4,300 digits, and Jinja then quietly gives 0
    (a float gives inf), so the digits are counted first."""
    if isinstance(value, (str, bytes)):
        digits = sum(ch in b"0123456789" if isinstance(value, bytes) else ch.isdigit() for ch in value)
        if digits > MAX_DIGITS:
            raise _digits("数字文字转为数", digits)
    return value


def _guard_items(items, *args, **kwargs):
    """Our `cells` / `cn_list`: a list printed item by item, joined with a separator."""
    items = items if isinstance(items, (list, tuple)) else list(items)
    separator = args[0] if args else kwargs.get("sep", " | ")
    _sep_join(separator, items, "列表拼接")
    return items


def _guard_text(value, *args, **kwargs):
    """Any filter that turns its value into text."""
    return _check_printable(value, "把这个值变成文字")


_FILTER_GUARDS = {
    "center": _guard_center, "indent": _guard_indent, "format": _guard_format, "join": _guard_join,
    "replace": _guard_replace, "wordwrap": _guard_wordwrap, "urlize": _guard_urlize,
    "tojson": _guard_tojson, "batch": _guard_batch, "slice": _guard_slice, "sum": _guard_sum,
    "cells": _guard_items, "cn_list": _guard_items, "int": _guard_number, "float": _guard_number,
}
# Filters that look at a list without printing it: no guard (a list of a thousand references to one
# long string is small; printing it is what is bounded).
_NOT_PRINTING = {"abs", "attr", "count", "d", "default", "dictsort", "first", "groupby",
                 "items", "last", "length", "list", "map", "min", "max", "random", "reject", "rejectattr",
                 "reverse", "round", "select", "selectattr", "sort", "unique", "filesizeformat"}


def _guarded_filter(name: str, func):
    guard = _FILTER_GUARDS.get(name) or (None if name in _NOT_PRINTING else _guard_text)
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0  # the context / environment
    signature = inspect.signature(guard) if guard is not None else None

    @functools.wraps(func)
    def filtered(*args, **kwargs):
        if guard is not None and len(args) > skip:
            try:
                signature.bind(*args[skip:], **kwargs)
            except TypeError:  # arguments the filter does not take: it says so itself
                return func(*args, **kwargs)
            args = (*args[:skip], guard(*args[skip:], **kwargs), *args[skip + 1:])
        return _check_text(func(*args, **kwargs), f"过滤器 {name}")

    filtered.__wrapped_by_sandbox__ = True
    return filtered


def _lipsum(n=5, html=True, min=20, max=100):
    _check_count(n, "lipsum 的段数", 100)
    _check_count(max, "lipsum 每段的词数", 1000)
    return _check_text(jinja2.utils.generate_lorem_ipsum(n=n, html=html, min=min, max=max))


# --- str methods ---------------------------------------------------------------------------------

_WIDTH_METHODS = {"center", "ljust", "rjust", "zfill"}


def _check_method(owner, name: str, args: tuple, kwargs: dict) -> tuple:
    """A method of a built-in value called from a template: its arguments, checked (and an iterable
    given to `join` made a list, so that it can be measured and then joined)."""
    what = f"{type(owner).__name__}.{name}()"
    if isinstance(owner, (str, bytes)):
        factor = 6 if isinstance(owner, Markup) else 1
        if name in _WIDTH_METHODS and args:
            _check_count(args[0], f"{what} 的宽度")
        elif name == "expandtabs":
            tabsize = args[0] if args else kwargs.get("tabsize", 8)
            if _is_int(tabsize) and tabsize > 0:
                tabs = owner.count("\t" if isinstance(owner, str) else b"\t")
                if len(owner) + tabs * tabsize > MAX_TEXT:
                    raise _too_long(what, len(owner) + tabs * tabsize)
        elif name == "replace" and len(args) >= 2 and isinstance(args[0], type(owner)):
            old, new = args[0], args[1]
            hits = len(owner) + 1 if len(old) == 0 else owner.count(old)
            count = args[2] if len(args) > 2 else kwargs.get("count", -1)
            if _is_int(count) and count >= 0:
                hits = min(hits, count)
            estimate = len(owner) + hits * max(factor * size(new) - len(old), 0)
            if estimate > MAX_TEXT:
                raise _too_long(what, estimate)
        elif name == "join" and len(args) == 1:
            items = args[0] if isinstance(args[0], (list, tuple)) else list(args[0])
            if len(owner) * max(len(items) - 1, 0) + factor * sum(size(i) for i in items) > MAX_TEXT:
                raise _too_long(what, len(owner) * max(len(items) - 1, 0) + sum(size(i) for i in items))
            args = (items,)
        elif name == "translate" and args and isinstance(owner, str):
            table = args[0]
            parts = table.values() if isinstance(table, Mapping) else table if isinstance(table, (list, tuple)) else ()
            longest = max((size(p) for p in parts), default=1)
            if len(owner) * longest > MAX_TEXT:
                raise _too_long(what, len(owner) * longest)
    if isinstance(owner, (str, bytes, int)):  # a width, length or count (a list's or dict's are items, keys)
        for value in (*args, *kwargs.values()):
            _check_count(value, f"{what} 的参数")
    return args


_PYDANTIC_METHODS = frozenset(name for name in dir(BaseModel)
                              if not name.startswith("_") and callable(getattr(BaseModel, name, None)))


class _Formatter(SandboxedFormatter):
    """`str.format` in the sandbox, measured field by field."""

    def vformat(self, format_string, args, kwargs):
        self._made = len(format_string)
        return _check_text(super().vformat(format_string, args, kwargs), "str.format()")

    def format_field(self, value, format_spec):
        if len(format_spec) > MAX_SPEC:
            raise LimitError(f"格式说明过长（{len(format_spec):,} 个字符，上限 {MAX_SPEC:,}）")
        for number in re.findall(r"\d+", format_spec):
            _check_count(int(number) if len(number) < 30 else 10 ** 30, "str.format() 的宽度或精度")
        _check_printable(value, "str.format()")
        text = super().format_field(value, format_spec)
        self._made += len(text)
        if self._made > MAX_TEXT:
            raise _too_long("str.format()", self._made)
        return text


class _EscapeFormatter(_Formatter, SandboxedEscapeFormatter):
    pass


# --- the environment -----------------------------------------------------------------------------

class _Buffer(list):
    """The text a macro, `{% set %}` block, `{% filter %}` or call block writes: bounded as it is
    written (it is joined only at the end, too late to stop a loop that writes without end)."""

    __slots__ = ("made",)

    def __init__(self):
        super().__init__()
        self.made = 0

    def append(self, text) -> None:
        self.made += len(text)
        if self.made > MAX_OUTPUT:
            raise LimitError(f"结果过大：宏、{{% set %}} 块或 {{% filter %}} 块输出的文字超过了上限 {MAX_OUTPUT:,} 个字符",
                             "请检查其中的循环（是否没有尽头或层层嵌套）和重复输出的长文字")
        super().append(text)

    def extend(self, texts) -> None:
        for text in texts:
            self.append(text)


class _Compiler(CodeGenerator):
    """Jinja's code generator, with `a ~ b` measured before it is joined and the text of a macro or
    block collected in a bounded buffer."""

    def buffer(self, frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.new_buffer()")

    @optimizeconst
    def visit_Concat(self, node, frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.joined({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


def _collect(parts) -> list:
    """The pieces of text a template writes, while they stay under the bound. Over the bound, the
    error is raised inside the template that wrote the last piece, so that its line is known."""
    out, made = [], 0
    for part in parts:
        made += len(part)
        if made > MAX_OUTPUT:
            error = LimitError(f"结果过大：模板输出的文字超过了上限 {MAX_OUTPUT:,} 个字符",
                               "请检查模板中的循环（是否没有尽头或层层嵌套）和重复输出的长文字")
            if isinstance(parts, types.GeneratorType):
                _innermost(parts).throw(error)
            raise error
        out.append(part)
    return out


class _Template(jinja2.Template):
    """A template whose text is bounded when it is imported or included without context too (jinja
    collects a module's text with list(), not with `concat`)."""

    def make_module(self, vars=None, shared=False, locals=None):
        context = self.new_context(vars, shared, locals)
        return jinja2.environment.TemplateModule(self, context, _collect(self.root_render_func(context)))


def _innermost(generator: types.GeneratorType) -> types.GeneratorType:
    """The template generator that yielded last. A template passes on what a block, a parent or an
    included template yields with `yield from`, or with `for event in …: yield event` (an include
    with context): then the included template's generator is the iterator on the loop's stack."""
    for _ in range(1000):
        inner = generator.gi_yieldfrom
        if not isinstance(inner, types.GeneratorType) and generator.gi_frame is not None:
            held = gc.get_referents(generator, generator.gi_frame)  # the stack: of the one or the other
            inner = next((g for g in held if _is_template_code(g)), None)
        if not isinstance(inner, types.GeneratorType) or inner.gi_frame is None or inner.gi_running:
            return generator
        generator = inner
    return generator


def _is_template_code(value) -> bool:
    """A suspended generator running a template's own code (`root` or a block), not a filter's."""
    return isinstance(value, types.GeneratorType) and value.gi_frame is not None and \
        (value.gi_code.co_name == "root" or value.gi_code.co_name.startswith("block_")) and \
        value.gi_frame.f_globals.get("environment") is not None and "__jinja_template__" in value.gi_frame.f_globals


class Sandbox(ImmutableSandboxedEnvironment):
    """ImmutableSandboxedEnvironment with bounds on what a template can build. Call `seal()` once
    its filters and globals are all set."""

    code_generator_class = _Compiler
    template_class = _Template
    intercepted_binops = frozenset({"*", "**", "+", "-", "%"})  # "+" and "-": a number's digits, checked after

    def __init__(self, *args, finalize=None, **kwargs):
        if finalize is not None:
            inner = finalize

            @functools.wraps(inner)
            def finalize(value):
                text = inner(_check_printable(value, "要输出的值"))
                error = control_error(text, "要输出的值") if isinstance(text, str) else None
                if error is not None:
                    raise error
                return text
        super().__init__(*args, finalize=finalize, **kwargs)

    def seal(self) -> "Sandbox":
        """Guard every filter and the globals that can make large values."""
        for name, func in list(self.filters.items()):
            if not getattr(func, "__wrapped_by_sandbox__", False):
                self.filters[name] = _guarded_filter(name, func)
        self.globals["lipsum"] = _lipsum
        return self

    def call_binop(self, context, operator, left, right):
        _check_binop(operator, left, right)
        return _check_text(super().call_binop(context, operator, left, right), f"运算（{operator}）")

    new_buffer = staticmethod(_Buffer)

    def joined(self, join, parts):
        """`a ~ b ~ c`"""
        estimate = 0
        for part in parts:
            estimate += size(part)
            if estimate > MAX_TEXT:
                raise _too_long("文字拼接（~）", estimate)
        return join(parts)

    def concat(self, parts) -> str:
        """The text of a template (or of a macro or block), joined: bounded as it is made."""
        return "".join(_collect(parts))

    def is_safe_attribute(self, obj, attr, value) -> bool:
        if attr in _PYDANTIC_METHODS and isinstance(obj, BaseModel) and attr not in type(obj).model_fields:
            return False  # pydantic's own methods (model_dump_json(indent=…), model_copy …): not data
        return super().is_safe_attribute(obj, attr, value)

    def wrap_str_format(self, value):
        if not isinstance(value, (types.MethodType, types.BuiltinMethodType)) or \
                value.__name__ not in ("format", "format_map") or not isinstance(value.__self__, str):
            return None
        owner = value.__self__
        formatter = _EscapeFormatter(self, escape=owner.escape) if isinstance(owner, Markup) else _Formatter(self)
        is_map = value.__name__ == "format_map"

        def wrapper(*args, **kwargs):
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return type(owner)(formatter.vformat(owner, args, kwargs))

        return functools.update_wrapper(wrapper, value)

    def format_string(self, s, args, kwargs, format_func=None):
        """`str.format` before jinja2 3.1.5 (later versions call `wrap_str_format`)."""
        formatter = _EscapeFormatter(self, escape=s.escape) if isinstance(s, Markup) else _Formatter(self)
        if format_func is not None and format_func.__name__ == "format_map":
            if len(args) != 1 or kwargs:
                raise TypeError("format_map() takes exactly one argument")
            args, kwargs = (), args[0]
        return type(s)(formatter.vformat(s, args, kwargs))

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja's own signature)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (str, bytes, int, float, list, tuple, dict, set, frozenset)) and \
                isinstance(getattr(__obj, "__name__", None), str):
            args = _check_method(owner, __obj.__name__, args, kwargs)
        return _check_text(super().call(__context, __obj, *args, **kwargs), "这次调用")


# --- what went wrong, in Chinese -----------------------------------------------------------------

_SYNTAX_HINT = "检查 {{ }}、{% %} 是否成对，标签是否拼写正确、是否有对应的 end 标签"
_FILTER_HINT = "请检查名字的拼写；可用的过滤器见 Jinja 文档，本工具另有 num、hours、date、or_blank、cn_list、cells、bare"
# Jinja's words (a regular expression) -> the Chinese explanation and, when it needs its own, a hint
_JINJA = [
    (r"Expected an expression, got '(.+)'", r"此处应有一个表达式，却是 “\1”", None),
    (r"[Uu]nexpected end of template", "模板意外结束：有未闭合的标签（如缺少 {% endfor %}、{% endif %}）或未闭合的 {{ }}", None),
    (r"Encountered unknown tag '(.+?)'", r"不认识的标签 “\1”（或它出现在了不该出现的位置）", None),
    (r"[Uu]nexpected char '(.+?)'", r"不认识的字符 “\1”", None),
    (r"expected token '(.+?)', got '(.+?)'", r"此处应为 “\1”，却是 “\2”", None),
    (r"[Uu]nexpected '(.+?)', expected '(.+?)'", r"此处应为 “\2”，却是 “\1”", None),
    (r"[Uu]nexpected '(.+?)'", r"此处不应出现 “\1”", None),
    (r"No filter named '(.+?)'", r"没有名为 “\1” 的过滤器", _FILTER_HINT),
    (r"No test named '(.+?)'", r"没有名为 “\1” 的测试（is 之后的名字）", "请检查名字的拼写；可用的测试见 Jinja 文档"),
    (r"[Bb]lock '(.+?)' defined twice", r"块 “\1” 定义了两次", "同一模板中每个 block 名只能用一次"),
    (r"tag name expected", "{% 之后应是标签名", None),
    (r"[Mm]issing end of (raw|comment)", r"\1 块没有结束标记", None),
    (r"can't assign to '(.+?)'", r"不能给 “\1” 赋值", None),
    (r"cannot assign attribute on non-namespace object", "只能给 namespace() 的属性赋值", "请用 {% set ns = namespace(…) %} 和 {% set ns.x = … %}"),
    (r"'(?:[\w.]+\.)?(\w+) object' has no attribute '(.+?)'", r"\1 对象没有属性 “\2”", None),
    (r"'(.+?)' is undefined", r"名称 “\1” 没有定义", None),
    (r"(.+?) has no attribute '(.+?)'", r"\1 没有属性 “\2”", None),
    (r"'(?:[\w.]+\.)?(\w+) object' has no element (.+)", r"\1 对象没有元素 \2", None),
    (r"(.+?) has no element (.+)", r"\1 没有元素 \2", None),
    (r"access to attribute '(.+?)' of '(.+?)' object is unsafe", r"不允许访问 \2 对象的属性 “\1”", None),
    (r"(.+) is not safely callable", r"不允许调用 \1", None),
]


def _translate(text: str) -> tuple[str | None, str | None]:
    for pattern, chinese, hint in _JINJA:
        found = re.search(pattern, text)
        if found:
            return found.expand(chinese), hint
    return None, None


def _quote(exc: BaseException, label: str = "Jinja") -> str:
    """The exception's own words, labelled, after the Chinese explanation."""
    text = " ".join(str(getattr(exc, "message", None) or exc).split())
    if label == "Python":
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    if len(text) > 200:
        text = text[:200] + "…"
    return f"（{label} 原文：{text}）" if text else ""


def _has_chinese(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


_TOP = "top-level template code"  # how jinja names a template's own code in a traceback (a macro's is "template")


def _cycle(exc: RecursionError) -> tuple[int, list[tuple[str, bool]]] | None:
    """Where a template came to run inside itself without end, when it did: the index in the
    traceback of the frame that entered the cycle, and the cycle's steps as (file, is a macro)."""
    import traceback

    frames = [(i, f.filename, f.name) for i, f in enumerate(traceback.extract_tb(exc.__traceback__))
              if f.name in (_TOP, "template")]
    if not frames:
        return None
    last = next((file for _, file, name in reversed(frames) if name == _TOP), None)
    again = [k for k, (_, file, name) in enumerate(frames) if file == last and name == _TOP]
    if len(again) < 3:
        return None  # no template runs inside itself: a macro (or a recursive loop) calls itself
    steps = []
    for _, file, name in frames[again[-2]:again[-1]]:
        step = (file, name != _TOP)
        if not steps or steps[-1] != step:  # a macro calling a macro of the same file: one step
            steps.append(step)
    # told from where the cycle was entered: where the recursion limit struck varies
    first = {}
    for index, file, name in frames:
        first.setdefault((file, name != _TOP), index)
    entry = min(range(len(steps)), key=lambda k: first[steps[k]])
    return first[steps[entry]], steps[entry:] + steps[:entry]


def template_cycle(exc: RecursionError) -> list[tuple[str, bool]] | None:
    """The steps of an include / extends / import cycle (a macro among them, perhaps) as (file, is a
    macro), the first repeated at the end; None when a macro or a recursive loop calls itself."""
    found = _cycle(exc)
    return None if found is None else [*found[1], found[1][0]]


def template_cycle_entry(exc: RecursionError) -> int | None:
    """The index in `exc`'s traceback of the frame that entered a template cycle (None: no cycle)."""
    found = _cycle(exc)
    return None if found is None else found[0]


def _template_name(path: str, folder: Path) -> str:
    """A template file as the consultant knows it: relative to their folder, or one of ours."""
    for root, mark in ((folder, ""), (DOCUMENTS.resolve(), "（内置）")):
        try:
            return display(Path(path).resolve().relative_to(root).as_posix()) + mark
        except ValueError:
            continue
    return display(path)


def explain(exc: BaseException, folder: Path) -> tuple[str, str]:
    """A Chinese message and hint for an exception raised by a consultant's template (in `folder`):
    Chinese first, Jinja's or Python's own words only as a labelled quote."""
    hint = "改好后重新构建"
    if isinstance(exc, LimitError):
        return exc.message, exc.hint
    if isinstance(exc, MemoryError):
        return "内存不足：模板要生成的内容过大", "请检查模板中的重复（*）、乘方（**）和循环"
    if isinstance(exc, RecursionError):
        cycle = template_cycle(exc)
        if cycle is None:
            return ("宏（macro）或递归循环（for … recursive）不停地调用自身，没有尽头",
                    "给递归加上终止条件（如用 {% if %} 判断层数），或改为不递归的写法")
        path = " → ".join(_template_name(file, folder) + ("（宏）" if macro else "") for file, macro in cycle)
        if any(macro for _, macro in cycle):
            return (f"宏与被包含的模板互相调用，没有尽头：{path}",
                    "去掉形成循环的宏调用或 include / import")
        return (f"模板互相包含（include / extends / import 形成循环），没有尽头：{path}",
                "去掉形成循环的 include、extends 或 import")
    if isinstance(exc, OverflowError) and "Range too big" in str(exc):
        return (f"范围过大：沙箱中一个 range() 最多 {MAX_RANGE:,} 项" + _quote(exc), "缩小 range 的范围")
    if isinstance(exc, jinja2.TemplateError):
        words = str(getattr(exc, "message", None) or exc)
        if _has_chinese(words):  # ours (a filter's message)
            return words, hint
        text, own_hint = _translate(words)
        if isinstance(exc, jinja2.TemplateSyntaxError):
            head, hint = "模板语法错误", _SYNTAX_HINT
        elif isinstance(exc, jinja2.UndefinedError):
            head, hint = "用到了不存在的值", "模板只能使用文档上下文中的数据（p、cat、a、f …）"
        elif isinstance(exc, SecurityError):
            head, hint = "沙箱不允许这项操作", "模板只能读取文档数据，不能访问 Python 内部属性、调用档案对象自身的方法或修改数据"
        elif isinstance(exc, jinja2.exceptions.FilterArgumentError):
            head, hint = "过滤器的参数不对", "请对照 Jinja 文档检查过滤器的参数"
        else:
            head = "模板运行出错"
        return (f"{head}：{text}" if text else head) + _quote(exc), own_hint or hint
    message = str(exc)
    if _has_chinese(message):  # our own filters' messages
        return message, hint
    for kind, chinese, todo in (
            (ZeroDivisionError, "除数为零", "除法（/、//、%）的除数不能为 0，请先用 {% if %} 判断"),
            (OverflowError, "数值超出可以表示的范围", "请检查乘方（**）等运算"),
            (TypeError, "值的类型不对，或调用时的参数不对（例如把文字和数字相加）", "请检查这一行的运算和参数"),
            (ValueError, "值不合适", "请检查这一行用到的值和参数"),
            (UnicodeError, "文字编码出错", "模板文件请使用 UTF-8 编码"),
            (LookupError, "找不到要取的项（下标或键不存在）", "请检查下标和键"),
            (AttributeError, "没有这个属性", "请检查属性名"),
    ):
        if isinstance(exc, kind):
            return chinese + _quote(exc, "Python"), todo
    return "模板运行出错" + _quote(exc, "Python"), hint
