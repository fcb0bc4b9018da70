"""The intake workbook as written: every field of the schema and every clause and material of the
standard has its cell, answers are validated and the rest protected, user text stays text, and the
workbook survives the programs a client opens it in (the OOXML audit, LibreOffice's save)."""
from __future__ import annotations

import copy
import datetime as dt
import io
import subprocess
import typing
import warnings

import pytest
from pydantic import BaseModel

from conftest import HUALAN, PROFILES, need_tool, standard_with
from generator.inputs.yamlload import load_yaml_file
from generator.intake.layout import Form, Group, sheets
from generator.intake.source import load_profile
from generator.output.xlsx.intake import MARKER, intake_workbook
from generator.profile.company import Company
from generator.profile.introspect import unwrap
from generator.profile.model import Profile
from generator.profile.values import Name
from generator.standard.catalogue import load_catalogue

ISSUED = dt.date(2026, 3, 1)


def _book(data: bytes):
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(io.BytesIO(data))


def _leaf_paths(model: type[BaseModel], path: tuple = ()) -> set[tuple]:
    """Every field of the schema that holds a value (a list of texts counts as one), by key path;
    the items of a list or mapping are under the list's path."""
    found = set()
    for name, info in model.model_fields.items():
        inner = unwrap(info.annotation)
        at = (*path, name)
        if typing.get_origin(inner) in (list, dict):
            item = unwrap(typing.get_args(inner)[-1])
            if isinstance(item, type) and issubclass(item, BaseModel):
                found |= _leaf_paths(item, at)
            else:
                found.add(at)
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            found |= _leaf_paths(inner, at)
        else:
            found.add(at)
    return found


def _laid_out(root=Profile) -> set[tuple]:
    found = set()
    for sheet in sheets(root):
        if isinstance(sheet, Form):
            found |= {row.path for row in sheet.rows if not isinstance(row, Group)}
        else:
            found |= {(*sheet.path, *column.path) for column in sheet.columns}
    return found


def test_every_field_of_the_schema_has_a_cell():
    assert _laid_out() == _leaf_paths(Profile)


def test_a_field_added_to_the_schema_shows_up_without_new_code():
    class Wider(Company):
        tax_office: Name | None = None
        """主管税务机关"""

    class WiderProfile(Profile):
        company: Wider

    form = next(s for s in sheets(WiderProfile) if s.path == ("company",))
    row = next(r for r in form.rows if r.path == ("company", "tax_office"))
    assert (row.label, row.kind, row.required) == ("主管税务机关", "text", False)
    assert _laid_out(WiderProfile) == _leaf_paths(WiderProfile)


def test_a_material_added_to_the_standard_gets_its_row(tmp_path):
    folder = standard_with(tmp_path, "materials.yaml", "  - {id: M01,",
                           "  - {id: M00, name: 企业信用报告, list: classic, clauses: [\"4\"], applies: always}\n  - {id: M01,")
    book = _book(intake_workbook(None, load_catalogue(folder), ISSUED))
    ws = book["申请材料"]
    rows = [(ws.cell(r, 1).value, ws.cell(r, 2).value) for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value]
    assert rows[0] == ("M00", "企业信用报告")
    assert len(rows) == len(load_catalogue().materials) + 1


def test_every_scored_clause_and_material_is_listed(catalogue):
    book = _book(intake_workbook(None, catalogue, ISSUED))
    clauses = book["条款自评"]
    listed = [clauses.cell(r, 1).value for r in range(4, clauses.max_row + 1) if clauses.cell(r, 1).value]
    assert listed == [c.id for c in catalogue.leaves()]
    assert clauses["B4"].value == catalogue.leaves()[0].title
    materials = book["申请材料"]
    assert [materials.cell(r, 1).value for r in range(4, materials.max_row + 1) if materials.cell(r, 1).value] == \
        [m.id for m in catalogue.materials]


def _row_of(ws, key: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)


def _rules(ws, coordinate: str) -> list:
    return [v for v in ws.data_validations.dataValidation if coordinate in v.sqref]


