"""The fee calculator on the published guide's process page (content/site/javascripts/fees.js) agrees
with `assess.fees`, the engine that prices a company's application: driven in Chromium on generated
headcounts and outlet counts (every band's edges, above the table, squares and one outlet), the same
exact person-days, sampled outlets, lower bounds and fees for every stage; and a reader typing into
the form sees them."""
from __future__ import annotations

import random

import pytest

from generator.output.site.selfcheck import exact_text
from generator.assess.fees import audits, band_for, bands, stage_costs
from generator.standard.scheme import load_tariffs
from generator.standard.wording import yuan

pytestmark = pytest.mark.slow


def _t(value) -> str | None:
    return None if value is None else exact_text(value)  # as the page's data writes numbers


def python(employees: int, outlets: int) -> list[dict]:
    tariff = next(t for t in load_tariffs() if t.default)
    band, top = band_for(employees, tariff), bands(tariff)[-1]
    out = []
    for stage, audit in audits(tariff, employees, outlets).items():
        costs = stage_costs(audit, tariff, band, top)
        total = costs[-1]
        out.append({"stage": stage, "days": _t(audit.days), "floor": _t(audit.floor), "amount": _t(costs[0].amount),
                    "size": audit.sample.size, "sample_days": _t(audit.sample.days),
                    "total_days": _t(total.days), "total_amount": _t(total.amount)})
    return out


def inputs() -> list[tuple[int, int]]:
    tariff = next(t for t in load_tariffs() if t.default)
    edges = sorted({1, 2, *(b.high for b in bands(tariff)), *(b.high + 1 for b in bands(tariff)), 15_000, 100_000})
    rng = random.Random(2011)
    outlets = [0, 1, 2, 3, 4, 9, 10, 16, 17, 99, 100, 101, 2_500, 10_001]
    pairs = [(e, o) for e in edges for o in rng.sample(outlets, 4)]
    pairs += [(rng.randint(1, 12_000), rng.choice([0, rng.randint(1, 50), rng.randint(1, 5_000)])) for _ in range(700)]
    return pairs


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from test_browser import published_page

    with published_page(tmp_path_factory.mktemp("published"), "standard/process.html") as page:
        yield page


def test_calculator_and_python_engine_agree(page):
    pairs = inputs()
    assert len(pairs) >= 500
    got = page.evaluate("pairs => pairs.map(([e, o]) => window.AftersalesFees.exact(e, o))", pairs)
    unpriced = 0
    for (employees, outlets), mine in zip(pairs, got):
        theirs = python(employees, outlets)
        assert mine == theirs, (employees, outlets)
        unpriced += any(s["days"] is None for s in theirs)
    assert unpriced > 20  # above the table, and the band without recertification days
    assert not page.errors


def test_a_reader_sees_the_fees_of_the_application_form(page):
    for employees, outlets in ((1_200, 0), (1_200, 30), (20_000, 5)):
        page.locator("[data-employees]").fill(str(employees))
        page.locator("[data-outlets]").fill(str(outlets))
        initial = page.locator('tr[data-stage="initial"]').inner_text()
        theirs = python(employees, outlets)[0]
        if theirs["total_amount"] is not None:
            from fractions import Fraction
            assert f"{yuan(Fraction(theirs['total_amount']))} 元" in initial
        else:
            assert "不少于" in initial or "待报价" in initial
    page.locator("[data-employees]").fill("1200")
    page.locator("[data-outlets]").fill("0")
    assert "53,000 元" in page.locator('tr[data-stage="initial"]').inner_text()  # the tariff's own example
    assert not page.errors


@pytest.mark.parametrize("box, typed", [("[data-employees]", "1e3"), ("[data-employees]", "0"),
                                        ("[data-outlets]", "2.5"), ("[data-outlets]", "10000000")])
def test_the_calculator_tells_a_number_it_cannot_take(page, box, typed):
    page.locator("[data-employees]").fill("100")
    page.locator("[data-outlets]").fill("0")
    page.locator(box).fill(typed)
    result = page.locator(".fees-result").inner_text()
    assert f"“{typed}”" in result and "元" not in result
    assert not page.errors
