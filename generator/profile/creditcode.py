"""统一社会信用代码 (unified social credit identifier), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without I, O, Z, S, V):
registration authority (1), organisation type (1), administrative division (6, digits),
organisation code (9), check character (1). The check character is computed over the first 17
with weights 3^i mod 31.
"""
from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """None when `code` is a valid credit code, otherwise what is wrong with it (Chinese)."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，这里是 {len(code)} 位"
    bad = sorted({c for c in code if c not in ALPHABET})
    if bad:
        return f"统一社会信用代码含有不允许的字符 {''.join(bad)}（只能是数字和除 I、O、Z、S、V 外的大写字母）"
    if not code[2:8].isdigit():
        return "统一社会信用代码第 3–8 位（行政区划码）应为数字"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：按 GB 32100 第 18 位应为 {expected}，实际为 {code[17]}"
    return None