def test_answers_are_validated_as_they_are_typed(catalogue):
    book = _book(intake_workbook(None, catalogue, ISSUED))
    company = book["企业基本信息"]
    employees = f"C{_row_of(company, 'company.employees')}"
    (rule,) = _rules(company, employees)
    assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("whole", "between", "1", "10000000")
    kind = f"C{_row_of(company, 'company.enterprise_type')}"
    (rule,) = _rules(company, kind)
    assert (rule.type, rule.formula1) == ("list", '"生产型,销售服务型,服务型"')
    founded = f"C{_row_of(company, 'company.founded')}"
    (rule,) = _rules(company, founded)
    assert rule.type == "date" and company[founded].number_format == "yyyy-mm-dd"
    assert company[f"C{_row_of(company, 'company.legal_name')}"].number_format == "@"  # digits typed stay text
    clauses = book["条款自评"]
    (rule,) = _rules(clauses, "C4")
    assert rule.formula1 == '"已落实,部分落实,未落实"'  # the statuses as the reader reads them, not the ids
    outlets = book["网点清单"]
    header = [c.value for c in outlets[3]]
    mode = "ABCDEFGH"[header.index("运营方式")]
    assert [v.formula1 for v in _rules(outlets, f"{mode}4")] == ['"自营,委托"']
    assert all(rule.showErrorMessage and rule.error for ws in book.worksheets for rule in ws.data_validations.dataValidation)


def test_only_the_answers_can_be_edited(catalogue):
    book = _book(intake_workbook(None, catalogue, ISSUED))
    for ws in book.worksheets:
        assert ws.protection.sheet, ws.title
    company = book["企业基本信息"]
    row = _row_of(company, "company.legal_name")
    assert company.cell(row, 3).protection.locked is False
    assert all(company.cell(row, c).protection.locked for c in (1, 2, 4, 5))
    clauses = book["条款自评"]
    assert clauses["A4"].protection.locked and clauses["B4"].protection.locked  # the clause and its name
    assert clauses["C4"].protection.locked is False
    outlets = book["网点清单"]
    assert outlets["A3"].protection.locked and outlets["A4"].protection.locked is False
    # Found by a stranger: rows below the table were locked, so a client could not add a 31st outlet
    # or paste a list of 200: the columns' own style unlocks every row below (Excel and LibreOffice
    # give a cell the file does not hold its column's style), and validation reaches them too.
    assert outlets.column_dimensions["A"].protection.locked is False
    assert [max(r.max_row for r in rule.sqref.ranges) > 20000 for rule in _rules(outlets, "A5000")] == [True]
    assert clauses.column_dimensions["A"].protection.locked  # a table of listed rows takes no more
    assert list(outlets.tables) and outlets.tables[next(iter(outlets.tables))].ref.startswith("A3:")


def test_a_filled_workbook_says_what_the_profile_says(catalogue):
    data = load_yaml_file(HUALAN).data
    book = _book(intake_workbook(data, catalogue, ISSUED))
    company = book["企业基本信息"]
    assert company.cell(_row_of(company, "company.legal_name"), 3).value == data["company"]["legal_name"]
    assert company.cell(_row_of(company, "company.sales_regions"), 3).value == "\n".join(data["company"]["sales_regions"])
    assert company.cell(_row_of(company, "company.founded"), 3).value == dt.datetime.combine(data["company"]["founded"], dt.time())
    outlets = book["网点清单"]
    assert outlets["A4"].value == data["resources"]["outlets"][0]["name"]
    clauses = book["条款自评"]
    row = next(r for r in range(4, clauses.max_row + 1) if clauses.cell(r, 1).value == "5.1.5.2")
    assert clauses.cell(row, 3).value == "部分落实"
    assert book.custom_doc_props[MARKER].value == "1"
    assert "佛山市华澜电器有限公司" in book["填写说明"]["A3"].value


