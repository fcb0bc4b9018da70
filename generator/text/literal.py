"""Turning profile values into Markdown text that is shown literally, never interpreted.

The same Markdown is read by two renderers: markdown-it-py (CommonMark, for the DOCX) and
Python-Markdown (the site, with the extensions of the generated mkdocs.yml), and each escape used
here is one both read as the character it stands for. CommonMark honours a backslash before any
ASCII punctuation, Python-Markdown only before `_BOTH_BACKSLASH`; any other character that must not
be read as syntax is written as an HTML character reference (`&lt;`, `&#61;`), which both decode.

Every `{{ value }}` in a document template passes through `literal()`: HTML is escaped, Markdown
punctuation is escaped, and line breaks are folded, so a company called `**x** <script>` prints
exactly that in DOCX and site. Text that templates build on purpose as Markdown is wrapped in
`Markdown` to pass unchanged. A user's own Markdown (the profile's `customisation`) goes through
`user_markdown()`: its formatting works, and everything else in it is shown as typed.

The site's safety hook (`html_safety`) removes a URL attribute with a scheme it does not allow
wherever it appears in a page, in the text too; so in text an `=` after such an attribute's name is
written `&#61;`, and `href="javascript:x"` typed by a user is shown, not silently cut.
"""
from __future__ import annotations

import datetime as dt
import bisect
import functools
import html
import math
import re
import string
from html.parser import HTMLParser

from generator.text.clausetags import parser
from generator.text.html_safety import ALLOWED_SCHEMES, URL_ATTRIBUTES, safe_links

# Characters escaped everywhere, and the ones that only matter at the start of a line.
_INLINE = re.compile(r"([\\`*_\[\]{}#|!])")
_LEADING = re.compile(r"^(\s*)([-+>]|\d+[.)])")
_SETEXT = re.compile(r"\s*=+\s*")  # a line of only "=" underlines the line before it as a heading
_TILDE_FENCE = re.compile(r"^(\s*)~(?=~~)")  # "~~~" opens a code block
_INDENT = re.compile(r"^[ \t]+")  # four columns of it open a code block
_ATTRIBUTE_EQUALS = re.compile(rf"(?i)((?:{'|'.join(map(re.escape, URL_ATTRIBUTES))})\s*)=")
_ATTRIBUTE_NAME = re.compile(rf"(?i)(?:{'|'.join(map(re.escape, URL_ATTRIBUTES))})\Z")
_UNDERLINE = re.compile(r"([ \t>]*)(=+|-+)[ \t]*")
_BOTH_BACKSLASH = frozenset("\\`*_{}[]()>#+-.!|")  # Python-Markdown's escapes (with "|" of its tables)
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
    text = _BREAK.sub(" ", str(value))
    text = html.escape(text, quote=False)
    text = _INLINE.sub(r"\\\1", text)
    text = _LEADING.sub(lambda m: m.group(1) + _escape_lead(m.group(2)), text)
    text = _ATTRIBUTE_EQUALS.sub(r"\1&#61;", text)
    if _SETEXT.fullmatch(text):
        text = text.replace("=", "&#61;", 1)
    text = _TILDE_FENCE.sub(r"\1&#126;", text)
    indent = _INDENT.match(text)
    if indent and _columns(indent.group()) >= 4:  # the first of them as a reference: no code block
        text = _reference(text[0]) + text[1:]
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


def _reference(ch: str) -> str:
    return {"<": "&lt;", "&": "&amp;"}.get(ch, f"&#{ord(ch)};")


# --- a user's Markdown ---------------------------------------------------------------------------
SITE_EXTENSIONS = ("tables", "attr_list", "md_in_html", "toc", "fenced_code", "sane_lists")  # as in site.mkdocs_config (a test compares)
_SITE_TAGS = {  # what Python-Markdown makes of Markdown, with the attributes it gives them
    "p": (), "em": (), "strong": (), "code": (), "pre": (), "ul": (), "ol": ("start",), "li": (),
    "blockquote": (), "a": ("href", "title"), "table": (), "thead": (), "tbody": (), "tr": (),
    "th": ("style",), "td": ("style",), "br": (), "hr": ()}
