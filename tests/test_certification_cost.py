"""Certification cost and surveillance timing (issue #14, items 4 and 5).

Every expected number here is worked out by hand from the published rules, not from the code:

- 收费标准 (reference §4, seed 004): 申请费 1,000, 审定与注册费 2,000, 年金 2,000 a year,
  评审费 3,000 per person-day; person-days by headcount band, the last band 8,501–10,700.
- Outlets are sampled (seed 000: "评审时会对网点进行抽样"): ⌈√n⌉ at the initial audit, ⌈0.6√n⌉ at
  surveillance, ⌈0.8√n⌉ at recertification (IAF MD 1 6.1), 0.5 person-day per sampled outlet (10100).
- Surveillance (seed 003): about every 9–10 months, 1–2 months earlier or later, at least once in
  each certificate year; the certificate runs 3 years.
"""
from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import docx
import pytest

from conftest import HUALAN, ROOT, all_text
from generator.build import make_bundle
from generator.certification import ceil_sqrt, load_scheme, load_tariffs, plan_certification
from generator.errors import CatalogueError
from generator.profile import load_profile


@pytest.fixture(scope="module")
def hualan():
    return load_profile(HUALAN)  # 860 staff, 6 outlets, applying 2026-12-15


def variant(profile, employees: int, outlets: int):
    one = profile.resources.outlets[0]
    return profile.model_copy(update={
        "company": profile.company.model_copy(update={"employees": employees}),
        "resources": profile.resources.model_copy(update={"outlets": [one] * outlets})})


def costs(plan) -> dict[str, tuple[str, str, str]]:
    return {c.label: (c.days_text, c.amount_text, c.detail) for c in plan.costs}


# --- outlets are sampled ---------------------------------------------------------------------------
# n, then (sampled outlets, person-days, 元) for the initial audit, each surveillance, recertification
SAMPLES = {
    # ⌈√1⌉ = ⌈0.6⌉ = ⌈0.8⌉ = 1 outlet, 0.5 person-day, 1,500 元
    1: ((1, "0.5", "1,500"), (1, "0.5", "1,500"), (1, "0.5", "1,500")),
    # √300 = 17.32 → 18 (17² = 289 < 300 ≤ 324); 0.36 × 300 = 108 → 11 (100 < 108 ≤ 121);
    # 0.64 × 300 = 192 → 14 (169 < 192 ≤ 196)
    300: ((18, "9", "27,000"), (11, "5.5", "16,500"), (14, "7", "21,000")),
    # √3000 = 54.77 → 55 (2,916 < 3,000 ≤ 3,025); 0.36 × 3,000 = 1,080 → 33 (1,024 < 1,080 ≤ 1,089);
    # 0.64 × 3,000 = 1,920 → 44 (1,849 < 1,920 ≤ 1,936)
    3000: ((55, "27.5", "82,500"), (33, "16.5", "49,500"), (44, "22", "66,000")),
}


@pytest.mark.parametrize("outlets", sorted(SAMPLES))
def test_outlets_are_sampled_not_all_audited(hualan, outlets):
    plan = plan_certification(variant(hualan, 1200, outlets))
    table = costs(plan)
    for (size, days, amount), stage, rule in zip(SAMPLES[outlets], ("初次认证", "每年监督评审", "再认证（复评）"),
                                                 (f"√{outlets}", f"0.6×√{outlets}", f"0.8×√{outlets}")):
        got_days, got_amount, detail = table[f"{stage}：网点抽查（估算）"]
        assert (got_days, got_amount) == (days, amount), stage
        assert f"抽查 {size} 个网点（{rule} 向上取整" in detail and "× 0.5 人日" in detail and "估算" in detail


def test_three_hundred_outlets_no_longer_add_150_person_days(hualan):
    plan = plan_certification(variant(hualan, 1200, 300))
    # 1,200 staff: 16 person-days (band 1,176–1,550) + 18 sampled outlets × 0.5 = 25; 53,000 + 27,000
    assert costs(plan)["初次认证合计"][:2] == ("25", "80,000")
    assert costs(plan)["每年监督评审合计"][:2] == ("11", "35,000")  # 5.5 + 5.5; 18,500 + 16,500
    assert costs(plan)["再认证（复评）合计"][:2] == ("17", "53,000")  # 10 + 7; 32,000 + 21,000


