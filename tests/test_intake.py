"""The intake workbook read back (generator/intake/reader.py): the examples' workbooks give the
profiles, documents and scores their YAML gives; a wrong answer is told through `aftersales check`
with its sheet, cell and key path (exit 2, every problem at once, no traceback); and whatever a
file is (not a zip, an .xls, encrypted, a zip bomb, a sheet deleted, a header renamed, rows moved,
saved by LibreOffice, formulas typed by a user) it is read or refused with a located message.

Workbooks are edited with openpyxl as a user edits them: load, change cells, save. A cell is found
by its key in column A or its column's header, as a user finds it by its label, so the assertions
name the exact cell (`hualan.xlsx!企业基本信息!C12`) without copying the layout's row numbers.
"""
from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile

import docx
import pytest

from conftest import PROFILES, need_tool
from generator.inputs.yamlload import load_yaml_file
from generator.intake.source import load_profile
from generator.profile.model import Profile
from intake_mutate import (ISSUED, answer_cell, edited, encrypted_container, example_workbook, first_free_row,
                           open_book, saved, table_cell)
from mutate import run_main

EXAMPLES = ["hualan-appliances", "qiheng-software", "yunxuan-online"]
HUALAN = "hualan-appliances"


def _check(tmp_path, monkeypatch, data: bytes, name: str = "hualan.xlsx") -> tuple[int, str]:
    """`aftersales check name` in this process, from the folder the workbook is in: (exit code, stderr)."""
    (tmp_path / name).write_bytes(data)
    monkeypatch.chdir(tmp_path)
    code, failure, _, err = run_main(["check", name], 60)
    assert failure is None, failure and failure.traceback
    assert "Traceback" not in err
    return code, err


def _problems(err: str) -> list[str]:
    """The problem lines of check's output (without the indent)."""
    return [line.strip() for line in err.splitlines() if line.startswith("  ") and not line.strip().startswith("⚠")]


def _wrong(tmp_path, monkeypatch, changes: dict[str, object]) -> list[str]:
    """The problems `check` tells of the Hualan workbook with `changes` made (exit 2)."""
    code, err = _check(tmp_path, monkeypatch, edited(example_workbook(HUALAN), changes))
    assert code == 2, err
    problems = _problems(err)
    assert problems and all(line.startswith("hualan.xlsx!") for line in problems), err
    return problems


def _told(problems: list[str], where: str, key_path: str, *words: str) -> str:
    """The one problem at `where` with `key_path` that says every one of `words`."""
    head = f"hualan.xlsx!{where} [{key_path}]: "
    found = [line for line in problems if line.startswith(head) and all(word in line for word in words)]
    assert len(found) == 1, f"no single problem at {head!r} saying {words} in:\n" + "\n".join(problems)
    return found[0]


@pytest.fixture(scope="module")
def book():
    return open_book(example_workbook(HUALAN))


# --- round trip -----------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", EXAMPLES)
def test_every_example_reads_back_as_its_yaml(tmp_path, catalogue, stem):
    from generator.output.xlsx.intake import intake_workbook

    loaded = load_yaml_file(PROFILES / f"{stem}.yaml")
    path = tmp_path / f"{stem}.xlsx"
    path.write_bytes(intake_workbook(loaded.data, catalogue, ISSUED))
    from_workbook = load_profile(path, catalogue).model_dump()
    assert from_workbook == Profile.model_validate(loaded.data).model_dump()
    assert from_workbook == load_profile(PROFILES / f"{stem}.yaml", catalogue).model_dump()


def _docx_text(data: bytes) -> list[str]:
    """Every paragraph and table cell of the body, and every header's and footer's paragraphs."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                     section.even_page_header, section.even_page_footer):
            parts += [p.text for p in part.paragraphs]
            for table in part.tables:
                parts += [cell.text for row in table.rows for cell in row.cells]
    return parts


@pytest.mark.slow
@pytest.mark.parametrize("stem", EXAMPLES)
def test_the_workbook_builds_the_same_documents_and_score(tmp_path, stem):
    """The five DOCX of a build from the workbook say, paragraph by paragraph and cell by cell, what
    the YAML build's say (no document names its source file: the cover and headers carry the
    company's name and the manual's number, not the profile's), and the score is the same."""
    from generator.build import make_bundle
    from generator.output.scorecard import as_data, scorecard

    path = tmp_path / f"{stem}.xlsx"
    path.write_bytes(example_workbook(stem))
    from_yaml, from_workbook = make_bundle(PROFILES / f"{stem}.yaml"), make_bundle(path)
    assert sorted(from_workbook.docx) == sorted(from_yaml.docx) and len(from_yaml.docx) == 5
    for name, data in from_yaml.docx.items():
        expected, actual = _docx_text(data), _docx_text(from_workbook.docx[name])
        assert len(expected) > 20
        assert actual == expected, name
        assert not any(f"{stem}.xlsx" in text or f"{stem}.yaml" in text for text in actual), name
    assert as_data(scorecard(path)) == as_data(scorecard(PROFILES / f"{stem}.yaml"))