_SHOWN = "<&{}\\"  # characters whose every occurrence the site must show (none may become markup or vanish)


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
    if regions and not (_docx_reads_alike(text, escaped) and _site_reads_alike(text, escaped)):
        escaped = _escape(text, [], underlines)
        if not _shown_alike(escaped):  # the renderers still part somewhere: plain text, the same to both
            escaped = _plain(text)
    return escaped


def _shown_alike(made: str) -> bool:
    """Whether both renderers make the same code blocks and spans of `made` and show the same count of
    each character that marks structure (Python-Markdown making no HTML of its own)."""
    import markdown

    tokens = parser().parse(made)
    reader = _Reader()
    reader.feed(markdown.markdown(made, extensions=list(SITE_EXTENSIONS)))
    reader.close()
    code = sum(part.type in ("code_inline", "code_block", "fence")
               for token in tokens for part in [token, *(token.children or [])])
    shown = "".join(_visible(tokens))
    return (reader.only_markdown and reader.code == code
            and all(reader.text.count(ch) == shown.count(ch) for ch in _SHOWN + "`~*-#>"))


def _plain(text: str) -> str:
    """`text` as plain paragraphs to both renderers: each line without its indentation, and every ASCII
    punctuation character written as a character reference (no list, quote, code or emphasis)."""
    return "\n".join("".join(f"&#{ord(ch)};" if ch in string.punctuation else ch for ch in line.strip())
                     for line in text.split("\n"))


@functools.lru_cache(maxsize=1)
def _commonmark():
    """CommonMark as the DOCX reads it, except that `<…>` and `&…;` are text (the user's meaning)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").disable(["autolink", "entity"])


def _code_regions(text: str) -> list[tuple[int, int, str | None]]:
    """Where code is in `text`, as (start, end, what to write there: None for the text as it is): the
    lines of an indented code block (with a list's or quote's markers, which are nothing to escape),
    a fenced code block at the top level (written anew, see `_fenced`), and code spans within each
    run of lines that are neither blank nor such a block."""
    tokens = _commonmark().parse(text)
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
    for token in _commonmark().parse(text):
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
    for token in _commonmark().parse(text):
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
    for token in _commonmark().parse(text):
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
            out.append("\\" + following if following in _BOTH_BACKSLASH else _reference(following))
            i += 2
            continue
        if ch == "\\" and following == "\n" and i in breaks:
            out.append("  \n")  # CommonMark's line break, as Python-Markdown writes one (before another line)
            i += 2
            continue
        if ch in "<&":
            out.append(_reference(ch))
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
    return {starts[row + 1] - 2 for token in _commonmark().parse(text) if token.type == "inline" and token.map
            for row in range(token.map[0], token.map[1] - 1) if text[starts[row + 1] - 2:starts[row + 1]] == "\\\n"}


def _after_attribute_name(text: str, i: int) -> bool:
    """Whether text[i] ("=") follows the name of a URL attribute and optional white space."""
    j = i
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return bool(_ATTRIBUTE_NAME.search(text, max(0, j - 16), j))


def _docx_reads_alike(text: str, escaped: str) -> bool:
    """Whether markdown-it reads `escaped` as the user's `text`: the same blocks, inline markup and text."""
    return _shape(_commonmark().parse(text)) == _shape(parser().parse(escaped))


