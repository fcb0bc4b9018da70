"""`aftersales score PROFILE --xlsx FILE` replaces only its own workbook, untouched since it wrote it.

The creator property survives a user's save in Excel, WPS, LibreOffice and openpyxl, so the tool
seals its workbook (a custom document property, ownership.seal): a digest of what a user may change
(values, formatting, number formats, fonts, frozen panes, filters, conditional formats, validation,
protection, print settings, document properties, the parts of the package) and, as data, the column
widths and row heights. The same, the workbook is replaced; any edit keeps it, exit 2 with the file
untouched byte for byte. A save without edits (openpyxl; the view changed, widths rounded) leaves it
the tool's; LibreOffice's conversion drops frozen panes and renames fonts, so it is kept. A file the
tool did not write, a symbolic link, a folder or a name that is not .xlsx is refused before anything
is written.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from copy import copy
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.chart import BarChart, Reference
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table

from conftest import HUALAN, PROFILES, YUNXUAN
from generator.cli import main
from generator.output.xlsx.fingerprint import DIGEST_PROPERTY
from generator.output.xlsx.ownership import EDITED, FOREIGN, OURS, UNCONFIRMED, ownership


def score(capsys, profile, target) -> tuple[int, str]:
    """`aftersales score PROFILE --xlsx TARGET`: the exit code and what it printed to stderr."""
    capsys.readouterr()
    code = main(["score", str(profile), "--xlsx", str(target)])
    return code, capsys.readouterr().err


def photograph(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in `folder`: its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def renamed_company(tmp_path, name="另一家电器有限公司") -> Path:
    """The home-appliance example under another company name: a workbook with other content."""
    data = yaml.safe_load(HUALAN.read_text(encoding="utf-8"))
    data["company"]["legal_name"] = name
    path = tmp_path / "other.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def edited(target: Path, edit) -> None:
    """`edit(book)` applied to the workbook at `target` and saved with openpyxl (a user's edit)."""
    book = load_workbook(target)
    edit(book)
    book.save(target)


@pytest.fixture
def written(tmp_path, capsys) -> Path:
    target = tmp_path / "s.xlsx"
    assert score(capsys, HUALAN, target)[0] == 0
    return target


# --- our own workbook, untouched: replaced ---------------------------------------------------------
def test_an_untouched_workbook_is_replaced(written, tmp_path, capsys):
    first = written.read_bytes()
    code, err = score(capsys, renamed_company(tmp_path), written)
    assert code == 0, err
    assert written.read_bytes() != first
    assert load_workbook(written)["汇总"]["B2"].value == "另一家电器有限公司"
    assert ownership(written) == OURS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.yaml", "s.xlsx"]


def test_the_same_input_writes_the_same_bytes(written, capsys):
    first = written.read_bytes()
    assert score(capsys, HUALAN, written)[0] == 0
    assert written.read_bytes() == first


@pytest.mark.parametrize("view", [
    pytest.param(lambda book: None, id="saved-unchanged"),
    pytest.param(lambda book: setattr(book, "active", 2), id="another-sheet-active"),
    pytest.param(lambda book: setattr(book["逐条评分"].sheet_view, "zoomScale", 150), id="zoom"),
    pytest.param(lambda book: setattr(book["逐条评分"].sheet_view.selection[0], "activeCell", "D7"), id="active-cell"),
    pytest.param(lambda book: setattr(book["整改计划"].sheet_view, "topLeftCell", "C3"), id="scrolled"),
    pytest.param(lambda book: setattr(book["整改计划"].column_dimensions["D"], "width", 60.7109375), id="width-rounded"),
    pytest.param(lambda book: setattr(book["整改计划"].column_dimensions["A"], "width", 5.140625), id="width-rounded-down"),
])
def test_a_save_without_edits_leaves_the_workbook_ours(written, tmp_path, capsys, view):
    """Opening and saving without changing the content (here with openpyxl) is no edit: the view
    (active sheet and cell, zoom, scroll position) is not content, and a width within a character
    of its own (Excel rounds widths to whole pixels) is the same width. The next run replaces the workbook."""
    edited(written, view)
    assert ownership(written) == OURS
    code, err = score(capsys, renamed_company(tmp_path), written)
    assert code == 0, err
    assert load_workbook(written)["汇总"]["B2"].value == "另一家电器有限公司"


@pytest.mark.parametrize("profile", sorted(PROFILES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_reads_back_as_ours(profile, tmp_path, capsys):
    target = tmp_path / "s.xlsx"
    assert score(capsys, profile, target)[0] == 0
    book = load_workbook(target)
    [seal] = [p for p in book.custom_doc_props if p.name == DIGEST_PROPERTY]
    assert re.fullmatch(r"v2:[0-9a-f]{64}:\[.*\]", seal.value)
    assert len(seal.value) <= 255, "Excel keeps a custom property's text to 255 characters"
    assert ownership(target) == OURS


def _calc() -> str:
    """soffice, when LibreOffice Calc (which reads and writes XLSX) is installed beside it."""
    soffice = shutil.which("soffice")
    if soffice is None or not list(Path(os.path.realpath(soffice)).parent.glob("*scfilt*")):
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui)")
    return soffice


def _libreoffice_save(written: Path, tmp_path: Path) -> Path:
    out = tmp_path / "lo"
    subprocess.run([_calc(), "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'user').as_uri()}",
                    "--convert-to", "xlsx:Calc Office Open XML", "--outdir", str(out), str(written)],
                   check=True, capture_output=True, timeout=180)
    return out / written.name


def test_a_libreoffice_save_without_edits_differs_only_in_frozen_panes_and_font_names(written, tmp_path, capsys):
    """A save by another program without edits. LibreOffice rewrites every part: number formats
    ("yyyy-mm-dd" comes back as "yyyy\\-mm\\-dd"), widths, print settings, colours, empty cells;
    all of that still reads as the tool's. But its conversion (soffice --convert-to, which has no
    view) drops the frozen header rows, and it names the font it shows Chinese text in ("Noto Sans
    CJK SC" for Calibri). A user may have done either on purpose, so the workbook counts as edited
    and is kept, with the edited workbook's message. With those two put back as they were, the
    LibreOffice save is the tool's again: nothing else it changed counts as an edit."""
    resaved = _libreoffice_save(written, tmp_path)
    assert resaved.read_bytes() != written.read_bytes()
    assert ownership(resaved) == EDITED
    data = resaved.read_bytes()
    code, err = score(capsys, YUNXUAN, resaved)
    assert code == 2 and "是本工具写出的工作簿，但写出后被修改过" in err and "没有写入" in err, err
    assert resaved.read_bytes() == data

    book = load_workbook(resaved)
    assert {cell.font.name for sheet in book for row in sheet.iter_rows() for cell in row} >= {"Noto Sans CJK SC"}
    assert [sheet.freeze_panes for sheet in book] == [None, None, None]
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.has_style:
                    cell.font = copy(cell.font) if cell.font.name is None else Font(
                        name="Calibri", sz=cell.font.sz, b=cell.font.b, i=cell.font.i, color=cell.font.color)
        for dimension in sheet.row_dimensions.values():
            dimension.height = None  # LibreOffice's automatic heights, which openpyxl would save as set by hand
    book["逐条评分"].freeze_panes = book["整改计划"].freeze_panes = "A3"
    book.save(resaved)
    assert ownership(resaved) == OURS
    code, err = score(capsys, YUNXUAN, resaved)
    assert code == 0, err


# --- our own workbook, edited: kept -----------------------------------------------------------------
def _value(book):
    book["整改计划"]["D3"].value += "（已与供应商确认）"


def _cleared(book):
    book["逐条评分"]["J4"].value = None


def _number(book):
    book["汇总"]["B3"].value = book["汇总"]["B3"].value + 1


def _date(book):
    cell = book["整改计划"]["G3"]
    cell.value = cell.value.replace(day=cell.value.day % 28 + 1)


def _new_cell(book):
    book["整改计划"]["K2"] = "张三负责"


def _formula(book):
    book["整改计划"]["K2"] = "=SUM(H2:H10)"


def _bold(book):
    book["整改计划"]["D3"].font = Font(bold=True)


def _fill(book):
    book["整改计划"]["D3"].fill = PatternFill("solid", fgColor="FFFF00")


def _comment(book):
    book["逐条评分"]["A3"].comment = Comment("已核对", "顾问")


def _sheet_renamed(book):
    book["整改计划"].title = "整改计划（第二版）"


def _new_sheet(book):
    book.create_sheet("备注")


def _row_hidden(book):
    book["逐条评分"].row_dimensions[3].hidden = True


# What a user may change beside values and emphasis (each missed by the digest of v1).
def _column_wider(book):
    book["整改计划"].column_dimensions["D"].width = 80


def _column_narrower(book):
    book["逐条评分"].column_dimensions["I"].width = 48.5


def _default_width(book):
    book["汇总"].sheet_format.defaultColWidth = 20


def _new_column_width(book):
    book["汇总"].column_dimensions["C"].width = 30


def _row_height(book):
    book["逐条评分"].row_dimensions[3].height = 40


def _column_hidden(book):
    book["逐条评分"].column_dimensions["K"].hidden = True


def _panes_moved(book):
    book["逐条评分"].freeze_panes = "C3"


def _panes_unfrozen(book):
    book["整改计划"].freeze_panes = None


def _panes_frozen(book):
    book["汇总"].freeze_panes = "B2"


def _formulas_shown(book):
    book["逐条评分"].sheet_view.showFormulas = True


def _rows_grouped(book):
    book["逐条评分"].row_dimensions[4].outlineLevel = 1


def _columns_grouped(book):
    book["整改计划"].column_dimensions["D"].outlineLevel = 1


def _autofilter(book):
    book["逐条评分"].auto_filter.ref = "A1:K22"


def _number_format(book):
    book["整改计划"]["G3"].number_format = "yyyy年m月d日"


def _decimals(book):
    book["汇总"]["B3"].number_format = "0.0"


def _conditional_format(book):
    book["逐条评分"].conditional_formatting.add(
        "G2:G22", CellIsRule(operator="greaterThan", formula=["0"], fill=PatternFill("solid", fgColor="FFC7CE")))


def _validation(book):
    rule = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    book["逐条评分"].add_data_validation(rule)
    rule.add("E2:E22")


def _sheet_protected(book):
    book["整改计划"].protection.sheet = True


def _sheet_password(book):
    book["整改计划"].protection.password = "1234"
    book["整改计划"].protection.sheet = True


def _workbook_protected(book):
    book.security = WorkbookProtection(lockStructure=True)


def _font_size(book):
    book["整改计划"]["D3"].font = Font(sz=14)


def _font_name(book):
    book["整改计划"]["D3"].font = Font(name="宋体")


def _font_colour(book):
    book["整改计划"]["D3"].font = Font(color="FF0000")


def _alignment(book):
    book["汇总"]["B2"].alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)


def _unwrapped(book):
    book["整改计划"]["D3"].alignment = Alignment(vertical="top")


def _border(book):
    book["整改计划"]["D3"].border = Border(bottom=Side(style="thin"))


def _hyperlink(book):
    book["整改计划"]["D3"].hyperlink = "https://example.com/计划"


def _cell_unlocked(book):
    book["整改计划"]["F3"].protection = Protection(locked=False)


def _merged(book):
    book["汇总"].merge_cells("B9:B10")


def _title(book):
    book.properties.title = "2026 年自评"


def _subject(book):
    book.properties.subject = "售后服务认证"


def _keywords(book):
    book.properties.keywords = "自评"


def _custom_property(book):
    book.custom_doc_props.append(StringProperty(name="审核人", value="张三"))


def _image(book):
    from PIL import Image as Picture

    png = io.BytesIO()
    Picture.new("RGB", (4, 4), "red").save(png, "PNG")
    book["汇总"].add_image(Image(png), "D2")


def _chart(book):
    sheet = book["整改计划"]
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=8, min_row=2, max_row=7), titles_from_data=True)
    sheet.add_chart(chart, "K2")