def test_the_sample_size_is_exact_at_perfect_squares():
    assert [ceil_sqrt(n) for n in (1, 2, 288, 289, 290, 3000, 3025)] == [1, 2, 17, 17, 18, 55, 55]
    from fractions import Fraction
    assert ceil_sqrt(Fraction(9, 25) * 25) == 3  # 0.6 × √25 = 3 exactly, not 4


def test_the_sampling_rule_lives_in_the_tariff_data():
    tariff = next(t for t in load_tariffs() if t.default)
    m = tariff.multi_site
    assert (m.days_per_outlet, m.factors.initial, m.factors.surveillance, m.factors.recert) == (0.5, 1, 0.6, 0.8)
    assert m.evidence == "估算" and "IAF MD 1" in m.basis and "seed 000" in m.source


def test_without_outlets_each_stage_is_one_row(hualan):
    plan = plan_certification(variant(hualan, 1200, 0))  # the profile asks for one, the plan does not
    assert [(c.label, c.days_text, c.amount_text) for c in plan.costs] == [
        ("初次认证", "16", "53,000"), ("每年监督评审", "5.5", "18,500"), ("再认证（复评）", "10", "32,000")]


# --- the headcount band, apart from the outlets ----------------------------------------------------
def test_seed_004_worked_example_1200_staff_is_53000(hualan):
    plan = plan_certification(variant(hualan, 1200, 300))
    days, amount, detail = costs(plan)["初次认证：人数档"]
    assert (days, amount) == ("16", "53,000")  # 16 × 3,000 = 48,000 + 1,000 + 2,000 + 2,000
    assert detail == ("1,176–1,550 人档：评审 16 人日 × 3,000 = 48,000，加申请费 1,000、审定与注册费 2,000、"
                      "首年年金 2,000，共 53,000")
    assert costs(plan)["每年监督评审：人数档"][:2] == ("5.5", "18,500")  # 5.5 × 3,000 + 2,000
    assert costs(plan)["再认证（复评）：人数档"][:2] == ("10", "32,000")  # 10 × 3,000 + 2,000


@pytest.mark.parametrize("employees, band", [(10, "1–10"), (11, "11–25"), (1175, "876–1,175"),
                                             (1176, "1,176–1,550"), (10700, "8,501–10,700")])
def test_band_edges(hualan, employees, band):
    plan = plan_certification(variant(hualan, employees, 6))
    assert plan.band.text == f"{band} 人档" and not plan.beyond


# --- above the table ------------------------------------------------------------------------------
def test_20000_staff_is_not_priced_from_the_table(hualan):
    plan = plan_certification(variant(hualan, 20000, 300))
    assert plan.beyond and plan.days is None
    table = costs(plan)
    for stage in ("初次认证", "每年监督评审", "再认证（复评）"):
        assert table[f"{stage}：人数档"][:2] == ("待核定", "待报价")
        assert table[f"{stage}合计"][:2] == ("待核定", "待报价")
        assert "超出表中最高一档（8,501–10,700 人）" in table[f"{stage}：人数档"][2]
    # lower bounds, labelled: the largest days the table lists (initial 25, surveillance 8.5, recert 15)
    assert "不少于 25 × 3,000 = 75,000，加申请费 1,000、审定与注册费 2,000、首年年金 2,000，不少于 80,000" \
        in table["初次认证：人数档"][2]
    assert "下限：不少于 34 人日、107,000" in table["初次认证合计"][2]  # 25 + 9; 80,000 + 27,000
    assert "不少于 8.5 × 3,000 = 25,500，加年金 2,000，不少于 27,500" in table["每年监督评审：人数档"][2]
    assert "不少于 15 × 3,000 = 45,000，加审定与注册费 2,000，不少于 47,000" in table["再认证（复评）：人数档"][2]
    # the outlets are still estimated
    assert table["初次认证：网点抽查（估算）"][:2] == ("9", "27,000")


