"""A pydantic validation error in the user's language: what is wrong with the value.

Shared by the profile and the bundled data (generator/standard), so it imports neither.
"""
from __future__ import annotations

import datetime as dt

_MESSAGES = {
    "missing": "缺少必填项",
    "string_type": "应为文字",
    "int_type": "应为整数", "int_parsing": "应为整数", "int_parsing_size": "数字过长", "int_from_float": "应为整数",
    "float_type": "应为数字", "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false", "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期（YYYY-MM-DD）", "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）", "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不带时间",
    "list_type": "应为列表（每项以 - 开头）",
    "dict_type": "应为键值映射", "model_type": "应为键值映射", "model_attributes_type": "应为键值映射",
    "string_too_short": "不能为空", "too_short": "至少需要 {min_length} 项",
    "string_too_long": "过长（最多 {max_length} 个字符）",
    "greater_than": "应大于 {gt}", "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}", "less_than_equal": "应不大于 {le}",
    "finite_number": "应为有限的数字",
}
_DATE_MESSAGES = {"greater_than_equal": "应不早于 {ge}", "less_than_equal": "应不晚于 {le}"}


def validation_message(err) -> str:
    """A pydantic error in Chinese: what is wrong with the value (the key path is said apart)."""
    kind, loc = err["type"], tuple(err["loc"])
    if kind == "extra_forbidden":
        return f"未知的键 “{loc[-1]}”"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", "")).replace("'", "")
        return "应为以下之一：" + expected.replace(" or ", "、").replace(", ", "、")
    if kind in _MESSAGES:
        ctx = {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in err.get("ctx", {}).items()}
        dated = isinstance(err.get("input"), dt.date)
        message = (_DATE_MESSAGES if dated and kind in _DATE_MESSAGES else _MESSAGES)[kind].format(**ctx)
        return message + (f"：{loc[-1]}" if kind == "missing" and loc else "")
    return str(err["msg"])


def shown(value: object) -> str:
    """A value as the profile wrote it: 2024-01-01, true, 'text', 3."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)
