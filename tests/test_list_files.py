"""Long lists from the company's own files (issue #16): `outlets_file: 网点清单.csv` (or .xlsx, with a
header mapping) reads the same profile as the outlets written out, and every value read from the file
is located there: `网点清单.csv:14:3`, `网点清单.xlsx!网点!C14`."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from openpyxl import Workbook

from conftest import HUALAN, ROOT
from generator.cli import main
from generator.errors import ProfileError
from generator.inputs.yamlload import load_yaml_file
from generator.intake import tablefile
from generator.intake.source import input_files, read_profile

KEYS = ("name", "province", "city", "address", "mode", "staff", "phone")
LABELS = ("网点名称", "省份", "城市", "详细地址", "运营方式", "服务人员数", "网点电话")
OUTLETS = load_yaml_file(HUALAN).data["resources"]["outlets"]


def profile_with(folder, spec: str, keep_outlets: bool = False):
    """hualan's profile in `folder`, its outlets replaced by `spec` (YAML lines under resources:)."""
    lines = HUALAN.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("  outlets:\n")
    end = start + 1
    while lines[end].startswith("    - {name"):
        end += 1
    lines[start:start if keep_outlets else end] = [spec.rstrip("\n") + "\n"]
    target = folder / "hualan.yaml"
    target.write_text("".join(lines), encoding="utf-8")
    return target


def outlet_rows(count: int = len(OUTLETS)) -> list[list[str]]:
    """`count` outlets as rows of the header's fields: hualan's six, then more of the same with new names."""
    rows = []
    for i in range(count):
        outlet = dict(OUTLETS[i % len(OUTLETS)])
        if i >= len(OUTLETS):
            outlet["name"] = f"{outlet['name']}{i + 1}号"
        rows.append([str(outlet.get(k, "")) for k in KEYS])
    return rows


def write_csv(path, rows, header=LABELS, encoding="utf-8", delimiter=",", above=()):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    for line in above:
        writer.writerow(line)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# The company's own workbook: a notes sheet first, a title row, its own headers in its own order,
# columns of its own (序号, 负责人) and numbers as numbers.
THEIR_HEADERS = ("序号", "门店名称", "服务人员", "所在省", "所在市", "地址", "类型", "联系电话", "负责人")
MAPPING = "{name: 门店名称, staff: 服务人员, province: 所在省, city: 所在市, address: 地址, mode: 类型, phone: 联系电话}"


def write_xlsx(path, rows, sheet="网点"):
    book = Workbook()
    book.active.title = "说明"
    book.active["A1"] = "本表由服务管理部维护"
    ws = book.create_sheet(sheet)
    ws["A1"] = "华澜电器服务网点清单（2026 年 3 月）"
    ws.append([])
    ws.append(THEIR_HEADERS)
    for number, row in enumerate(rows, 1):
        fields = dict(zip(KEYS, row))
        staff = int(fields["staff"]) if fields["staff"].isdigit() else fields["staff"]
        ws.append([number, fields["name"], staff, fields["province"], fields["city"], fields["address"],
                   fields["mode"], fields["phone"] or None, "张三"])
    book.save(path)
    return path


def problems_of(profile) -> list[str]:
    with pytest.raises(ProfileError) as caught:
        read_profile(profile)
    return [p.render() for p in caught.value.problems]


def check_output(profile, capsys) -> tuple[int, str]:
    code = main(["check", str(profile)])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).replace(str(profile), "PROFILE")


# --- the same profile, however the list is kept ----------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_outlets_from_a_csv_read_the_same_profile(tmp_path, encoding, capsys):
    write_csv(tmp_path / "网点清单.csv", outlet_rows(), encoding=encoding, delimiter="\t" if encoding == "utf-16" else ",")
    profile = profile_with(tmp_path, "  outlets_file: 网点清单.csv")
    expected, _ = read_profile(HUALAN)
    got, loaded = read_profile(profile)
    assert got.model_dump() == expected.model_dump()
    assert loaded.sources == [tmp_path / "网点清单.csv"]
    assert loaded.at(("resources", "outlets", 2, "staff")) == {"file": str(tmp_path / "网点清单.csv"), "line": 4, "column": 6}
    assert check_output(profile, capsys) == check_output(HUALAN, capsys)