def test_user_text_is_never_a_formula(catalogue, tmp_path):
    data = copy.deepcopy(load_yaml_file(HUALAN).data)
    data["company"]["legal_name"] = "=1+1"
    data["resources"]["outlets"][0]["name"] = '=HYPERLINK("http://x","y")'
    data["company"]["sales_channels"][0] = "+SUM(A1)"
    data["resources"]["charges"][0]["price"] = "＝1"
    raw = intake_workbook(data, catalogue, ISSUED)
    book = _book(raw)
    company = book["企业基本信息"]
    cell = company.cell(_row_of(company, "company.legal_name"), 3)
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
    assert book["网点清单"]["A4"].data_type == "s"
    path = tmp_path / "formula.xlsx"
    path.write_bytes(raw)
    profile = load_profile(path)
    assert profile.company.legal_name == "=1+1"
    assert profile.resources.outlets[0].name == '=HYPERLINK("http://x","y")'
    assert profile.company.sales_channels[0] == "+SUM(A1)"


def test_the_same_profile_gives_the_same_bytes(catalogue):
    data = load_yaml_file(HUALAN).data
    assert intake_workbook(data, catalogue, ISSUED) == intake_workbook(data, catalogue, ISSUED)


@pytest.mark.parametrize("name", ["blank", "hualan-appliances", "qiheng-software", "yunxuan-online"])
def test_the_workbook_passes_the_audit(catalogue, tmp_path, name):
    from openxml_audit import OpenXmlValidator

    data = None if name == "blank" else load_yaml_file(PROFILES / f"{name}.yaml").data
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(intake_workbook(data, catalogue, ISSUED))
    result = OpenXmlValidator().validate(path)
    assert [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors
            if getattr(e.severity, "value", e.severity) == "error"] == []


@pytest.mark.slow
def test_a_workbook_saved_by_libreoffice_reads_the_same(catalogue, tmp_path):
    """A client who fills the workbook in LibreOffice saves it through LibreOffice's own writer: the
    answers, the dropdowns and the protection must survive that."""
    soffice = need_tool("soffice")
    source = tmp_path / "hualan.xlsx"
    source.write_bytes(intake_workbook(load_yaml_file(HUALAN).data, catalogue, ISSUED))
    out = tmp_path / "saved"
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xlsx",
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    saved = out / "hualan.xlsx"
    assert load_profile(saved).model_dump() == load_profile(HUALAN).model_dump()
    book = _book(saved.read_bytes())
    company = book["企业基本信息"]
    row = _row_of(company, "company.enterprise_type")
    assert [v.formula1 for v in _rules(company, f"C{row}")] == ['"生产型,销售服务型,服务型"']
    assert company.protection.sheet and company.cell(row, 3).protection.locked is False


@pytest.mark.slow
def test_the_workbook_prints_each_sheet_readably(catalogue, tmp_path):
    """LibreOffice prints the workbook as a client would: each sheet fits the page's width, every sheet
    and every answer is there."""
    soffice = need_tool("soffice")
    need_tool("pdftotext")
    source = tmp_path / "hualan.xlsx"
    source.write_bytes(intake_workbook(load_yaml_file(HUALAN).data, catalogue, ISSUED))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "hualan.pdf"), "-"], check=True,
                           capture_output=True, text=True).stdout.split("\f")
    firsts = [page.strip().splitlines()[0].strip() for page in pages if page.strip()]
    assert firsts[0] == "企业信息采集表"
    firsts = firsts[firsts.index(sheets()[0].title):]  # after the cover (whose list of sheets may run on)
    titles = [s.title for s in sheets()]
    assert [t for t in firsts if t in titles] == [t for t in titles if t in firsts]  # in order
    assert set(titles) <= set(firsts)  # every sheet starts a page: none cut into columns on further pages
    text = "\n".join(pages)
    for answer in ("佛山市华澜电器有限公司", "华澜电器佛山服务中心", "2026 年培训计划和培训签到记录"):
        assert answer in text.replace(" ", "") or answer.replace(" ", "") in text.replace(" ", "")
