"""The DOCX writer's template, package and property order: other reference templates, the token
input, reproducible bytes, and w:pPr / w:rPr children in the schema's order."""
from __future__ import annotations

import datetime as dt
import io
import itertools

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from docx.oxml.ns import qn
from lxml import etree
from openxml_audit import OpenXmlValidator

from generator.errors import CatalogueError
from generator.output.docx.body import parse
from generator.output.docx.wml import QUOTE_BAR, ParagraphProps, RunProps
from generator.output.docx.writer import DocxMeta, write_docx
from generator.paths import REFERENCE_DOCX

META = DocxMeta(title="测试", company="公司", short_name="公司", number="N-1", version="A/0", toc=True,
                issued=dt.date(2026, 3, 1))
MARKDOWN = "# 一 {clauses=5.1.1}\n\n正文 [官网](https://x.example/)。\n\n1. 甲\n2. 乙\n"


def _template(tmp_path, change) -> str:
    """A copy of the reference template, changed by `change(document)`."""
    document = docx.Document(str(REFERENCE_DOCX))
    change(document)
    path = tmp_path / "reference.docx"
    document.save(str(path))
    return path


def test_a_template_with_a_distinct_first_page_gives_one_title_page_flag(tmp_path):
    """The old writer added <w:titlePg/> to a section that had one (invalid OOXML)."""
    def first_page(document):
        document.sections[0].different_first_page_header_footer = True

    data = write_docx(MARKDOWN, META, reference=_template(tmp_path, first_page))
    section = docx.Document(io.BytesIO(data)).sections[-1]
    assert len(section._sectPr.findall(qn("w:titlePg"))) == 1
    assert section.different_first_page_header_footer
    (tmp_path / "out.docx").write_bytes(data)
    errors = OpenXmlValidator().validate(tmp_path / "out.docx").errors
    assert [f"{e.part_uri} {e.path}: {e.description}" for e in errors] == []


def test_a_template_header_is_replaced_by_the_documents(tmp_path):
    def header(document):
        document.sections[0].header.paragraphs[0].text = "模板页眉"
        document.sections[0].first_page_header.paragraphs[0].text = "模板首页页眉"

    document = docx.Document(io.BytesIO(write_docx(MARKDOWN, META, reference=_template(tmp_path, header))))
    section = document.sections[-1]
    assert [p.text for p in section.header.paragraphs] == ["公司　测试　N-1　A/0 版"]
    assert section.first_page_header.is_linked_to_previous  # the cover has no header
    headers = [r for r in document.part.rels.values() if r.reltype.endswith("/header")]
    assert len(headers) == 1


def test_a_template_missing_a_style_is_an_error_naming_it(tmp_path):
    def drop(document):
        style = document.styles["Clause Tag"].element
        style.getparent().remove(style)

    with pytest.raises(CatalogueError, match="缺少样式：Clause Tag"):
        write_docx(MARKDOWN, META, reference=_template(tmp_path, drop))


def test_the_writer_takes_the_token_list_and_gives_the_same_bytes_each_time():
    data = write_docx(MARKDOWN, META)
    assert write_docx(parse(MARKDOWN), META) == data
    assert write_docx(MARKDOWN, META) == data


def test_core_properties_are_dated_from_the_issue_date():
    properties = docx.Document(io.BytesIO(write_docx(MARKDOWN, META))).core_properties
    assert properties.created == properties.modified == dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    assert (properties.title, properties.author) == ("测试", "公司")


# CT_PPr and CT_RPr (ECMA-376 Part 1, §17.3.1.26 and §17.3.2.28): the order of their children.
PPR = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd "
       "tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
       "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc").split()
RPR = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
       "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd").split()


def _children(xml: str) -> list[str]:
    """The local names of the children of a w:pPr or w:rPr given as XML text."""
    wrapper = etree.fromstring(f'<x xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{xml}</x>')
    return [etree.QName(child).localname for child in wrapper[0]]


@pytest.mark.parametrize("flags", list(itertools.product([False, True], repeat=6)))
def test_paragraph_properties_are_in_schema_order(flags):
    page_break, numbered, border, fill, centred, keep = flags
    props = ParagraphProps("S", keep_next=keep, page_break_before=page_break or None, numbering=3 if numbered else None,
                           border=QUOTE_BAR if border else "", fill="F2F2F2" if fill else "",
                           indent_left=420, first_line=0, centred=centred)
    names = _children(props.xml)
    assert names == sorted(names, key=PPR.index) and names[0] == "pStyle"


@pytest.mark.parametrize("flags", list(itertools.product([False, True], repeat=6)))
def test_run_properties_are_in_schema_order(flags):
    monospace, bold, italic, colour, underline, fill = flags
    xml = RunProps(monospace, bold, italic, "0563C1" if colour else "", underline, "F2F2F2" if fill else "").xml
    names = _children(xml) if xml else []
    assert names == sorted(names, key=RPR.index) and len(names) == sum(flags)


# --- the body goes into the package as text, unparsed: it must be what lxml would write ---------------
def _round_trip_holds(data: bytes) -> None:
    """word/document.xml is as lxml writes it once parsed: the body's text (spliced in, not parsed;
    package.py) is in lxml's form, so the bytes are those the earlier, parsing writer wrote."""
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    again = etree.tostring(etree.fromstring(xml), encoding="UTF-8", standalone=True)
    assert again == xml


_PIECES = ['"', "'", "&", "<", ">", "&amp;", "&#61;", "\\", "`", "*", "_", "\n", "\t", "  ", "\u3000", "“", "”", "甲",
           "a", "1.", "- ", "| ", "**粗**", "[链接](https://x.example/a?b=1&c=\"2\")", "`代码 \" & <x>`",
           "\U0001F600", "\u00a0", "\u200b", "\r", "\x0b"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=0, max_size=30), st.sampled_from(["{}", "# {}", "- {}", "> {}",
       "| 甲 | 乙 |\n|---|---|\n| {} | x |", "```\n{}\n```", "1. {}\n2. 乙"]))
def test_the_body_is_written_as_lxml_writes_it(pieces, shape):
    text = "".join(pieces)
    _round_trip_holds(write_docx(f"# 标题\n\n{shape.format(text)}\n", META))


@pytest.mark.parametrize("name", ["hualan-appliances", "qiheng-software", "yunxuan-online"])
def test_every_example_document_is_written_as_lxml_writes_it(name):
    from generator.build import make_bundle
    from generator.paths import ROOT

    for data in make_bundle(ROOT / "company_profiles" / f"{name}.yaml").docx.values():
        _round_trip_holds(data)