def test_outlets_from_the_companys_workbook_with_its_own_headers(tmp_path, capsys):
    write_xlsx(tmp_path / "网点清单.xlsx", outlet_rows())
    profile = profile_with(tmp_path, f"  outlets_file:\n    path: 网点清单.xlsx\n    sheet: 网点\n    columns: {MAPPING}")
    expected, _ = read_profile(HUALAN)
    got, loaded = read_profile(profile)
    assert got.model_dump() == expected.model_dump()
    assert loaded.at(("resources", "outlets", 0, "staff")) == {"file": str(tmp_path / "网点清单.xlsx"), "cell": "网点!C4"}
    assert loaded.at(("resources", "outlets", 5)) == {"file": str(tmp_path / "网点清单.xlsx"), "cell": "网点!A9"}
    assert check_output(profile, capsys) == check_output(HUALAN, capsys)
    score = []
    for path in (HUALAN, profile):
        assert main(["score", "--json", str(path)]) == 0
        score.append(json.loads(capsys.readouterr().out))
    assert score[0] == score[1]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_csv_separated_by_semicolons_or_tabs_under_a_title_row(tmp_path, delimiter):
    """A title row and a blank row above the header, as exported reports have, and the fields found by
    their keys (name, province …) where the headers are the schema's own."""
    write_csv(tmp_path / "outlets.csv", outlet_rows(), header=KEYS, delimiter=delimiter,
              above=[["华澜电器 服务网点"], []])
    got, loaded = read_profile(profile_with(tmp_path, "  outlets_file: outlets.csv"))
    assert [o.name for o in got.resources.outlets] == [o["name"] for o in OUTLETS]
    assert loaded.at(("resources", "outlets", 0, "city")) == {"file": str(tmp_path / "outlets.csv"), "line": 4, "column": 3}


def test_other_lists_and_a_keyed_table_come_from_files_too(tmp_path):
    data = load_yaml_file(HUALAN).data
    charges = data["resources"]["charges"]
    write_csv(tmp_path / "收费.csv", [[c["item"], c.get("unit", ""), c["price"], c.get("note", "")] for c in charges],
              header=("项目", "单位", "价格", "说明"))
    assessed = data["readiness"]["self_assessment"]
    write_csv(tmp_path / "自评.csv", [[k, v["status"], v.get("evidence", "")] for k, v in assessed.items()],
              header=("条款", "自评结果", "证据"))
    text = HUALAN.read_text(encoding="utf-8")
    start = text.index("  charges:\n")
    end = text.index("\n\n", start)
    text = text[:start] + "  charges_file: {path: 收费.csv, columns: {item: 项目, unit: 单位}}" + text[end:]
    start = text.index("  self_assessment:\n")
    end = start + len("  self_assessment:\n")
    while text[end:].startswith("    "):
        end = text.index("\n", end) + 1
    text = text[:start] + "  self_assessment_file: 自评.csv\n" + text[end:]
    (tmp_path / "hualan.yaml").write_text(text, encoding="utf-8")
    expected, _ = read_profile(HUALAN)
    got, loaded = read_profile(tmp_path / "hualan.yaml")
    assert got.model_dump() == expected.model_dump()
    assert len(loaded.sources) == 2
    first = next(iter(assessed))
    assert loaded.at(("readiness", "self_assessment", first), key=True)["column"] == 1
    assert loaded.at(("readiness", "self_assessment", first, "status"))["column"] == 2


# --- located in the list's file ----------------------------------------------------------------
def test_a_wrong_value_in_row_14_of_the_csv_is_located_there(tmp_path):
    rows = outlet_rows(15)
    rows[12][2] = ""  # row 14 (the header is row 1): no city
    rows[13][4] = "直营"  # row 15: not a choice
    rows[14][5] = "三十"  # row 16: not a number
    write_csv(tmp_path / "网点清单.csv", rows)
    found = problems_of(profile_with(tmp_path, "  outlets_file: 网点清单.csv"))
    where = str(tmp_path / "网点清单.csv")
    assert f"{where}:15:5 [resources.outlets[13].mode]: 应为以下之一：自营、委托（实际为 '直营'）" in found
    assert any(p.startswith(f"{where}:14:3 [resources.outlets[12].city]: ") for p in found), found
    assert any(p.startswith(f"{where}:16:6 [resources.outlets[14].staff]: 应为整数") for p in found), found
    assert len(found) == 3


