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

import docx
import pytest

from conftest import HUALAN, ROOT, all_text, standard_with
from generator.build import make_bundle
from generator.assess.certification import plan_certification
from generator.assess.facts import facts_of
from generator.assess.gaps import plan as gap_plan
from generator.assess.materials import material_lines
from generator.assess.score import assess
from generator.render.documents import render_documents
from generator.assess.fees import ceil_sqrt
from generator.standard.catalogue import load_catalogue
from generator.standard.scheme import load_scheme, load_tariffs
from generator.errors import CatalogueError
from generator.profile.validation import load_profile


@pytest.fixture(scope="module")
def hualan():
    return load_profile(HUALAN)  # 860 staff, 6 outlets, applying 2026-12-15


def planned(profile):
    """The certification plan for a profile, from its facts as the build works them out."""
    catalogue = load_catalogue()
    return plan_certification(profile, catalogue, facts_of(profile, catalogue))


def plan_page(profile) -> str:
    """The plan page's Markdown for a profile, rendered as the build renders it."""
    catalogue = load_catalogue()
    facts = facts_of(profile, catalogue)
    assessment = assess(profile, catalogue, facts)
    todo, routes = gap_plan(profile, catalogue, assessment, facts)
    documents = render_documents(profile, catalogue, assessment, todo, routes, material_lines(profile, catalogue, facts),
                                 None, plan_certification(profile, catalogue, facts), facts=facts)
    return next(d.markdown for d in documents if d.key == "plan")


def note(page: str, step: str) -> str:
    """What the plan page's timeline says beside a step."""
    row = next(line for line in page.splitlines() if line.startswith(f"| {step} |"))
    return row.split(" | ")[3].removesuffix(" |")


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
    # √2 = 1.41 → 2, all of them; 0.36 × 2 = 0.72 → 1; 0.64 × 2 = 1.28 → 2, all of them
    2: ((2, "1", "3,000"), (1, "0.5", "1,500"), (2, "1", "3,000")),
    # √300 = 17.32 → 18 (17² = 289 < 300 ≤ 324); 0.36 × 300 = 108 → 11 (100 < 108 ≤ 121);
    # 0.64 × 300 = 192 → 14 (169 < 192 ≤ 196)
    300: ((18, "9", "27,000"), (11, "5.5", "16,500"), (14, "7", "21,000")),
    # √3000 = 54.77 → 55 (2,916 < 3,000 ≤ 3,025); 0.36 × 3,000 = 1,080 → 33 (1,024 < 1,080 ≤ 1,089);
    # 0.64 × 3,000 = 1,920 → 44 (1,849 < 1,920 ≤ 1,936)
    3000: ((55, "27.5", "82,500"), (33, "16.5", "49,500"), (44, "22", "66,000")),
}


@pytest.mark.parametrize("outlets", sorted(SAMPLES))
def test_outlets_are_sampled_not_all_audited(hualan, outlets):
    plan = planned(variant(hualan, 1200, outlets))
    table = costs(plan)
    for (size, days, amount), stage, rule in zip(SAMPLES[outlets], ("初次认证", "每年监督评审", "再认证（复评）"),
                                                 (f"√{outlets}", f"0.6×√{outlets}", f"0.8×√{outlets}")):
        got_days, got_amount, detail = table[f"{stage}：网点抽查（估算）"]
        assert (got_days, got_amount) == (days, amount), stage
        assert f"抽查 {size} 个网点（{rule} 向上取整" in detail and "× 0.5 人日" in detail and "估算" in detail