def _table(book):
    book["整改计划"].add_table(Table(displayName="Plan", ref="A2:I7"))


def _landscape(book):
    book["整改计划"].page_setup.orientation = "landscape"


def _paper(book):
    book["整改计划"].page_setup.paperSize = 8  # A3


def _fit_to_page(book):
    book["逐条评分"].sheet_properties.pageSetUpPr.fitToPage = True


def _margins(book):
    book["整改计划"].page_margins.left = 0.3


def _header(book):
    book["整改计划"].oddHeader.center.text = "内部资料"


def _print_area(book):
    book["整改计划"].print_area = "A1:E6"


def _print_titles(book):
    book["逐条评分"].print_title_rows = "1:1"


def _page_break(book):
    book["逐条评分"].row_breaks.append(Break(id=10))


def _print_gridlines(book):
    book["逐条评分"].print_options.gridLines = True


def _tab_colour(book):
    book["整改计划"].sheet_properties.tabColor = "FF0000"


def _no_gridlines(book):
    book["整改计划"].sheet_view.showGridLines = False


def _sheet_hidden(book):
    book["逐条评分"].sheet_state = "hidden"


def _defined_name(book):
    from openpyxl.workbook.defined_name import DefinedName

    book.defined_names["合计"] = DefinedName("合计", attr_text="'整改计划'!$H$2:$H$6")