def test_without_a_sheet_named_the_first_with_the_lists_header_is_read(tmp_path):
    write_xlsx(tmp_path / "网点清单.xlsx", outlet_rows())
    got, loaded = read_profile(profile_with(tmp_path, f"  outlets_file: {{path: 网点清单.xlsx, columns: {MAPPING}}}"))
    assert len(got.resources.outlets) == 6
    assert loaded.at(("resources", "outlets", 0, "name"))["cell"] == "网点!B4"


def test_a_wrong_value_in_the_workbook_is_located_by_sheet_and_cell(tmp_path):
    rows = outlet_rows(12)
    rows[10][5] = "三十"  # the 11th outlet: row 14 under the title, the blank row and the header
    write_xlsx(tmp_path / "网点清单.xlsx", rows)
    found = problems_of(profile_with(tmp_path, f"  outlets_file: {{path: 网点清单.xlsx, sheet: 网点, columns: {MAPPING}}}"))
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / '网点清单.xlsx'}!网点!C14 [resources.outlets[10].staff]: 应为整数"), found


def test_a_finding_on_the_list_is_located_in_its_file(tmp_path, capsys):
    rows = outlet_rows()
    rows[1][1] = "西藏自治区"
    write_csv(tmp_path / "网点清单.csv", rows)
    code, out = check_output(profile_with(tmp_path, "  outlets_file: 网点清单.csv"), capsys)
    assert code == 0
    assert f"{tmp_path / '网点清单.csv'}:3:2 [resources.outlets[1].province]: 服务网点“华澜电器广州服务中心”位于西藏自治区，不在销售区域内" in out


def test_invisible_characters_are_refused_as_in_yaml_and_line_breaks_made_one(tmp_path):
    """Found by trying: a control character from a CSV reached the documents' rendering (a traceback)."""
    rows = outlet_rows()
    rows[1][3] = "白云区\x01广园中路"
    rows[2][3] = "青秀区\u202e民族大道"
    rows[3][3] = "雨花区\r\n韶山中路"
    write_csv(tmp_path / "网点清单.csv", rows)
    profile = profile_with(tmp_path, "  outlets_file: 网点清单.csv")
    where = tmp_path / "网点清单.csv"
    assert problems_of(profile) == [
        f"{where}:3:4 [resources.outlets[1].address]: 文字中含有不可见的控制字符 U+0001（第 4 个字符）"
        "（通常来自从其他软件复制的文字，请删除后重新输入）",  # word for word as a YAML profile's
        f"{where}:4:4 [resources.outlets[2].address]: 文字中含有不可见的双向文字控制字符 U+202E（第 4 个字符），"
        "它会让文字显示的顺序与实际不同（通常来自从网页或其他软件复制的文字，请删除后重新输入）"]
    rows[1][3] = rows[2][3] = "x"
    write_csv(tmp_path / "网点清单.csv", rows)
    assert read_profile(profile)[0].resources.outlets[3].address == "雨花区\n韶山中路"


def test_many_rows_with_the_same_problem_are_told_once(tmp_path):
    rows = outlet_rows(40)
    for row in rows[10:]:
        row[4] = "加盟"
    write_csv(tmp_path / "网点清单.csv", rows)
    found = problems_of(profile_with(tmp_path, "  outlets_file: 网点清单.csv"))
    assert len(found) == 1
    assert "30 项应为以下之一：自营、委托" in found[0] and "如第 12 行" in found[0], found


# --- what cannot be read, told at the profile's key or the file's header ---------------------
def test_a_missing_file_is_told_at_the_key(tmp_path):
    profile = profile_with(tmp_path, "  outlets_file: 网点.csv")
    found = problems_of(profile)
    assert found == [f"{profile}:100:17 [resources.outlets_file]: 找不到文件 {tmp_path / '网点.csv'}"
                     "（路径相对于企业档案所在的文件夹，也可写绝对路径）"]