# --- wrong answers --------------------------------------------------------------------------------
def test_text_in_a_number_cell(tmp_path, monkeypatch, book):
    where = answer_cell(book, "company.employees")
    assert where == "企业基本信息!C12"  # the brief's example: the layout puts employees there today
    problems = _wrong(tmp_path, monkeypatch, {where: "八百六十"})
    _told(problems, where, "company.employees", "应为整数", "八百六十")


def test_an_unknown_choice(tmp_path, monkeypatch, book):
    where = answer_cell(book, "company.enterprise_type")
    problems = _wrong(tmp_path, monkeypatch, {where: "制造型"})
    _told(problems, where, "company.enterprise_type", "应为以下之一：生产型、销售服务型、服务型", "制造型", "下拉列表")


def test_a_date_that_does_not_exist(tmp_path, monkeypatch, book):
    founded = answer_cell(book, "company.founded")
    expires = table_cell(book, "已获证书", "有效期至", 4)
    problems = _wrong(tmp_path, monkeypatch, {founded: "2024-02-30", expires: "2027年2月29日"})
    _told(problems, founded, "company.founded", "日期不存在：2024-02-30")
    _told(problems, expires, "company.certificates[0].expires", "日期不存在：2027年2月29日")
    assert len(problems) == 2


def test_a_missing_required_answer(tmp_path, monkeypatch, book):
    legal_name = answer_cell(book, "company.legal_name")
    province = table_cell(book, "网点清单", "省份", 5)
    problems = _wrong(tmp_path, monkeypatch, {legal_name: None, province: "  "})
    _told(problems, legal_name, "company.legal_name", "缺少必填项：企业法定名称")
    _told(problems, province, "resources.outlets[1].province", "缺少必填项：省份")


def test_yes_or_no_misspelt(tmp_path, monkeypatch, book):
    where = answer_cell(book, "arrangements.delivery.provided")
    problems = _wrong(tmp_path, monkeypatch, {where: "时"})
    _told(problems, where, "arrangements.delivery.provided", "应为“是”或“否”", "'时'")


def test_invisible_characters_are_refused_as_in_yaml(tmp_path, monkeypatch, book):
    """Found by a helper: a bidirectional override pasted into a cell reached the documents'
    rendering (a traceback, exit 1); a YAML profile refuses it at its line. A break of a line as
    Windows writes it (CRLF) reads as the YAML reader reads it."""
    address = table_cell(book, "网点清单", "详细地址", 5)
    short = answer_cell(book, "company.short_name")
    channels = answer_cell(book, "company.sales_channels")
    problems = _wrong(tmp_path, monkeypatch, {address: "白云区\u202e广园中路", short: "华澜\ufeff电器",
                                              channels: "全国经销门店\r\n京东旗舰店"})
    _told(problems, address, "resources.outlets[1].address", "双向文字控制字符 U+202E", "显示的顺序与实际不同")
    _told(problems, short, "company.short_name", "字节顺序标记")
    assert len(problems) == 2, problems
    path = tmp_path / "crlf.xlsx"
    path.write_bytes(edited(example_workbook(HUALAN), {channels: "全国经销门店\r\n京东旗舰店"}))
    assert load_profile(path).company.sales_channels == ["全国经销门店", "京东旗舰店"]


def test_a_percentage_typed_with_its_sign_reads_as_it_shows(tmp_path, book):
    """Found by a stranger: 92% typed in Excel is stored as 0.92 in a percent-formatted cell, and the
    manual said 目标 0.92%. The profile's percentages are numbers of per cent: the cell reads as it shows."""
    target = answer_cell(book, "customers.satisfaction_survey.target")
    coverage = answer_cell(book, "customers.follow_up.coverage")
    workbook = open_book(example_workbook(HUALAN))
    for where, value in ((target, 0.92), (coverage, 0.875)):
        sheet, cell = where.split("!")
        workbook[sheet][cell] = value
        workbook[sheet][cell].number_format = "0%"
    path = tmp_path / "percent.xlsx"
    path.write_bytes(saved(workbook))
    profile = load_profile(path)
    assert (profile.customers.satisfaction_survey.target, profile.customers.follow_up.coverage) == (92, 87.5)


