"""What Word shows as each paragraph's list number, worked out from the DOCX alone (numbering.xml and
the styles), the way Word counts: a paragraph's w:numPr, else its style's (through w:basedOn); one
counter per level of each abstract numbering, deeper levels restarting after a higher one; lvlText with
%1…%9 filled in by each level's format. Written independently of the generator, for its tests."""
from __future__ import annotations

from docx.oxml.ns import qn


def _num_pr(element, styles: dict) -> tuple[str, int] | None:
    """(numId, ilvl) of a paragraph, from its own properties or its style's chain."""
    ppr = element.find(qn("w:pPr"))
    own = ppr.find(qn("w:numPr")) if ppr is not None else None
    style_id = ppr.find(qn("w:pStyle")).get(qn("w:val")) if ppr is not None and ppr.find(qn("w:pStyle")) is not None else None
    found_id, found_level = None, None
    if own is not None:
        num = own.find(qn("w:numId"))
        level = own.find(qn("w:ilvl"))
        found_id = num.get(qn("w:val")) if num is not None else None
        found_level = int(level.get(qn("w:val"))) if level is not None else None
    seen = set()
    while style_id and style_id not in seen and (found_id is None or found_level is None):
        seen.add(style_id)
        style = styles.get(style_id)
        if style is None:
            break
        sppr = style.find(qn("w:pPr"))
        snum = sppr.find(qn("w:numPr")) if sppr is not None else None
        if snum is not None:
            if found_id is None and snum.find(qn("w:numId")) is not None:
                found_id = snum.find(qn("w:numId")).get(qn("w:val"))
            if found_level is None and snum.find(qn("w:ilvl")) is not None:
                found_level = int(snum.find(qn("w:ilvl")).get(qn("w:val")))
        based = style.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    if found_id is None or found_id == "0":
        return None
    return found_id, found_level or 0


def _format(value: int, fmt: str) -> str:
    if fmt == "decimal":
        return str(value)
    if fmt == "upperLetter":
        return chr(ord("A") + value - 1)
    if fmt == "none":
        return ""
    raise AssertionError(f"format {fmt} not handled by the test helper")


def shown_numbers(document) -> list[tuple[object, str]]:
    """(paragraph, the number Word shows before it or "") for every body paragraph."""
    numbering = document.part.numbering_part.element
    abstracts = {}
    for abstract in numbering.findall(qn("w:abstractNum")):
        levels = {}
        for lvl in abstract.findall(qn("w:lvl")):
            start = lvl.find(qn("w:start"))
            levels[int(lvl.get(qn("w:ilvl")))] = (
                int(start.get(qn("w:val"))) if start is not None else 0,
                lvl.find(qn("w:numFmt")).get(qn("w:val")), lvl.find(qn("w:lvlText")).get(qn("w:val")))
        abstracts[abstract.get(qn("w:abstractNumId"))] = levels
    nums = {num.get(qn("w:numId")): num.find(qn("w:abstractNumId")).get(qn("w:val"))
            for num in numbering.findall(qn("w:num"))}
    styles = {s.get(qn("w:styleId")): s for s in document.styles.element.findall(qn("w:style"))}
    counters: dict[str, list[int | None]] = {}
    out = []
    for paragraph in document.paragraphs:
        found = _num_pr(paragraph._p, styles)
        if found is None:
            out.append((paragraph, ""))
            continue
        num_id, ilvl = found
        abstract = nums[num_id]  # KeyError: a numId with no definition
        levels = abstracts[abstract]
        count = counters.setdefault(abstract, [None] * 9)
        start = levels[ilvl][0]
        count[ilvl] = start if count[ilvl] is None else count[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            count[deeper] = None
        text = levels[ilvl][2]
        for k in range(9):
            if f"%{k + 1}" in text:
                value = count[k] if count[k] is not None else levels[k][0]
                text = text.replace(f"%{k + 1}", _format(value, levels[k][1]))
        out.append((paragraph, text))
    return out


def numbered_headings(document) -> list[tuple[str, str]]:
    """(style name, the heading as Word shows it: number, space, text) of every heading."""
    return [(p.style.name, f"{number} {p.text}" if number else p.text)
            for p, number in shown_numbers(document) if p.style.name.startswith("Heading")]
