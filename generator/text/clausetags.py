"""Clause tags: a heading declares the clauses it serves with a trailing `{clauses=5.1.1,5.1.1.1}`.

Both renderings (DOCX and site) and the traceability matrix read headings through `sections()`, so
a tag is parsed in exactly one place. An escaped brace (`\\{`, as user text is escaped) is no tag.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

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


@functools.lru_cache(maxsize=32)
def sections(markdown: str) -> tuple[Section, ...]:
    tokens = parser().parse(markdown)
    out = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            title, ids = split(tokens[i + 1].content)
            out.append(Section(title, int(token.tag[1]), ids, token.map[0] if token.map else 0))
    return tuple(out)