def test_both_the_list_and_its_file(tmp_path):
    write_csv(tmp_path / "网点清单.csv", outlet_rows())
    profile = profile_with(tmp_path, "  outlets_file: 网点清单.csv", keep_outlets=True)
    found = problems_of(profile)
    assert found == [f"{profile}:100:3 [resources.outlets_file]: 同时给出了 outlets 和 outlets_file"
                     "（二者只能留一个：删去 outlets_file，或删去 outlets 下的各项）"]


def test_a_mapped_header_not_in_the_file_names_the_headers_there(tmp_path):
    write_csv(tmp_path / "网点清单.csv", outlet_rows())
    profile = profile_with(tmp_path, "  outlets_file:\n    path: 网点清单.csv\n    columns: {name: 门店名称}")
    found = problems_of(profile)
    assert found == [f"{profile}:102:21 [resources.outlets_file.columns.name]: {tmp_path / '网点清单.csv'} 中找不到“门店名称”列"
                     f"（表头有：{'、'.join(LABELS)}（第 1 行））"]


def test_an_unknown_field_in_the_mapping(tmp_path):
    write_csv(tmp_path / "网点清单.csv", outlet_rows())
    profile = profile_with(tmp_path, "  outlets_file:\n    path: 网点清单.csv\n    columns: {staf: 人数}")
    assert problems_of(profile) == [f"{profile}:102:15 [resources.outlets_file.columns.staf]: "
                                    "resources.outlets 没有字段 “staf”（是不是 “staff”？）"]


def test_every_mistake_in_the_key_at_once(tmp_path):
    profile = profile_with(tmp_path, "  outlets_file:\n    pth: 网点清单.csv\n    columns: {门店名称: name, staf: 人数}")
    assert problems_of(profile) == [
        f"{profile}:101:5 [resources.outlets_file.pth]: 未知的键 “pth”（是不是 “path”？）",
        f"{profile}:100:3 [resources.outlets_file]: 缺少文件路径（path）"
        "（outlets_file: 文件名.xlsx，或 outlets_file: {path: 文件名.csv, columns: {name: 表头}}）",
        f"{profile}:102:15 [resources.outlets_file.columns.门店名称]: resources.outlets 没有字段 “门店名称”"
        "（应写成“字段: 表头”，如 name: 门店名称）",
        f"{profile}:102:27 [resources.outlets_file.columns.staf]: resources.outlets 没有字段 “staf”（是不是 “staff”？）"]


def test_a_required_column_missing_and_no_header_at_all(tmp_path):
    write_csv(tmp_path / "a.csv", [row[:2] + row[3:] for row in outlet_rows()], header=LABELS[:2] + LABELS[3:])
    found = problems_of(profile_with(tmp_path, "  outlets_file: a.csv"))
    assert len(found) == 1
    assert found[0].startswith(f"{tmp_path / 'a.csv'}:1 [resources.outlets_file]: {tmp_path / 'a.csv'} 中没有“城市”列（city，必填）")
    assert "columns: {city: 表头}" in found[0]
    write_csv(tmp_path / "a.csv", outlet_rows(), header=("门店", "省", "市", "址", "类", "人", "电话"))
    found = problems_of(profile_with(tmp_path, "  outlets_file: a.csv"))
    assert len(found) == 1 and "前 20 行中找不到表头：应有网点名称（name）、省份（province）" in found[0]
    assert "第 1 行为：门店、省、市、址、类、人、电话" in found[0]


