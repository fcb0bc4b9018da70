"""Clause tags: a heading declares the clauses it serves with a trailing `{clauses=5.1.1,5.1.1.1}`.

A document's Markdown is parsed once (`parser()`); its headings are read from those tokens by
`sections_of()`, which both renderings (DOCX and site) and the traceability matrix use, so a tag is
parsed in exactly one place. An escaped brace (`\\{`, as user text is escaped) is no tag.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
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


def sections_of(tokens: Sequence[Token]) -> tuple[Section, ...]:
    """The headings of a parsed document, with the clauses each one's tag names."""
    out = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            title, ids = split(tokens[i + 1].content)
            out.append(Section(title, int(token.tag[1]), ids, token.map[0] if token.map else 0))
    return tuple(out)


def sections(markdown: str) -> tuple[Section, ...]:
    """The headings of Markdown not parsed yet (a short text; a document carries its tokens)."""
    return sections_of(parser().parse(markdown))
