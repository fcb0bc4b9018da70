"""Clause tags: a heading declares the clauses it serves with a trailing `{clauses=5.1.1,5.1.1.1}`.

A document's Markdown is parsed once (`parser()`); its headings are read from those tokens by
`sections_of()`, which both renderings (DOCX and site) and the traceability matrix use, so a tag is
parsed in exactly one place. An escaped brace (`\\{`, as user text is escaped) is no tag.
"""
from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

TAG = re.compile(r"\s*(?<!\\)\{clauses=([0-9.,\s]+)\}\s*$")


@dataclass(frozen=True)
class Section:
    title: str  # heading text without the tag, as Markdown source
    level: int
    clauses: tuple[str, ...]
    line: int  # 0-based line of the heading in the document's Markdown

    @property
    def text(self) -> str:
        """The title as a reader sees it: Markdown escapes removed."""
        return self.title.replace("\\", "").strip()


def split(heading: str) -> tuple[str, tuple[str, ...]]:
    """('组织架构', ('5.1.1', '5.1.1.1')) from '组织架构 {clauses=5.1.1,5.1.1.1}'."""
    match = TAG.search(heading)
    if not match:
        return heading, ()
    ids = tuple(part.strip() for part in match.group(1).split(",") if part.strip())
    return heading[: match.start()], ids


@functools.lru_cache(maxsize=2)
def parser(every_link: bool = False) -> MarkdownIt:
    """One parser for the process: building one costs more than parsing a short document. With
    `every_link`, links of every scheme are read as links (markdown-it drops javascript: and the
    like), so that a caller judging a user's links sees them all."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    if every_link:
        md.validateLink = lambda url: True
    return md


def _inline(state, plain: re.Pattern) -> None:
    """markdown-it's core rule `inline`, except that text in which no inline rule can start (`plain`
    finds none of the characters where one may: a name, an address in a table's cell) becomes its one
    text token without running them: what they would make of it (tests/test_skimmed_sections.py)."""
    md, env = state.md, state.env
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            content = token.content
            if content and plain.search(content) is None:
                token.children.append(Token("text", "", 0, content=content))
            else:
                md.inline.parse(content, md, env, token.children)


def sections_of(tokens: Sequence[Token]) -> tuple[Section, ...]:
    """The headings of a parsed document, with the clauses each one's tag names."""
    out = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            title, ids = split(tokens[i + 1].content)
            out.append(Section(title, int(token.tag[1]), ids, token.map[0] if token.map else 0))
    return tuple(out)


def sections(markdown: str) -> tuple[Section, ...]:
    """The headings of Markdown not parsed yet, as `sections_of(parser().parse(markdown))` gives them,
    at a fraction of the cost: the blocks are found as the parser finds them, but tables make no
    tokens and no inline text is parsed (a manual with 10,000 outlets: 0.1 s instead of 0.7 s)."""
    return sections_of(_skimmer().parse(markdown))


def lone_images(markdown: str, likely: Callable[[str], bool]) -> dict[int, tuple[str, str]]:
    """The lines of Markdown that are a paragraph of one image alone, outside any list, quote or table,
    as `parser()` reads them: line number -> (the image's source, its text). Only the paragraphs
    whose text is `likely` to be one are parsed inline; the rest is skimmed as `sections` does."""
    env: dict = {}
    md = parser()
    out = {}
    for token in _skimmer().parse(markdown, env):
        if (token.type == "inline" and token.level == 1 and token.map and token.map[1] - token.map[0] == 1
                and likely(token.content)):
            children: list[Token] = []
            md.inline.parse(token.content, md, env, children)
            if len(children) == 1 and children[0].type == "image":
                out[token.map[0]] = (children[0].attrGet("src"), children[0].content)
    return out


@functools.lru_cache(maxsize=1)
def _skimmer() -> MarkdownIt:
    md = parser().__class__("commonmark", {"html": False}).enable("table")
    md.block.ruler.at("table", _skim_table, {"alt": ["paragraph", "reference"]})
    md.core.ruler.disable(["inline", "text_join"])
    return md