def _shape(tokens) -> list:
    shape: list = []
    for token in tokens:
        if token.type == "inline":
            shape.append(_shape(token.children or []))
        elif token.type in ("text", "text_special"):
            if shape and isinstance(shape[-1], str):
                shape[-1] += token.content
            else:
                shape.append(token.content)
        else:
            if token.type in ("hardbreak", "softbreak") and shape and isinstance(shape[-1], str):
                shape[-1] = shape[-1].rstrip(" ")  # spaces before a line break show nowhere
            content = token.content if "code" in token.type or token.type == "fence" else ""
            if token.type == "fence" and content and not content.endswith("\n"):
                content += "\n"  # a fence left open at the end of the text, which _fenced closes
            shape.append((token.type, token.tag, token.nesting, content))
    return shape


def _site_reads_alike(text: str, escaped: str) -> bool:
    """Whether Python-Markdown, as the site runs it, makes only Markdown's own HTML of `escaped`, shows
    every `<`, `&`, `{` and `}` the user's text shows, and leaves the safety hook nothing to remove."""
    import markdown

    page = markdown.markdown(escaped, extensions=list(SITE_EXTENSIONS))
    reader = _Reader()
    reader.feed(page)
    reader.close()
    shown = "".join(_visible(_commonmark().parse(text)))
    return (reader.only_markdown and safe_links(page) == page
            and all(reader.text.count(ch) == shown.count(ch) for ch in _SHOWN))


def links_read_alike(markdown_text: str) -> bool:
    """Whether the site and the DOCX read the same links in `markdown_text` (a user's text as made by
    `user_markdown`): the same number, in order, each with the same shown text and the same address
    (compared decoded, as markdown-it shows an address: the DOCX writes its encoded form, percent-encoded
    and in punycode, a browser encodes the site's). Where CommonMark and Python-Markdown split a link
    differently (a quote, a space, a parenthesis or angle brackets in the address, a title), one would
    hide text or point elsewhere.
    Every link must also still have an allowed scheme: an address in angle brackets, once its "<" is
    escaped, is read by both as a relative address (which is not what the user typed)."""
    import markdown

    docx_links: list[tuple[str, str]] = []
    for block in parser(every_link=True).parse(markdown_text):
        shown = None
        for token in block.children or []:
            if token.type == "link_open":
                docx_links.append((str(token.attrs.get("href", "")), ""))
                shown = ""
            elif token.type == "link_close" and shown is not None:
                docx_links[-1], shown = (docx_links[-1][0], shown), None
            elif shown is not None and token.type in ("text", "text_special", "code_inline"):
                shown += token.content
            elif shown is not None and token.type == "softbreak":
                shown += "\n"
    site_links = page_links(markdown.markdown(markdown_text, extensions=list(SITE_EXTENSIONS)))

    decoded = parser(every_link=True).normalizeLinkText  # percent-encoding and punycode undone

    def same(links):
        return [(decoded(href), " ".join(text.split())) for href, text in links]
    schemes = [re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", href) for href, _ in docx_links]
    return (all(s and s.group(1).lower() in ALLOWED_SCHEMES for s in schemes)  # still the address typed
            and same(docx_links) == same(site_links))


def page_links(page: str) -> list[tuple[str, str]]:
    """The links of an HTML page: (href, shown text) of each, in order."""
    reader = _Links()
    reader.feed(page)
    reader.close()
    return reader.links


class _Links(HTMLParser):

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append((dict(attrs).get("href") or "", ""))
            self.inside = True

    def handle_endtag(self, tag):
        if tag == "a":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.links[-1] = (self.links[-1][0], self.links[-1][1] + data)


def _visible(tokens):
    for token in tokens:
        if token.type == "inline":
            yield from _visible(token.children or [])
        elif token.type in ("text", "text_special", "code_inline", "code_block", "fence"):
            yield token.content


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.only_markdown, self.code = "", True, 0

    def handle_starttag(self, tag, attrs):
        self.code += tag == "code"
        allowed = _SITE_TAGS.get(tag)
        if allowed is None or any(name not in allowed for name, _ in attrs):
            self.only_markdown = False

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text += data

    def handle_comment(self, data):
        self.only_markdown = False

    handle_decl = handle_pi = unknown_decl = handle_comment