def test_a_number_in_a_date_cell(tmp_path, monkeypatch, book):
    """A year typed into a date cell is a day of 1905 to Excel; a number like 20260315 is no date
    at all (Excel shows ####, openpyxl an error value): both are told, neither read as a date."""
    founded = answer_cell(book, "company.founded")
    expires = table_cell(book, "已获证书", "有效期至", 5)
    text_cell = answer_cell(book, "company.industry")
    problems = _wrong(tmp_path, monkeypatch, {founded: 2009, expires: 20290111, text_cell: 2009})
    _told(problems, founded, "company.founded", "应为日期", "数字 2009", "1905-07-01")
    _told(problems, expires, "company.certificates[1].expires", "错误值 #VALUE!", "2026-03-15")
    assert len(problems) == 2  # a number in a text cell is the text "2009"


def test_a_date_where_no_date_belongs(tmp_path, monkeypatch, book):
    """A date typed into a choice, a yes/no or a number cell is told as that cell's kind expects;
    in a text cell it is the date's text."""
    choice, provided = answer_cell(book, "company.enterprise_type"), answer_cell(book, "arrangements.delivery.provided")
    employees, industry = answer_cell(book, "company.employees"), answer_cell(book, "company.industry")
    day = dt.datetime(2026, 3, 15, 9, 30)
    problems = _wrong(tmp_path, monkeypatch, {choice: day, provided: day, employees: day, industry: day})
    _told(problems, choice, "company.enterprise_type", "应为以下之一：生产型、销售服务型、服务型", "2026-03-15")
    _told(problems, provided, "arrangements.delivery.provided", "应为“是”或“否”")
    _told(problems, employees, "company.employees", "应为整数，实际为日期 2026-03-15", "常规")
    assert len(problems) == 3


def test_a_clause_listed_twice(tmp_path, monkeypatch, book):
    row = first_free_row(book, "条款自评")
    key, status = table_cell(book, "条款自评", "条款", row), table_cell(book, "条款自评", "自评结果", row)
    problems = _wrong(tmp_path, monkeypatch, {key: "5.1.1.1", status: "未落实"})
    _told(problems, key, "readiness.self_assessment.5.1.1.1", "条款 5.1.1.1 重复", f"第 {row} 行")


def test_an_unknown_clause_excluded(tmp_path, monkeypatch, book):
    key, reason = table_cell(book, "其他删减", "条款", 4), table_cell(book, "其他删减", "删减理由", 4)
    problems = _wrong(tmp_path, monkeypatch, {key: "9.9.9", reason: "本企业不涉及"})
    _told(problems, key, "readiness.exclusions.9.9.9", "条款 9.9.9 不是可删减的计分条款")
    assert len(problems) == 1


def test_every_mistake_is_told_at_once(tmp_path, monkeypatch, book):
    """Seven mistakes on five sheets: seven located problems, none hiding another."""
    row = first_free_row(book, "条款自评")
    changes = {
        answer_cell(book, "company.employees"): "八百六十",
        answer_cell(book, "company.enterprise_type"): "制造型",
        answer_cell(book, "company.founded"): "2024-02-30",
        answer_cell(book, "company.legal_name"): None,
        table_cell(book, "网点清单", "省份", 5): None,
        answer_cell(book, "arrangements.repair.provided"): "对的",
        table_cell(book, "条款自评", "条款", row): "5.1.1.1",
        table_cell(book, "条款自评", "自评结果", row): "已落实",
    }
    code, err = _check(tmp_path, monkeypatch, edited(example_workbook(HUALAN), changes))
    assert code == 2 and "企业档案有 7 处问题" in err, err
    problems = _problems(err)
    assert len(problems) == 7, err
    for where, key_path in [(answer_cell(book, "company.employees"), "company.employees"),
                            (answer_cell(book, "company.enterprise_type"), "company.enterprise_type"),
                            (answer_cell(book, "company.founded"), "company.founded"),
                            (answer_cell(book, "company.legal_name"), "company.legal_name"),
                            (table_cell(book, "网点清单", "省份", 5), "resources.outlets[1].province"),
                            (answer_cell(book, "arrangements.repair.provided"), "arrangements.repair.provided"),
                            (table_cell(book, "条款自评", "条款", row), "readiness.self_assessment.5.1.1.1")]:
        _told(problems, where, key_path)


