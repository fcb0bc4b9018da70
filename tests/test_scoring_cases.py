"""Table-driven scoring cases, each computed by hand from the standard's method.

Every case starts from a "perfect" company (the home-appliance example with every clause
implemented, enough managers, qualified technicians and outlets in every sales region: 100 points)
and changes only what the case is about.
"""
from __future__ import annotations

import copy
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessed import scored
from conftest import HUALAN, ROOT, standard_with
from generator.assess.numbers import shown
from generator.assess.facts import facts_of
from generator.assess.score import level_for
from generator.errors import ProfileError
from generator.assess.gaps import plan
from generator.profile.model import Profile
from generator.profile.validation import load_profile
from generator.inputs.yamlload import load_yaml_file

LEAVES = ["5.1.1.1", "5.1.1.2", "5.1.2.1", "5.1.2.2", "5.1.3.1", "5.1.3.2", "5.1.3.3", "5.1.4.1",
          "5.1.4.2", "5.1.5.1", "5.1.5.2", "5.1.6", "5.1.7", "5.2.1", "5.2.2", "5.2.3", "5.2.4",
          "5.2.5", "5.2.6", "5.3.1", "5.3.2"]


def perfect() -> dict:
    data = copy.deepcopy(load_yaml_file(HUALAN).data)
    data["company"]["sales_regions"] = ["广东省", "广西壮族自治区", "湖南省", "江西省", "福建省"]
    data["staff"]["qualified_technicians"] = data["staff"]["technicians"]
    data["staff"]["certified_managers"].append({"name": "何志强", "certificate_no": "SHGLS-2025-000317"})
    readiness = data["readiness"]
    readiness["self_assessment"] = {cid: {"status": "implemented", "evidence": "记录"} for cid in LEAVES}
    readiness["bonuses"] = []
    readiness["special_deductions"] = []
    return data


def missing(*ids):
    def change(d):
        for cid in ids:
            d["readiness"]["self_assessment"][cid]["status"] = "missing"
    return change


def partial(*ids):
    def change(d):
        for cid in ids:
            d["readiness"]["self_assessment"][cid]["status"] = "partial"
    return change


def technicians(total, qualified):
    def change(d):
        d["staff"]["technicians"], d["staff"]["qualified_technicians"] = total, qualified
        d["staff"]["aftersales_staff"] = max(d["staff"]["aftersales_staff"], total)
        d["company"]["employees"] = max(d["company"]["employees"], total + 10)
    return change


def deductions(n):
    def change(d):
        d["readiness"]["special_deductions"] = [{"kind": "企业制度", "finding": f"发现 {i}"} for i in range(n)]
    return change


def bonuses(n):
    def change(d):
        d["readiness"]["bonuses"] = [{"strength": f"领先做法 {i}", "evidence": "证据"} for i in range(n)]
    return change


def managers(n):
    def change(d):
        d["staff"]["certified_managers"] = [{"name": f"管理师{i}", "certificate_no": f"C{i}"} for i in range(n)]
    return change


def no_service(*names):
    def change(d):
        for name in names:
            d["arrangements"][name] = {"provided": False, "excluded_reason": "不涉及该项服务"}
    return change


def samples(cid, checked, bad):
    def change(d):
        d["readiness"]["self_assessment"][cid]["samples"] = {"checked": checked, "nonconforming": bad}
    return change


def regions(*names):
    def change(d):
        d["company"]["sales_regions"] += list(names)
    return change


def served(modes):
    def change(d):
        d["company"]["region_service"] = dict(modes)
    return change


def unanswered(cid):
    def change(d):
        del d["readiness"]["self_assessment"][cid]
    return change


def no_special_fund(d):
    d["resources"]["special_fund"] = 0


