"""`aftersales intake` as a consultant runs it: the blank workbook, a profile written into one and back,
what is refused and never overwritten, and workbooks among the profiles of a folder."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile

import pytest

from conftest import HUALAN, QIHENG, ROOT, YUNXUAN
from generator.cli import main
from generator.intake.reader import load_workbook_file
from generator.intake.source import load_profile

EXAMPLES = [HUALAN, QIHENG, YUNXUAN]


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "generator.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})


def answer(path, sheet: str, key: str, value) -> None:
    """Write `value` as the answer to `key` (column A of a form sheet) in the workbook at `path`, as
    a client filling it in would."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book[sheet]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)
    ws.cell(row, 3).value = value
    book.save(path)


def test_blank_workbook_fails_check_with_located_messages(tmp_path):
    """Relative paths from the working folder, as typed; the blank workbook is the only file written."""
    made = run("intake", "-o", "企业信息采集表.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "已写出空白的企业信息采集表 企业信息采集表.xlsx" in made.stdout
    assert "aftersales check '企业信息采集表.xlsx'" in made.stdout  # pasted into a shell as it is
    assert os.listdir(tmp_path) == ["企业信息采集表.xlsx"]

    checked = run("check", "企业信息采集表.xlsx", cwd=tmp_path)
    assert checked.returncode == 2
    assert "Traceback" not in checked.stderr
    located = [line for line in checked.stderr.splitlines() if line.strip().startswith("企业信息采集表.xlsx!")]
    assert len(located) > 10, checked.stderr
    assert any(line.strip().startswith("企业信息采集表.xlsx!企业基本信息!C4 [company.legal_name]: 缺少必填项")
               for line in located), checked.stderr
    assert all(re.match(r"\s*企业信息采集表\.xlsx!\S+![A-Z]+\d+ ", line) for line in located)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_profile_goes_into_a_workbook_and_back(tmp_path, capsys, example, catalogue):
    workbook, back = tmp_path / "client.xlsx", tmp_path / "client.yaml"
    assert main(["intake", str(example), "-o", str(workbook)]) == 0
    assert main(["intake", str(workbook), "-o", str(back)]) == 0
    assert "已写出企业档案" in capsys.readouterr().out
    assert load_profile(back, catalogue).model_dump() == load_profile(example, catalogue).model_dump()
    text = back.read_text(encoding="utf-8")
    assert text.startswith("# 企业档案") and "aftersales check 本文件" in text
    lines = text.splitlines()
    assert any(re.fullmatch(r"  legal_name: \S+ # 企业法定名称（与营业执照一致）", line) for line in lines), text[:600]
    assert re.search(r"^  founded: \d{4}-\d{2}-\d{2} # 成立日期$", text, re.M)  # a date, not a quoted text
    assert re.search(r"^  employees: \d+ # 员工总数", text, re.M)  # a number, not a quoted text
    # the fields the workbook leaves blank are named too, commented out as init names them
    assert re.search(r"^  # region_service:  # 各销售区域的服务方式", text, re.M) or "region_service:" in text

    again = tmp_path / "again.xlsx"  # the same profile, the same bytes: dated its issue date
    assert main(["intake", str(example), "-o", str(again)]) == 0
    assert again.read_bytes() == workbook.read_bytes()


def test_the_blank_workbook_with_an_industry_pack(tmp_path, capsys, catalogue):
    """--industry fills in what `init --industry` fills in: the pack and its typical time limits."""
    from generator.standard.industry import load_packs

    workbook, starter = tmp_path / "汽车.xlsx", tmp_path / "car.yaml"
    assert main(["intake", "-o", str(workbook), "--industry", "automobiles"]) == 0
    assert main(["init", str(starter), "--industry", "automobiles"]) == 0
    data = load_workbook_file(workbook).data
    assert data["company"]["industry_pack"] == "automobiles"
    init = load_profile(starter, catalogue).commitments
    pack = load_packs()["automobiles"].typical_commitments
    assert {key: data["commitments"][key] for key in pack} == {key: getattr(init, key) for key in pack}
    assert data["commitments"]["response_hours"] == 1 and "legal_name" not in data["company"]
    capsys.readouterr()
    assert main(["intake", "-o", str(tmp_path / "x.xlsx"), "--industry", "cars"]) == 2
    assert "没有行业包 “cars”" in capsys.readouterr().err
    assert main(["intake", str(HUALAN), "-o", str(tmp_path / "x.xlsx"), "--industry", "automobiles"]) == 2
    assert "--industry 只用于写出空白采集表" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_a_users_file_is_never_overwritten(tmp_path, capsys):
    from openpyxl import Workbook

    own = tmp_path / "网点清单.xlsx"  # a workbook the tool did not write
    Workbook().save(own)
    kept = own.read_bytes()
    assert main(["intake", "-o", str(own)]) == 2
    err = capsys.readouterr().err
    assert "已存在，且不是本工具生成的" in err and own.read_bytes() == kept

    sent = tmp_path / "采集表.xlsx"
    assert main(["intake", str(HUALAN), "-o", str(sent)]) == 0
    assert main(["intake", str(QIHENG), "-o", str(sent)]) == 0  # the tool's own, untouched: replaced
    answer(sent, "企业基本信息", "company.employees", 990)  # the client has answered in it
    filled = sent.read_bytes()
    capsys.readouterr()
    for args in (["intake", "-o", str(sent)], ["intake", str(HUALAN), "-o", str(sent)]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert "写出后被修改过" in err and "请用 -o 另给一个文件名" in err and "--xlsx" not in err, err
        assert sent.read_bytes() == filled
    assert main(["intake", "-o", str(sent), "--force"]) == 2  # --force is for a YAML profile only
    assert "--force 只用于写出 YAML 档案" in capsys.readouterr().err and sent.read_bytes() == filled

    profile = tmp_path / "client.yaml"
    profile.write_text("# 我的档案\n", encoding="utf-8")
    assert main(["intake", str(sent), "-o", str(profile)]) == 2
    assert "已存在；如需覆盖请加 --force" in capsys.readouterr().err
    assert profile.read_text(encoding="utf-8") == "# 我的档案\n"
    assert main(["intake", str(sent), "-o", str(profile), "--force"]) == 0
    assert "employees: 990" in profile.read_text(encoding="utf-8")


def test_the_source_is_never_the_output(tmp_path, capsys):
    workbook = tmp_path / "client.xlsx"
    assert main(["intake", str(YUNXUAN), "-o", str(workbook)]) == 0
    before = workbook.read_bytes()
    link = tmp_path / "client.yaml"
    link.symlink_to(workbook)
    capsys.readouterr()
    assert main(["intake", str(workbook), "-o", str(link), "--force"]) == 2
    assert "-o 给出的就是来源文件" in capsys.readouterr().err
    assert workbook.read_bytes() == before and link.is_symlink()


@pytest.mark.parametrize("args,expected", [
    (["-o", "client.yaml"], "aftersales init client.yaml"),
    (["-o", "client.csv"], "-o 要写的是 Excel 工作簿，文件名应以 .xlsx 结尾"),
    (["-o", "out/"], "-o 给出的是文件夹"),
    (["{hualan}", "-o", "client.yml"], "请改用 .xlsx 文件名，例如 “hualan-appliances.xlsx”"),
    (["{hualan}", "-o", "client.csv"], "-o 要写的是 Excel 工作簿"),
    (["client.xlsx", "-o", "client.xlsx"], "-o 的文件名应以 .yaml 结尾"),
    (["client.csv", "-o", "client.yaml"], "既不是 .yaml 企业档案，也不是 .xlsx 企业信息采集表"),
    (["client.xlsx"], "缺少参数：-o/--output"),
    (["-o", "-"], "不支持 -（标准输出）"),
    (["-o", ""], "路径为空"),
])
def test_the_way_is_told_by_the_suffixes(tmp_path, args, expected):
    args = [a.format(hualan=HUALAN) for a in args]
    result = run("intake", *args, cwd=tmp_path)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and os.listdir(tmp_path) == []


def test_a_list_item_with_a_line_break_is_refused(tmp_path):
    text = HUALAN.read_text(encoding="utf-8")
    old = "sales_channels: [全国经销商门店, "
    assert text.count(old) == 1
    profile = tmp_path / "client.yaml"
    profile.write_text(text.replace(old, 'sales_channels: ["全国经销商门店\\n和专卖店", '), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    result = run("intake", "client.yaml", "-o", "client.xlsx", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"client.yaml:{line}:" in result.stderr and "[company.sales_channels[0]]: 这一项有换行（2 行文字）" in result.stderr
    assert not (tmp_path / "client.xlsx").exists()


def test_a_workbook_with_problems_is_not_converted(tmp_path, capsys):
    """The problems are told by cell, and no YAML is written: the client fixes the workbook."""
    workbook, back = tmp_path / "client.xlsx", tmp_path / "client.yaml"
    assert main(["intake", str(QIHENG), "-o", str(workbook)]) == 0
    answer(workbook, "企业基本信息", "company.employees", "很多")
    answer(workbook, "企业基本信息", "company.short_name", "启衡\u202e软件")  # pasted from a web page
    capsys.readouterr()
    assert main(["intake", str(workbook), "-o", str(back)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"client\.xlsx!企业基本信息!C\d+ \[company\.employees\]: 应为整数", err), err
    assert not back.exists()
    answer(workbook, "企业基本信息", "company.employees", 86)
    assert main(["intake", str(workbook), "-o", str(back)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"client\.xlsx!企业基本信息!C\d+ \[company\.short_name\]: 文字中含有不可见的双向文字控制字符 U\+202E",
                     err), err
    assert not back.exists()


def test_a_folder_takes_intake_workbooks_and_skips_other_workbooks(tmp_path):
    from openpyxl import Workbook

    folder = tmp_path / "客户"
    folder.mkdir()
    (folder / "hualan.yaml").write_bytes(HUALAN.read_bytes())
    assert main(["intake", str(QIHENG), "-o", str(folder / "qiheng.xlsx")]) == 0
    resaved = folder / "yunxuan.xlsx"  # its properties as LibreOffice writes them back: the name last
    assert main(["intake", str(YUNXUAN), "-o", str(resaved)]) == 0
    with zipfile.ZipFile(resaved) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/custom.xml"] = re.sub(rb'<property name="([^"]+)" (fmtid="[^"]+" pid="\d+")>', rb'<property \2 name="\1">',
                                          parts["docProps/custom.xml"])
    assert b'pid="2" name="aftersales-intake"' in parts["docProps/custom.xml"]
    with zipfile.ZipFile(resaved, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    Workbook().save(folder / "网点清单.xlsx")  # the company's own list, beside
    (folder / "~$qiheng.xlsx").write_bytes(b"\x00" * 165)  # Excel's lock file while the workbook is open
    checked = run("check", "客户", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.count("有效") == 3 and "✓ 客户/qiheng.xlsx：有效" in checked.stdout
    assert "网点清单.xlsx" in checked.stderr and "不是企业信息采集表" in checked.stderr

    built = run("build", "客户", "-o", "out", "--no-site", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir()) == ["hualan", "qiheng", "yunxuan"]
    assert (tmp_path / "out" / "qiheng" / "01-售后服务手册.docx").is_file()

    only_other = tmp_path / "别的"
    only_other.mkdir()
    Workbook().save(only_other / "网点清单.xlsx")
    result = run("check", "别的", cwd=tmp_path)
    assert result.returncode == 2 and "中没有 .yaml 企业档案或企业信息采集表" in result.stderr


def test_a_list_file_a_profile_names_is_not_told_as_another_workbook(tmp_path):
    """A folder holding a profile and the company's outlet list it reads (outlets_file): the list is
    part of that profile, not a workbook left out."""
    from openpyxl import Workbook

    from generator.inputs.yamlload import load_yaml_file

    folder = tmp_path / "客户"
    folder.mkdir()
    outlets = load_yaml_file(HUALAN).data["resources"]["outlets"]
    book = Workbook()
    fields = ["name", "province", "city", "address", "mode", "staff", "phone"]
    book.active.append(fields)
    for outlet in outlets:
        book.active.append([outlet.get(f) for f in fields])
    book.save(folder / "网点清单.xlsx")
    text = HUALAN.read_text(encoding="utf-8")
    start, end = text.index("  outlets:\n"), text.index("  hotline:")
    (folder / "hualan.yaml").write_text(text[:start] + "  outlets_file: 网点清单.xlsx\n" + text[end:], encoding="utf-8")
    checked = run("check", "客户", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert "不是企业信息采集表" not in checked.stderr, checked.stderr
    Workbook().save(folder / "别的.xlsx")
    checked = run("check", "客户", cwd=tmp_path)
    assert "别的.xlsx" in checked.stderr and "网点清单.xlsx" not in checked.stderr, checked.stderr


def test_a_workbook_whose_properties_were_dropped_is_still_known_by_its_sheets(tmp_path):
    """A program saving the workbook may drop its custom properties (WPS cannot be tried here): the
    cover and the first form's names still tell an intake workbook from a company's own list."""
    from generator.commands.arguments import is_intake_workbook

    made = tmp_path / "made.xlsx"
    assert main(["intake", str(QIHENG), "-o", str(made)]) == 0
    stripped = tmp_path / "stripped.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(stripped, "w") as target:
        for info in source.infolist():
            if info.filename != "docProps/custom.xml":
                target.writestr(info, source.read(info))
    assert is_intake_workbook(stripped)
    from openpyxl import Workbook

    other = Workbook()
    other.active.title = "填写说明"  # one name alike is not enough
    other.save(tmp_path / "other.xlsx")
    assert not is_intake_workbook(tmp_path / "other.xlsx")


def test_a_workbook_may_be_larger_than_a_yaml_profile(tmp_path):
    """A build's input hash reads a workbook up to the workbook reader's limit (32 MB), a YAML profile to 16 MB."""
    from generator.batch import input_hash
    from generator.errors import ProfileError

    big = b"PK" + b"\x00" * (17 << 20)
    (tmp_path / "big.xlsx").write_bytes(big)
    (tmp_path / "big.yaml").write_bytes(big)
    assert len(input_hash(tmp_path / "big.xlsx", None, False)) == 64
    with pytest.raises(ProfileError, match="文件过大"):
        input_hash(tmp_path / "big.yaml", None, False)



def test_score_never_writes_its_report_over_an_intake_workbook(tmp_path, capsys):
    """Found by a stranger: `score h.xlsx --xlsx h.xlsx` replaced the client's answers with the score
    report (the workbook is the tool's own and untouched, which `--xlsx` may replace)."""
    workbook = tmp_path / "h.xlsx"
    assert main(["intake", str(QIHENG), "-o", str(workbook)]) == 0
    before = workbook.read_bytes()
    capsys.readouterr()
    for target in (workbook, tmp_path / "copy.xlsx"):
        if target != workbook:
            target.write_bytes(before)
        assert main(["score", str(workbook), "--xlsx", str(target)]) == 2
        assert "是企业信息采集表" in capsys.readouterr().err
        assert target.read_bytes() == before
    assert main(["score", str(workbook), "--xlsx", str(tmp_path / "评分.xlsx")]) == 0