BOOK_EDITS = [_formulas_shown, _rows_grouped, _columns_grouped, _value, _cleared, _number, _date, _new_cell, _formula, _bold, _fill, _comment, _sheet_renamed, _new_sheet,
              _row_hidden, _column_wider, _column_narrower, _default_width, _new_column_width, _row_height,
              _column_hidden, _panes_moved, _panes_unfrozen, _panes_frozen, _autofilter, _number_format, _decimals,
              _conditional_format, _validation, _sheet_protected, _sheet_password, _workbook_protected, _font_size,
              _font_name, _font_colour, _alignment, _unwrapped, _border, _hyperlink, _cell_unlocked, _merged, _title,
              _subject, _keywords, _custom_property, _image, _chart, _table, _landscape, _paper, _fit_to_page,
              _margins, _header, _print_area, _print_titles, _page_break, _print_gridlines, _tab_colour,
              _no_gridlines, _sheet_hidden, _defined_name]


# Edits of the package itself, as another program (or a user's script) may make them.
def _styles_font_size(parts):
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(b'<sz val="11"/>', b'<sz val="12"/>', 1)


def _styles_bold_font_size(parts):
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(b'<b val="1"/>', b'<b val="1"/><sz val="14"/>', 1)


def _core_title(parts):
    parts["docProps/core.xml"] = parts["docProps/core.xml"].replace(
        b"</cp:coreProperties>",
        b'<dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">\xe8\x87\xaa\xe8\xaf\x84</dc:title></cp:coreProperties>')


