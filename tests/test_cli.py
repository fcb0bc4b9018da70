"""The `aftersales` command as a user runs it: exit codes, messages, what is (not) written."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import FIXTURES, HUALAN, PROFILES, ROOT
from generator.cli import main
from generator.profile.validation import load_profile


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "generator.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd or ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_check_reports_three_mistakes_without_traceback_or_files(tmp_path):
    before = set(os.listdir(tmp_path))
    result = run("check", FIXTURES / "three-mistakes.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [l for l in result.stderr.splitlines() if "three-mistakes.yaml:" in l]
    assert len(lines) == 3
    assert any(":6:16 [company.credit_code]" in l for l in lines)
    assert any(":11:14 [company.employees]: 应为整数" in l for l in lines)
    assert any(":107:3 [resources.hotlien]: 未知的键 “hotlien”（是不是 “hotline”？）" in l for l in lines)
    assert set(os.listdir(tmp_path)) == before


def test_check_examples(capsys):
    assert main(["check", str(PROFILES)]) == 0
    out = capsys.readouterr().out
    assert out.count("✓") == 3


def test_init_writes_a_valid_commented_profile(tmp_path, capsys, catalogue):
    target = tmp_path / "new.yaml"
    assert main(["init", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "# 统一社会信用代码（18 位，按 GB 32100 校验）" in text or "统一社会信用代码（18 位" in text
    load_profile(target, catalogue)
    assert main(["init", str(target)]) == 2  # never overwrites silently
    assert "已存在" in capsys.readouterr().err


def test_init_names_every_field_of_the_schema_with_its_docstring(tmp_path):
    """Found in review: the starter came from the example alone, so a field the example does not use
    (company.region_service, a self-assessment's samples) was nowhere in it. Every field now shows, the
    ones left out as commented-out keys, each with its docstring."""
    import typing

    from pydantic import BaseModel

    from generator.profile.introspect import unwrap
    from generator.profile.model import Profile

    target = tmp_path / "new.yaml"
    assert main(["init", str(target)]) == 0
    lines = target.read_text(encoding="utf-8").splitlines()

    def shown(name: str, doc: str) -> bool:
        for above, line in zip(["", *lines], lines):
            key = line.split("#")[0] if not line.lstrip().startswith("#") else line.lstrip("# ").split("#")[0]
            if key.strip().removeprefix("- ").startswith(f"{name}:") and (doc in line or above.endswith(f"# {doc}")):
                return True
        return False

    missing, seen = [], set()

    def walk(model) -> None:
        model = unwrap(model)
        while typing.get_origin(model) in (list, dict):
            model = unwrap(typing.get_args(model)[-1])
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or model in seen:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            if not shown(name, " ".join((field.description or "").split())):
                missing.append(f"{model.__name__}.{name}")
            walk(field.annotation)

    walk(Profile)
    assert not missing
    assert any(line.strip().startswith("# region_service:") for line in lines)
    assert any(line.strip().startswith("# samples:") for line in lines)


def test_score_prints_the_scorecard(capsys):
    assert main(["score", str(HUALAN)]) == 0
    out = capsys.readouterr().out
    assert "自评 93.66 分  四星" in out
    assert "5.1.2.2" in out and "售后服务管理师" in out.replace("\n", "").replace(" ", "")


def test_failed_build_keeps_previous_output(tmp_path, capsys):
    out = tmp_path / "bundle"
    assert main(["build", str(HUALAN), "-o", str(out), "--no-site"]) == 0
    manual = out / "01-售后服务手册.docx"
    before = manual.read_bytes()
    assert main(["build", str(FIXTURES / "three-mistakes.yaml"), "-o", str(out)]) == 2
    assert manual.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle"]  # no staging folder left over


def test_build_keeps_the_users_files_and_refuses_to_replace_them(tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    assert main(["build", str(HUALAN), "-o", str(out), "--no-site"]) == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (out / "01-售后服务手册.docx").is_file()
    # a rebuild without the site removes the tool's own files only
    assert main(["build", str(HUALAN), "-o", str(out), "--no-site", "--force"]) == 0
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    # a file of the user's where the tool would write: nothing is written, the user's file stays
    other = tmp_path / "theirs"
    (other / "site").mkdir(parents=True)
    (other / "site" / "index.html").write_text("my own site", encoding="utf-8")
    capsys.readouterr()
    assert main(["build", str(HUALAN), "-o", str(other)]) == 2
    assert "不是本工具生成" in capsys.readouterr().err
    assert (other / "site" / "index.html").read_text(encoding="utf-8") == "my own site"
    assert sorted(p.name for p in other.iterdir()) == ["site"]


def test_build_several_profiles_one_folder_each(tmp_path, capsys):
    assert main(["build", str(PROFILES), "-o", str(tmp_path), "--no-site"]) == 0
    folders = sorted(p.name for p in tmp_path.iterdir())
    assert folders == ["hualan-appliances", "qiheng-software", "yunxuan-online"]
    assert (tmp_path / "qiheng-software" / "01-售后服务手册.docx").is_file()


def test_missing_file_is_a_clear_error(tmp_path):
    result = run("check", tmp_path / "nope.yaml")
    assert result.returncode == 2
    assert "找不到文件" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_readme_first_command_builds_the_example(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "aftersales build company_profiles/hualan-appliances.yaml" in readme.split("\n## ")[0]
    result = run("build", "company_profiles/hualan-appliances.yaml", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "site" / "index.html").is_file()
    assert len(list((tmp_path / "out").glob("*.docx"))) == 5


@pytest.mark.parametrize("profile", ["hualan-appliances", "yunxuan-online", "qiheng-software"])
def test_score_json_agrees_with_the_scorecard_docx(tmp_path, profile):
    import json

    import docx

    from generator.build import make_bundle, write_bundle

    result = run("score", PROFILES / f"{profile}.yaml", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    out = tmp_path / "out"
    write_bundle(make_bundle(PROFILES / f"{profile}.yaml"), out, site=False)
    document = docx.Document(str(out / "04-自评打分表.docx"))
    rows = {}
    for table in document.tables:
        for row in table.rows:
            cells = [c.text for c in row.cells]
            rows.setdefault(cells[0], cells)

    def number(text):
        return float(text.rstrip("*").replace("−", "-").lstrip("+"))

    assert number(rows["涉及项总分值"][1]) == data["applicable_total"]
    assert number(rows["实际得分"][1]) == data["earned_total"]
    assert number(rows["归一化得分"][1]) == data["normalised"]
    assert number(rows["特别扣分项"][1]) == -data["special_deductions"]
    assert number(rows["最终得分"][1]) == data["score"]
    assert rows["预测等级"][1] == data["level"]
    for line in data["lines"]:
        cells = rows[f"{line['clause']} {line['title']}"]
        assert number(cells[1]) == line["points"]
        assert cells[5] == line["status"]
        if line["applicable"]:
            assert (number(cells[3]), number(cells[4])) == (line["earned"], line["lost"])
        else:
            assert cells[3] == "—"
    plan_rows = [row for t in document.tables if [c.text for c in t.rows[0].cells][2:3] == ["整改措施与需准备的证据"]
                 for row in t.rows[1:]]
    assert len(plan_rows) == len(data["plan"])
    for action, row in zip(data["plan"], plan_rows):
        cells = [c.text for c in row.cells]
        assert cells[1] == f"{action['key']} {action['title']}"
        assert number(cells[5]) == action["points"] and cells[4] == action["due"]


def test_score_xlsx(tmp_path):
    from openpyxl import load_workbook

    target = tmp_path / "card.xlsx"
    assert main(["score", str(PROFILES / "yunxuan-online.yaml"), "--xlsx", str(target)]) == 0
    book = load_workbook(target)
    assert book.sheetnames == ["汇总", "逐条评分", "整改计划"]
    assert book["汇总"]["B3"].value == 62  # under the caveat on provisional points
    lines = {row[0]: row for row in book["逐条评分"].iter_rows(min_row=3, values_only=True)}
    assert lines["5.1.2.2"][5] == 0 and lines["5.1.2.2"][6] == 5
    plan = list(book["整改计划"].iter_rows(min_row=3, values_only=True))
    assert plan[0][1] == "5.3.1" and plan[0][7] == 12


def test_init_with_an_industry_pack(tmp_path, catalogue):
    from generator.build import make_bundle

    target = tmp_path / "car.yaml"
    assert main(["init", str(target), "--industry", "automobiles"]) == 0
    profile = load_profile(target, catalogue)
    assert profile.company.industry_pack == "automobiles"
    assert (profile.commitments.response_hours, profile.commitments.onsite_hours_urban) == (1, 2)
    manual = make_bundle(target).documents[0].markdown
    assert "《家用汽车产品修理更换退货责任规定》" in manual and "《缺陷汽车产品召回管理条例》" in manual
    assert main(["init", str(tmp_path / "x.yaml"), "--industry", "cars"]) == 2


def test_a_generated_file_the_user_edited_is_never_overwritten(tmp_path, capsys):
    out = tmp_path / "bundle"
    assert main(["build", str(HUALAN), "-o", str(out), "--no-site"]) == 0
    manual = out / "01-售后服务手册.docx"
    edited = manual.read_bytes() + b"edited in Word"
    manual.write_bytes(edited)
    changed = tmp_path / "hualan.yaml"
    changed.write_text(HUALAN.read_text(encoding="utf-8").replace("employees: 860", "employees: 861"),
                       encoding="utf-8")
    capsys.readouterr()
    for profile in (HUALAN, changed):  # unchanged input: the edit is noticed, not skipped over
        assert main(["build", str(profile), "-o", str(out), "--no-site"]) == 2
        err = capsys.readouterr().err
        assert f"{manual}: 生成后被修改过" in err and "Traceback" not in err and "<input>" not in err
        assert manual.read_bytes() == edited
    manual.rename(out / "01-售后服务手册-签字版.docx")  # saved under another name: the build goes on
    assert main(["build", str(changed), "-o", str(out), "--no-site"]) == 0
    assert (out / "01-售后服务手册-签字版.docx").read_bytes() == edited and manual.is_file()


def test_a_missing_profile_is_a_message_and_the_batch_goes_on(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "one")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert main(["build", str(HUALAN), str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "many"),
                 "--no-site"]) == 2
    captured = capsys.readouterr()
    assert "找不到文件" in captured.err and "Traceback" not in captured.err
    assert "共 2 个档案：生成 1，未变化跳过 0，失败 1" in captured.out
    assert (tmp_path / "many" / "hualan-appliances" / "01-售后服务手册.docx").is_file()


def test_output_under_home_written_with_a_tilde_is_skipped_when_unchanged(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert main(["build", str(HUALAN), "-o", "~/客户 A", "--no-site"]) == 0
    assert main(["build", str(HUALAN), "-o", "~/客户 A", "--no-site"]) == 0
    assert "未变化，跳过" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["客户 A"]


@pytest.mark.parametrize("args,expected", [
    (["bogus"], "没有 'bogus' 这个命令"),
    (["build"], "缺少参数：PROFILE"),
    (["serve", "x.yaml", "--port", "abc"], "应为整数"),
    (["build", "x.yaml", "-j", "0"], "不小于 1"),
    (["build", "x.yaml", "-j", "-5"], "不小于 1"),
    (["check", "x.yaml", "--bad"], "无法识别的参数：--bad"),
])
def test_command_line_mistakes_are_explained_in_chinese(args, expected):
    result = run(*args)
    assert result.returncode == 2
    assert expected in result.stderr and "用法：" in result.stderr, result.stderr
    for english in ("usage:", "error:", "required", "invalid", "unrecognized"):
        assert english not in result.stderr, result.stderr


def test_help_is_in_chinese():
    for args in ([], ["build"], ["score"]):
        result = run(*args, "-h")
        assert result.returncode == 0 and result.stdout.startswith("用法：")
        assert "show this help" not in result.stdout and "options" not in result.stdout


def test_a_closed_standard_output_is_a_message_not_a_traceback(tmp_path):
    closed = subprocess.run(f'"{sys.executable}" -m generator.cli score "{HUALAN}" >&-', shell=True, cwd=ROOT,
                            capture_output=False, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert closed.returncode == 2 and "标准输出已关闭" in closed.stderr and "Traceback" not in closed.stderr
    out = tmp_path / "o"
    closed = subprocess.run(f'"{sys.executable}" -m generator.cli build "{HUALAN}" -o "{out}" --no-site >&- 2>&-',
                            shell=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert closed.returncode == 2 and not out.exists()  # nothing done, nothing written into a stray number


def test_a_folder_of_profiles_with_upper_case_suffixes(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "A.YAML").write_bytes(HUALAN.read_bytes())
    (folder / "b.Yml").write_bytes(HUALAN.read_bytes())
    assert main(["check", str(folder)]) == 0
    assert capsys.readouterr().out.count("有效") == 2


def test_init_suggests_a_command_that_can_be_pasted(tmp_path, capsys):
    path = tmp_path / "新 企业.yaml"
    assert main(["init", str(path)]) == 0
    printed = capsys.readouterr().out
    assert f"aftersales check '{path}'" in printed


def test_jobs_are_never_more_than_the_profiles(tmp_path, monkeypatch):
    import generator.batch as batch

    seen = []
    real = batch.ProcessPoolExecutor

    def pool(max_workers, **options):
        seen.append(max_workers)
        return real(max_workers=max_workers, **options)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", pool)
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.yaml", "b.yaml"):
        (folder / name).write_text("company: [", encoding="utf-8")  # fails fast: only the pool size matters
    assert main(["build", str(folder), "-o", str(tmp_path / "o"), "-j", "100000", "--no-site"]) == 2
    assert seen == [2]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_standard_output_is_named_as_such():
    """`aftersales score P > /dev/full` (found by a stranger: 读写文件失败：磁盘空间不足, and no word of
    which file)."""
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "generator.cli", "score", str(HUALAN)], stdout=full,
                                stderr=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 2, result.stderr
    assert "标准输出" in result.stderr and "磁盘空间不足" in result.stderr and "重定向" in result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


@pytest.mark.parametrize("names,expected", [
    (["p.yaml", "p.yaml"], "p.yaml: 同一个档案列出了 2 次（请只列一次）"),
    (["p.yaml", "./sub/../p.yaml"], "同一个档案列出了 2 次（写作 p.yaml、sub/../p.yaml）"),
    (["p.yaml", "p.yml"], "p.yaml、p.yml 都会生成到这个文件夹"),
])
def test_profiles_sharing_an_output_folder_are_named(tmp_path, monkeypatch, capsys, names, expected):
    """Found by a stranger: `build base.yml base.yml` said only 有多个档案文件名相同…请改名."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    for name in ("p.yaml", "p.yml"):
        (tmp_path / name).write_bytes(HUALAN.read_bytes())
    assert main(["build", *names, "-o", "out", "--no-site"]) == 2
    err = capsys.readouterr().err
    assert expected in err, err
    assert ("请只列一次" in err) == (names[1] != "p.yml") and ("out/p" in err) == (names[1] == "p.yml")
    assert sorted(os.listdir(tmp_path)) == ["p.yaml", "p.yml", "sub"]


def test_content_folder_mistakes_are_told(tmp_path, capsys):
    """Found by a stranger: a missing --content folder was 应为文件夹, a folder named as a template and a
    template named as none of ours were silently passed over."""
    nope = tmp_path / "nope.yaml"  # the build fails after the folder's checks: nothing is built
    assert main(["build", str(nope), "-o", str(tmp_path / "o"), "--content", str(tmp_path / "missing")]) == 2
    err = capsys.readouterr().err
    assert f"--content 指定的文件夹 {tmp_path / 'missing'} 不存在" in err and "找不到文件" not in err
    house = tmp_path / "house"
    (house / "promise_body.md.j2").mkdir(parents=True)
    assert main(["build", str(nope), "-o", str(tmp_path / "o"), "--content", str(house)]) == 2
    err = capsys.readouterr().err
    assert f"{house / 'promise_body.md.j2'} 是一个文件夹，不是模板文件" in err
    (house / "promise_body.md.j2").rmdir()
    (house / "unknown_doc.md.j2").write_text("x\n", encoding="utf-8")
    (house / "promis.md.j2").write_text("x\n", encoding="utf-8")
    (house / "extra.md.j2").write_text('{% include "helper.md.j2" %}\n', encoding="utf-8")
    (house / "helper.md.j2").write_text("included, so used\n", encoding="utf-8")
    (house / "manual.md").write_text("x\n", encoding="utf-8")  # not a template: never used
    (house / "promise.md.j2 ").write_text("x\n", encoding="utf-8")
    (house / ".DS_Store").write_bytes(b"\0")  # hidden: passed over
    assert main(["build", str(nope), "-o", str(tmp_path / "o"), "--content", str(house)]) == 2
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("⚠")]
    assert len(warnings) == 5, warnings
    for name, guess in (("manual.md", "manual.md.j2"), ("promise.md.j2 ", "promise.md.j2")):
        told = [w for w in warnings if f"{house / name} 不是模板文件" in w]
        assert len(told) == 1 and f"是不是 {guess}？" in told[0], warnings
    assert all("不会被使用" in w and "content" in w and "documents" in w for w in warnings)
    assert [w for w in warnings if "promis.md.j2" in w][0].count("是不是 promise.md.j2") == 1
    assert any("unknown_doc.md.j2" in w for w in warnings) and any("extra.md.j2" in w for w in warnings)


@pytest.mark.parametrize("args,expected", [
    (["build", "x.yaml", "-o", ""], "参数 -o/--output：路径为空"),
    (["build", "x.yaml", "-o", "  "], "参数 -o/--output：路径为空"),
    (["build", ""], "参数 PROFILE：路径为空"),
    (["build", "x.yaml", "--content", ""], "参数 --content：路径为空"),
    (["init", "-"], "不支持 -（标准输出）"),
])
def test_an_empty_path_or_a_dash_is_refused(tmp_path, args, expected):
    """Found by a stranger: -o "" (an unset $OUT) built into the working folder; init - wrote a file named -."""
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2 and expected in result.stderr, result.stderr
    assert os.listdir(tmp_path) == []