def _skim_table(state, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule (rules_block/table.py) without its tokens: the table starts where that
    rule says, and ends where its loop ends, by the same tests (tests/test_skimmed_sections.py compares)."""
    if not _TABLE(state, start, end, True):
        return False
    if silent:
        return True
    count = len(_cells(_trim(state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]])))
    for _ in _body_rows(state, start, end, count, _cell_count):
        pass
    state.push("table_open", "table", 1).map = [start, state.line]
    state.push("table_close", "table", -1)
    return True


def document_parser() -> MarkdownIt:
    """`parser()` for a whole document: a body row of a table whose cells are all plain text (no
    character an inline rule acts on: names, addresses, telephone numbers of a long list of outlets; or
    none but escapes, as `literal` escapes user text) is one token, `table_row_text` (meta["cells"], the
    texts; meta["aligns"]; meta["sources"], the cells as written, where they hold escapes), instead of
    markdown-it's 3 + 4 per cell.
    `stock()` gives back markdown-it's own tokens; tests/test_skimmed_sections.py holds the two equal.
    The DOCX writer reads both forms."""
    return _document_parser()


@functools.lru_cache(maxsize=1)
def _document_parser() -> MarkdownIt:
    md = parser().__class__("commonmark", {"html": False}).enable("table")
    md.block.ruler.at("table", _table_with_text_rows, {"alt": ["paragraph", "reference"]})
    plain = md.inline.terminator_re
    md.core.ruler.at("inline", lambda state: _inline(state, plain))
    return md


ROW_OF_TEXT = "table_row_text"
# Cell text in which no inline rule of the parser (commonmark, no HTML) starts: each of these characters
# starts one (line break, escape, code, emphasis, link, image, autolink, entity); without them the text
# is one text token, as it is.
_PLAIN_CELL = re.compile(r"[^\n\\`*_\[\]!<&]*")
# Cell text that is plain once its escapes are read: user text as `literal` escapes it ("3\\#楼",
# "R&amp;D"): a backslash before ASCII punctuation, or one of the entities `literal` writes, and no
# other character an inline rule acts on. Each escape is one character of the text, as markdown-it reads it.
_ESCAPED_CELL = re.compile(r"(?:[^\n\\`*_\[\]!<&]|\\[!-/:-@\[-`{-~]|&(?:amp|lt|gt|#61|#126);)*")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])|&(amp|lt|gt|#61|#126);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "#61": "=", "#126": "~"}


def _shown(cell: str) -> str:
    """The text of a cell that `_ESCAPED_CELL` matches, its escapes read."""
    return _ESCAPE.sub(lambda m: m[1] or _ENTITIES[m[2]], cell)


def _table_with_text_rows(state, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule (rules_block/table.py), step for step, with a body row of plain cells
    made one `table_row_text` token."""
    if not _TABLE(state, start, end, True):
        return False
    if silent:
        return True
    aligns = []
    columns = _trim(state.src[state.bMarks[start + 1] + state.tShift[start + 1]:state.eMarks[start + 1]]).split("|")
    for i, column in enumerate(columns):
        column = _trim(column)
        if not column and (i == 0 or i == len(columns) - 1):
            continue
        aligns.append(("center" if column[0] == ":" else "right") if column[-1] == ":" else
                      "left" if column[0] == ":" else "")
    header = _cells(_trim(state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]))
    count = len(header)
    styles = [{"style": "text-align:" + align} if align else {} for align in aligns]
    table = state.push("table_open", "table", 1)
    table.map = [start, 0]
    state.push("thead_open", "thead", 1).map = [start, start + 1]
    state.push("tr_open", "tr", 1).map = [start, start + 1]
    for i in range(count):
        state.push("th_open", "th", 1).attrs = dict(styles[i])
        inline = state.push("inline", "", 0)
        inline.map, inline.content, inline.children = [start, start + 1], _trim(header[i]), []
        state.push("th_close", "th", -1)
    state.push("tr_close", "tr", -1)
    state.push("thead_close", "thead", -1)
    body = None
    for line, cells in _body_rows(state, start, end, count, _cells):
        if body is None:
            body = state.push("tbody_open", "tbody", 1)
            body.map = [start + 2, 0]
        texts = [_trim(cells[i]) if i < len(cells) and cells[i] else "" for i in range(count)]
        if all(_PLAIN_CELL.fullmatch(cell) for cell in texts):
            row = state.push(ROW_OF_TEXT, "tr", 0)
            row.map, row.meta = [line, line + 1], {"cells": texts, "aligns": aligns}
        elif all(_ESCAPED_CELL.fullmatch(cell) for cell in texts):
            row = state.push(ROW_OF_TEXT, "tr", 0)
            row.map, row.meta = [line, line + 1], {"cells": [_shown(cell) for cell in texts], "aligns": aligns,
                                                   "sources": texts}
        else:
            state.push("tr_open", "tr", 1).map = [line, line + 1]
            for i in range(count):
                state.push("td_open", "td", 1).attrs = dict(styles[i])
                inline = state.push("inline", "", 0)
                inline.map, inline.content, inline.children = [line, line + 1], texts[i], []
                state.push("td_close", "td", -1)
            state.push("tr_close", "tr", -1)
    if body is not None:
        state.push("tbody_close", "tbody", -1)
        body.map[1] = state.line
    state.push("table_close", "table", -1)
    table.map[1] = state.line
    return True