def _app_company(parts):
    parts["docProps/app.xml"] = re.sub(rb"</Properties>\s*$", b"<Company>ACME</Company></Properties>",
                                       parts["docProps/app.xml"])


def _extra_member(parts):
    parts["notes.txt"] = "我的备注".encode()


def _printer_settings(parts):
    parts["xl/printerSettings/printerSettings1.bin"] = b"\0" * 64


PACKAGE_EDITS = [_styles_font_size, _styles_bold_font_size, _core_title, _app_company, _extra_member, _printer_settings]


def repacked(target: Path, edit) -> None:
    """`edit(parts)` applied to the parts of the package at `target`, written back as a zip."""
    with zipfile.ZipFile(target) as package:
        parts = {info.filename: package.read(info) for info in package.infolist()}
    edit(parts)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


@pytest.mark.parametrize("edit", BOOK_EDITS + PACKAGE_EDITS, ids=lambda f: f.__name__.strip("_"))
def test_an_edited_workbook_is_kept(written, tmp_path, capsys, edit):
    if edit in PACKAGE_EDITS:
        repacked(written, edit)
    else:
        edited(written, edit)
    assert ownership(written) == EDITED
    other = renamed_company(tmp_path)
    before = photograph(tmp_path)
    code, err = score(capsys, other, written)
    assert code == 2
    assert "Traceback" not in err
    assert str(written) in err and "被修改过" in err and "没有写入" in err, err
    assert "s (2).xlsx" in err and "s (已修改 " in err, "the message names another file name to use"
    assert photograph(tmp_path) == before, "the user's workbook is unchanged byte for byte, nothing else written"


