"""The DOCX files, opened with python-docx: content, styles, tables and page furniture."""
from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn

from wordnumbers import numbered_headings
from conftest import HUALAN, all_text
from generator.build import make_bundle


def table_rows(document, header: list[str]) -> dict[str, list[str]]:
    """Rows of the tables with this header row, keyed by their first cell."""
    tables = [t for t in document.tables if [c.text for c in t.rows[0].cells] == header]
    assert tables, header
    return {row.cells[0].text: [c.text for c in row.cells] for t in tables for row in t.rows[1:]}


def test_bundle_holds_the_docx_files_and_a_site(hualan_built):
    bundle, out = hualan_built
    names = sorted(p.name for p in out.glob("*.docx"))
    assert names == ["01-售后服务手册.docx", "02-认证申请书.docx", "03-申请材料清单.docx", "04-自评打分表.docx",
                     "05-服务承诺书.docx"]
    assert (out / "site" / "index.html").is_file()


def test_manual_is_specific_to_the_company(manual, hualan_built):
    bundle, _ = hualan_built
    text = all_text(manual)
    assert "佛山市华澜电器有限公司" in text
    assert "400-830-6688" in text
    assert "南宁华澜家电服务站" in text  # an outlet, from the outlet appendix
    assert "应配置管理师 3 名，现有持证管理师 2 名，尚缺 1 名" in text
    assert "城区 24 小时内上门，郊县及农村 48 小时内上门" in text
    assert "XX" not in text and "None" not in text


def test_every_applicable_second_level_clause_is_named(manual, catalogue):
    tags = "\n".join(p.text for p in manual.paragraphs if p.style.name == "Clause Tag")
    for clause in catalogue.indicators(3):  # 5.1.1 … 5.3.2
        assert clause.id in tags, clause.id
    assert "对应条款：5.1.2.2 售后服务管理师" in tags


def test_headings_use_word_heading_styles(manual):
    headings = numbered_headings(manual)  # as Word shows them, numbers included
    assert ("Heading 1", "4 组织架构") in headings
    assert ("Heading 2", "4.4 服务网点与网点管理") in headings
    assert not any("{clauses" in text for _, text in headings)
    # each tagged heading is followed by its clause line
    paragraphs = manual.paragraphs
    index = next(i for i, p in enumerate(paragraphs)
                 if p.text == "售后服务管理师" and p.style.name == "Heading 2")
    assert paragraphs[index + 1].style.name == "Clause Tag"


def test_chinese_fonts_are_set_on_the_east_asian_slot(manual):
    def east_asia(style_name):
        rfonts = manual.styles[style_name].element.rPr.find(qn("w:rFonts"))
        return rfonts.get(qn("w:eastAsia"))

    assert east_asia("Normal") == "宋体"
    assert east_asia("Heading 1") == "黑体"
    assert east_asia("Body Text") == "宋体"


def test_tables_have_borders_and_repeated_header(manual):
    outlet_table = next(t for t in manual.tables if t.rows[0].cells[1].text == "网点名称")
    assert outlet_table.style.name == "Table Grid"
    assert len(outlet_table.rows) == 1 + 6
    header_pr = outlet_table.rows[0]._tr.trPr
    assert header_pr is not None and header_pr.find(qn("w:tblHeader")) is not None
    assert outlet_table.rows[0].cells[0].paragraphs[0].runs[0].bold


def test_lists_and_numbering(manual):
    bullets = [p for p in manual.paragraphs if p.style.name == "List Bullet"]
    numbered = [p for p in manual.paragraphs if p.style.name == "List Number"]
    assert len(bullets) > 10 and len(numbered) > 5
    # each numbered list restarts at 1: its own w:num with a start override
    num_ids = {p._p.pPr.numPr.numId.val for p in numbered}
    assert len(num_ids) >= 3


def test_cover_toc_header_and_footer(manual):
    body = manual.element.body
    instructions = [t.text.strip() for t in body.iter(qn("w:instrText"))]
    assert any(i.startswith("TOC") for i in instructions)
    section = manual.sections[0]
    assert section.different_first_page_header_footer
    assert "华澜电器" in section.header.paragraphs[0].text and "HL-SH-2026" in section.header.paragraphs[0].text
    footer_fields = [t.text.strip() for t in section.footer._element.iter(qn("w:instrText"))]
    assert footer_fields == ["PAGE", "NUMPAGES"]
    first = [p.text for p in manual.paragraphs[:12] if p.text]
    assert first[:2] == ["佛山市华澜电器有限公司", "售后服务手册"]
    cover_table = manual.tables[0]
    assert [c.text for c in cover_table.rows[2].cells] == ["编　　制", "林晓敏"]


def test_other_documents(hualan_built):
    _, out = hualan_built
    application = all_text(docx.Document(str(out / "02-认证申请书.docx")))
    assert "91440606MA4UJ8X2A1" in application and "多场所清单" in application
    assert "法定代表人（签字）" in application
    checklist = docx.Document(str(out / "03-申请材料清单.docx"))
    rows = table_rows(checklist, ["编号", "材料", "对应条款", "状态", "说明", "负责人", "完成日期"])
    assert rows["M20"][3] == "缺失"
    assert rows["M06"][3] == "生成"
    assert rows["M02"][3] == "不适用"
    assert rows["M16"][2] == "5.1.2.2"
    plan_text = all_text(checklist)
    assert "以认证机构的报价为准（收费标准查阅于 2026年11月1日）" in plan_text
    assert "乱码" not in plan_text and "http" not in plan_text  # maintainers' notes on the source stay in the data
    scorecard = docx.Document(str(out / "04-自评打分表.docx"))
    lines = table_rows(scorecard, ["条款", "分值", "涉及", "得分", "失分", "状态", "依据与证据"])
    assert lines["5.1.2.2 售后服务管理师"][1:6] == ["5", "是", "3.33", "1.67", "部分落实"]
    assert lines["5.1.1.1 售后部门"][1] == "3*"
    assert "93.66" in all_text(scorecard)


@pytest.mark.slow
def test_a_customisations_links_are_hyperlinks_and_its_code_monospaced(tmp_path):
    """A consultant's link is a live hyperlink in the manual too (web, mail and phone), one
    relationship per address, and code is monospaced."""
    profile = tmp_path / "p.yaml"
    profile.write_text(HUALAN.read_text(encoding="utf-8").split("\ncustomisation:")[0] + """
customisation:
  "13.2":
    text: "价格见[官网](https://x.example/price)，邮件 [kf@x.example](mailto:kf@x.example)，电话 [热线](tel:4008306688)，\\
      命令 `aftersales score`，[官网](https://x.example/price)同上。"
""", encoding="utf-8")
    data = make_bundle(profile).docx["01-售后服务手册.docx"]
    manual = docx.Document(io.BytesIO(data))
    paragraph = next(p for p in manual.paragraphs if p.text.startswith("价格见"))
    assert paragraph.text == "价格见官网，邮件 kf@x.example，电话 热线，命令 aftersales score，官网同上。"
    assert [(h.text, h.address) for h in paragraph.hyperlinks] == [
        ("官网", "https://x.example/price"), ("kf@x.example", "mailto:kf@x.example"), ("热线", "tel:4008306688"),
        ("官网", "https://x.example/price")]
    ids = [h._hyperlink.rId for h in paragraph.hyperlinks]
    assert ids[0] == ids[3] and len(set(ids)) == 3
    code = next(r for r in paragraph.runs if r.text == "aftersales score")
    assert code._r.rPr.find(qn("w:rFonts")).get(qn("w:ascii")) == "Consolas"
