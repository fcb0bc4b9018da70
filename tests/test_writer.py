"""The DOCX writer on awkward Markdown: escaping, code, lists, tables, pictures."""
from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from PIL import Image

from generator.docx_writer import DocxMeta, write_docx


def _document(markdown: str) -> docx.document.Document:
    meta = DocxMeta(title="测试", company="公司", short_name="公司", number="N-1", version="A/0")
    return docx.Document(io.BytesIO(write_docx(markdown, meta)))


def test_writer_escapes_text_and_drops_characters_xml_cannot_hold():
    document = _document("# A & B <c>\n\n正文 \"引号\" & <script>alert(1)</script>\x0b结束\n")
    texts = [p.text for p in document.paragraphs]
    assert "A & B <c>" in texts
    assert '正文 "引号" & <script>alert(1)</script>结束' in texts


def test_writer_code_blocks_keep_line_breaks_and_tabs():
    document = _document("```\n第一行\n\t第二行\n```\n")
    paragraph = next(p for p in document.paragraphs if "第一行" in p.text)
    assert paragraph.text == "第一行\n\t第二行"


def test_writer_block_quotes_are_marked_as_on_the_site():
    """A quote has a bar at its left and is indented, one step per level; text after it has neither."""
    document = _document("> 顾客原话\n>\n> > 转述\n>\n> - 要点\n\n正文\n")
    paragraphs = {p.text: p._p.pPr for p in document.paragraphs if p.text}

    def bar_and_indent(name):
        ppr = paragraphs[name]
        border, indent = ppr.find(qn("w:pBdr")), ppr.find(qn("w:ind"))
        return (border is not None and border.find(qn("w:left")) is not None,
                indent.get(qn("w:left")) if indent is not None else None)

    assert bar_and_indent("顾客原话") == (True, "420")
    assert bar_and_indent("转述") == (True, "840")
    assert bar_and_indent("要点") == (True, "840")
    assert bar_and_indent("正文") == (False, None)
    assert next(p for p in document.paragraphs if p.text == "要点").style.name == "List Bullet"
    numbered = {p.text: p._p.pPr for p in _document("> 1. 第一步\n").paragraphs if p.text}["第一步"]
    children = [child.tag for child in numbered]  # schema order
    assert children.index(qn("w:numPr")) < children.index(qn("w:pBdr")) < children.index(qn("w:ind"))


def test_writer_ordered_lists_restart_and_keep_their_start_number():
    document = _document("1. 甲\n2. 乙\n\n正文\n\n3. 丙\n4. 丁\n\n- 项\n  1. 嵌套\n")
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["甲", "乙", "丙", "丁", "嵌套"]
    ids = [p._p.pPr.numPr.numId.val for p in numbered]
    assert ids[0] == ids[1] != ids[2] == ids[3] != ids[4]
    numbering = document.part.numbering_part.element
    starts = {int(n.get(qn("w:numId"))): n.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}").get(qn("w:val"))
              for n in numbering.findall(qn("w:num")) if n.find(qn("w:lvlOverride")) is not None}
    assert starts[ids[0]] == "1" and starts[ids[2]] == "3"
    nested = numbered[-1]._p.pPr.find(qn("w:ind"))
    assert nested is not None and nested.get(qn("w:left")) == "840"


def test_writer_hard_breaks_tables_and_ragged_rows():
    document = _document("行一\\\n行二\n\n| 甲 | 乙 |\n| --- | --- |\n| 一 | |\n| 三 |\n")
    assert "行一\n行二" in [p.text for p in document.paragraphs]
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["甲", "乙"]
    assert len(table.rows[2].cells) == 2  # a short row is padded to the grid
    assert table.rows[1]._tr.trPr.find(qn("w:trHeight")) is not None  # a blank cell gets writing height


def test_writer_images_keep_their_aspect_ratio_and_are_stored_once():
    png = io.BytesIO()
    Image.new("RGB", (400, 100), "white").save(png, format="PNG")
    meta = DocxMeta(title="图", company="公司", short_name="", number="", version="")
    data = write_docx("![甲](images/a.png)\n\n![乙](images/a.png)\n", meta, {"images/a.png": png.getvalue()})
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert [n for n in names if n.startswith("word/media/")] == ["word/media/image1.png"]
    document = docx.Document(io.BytesIO(data))
    shapes = document.inline_shapes
    assert len(shapes) == 2 and shapes[0].width == 4 * shapes[0].height
    assert [p.text for p in document.paragraphs if p.style.name == "Caption"] == ["甲", "乙"]
    assert "docProps/thumbnail.jpeg" not in names
