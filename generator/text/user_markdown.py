"""A user's own Markdown (the profile's `customisation`) made safe to print: its formatting works
in both renderers, and everything else in it is shown as typed (`user_markdown`).
"""
from __future__ import annotations

import bisect
import re
import string

from generator.text.html_safety import URL_ATTRIBUTES
from generator.text.html_text import reference
from generator.text.read_alike import commonmark, docx_reads_alike, shown_alike, site_reads_alike

_ATTRIBUTE_NAME = re.compile(rf"(?i)(?:{'|'.join(map(re.escape, URL_ATTRIBUTES))})\Z")
_UNDERLINE = re.compile(r"([ \t>]*)(=+|-+)[ \t]*")
_BOTH_BACKSLASH = frozenset("\\`*_{}[]()>#+-.!|")  # Python-Markdown's escapes (with "|" of its tables)


def user_markdown(text: str) -> str:
    """A user's Markdown as both renderers read it alike: emphasis, lists, quotes, tables and links
    work, and everything else is shown as typed — HTML, character references (`&amp;` shows as
    typed), attribute lists (`{: …}`), a `#` that Python-Markdown alone takes for a heading, a
    backtick CommonMark leaves unpaired (Python-Markdown would pair it), a line of "=" or "-" that
    Python-Markdown alone would take for a heading's underline, and CommonMark's backslash escapes
    and backslash line breaks (written the way the site reads them).

    Code (spans, indented blocks and fenced blocks) is left as it is: both renderers show it
    literally, and an escape there would show; a fence at the top level is written anew so that both
    read it alike (`_fenced`), one inside a list or quote shows as typed (the site reads no fence there). Where code is found is checked afterwards by parsing the result with
    both renderers (markdown-it must read the same structure and text as in `text`; Python-Markdown
    must make no HTML of the user's and show every `<`, `&`, `{` and `}`); if either check fails, the
    text is escaped throughout instead, which is never HTML, only less faithful inside code; and where
    even that would be read apart, it becomes plain paragraphs (`_plain`) showing every character typed."""
    regions, underlines = _code_regions(text), {**_underlines(text), **_nested_fences(text)}
    for at in _list_starts(text):
        underlines[at] = "\n" + underlines.get(at, text[at])
    escaped = _escape(text, regions, underlines)
    if regions and not (docx_reads_alike(text, escaped) and site_reads_alike(text, escaped)):
        escaped = _escape(text, [], underlines)
        if not shown_alike(escaped):  # the renderers still part somewhere: plain text, the same to both
            escaped = _plain(text)
    return escaped



def _plain(text: str) -> str:
    """`text` as plain paragraphs to both renderers: each line without its indentation, and every ASCII
    punctuation character written as a character reference (no list, quote, code or emphasis)."""
    return "\n".join("".join(f"&#{ord(ch)};" if ch in string.punctuation else ch for ch in line.strip())
                     for line in text.split("\n"))



def _code_regions(text: str) -> list[tuple[int, int, str | None]]:
    """Where code is in `text`, as (start, end, what to write there: None for the text as it is): the
    lines of an indented code block (with a list's or quote's markers, which are nothing to escape),
    a fenced code block at the top level (written anew, see `_fenced`), and code spans within each
    run of lines that are neither blank nor such a block."""
    tokens = commonmark().parse(text)
    block = {row for token in tokens if token.type == "code_block" and token.map for row in range(*token.map)}
    fences = {token.map[0]: token for token in tokens if token.type == "fence" and token.level == 0 and token.map}
    fenced = {row for token in tokens if token.type == "fence" and token.map for row in range(*token.map)}
    lines = text.split("\n")
    regions: list[tuple[int, int, str | None]] = []
    start = run = 0
    for row, line in enumerate(lines + [""]):
        if row in block or row in fenced or not line.strip():
            regions += _code_spans(text, run, max(start - 1, run))
            if row in block:
                regions.append((start, start + len(line), None))
            elif row in fences:
                last = min(fences[row].map[1], len(lines))  # the row after the block
                end = start + sum(len(lines[r]) + 1 for r in range(row, last)) - 1
                regions.append((start, min(end, len(text)), _fenced(fences[row].content)))
            run = start + len(line) + 1
        start += len(line) + 1
    return sorted(regions)


