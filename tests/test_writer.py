"""The DOCX writer on awkward Markdown: escaping, code, lists, tables, pictures."""
from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import RGBColor
from PIL import Image

from generator.output.docx.writer import DocxMeta, write_docx


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


def test_a_picture_in_a_table_cell_fits_its_column_with_its_caption_below():
    """Found by a stranger: an image in a table's cell stopped the writer (it looked for a paragraph)."""
    png = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(png, format="PNG")
    meta = DocxMeta(title="图", company="公司", short_name="", number="", version="")
    markdown = ("| 图片 | 说明 |\n|---|---|\n| ![示意图](images/a.png) | " + "一段很长的说明文字" * 12 + " |\n"
                "| 无图 | 短 |\n")
    document = docx.Document(io.BytesIO(write_docx(markdown, meta, {"images/a.png": png.getvalue()})))
    [table] = document.tables
    cell = table.rows[1].cells[0]
    extents = cell._tc.xpath(".//wp:extent")
    assert len(extents) == 1
    cx, cy = int(extents[0].get("cx")), int(extents[0].get("cy"))
    assert cx == 2000 * 635 and abs(cx * 2 - cy * 3) <= 3  # its own proportions, 3.5 cm wide
    assert cell.text == "\n示意图"  # the caption on the line below the picture
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[0] >= 2000  # the column is as wide as the picture
    assert [p.text for p in document.paragraphs if p.style.name == "Caption"] == []


LINKS = """# 联系 [官网](https://x.example/) 与 `aftersales`

见 [官网](https://x.example/)、[客服](mailto:kf@x.example)、[热线](tel:4008306688)、[价目表][p]。

站内 [章节](#a)、[页面](other.md)，[危险](javascript:alert(1))，[下载](ftp://x.example/f)。

[p]: https://x.example/price?a=1&b=2

| 项 | 链接 |
| --- | --- |
| `code` | [官网](https://x.example/) |
"""


def _links(markdown: str) -> tuple[bytes, docx.document.Document]:
    meta = DocxMeta(title="链接", company="公司", short_name="公司", number="N-1", version="A/0", toc=True)
    data = write_docx(markdown, meta)
    return data, docx.Document(io.BytesIO(data))


def test_writer_links_are_external_hyperlinks_one_relationship_per_address():
    _, document = _links(LINKS)
    paragraph = next(p for p in document.paragraphs if p.text.startswith("见 "))
    assert [(h.text, h.address) for h in paragraph.hyperlinks] == [
        ("官网", "https://x.example/"), ("客服", "mailto:kf@x.example"), ("热线", "tel:4008306688"),
        ("价目表", "https://x.example/price?a=1&b=2")]
    every = list(document.element.body.iter(qn("w:hyperlink")))
    hyperlinks = [h for h in every if h.get(qn("r:id"))]
    assert len(hyperlinks) == 6  # the heading, the paragraph's four and the table cell
    assert [h.get(qn("w:anchor")) for h in every if not h.get(qn("r:id"))] == ["_Toc000001"]  # the contents' entry
    assert all(h.get(qn("w:history")) == "1" for h in hyperlinks)
    rels = {rel.rId: rel for rel in document.part.rels.values() if rel.reltype == RT.HYPERLINK}
    assert sorted(rel.target_ref for rel in rels.values()) == [
        "https://x.example/", "https://x.example/price?a=1&b=2", "mailto:kf@x.example", "tel:4008306688"]
    assert all(rel.is_external for rel in rels.values())
    same = {h.get(qn("r:id")) for h in hyperlinks if rels[h.get(qn("r:id"))].target_ref == "https://x.example/"}
    assert len(same) == 1  # three links to one address share its relationship
    run = paragraph.hyperlinks[0].runs[0]
    assert run.font.color.rgb == RGBColor(0x05, 0x63, 0xC1) and run.font.underline is True
    cell = document.tables[-1].rows[1].cells[1].paragraphs[0]
    assert [(h.text, h.address) for h in cell.hyperlinks] == [("官网", "https://x.example/")]


def test_writer_links_the_site_does_not_allow_or_within_the_site_stay_text():
    _, document = _links(LINKS)
    paragraph = next(p for p in document.paragraphs if p.text.startswith("站内"))
    assert paragraph.hyperlinks == []
    assert paragraph.text == "站内 章节、页面，[危险](javascript:alert(1))，下载。"
    assert all(r.font.underline is None for r in paragraph.runs)
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.reltype == RT.HYPERLINK]
    assert not [t for t in targets if t.startswith(("javascript", "ftp", "#", "other"))]
    _, plain = _links("[页面](other.md) 与 [危险](javascript:alert(1))\n")
    assert [rel for rel in plain.part.rels.values() if rel.reltype == RT.HYPERLINK] == []


def test_writer_a_heading_with_a_link_keeps_its_text_in_the_contents():
    _, document = _links(LINKS)
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert heading.text == "联系 官网 与 aftersales" and len(heading.hyperlinks) == 1
    contents = [p.text for p in document.paragraphs if p.style.name == "toc 1"]
    assert contents == ["联系 官网 与 aftersales\t"]  # the entry's text, a tab and (no layout pass) no page
    entry = next(p for p in document.paragraphs if p.style.name == "toc 1")
    assert [h.get(qn("w:anchor")) for h in entry._p.iter(qn("w:hyperlink"))] == ["_Toc000001"]  # to the heading only


def _monospace(run) -> bool:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return (fonts is not None and fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == "Consolas"
            and fonts.get(qn("w:eastAsia")) is None)  # Chinese in code keeps the body font