def _body_rows(state, start: int, end: int, count: int, split):
    """(line, split(row)) of each body row of the table whose header is line `start` of `count` cells,
    ending where markdown-it's table rule ends it (a blank line, a block that starts, a line indented
    less or as code, too many cells left empty), by its own tests; `state.line` is then the line after
    the table. A row that starts with "|" starts no block (each block rule wants its own first character)."""
    terminators = state.md.block.ruler.getRules("blockquote")
    parent, state.parentType = state.parentType, "table"
    src, autocompleted, line = state.src, 0, start + 2
    while line < end:
        if state.sCount[line] < state.blkIndent:
            break
        first = state.bMarks[line] + state.tShift[line]
        if src[first:first + 1] != "|" and any(rule(state, line, end, True) for rule in terminators):
            break
        text = _trim(src[first:state.eMarks[line]])
        if not text or state.is_code_block(line):
            break
        cells = split(text)
        autocompleted += count - (cells if isinstance(cells, int) else len(cells))
        if autocompleted > _MAX_AUTOCOMPLETED:
            break
        yield line, cells
        line += 1
    state.parentType = parent
    state.line = line


def stock(tokens: Sequence[Token]) -> list[Token]:
    """The tokens with each `table_row_text` written out as markdown-it's own row tokens."""
    out = []
    for token in tokens:
        if token.type != ROW_OF_TEXT:
            out.append(token)
            continue
        level, line = token.level, token.map
        row = Token("tr_open", "tr", 1, map=list(line), level=level, block=True)
        out.append(row)
        sources = token.meta.get("sources", token.meta["cells"])
        for text, source, align in zip(token.meta["cells"], sources, token.meta["aligns"]):
            out.append(Token("td_open", "td", 1, attrs={"style": "text-align:" + align} if align else {},
                             level=level + 1, block=True))
            children = [Token("text", "", 0, content=text)] if text else []
            if source is not text and (first := _ESCAPE.match(source)):  # markdown-it's text_join keeps
                children[0].markup, children[0].info = first[0], "escape" if first[1] else "entity"  # the first's
            out.append(Token("inline", "", 0, map=list(line), level=level + 2, content=source, children=children,
                             block=True))
            out.append(Token("td_close", "td", -1, level=level + 1, block=True))
        out.append(Token("tr_close", "tr", -1, level=level, block=True))
    return out


def _cell_count(text: str) -> int:
    """len(_cells(text)), without making the cells where no backslash escapes a pipe."""
    if "\\" in text:
        return len(_cells(text))
    if not text:
        return 0
    count = text.count("|") + 1 - text.startswith("|")
    return count - (count > 0 and text.endswith("|"))


def _cells(text: str) -> list[str]:
    """A row's cells, as markdown-it splits it (its splitter reads a character at a time, for the escaped
    pipes only a backslash makes), without the empty ones at the ends."""
    cells = _SPLIT(text) if "\\" in text else text.split("|")
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


_TABLE_MODULE = importlib.import_module("markdown_it.rules_block.table")  # the package exports the function by that name
_TABLE, _SPLIT, _trim = _TABLE_MODULE.table, _TABLE_MODULE.escapedSplit, _TABLE_MODULE.mdTrim
_MAX_AUTOCOMPLETED = _TABLE_MODULE.MAX_AUTOCOMPLETED_CELLS
