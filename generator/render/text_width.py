"""How wide text is, and where it breaks into lines, estimated without a font: a wide (CJK)
character is one em, any other about half. The figures lay out their boxes with it; the reader's
fonts draw the text, so there is no font to measure with and none is needed.
"""
from __future__ import annotations

import unicodedata


def em_width(text: str) -> float:
    """The width of `text` in ems: a wide (CJK) character is 1, any other about 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)


NO_BREAK = "\u00a0"  # a space that keeps its neighbours on one line (a phone number's groups)
NO_LINE_START = set("，。、；：！？）》」』”’…%,.;:!?)]}")
NO_LINE_END = set("（《「『“‘([{")


def wrap(text: str, width: float, size: float) -> tuple[str, ...]:
    """`text` in lines no wider than `width` points at `size`; breaks between CJK characters and
    at spaces (not at a no-break space), inside a Latin word only when the word alone is too long,
    and never before closing or after opening punctuation."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            if line and em_width((line + token).rstrip()) * size > width:
                carry = ""
                if token[0] in NO_LINE_START and len(line) > 1 and em_width(line[-1]) == 1:
                    line, carry = line[:-1], line[-1]  # the character before the comma goes along
                while len(line) > 1 and line.rstrip()[-1:] in NO_LINE_END:
                    line, carry = line.rstrip()[:-1], line.rstrip()[-1] + carry
                out.append(line.rstrip())
                line = (carry + token).lstrip()
            else:
                line += token
            while em_width(line) * size > width and len(line) > 1:  # a word longer than a line
                cut = max(1, max(i for i in range(1, len(line) + 1) if em_width(line[:i]) * size <= width or i == 1))
                out.append(line[:cut])
                line = line[cut:]
        out.append(line.rstrip())
    return tuple(out)


def block(parts: list[tuple[str, int]], room: float, size: float) -> dict:
    """A box's text from its parts, each (text, most lines): `lines` as drawn, `paragraphs` for
    Word, and `full`, the whole text, when a part had to be cut."""
    lines: list[str] = []
    paragraphs: list[str] = []
    cut = False
    for text, most in parts:
        wrapped = wrap(text, room, size)
        shown = clamp(wrapped, most)
        cut = cut or shown != wrapped
        lines += shown
        paragraphs += [text] if shown == wrapped else ["".join(shown)]
    return {"lines": tuple(lines), "paragraphs": tuple(paragraphs),
            "full": "\n".join(t for t, _ in parts) if cut else ""}


def _tokens(text: str):
    """Wide characters one by one; runs of other characters as words (with their trailing space)."""
    word = ""
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            if word:
                yield word
                word = ""
            yield ch
        else:
            word += ch
            if ch == " ":
                yield word
                word = ""
    if word:
        yield word


def clamp(lines: tuple[str, ...], most: int) -> tuple[str, ...]:
    """At most `most` lines; a cut is marked with … (the full text is in the document beside)."""
    if len(lines) <= most:
        return lines
    return lines[:most - 1] + (lines[most - 1][:-1] + "…",)
