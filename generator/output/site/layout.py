"""Where everything lands on a company's site: the page of each document section and of each
clause of the guide, their anchors, and relative links between pages.

All links are relative, so the same pages work in a company's own site and in the published site.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass

SINGLE_PAGES = {"application": "application.md", "checklist": "checklist.md", "scorecard": "scorecard.md",
                "promise": "promise.md", "plan": "plan.md"}


def clause_anchor(clause_id: str) -> str:
    return "c-" + clause_id.replace(".", "-")


def section_anchor(index: int) -> str:
    return f"s-{index}"


def guide_page(clause_id: str) -> str:
    """Indicators 5.x.y and below have a page per 5.x.y; every other clause is on the guide's index."""
    parts = clause_id.split(".")
    return f"guide/{'-'.join(parts[:3])}.md" if parts[0] == "5" and len(parts) >= 3 else "guide/index.md"


def rel(source: str, target: str) -> str:
    """A link from page `source` to `target` (both relative to the docs folder), anchors kept."""
    path, _, anchor = target.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(source) or ".")
    return link + (f"#{anchor}" if anchor else "")


@dataclass
class Layout:
    """Where every document section lands: (document key, section index) -> page."""

    pages: dict[tuple[str, int], str]
    chapters: list[tuple[str, str]]  # manual chapters: (title, page)

    def section(self, key: str, index: int) -> str:
        return f"{self.pages[(key, index)]}#{section_anchor(index)}"


def layout(documents) -> Layout:
    """The manual a page per chapter under manual/, every other document a page of its own."""
    pages, chapters = {}, []
    for doc in documents:
        if doc.key != "manual":
            for i in range(len(doc.sections)):
                pages[(doc.key, i)] = SINGLE_PAGES[doc.key]
            continue
        page = None
        for i, section in enumerate(doc.sections):
            if section.level == 1:
                page = f"manual/{len(chapters) + 1:02d}.md"
                chapters.append((section.title.strip(), page))
            pages[(doc.key, i)] = page
    return Layout(pages, chapters)