def test_the_suggested_name_is_free(written, tmp_path, capsys):
    edited(written, _value)
    (tmp_path / "s (2).xlsx").write_bytes(b"")
    code, err = score(capsys, HUALAN, written)
    assert code == 2 and "s (3).xlsx" in err, err
    code, err = score(capsys, HUALAN, tmp_path / "s (3).xlsx")
    assert code == 0, err


def test_a_workbook_of_an_earlier_version_is_kept(written, capsys):
    """A workbook the tool wrote before it sealed them (creator "aftersales", no digest): whether it
    was edited cannot be told, so it is kept."""
    book = load_workbook(written)
    book.custom_doc_props = type(book.custom_doc_props)()
    book.save(written)
    assert ownership(written) == UNCONFIRMED
    data = written.read_bytes()
    code, err = score(capsys, HUALAN, written)
    assert code == 2 and "无法确认" in err and "没有写入" in err, err
    assert written.read_bytes() == data


@pytest.mark.parametrize("seal", ["v1:" + "0" * 64, "v3:" + "0" * 64 + ":[]", "v2:" + "0" * 64, "0" * 64, "",
                                  "v2:" + "0" * 64 + ":[[8.71,15,[16,60],{}]"])
def test_a_seal_of_another_kind_is_not_trusted(written, seal):
    book = load_workbook(written)
    [prop] = [p for p in book.custom_doc_props if p.name == DIGEST_PROPERTY]
    prop.value = seal
    book.save(written)
    assert ownership(written) == UNCONFIRMED


def test_a_copied_seal_does_not_make_a_workbook_ours(written, tmp_path):
    """The seal of one workbook on another one's content (the creator set to ours as well)."""
    book = load_workbook(written)
    [seal] = [p.value for p in book.custom_doc_props if p.name == DIGEST_PROPERTY]
    other = Workbook()
    other.active["A1"] = "我的表格"
    other.properties.creator = "aftersales"
    other.custom_doc_props.append(StringProperty(name=DIGEST_PROPERTY, value=seal))
    other.save(tmp_path / "other.xlsx")
    assert ownership(tmp_path / "other.xlsx") == EDITED


# --- a file the tool did not write: refused as before ----------------------------------------------
@pytest.mark.parametrize("content", [
    pytest.param("workbook", id="an-openpyxl-workbook"),
    pytest.param("text", id="not-a-workbook"),
    pytest.param("empty", id="empty"),
])
def test_a_file_the_tool_did_not_write_is_kept(tmp_path, capsys, content):
    target = tmp_path / "s.xlsx"
    if content == "workbook":
        book = Workbook()
        book.active["A1"] = "我的表格"
        book.save(target)
    else:
        target.write_bytes(b"" if content == "empty" else "我的笔记\n".encode())
    assert ownership(target) == FOREIGN
    before = photograph(tmp_path)
    code, err = score(capsys, HUALAN, target)
    assert code == 2 and "不是本工具生成的" in err and "没有写入" in err and str(target) in err, err
    assert photograph(tmp_path) == before


def test_a_symlink_to_nowhere_is_kept(tmp_path, capsys):
    target = tmp_path / "s.xlsx"
    target.symlink_to(tmp_path / "missing.xlsx")
    code, err = score(capsys, HUALAN, target)
    assert code == 2 and "符号链接" in err, err
    assert target.is_symlink() and not target.exists() and sorted(os.listdir(tmp_path)) == ["s.xlsx"]


@pytest.mark.parametrize("where", ["same-folder", "absolute", "another-folder"])
def test_a_symlink_to_our_own_workbook_is_kept(written, tmp_path, capsys, where):
    """A symbolic link is the user's, wherever it points (as `build` treats one): replacing it would
    make it a file; writing through it would change a file the user named by another name."""
    if where == "another-folder":
        (tmp_path / "real").mkdir()
        written = written.rename(tmp_path / "real" / "s.xlsx")
    link = tmp_path / "l2.xlsx"
    link.symlink_to(written.name if where == "same-folder" else written)
    assert ownership(written) == OURS and ownership(link) == FOREIGN
    other = renamed_company(tmp_path)
    before = photograph(written.parent)
    code, err = score(capsys, other, link)
    assert code == 2 and "Traceback" not in err
    assert "符号链接" in err and "没有写入" in err and "l2.xlsx" in err, err
    assert link.is_symlink() and photograph(written.parent) == before
    assert os.readlink(link) == (written.name if where == "same-folder" else str(written))


