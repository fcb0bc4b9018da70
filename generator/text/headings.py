"""Section numbers of a numbered document (the manual), read from its headings, and references to them.

A numbered document types each section's number at the start of its heading, as readers of the
site and of the Markdown see it: "13 维修服务", "13.2 备件与收费", "附录 E 配件和维修收费标准". A heading
with no number (颁布令, 修订记录, a record form's "R01 投诉登记处理表") is not numbered. The numbers
must run on (1, 2 …; 13.1, 13.2 …; 附录 A, B …), since the DOCX shows them through Word's list
numbering (`generator.output.docx.numbering`), which counts, so that a section inserted in Word
renumbers those after it; a typed number that Word would count differently is an error.

A template refers to a section with `{{ see("13.2") }}` (or "9", "附录 E"): the Markdown link
`[13.2](#sec-13.2)`, which the DOCX writes as a REF field to the heading's bookmark and the site as
a link to the section's page.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.text.clausetags import Section

LEVELS = 3  # heading levels numbered 1 / 1.1 / 1.1.1
_CHAPTER = re.compile(r"(\d{1,3}(?:\.\d{1,3}){0,2})[ \u3000]+(?=\S)")
_APPENDIX = re.compile(r"附录[ \u3000]*([A-Z])(?:[ \u3000]+(?=\S)|$)")
# A reference as Markdown: the target of `see()`'s link. Its key is a section number or an appendix letter.
REFERENCE = re.compile(r"#sec-(\d{1,3}(?:\.\d{1,3}){0,2}|[A-Z])")
_SHOWN = re.compile(r"(?:附录[ \u3000]*)?(\d{1,3}(?:\.\d{1,3}){0,2}|[A-Z])")


@dataclass(frozen=True)
class Label:
    """A heading's number: a chapter or section ("13.2"), or an appendix ("E")."""

    key: str  # "13.2", or "E" for 附录 E
    appendix: bool
    typed: int  # characters at the start of the heading's text that type the number (and the space after)

    @property
    def level(self) -> int:
        return 1 if self.appendix else self.key.count(".") + 1

    @property
    def shown(self) -> str:
        """The number as the document shows it: "13.2", "附录 E"."""
        return f"附录 {self.key}" if self.appendix else self.key


class NumberingError(ValueError):
    """A typed number that Word's list numbering would show differently, or a reference to no section."""

    def __init__(self, message: str, heading: str = ""):
        super().__init__(message)
        self.heading = heading  # the heading's text as typed, to find it in the templates


def label(text: str, level: int) -> Label | None:
    """The number typed at the start of a heading's text at `level`, if it types one."""
    if level == 1 and (match := _APPENDIX.match(text)):
        return Label(match[1], True, match.end())
    match = _CHAPTER.match(text)
    if match and level <= LEVELS and match[1].count(".") + 1 == level:
        return Label(match[1], False, match.end())
    return None


def labels(sections: Sequence[Section]) -> list[Label | None]:
    """Each heading's number; raises NumberingError where a typed number does not run on from the one
    before it at its level (Word's list numbering would show another), naming the number expected."""
    out: list[Label | None] = []
    counters = [0] * LEVELS
    appendices = 0
    for section in sections:
        found = label(section.text, section.level)
        out.append(found)
        if found is None:
            chapter = _CHAPTER.match(section.text)
            if chapter and section.level <= LEVELS or _APPENDIX.match(section.text):
                raise NumberingError(f"标题 “{section.text}” 的编号与它的标题级别不符：{section.level} 级标题"
                                     + (f"的编号应写作 {_expected(counters, section.level)}" if chapter else
                                        "不能是附录，附录是 1 级标题"), section.title.strip())
            continue
        if found.appendix:
            expected = chr(ord("A") + appendices)
            appendices += 1
        else:
            depth = found.level
            expected = _expected(counters, depth)
            counters[depth - 1] += 1
            counters[depth:] = [0] * (LEVELS - depth)
        if found.key != expected:
            shown = f"附录 {expected}" if found.appendix else expected
            raise NumberingError(f"标题 “{section.text}” 的编号与前文不接续：Word 的自动编号会显示为 {shown}",
                                 section.title.strip())
    return out


def _expected(counters: list[int], level: int) -> str:
    parts = [str(max(n, 1)) for n in counters[:level - 1]] + [str(counters[level - 1] + 1)]
    return ".".join(parts)


def targets(sections: Sequence[Section], found: Sequence[Label | None]) -> dict[str, int]:
    """The index of the section each number names: {"13.2": 52, "E": 70}."""
    return {item.key: i for i, item in enumerate(found) if item is not None}


def see(number: str) -> str:
    """A reference's Markdown: `[13.2](#sec-13.2)`, `[附录 E](#sec-E)`; raises NumberingError for text
    that is not a section number."""
    match = _SHOWN.fullmatch(str(number).strip())
    if match is None or (match[1].isalpha() != str(number).strip().startswith("附录")):
        raise NumberingError(f"see() 的参数应是章节号或附录号，例如 “13.2”“9”“附录 E”，不是 “{number}”")
    key = match[1]
    shown = f"附录 {key}" if key.isalpha() else key
    return f"[{shown}](#sec-{key})"


def unresolved(markdown_targets: Sequence[str], known: dict[str, int]) -> list[str]:
    """The referenced keys that name no section."""
    return sorted({key for key in markdown_targets if key not in known})