def test_one_outlet_is_audited_not_sampled(hualan):
    # ⌈√1⌉ = ⌈0.6⌉ = ⌈0.8⌉ = 1: the one outlet at every audit, 0.5 person-day, 1,500 元; "√1 向上取整" and
    # "抽查" (sampling) would read oddly for a single outlet
    table = costs(planned(variant(hualan, 1200, 1)))
    for stage in ("初次认证", "每年监督评审", "再认证（复评）"):
        days, amount, detail = table[f"{stage}：网点评审（估算）"]
        assert (days, amount) == ("0.5", "1,500")
        assert detail == "评审唯一的 1 个网点 × 0.5 人日 = 0.5 人日 × 3,000 = 1,500，估算"
    assert table["初次认证合计"] == ("16.5", "54,500", "人数档 53,000 + 网点评审 1,500（估算）")
    assert not any("√1" in detail or "抽查" in detail for _, _, detail in table.values())


def test_three_hundred_outlets_no_longer_add_150_person_days(hualan):
    plan = planned(variant(hualan, 1200, 300))
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
    plan = planned(variant(hualan, 1200, 0))  # the profile asks for one, the plan does not
    assert [(c.label, c.days_text, c.amount_text) for c in plan.costs] == [
        ("初次认证", "16", "53,000"), ("每年监督评审", "5.5", "18,500"), ("再认证（复评）", "10", "32,000")]


# --- the headcount band, apart from the outlets ----------------------------------------------------
def test_seed_004_worked_example_1200_staff_is_53000(hualan):
    plan = planned(variant(hualan, 1200, 300))
    days, amount, detail = costs(plan)["初次认证：人数档"]
    assert (days, amount) == ("16", "53,000")  # 16 × 3,000 = 48,000 + 1,000 + 2,000 + 2,000
    assert detail == ("1,176–1,550 人档：评审 16 人日 × 3,000 = 48,000，加申请费 1,000、审定与注册费 2,000、"
                      "首年年金 2,000，共 53,000")
    assert costs(plan)["每年监督评审：人数档"][:2] == ("5.5", "18,500")  # 5.5 × 3,000 + 2,000
    assert costs(plan)["再认证（复评）：人数档"][:2] == ("10", "32,000")  # 10 × 3,000 + 2,000


@pytest.mark.parametrize("employees, band", [(10, "1–10"), (11, "11–25"), (1175, "876–1,175"),
                                             (1176, "1,176–1,550"), (10700, "8,501–10,700")])
def test_band_edges(hualan, employees, band):
    plan = planned(variant(hualan, employees, 6))
    assert plan.band.text == f"{band} 人档" and not plan.beyond


# --- above the table ------------------------------------------------------------------------------
def test_20000_staff_is_not_priced_from_the_table(hualan):
    plan = planned(variant(hualan, 20000, 300))
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
    assert planned(variant(hualan, 10701, 6)).beyond


def test_missing_recert_days_of_the_last_band_are_quoted(hualan):
    plan = planned(variant(hualan, 9000, 6))
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
        assert ("员工 20,000 人。全国商品售后服务评价达标认证评审委员会《商品售后服务评价体系认证收费标准及人日数对照表（试行）》"
                "只列到 10,700 人（最高一档 8,501–10,700 人），不覆盖这一人数：初次评审、监督评审和复评的人日由认证机构核定并报价。"
                ) in text
        assert "共 300 个服务网点" in text and "初次评审抽查 18 个（√300 向上取整）" in text


def test_no_template_prints_an_upper_limit_as_the_band():
    for template in (ROOT / "content" / "documents").rglob("*.j2"):
        assert "人以下档" not in template.read_text(encoding="utf-8"), template.name


def test_the_form_shows_the_band_apart_from_the_outlets():
    bundle = make_bundle(HUALAN)
    form = docx.Document(io.BytesIO(bundle.docx["02-认证申请书.docx"]))
    text = all_text(form)
    assert ("员工 860 人，按全国商品售后服务评价达标认证评审委员会《商品售后服务评价体系认证收费标准及人日数对照表（试行）》，"
            "属 626–875 人档：初次评审 13.5 人日（策划及文件评审 1.5，现场 12）") in text
    assert "初次评审抽查 3 个（√6 向上取整）、每次监督评审抽查 2 个（0.6×√6 向上取整）、复评抽查 2 个（0.8×√6 向上取整）" in text