@pytest.mark.parametrize("content, told", [
    (b"", "是空文件"),
    (b"\xef\xbb\xbf  \r\n", "中没有文字（只有空行）"),  # a byte order mark and a blank line
    ("网点名称,省份,城市,详细地址,运营方式,服务人员数\n".encode("gbk"), "中只有表头，没有数据行"),
    (b"name,province\n\xff\xfe\xfd,x\n", "既不是 UTF-8 也不是 GBK 编码（第 2 行无法解码）"),
    (b"\xd0\xcf\x11\xe0" + bytes(100), "是旧版 Excel（.xls）或其他格式的表格"),
    (b"PK\x03\x04" + bytes(100), "不是有效的 Excel 工作簿"),
    (b'name,"province\n\x00', "第 2 行有空字符（NUL），不像文本文件"),
    ("网点名称\n".encode("utf-32"), "是 UTF-32 编码的文本"),
])
def test_unreadable_files(tmp_path, content, told):
    (tmp_path / "网点清单.csv").write_bytes(content)
    found = problems_of(profile_with(tmp_path, "  outlets_file: 网点清单.csv"))
    assert len(found) == 1 and told in found[0], found
    assert "[resources.outlets_file]" in found[0]


def test_a_sheet_that_is_not_there_and_a_file_that_is_not_a_table(tmp_path):
    write_xlsx(tmp_path / "网点清单.xlsx", outlet_rows())
    profile = profile_with(tmp_path, "  outlets_file: {path: 网点清单.xlsx, sheet: 门店}")
    assert problems_of(profile) == [f"{profile}:100:42 [resources.outlets_file.sheet]: {tmp_path / '网点清单.xlsx'} "
                                    "中没有工作表“门店”（工作表有：说明、网点）"]
    (tmp_path / "网点.docx").write_bytes(b"x")
    found = problems_of(profile_with(tmp_path, "  outlets_file: 网点.docx"))
    assert len(found) == 1 and "不是 CSV 文件或 Excel 工作簿" in found[0]


def test_too_many_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(tablefile, "MAX_ROWS", 5)
    write_csv(tmp_path / "网点清单.csv", outlet_rows(6))
    found = problems_of(profile_with(tmp_path, "  outlets_file: 网点清单.csv"))
    assert len(found) == 1 and "超过 5 行" in found[0], found


def test_the_command_exits_2_without_a_traceback(tmp_path):
    (tmp_path / "网点清单.csv").write_bytes("网点名称,省份\n".encode("gbk"))
    profile_with(tmp_path, "  outlets_file: 网点清单.csv")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "check", "hualan.yaml"], capture_output=True,
                            text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "网点清单.csv:1 [resources.outlets_file]: 网点清单.csv 中没有“城市”列（city，必填）" in result.stderr


# --- what a build reads ------------------------------------------------------------------------
def test_the_inputs_of_a_build_include_the_list_files(tmp_path):
    write_csv(tmp_path / "网点清单.csv", outlet_rows())
    profile = profile_with(tmp_path, "  outlets_file: 网点清单.csv\n  charges_file: {path: ../收费.xlsx}")
    assert input_files(profile) == [profile, tmp_path / "网点清单.csv", tmp_path / "../收费.xlsx"]
    assert input_files(HUALAN) == [HUALAN]


def test_the_builds_input_hash_changes_with_the_list_file(tmp_path):
    """A build is skipped only while nothing it read changed: the list file is one of its inputs."""
    from generator.batch import input_hash

    write_csv(tmp_path / "网点清单.csv", outlet_rows())
    profile = profile_with(tmp_path, "  outlets_file: 网点清单.csv")
    before = input_hash(profile, None, False)
    assert input_hash(profile, None, False) == before
    rows = outlet_rows()
    rows[0][5] = "33"
    write_csv(tmp_path / "网点清单.csv", rows)
    assert input_hash(profile, None, False) != before
    (tmp_path / "网点清单.csv").unlink()
    assert input_hash(profile, None, False) not in (before, None)


def test_a_build_is_redone_when_only_the_list_file_changed(tmp_path):
    from generator.batch import build_one, read_manifest

    write_csv(tmp_path / "网点清单.csv", outlet_rows())
    profile = profile_with(tmp_path, "  outlets_file: 网点清单.csv")
    out = tmp_path / "out"
    assert build_one(str(profile), str(out), site=False).status == "built"
    first = read_manifest(out)["input_hash"]
    assert build_one(str(profile), str(out), site=False).status == "skipped"
    rows = outlet_rows()
    rows[0][1] = "西藏自治区"
    write_csv(tmp_path / "网点清单.csv", rows)
    result = build_one(str(profile), str(out), site=False)
    assert result.status == "built"
    assert read_manifest(out)["input_hash"] != first
    assert any("网点清单.csv:2:2 [resources.outlets[0].province]" in f for f in result.summary.findings)


