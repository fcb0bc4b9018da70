"""Charts and diagrams: native and editable in the DOCX (chart parts whose data is in an embedded
workbook, drawing shapes with text), SVG with text as text on the site, and laid out so that every
text fits its box whatever the profile holds."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from xml.etree import ElementTree

import docx
import openpyxl
import pytest
from docx.enum.shape import WD_INLINE_SHAPE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import HUALAN, QIHENG
from generator.build import make_bundle
from generator.render.figures import LINE_HEIGHT, MAX_HEIGHT, PAD, WIDTH, Box, Diagram, org_chart, service_flow
from generator.render.text_width import em_width, wrap
from generator.profile.validation import load_profile
from generator.output.site.svg import to_svg

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
      "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
      "r": "http://schemas.openxmlformats.org/package/2006/relationships"}


@pytest.fixture(scope="module")
def bundle():
    return make_bundle(HUALAN)


def chart_and_workbook(data: bytes, n: int = 1):
    """The chart part of a DOCX and the worksheet its relationship points to."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        chart = etree.fromstring(archive.read(f"word/charts/chart{n}.xml"))
        rels = etree.fromstring(archive.read(f"word/charts/_rels/chart{n}.xml.rels"))
        rid = chart.find("c:externalData", NS).get(f"{{{NS['r'].replace('package/2006', 'officeDocument/2006')}}}id")
        target = rels.find(f"r:Relationship[@Id='{rid}']", NS).get("Target")
        book = openpyxl.load_workbook(io.BytesIO(archive.read("word/" + target.removeprefix("../"))))
        types = archive.read("[Content_Types].xml").decode()
    assert f'PartName="/word/charts/chart{n}.xml"' in types and 'Extension="xlsx"' in types
    return chart, book["Sheet1"]


def cells(sheet, formula: str) -> list:
    """The values of a range such as Sheet1!$B$2:$B$16."""
    first, last = formula.split("!")[1].replace("$", "").split(":")
    return [row[0].value for row in sheet[first:last]]


def test_indicator_chart_is_a_native_chart_whose_data_is_in_its_workbook(bundle):
    data = bundle.docx["04-自评打分表.docx"]
    chart, sheet = chart_and_workbook(data)
    groups = bundle.assessment.indicators
    series = chart.findall(".//c:ser", NS)
    assert [s.findtext("c:tx//c:v", namespaces=NS) for s in series] == ["得分", "失分"]  # nothing excluded
    categories = [v.text for v in series[0].findall("c:cat//c:pt/c:v", NS)]
    # each indicator's points beside its name, "*" where they are provisional (all second-level ones)
    assert categories == [f"{g.clause.id} {g.clause.title}（{g.maximum:g}*）" for g in groups]
    earned = [float(v.text) for v in series[0].findall("c:val//c:pt/c:v", NS)]
    assert earned == [g.earned for g in groups]
    for s in series:  # every number the chart shows is where its formula says, in the workbook
        cached = {int(p.get("idx")): float(p.findtext("c:v", namespaces=NS))
                  for p in s.findall("c:val//c:pt", NS)}
        column = cells(sheet, s.findtext("c:val/c:numRef/c:f", namespaces=NS))
        assert {i: v for i, v in enumerate(column) if v is not None} == cached
        assert cells(sheet, s.findtext("c:cat/c:strRef/c:f", namespaces=NS)) == categories
    lost = dict(zip(categories, cells(sheet, series[1].findtext("c:val/c:numRef/c:f", namespaces=NS))))
    assert lost["5.1.2 人员配置（9*）"] == pytest.approx(next(g.applicable - g.earned for g in groups
                                                          if g.clause.id == "5.1.2"))
    title = "".join(chart.find("c:chart/c:title", NS).itertext())
    assert title == f"各二级指标得分（最终得分 {bundle.assessment.score:g}*，{bundle.assessment.level}）"
    legend = chart.find("c:chart/c:legend", NS)
    assert legend is not None and chart.find("c:chart/c:plotArea/c:valAx/c:crosses", NS).get("val") == "max"
    assert {"宋体", "黑体"} <= {e.get("typeface") for e in chart.iter(f"{{{NS['a']}}}ea")}
    document = docx.Document(io.BytesIO(data))
    assert [s.type for s in document.inline_shapes] == [WD_INLINE_SHAPE.CHART]