def test_10701_staff_is_above_the_table(hualan):
    assert plan_certification(variant(hualan, 10701, 6)).beyond


def test_missing_recert_days_of_the_last_band_are_quoted(hualan):
    plan = plan_certification(variant(hualan, 9000, 6))
    days, amount, detail = costs(plan)["再认证（复评）：人数档"]
    assert (days, amount) == ("待核定", "待报价")
    assert "8,501–10,700 人档的再认证（复评）人日缺失" in detail and "不少于 47,000" in detail  # 15 × 3,000 + 2,000


@pytest.fixture(scope="module")
def big_company(tmp_path_factory):
    """20,000 staff and 300 outlets, built like any profile."""
    text = HUALAN.read_text(encoding="utf-8").replace("employees: 860", "employees: 20000")
    start = text.index("  outlets:\n") + len("  outlets:\n")
    end = text.index("  hotline:")
    outlets = "".join(f"    - {{name: 华澜电器第{i}服务站, province: 广东省, city: 佛山市, address: 兴业路 {i} 号, "
                      f"mode: 委托, staff: 4}}\n" for i in range(1, 301))
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(text[:start] + outlets + text[end:], encoding="utf-8")
    return make_bundle(path)


def test_documents_above_the_table_never_name_a_band(big_company):
    plan = next(d for d in big_company.documents if d.key == "plan").markdown
    form = all_text(docx.Document(io.BytesIO(big_company.docx["02-认证申请书.docx"])))
    checklist = all_text(docx.Document(io.BytesIO(big_company.docx["03-申请材料清单.docx"])))
    for text in (plan, form, checklist):
        assert "以下档" not in text and "10700" not in text and "属 8,501" not in text
        assert ("员工 20,000 人。《商品售后服务评价体系认证收费标准及人日数对照表（试行）》（全国商品售后服务评价达标认证评审委员会，"
                "试行）只列到 10,700 人（最高一档 8,501–10,700 人），不覆盖这一人数：初次评审、监督评审和复评的人日由认证机构核定并报价。"
                ) in text
        assert "共 300 个服务网点" in text and "初次评审抽查 18 个（√300 向上取整）" in text


def test_no_template_prints_an_upper_limit_as_the_band():
    for template in (ROOT / "content" / "documents").rglob("*.j2"):
        assert "人以下档" not in template.read_text(encoding="utf-8"), template.name


def test_the_form_shows_the_band_apart_from_the_outlets():
    bundle = make_bundle(HUALAN)
    form = docx.Document(io.BytesIO(bundle.docx["02-认证申请书.docx"]))
    text = all_text(form)
    assert "员工 860 人，按《商品售后服务评价体系认证收费标准及人日数对照表（试行）》" in text
    assert "属 626–875 人档：初次评审 13.5 人日（策划及文件评审 1.5，现场 12）" in text
    assert "初次评审抽查 3 个（√6 向上取整）、每次监督评审抽查 2 个（0.6×√6 向上取整）、复评抽查 2 个（0.8×√6 向上取整）" in text


# --- surveillance windows -------------------------------------------------------------------------
def test_surveillance_is_a_window_in_each_certificate_year(hualan):
    plan = plan_certification(hualan)
    stones = {m.label: m for m in plan.milestones}
    # applied 2026-12-15, decision 75 days later: 16 days of December + 31 + 28 = 2027-02-28
    assert stones["评定发证"].end == plan.issued == dt.date(2027, 2, 28)
    first, second, recert = stones["第 1 次监督评审"], stones["第 2 次监督评审"], stones["再认证（复评）"]
    # 1st: 9 − 2 = 7 months → 2027-09-28; 10 + 2 = 12 months is the anniversary, so the day before it
    assert (first.start, first.end) == (dt.date(2027, 9, 28), dt.date(2028, 2, 27))
    # 2nd: 18 − 2 = 16 months → 2028-06-28; 20 + 2 = 22 months → 2028-12-28 (inside the second year)
    assert (second.start, second.end) == (dt.date(2028, 6, 28), dt.date(2028, 12, 28))
    # certificate 3 years: to 2030-02-27; recertification applied 3 months before (month 33)
    assert plan.expiry == dt.date(2030, 2, 27)
    assert (recert.start, recert.end) == (dt.date(2029, 11, 28), dt.date(2030, 2, 27))
    assert "时间窗：通常在发证后第 9–10 个月，可提前或推后 1–2 个月，须在证书第 1 年内完成" in first.note
    assert "通常在发证后第 18–20 个月" in second.note and "须在证书第 2 年内完成" in second.note
    assert "5 人日 + 网点抽查 1 人日（估算）" in first.note  # 626–875: 5; ⌈0.6√6⌉ = 2 outlets × 0.5
    assert "证书 3 年有效（至 2030-02-27）" in recert.note and "9 人日 + 网点抽查 1 人日（估算）" in recert.note