CASES = [
    # (name, changes, expected score, expected level)
    ("perfect", [], 100, "五星"),
    ("exactly 70", [missing("5.3.2", "5.3.1", "5.2.1")], 70, "达标"),
    ("69.99 fails", [missing("5.3.2", "5.3.1", "5.2.1"), technicians(400, 399)], 69.99, "不通过"),
    ("exactly 80", [missing("5.3.1", "5.2.4")], 80, "三星"),
    ("exactly 90", [missing("5.2.4", "5.1.4.2")], 90, "四星"),
    ("exactly 95", [missing("5.2.1")], 95, "五星"),
    # Computed exactly, shown to 0.01 without crossing a threshold (hand: 5.3.2 is worth 13 points)
    ("exactly 95 by samples", [samples("5.3.2", 13, 5)], 95, "五星"),  # 100 − 13 × 5/13
    ("94.995 is four stars, shown 94.99", [samples("5.3.2", 200, 77)], 94.99, "四星"),  # 100 − 13 × 77/200
    ("79.996 is 达标, shown 79.99", [missing("5.3.1", "5.2.4"), samples("5.3.2", 3250, 1)], 79.99, "达标"),
    ("94.845 is shown 94.85 by rounding", [samples("5.3.2", 2600, 1031)], 94.85, "四星"),  # 100 − 1031/200
    ("94.99 is four stars", [missing("5.2.1"), technicians(400, 399)], 94.99, "四星"),
    ("98 with five deductions fails", [partial("5.1.5.2"), deductions(5)], 93, "不通过"),
    ("98 with four deductions", [partial("5.1.5.2"), deductions(4)], 94, "四星"),
    ("95 with four deductions", [missing("5.1.5.2"), bonuses(1), deductions(4)], 95, "五星"),  # 98 + 1 − 4
    # Partial: a qualitative item's nonconformity loses the whole value (duofangda)
    ("partial loses the whole item", [partial("5.2.4")], 92, "四星"),
    ("partial on a sampled item without samples", [partial("5.3.1")], 88, "三星"),
    ("partial with samples is proportional", [partial("5.3.1"), samples("5.3.1", 8, 2)], 97, "五星"),  # 12 × 2/8
    ("missing with every sample bad scores 0", [missing("5.3.1"), samples("5.3.1", 8, 8)], 88, "三星"),
    ("no training hours: nonconformity", [lambda d: d["staff"].pop("training_hours_per_year")], 97, "五星"),
    # Facts and samples: the lower counts, both ways (4 points for 5.1.2.1, 3 for 5.1.1.2)
    ("9 of 10 qualified, samples 3 of 10 bad", [technicians(10, 9), samples("5.1.2.1", 10, 3)], 98.8, "五星"),
    ("7 of 10 qualified, samples 1 of 10 bad", [technicians(10, 7), samples("5.1.2.1", 10, 1)], 98.8, "五星"),
    ("all qualified but self-assessed missing", [missing("5.1.2.1")], 96, "五星"),
    ("all qualified, self-assessed partial", [partial("5.1.2.1")], 96, "五星"),
    ("regions covered, outlets sampled 1 of 4 bad", [samples("5.1.1.2", 4, 1)], 99.25, "五星"),
    ("a region without service", [regions("浙江省")], 99.5, "五星"),  # 3 × 5/6
    ("a region served remotely", [regions("浙江省"), served({"浙江省": "远程"})], 100, "五星"),
    ("a region served by a partner, samples 1 of 2 bad",
     [regions("浙江省"), served({"浙江省": "委托"}), samples("5.1.1.2", 2, 1)], 98.5, "五星"),
    ("exclusion lowers the normalised score", [missing("5.2.1"), no_service("take_back")], 94.85, "四星"),
    ("two exclusions", [missing("5.3.1"), no_service("delivery", "installation", "take_back")], 86.81, "三星"),
    ("bonus capped at one", [missing("5.2.1"), bonuses(2)], 96, "五星"),
    ("bonus lifts a level", [missing("5.2.1"), technicians(400, 399), bonuses(1)], 95.99, "五星"),
    ("no managers", [managers(0)], 95, "五星"),
    ("two of three managers", [managers(2)], 98.33, "五星"),
    ("enough managers", [managers(3)], 100, "五星"),
    ("samples of complaints", [samples("5.3.2", 20, 3)], 98.05, "五星"),
    ("unanswered clause scores zero", [unanswered("5.3.2")], 87, "三星"),
    ("no special fund caps 5.1.3.1", [no_special_fund], 97, "五星"),
    ("deduction below 70", [missing("5.3.2", "5.3.1", "5.2.1"), deductions(1)], 69, "不通过"),
]


@pytest.mark.parametrize("name,changes,score,level", CASES, ids=[c[0] for c in CASES])
def test_case(catalogue, name, changes, score, level):
    data = perfect()
    for change in changes:
        change(data)
    profile = Profile.model_validate(data)
    a = scored(profile, catalogue)
    assert a.score == pytest.approx(score, abs=0.001)
    assert a.level == level
    if a.level_note.startswith("得分"):  # the note says the score as shown beside the level
        assert a.level_note.startswith(f"得分 {score:g} "), a.level_note


def test_bonus_cap_is_explained(catalogue):
    data = perfect()
    bonuses(2)(data)
    a = scored(Profile.model_validate(data), catalogue)
    assert a.bonus == 1
    assert a.bonus_note == "申请 2 项，计 1 项（标准规定特别加分项至多 1 项）"