def test_a_blank_workbook_fails_with_located_messages(tmp_path, monkeypatch):
    code, err = _check(tmp_path, monkeypatch, example_workbook(""), "blank.xlsx")
    problems = _problems(err)
    assert code == 2 and len(problems) > 20, err
    assert all(line.startswith("blank.xlsx!") for line in problems), err
    assert "blank.xlsx!企业基本信息!C4 [company.legal_name]: 缺少必填项" in err


# --- formulas -------------------------------------------------------------------------------------
def test_a_formula_without_a_value_is_told_not_read_as_blank(tmp_path, monkeypatch, book):
    """openpyxl (and any program but a spreadsheet) writes a formula without its value: it is told
    as a formula at its cell, not read as an empty answer ("缺少必填项")."""
    representative = answer_cell(book, "company.legal_representative")
    employees = answer_cell(book, "company.employees")
    problems = _wrong(tmp_path, monkeypatch, {representative: "=1+1", employees: "=SUM(C4:C9)"})
    _told(problems, representative, "company.legal_representative", "单元格是公式 '=1+1'", "单引号")
    _told(problems, employees, "company.employees", "单元格是公式 '=SUM(C4:C9)'")
    assert not any("缺少必填项" in line for line in problems)


def test_a_formula_a_spreadsheet_calculated_is_read_as_it_shows(tmp_path, monkeypatch, book):
    """A formula saved by Excel or LibreOffice keeps its value: the answer is what the cell shows;
    one whose value is an error is told."""
    employees, industry = answer_cell(book, "company.employees"), answer_cell(book, "company.industry")
    sheet = employees.split("!")[0]
    data = edited(example_workbook(HUALAN), {employees: "=800+60", industry: "=1/0"})
    data = _with_cached_values(data, sheet, {employees.split("!")[1]: ("860", "n"),
                                             industry.split("!")[1]: ("#DIV/0!", "e")})
    code, err = _check(tmp_path, monkeypatch, data)
    assert code == 2, err
    problems = _problems(err)
    _told(problems, industry, "company.industry", "公式 '=1/0' 的结果是错误值 #DIV/0!")
    assert len(problems) == 1  # employees: 860, as the cell shows


def _with_cached_values(data: bytes, sheet: str, values: dict[str, tuple[str, str]]) -> bytes:
    """The workbook with a value (and its type) saved beside the formula of each cell, as a
    spreadsheet program saves a calculated formula."""
    import re

    from lxml import etree

    book = open_book(data)
    index = book.sheetnames.index(sheet) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == part:
                root = etree.fromstring(content)
                ns = {"m": root.nsmap[None]}
                for ref, (value, kind) in values.items():
                    cell = root.find(f".//m:c[@r='{ref}']", ns)
                    assert cell is not None and cell.find("m:f", ns) is not None, ref
                    cell.set("t", kind)
                    cached = cell.find("m:v", ns)  # openpyxl writes an empty one
                    (cached if cached is not None else etree.SubElement(cell, f"{{{ns['m']}}}v")).text = value
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                assert re.search(rb"<f>", content)
            target.writestr(info, content)
    return out.getvalue()


# --- files that are not what they should be ------------------------------------------------------
def _refused(tmp_path, monkeypatch, data: bytes, *words: str, name: str = "hualan.xlsx") -> str:
    code, err = _check(tmp_path, monkeypatch, data, name)
    assert code == 2, err
    assert err.startswith("错误：") and name in err.splitlines()[0], err
    for word in words:
        assert word in err, err
    return err


def test_a_file_that_is_no_zip(tmp_path, monkeypatch):
    _refused(tmp_path, monkeypatch, "公司名称,员工\n华澜,860\n".encode("utf-8"), "不是有效的 Excel 工作簿", "已损坏")
    _refused(tmp_path, monkeypatch, b"", "不是有效的 Excel 工作簿")
    _refused(tmp_path, monkeypatch, example_workbook(HUALAN)[:20000], "不是有效的 Excel 工作簿", "不完整")


