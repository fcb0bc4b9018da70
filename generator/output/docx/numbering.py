"""Word's list numbering of a numbered document's headings (the manual).

Two lists are added to the package's numbering part:
- a multi-level list 1 / 1.1 / 1.1.1 linked to the styles Heading 1–3 (each style's w:numPr names
  its level), so that a heading typed or inserted in Word is numbered and those after it renumber;
- the appendices' list, 附录 A, 附录 B …, which an appendix's heading names on its own paragraph.
- a list that shows no number, for a heading that is not numbered (front matter, a record form's
  heading) and for styles based on a heading style (TOC Heading). The schema's own way, numId 0, is
  valid but flagged by validators as a missing definition, so a list of its own says it.

The number is followed by a space (w:suff), and the heading's own indents stay as its style says.
"""
from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from generator.output.docx.template import Template
from generator.output.docx.wml import W
from generator.text.headings import LEVELS

@dataclass(frozen=True)
class HeadingLists:
    chapters: int  # numId of the multi-level list linked to Heading 1–3
    appendices: int  # numId of the appendices' list
    unnumbered: int  # numId of the list that shows no number


def _level(ilvl: int, fmt: str, text: str, style: str = "") -> str:
    link = f'<w:pStyle w:val="{style}"/>' if style else ""
    suffix = "space" if text else "nothing"
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{link}'
            f'<w:suff w:val="{suffix}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>')


def _abstract(number: int, name: str, levels: list[str], fmt: str = "decimal") -> str:
    # levels 0–8 are all defined (Word expects nine); those past the document's are plain decimals
    more = [_level(i, fmt, "%" + str(i + 1) if fmt != "none" else "") for i in range(len(levels), 9)]
    return (f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{number}"><w:multiLevelType w:val="multilevel"/>'
            f'<w:name w:val="{name}"/>' + "".join(levels + more) + "</w:abstractNum>")


def add_heading_lists(document, template: Template) -> HeadingLists:
    """Add the three lists to `document`'s numbering part and link Heading 1–3 to the first."""
    numbering = document.part.numbering_part.element
    taken = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    first = max(taken, default=-1) + 1
    chapters = [_level(i, "decimal", ".".join(f"%{k + 1}" for k in range(i + 1)), template.style("heading", i + 1))
                for i in range(LEVELS)]
    appendices = [_level(0, "upperLetter", "附录 %1")]
    nums = numbering.findall(qn("w:num"))
    lists = (("aftersales-headings", chapters, "decimal"), ("aftersales-appendices", appendices, "decimal"),
             ("aftersales-unnumbered", [], "none"))
    for offset, (name, levels, fmt) in enumerate(lists):
        element = parse_xml(_abstract(first + offset, name, levels, fmt))
        if nums:
            nums[0].addprevious(element)  # every w:abstractNum comes before the first w:num
        else:
            numbering.append(element)
    made = HeadingLists(*(numbering.add_num(first + offset).numId for offset in range(len(lists))))
    linked = [template.style("heading", i + 1) for i in range(LEVELS)]
    styles = document.styles.element
    for i, style_id in enumerate(linked):
        num_pr = styles.get_by_id(style_id).get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = i
        num_pr.get_or_add_numId().val = made.chapters
    for style in styles.findall(qn("w:style")):  # TOC Heading is based on Heading 1: it is not numbered
        if style.styleId not in linked and _based_on(styles, style, linked) and (
                style.pPr is None or style.pPr.numPr is None):
            style.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = made.unnumbered
    return made


def _based_on(styles, style, linked: list[str]) -> bool:
    """Whether `style` inherits from one of the `linked` styles."""
    seen = set()
    while style is not None and style.basedOn_val and style.basedOn_val not in seen:
        if style.basedOn_val in linked:
            return True
        seen.add(style.basedOn_val)
        style = styles.get_by_id(style.basedOn_val)
    return False
