"""`aftersales score PROFILE --xlsx FILE` replaces only its own workbook, untouched since it wrote it.

The creator property survives a user's save in Excel, WPS, LibreOffice and openpyxl, so the tool
seals its workbook with a digest of its content (a custom document property, workbook.content_digest)
and compares it with the digest of the file it finds: the same, the workbook is replaced; an edit of
a value (or of emphasis, fill, comments, links, merged cells, hidden rows, sheets) keeps it, exit 2
with the file untouched byte for byte. A save without edits (openpyxl, LibreOffice) changes no
value, so the workbook is still the tool's. A file the tool did not write is refused as before, and
a target that is not a .xlsx name is refused before anything is written.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Font, PatternFill

from conftest import HUALAN, PROFILES, YUNXUAN
from generator.cli import main
from generator.workbook import DIGEST_PROPERTY, EDITED, FOREIGN, OURS, UNCONFIRMED, ownership


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
    assert load_workbook(written)["汇总"]["B1"].value == "另一家电器有限公司"
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
    pytest.param(lambda book: setattr(book["逐条评分"], "freeze_panes", "C2"), id="frozen-panes"),
    pytest.param(lambda book: setattr(book["整改计划"].column_dimensions["D"], "width", 80), id="column-width"),
])
def test_a_save_without_edits_leaves_the_workbook_ours(written, tmp_path, capsys, view):
    """Opening and saving without changing the content (here with openpyxl) is no edit: the view
    (active sheet, zoom, frozen panes) and column widths, which Excel may rewrite on any save, are
    not content. The next run replaces the workbook."""
    edited(written, view)
    assert ownership(written) == OURS
    code, err = score(capsys, renamed_company(tmp_path), written)
    assert code == 0, err
    assert load_workbook(written)["汇总"]["B1"].value == "另一家电器有限公司"


@pytest.mark.parametrize("profile", sorted(PROFILES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_reads_back_as_ours(profile, tmp_path, capsys):
    target = tmp_path / "s.xlsx"
    assert score(capsys, profile, target)[0] == 0
    book = load_workbook(target)
    [seal] = [p for p in book.custom_doc_props if p.name == DIGEST_PROPERTY]
    assert seal.value.startswith("v1:") and len(seal.value) == 3 + 64
    assert ownership(target) == OURS


def _calc() -> str:
    """soffice, when LibreOffice Calc (which reads and writes XLSX) is installed beside it."""
    soffice = shutil.which("soffice")
    if soffice is None or not list(Path(os.path.realpath(soffice)).parent.glob("*scfilt*")):
        pytest.skip("LibreOffice Calc is not installed (libreoffice-calc-nogui)")
    return soffice


def test_a_libreoffice_save_without_edits_leaves_the_workbook_ours(written, tmp_path, capsys):
    """A save by another program: LibreOffice rewrites every part (and number formats: "yyyy-mm-dd"
    comes back as "yyyy\\-mm\\-dd"), but keeps the values, the creator and the seal."""
    soffice = _calc()
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'user').as_uri()}",
                    "--convert-to", "xlsx:Calc Office Open XML", "--outdir", str(out), str(written)],
                   check=True, capture_output=True, timeout=180)
    resaved = out / written.name
    assert resaved.read_bytes() != written.read_bytes()
    assert ownership(resaved) == OURS
    code, err = score(capsys, YUNXUAN, resaved)
    assert code == 0, err


# --- our own workbook, edited: kept -----------------------------------------------------------------
def _value(book):
    book["整改计划"]["D2"].value += "（已与供应商确认）"


def _cleared(book):
    book["逐条评分"]["J3"].value = None


def _number(book):
    book["汇总"]["B2"].value = book["汇总"]["B2"].value + 1


def _date(book):
    cell = book["整改计划"]["G2"]
    cell.value = cell.value.replace(day=cell.value.day % 28 + 1)


def _new_cell(book):
    book["整改计划"]["K2"] = "张三负责"


def _formula(book):
    book["整改计划"]["K2"] = "=SUM(H2:H10)"


def _bold(book):
    book["整改计划"]["D2"].font = Font(bold=True)


def _fill(book):
    book["整改计划"]["D2"].fill = PatternFill("solid", fgColor="FFFF00")


def _comment(book):
    book["逐条评分"]["A2"].comment = Comment("已核对", "顾问")


def _sheet_renamed(book):
    book["整改计划"].title = "整改计划（第二版）"


def _new_sheet(book):
    book.create_sheet("备注")


def _row_hidden(book):
    book["逐条评分"].row_dimensions[3].hidden = True


EDITS = [_value, _cleared, _number, _date, _new_cell, _formula, _bold, _fill, _comment, _sheet_renamed, _new_sheet,
         _row_hidden]


@pytest.mark.parametrize("edit", EDITS, ids=lambda f: f.__name__.strip("_"))
def test_an_edited_workbook_is_kept(written, tmp_path, capsys, edit):
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


@pytest.mark.parametrize("seal", ["v2:" + "0" * 64, "0" * 64, ""])
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


# --- a target that is not a .xlsx name: refused ----------------------------------------------------
@pytest.mark.parametrize("name,suggested", [("s.csv", "s.xlsx"), ("s.xls", "s.xlsx"), ("s", "s.xlsx"),
                                            ("评分.xlsx.txt", "评分.xlsx.xlsx")])
def test_a_target_that_is_not_xlsx_is_refused(tmp_path, capsys, name, suggested):
    code, err = score(capsys, HUALAN, tmp_path / name)
    assert code == 2 and "Traceback" not in err
    assert ".xlsx" in err and name in err and suggested in err, err
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