# --- surveillance windows -------------------------------------------------------------------------
def test_surveillance_is_a_window_in_each_certificate_year(hualan):
    plan = planned(hualan)
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
    page = plan_page(hualan)
    # 626–875: 5 person-days; ⌈0.6√6⌉ = 2 outlets × 0.5
    assert note(page, "第 1 次监督评审") == "通常在发证后第 9–10 个月；5 人日 + 网点抽查 1 人日（估算）；此前备齐年度记录"
    assert note(page, "第 2 次监督评审").startswith("通常在发证后第 18–20 个月；")
    assert note(page, "再认证（复评）") == "到期前 3 个月申请复评；9 人日 + 网点抽查 1 人日（估算）"
    # the window, the certificate's years and its expiry are said once, in the paragraph above the table
    assert page.count("可提前或推后 1–2 个月") == 1 and page.count("3 年有效") == 1
    assert "证书 3 年有效（至2030年2月27日）" in page and "2030-02-27）" not in page


def months_after(day: dt.date, months: int) -> dt.date:  # the days used here exist in every month
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


@pytest.mark.parametrize("applied, issued", [("2026-12-15", dt.date(2027, 2, 28)), ("2027-01-31", dt.date(2027, 4, 16)),
                                             ("2027-06-30", dt.date(2027, 9, 13)), ("2027-11-30", dt.date(2028, 2, 13))])
def test_windows_keep_the_scheme_rules(tmp_path, applied, issued):
    text = HUALAN.read_text(encoding="utf-8").replace("planned_application: 2026-12-15", f"planned_application: {applied}")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    plan = planned(load_profile(path))
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


# --- how the plan reads -----------------------------------------------------------------------------
def test_the_tariff_is_cited_once_with_its_status_said_once(hualan):
    form = all_text(docx.Document(io.BytesIO(make_bundle(HUALAN).docx["02-认证申请书.docx"])))
    (sentence,) = [line for line in form.splitlines() if line.startswith("员工 860 人")]
    assert sentence.startswith("员工 860 人，按全国商品售后服务评价达标认证评审委员会"
                               "《商品售后服务评价体系认证收费标准及人日数对照表（试行）》，属 626–875 人档：")
    assert sentence.count("试行") == 1  # was 《…（试行）》（…，试行）
    tariff = planned(hualan).tariff  # a title that does not say its status gets it once, after it
    assert tariff.model_copy(update={"title": "某收费标准", "status": "暂行"}).cited == \
        "全国商品售后服务评价达标认证评审委员会《某收费标准》（暂行）"


@pytest.fixture(scope="module")
def last_band_one_outlet(tmp_path_factory):
    """10,700 staff (the table's last band: recertification days missing, values uncertain) and one outlet."""
    text = HUALAN.read_text(encoding="utf-8").replace("employees: 860", "employees: 10700")
    start = text.index("  outlets:\n") + len("  outlets:\n")
    one = "    - {name: 华澜电器佛山服务中心, province: 广东省, city: 佛山市, address: 兴业路 18 号, mode: 自营, staff: 32}\n"
    path = tmp_path_factory.mktemp("last") / "last.yaml"
    path.write_text(text[:start] + one + text[text.index("  hotline:"):], encoding="utf-8")
    bundle = make_bundle(path)
    return (next(d for d in bundle.documents if d.key == "plan").markdown,
            all_text(docx.Document(io.BytesIO(bundle.docx["02-认证申请书.docx"]))))


