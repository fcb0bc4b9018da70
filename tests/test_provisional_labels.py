"""Issue #14 item 6: wherever a clause's points or a score appear, a provisional clause's points carry
"*" and the page, table or sheet carries the caveat (`Catalogue.weights_note`, one wording for all).

The standard publishes only the first-level points (40/35/25) and 5.1.2.2 售后服务管理师 = 5; every
other point value is this tool's provisional weight. So 5.1.1.1 (3 points, provisional) is shown
"3*" and 5.1.2.2 (5 points, confirmed) "5", in every output of the example built once
(conftest.hualan_built), in `aftersales score` on the terminal, as JSON and as a workbook.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import zipfile

import docx
import pytest
from lxml import etree, html
from openpyxl import load_workbook

from conftest import HUALAN, ROOT
from generator.build import write_portal
from generator.prepare import summary_of
from generator.cli import main
from generator.render.figures import indicator_chart
from generator.text.literal import literal
from generator.output.site.svg import to_svg

PROVISIONAL, CONFIRMED = "5.1.1.1", "5.1.2.2"  # 3 points provisional; 5 points published by the standard
C = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
     "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


@pytest.fixture(scope="module")
def note(catalogue) -> str:
    return catalogue.weights_note


def points(catalogue, clause_id: str) -> str:
    """A clause's points as every output shows them: "3*" when provisional, "5" when confirmed."""
    clause = catalogue[clause_id]
    return f"{clause.points:g}{'*' if clause.provisional else ''}"


def site_page(out, name: str):
    return html.fromstring((out / "site" / name).read_text(encoding="utf-8"))


def notes(tree) -> list[str]:
    return [" ".join(p.text_content().split()) for p in tree.find_class("weights-note")]


def table_rows(table) -> list[list[str]]:
    return [[" ".join(cell.text_content().split()) for cell in row.xpath("./td")] for row in table.xpath(".//tr")[1:]]


# --- the caveat itself -------------------------------------------------------------------------------
def test_the_caveat_says_what_the_standard_publishes_and_where_to_change_the_rest(catalogue, note):
    assert catalogue[PROVISIONAL].provisional and not catalogue[CONFIRMED].provisional
    assert catalogue[CONFIRMED].points == 5
    assert note.startswith("* 暂定权重：")
    for text in ("GB/T 27922-2011", "（40/35/25）", "5.1.2.2 售后服务管理师（5 分）", "标 *", "暂定权重",
                 "得分和等级", "content/standard/gbt27922-2011.yaml"):
        assert text in note, text


# --- the company's site ----------------------------------------------------------------------------
def test_site_home_page_labels_the_score_and_the_gaps(hualan_built, catalogue, note):
    bundle, out = hualan_built
    home = site_page(out, "index.html")
    [card] = home.find_class("score-card")
    assert notes(card) == [note]  # beside the score and level
    assert f"自评得分 {bundle.assessment.score:g} 分*" in card.text_content()  # the score the note's "*" refers to
    [heading] = home.xpath("//h2[@id='gaps']")
    rows = table_rows(heading.xpath("following::table[1]")[0])
    assert rows and [cells[1] for cells in rows] == [points(catalogue, cells[0].split()[0]) for cells in rows]
    shown = {cells[0].split()[0]: cells[1] for cells in rows}
    assert any(value.endswith("*") for value in shown.values())
    if CONFIRMED in shown:  # the example lacks a certified manager: 5.1.2.2 loses points
        assert shown[CONFIRMED] == "5"


def test_site_guide_pages_label_every_clause_points(hualan_built, catalogue, note):
    _, out = hualan_built
    for name in ["guide/index.html"] + [f"guide/{c.id.replace('.', '-')}.html" for c in catalogue.indicators(3)]:
        assert notes(site_page(out, name)) == [note], name
    guide = site_page(out, "guide/5-1-2.html")
    headings = {" ".join(h.text_content().split()).rstrip("¶").strip() for h in guide.xpath("//h1|//h2")}
    assert "5.1.2 人员配置（9 分*）" in headings
    assert "5.1.2.1 人员资质（4 分*）" in headings
    assert "5.1.2.2 售后服务管理师（5 分）" in headings
    scores = [" ".join(li.text_content().split()) for li in guide.xpath("//li") if "评分：" in li.text_content()]
    assert any(re.match(r"评分：[\d.]+ / 4 分\*，", s) for s in scores), scores
    assert any(re.match(r"评分：[\d.]+ / 5 分，", s) for s in scores), scores  # 5.1.2.2: no star
    index = site_page(out, "guide/index.html")
    [table] = index.xpath("//table[.//th[contains(., '二级指标')]]")
    values = {cells[1].split()[0]: cells[2] for cells in table_rows(table)}
    assert values["5.1.1"] == "6*" and values["5.3.2"] == "13*"