def _fenced(content: str) -> str:
    """A fenced code block as both renderers read it alike (markdown-it, and Python-Markdown's
    fenced_code, which wants the fence at the line's start and the same fence to close it): a line of
    backticks longer than any that starts a line of the code, at the start of a line, between blank
    lines, closed even if the user's was not (CommonMark's block then ran to the end of the text).
    The info string ("```html") is left out: neither renderer shows it."""
    if content and not content.endswith("\n"):
        content += "\n"
    longest = max((len(m.group(1)) for m in re.finditer(r"(?m)^[ \t]*(`+)", content)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"\n{fence}\n{content}{fence}\n"


def _list_starts(text: str) -> list[int]:
    """Where a blank line must go before a list at the top level for Python-Markdown to read it as
    CommonMark does: after a paragraph (CommonMark lets a list interrupt one, Python-Markdown does not)
    or after a list of the other kind (bulleted, numbered: CommonMark starts a new list; Python-Markdown,
    with sane_lists, only after a blank line). Bulleted after bulleted ("- a" then "* b") is two lists
    to CommonMark and one to Python-Markdown: the same bullets either way, so it is left as it is."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    out, before = [], None
    for token in commonmark().parse(text):
        if token.level != 0 or token.nesting == -1:
            continue
        if token.type in ("bullet_list_open", "ordered_list_open") and token.map and token.map[0] > 0:
            row = token.map[0]
            follows = before is not None and before.map and before.map[1] == row  # no blank line between
            if follows and not (before.type == token.type == "bullet_list_open"):
                out.append(starts[row])
        before = token if token.map else before
    return out


def _nested_fences(text: str) -> dict[int, str]:
    """A fence inside a list or quote shows as typed: its markers are escaped (Python-Markdown reads
    fences only at the start of a line, not indented, and so not inside a list or quote)."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    out = {}
    for token in commonmark().parse(text):
        if token.type == "fence" and token.level > 0 and token.map:
            for row in {token.map[0], token.map[1] - 1}:
                line = text[starts[row]:starts[row + 1] - 1] if row + 1 < len(starts) else ""
                at = line.find(token.markup[0] * 3)
                if at >= 0:
                    out[starts[row] + at] = "\\`" if token.markup[0] == "`" else "&#126;"
    return out


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int, None]]:
    """Code spans in text[start:end], by CommonMark's rule: a run of backticks not escaped by a
    backslash opens one, which the next run of exactly as many backticks closes (inside a span a
    backslash escapes nothing)."""
    runs: dict[int, list[int]] = {}  # length → where each run of backticks of that length starts
    for run in re.finditer("`+", text[start:end]):
        runs.setdefault(len(run.group()), []).append(start + run.start())
    spans, i = [], start
    while i < end:
        if text[i] == "\\" and i + 1 < end and text[i + 1] in string.punctuation:
            i += 2
            continue
        if text[i] != "`":
            i += 1
            continue
        opening = i
        while opening < end and text[opening] == "`":
            opening += 1
        same = runs.get(opening - i, [])
        k = bisect.bisect_left(same, opening)
        if k < len(same):  # closed
            spans.append((i, same[k] + opening - i, None))
            i = spans[-1][1]
        else:
            i = opening
    return spans


def _underlines(text: str) -> dict[int, str]:
    """What to write instead of characters of lines Python-Markdown would read as a heading's underline.

    Python-Markdown looks for one before lists and quotes: any second line of only "=" or "-" (after
    a quote's ">") underlines the first, as in ">" and "=", or "- a" and "---". To CommonMark (for
    which the user's headings have already become bold lines) such a line is text, a thematic break
    or an empty list item. Text is escaped ("&#61;", "\\-"); a break is written "***", the same break
    to both and no underline; an empty list item (a lone "-" under a line) is left as it is."""
    rules, lazy = set(), set()
    for token in commonmark().parse(text):
        if token.type == "hr" and token.map:
            rules.add(token.map[0])
        elif token.type == "paragraph_open" and token.map:
            lazy.update(range(token.map[0] + 1, token.map[1]))
    out: dict[int, str] = {}
    start = 0
    for row, line in enumerate(text.split("\n")):
        underline = _UNDERLINE.fullmatch(line)
        if underline and underline.group(2)[0] == "=":
            out[start + underline.start(2)] = "&#61;"
        elif underline and row in rules:
            out.update((start + i, "*") for i in range(underline.start(2), underline.end(2)))
        elif underline and row in lazy:
            out[start + underline.start(2)] = "\\-"
        start += len(line) + 1
    return out


def _escape(text: str, regions: list[tuple[int, int, str | None]], underlines: dict[int, str]) -> str:
    out, i, bounds = [], 0, iter(regions + [(len(text), len(text), None)])
    breaks = _backslash_breaks(text)
    code_start, code_end, written = next(bounds)
    while i < len(text):
        if i == code_start:
            out.append(text[code_start:code_end] if written is None else written)
            i = code_end
            code_start, code_end, written = next(bounds)
            continue
        ch, following = text[i], text[i + 1:i + 2]
        if i in underlines:
            out.append(underlines[i])
            i += 1
            continue
        if ch == "\\" and following and following in string.punctuation:
            out.append("\\" + following if following in _BOTH_BACKSLASH else reference(following))
            i += 2
            continue
        if ch == "\\" and following == "\n" and i in breaks:
            out.append("  \n")  # CommonMark's line break, as Python-Markdown writes one (before another line)
            i += 2
            continue
        if ch in "<&":
            out.append(reference(ch))
        elif ch in "{}#`":  # a backtick here is text to CommonMark; Python-Markdown could pair it up
            out.append("\\" + ch)
        elif ch == "=" and _after_attribute_name(text, i):
            out.append("&#61;")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _backslash_breaks(text: str) -> set[int]:
    """Where a backslash ending a line is CommonMark's line break: on a line of a paragraph (or other
    inline text) that is not its last. At the end of a paragraph, before a fence, list item or other
    block that interrupts it, the backslash is text and shows as typed."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    return {starts[row + 1] - 2 for token in commonmark().parse(text) if token.type == "inline" and token.map
            for row in range(token.map[0], token.map[1] - 1) if text[starts[row + 1] - 2:starts[row + 1]] == "\\\n"}


def _after_attribute_name(text: str, i: int) -> bool:
    """Whether text[i] ("=") follows the name of a URL attribute and optional white space."""
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return bool(_ATTRIBUTE_NAME.search(text, max(0, j - 16), j))