def test_the_last_band_and_one_outlet_read_as_sentences(last_band_one_outlet):
    for text in last_band_one_outlet:
        assert ("每年监督评审 8.5 人日（现场 7）；来源表中该档的复评人日缺失，由认证机构核定报价，下表给出“不少于”的下限。"
                "该档数值在来源表中识别不确定，请向认证机构确认。") in text
        assert "需向认证机构询价（该档" not in text  # the uncertainty was a bracket hung on the missing days
        assert "网点评审（估算）：只有 1 个服务网点，初次评审、每次监督评审和复评都评审这个网点。" in text
        assert "√1" not in text and "共 1 个服务网点，评审时" not in text
    plan = last_band_one_outlet[0]
    # 22 on-site person-days + the one outlet's 0.5 = 22.5: ⌈22.5 ÷ 3⌉ = 8 to ⌈22.5 ÷ 2⌉ = 12 working days
    assert ("| 现场评价 | 2027-01-04 | 2027-01-19 | 现场 22 人日 + 网点评审 0.5 人日（估算），共 22.5 人日，"
            "约需 8–12 个工作日；打分并提出整改要求 |") in plan
    assert "人数档不少于 15 人日（由认证机构核定），另加网点评审 0.5 人日（估算）" in plan  # recertification


def test_notes_above_the_table_say_the_bound_and_the_outlets_apart(hualan):
    page = plan_page(variant(hualan, 20000, 300))
    assert note(page, "第 1 次监督评审").endswith("人数档不少于 8.5 人日（由认证机构核定），另加网点抽查 5.5 人日（估算）；此前备齐年度记录")
    assert note(page, "现场评价") == ("现场不少于 22 人日（由认证机构核定），另加网点抽查 9 人日（估算），共不少于 31 人日，"
                                   "至少约需 11–16 个工作日；打分并提出整改要求")
    assert "） +" not in page


# --- the on-site evaluation follows the document review ---------------------------------------------
def applying(profile, day: str):
    return profile.model_copy(update={"certification": profile.certification.model_copy(
        update={"planned_application": dt.date.fromisoformat(day)})})


# employees, outlets, applied; then the on-site's first and last working day, the certificate.
# Document review: 14 days after applying; on-site by day 35; certificate on day 75 (later by as many days as
# the on-site ends after day 35). On-site person-days (band on-site + ⌈√n⌉ × 0.5) ÷ 2 auditors, rounded up,
# laid on Mondays to Fridays. Applied Tue 2026-12-15: review ends Tue 12-29, day 35 is Tue 2027-01-19.
ONSITE = [
    # 12 + 3 × 0.5 = 13.5 → 7 working days back from Tue 01-19: 19, 18, 15, 14, 13, 12, 11
    (860, 6, "2026-12-15", dt.date(2027, 1, 11), dt.date(2027, 1, 19), dt.date(2027, 2, 28)),
    # no outlets: 12 → 6 working days: 19, 18, 15, 14, 13, 12
    (860, 0, "2026-12-15", dt.date(2027, 1, 12), dt.date(2027, 1, 19), dt.date(2027, 2, 28)),
    # the stranger's case: 22 + 1.5 = 23.5 → 12 working days back to Mon 01-04 (was 22 calendar days, from 12-28,
    # before the review ended on 12-29)
    (10700, 6, "2026-12-15", dt.date(2027, 1, 4), dt.date(2027, 1, 19), dt.date(2027, 2, 28)),
    (20000, 6, "2026-12-15", dt.date(2027, 1, 4), dt.date(2027, 1, 19), dt.date(2027, 2, 28)),  # at least 22, the same
    # 22 + 18 × 0.5 = 31 → 16 working days: 01-19 … 01-04 is 12, then Fri 01-01, Thu 12-31, Wed 12-30, Tue 12-29:
    # it starts the day the review ends, just fits
    (20000, 300, "2026-12-15", dt.date(2026, 12, 29), dt.date(2027, 1, 19), dt.date(2027, 2, 28)),
    # 22 + 55 × 0.5 = 49.5 → 25 working days do not fit: from Tue 12-29, 12-29 to 01-01 is 4, five weeks of 5
    # to Fri 01-29 is 24, Mon 02-01 the 25th; 13 days after 01-19, so the certificate moves 13 days to 03-13
    (20000, 3000, "2026-12-15", dt.date(2026, 12, 29), dt.date(2027, 2, 1), dt.date(2027, 3, 13)),
    # applied Sat 2027-01-30: review ends Sat 02-13, day 35 is Sat 03-06, day 75 Thu 04-15. 7 working days end
    # Fri 03-05: 5, 4, 3, 2, 1, Feb 26, 25
    (860, 6, "2027-01-30", dt.date(2027, 2, 25), dt.date(2027, 3, 5), dt.date(2027, 4, 15)),
    # 16 working days back from Fri 03-05 reach Fri 02-12, before the review ends: from Mon 02-15 instead,
    # three weeks to Fri 03-05 and Mon 03-08; 2 days after 03-06, so the certificate on Sat 04-17
    (20000, 300, "2027-01-30", dt.date(2027, 2, 15), dt.date(2027, 3, 8), dt.date(2027, 4, 17)),
]