def test_a_keyed_table_of_plain_values_and_a_duplicate_key(tmp_path):
    from conftest import QIHENG

    text = QIHENG.read_text(encoding="utf-8")
    line = next(l for l in text.splitlines(keepends=True) if l.startswith("  region_service:"))
    (tmp_path / "qiheng.yaml").write_text(text.replace(line, "  region_service_file: {path: 区域.csv, columns: {key: 地区, value: 方式}}\n"),
                                          encoding="utf-8")
    write_csv(tmp_path / "区域.csv", [["上海市", "远程"], ["安徽省", "远程"]], header=("地区", "方式"))
    expected, _ = read_profile(QIHENG)
    got, loaded = read_profile(tmp_path / "qiheng.yaml")
    assert got.model_dump() == expected.model_dump()
    assert loaded.at(("company", "region_service", "安徽省"), key=True)["line"] == 3
    write_csv(tmp_path / "区域.csv", [["上海市", "远程"], ["上海市", "网点"], ["", "远程"]], header=("地区", "方式"))
    where = tmp_path / "区域.csv"
    assert problems_of(tmp_path / "qiheng.yaml") == [
        f"{where}:3:1 [company.region_service.上海市]: 销售区域 上海市 重复（第 2 行已有同一个销售区域；请合并为一行）",
        f"{where}:4:1 [company.region_service]: 第 4 行没有填写销售区域（请写明销售区域，或删去这一行）"]


def test_a_header_garbled_by_a_wrong_encoding_is_told_so(tmp_path):
    """UTF-8 read as Western by the program that saved it (LibreOffice's CSV import does by default)."""
    garbled = [label.encode("utf-8").decode("latin-1") for label in LABELS]
    write_csv(tmp_path / "网点清单.csv", outlet_rows(), header=garbled)
    found = problems_of(profile_with(tmp_path, "  outlets_file: 网点清单.csv"))
    assert len(found) == 1
    assert "表头是乱码（原文似为“网点名称”）：文件在另存或导入时用错了编码" in found[0], found


@pytest.mark.parametrize("spec, told", [
    ("3", "[resources.outlets_file]: 应为文件路径，或写明 path、sheet、columns 的映射"),
    ("{path: 3}", "[resources.outlets_file.path]: path 应为文件路径（文字）"),
    ("{path: a.csv, columns: {name: 网点名称, city: 网点名称}}", "[resources.outlets_file.columns.city]: name 和 city 对应同一列“网点名称”"),
    ("{path: a.csv, columns: [name]}", "[resources.outlets_file.columns]: columns 应为“字段: 表头”的映射"),
    ("{path: a.csv, sheet: 网点}", "[resources.outlets_file.sheet]: "),  # a CSV has no sheets
    ("{path: .}", "不是普通文件"),
])
def test_what_the_key_may_not_say(tmp_path, spec, told):
    write_csv(tmp_path / "a.csv", outlet_rows())
    found = problems_of(profile_with(tmp_path, f"  outlets_file: {spec}"))
    assert len(found) == 1 and told in found[0], found
    assert found[0].startswith(str(tmp_path / "hualan.yaml:100:"))


def test_an_error_value_in_the_workbook_is_told_not_read_as_text(tmp_path):
    """A lookup that found nothing shows #N/A: the address is not "#N/A"."""
    from openpyxl import load_workbook

    write_xlsx(tmp_path / "网点清单.xlsx", outlet_rows())
    book = load_workbook(tmp_path / "网点清单.xlsx")
    book["网点"]["F6"] = "#N/A"  # openpyxl writes a known error value as an error cell
    book["网点"]["F6"].data_type = "e"
    book.save(tmp_path / "网点清单.xlsx")
    found = problems_of(profile_with(tmp_path, f"  outlets_file: {{path: 网点清单.xlsx, columns: {MAPPING}}}"))
    assert found == [f"{tmp_path / '网点清单.xlsx'}!网点!F6 [resources.outlets[2].address]: 单元格显示错误值 #N/A（请直接填写答案）"]