def test_an_xls_and_an_encrypted_workbook(tmp_path, monkeypatch):
    """Both are OLE files: the encrypted one (streams EncryptionInfo, EncryptedPackage) is told as
    encrypted, anything else as an old .xls."""
    err = _refused(tmp_path, monkeypatch, encrypted_container(b"secret" * 1000), "加了打开密码")
    assert "旧版" not in err
    _refused(tmp_path, monkeypatch, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "旧版 Excel（.xls）")


@pytest.mark.slow
def test_a_real_xls_named_xlsx(tmp_path, monkeypatch):
    soffice = need_tool("soffice")
    (tmp_path / "in.xlsx").write_bytes(example_workbook(HUALAN))
    subprocess.run([soffice, "--headless", "--convert-to", "xls", "--outdir", str(tmp_path / "xls"),
                    str(tmp_path / "in.xlsx")], check=True, capture_output=True, timeout=180)
    _refused(tmp_path, monkeypatch, (tmp_path / "xls" / "in.xls").read_bytes(), "旧版 Excel（.xls）")


def test_a_zip_that_is_no_workbook_and_a_zip_bomb(tmp_path, monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    _refused(tmp_path, monkeypatch, out.getvalue(), "不是 Excel 工作簿")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<" + b" " * (600 * 1024 * 1024))
    assert len(out.getvalue()) < 1024 * 1024
    _refused(tmp_path, monkeypatch, out.getvalue(), "解压后过大")


def test_a_part_larger_than_its_zip_entry_declares(tmp_path, monkeypatch):
    """A zip bomb that lies about its size: a sheet's part unpacks to 8 MB but its headers declare
    5,000 bytes; no more than declared is unpacked, and the file is refused as damaged."""
    import re
    import struct

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(example_workbook(HUALAN))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</sheetData>", b"</sheetData><!--" + b" " * (8 << 20) + b"-->")
            target.writestr(info.filename, data)
    data = bytearray(out.getvalue())
    for found in re.finditer(rb"xl/worksheets/sheet2\.xml", bytes(data)):
        start = found.start()
        if data[start - 30:start - 26] == b"PK\x03\x04":  # the local header's uncompressed size
            struct.pack_into("<I", data, start - 30 + 22, 5000)
        elif data[start - 46:start - 42] == b"PK\x01\x02":  # the central directory's
            struct.pack_into("<I", data, start - 46 + 24, 5000)
    _refused(tmp_path, monkeypatch, bytes(data), "不是有效的 Excel 工作簿", "已损坏")


def test_a_deleted_sheet_is_told_and_the_rest_still_checked(tmp_path, monkeypatch, book):
    copy = open_book(example_workbook(HUALAN))
    del copy["网点清单"]
    copy[answer_cell(book, "company.employees").split("!")[0]][answer_cell(book, "company.employees").split("!")[1]] = "很多"
    code, err = _check(tmp_path, monkeypatch, saved(copy))
    problems = _problems(err)
    assert code == 2, err
    _told(problems, "填写说明!A1", "resources.outlets", "缺少工作表“网点清单”", "aftersales intake")
    _told(problems, answer_cell(book, "company.employees"), "company.employees", "应为整数")


def test_a_renamed_sheet_is_named_in_the_hint(tmp_path, monkeypatch):
    copy = open_book(example_workbook(HUALAN))
    copy["网点清单"].title = "网点 清单"
    code, err = _check(tmp_path, monkeypatch, saved(copy))
    assert code == 2, err
    problems = _problems(err)
    assert problems == ["hualan.xlsx!填写说明!A1 [resources.outlets]: 缺少工作表“网点清单”"
                        "（工作表“网点 清单”是不是它？请改回原名“网点清单”）"], err


def test_a_workbook_that_is_no_intake_workbook(tmp_path, monkeypatch):
    from openpyxl import Workbook

    other = Workbook()
    other.active.title = "网点"
    other.active["A1"] = "网点名称"
    _refused(tmp_path, monkeypatch, saved(other), "不是企业信息采集表", "aftersales intake")


def test_a_renamed_header(tmp_path, monkeypatch, book):
    """A required column renamed: the column is missing, and its answers under the unknown header
    are not silently dropped; an optional one renamed: its answers are told as not read."""
    province, phone = table_cell(book, "网点清单", "省份", 3), table_cell(book, "网点清单", "网点电话", 3)
    problems = _wrong(tmp_path, monkeypatch, {province: "省", phone: "电话"})
    _told(problems, "网点清单!A3", "resources.outlets", "缺少“省份”列")
    _told(problems, province, "resources.outlets", "“省”列不是本表的列")
    _told(problems, phone, "resources.outlets", "“电话”列不是本表的列")
    assert len(problems) == 3


def test_a_renamed_key_column_is_told_once(tmp_path, monkeypatch, book):
    problems = _wrong(tmp_path, monkeypatch, {table_cell(book, "条款自评", "条款", 3): "条款号"})
    _told(problems, "条款自评!A3", "readiness.self_assessment", "缺少“条款”列")
    assert len(problems) == 2, problems  # and "条款号" as a column not read; not one problem per row


def test_a_changed_key_is_told(tmp_path, monkeypatch, book):
    row = int(answer_cell(book, "company.industry").split("!C")[1])
    problems = _wrong(tmp_path, monkeypatch, {f"企业基本信息!A{row}": "company.trade"})
    _told(problems, f"企业基本信息!A{row}", "company", "“company.trade”不是本表的项目")
    _told(problems, "企业基本信息!A1", "company.industry", "缺少必填项")  # its row is gone: the sheet


def test_moved_rows_and_sorted_tables_read_the_same(tmp_path, catalogue):
    """A form's rows moved down (with their keys), the outlets' rows reversed, a far cell typed:
    the same profile."""
    copy = open_book(example_workbook(HUALAN))
    form = copy["企业基本信息"]
    form.move_range(f"A4:E{form.max_row}", rows=40)
    outlets = copy["网点清单"]
    last = max(c.row for c in outlets["A"] if c.value) + 1
    outlets.move_range(f"A4:G{last - 1}", rows=100)
    form["XFD1048576"] = "远处的备注"
    path = tmp_path / "moved.xlsx"
    path.write_bytes(saved(copy))
    expected = load_profile(PROFILES / f"{HUALAN}.yaml", catalogue).model_dump()
    assert load_profile(path, catalogue).model_dump() == expected


def test_a_cell_in_the_last_row_costs_nothing(tmp_path, monkeypatch, book):
    """The reader reads the cells the file has, not every row up to the last one (a value in row
    1,048,576 of a table took 30 s; a formula in a sheet as wide and long, longer than the fuzz's 10 s)."""
    import time

    copy = open_book(example_workbook(HUALAN))
    copy["网点清单"]["XFD1048576"] = "x"
    copy["企业基本信息"]["A1048576"] = "y"
    copy["企业基本信息"]["XFD1048576"] = "=1+1"  # and a formula there: its sheet is read for formulas too
    start = time.process_time()
    code, err = _check(tmp_path, monkeypatch, saved(copy))
    assert time.process_time() - start < 5
    assert code == 0 and not _problems(err), err  # a note beside a table, a word below a form: not answers


@pytest.mark.slow
def test_a_workbook_saved_by_libreoffice_reads_the_same(tmp_path, catalogue):
    soffice = need_tool("soffice")
    stem = "yunxuan-online"
    (tmp_path / f"{stem}.xlsx").write_bytes(edited(example_workbook(stem), {}))
    subprocess.run([soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"),
                    str(tmp_path / f"{stem}.xlsx")], check=True, capture_output=True, timeout=180)
    resaved = tmp_path / "lo" / f"{stem}.xlsx"
    assert resaved.read_bytes() != (tmp_path / f"{stem}.xlsx").read_bytes()
    assert load_profile(resaved, catalogue).model_dump() == load_profile(PROFILES / f"{stem}.yaml", catalogue).model_dump()


@pytest.mark.slow
def test_formulas_calculated_by_libreoffice_are_read_as_they_show(tmp_path, monkeypatch, book):
    """The user's formulas saved by a spreadsheet program: LibreOffice calculates them on saving,
    so =800+60 is read as 860 and =1/0 is told with its error value."""
    soffice = need_tool("soffice")
    employees, industry = answer_cell(book, "company.employees"), answer_cell(book, "company.industry")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "hualan.xlsx").write_bytes(
        edited(example_workbook(HUALAN), {employees: "=800+60", industry: "=1/0"}))
    subprocess.run([soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo"),
                    str(tmp_path / "in" / "hualan.xlsx")], check=True, capture_output=True, timeout=180)
    code, err = _check(tmp_path, monkeypatch, (tmp_path / "lo" / "hualan.xlsx").read_bytes())
    assert code == 2, err
    assert _problems(err) == [f"hualan.xlsx!{industry} [company.industry]: 单元格中公式 '=1/0' 的结果是错误值 #DIV/0!"
                              "（请直接填写答案，不要用公式）"], err