@pytest.mark.parametrize("name", ["dir.xlsx/", "new/", "a.xlsx/.", "a.xlsx/.."])
def test_a_name_ending_in_a_slash_is_a_folder(tmp_path, capsys, name):
    """`--xlsx dir.xlsx/` names a folder: refused, not written as the file dir.xlsx."""
    code, err = score(capsys, HUALAN, f"{tmp_path}/{name}")
    assert code == 2 and "Traceback" not in err
    assert "文件夹" in err and name in err, err
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["", " "])
def test_an_empty_name_is_refused(tmp_path, capsys, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    code, err = score(capsys, HUALAN, name)
    assert code == 2 and "缺少文件名" in err and "Traceback" not in err, err
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["  .xlsx", " .XLSX"])
def test_a_name_of_spaces_is_refused(tmp_path, capsys, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    code, err = score(capsys, HUALAN, name)
    assert code == 2 and "文件名只有空格" in err and "评分.xlsx" in err and "Traceback" not in err, err
    assert os.listdir(tmp_path) == []


def test_an_existing_folder_is_refused(tmp_path, capsys):
    (tmp_path / "dir.xlsx").mkdir()
    code, err = score(capsys, HUALAN, tmp_path / "dir.xlsx")
    assert code == 2 and "文件夹" in err and "dir.xlsx/评分.xlsx" in err, err
    assert os.listdir(tmp_path / "dir.xlsx") == []


# --- a target that is not a .xlsx name: refused ----------------------------------------------------
@pytest.mark.parametrize("name,suggested", [("s.csv", "s.xlsx"), ("s.xls", "s.xlsx"), ("s", "s.xlsx"),
                                            ("评分.xlsx.txt", "评分.xlsx"), (".xlsx", "评分.xlsx"), (".XLSX", "评分.xlsx"),
                                            (".hidden", ".hidden.xlsx")])
def test_a_target_that_is_not_xlsx_is_refused(tmp_path, capsys, name, suggested):
    code, err = score(capsys, HUALAN, tmp_path / name)
    assert code == 2 and "Traceback" not in err
    assert ".xlsx" in err and name in err and f"{os.sep}{suggested}”" in err, err
    assert os.listdir(tmp_path) == []


def test_an_existing_csv_is_untouched(tmp_path, capsys):
    target = tmp_path / "s.csv"
    target.write_text("条款,得分\n", encoding="utf-8")
    before = photograph(tmp_path)
    assert score(capsys, HUALAN, target)[0] == 2
    assert photograph(tmp_path) == before


def test_the_xlsx_suffix_in_any_case(tmp_path, capsys):
    target = tmp_path / "S.XLSX"
    code, err = score(capsys, HUALAN, target)
    assert code == 0, err
    assert ownership(target) == OURS and load_workbook(target).sheetnames == ["汇总", "逐条评分", "整改计划"]
    assert score(capsys, YUNXUAN, target)[0] == 0


@pytest.mark.parametrize("name, suggested", [("评分.csv", "评分.xlsx"), (".xlsx", "评分.xlsx"), ("x.xlsx.txt", "x.xlsx")])
def test_the_library_call_checks_the_name_as_the_command_does(tmp_path, name, suggested):
    """scorecard.write_xlsx, called from Python, refuses what `score --xlsx` refuses, with the same advice."""
    from generator.errors import AftersalesError
    from generator.output.scorecard import scorecard, write_xlsx

    with pytest.raises(AftersalesError) as refused:
        write_xlsx(scorecard(HUALAN), tmp_path / name)
    assert f"“{tmp_path / suggested}”" in refused.value.problems[0].message
    assert list(tmp_path.iterdir()) == []