def months_after(day: dt.date, months: int) -> dt.date:  # the days used here exist in every month
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


@pytest.mark.parametrize("applied, issued", [("2026-12-15", dt.date(2027, 2, 28)), ("2027-01-31", dt.date(2027, 4, 16)),
                                             ("2027-06-30", dt.date(2027, 9, 13)), ("2027-11-30", dt.date(2028, 2, 13))])
def test_windows_keep_the_scheme_rules(tmp_path, applied, issued):
    text = HUALAN.read_text(encoding="utf-8").replace("planned_application: 2026-12-15", f"planned_application: {applied}")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    plan = plan_certification(load_profile(path))
    assert plan.issued == issued  # 75 days after applying
    windows = [m for m in plan.milestones if "监督评审" in m.label]
    assert len(windows) == 2  # years 1 and 2; year 3 is the recertification
    for k, window in enumerate(windows, 1):
        # inside certificate year k (at least one surveillance a year) ...
        assert months_after(issued, 12 * (k - 1)) <= window.start < window.end < months_after(issued, 12 * k)
        # ... holding the usual months 9k–10k, widened by up to 2 months either way
        assert window.start == months_after(issued, 9 * k - 2)
        assert window.start < months_after(issued, 9 * k) < months_after(issued, 10 * k) <= window.end
        assert window.end <= months_after(issued, 10 * k + 2)
    recert = plan.milestones[-1]
    assert plan.expiry == months_after(issued, 36) - dt.timedelta(days=1)
    assert windows[-1].end < recert.start == months_after(issued, 33) < recert.end == plan.expiry


def test_the_plan_says_the_dates_are_windows():
    plan = next(d for d in make_bundle(HUALAN).documents if d.key == "plan").markdown
    assert ("按计划于2027年2月28日发证，证书 3 年有效（至2030年2月27日），3 年内每年至少进行一次现场监督评审。"
            "监督评审大约 9–10 个月一个周期，可提前或推后 1–2 个月，因此下表中每次监督评审的“开始”和“完成”是时间窗") in plan
    assert "| 第 1 次监督评审 | 2027-09-28 | 2028-02-27 |" in plan


def test_the_timing_lives_in_the_scheme_data():
    s = load_scheme().surveillance
    assert (s.count, s.cycle_months, s.leeway_months) == (2, (9, 10), (1, 2))
    assert "seed 003" in s.source and s.evidence == "[S]"


# --- the data are checked -------------------------------------------------------------------------
@pytest.mark.parametrize("old, new, message", [
    ("recert: 15, recert_onsite: 14", "recert: 13, recert_onsite: 14", "recert 人日应随员工数不减"),
    ("surveillance: 0.6,", "surveillance: 1.6,", "multi_site.factors 应在 0 到 1 之间"),
    ("{max: 25,", "{max: 5,", "升序"),
])
def test_bad_tariff_data_is_refused(tmp_path, old, new, message):
    folder = tmp_path / "standard"
    shutil.copytree(ROOT / "content" / "standard", folder)
    text = (folder / "tariffs.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    (folder / "tariffs.yaml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(CatalogueError, match=message):
        load_tariffs(Path(folder))
