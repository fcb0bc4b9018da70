"""The provisional mark "*" and its caveat are decided in one place (generator/render/provisional.py):
a number is starred only when it rests on provisional points, and the caveat appears only where a
starred number does. With a standard whose points are all confirmed, nothing is starred anywhere."""
from __future__ import annotations

import io
import shutil

import pytest
from rich.console import Console

from generator.build import make_bundle
from generator.output.scorecard import Scorecard, as_data, print_table
from generator.output.site.pages import portal_page, site_pages
from generator.paths import EXAMPLES, STANDARD
from generator.render.figures import indicator_chart
from generator.render.provisional import caveat, rests_on, star
from generator.standard.catalogue import load_catalogue
from generator.summary import Summary


@pytest.fixture(scope="module")
def confirmed(tmp_path_factory):
    """The bundled standard with every point confirmed, and the hualan example built on it."""
    folder = tmp_path_factory.mktemp("confirmed") / "standard"
    shutil.copytree(STANDARD, folder)
    data = folder / "gbt27922-2011.yaml"
    text = data.read_text(encoding="utf-8")
    assert "points_provenance: provisional" in text
    data.write_text(text.replace("points_provenance: provisional", "points_provenance: confirmed"), encoding="utf-8")
    catalogue = load_catalogue(folder)
    return catalogue, make_bundle(EXAMPLES / "hualan-appliances.yaml", catalogue)


def test_the_bundled_standard_has_provisional_points_and_a_caveat():
    catalogue = load_catalogue()
    assert rests_on(catalogue.clauses.values()) and caveat(catalogue) == catalogue.weights_note
    assert star(True) == "*" and star(False) == ""


def test_a_standard_of_confirmed_points_has_no_caveat(confirmed):
    catalogue, _ = confirmed
    assert not rests_on(catalogue.clauses.values()) and caveat(catalogue) == ""


def test_the_indicator_chart_stars_nothing_when_nothing_is_provisional(confirmed):
    catalogue, bundle = confirmed
    chart = indicator_chart(bundle.assessment, catalogue)
    assert "*" not in chart.title and chart.title.startswith("各二级指标得分（最终得分 ")
    assert not any("*" in category for category in chart.categories)
    assert chart.note == ""


def test_the_site_stars_nothing_when_nothing_is_provisional(confirmed):
    catalogue, bundle = confirmed
    pages = site_pages(bundle)
    for path in ("index.md", "trace.md", "guide/index.md", "guide/5-1-2.md"):
        assert "weights-note" not in pages[path], path
        assert "*）" not in pages[path] and "\\*" not in pages[path], path
    assert "自评得分 " in pages["index.md"] and "分** <span" in pages["index.md"]  # the score, unstarred
    csv = pages["downloads/trace.csv"].decode("utf-8-sig").splitlines()
    assert all(line.endswith(",") for line in csv[1:])  # 分值说明: empty in every row
    summary = Summary(slug="x", legal_name="公司", enterprise_type="生产型", score=90.0, level="四星",
                      target_level="五星", missing=0, material_counts={}, warnings=[], findings=[], blanks=[],
                      files=[], notices=[])
    portal = portal_page([(summary, "x/index.html")], catalogue)
    assert "| 90 |" in portal and "weights-note" not in portal


def test_the_scorecard_stars_nothing_when_nothing_is_provisional(confirmed):
    catalogue, bundle = confirmed
    card = Scorecard(bundle.profile, catalogue, bundle.assessment, bundle.todo, bundle.paths)
    assert as_data(card)["weights"] == {"provisional": [], "confirmed": as_data(card)["weights"]["confirmed"],
                                        "note": ""}
    out = io.StringIO()
    print_table(card, Console(file=out, width=200))
    assert "*" not in out.getvalue()
