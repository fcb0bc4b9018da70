"""The reasons the assessment gives are worded in content/standard/wording.yaml and said by one
function (`generator.standard.wording.say`): a wording names only the values it declares (a located
error otherwise), every id the code uses is worded, and every wording is used."""
from __future__ import annotations

import ast
import copy
import io
from fractions import Fraction
from pathlib import Path

import pytest
from rich.console import Console

from conftest import HUALAN, standard_edited
from generator.assess.facts import facts_of
from generator.assess.gaps import plan
from generator.assess.score import assess
from generator.errors import CatalogueError
from generator.output.scorecard import Scorecard, print_table
from generator.profile.model import Profile
from generator.inputs.yamlload import load_yaml_file
from generator.standard.wording import Reason, say, wordings
from generator.text.literal import Duration, hours, number

GENERATOR = Path(__file__).resolve().parents[1] / "generator"


def _ids_in_code() -> dict[str, str]:
    """Every wording id the code gives to `Reason(...)` (a literal, or either branch of `a if c else b`),
    with the module that names it."""
    found = {}
    for module in GENERATOR.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Reason" and node.args:
                first = node.args[0]
                branches = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
                for branch in branches:
                    assert isinstance(branch, ast.Constant), f"{module}: Reason id should be written out"
                    found[branch.value] = module.name
    return found


def test_every_id_in_the_code_is_worded_and_every_wording_is_used():
    in_code, in_data = _ids_in_code(), set(wordings())
    assert in_code, "no Reason(...) found: the scan reads nothing"
    assert {i: m for i, m in in_code.items() if i not in in_data} == {}
    assert sorted(in_data - set(in_code)) == []


def _edited(tmp_path, old: str, new: str) -> tuple[Path, int]:
    return standard_edited(tmp_path, "wording.yaml", old, new)


@pytest.mark.parametrize("old, new, message", [
    ("text: 档案：服务理念已明确，服务目标 {targets} 项", "text: 档案：服务理念已明确，服务目标 {goals} 项",
     "占位符 {goals} 未在 values 中声明（可用：targets）"),
    ("text: 档案：服务理念已明确，服务目标 {targets} 项", "text: 档案：服务理念已明确，服务目标 {targets:.1f} 项",
     "占位符 {targets} 不能带格式说明"),
    ("text: 档案：服务理念已明确，服务目标 {targets} 项", "text: 档案：服务理念已明确，服务目标 {targets 项",
     "花括号不成对"),
    ("values: {targets: number}", "values: {targets: amount}", "应为以下之一：text、number"),
])
def test_a_wording_with_an_unknown_placeholder_is_a_located_error(tmp_path, old, new, message):
    folder, line = _edited(tmp_path, old, new)
    with pytest.raises(CatalogueError) as info:
        wordings(folder)
    (problem,) = info.value.problems
    assert message in problem.message, info.value.render()
    assert problem.file.endswith("wording.yaml") and problem.line == line, info.value.render()
    assert problem.key_path.startswith("wordings.record.culture"), info.value.render()


def test_values_are_said_by_the_rules_of_the_documents():
    """A time limit, a number and a share read the same in a reason as in a document."""
    said = say(Reason("record.repair", {"response": Duration(0.5), "onsite": Duration(2.0001), "repair_days": 3.0}))
    assert said == f"档案：{hours(0.5)}响应，城区 {hours(2.0001)}上门，{number(3.0)} 天修复"
    assert said == "档案：30 分钟响应，城区 2.01 小时上门，3 天修复"
    assert say(Reason("credit.managers.proportional", {"share": Fraction(2, 3)})) == "按实有 / 应配得该项分值的 66.67%"


def test_a_reason_must_give_exactly_the_declared_values():
    with pytest.raises(ValueError, match="record.culture"):
        say(Reason("record.culture", {}))
    with pytest.raises(KeyError):
        say(Reason("no.such.wording"))


def test_the_terminal_says_deductions_the_disputed_bonus_and_paths_from_the_data(catalogue):
    """The score command's summary lines are wording.yaml's terminal.* (five deductions and a bonus:
    the must-fix sentence, the score without the bonus and a path with its actions)."""
    data = copy.deepcopy(load_yaml_file(HUALAN).data)
    data["readiness"]["special_deductions"] = [{"kind": "企业制度", "finding": f"发现 {i}"} for i in range(5)]
    data["readiness"]["bonuses"] = [{"strength": "领先做法", "evidence": "证据"}]
    profile = Profile.model_validate(data)
    facts = facts_of(profile, catalogue)
    a = assess(profile, catalogue, facts)
    todo, paths = plan(profile, catalogue, a, facts)
    out = io.StringIO()
    print_table(Scorecard(profile, catalogue, a, todo, paths), Console(file=out, width=400))
    text = out.getvalue()
    assert ("特别扣分项 5 项：须先整改至少 1 项特别扣分项（5 项及以上不通过），整改后按得分" in text
            and a.must_fix_note in text), text
    assert f"涉及项总分值 {a.applicable_total:g}，实际得分 {a.earned_total:g}，归一化 {a.normalised:g}；" in text
    assert a.without_bonus and (f"不计特别加分时为 {a.without_bonus.score:g} 分，{a.without_bonus.level}。" in text)
    path = next(p for p in paths if p.actions and p.reachable)
    assert f"达到{path.level}：{path.lead}{path.note}：{'、'.join(t.key for t in path.actions)}" in text
    assert any(t.key == "特别扣分 1" and t.title == "特别扣分项（企业制度）" for t in todo)