def test_manager_line_explains_itself(catalogue):
    data = perfect()
    managers(2)(data)
    line = scored(Profile.model_validate(data), catalogue).line("5.1.2.2")
    assert line.earned == 3.33 and line.source == "fact" and line.status.id == "partial"
    assert line.basis == ("服务管理人员 24 人，按 10% 应配管理师 3 名，实有 2 名，按实有 / 应配得该项分值的 66.67%；"
                          "自评已落实：取两者中较低者，得该项分值的 66.67%")


def test_path_to_the_next_level_takes_least_effort(catalogue):
    data = perfect()
    missing("5.3.1", "5.2.4")(data)  # 80: three stars, 10 short of four
    profile = Profile.model_validate(data)
    a = scored(profile, catalogue)
    todo, paths = plan(profile, catalogue, a, facts_of(profile, catalogue))
    assert [t.key for t in todo] == ["5.3.1", "5.2.4"]
    four = next(p for p in paths if p.level == "四星")
    # 10 points short: 5.3.1 (12) alone is enough, 5.2.4 (8) is not
    assert [t.key for t in four.actions] == ["5.3.1"] and four.reachable
    assert "92" in four.note


def test_five_deductions_must_be_corrected_on_the_path(catalogue):
    data = perfect()
    deductions(5)(data)
    profile = Profile.model_validate(data)
    a = scored(profile, catalogue)
    assert a.level == "不通过"
    _, paths = plan(profile, catalogue, a, facts_of(profile, catalogue))
    target = next(p for p in paths if p.level == "五星")
    assert sum(1 for t in target.actions if t.deduction) == 1  # 4 left: 96 points, five stars


def problems_after(tmp_path, catalogue, old: str, new: str):
    """The problems of the example profile with `old` replaced by `new`."""
    text = HUALAN.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "p.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path, catalogue)
    return text.replace(old, new, 1), info.value.problems


def test_exclusion_the_catalogue_forbids_is_a_located_error(tmp_path, catalogue):
    text, (problem,) = problems_after(tmp_path, catalogue, "  special_deductions: []\n",
                                      "  exclusions:\n    \"5.3.2\": 本公司投诉很少\n  special_deductions: []\n")
    assert problem.message == "条款 5.3.2 投诉处理 按 GB/T 27922 不可删减"
    assert problem.key_path == "readiness.exclusions.5.3.2"
    assert problem.line == text.splitlines().index('    "5.3.2": 本公司投诉很少') + 1
    assert "5.2.2" in problem.hint and "5.2.6" in problem.hint


def test_exclusion_of_a_service_clause_points_to_arrangements(tmp_path, catalogue):
    _, problems = problems_after(tmp_path, catalogue, "  special_deductions: []\n",
                                 "  exclusions:\n    \"5.2.6\": 不回收\n  special_deductions: []\n")
    assert "arrangements.take_back" in problems[0].hint


def test_samples_only_on_sampled_clauses(tmp_path, catalogue):
    _, problems = problems_after(tmp_path, catalogue, '"5.1.6": {status: implemented, evidence: 纠正预防措施单 12 份}',
                                 '"5.1.6": {status: implemented, samples: {checked: 5, nonconforming: 1}}')
    assert problems[0].message == "条款 5.1.6 不按样本评分，不能填写 samples"


@settings(max_examples=500, deadline=None)
@given(st.fractions(min_value=0, max_value=100, max_denominator=100_000))
def test_a_shown_score_never_contradicts_its_level(score):
    """Whatever the exact score, the number shown beside the level gives that same level, and it is
    the exact score rounded to 0.01 or, near a threshold, cut to it: never more than 0.01 away."""
    from generator.standard.catalogue import load_catalogue

    catalogue = load_catalogue()
    thresholds = [level.min for level in catalogue.scoring.levels]
    display = shown(score, thresholds)
    assert level_for(display, 0, catalogue)[0] == level_for(score, 0, catalogue)[0], (score, display)
    assert abs(Fraction(str(display)) - score) < Fraction(1, 100)


def catalogue_with(tmp_path, old: str, new: str):
    """The bundled standard data with one edit to scoring.yaml, loaded."""
    from generator.standard.catalogue import load_catalogue

    return load_catalogue(standard_with(tmp_path, "scoring.yaml", old, new))


REASONS = ("扣除该项全部分值", "按 0 分计", "按不合格样本比例扣分", "取两者中较低者", "按覆盖比例得", "按实有 / 应配得",
           "按持证比例得", "最多按", "按存在不符合扣除该项全部分值")

