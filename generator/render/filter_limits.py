"""The guards on Jinja's filters and ours: every filter that takes a width, a count or a separator
(`center`, `indent`, `format`, `join`, `replace`, `wordwrap`, `batch`, `slice` …) is checked before
it runs, and every filter that turns a value into text (`[s] * 1000 | string` is small in memory,
not as text) measures the value first; every filter's result is checked after (template_limits).
"""
from __future__ import annotations

import functools
import inspect

import jinja2
from jinja2.sandbox import MAX_RANGE
from markupsafe import Markup

from generator.render.template_limits import (MAX_DIGITS, MAX_ITEMS, MAX_TEXT, check_count, check_percent,
                                              check_printable, check_text, digits_error, is_int, size, too_long)

def _sep_join(separator, items, what: str) -> None:
    count = len(items)
    estimate = sum(size(i) for i in items) + size(separator or "") * max(count - 1, 0)
    if estimate > MAX_TEXT:
        raise too_long(what, estimate)


def _guard_center(value, width=80):
    check_count(width, "center 的宽度")
    return value


def _guard_indent(s, width=4, first=False, blank=False):
    text_size = size(s)
    lines = str(s).count("\n") + 1 if text_size <= MAX_TEXT else 1
    prefix = width if isinstance(width, int) and not isinstance(width, bool) else len(str(width))
    estimate = text_size + lines * prefix
    if estimate > MAX_TEXT:
        raise too_long("indent 缩进", estimate)
    return s


def _guard_format(value, *args, **kwargs):
    check_printable(value, "format 过滤器")
    check_percent(str(value), kwargs or args, "format 过滤器")
    return value


def _guard_join(value, d="", attribute=None):
    items = value if isinstance(value, (list, tuple)) else list(value)
    _sep_join(d, items, "join 拼接")  # an item's attribute is a part of the item: no larger than it
    return items


def _guard_replace(s, old, new, count=None):
    text = str(check_printable(s, "replace 替换"))
    old, new = str(check_printable(old, "replace 替换")), str(check_printable(new, "replace 替换"))
    hits = len(text) + 1 if old == "" else text.count(old)
    if count is not None and is_int(count) and count >= 0:
        hits = min(hits, count)
    factor = 6 if isinstance(s, Markup) else 1
    estimate = len(text) + hits * max(factor * len(new) - len(old), 0)
    if estimate > MAX_TEXT:
        raise too_long("replace 替换", estimate)
    return s


def _guard_wordwrap(s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True):
    text_size = size(s)
    if text_size > MAX_TEXT:
        raise too_long("wordwrap 换行", text_size)
    if wrapstring is not None:
        estimate = text_size + (text_size + 1) * size(wrapstring)
        if estimate > MAX_TEXT:
            raise too_long("wordwrap 换行", estimate)
    return s


def _guard_urlize(value, trim_url_limit=None, nofollow=False, target=None, rel=None, extra_schemes=None):
    text_size = size(value)
    words = str(value).count(" ") + str(value).count("\n") + 1 if text_size <= MAX_TEXT else 1
    estimate = 4 * text_size + words * (size(target or "") + size(rel or "") + 60)
    if estimate > MAX_TEXT:
        raise too_long("urlize", estimate)
    return value


def _guard_tojson(value, indent=None):
    check_count(indent, "tojson 的缩进", 64)
    estimate = 6 * size(value) * (1 + (indent or 0))
    if estimate > MAX_TEXT:
        raise too_long("tojson", estimate)
    return value


def _guard_batch(value, linecount, fill_with=None):
    check_count(linecount, "batch 的每组项数", MAX_ITEMS)
    return value


def _guard_slice(value, slices, fill_with=None):
    check_count(slices, "slice 的份数", MAX_RANGE)
    return value


def _guard_sum(iterable, attribute=None, start=0):
    items = iterable if isinstance(iterable, (list, tuple)) else list(iterable)
    if attribute is None and isinstance(start, (list, tuple)):
        estimate = size(items) + size(start)
        if estimate > MAX_ITEMS:
            raise too_long("sum 相加", estimate, MAX_ITEMS, "项")
    return items


def _guard_number(value, *args, **kwargs):
    """`int` / `float` of text: Python refuses text of over 4,300 digits, and Jinja then quietly gives 0
    (a float gives inf), so the digits are counted first."""
    if isinstance(value, (str, bytes)):
        digits = sum(ch in b"0123456789" if isinstance(value, bytes) else ch.isdigit() for ch in value)
        if digits > MAX_DIGITS:
            raise digits_error("数字文字转为数", digits)
    return value


def _guard_items(items, *args, **kwargs):
    """Our `cells` / `cn_list`: a list printed item by item, joined with a separator."""
    items = items if isinstance(items, (list, tuple)) else list(items)
    separator = args[0] if args else kwargs.get("sep", " | ")
    _sep_join(separator, items, "列表拼接")
    return items


def _guard_text(value, *args, **kwargs):
    """Any filter that turns its value into text."""
    return check_printable(value, "把这个值变成文字")


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


def guarded_filter(name: str, func):
    """`func`, filter `name`, with its guard run before it and its result checked after."""
    guard = _FILTER_GUARDS.get(name) or (None if name in _NOT_PRINTING else _guard_text)
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0  # the context / environment
    signature = inspect.signature(guard) if guard is not None else None
    # a guard of (value, *args, **kwargs) takes any arguments: no need to try them (filters run often)
    takes_any = signature is not None and [p.kind for p in signature.parameters.values()][1:] == [
        inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD]

    @functools.wraps(func)
    def filtered(*args, **kwargs):
        if guard is not None and len(args) > skip:
            try:
                if not takes_any:
                    signature.bind(*args[skip:], **kwargs)
            except TypeError:  # arguments the filter does not take: it says so itself
                return func(*args, **kwargs)
            args = (*args[:skip], guard(*args[skip:], **kwargs), *args[skip + 1:])
        return check_text(func(*args, **kwargs), f"过滤器 {name}")

    filtered.__wrapped_by_sandbox__ = True
    return filtered


def lipsum(n=5, html=True, min=20, max=100):
    check_count(n, "lipsum 的段数", 100)
    check_count(max, "lipsum 每段的词数", 1000)
    return check_text(jinja2.utils.generate_lorem_ipsum(n=n, html=html, min=min, max=max))