@pytest.mark.parametrize("employees, outlets, applied, first, last, issued", ONSITE)
def test_onsite_follows_the_document_review(hualan, employees, outlets, applied, first, last, issued):
    plan = planned(applying(variant(hualan, employees, outlets), applied))
    stones = {m.label: m for m in plan.milestones}
    review, onsite, decision = stones["文件评审"], stones["现场评价"], stones["评定发证"]
    assert (onsite.start, onsite.end) == (first, last)
    assert (decision.start, decision.end) == (last, issued) and plan.issued == issued
    assert review.end <= onsite.start  # never before the document review has ended
    assert (plan.expiry, plan.milestones[-1].end) == (months_after(issued, 36) - dt.timedelta(days=1),) * 2


def test_a_long_onsite_says_why_the_certificate_is_later(hualan):
    plan = planned(variant(hualan, 20000, 3000))
    page = plan_page(variant(hualan, 20000, 3000))
    assert note(page, "现场评价") == ("现场不少于 22 人日（由认证机构核定），另加网点抽查 27.5 人日（估算），共不少于 49.5 人日，"
                                   "至少约需 17–25 个工作日；打分并提出整改要求")  # ⌈49.5 ÷ 3⌉ = 17
    assert "文件评审后到第 35 天排不下，现场评价推迟 13 天完成，发证随之推迟 13 天。" in page  # said once, above the table
    first = next(m for m in plan.milestones if m.label == "第 1 次监督评审")
    assert first.start == dt.date(2027, 10, 13)  # 7 months after the later certificate, 2027-03-13


def test_the_onsite_note_counts_person_days_and_working_days(hualan):
    # 12 + 1.5 = 13.5 person-days: ⌈13.5 ÷ 3⌉ = 5 to ⌈13.5 ÷ 2⌉ = 7 working days
    assert note(plan_page(hualan), "现场评价") == ("现场 12 人日 + 网点抽查 1.5 人日（估算），共 13.5 人日，约需 5–7 个工作日；"
                                                "打分并提出整改要求")
    plan = next(d for d in make_bundle(HUALAN).documents if d.key == "plan").markdown
    assert ("现场评价在文件评审完成后进行，一般在申请后第 35 天前完成。现场人日（含网点）除以评审组人数为现场工作日："
            "评审组按 2–3 名评审员估计（本工具的推断），表中按 2 名评审员的工作日数在周一至周五连续排定，未扣除法定节假日；"
            "具体日程由评审组与企业商定。") in plan
    assert "| 现场评价 | 2027-01-11 | 2027-01-19 |" in plan and "推迟" not in plan


