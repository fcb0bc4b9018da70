"""Section numbers of a numbered document (the manual), counted as Word counts them, and references.

A numbered document's templates type each section's number at the start of its heading, as readers of
the site and of the Markdown see it: "13 维修服务", "13.2 备件与收费", "附录 E 配件和维修收费标准". The DOCX
shows the numbers through Word's list numbering (`generator.output.docx.numbering`), which counts, so
that a section inserted in Word renumbers those after it. The typed numbers are therefore only where
a number goes: `renumber` writes the numbers Word will show into the Markdown before anything reads it,
so that a section a profile leaves out (delivery not provided), or a consultant's template that drops
or adds one, gives the same numbers on the site as in Word. What is numbered:
- a level-1 heading that types a number is a chapter (1, 2 …); one that types "附录 X" an appendix
  (附录 A, B …); any other level-1 heading (颁布令) is not numbered, nor is anything under it;
- a level-2 or level-3 heading within a chapter is numbered (13.1, 13.1.1), whether it types a number
  or not; under an appendix or an unnumbered heading it is not (a record form's "R01 投诉登记处理表").

A template refers to a section with `{{ see("13.2") }}` (or "9", "附录 E"), by the number it types: the
Markdown link `[13.2](#sec-13.2)`, renumbered with its section, which the DOCX writes as a REF field
to the heading's bookmark and the site as a link to the section's page.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.text.clausetags import Section

LEVELS = 3  # heading levels numbered 1 / 1.1 / 1.1.1
_NUMBER = r"\d{1,3}(?:\.\d{1,3}){0,2}"
_CHAPTER = re.compile(rf"({_NUMBER})[ \u3000]+(?=\S)")  # a chapter's number: "13 维修服务"
_SECTION = re.compile(r"(\d{1,3}(?:\.\d{1,3}){1,2})(?![\d.])[ \u3000]*")  # a section's: "13.2 …", "13.4新节"
_APPENDIX = re.compile(r"附录[ \u3000]*([A-Z])(?![A-Za-z])[ \u3000]*")
_HEADING_LINE = re.compile(r"[ ]{0,3}(?:#{1,6}[ \t]+)?")  # where a heading's text starts on its line
# A reference as Markdown: the link `see()` writes. Its key is a section number or an appendix letter.
REFERENCE = re.compile(rf"#sec-({_NUMBER}|[A-Z])")
_LINK = re.compile(r"\[([^\]\n]*)\]\(" + REFERENCE.pattern + r"\)")
_SHOWN = re.compile(rf"(?:附录[ \u3000]*)?({_NUMBER}|[A-Z])")


@dataclass(frozen=True)
class Label:
    """A heading's number as Word shows it: a chapter or section ("13.2"), or an appendix ("E"); and
    the number its text types, if any."""

    key: str  # "13.2", or "E" for 附录 E
    appendix: bool
    typed: str | None = None  # the number typed in the heading's text ("13.4", "E"), None if it types none

    @property
    def level(self) -> int:
        return 1 if self.appendix else self.key.count(".") + 1

    @property
    def shown(self) -> str:
        """The number as the document shows it: "13.2", "附录 E"."""
        return shown(self.key)


def shown(key: str) -> str:
    return f"附录 {key}" if key.isalpha() else key


class NumberingError(ValueError):
    """A reference to no section, or to a number that two headings type."""

    def __init__(self, message: str, reference: str = ""):
        super().__init__(message)
        self.reference = reference  # the reference as written, "附录 K", to find it in the templates


def labels(sections: Sequence[Section]) -> list[Label | None]:
    """Each heading's number, counted as Word's list numbering counts (None: not numbered)."""
    out: list[Label | None] = []
    counters = [0] * LEVELS
    appendices = 0
    chapter = False  # within a numbered chapter
    for section in sections:
        text, level = section.text, section.level
        found: Label | None = None
        if level == 1:
            chapter = False
            if match := _APPENDIX.match(text):
                found = Label(chr(ord("A") + appendices), True, match[1])
                appendices += 1
            elif match := _CHAPTER.match(text):
                counters = [counters[0] + 1] + [0] * (LEVELS - 1)
                found, chapter = Label(str(counters[0]), False, match[1]), True
        elif level <= LEVELS and chapter:
            counters[level - 1] += 1
            counters[level:] = [0] * (LEVELS - level)
            match = _SECTION.match(text)
            key = ".".join(str(max(n, 1)) for n in counters[:level])
            found = Label(key, False, match[1] if match else None)
        out.append(found)
    return out


def renumber(markdown: str, sections: Sequence[Section]) -> str:
    """The Markdown with each numbered heading typing the number Word shows for it, and each reference
    (`see()`'s link) naming its section by that number. Raises NumberingError for a reference to a
    number no heading types, or that two headings type."""
    found = labels(sections)
    lines = markdown.split("\n")
    for section, label in zip(sections, found):
        if label is None:
            continue
        line = lines[section.line]
        start = _HEADING_LINE.match(line).end()
        pattern = _APPENDIX if label.appendix else (_CHAPTER if label.level == 1 else _SECTION)
        typed = pattern.match(line, start) if label.typed is not None else None
        lines[section.line] = f"{line[:start]}{label.shown} {line[typed.end() if typed else start:]}"
    renumbered = "\n".join(lines)
    typed_as: dict[str, str] = {}
    twice: set[str] = set()
    for label in found:
        if label is not None and label.typed is not None:
            if label.typed in typed_as:
                twice.add(label.typed)
            typed_as.setdefault(label.typed, label.key)

    def linked(match: re.Match) -> str:
        text, key = match[1], match[2]
        if key in twice:
            raise NumberingError(f"see(“{shown(key)}”)：有两个标题都写作 {shown(key)}，引用的是哪一个不明确", shown(key))
        if key not in typed_as:
            raise NumberingError(f"see(“{shown(key)}”) 引用的章节不存在", shown(key))
        new = typed_as[key]
        return f"[{shown(new) if text == shown(key) else text}](#sec-{new})"

    return _LINK.sub(linked, renumbered) if "](#sec-" in renumbered else renumbered


def title(text: str) -> str:
    """A heading's text without the number it types: "组织机构图" of "4.1 组织机构图" and of "附录 A 服务网点清单"."""
    for pattern in (_APPENDIX, _SECTION, _CHAPTER):
        if match := pattern.match(text):
            return text[match.end():].strip()
    return text


def retarget(markdown: str, target: Callable[[str], str]) -> str:
    """The Markdown with each reference's link pointing at `target(key)` (the site: the section's page)."""
    return _LINK.sub(lambda match: f"[{match[1]}]({target(match[2])})", markdown) if "](#sec-" in markdown else markdown


def targets(found: Sequence[Label | None]) -> dict[str, int]:
    """The index of the section each number names: {"13.2": 52, "E": 70}."""
    return {item.key: i for i, item in enumerate(found) if item is not None}


def see(number: str) -> str:
    """A reference's Markdown: `[13.2](#sec-13.2)`, `[附录 E](#sec-E)`; raises NumberingError for text
    that is not a section number."""
    text = str(number).strip()
    match = _SHOWN.fullmatch(text)
    if match is None or match[1].isalpha() != text.startswith("附录"):
        raise NumberingError(f"see() 的参数应是章节号或附录号，例如 “13.2”“9”“附录 E”，不是 “{number}”")
    return f"[{shown(match[1])}](#sec-{match[1]})"