HALF = ("    partial: 0\n", "    partial: 0.5\n")


@pytest.mark.parametrize("changes,default,half", [
    ([partial("5.2.4")], 92, 96),  # 8 points: all lost, or half
    ([partial("5.1.5.2", "5.2.6")], 95, 97.5),  # 2 + 3 points
    ([lambda d: d["staff"].pop("training_hours_per_year")], 97, 98.5),  # a fact caps 5.1.3.2 at "partial"
    ([partial("5.3.1"), samples("5.3.1", 8, 2)], 97, 97),  # samples decide a sampled item either way
])
def test_partial_under_both_options(tmp_path, catalogue, changes, default, half):
    data = perfect()
    for change in changes:
        change(data)
    profile = Profile.model_validate(data)
    assert scored(profile, catalogue).score == default
    halved = catalogue_with(tmp_path, *HALF)
    a = scored(profile, halved)
    assert a.score == half
    if default != half:  # the option is said beside every line it changes
        assert a.gaps and all("按本项目约定计一半" in l.basis for l in a.gaps)


def test_half_credit_option_is_labelled_on_the_line(tmp_path):
    data = perfect()
    partial("5.2.4")(data)
    line = scored(Profile.model_validate(data), catalogue_with(tmp_path, *HALF)).line("5.2.4")
    assert line.earned == 4 and line.status.id == "partial"
    assert "按本项目约定计一半（非标准规则" in line.basis


def test_disputed_bonus_can_be_switched_off_and_is_shown(tmp_path, catalogue):
    data = perfect()
    missing("5.2.1")(data)
    bonuses(1)(data)
    profile = Profile.model_validate(data)
    a = scored(profile, catalogue)
    assert (a.score, a.level, a.without_bonus) == (96, "五星", (95, "五星"))
    off = scored(profile, catalogue_with(tmp_path, "  counted: true", "  counted: false"))
    assert (off.score, off.bonus, off.without_bonus) == (95, 0, None)
    assert "不计特别加分" in off.bonus_note
    assert "没有额外的加分项" in catalogue.scoring.special_bonus.disputed


def test_every_scoring_rule_says_its_source(tmp_path, catalogue):
    from generator.errors import CatalogueError

    for name, rule in catalogue.scoring.rules().items():
        assert rule.source.strip() and rule.evidence in ("C", "S", "I"), name
    with pytest.raises(CatalogueError) as info:
        catalogue_with(tmp_path, "samples:\n  title: 按样本检查的指标\n  source:", "samples:\n  title: 按样本检查的指标\n  origin:")
    problem = next(p for p in info.value.problems if p.key_path == "samples.source")
    samples = (ROOT / "content/standard/scoring.yaml").read_text(encoding="utf-8").splitlines().index("samples:") + 1
    assert problem.line == samples and "scoring.yaml" in problem.file  # located at the rule that lost its source
    assert problem.message == "缺少必填项：source"
    assert any(p.message == "未知的键 “origin”" for p in info.value.problems)


@settings(max_examples=300, deadline=None)
@given(status=st.sampled_from(["implemented", "partial", "missing"]),
       checked=st.integers(1, 12), bad=st.integers(0, 12), qualified=st.integers(0, 10),
       uncovered=st.booleans(), clause=st.sampled_from(["5.1.1.2", "5.1.2.1", "5.3.2", "5.2.5"]))
def test_never_implemented_beside_a_nonconformity(catalogue, status, checked, bad, qualified, uncovered, clause):
    """Whatever the evidence, 已落实 is shown only with full credit and no nonconformity anywhere:
    no self-assessed partial or missing, no nonconforming sample, no fact short of the requirement."""
    data = perfect()
    data["readiness"]["self_assessment"][clause]["status"] = status
    sampled = catalogue[clause].sampled
    if sampled:
        bad = min(bad, checked)
        if status == "partial":
            bad = max(bad, 1)  # a partial with every sample conforming is refused (the samples disagree)
        if status == "missing":
            bad = checked  # likewise a missing with conforming samples
        samples(clause, checked, bad)(data)
    technicians(10, qualified)(data)
    if uncovered:
        regions("浙江省")(data)
    line = scored(Profile.model_validate(data), catalogue).line(clause)
    fact_short = (clause == "5.1.2.1" and qualified < 10) or (clause == "5.1.1.2" and uncovered)
    nonconformity = status != "implemented" or (sampled and bad > 0) or fact_short
    assert (line.status.id == "implemented") == (not nonconformity)
    assert (line.lost > 0) == nonconformity
    if status == "missing" or line.earned == 0:
        assert line.status.id == ("partial" if status == "partial" else "missing")
    if line.lost:
        assert any(r in line.basis for r in REASONS), line.basis


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LEAVES), st.sampled_from(["partial", "missing"])), max_size=6),
       st.integers(0, 6), st.integers(0, 3))
