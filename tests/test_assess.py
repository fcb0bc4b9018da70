"""Scoring by the standard's method, checked against hand calculations."""
from __future__ import annotations

import datetime as dt

import pytest

from assessed import scored
from conftest import HUALAN, QIHENG, YUNXUAN, standard_with
from generator.assess.facts import facts_of
from generator.assess.gaps import plan
from generator.assess.materials import material_lines
from generator.assess.numbers import shown
from generator.profile.validation import load_profile
from generator.standard.catalogue import load_catalogue


def load_text(tmp_path, text, catalogue):
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    return load_profile(path, catalogue)


def test_catalogue_points_add_up(catalogue):
    leaves = catalogue.leaves()
    assert len(leaves) == 21
    assert sum(c.points for c in leaves) == 100
    assert [c.points for c in catalogue.indicators(2)] == [40, 35, 25]
    assert catalogue["5.1.2.2"].points == 5 and not catalogue["5.1.2.2"].provisional
    assert catalogue["5.1.1.1"].provisional


def test_home_appliance_score_by_hand(catalogue):
    a = scored(load_profile(HUALAN, catalogue), catalogue)
    # 24 service managers -> ceil(2.4) = 3 certified managers needed, 2 held: 5 × 2/3
    assert a.line("5.1.2.2").earned == pytest.approx(3.33)
    # 6 sales regions, Zhejiang without an outlet: 3 × 5/6
    assert a.line("5.1.1.2").earned == 2.5
    assert "浙江省" in a.line("5.1.1.2").basis
    # 88 of 92 technicians qualified: 4 × 88/92
    assert a.line("5.1.2.1").earned == pytest.approx(3.83)
    # two self-assessed partial items: a qualitative item's nonconformity loses its whole value
    assert a.line("5.1.5.2").earned == 0 and a.line("5.2.6").earned == 0
    assert a.line("5.1.5.2").status.id == a.line("5.2.6").status.id == "partial"
    assert a.applicable_total == 100
    # 100 − 5/3 − 1/2 − 16/92 − 2 − 3 = 92.6594…, + 1 special bonus = 93.6594… → 93.66
    assert a.earned_total == 92.66
    assert a.score == 93.66 and a.level == "四星"
    assert a.next_level == ("五星", 1.35)  # 95 − 93.6594… = 1.3405…, rounded up
    assert a.without_bonus == (92.66, "四星")  # the disputed bonus, not counted


def test_exclusions_are_normalised(catalogue):
    a = scored(load_profile(QIHENG, catalogue), catalogue)
    assert {l.clause.id for l in a.excluded} == {"5.2.3", "5.2.6"}
    assert a.applicable_total == 100 - 6 - 3
    earned = sum(l.earned_exact for l in a.lines)
    assert a.normalised == shown(earned / 91 * 100, [95, 90, 80, 70])
    # the unanswered 5.1.1.2 is decided by the profile: one of three regions has an outlet, the
    # other two are served remotely (company.region_service), as the clause allows "按需要"
    assert a.line("5.1.1.2").earned == 3 and "远程：上海市、安徽省" in a.line("5.1.1.2").basis


def test_special_deduction_costs_a_point_and_unanswered_clause_scores_zero(catalogue):
    a = scored(load_profile(YUNXUAN, catalogue), catalogue)
    assert a.deductions == 1
    assert a.score == pytest.approx(a.normalised - 1)
    assert a.line("5.1.2.2").earned == 0  # no certified manager
    assert a.level == "不通过"
    assert a.next_level == ("达标", pytest.approx(70 - a.score))


def test_five_special_deductions_fail_whatever_the_score(tmp_path, catalogue):
    finding = "    - {kind: 法律法规, finding: 抽查发现问题}\n"
    text = HUALAN.read_text(encoding="utf-8").replace(
        "  special_deductions: []\n", "  special_deductions:\n" + finding * 5)
    a = scored(load_text(tmp_path, text, catalogue), catalogue)
    assert a.score >= 80  # three stars by the score alone
    assert a.level == "不通过"
    assert "5 项" in a.level_note


