"""Text is data in every spreadsheet the tool writes, never a formula (issue #13).

Profile text reaches `aftersales score --xlsx` (company name, evidence, exclusion reasons, owners);
template text (a `--content` folder's headings, which may hold profile text) reaches the site's
trace matrix downloads (XLSX and CSV); a chart's embedded workbook in the DOCX holds its categories
and series names. A text that starts like a formula must stay a string cell showing exactly that
text (quotePrefix keeps it text when edited in Excel), and get a leading apostrophe in the CSV.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from conftest import HUALAN, PROFILES, ROOT
from generator.build import make_bundle
from generator.output.docx.figures import chart_workbook
from generator.render.figures import BarChart, Series
from generator.output.scorecard import scorecard, write_xlsx
from generator.output.site.layout import layout
from generator.output.site.trace_files import trace_csv, trace_xlsx
from generator.output.xlsx.saving import save
from generator.output.xlsx.textcells import FORMULA_START, csv_cell, csv_text, formula_like

HOSTILE = ["=1+1", '=HYPERLINK("http://x","y")', "+SUM(A1)", "-2+3", "@cmd", "\t=1", "#N/A", "＝1+1"]
ISSUED = dt.date(2026, 6, 1)


def variant(tmp_path, edit) -> tuple:
    """A copy of the home-appliance example with `edit(data)` applied."""
    data = yaml.safe_load(HUALAN.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def sheets_xml(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {n: package.read(n).decode("utf-8") for n in package.namelist()
                if n.startswith("xl/worksheets/") and n.endswith(".xml")}


def assert_no_formula(data: bytes) -> None:
    for name, xml in sheets_xml(data).items():
        assert not re.search(r"<f[\s>/]", xml), f"{name} holds a formula"


def text_cells(data: bytes) -> dict[str, list]:
    """Every str cell per sheet: (value, data_type, quotePrefix)."""
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: [(c.value, c.data_type, c.quotePrefix) for row in sheet.iter_rows() for c in row
                          if isinstance(c.value, str)] for sheet in book.worksheets}


def assert_text(data: bytes, sheet: str, coordinate: str, text: str) -> None:
    cell = load_workbook(io.BytesIO(data))[sheet][coordinate]
    assert (cell.value, cell.data_type) == (text, "s")
    assert cell.quotePrefix, f"{sheet}!{coordinate} {text!r} would become a formula when edited in Excel"


def audit(path) -> None:
    """openxml-audit (as `python -m openxml_audit FILE` runs it) finds no error."""
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(path)
    assert [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors
            if getattr(e.severity, "value", e.severity) == "error"] == []


# --- the scorecard workbook (aftersales score PROFILE --xlsx FILE) ------------------------------
SCORE_EDITS = {  # profile field -> the text the user wrote
    "legal_name": "=1+1",
    "evidence": '=HYPERLINK("http://x","y")',
    "lead": "+SUM(A1)",
    "owner": "@cmd",
    "excluded_reason": "-2+3",
    "tab": "\t=1",
    "error": "#N/A",
    "full_width": "＝1+1",
}


def _score_edit(data: dict) -> None:
    e = SCORE_EDITS
    data["company"]["legal_name"] = e["legal_name"]
    data["readiness"]["self_assessment"]["5.1.1.1"]["evidence"] = e["evidence"]
    data["organisation"]["aftersales_lead"]["name"] = e["lead"]  # every action's default owner
    data["readiness"]["self_assessment"]["5.1.5.2"]["owner"] = e["owner"]
    data["arrangements"]["take_back"] = {"provided": False, "excluded_reason": e["excluded_reason"]}
    data["readiness"]["self_assessment"]["5.1.3.1"]["evidence"] = e["tab"]
    data["readiness"]["self_assessment"]["5.1.3.2"]["evidence"] = e["error"]
    data["readiness"]["self_assessment"]["5.1.6"]["evidence"] = e["full_width"]


@pytest.fixture(scope="module")
def score_xlsx(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("score")
    card = scorecard(variant(tmp, _score_edit))
    target = tmp / "card.xlsx"
    write_xlsx(card, target)
    return card, target


def test_score_xlsx_holds_profile_text_as_text(score_xlsx):
    card, target = score_xlsx
    data = target.read_bytes()
    assert_no_formula(data)
    for sheet, cells in text_cells(data).items():
        assert all(data_type == "s" for _, data_type, _ in cells), sheet
    e = SCORE_EDITS
    assert_text(data, "汇总", "B2", e["legal_name"])  # under the caveat on provisional points
    rows = {row[0].value: row for row in load_workbook(io.BytesIO(data))["逐条评分"].iter_rows(min_row=3)}
    assert_text(data, "逐条评分", rows["5.1.1.1"][9].coordinate, e["evidence"])
    # the profile drops a text's surrounding white space when it is read: the tab never reaches a cell
    assert card.profile.readiness.self_assessment["5.1.3.1"].evidence == "=1"
    assert_text(data, "逐条评分", rows["5.1.3.1"][9].coordinate, "=1")
    assert_text(data, "逐条评分", rows["5.1.3.2"][9].coordinate, e["error"])
    assert_text(data, "逐条评分", rows["5.1.6"][9].coordinate, e["full_width"])
    assert_text(data, "逐条评分", rows["5.2.6"][10].coordinate, e["excluded_reason"])
    owners = {row[1].value: row[5] for row in load_workbook(io.BytesIO(data))["整改计划"].iter_rows(min_row=3)}
    assert_text(data, "整改计划", owners["5.1.5.2"].coordinate, e["owner"])
    others = [cell for key, cell in owners.items() if key != "5.1.5.2"]
    assert others, "the plan has actions owned by the after-sales lead"
    for cell in others:
        assert_text(data, "整改计划", cell.coordinate, e["lead"])


def test_score_xlsx_numbers_and_dates_stay_numbers_and_dates(score_xlsx):
    _, target = score_xlsx
    plan = load_workbook(target)["整改计划"]
    first = next(plan.iter_rows(min_row=3, max_row=3))
    assert isinstance(first[0].value, int) and isinstance(first[7].value, (int, float))
    assert isinstance(first[6].value, dt.datetime) and first[6].is_date
    summary = load_workbook(target)["汇总"]
    assert isinstance(summary["B3"].value, (int, float))


def test_score_xlsx_passes_the_audit(score_xlsx):
    audit(score_xlsx[1])


def test_score_xlsx_through_the_cli(tmp_path):
    from generator.cli import main

    path = variant(tmp_path, lambda d: d["company"].update(legal_name="=HYPERLINK(\"http://x\",\"y\")"))
    target = tmp_path / "card.xlsx"
    assert main(["score", str(path), "--xlsx", str(target)]) == 0
    assert_no_formula(target.read_bytes())
    assert_text(target.read_bytes(), "汇总", "B2", '=HYPERLINK("http://x","y")')


# --- the trace matrix downloads (site: downloads/trace.xlsx, downloads/trace.csv) -----------------
# With the tool's own templates the matrix holds only the standard's and the templates' text; a
# `--content` folder's headings may say anything, profile text included.
TRACE_EDITS = {"short_name": "=1+1", "department": "@cmd"}


@pytest.fixture(scope="module")
def trace_bundle(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("trace")
    house = tmp / "house" / "manual"
    house.mkdir(parents=True)
    system = (ROOT / "content" / "documents" / "manual" / "system.md.j2").read_text(encoding="utf-8")
    for old, new in (("# 3 服务文化 {clauses=5.1.7}", "# {{ c.short_name }} {clauses=5.1.7}"),
                     ("# 4 组织架构 {clauses=5.1.1}", "# {{ o.departments[0].name }} {clauses=5.1.1}")):
        assert system.count(old) == 1
        system = system.replace(old, new)
    (house / "system.md.j2").write_text(system, encoding="utf-8")

    def edit(data):
        data["company"]["short_name"] = TRACE_EDITS["short_name"]
        data["organisation"]["departments"][0]["name"] = TRACE_EDITS["department"]
        # chapters 3 and 4 are no longer numbered, so the manual counts the rest again (1, 2 …) and the
        # sections the profile's customisation names by number are numbered otherwise
        data.pop("customisation", None)

    bundle = make_bundle(variant(tmp, edit), content=tmp / "house")
    return bundle, layout(bundle.documents)


def _manual_cells(rows) -> dict[str, str]:
    return {row[0]: row[2] for row in rows[1:]}  # under the header


def test_trace_xlsx_holds_template_text_as_text(trace_bundle, tmp_path):
    data = trace_xlsx(trace_bundle[0])
    assert_no_formula(data)
    sheet = load_workbook(io.BytesIO(data)).active
    manual = {row[0].value: row[2] for row in sheet.iter_rows(min_row=3)}
    for clause, text in (("5.1.7", TRACE_EDITS["short_name"]), ("5.1.1", TRACE_EDITS["department"])):
        cell = manual[clause]
        assert cell.value.startswith(text + "；") or cell.value == text, cell.value
        assert cell.data_type == "s" and cell.quotePrefix
    for cells in text_cells(data).values():
        assert all(data_type == "s" for _, data_type, _ in cells)
    target = tmp_path / "trace.xlsx"
    target.write_bytes(data)
    audit(target)


def test_trace_csv_prefixes_formula_like_cells(trace_bundle):
    data = trace_csv(trace_bundle[0])
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    manual = _manual_cells(rows)
    for clause, text in (("5.1.7", TRACE_EDITS["short_name"]), ("5.1.1", TRACE_EDITS["department"])):
        assert manual[clause].startswith("'" + text), manual[clause]
        assert csv_text(manual[clause]).startswith(text)
    # every cell: nothing a spreadsheet evaluates, and the same text as the workbook's
    sheet = load_workbook(io.BytesIO(trace_xlsx(trace_bundle[0]))).active
    # the workbook's header and rows under its caveat row; the CSV's caveat is its last column, 分值说明
    assert [[csv_text(v) for v in row[:-1]] for row in rows] == [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0][-1] == "分值说明" and {row[-1] for row in rows[1:]} == {sheet["A1"].value, ""}
    assert not any(v.startswith(FORMULA_START) for row in rows for v in row)


@pytest.mark.parametrize("profile", sorted(PROFILES.glob("*.yaml")), ids=lambda p: p.stem)
def test_examples_have_nothing_to_neutralise(profile, tmp_path):
    """The examples' spreadsheets hold no formula and no formula-like text: the guard changes none of
    their bytes (and our workbooks need no formula of their own)."""
    card = scorecard(profile)
    write_xlsx(card, tmp_path / "card.xlsx")
    data = (tmp_path / "card.xlsx").read_bytes()
    assert_no_formula(data)
    assert not any(formula_like(value) for cells in text_cells(data).values() for value, _, _ in cells)
    assert b'quotePrefix="1"' not in zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml")


# --- the workbooks embedded in DOCX charts ------------------------------------------------------
def test_chart_workbook_keeps_text_text(tmp_path):
    """No profile text is a chart label today (the indicator chart names the standard's clauses, the
    plan chart its fixed steps), but a label is data all the same: XlsxWriter's write() would make
    "=…" a formula and "http://…" a hyperlink."""
    categories = ("=1+1", '=HYPERLINK("http://x","y")', "http://x.example/", "+SUM(A1)", "@cmd", "#N/A", "普通")
    chart = BarChart("t", categories, (Series("=S", tuple(range(1, 8)), "4B5BA6"),
                                       Series("开始日期", (46000,) * 7, None)),
                     0, 10, 1, "General", ("0", "10"), dates=True)
    data = chart_workbook(chart, ISSUED)
    assert_no_formula(data)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert not [n for n in package.namelist() if "_rels/sheet" in n], "no hyperlink relationships"
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet["A"][1:]] == list(categories)
    assert sheet["B1"].value == "=S" and sheet["B1"].quotePrefix
    for cell in sheet["A"][1:]:
        assert cell.data_type == "s"
        assert cell.quotePrefix == (cell.value.startswith(FORMULA_START) or cell.value == "#N/A")
    assert sheet["C2"].is_date and sheet["B2"].value == 1
    target = tmp_path / "chart.xlsx"
    target.write_bytes(data)
    audit(target)


def test_docx_chart_workbooks_hold_no_formula(trace_bundle):
    bundle, _ = trace_bundle
    checked = 0
    for name, data in bundle.docx.items():
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for part in (n for n in package.namelist() if n.startswith("word/embeddings/")):
                workbook = package.read(part)
                assert_no_formula(workbook)
                for cells in text_cells(workbook).values():
                    assert all(data_type == "s" for _, data_type, _ in cells), (name, part)
                checked += 1
    assert checked == 2  # the scorecard's and the certification plan's charts


# --- the neutraliser, over any text --------------------------------------------------------------
XML_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\ufffe\uffff"), max_size=40).filter(
    lambda s: not ILLEGAL_CHARACTERS_RE.search(s))
STARTS = st.sampled_from(FORMULA_START + ("'", "'=", "''+", "#N/A", ""))


@given(st.builds(lambda start, rest: start + rest, STARTS, st.text(max_size=20)))
@settings(max_examples=400, deadline=None)
def test_csv_cell_property(text):
    cell = csv_cell(text)
    assert not cell.startswith(FORMULA_START)
    assert csv_text(cell) == text
    assert cell == (text if not text.lstrip("'").startswith(FORMULA_START) else "'" + text)
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow([cell, 1])  # "\r\n" rows: a lone CR in a cell is quoted
    assert next(csv.reader(io.StringIO(buffer.getvalue(), newline=""))) == [cell, "1"]


@given(st.lists(st.builds(lambda start, rest: start + rest, STARTS.filter(lambda s: "\0" not in s), XML_TEXT),
                min_size=1, max_size=6))
@settings(max_examples=60, deadline=None)
def test_save_property(texts):
    book = Workbook()
    sheet = book.active
    sheet.append(texts)
    sheet.append([1.5, ISSUED])
    data = save(book, ISSUED)
    assert_no_formula(data)
    loaded = load_workbook(io.BytesIO(data)).active
    for cell, text in zip(loaded[1], texts):
        if text == "":
            assert cell.value is None
            continue
        assert (cell.value, cell.data_type) == (text, "s")
        assert cell.quotePrefix == (text.startswith(FORMULA_START) or text == "#N/A"), repr(text)
    assert loaded["A2"].value == 1.5 and loaded["B2"].is_date


def test_save_keeps_a_named_formula():
    book = Workbook()
    sheet = book.active
    sheet.append([1, 2, "=A1+B1", "=SUM(A1:B1)"])
    data = save(book, ISSUED, formulas=[sheet["D1"]])
    xml = next(iter(sheet_xml for sheet_xml in sheets_xml(data).values()))
    assert "<f>SUM(A1:B1)</f>" in xml and "<f>A1+B1</f>" not in xml
    assert load_workbook(io.BytesIO(data)).active["C1"].value == "=A1+B1"