def test_gantt_chart_holds_the_plan_dates_as_dates(bundle):
    chart, sheet = chart_and_workbook(bundle.docx["03-申请材料清单.docx"])
    stones = bundle.certification.milestones
    start, length = chart.findall(".//c:ser", NS)
    assert start.find("c:spPr/a:noFill", NS) is not None  # the offset bar is not drawn
    starts = cells(sheet, start.findtext("c:val/c:numRef/c:f", namespaces=NS))
    assert [d.date() for d in starts] == [m.start for m in stones]
    assert cells(sheet, length.findtext("c:val/c:numRef/c:f", namespaces=NS)) == [(m.end - m.start).days
                                                                                  for m in stones]
    assert chart.find(".//c:valAx/c:numFmt", NS).get("formatCode") == "yyyy-mm"
    low, high = (float(chart.find(f".//c:valAx/c:scaling/c:{k}", NS).get("val")) for k in ("min", "max"))
    epoch = dt.date(1899, 12, 30)
    assert low <= (min(m.start for m in stones) - epoch).days and high >= (max(m.end for m in stones) - epoch).days


def _drawing_texts(data: bytes) -> tuple[list[str], list[str]]:
    """The text of each group of shapes in a DOCX body, and every drawing id used."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    groups = ["\n".join("".join(p.itertext()) for p in g.iter(f"{{{NS['w']}}}p")) for g in body.iter(f"{{{NS['wpg']}}}wgp")]
    ids = [e.get("id") for e in body.iter(f"{{{NS['wp']}}}docPr", f"{{{NS['wps']}}}cNvPr")]
    return groups, ids


def test_diagrams_are_word_shapes_holding_the_company_text(bundle):
    groups, ids = _drawing_texts(bundle.docx["01-售后服务手册.docx"])
    assert len(groups) == 2 and len(ids) == len(set(ids))
    org, flow = groups
    o = bundle.profile.organisation
    for text in [bundle.profile.company.legal_representative, o.management_representative.name,
                 *(d.name for d in o.departments), *(d.head for d in o.departments), "委托网点"]:
        assert text in org.replace("\n", ""), text
    assert "服务质量监督办公室" in org  # one paragraph: Word wraps it, and rewraps it when edited
    assert bundle.profile.resources.hotline in flow and "不满意 → 投诉处理" in flow
    with zipfile.ZipFile(io.BytesIO(bundle.docx["01-售后服务手册.docx"])) as archive:
        body = archive.read("word/document.xml").decode()
    assert 'w:eastAsia="黑体"' in body  # bold box titles in the heading font


def test_svg_keeps_text_as_text_and_user_text_as_data():
    box = Box(0, 0, 100, 40, ("<script>alert(1)</script>", "A & B “引号”"))
    svg = to_svg(Diagram("图 <1>", 100, 40, (box,), ()))
    root = ElementTree.fromstring(svg)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["<script>alert(1)</script>", "A & B “引号”"]
    assert "<script>" not in svg and "\n" not in svg  # one line: a raw HTML block in Markdown
    assert root.get("aria-label") == "图 <1>"


def test_site_figures_are_inline_svg_with_their_text(bundle, tmp_path):
    from generator.output.site.pages import site_pages

    pages = site_pages(bundle)
    chapter = next(text for path, text in pages.items() if path.startswith("manual/") and "4.1 组织机构图" in text)
    svg = re.search(r"<svg .*?</svg>", chapter).group(0)
    texts = "".join(t.text for t in ElementTree.fromstring(svg).iter("{http://www.w3.org/2000/svg}text"))
    assert "质量管理部" in texts and "法定代表人" in texts
    assert "<figcaption>售后服务组织机构图</figcaption>" in chapter
    assert not any(path.endswith(".png") for path in pages)


# --- layout: any organisation fits, text is never lost unmarked -------------------------------
NAMES = st.text(alphabet=st.sampled_from(list("服务质量监督管理部客户关系中心华南区ABCDxyz-0123 （）&<>") + ["é", "😀"]),
                min_size=1, max_size=200).map(str.strip).filter(bool)
BASE = load_profile(HUALAN)


def check_layout(diagram: Diagram) -> None:
    framed = [b for b in diagram.boxes if b.framed]
    for box in diagram.boxes:
        assert 0 <= box.x and box.x + box.w <= diagram.width + 0.01, box
        assert 0 <= box.y and box.y + box.h <= diagram.height + 0.01, box
        for line in box.lines:
            assert em_width(line) * box.size <= box.w - 2 * PAD + 0.01, (line, box.w)
        assert len(box.lines) * box.size * LINE_HEIGHT <= box.h + 0.01
    for i, a in enumerate(framed):
        for b in framed[i + 1:]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart, (a.lines, b.lines)
    for connector in diagram.connectors:
        for x, y in connector.points:
            assert 0 <= x <= diagram.width and 0 <= y <= diagram.height


def shown(box: Box) -> str:
    return squash("".join(box.lines))


def squash(text: str) -> str:
    """Text without spaces of any kind (a line break may drop one, no-break spaces included)."""
    return "".join(text.split())


def check_paragraphs(diagram: Diagram) -> None:
    """Word holds the text drawn, as whole paragraphs; a box cut short keeps its whole text."""
    for box in diagram.boxes:
        if box.paragraphs:
            assert squash("".join(box.paragraphs)) == shown(box), box
        assert ("…" in shown(box)) == bool(box.full) or box.full, box


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(st.tuples(NAMES, NAMES), min_size=0, max_size=40), lead=NAMES, supervision=NAMES)
def test_org_chart_fits_any_organisation(names, lead, supervision):
    o = BASE.organisation
    departments = [o.departments[0].model_copy(update={"name": n, "head": h}) for n, h in names]
    organisation = o.model_copy(update={
        "departments": departments,
        "supervision": o.supervision.model_copy(update={"body": supervision}),
        "management_representative": o.management_representative.model_copy(update={"name": lead})})
    diagram = org_chart(BASE.model_copy(update={"organisation": organisation}))
    check_layout(diagram)
    check_paragraphs(diagram)
    assert diagram.height <= MAX_HEIGHT or len(names) > 30
    texts = [shown(b) for b in diagram.boxes]
    for name, head in names:  # every department is drawn: whole, or cut with a visible …
        whole, start = squash(name + head), squash(name)[:3]
        assert any(t == whole or ("…" in t and t.startswith(start)) for t in texts), name


@settings(max_examples=40, deadline=None)
@given(hotline=NAMES, method=NAMES, hours=st.sampled_from([0.25, 0.5, 1, 2, 24, 48, 72, 168]),
       days=st.integers(1, 400))
def test_service_flow_fits_any_commitments(hotline, method, hours, days):
    k = BASE.commitments.model_copy(update={"response_hours": hours, "onsite_hours_urban": hours,
                                            "repair_days": days})
    customers = BASE.customers.model_copy(update={"follow_up": BASE.customers.follow_up.model_copy(
        update={"method": method})})
    profile = BASE.model_copy(update={"commitments": k, "customers": customers, "resources":
                                      BASE.resources.model_copy(update={"hotline": hotline})})
    diagram = service_flow(profile)
    check_layout(diagram)
    check_paragraphs(diagram)
    assert diagram.width == WIDTH and diagram.height < 200


def test_no_outlets_and_exclusions_still_draw():
    bundle = make_bundle(QIHENG)  # a software company: delivery and take-back excluded
    chart = bundle.figures["figures/scorecard-indicators.svg"]
    excluded = dict(zip(chart.categories, chart.series[2].values))
    assert excluded["5.2.3 配送（6*）"] and excluded["5.2.6 废弃商品回收（3*）"]
    check_layout(bundle.figures["figures/org-chart.svg"])


@pytest.mark.parametrize("text,width,lines", [
    ("城区 24 小时内，郊县 48 小时内", 60, ("城区 24 小时", "内，郊县 48 小", "时内")),  # no line starts with ，
    ("热线 400-830-6688（总部）", 70, ("热线 400-830-6688", "（总部）")),  # none ends with （
    ("热线 025-5288\u00a06600", 60, ("热线", "025-5288\u00a06600")),  # a no-break space holds the number
    ("售后服务质量监督与客户关系管理委员会办公室", 54, ("售后服务质量监", "督与客户关系管", "理委员会办公室")),
])
def test_wrap_breaks_lines_where_a_reader_expects(text, width, lines):
    assert wrap(text, width, 7.5) == lines


def test_gantt_ticks_fall_at_the_start_of_the_month_they_name(bundle):
    gantt = bundle.figures["figures/certification-plan.svg"]
    for i, label in enumerate(gantt.ticks):
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(gantt.axis_min + gantt.major_unit * i))
        assert day.strftime("%Y-%m") == label and day.day <= 5 and day.month in (1, 7)
    assert gantt.title == ""  # the caption beneath names it