def test_missing_self_assessment_is_no_evidence(tmp_path, catalogue):
    text = HUALAN.read_text(encoding="utf-8").replace(
        '    "5.3.2": {status: implemented, evidence: 投诉登记处理表、投诉月度分析}\n', "")
    a = scored(load_text(tmp_path, text, catalogue), catalogue)
    assert a.line("5.3.2").earned == 0
    assert a.line("5.3.2").status.id == "no_evidence"
    assert a.gaps[0].clause.id == "5.3.2"  # 13 points: the largest gap comes first


@pytest.mark.parametrize("managers,needed", [(1, 1), (9, 1), (10, 1), (11, 2), (24, 3), (100, 10)])
def test_manager_requirement(tmp_path, catalogue, managers, needed):
    text = HUALAN.read_text(encoding="utf-8").replace(
        "service_management_staff: 24", f"service_management_staff: {managers}").replace(
        "  certified_managers:\n    - {name: 周丽娟, certificate_no: SHGLS-2024-044021, position: 客户服务部经理}\n"
        "    - {name: 林晓敏, certificate_no: SHGLS-2024-044022, position: 客户服务部副经理}\n",
        "  certified_managers: []\n")
    assert facts_of(load_text(tmp_path, text, catalogue), catalogue).required_managers == needed


def test_levels_follow_thresholds_from_data(catalogue):
    names = [(l.name, l.min) for l in catalogue.scoring.levels]
    assert names == [("五星", 95), ("四星", 90), ("三星", 80), ("达标", 70)]


def test_year_at_dabiao_rule_is_a_data_switch(tmp_path, catalogue):
    strict = load_catalogue(standard_with(tmp_path, "scoring.yaml", "star_requires_year_at_dabiao: false",
                                          "star_requires_year_at_dabiao: true"))
    text = HUALAN.read_text(encoding="utf-8")
    for clause in ("5.1.5.2", "5.2.6"):  # the two partial items put right: a five-star score
        text = text.replace(f'"{clause}": {{status: partial', f'"{clause}": {{status: implemented')
    a = scored(load_text(tmp_path, text, strict), strict)
    assert a.score > 95 and a.level == "达标"
    assert "一年" in a.level_note


def test_a_dabiao_certificate_of_29_february_is_a_year_old_on_28_february(tmp_path):
    """The one-year rule counts from a leap day without failing (found in review: it raised ValueError)."""
    strict = load_catalogue(standard_with(tmp_path, "scoring.yaml", "star_requires_year_at_dabiao: false",
                                          "star_requires_year_at_dabiao: true"))
    text = HUALAN.read_text(encoding="utf-8")
    assert "certification:\n" in text
    text = text.replace("certification:\n", "certification:\n  dabiao_certified_on: 2024-02-29\n", 1)
    a = scored(load_text(tmp_path, text, strict), strict)
    assert a.level == "四星"  # 2024-02-29 + 1 year = 2025-02-28, before the planned application in 2026



def test_an_action_and_a_material_fall_back_to_the_same_owner_and_due(tmp_path, catalogue):
    """Who fixes a gap and who prepares a missing material, and by when: as the profile says, else the
    after-sales lead by the default due date, by the one rule (Facts.owner_and_due)."""
    text = HUALAN.read_text(encoding="utf-8")
    for was, now in (('"5.1.5.2": {status: partial,', '"5.1.5.2": {status: partial, owner: 王五, due: 2026-10-01,'),
                     ("    M20: {status: missing,", "    M20: {status: missing, owner: 赵六, due: 2026-09-01,")):
        assert was in text
        text = text.replace(was, now)
    profile = load_text(tmp_path, text, catalogue)
    facts = facts_of(profile, catalogue)
    assert facts.owner_and_due(None) == ("周丽娟", facts.default_due)  # the after-sales lead
    todo, _ = plan(profile, catalogue, scored(profile, catalogue), facts)
    owners = {action.key: (action.owner, action.due) for action in todo}
    assert owners["5.1.5.2"] == ("王五", dt.date(2026, 10, 1))
    assert owners["5.2.6"] == ("周丽娟", facts.default_due)
    m20 = next(line for line in material_lines(profile, catalogue, facts) if line.material.id == "M20")
    assert (m20.status.id, m20.owner, m20.due) == ("missing", "赵六", dt.date(2026, 9, 1))