@pytest.mark.parametrize("employees", [10, 860, 10700, 20000])
@pytest.mark.parametrize("outlets", [0, 1, 300, 3000])
@pytest.mark.parametrize("applied", ["2026-12-15", "2027-01-30", "2027-01-31", "2027-06-30"])
def test_milestones_never_overlap(hualan, employees, outlets, applied):
    plan = planned(applying(variant(hualan, employees, outlets), applied))
    stones = {m.label: m for m in plan.milestones}
    review, onsite, decision = stones["文件评审"], stones["现场评价"], stones["评定发证"]
    assert review.end <= onsite.start <= onsite.end <= decision.start < decision.end
    assert onsite.start.weekday() < 5 and onsite.end.weekday() < 5
    # the working days between them are the person-days of 2 auditors, rounded up
    days = (onsite.end - onsite.start).days + 1
    working = sum((onsite.start + dt.timedelta(days=i)).weekday() < 5 for i in range(days))
    assert working == plan.onsite.workdays[1] == -(-plan.onsite.person_days // 2)
    # the scheme's 40 days from on-site to certificate are kept (or more, when the on-site ends early)
    assert (decision.end - onsite.end).days >= 40


def test_the_team_lives_in_the_scheme_data():
    team = load_scheme().onsite_team
    assert team.auditors == (2, 3) and team.evidence == "[I]" and "seed 000" in team.source


# --- the data are checked: a wrong edit is located at the key it concerns ---------------------------
def _refused(load, folder, name: str, old: str, message: str, where: str) -> None:
    """`load` refuses the edited data with `message`, at the line that holds `old`'s edit and key path `where`."""
    with pytest.raises(CatalogueError) as info:
        load(folder)
    (problem,) = info.value.problems
    line = next(n for n, text in enumerate((folder / name).read_text(encoding="utf-8").splitlines(), 1)
                if text.strip().startswith(old.split(":")[0].strip("{ ")))
    assert message in problem.message and problem.file.endswith(name), info.value.render()
    assert problem.key_path == where and problem.line is not None, info.value.render()
    assert abs(problem.line - line) <= 1, info.value.render()  # at the key, or its parent's line


@pytest.mark.parametrize("old, new, message, where", [
    ("onsite_evaluation: 35", "onsite_evaluation: 10", "document_review < onsite_evaluation < decision", "steps"),
    ("decision: 75", "decision: 30", "document_review < onsite_evaluation < decision", "steps"),
    ("auditors: [2, 3]", "auditors: [3, 2]", "onsite_team.auditors", "onsite_team.auditors"),
    ("auditors: [2, 3]", "auditors: [0, 3]", "onsite_team.auditors", "onsite_team.auditors"),
    ("count: 2 ", "count: 3 ", "surveillance.count 应为证书有效年数", "surveillance"),
    ("recertification_month: 33", "recertification_month: 37", "recertification_month 应在", "recertification_month"),
    ("cycle_months: [9, 10]", "cycle_months: [10, 9]", "[较小, 较大]", "surveillance.cycle_months"),
])
def test_bad_scheme_data_is_refused(tmp_path, old, new, message, where):
    folder = standard_with(tmp_path, "certification.yaml", old, new)
    _refused(load_scheme, folder, "certification.yaml", new if where != "steps" else "steps", message, where)


@pytest.mark.parametrize("old, new, message, where", [
    ("recert: 15, recert_onsite: 14", "recert: 13, recert_onsite: 14", "recert 人日应随员工数不减",
     "tariffs[0].person_days"),
    ("surveillance: 0.6,", "surveillance: 1.6,", "multi_site.factors）应在 0 到 1 之间",
     "tariffs[0].multi_site.factors.surveillance"),
    ("{max: 25,", "{max: 5,", "升序", "tariffs[0].person_days"),
    ("default: true", "default: false", "应有且只有一项 default: true", "tariffs"),
])
def test_bad_tariff_data_is_refused(tmp_path, old, new, message, where):
    folder = standard_with(tmp_path, "tariffs.yaml", old, new)
    key = {"tariffs": "tariffs", "tariffs[0].person_days": "person_days"}.get(where, "factors")
    _refused(load_tariffs, folder, "tariffs.yaml", key, message, where)