def test_writer_code_is_monospaced_and_code_blocks_keep_their_lines():
    _, document = _links("命令 `aftersales build` 与 **粗 `代码 x`** 正文\n\n```\n第一行 a = 1\n\t第二行\n```\n\n"
                         "    缩进的代码\n    第二行\n")
    paragraph = next(p for p in document.paragraphs if p.text.startswith("命令"))
    code = {r.text: r for r in paragraph.runs if r._r.rPr is not None and _monospace(r)}
    assert set(code) == {"aftersales build", "代码 x"}
    assert code["代码 x"].bold
    assert paragraph.runs[0].text == "命令 " and paragraph.runs[0]._r.rPr is None
    fence = next(p for p in document.paragraphs if "第一行" in p.text)
    assert fence.text == "第一行 a = 1\n\t第二行" and all(_monospace(r) for r in fence.runs)
    indented = next(p for p in document.paragraphs if "缩进的代码" in p.text)
    assert indented.text == "缩进的代码\n第二行" and all(_monospace(r) for r in indented.runs)
    _, table = _links("| 甲 | 乙 |\n| --- | --- |\n| `x` | y |\n")
    cell = table.tables[-1].rows[1].cells[0].paragraphs[0]
    assert all(_monospace(r) for r in cell.runs)


def test_writer_links_and_code_pass_openxml_audit(tmp_path):
    """Schema order (rPr children, w:hyperlink in w:p and table cells) as Word's SDK checks it."""
    from openxml_audit import OpenXmlValidator

    data, _ = _links(LINKS + "\n**粗 [`代码` 链接](https://x.example/) 斜*\\\n下一行*。**\n\n```\nx\n```\n")
    path = tmp_path / "links.docx"
    path.write_bytes(data)
    result = OpenXmlValidator().validate(path)
    assert [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors] == []


def test_writer_an_image_in_a_list_item_keeps_its_number():
    """The old writer dropped the picture's paragraph out of its list, so the next item took its number."""
    png = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(png, format="PNG")
    meta = DocxMeta(title="图", company="公司", short_name="", number="", version="")
    data = write_docx("1. 甲\n2. ![图](images/a.png)\n3. 丙\n\n- ![图](images/a.png)\n", meta,
                      {"images/a.png": png.getvalue()})
    document = docx.Document(io.BytesIO(data))
    numbered = [p for p in document.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in numbered] == ["甲", "", "丙"]
    assert len({p._p.pPr.numPr.numId.val for p in numbered}) == 1
    picture = numbered[1]
    assert picture._p.xpath(".//pic:pic") and picture.alignment == WD_ALIGN_PARAGRAPH.CENTER
    bullet = next(p for p in document.paragraphs if p.style.name == "List Bullet")
    assert bullet._p.xpath(".//pic:pic")


def test_writer_a_tagged_headings_reference_link_keeps_its_address():
    """The old writer parsed a heading again without its clause tag, and lost its reference links."""
    _, document = _links("# 联系 [价目表][p] 与 [官网](https://x.example/) {clauses=5.1.1}\n\n"
                         "[p]: https://x.example/price\n")
    heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")
    assert heading.text == "联系 价目表 与 官网"
    assert [(h.text, h.address) for h in heading.hyperlinks] == [
        ("价目表", "https://x.example/price"), ("官网", "https://x.example/")]
    assert [p.text for p in document.paragraphs if p.style.name == "toc 1"] == ["联系 价目表 与 官网\t"]
    assert [p.text for p in document.paragraphs if p.style.name == "Clause Tag"] == ["对应条款：5.1.1"]


def _rows_kept(table) -> list[tuple[bool, bool, bool]]:
    """Each row's (never split, a repeated header, every paragraph kept with the next)."""
    out = []
    for row in table.rows:
        tr_pr = row._tr.trPr
        paragraphs = [p for cell in row.cells for p in cell.paragraphs]
        out.append((tr_pr is not None and tr_pr.find(qn("w:cantSplit")) is not None,
                    tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None,
                    all(p._p.pPr.find(qn("w:keepNext")) is not None for p in paragraphs)))
    return out


def test_writer_tables_are_tidy_on_the_page():
    """Issue #17's tidy pages: no row is split across pages, header rows repeat and stay with the first
    row, a small table stays whole and with the paragraph leading into it (the revision table stood on
    a page of its own with its header and blank rows; an outlet procedure's table left its lead-in
    behind); a long table may run on over pages, its lead-in kept with its first rows."""
    small = "| 版本 | 日期 |\n|---|---|\n| A/0 | 2026-06-01 |\n|  |  |\n|  |  |\n"
    long = "| 序号 | 网点 |\n|---|---|\n" + "".join(f"| {i} | 网点{i} |\n" for i in range(1, 40))
    document = _document(f"# 修订\n\n修订记录如下：\n\n{small}\n正文。\n\n网点如下：\n\n{long}")
    first, second = document.tables
    assert _rows_kept(first) == [(True, True, True), (True, False, True), (True, False, True), (True, False, False)]
    rows = _rows_kept(second)
    assert rows[0] == (True, True, True)  # the header row stays with the first row
    assert all(split and not header and not kept for split, header, kept in rows[1:])
    lead = {p.text: p._p.pPr.find(qn("w:keepNext")) is not None for p in document.paragraphs
            if p.text in ("修订记录如下：", "正文。", "网点如下：")}
    # the lead-in of a long table stays with its header and first row (a heading keeps by its style)
    assert lead == {"修订记录如下：": True, "正文。": False, "网点如下：": True}