def test_site_trace_matrix_labels_the_scores(hualan_built, catalogue, note):
    _, out = hualan_built
    matrix = site_page(out, "trace.html")
    assert notes(matrix) == [note]
    rows = {cells[0].split()[0]: cells[-1] for cells in table_rows(matrix.xpath("//table")[0])}
    assert rows[PROVISIONAL].endswith(f"/ {points(catalogue, PROVISIONAL)}")
    assert re.fullmatch(r"[\d.]+ / 5", rows[CONFIRMED]), rows[CONFIRMED]


def test_trace_csv_starts_with_its_header_and_notes_each_starred_score(hualan_built, catalogue, note):
    """A CSV is read by csv.DictReader, pandas and Excel's "From Text/CSV" as a header row, then one
    record a row, all of the same columns: the caveat is no row of its own, but the last column,
    分值说明, of every row whose 评分 carries "*" (and empty where it does not)."""
    _, out = hualan_built
    text = (out / "site" / "downloads" / "trace.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["条款", "名称", "售后服务手册", "其他文件", "申请材料", "评分", "分值说明"]
    assert {len(row) for row in rows} == {7}
    records = list(csv.DictReader(io.StringIO(text)))
    assert all(r["条款"] in catalogue for r in records)  # every row a clause: no caveat row to skip
    scores = {r["条款"]: r["评分"] for r in records}
    assert scores[PROVISIONAL].endswith("/ 3*") and re.fullmatch(r"[\d.]+ / 5", scores[CONFIRMED])
    for r in records:
        assert r["分值说明"] == (note if r["评分"].endswith("*") else ""), r["条款"]
    assert any(r["分值说明"] for r in records) and not {r["条款"]: r for r in records}[CONFIRMED]["分值说明"]


def test_trace_xlsx_carries_the_caveat_first(hualan_built, note):
    _, out = hualan_built
    sheet = load_workbook(out / "site" / "downloads" / "trace.xlsx").active
    assert sheet["A1"].value == note and sheet["A2"].value == "条款" and sheet.freeze_panes == "A3"
    scores = {row[0]: row[-1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert scores[PROVISIONAL].endswith("/ 3*") and re.fullmatch(r"[\d.]+ / 5", scores[CONFIRMED])


def test_portal_labels_the_scores(hualan_built, tmp_path, note):
    bundle, out = hualan_built
    portal = write_portal([(summary_of(bundle), out)], tmp_path / "portal", bundle.catalogue)
    tree = site_page(portal, "index.html")
    assert notes(tree) == [note]  # "* 暂定权重：…" under the table: the score it refers to is starred
    [table] = tree.xpath("//table")
    assert [cells[2] for cells in table_rows(table)] == [f"{bundle.assessment.score:g}*"]  # 自评得分


def test_published_site_home_page_has_the_same_caveat(note):
    assert literal(note) in (ROOT / "content" / "site" / "index.md").read_text(encoding="utf-8").splitlines()


# --- the indicator chart (SVG on the site, native chart in the scorecard DOCX) ---------------------
def test_indicator_chart_stars_provisional_points_and_carries_the_caveat(hualan_built, note):
    bundle, out = hualan_built
    chart = bundle.figures["figures/scorecard-indicators.svg"]
    groups = bundle.assessment.indicators
    assert chart.categories == tuple(f"{g.clause.id} {g.clause.title}（{g.maximum:g}*）" for g in groups)
    assert chart.note == note
    svg = etree.fromstring(to_svg(chart).encode("utf-8"))
    texts = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert re.sub(r"\s", "", "".join(chart.note_lines)) == re.sub(r"\s", "", note)  # the whole caveat, in lines
    assert all(line in texts for line in chart.note_lines) and len(chart.note_lines) >= 2
    assert "5.1.1 组织架构（6*）" in texts
    home = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert all(line in home for line in chart.note_lines)  # the inline SVG on the home page
    with zipfile.ZipFile(io.BytesIO(bundle.docx["04-自评打分表.docx"])) as package:
        xml = etree.fromstring(package.read("word/charts/chart1.xml"))
    axis_title = [p for p in xml.findall(".//c:valAx/c:title//a:p", C)]
    assert ["".join(p.itertext()) for p in axis_title] == list(chart.note_lines)
    categories = [v.text for v in xml.findall(".//c:ser[1]/c:cat//c:pt/c:v", C)]
    assert categories == list(chart.categories)


def test_indicator_chart_stars_only_provisional_points(hualan_built):
    """Every second-level indicator is provisional; were one confirmed, its points lose the star."""
    bundle, _ = hualan_built
    a = bundle.assessment
    first = a.indicators[0]
    confirmed = dataclasses.replace(first, clause=first.clause.model_copy(update={"points_provenance": "confirmed"}))
    chart = indicator_chart(dataclasses.replace(a, indicators=[confirmed, *a.indicators[1:]]), bundle.catalogue)
    assert chart.categories[0] == f"{first.clause.id} {first.clause.title}（{first.maximum:g}）"
    assert chart.categories[1].endswith("*）") and chart.note
    none = [dataclasses.replace(g, clause=g.clause.model_copy(update={"points_provenance": "confirmed"}))
            for g in a.indicators]
    assert indicator_chart(dataclasses.replace(a, indicators=none), bundle.catalogue).note == ""  # nothing to explain


# --- the DOCX files ------------------------------------------------------------------------------------
def test_application_form_labels_the_predicted_score(hualan_built, note):
    bundle, out = hualan_built
    document = docx.Document(str(out / "02-认证申请书.docx"))
    [row] = [r for t in document.tables for r in t.rows if r.cells[0].text == "自评得分（预测）"]
    assert row.cells[1].text.startswith(f"{bundle.assessment.score:g} 分*，{bundle.assessment.level}（含特别加分 1 分，是否计加分来源有分歧")
    assert note in [p.text for p in document.paragraphs]


def test_scorecard_docx_stars_provisional_points(hualan_built, catalogue):
    _, out = hualan_built
    document = docx.Document(str(out / "04-自评打分表.docx"))
    shown = {row.cells[0].text.split()[0]: row.cells[1].text for t in document.tables
             if t.rows[0].cells[0].text == "条款" for row in t.rows[1:]}
    assert shown[PROVISIONAL] == "3*" and shown[CONFIRMED] == "5"


# --- aftersales score: terminal, JSON, workbook ---------------------------------------------------------
def test_score_on_the_terminal(capsys, note):
    assert main(["score", str(HUALAN)]) == 0
    out = capsys.readouterr().out
    assert note in out
    rows = {m.group(1): m.group(2) for m in re.finditer(r"│ (5\.[\d.]+)\b[^│]*│\s*(\S+) │", out)}  # 条款 │ 分值
    assert rows[PROVISIONAL] == "3*" and rows[CONFIRMED] == "5"


def test_score_json_says_which_weights_are_provisional(capsys, catalogue, note):
    assert main(["score", str(HUALAN), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    weights = data["weights"]
    assert weights["note"] == note
    assert PROVISIONAL in weights["provisional"] and CONFIRMED not in weights["provisional"]
    assert CONFIRMED in weights["confirmed"] and {"5.1", "5.2", "5.3"} <= set(weights["confirmed"])
    assert set(weights["provisional"]) == {c.id for c in catalogue.clauses.values() if c.provisional}
    lines = {line["clause"]: line for line in data["lines"]}
    assert lines[PROVISIONAL]["points_provisional"] is True and lines[CONFIRMED]["points_provisional"] is False
    indicators = {g["clause"]: g["points_provisional"] for g in data["indicators"]}
    assert indicators["5.1"] is False and indicators["5.1.1"] is True


def test_score_xlsx_carries_the_caveat_on_every_sheet(tmp_path, note):
    target = tmp_path / "card.xlsx"
    assert main(["score", str(HUALAN), "--xlsx", str(target)]) == 0
    book = load_workbook(target)
    summary = book["汇总"]
    assert (summary["A1"].value, summary["B1"].value) == ("关于分值", note)
    assert summary["A2"].value == "企业" and isinstance(summary["B3"].value, (int, float))  # 最终得分
    for name, header in (("逐条评分", "条款"), ("整改计划", "序号")):
        sheet = book[name]
        assert sheet["A1"].value == note and sheet["A2"].value == header and sheet.freeze_panes == "A3", name
    lines = {row[0].value: row for row in book["逐条评分"].iter_rows(min_row=3)}
    for clause, star in ((PROVISIONAL, True), (CONFIRMED, False)):
        cell = lines[clause][2]  # 分值: a number, shown with "*" by its number format when provisional
        assert isinstance(cell.value, (int, float))
        assert cell.number_format.endswith('"*"') is star, (clause, cell.number_format)
        assert lines[clause][3].value == ("是" if star else "否")  # 暂定分值
