"""Chinese lines joined without a gap on the site, as in the DOCX: an MkDocs hook, and the rule behind it.

A paragraph's Markdown wraps its lines, and a browser shows each line break in running text as a
space: between two Chinese characters a stray gap ("一行中文 接着一行"). CSS Text 3 (segment breaks)
drops such a break, but Chromium, the browser most readers use, does not. This hook applies the rule
itself, as the DOCX writer does (`joins_without_space` is its rule too): a line break with the spaces
and tabs around it is removed where the nearest characters on both sides are wide East Asian characters
other than Hangul. Looking for them, inline formatting tags (bold, italics, code, links, spans) are
stepped over; any other tag, a character reference or a space ends the search and the break stays.
Code (`pre`) and script, style and textarea elements are left as they are.

Standard library only: `generator/output/site/project.py` copies this file next to each generated mkdocs.yml, so the
project in an output folder builds with plain MkDocs.
"""
from __future__ import annotations

import re
import unicodedata

_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uffa0-\uffdc]")
_KEPT = re.compile(r"<(pre|script|style|textarea)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_INLINE_TAG = re.compile(r"</?(?:strong|em|b|i|code|a|span|mark|del|ins|sub|sup|small|abbr)\b[^<>]*>",
                         re.IGNORECASE)


def joins_without_space(ch: str) -> bool:
    """Whether a line break between this character and another such is dropped rather than read as a
    space: the rule of CSS Text 3 (segment breaks), for wide East Asian characters other than Hangul."""
    return bool(ch) and unicodedata.east_asian_width(ch) in "FWH" and not _HANGUL.match(ch)


def join_wide_lines(html: str) -> str:
    """`html` without the line breaks in text that CSS Text 3 would not show (see the module's text)."""
    parts = []
    start = 0
    for kept in _KEPT.finditer(html):
        parts += [_join(html[start:kept.start()]), kept.group()]
        start = kept.end()
    return "".join(parts + [_join(html[start:])])


def _join(text: str) -> str:
    if "\n" not in text:
        return text
    return _BREAK.sub(lambda m: "" if _wide_on_both_sides(text, m.start(), m.end()) else m.group(), text)


def _wide_on_both_sides(text: str, start: int, end: int) -> bool:
    while start and text[start - 1] == ">":  # step back over an inline tag ending here
        opening = text.rfind("<", 0, start)
        if opening < 0 or not _INLINE_TAG.fullmatch(text, opening, start):
            break
        start = opening
    while tag := _INLINE_TAG.match(text, end):
        end = tag.end()
    return start > 0 and end < len(text) and joins_without_space(text[start - 1]) and joins_without_space(text[end])


def on_page_content(content, page, config, files):  # noqa: ARG001 - MkDocs' hook signature
    return join_wide_lines(content)