def test_a_path_reaches_its_level_exactly(catalogue, changes, n_deductions, n_samples_bad):
    """Whatever the gaps, a path said to reach a level does, computed exactly: the score plus the
    exact points of its actions reaches the threshold, and the note's score gives that level."""
    data = perfect()
    for cid, status in changes:
        data["readiness"]["self_assessment"][cid]["status"] = status
    status = data["readiness"]["self_assessment"]["5.3.2"]["status"]  # samples that agree with it
    bad = {"implemented": n_samples_bad, "partial": max(n_samples_bad, 1), "missing": 7}[status]
    samples("5.3.2", 7, bad)(data)  # sevenths of 13 points: not whole hundredths
    deductions(n_deductions)(data)
    profile = Profile.model_validate(data)
    a = scored(profile, catalogue)
    _, paths = plan(profile, catalogue, a, facts_of(profile, catalogue))
    for path in paths:
        if not path.reachable or not path.actions:
            continue
        threshold = next(Fraction(str(l.min)) for l in catalogue.scoring.levels if l.name == path.level)
        after = min(Fraction(100), a.score_exact + sum((t.gain for t in path.actions), Fraction(0)))
        left = a.deductions - sum(1 for t in path.actions if t.deduction)
        assert after >= threshold and left < catalogue.scoring.special_deduction.fail_at
        assert path.note.endswith(level_for(after, left, catalogue)[0])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LEAVES), st.sampled_from(["partial", "missing", "unanswered"])), max_size=8),
       st.integers(0, 6), st.integers(0, 2), st.booleans())
def test_every_point_lost_is_explained(catalogue, changes, n_deductions, n_bonuses, exclude):
    """The 失分说明 rows add up exactly to 100 − the score, and every line that loses points says why."""
    data = perfect()
    for cid, status in changes:
        if status == "unanswered":
            data["readiness"]["self_assessment"].pop(cid, None)
        elif cid in data["readiness"]["self_assessment"]:
            data["readiness"]["self_assessment"][cid]["status"] = status
    deductions(n_deductions)(data)
    bonuses(n_bonuses)(data)
    if exclude:
        no_service("take_back")(data)
    a = scored(Profile.model_validate(data), catalogue)
    assert sum(value for _, value in a.losses) == 100 - a.score_exact
    for line in a.lines:
        if not line.excluded and line.earned_exact < line.points:
            assert any(r in line.basis for r in REASONS), (line.clause.id, line.basis)


@pytest.mark.parametrize("entry,words", [
    ('{status: partial, samples: {checked: 10, nonconforming: 0}}', "自评为部分落实，但抽查的 10 个样本均符合"),
    ('{status: missing, samples: {checked: 10, nonconforming: 3}}', "自评为未落实，但抽查的 10 个样本中有 7 个符合"),
])
def test_a_status_the_samples_contradict_is_a_located_error(tmp_path, catalogue, entry, words):
    """On a sampled clause the samples measure it; a status that says otherwise is asked about, not guessed."""
    old = '"5.3.2": {status: implemented, evidence: 投诉登记处理表、投诉月度分析}'
    text, problems = problems_after(tmp_path, catalogue, old, f'"5.3.2": {entry}')
    (problem,) = problems
    assert words in problem.message and problem.key_path == "readiness.self_assessment.5.3.2"
    assert problem.line == text.splitlines().index(f'    "5.3.2": {entry}') + 1


def test_sampled_lines_say_what_the_samples_and_the_status_say(catalogue):
    data = perfect()
    samples("5.3.1", 10, 2)(data)  # self-assessed implemented, two samples bad
    partial("5.2.4")(data)  # sampled, but no samples given
    a = scored(Profile.model_validate(data), catalogue)
    assert a.line("5.3.1").basis.startswith("自评已落实，但抽查 10 个样本，2 个不符合，按不合格样本比例扣分，得该项分值的 80%；档案：")
    assert a.line("5.3.1").status.id == "partial" and a.line("5.3.1").earned == 9.6
    assert "未填写抽样结果，按存在不符合扣除该项全部分值（填写 samples 后按不合格样本比例扣分）" in a.line("5.2.4").basis
