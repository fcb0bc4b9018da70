"""`score --json`, the scorecard DOCX, the site's scorecard page and `score --xlsx` give the same
numbers: the score and level, the totals, every clause's points, earned, lost and status, and the
失分说明 from 100 to the score (issue #14: one assessment, four views)."""
from __future__ import annotations

import json
import subprocess
import sys

import docx
import lxml.html
import pytest
from openpyxl import load_workbook

from conftest import PROFILES
from generator.cli import main


def number(text) -> float | str:
    """A shown number as a float: "3*", "−1", "+1" and "93.66" alike; other text as it is."""
    if isinstance(text, (int, float)):
        return float(text)
    cleaned = str(text).strip().rstrip("*").replace("−", "-").lstrip("+")
    try:
        return float(cleaned)
    except ValueError:
        return str(text).strip()


def tables_of_docx(path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in table.rows] for table in docx.Document(str(path)).tables]


def tables_of_html(path) -> list[list[list[str]]]:
    page = lxml.html.parse(str(path))
    return [[[c.text_content().strip() for c in row.iter("td", "th")] for row in table.iter("tr")]
            for table in page.iter("table")]


def views(tables) -> dict:
    """What a scorecard's tables say: the summary, the lines by clause, the losses."""
    summary, lines, losses = {}, {}, {}
    for table in tables:
        header = table[0]
        if header[:2] == ["项目", "数值"]:
            summary = {row[0]: number(row[1]) for row in table[1:]}
        elif header[:2] == ["条款", "分值"] and "状态" in header:
            for row in table[1:]:
                if row[0] != "小计":
                    lines[row[0].split(" ")[0]] = (number(row[1]), number(row[3]), number(row[4]), row[5])
        elif header == ["来源", "失分"]:
            losses = {row[0]: number(row[1]) for row in table[1:] if not row[0].startswith("合计")}
    return {"summary": summary, "lines": lines, "losses": losses}


@pytest.fixture(scope="module", params=["hualan-appliances", "yunxuan-online", "qiheng-software"])
def example(request, tmp_path_factory):
    profile = PROFILES / f"{request.param}.yaml"
    out = tmp_path_factory.mktemp(request.param)
    assert main(["build", str(profile), "-o", str(out / "build")]) == 0
    assert main(["score", str(profile), "--xlsx", str(out / "card.xlsx")]) == 0
    result = subprocess.run([sys.executable, "-m", "generator.cli", "score", str(profile), "--json"],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout), out


def test_json_docx_site_and_xlsx_agree(example):
    data, out = example
    expected_lines = {l["clause"]: (float(l["points"]), float(l["earned"]) if l["applicable"] else "—",
                                    float(l["lost"]) if l["applicable"] else "—", l["status"]) for l in data["lines"]}
    expected_losses = {loss["source"]: loss["points"] for loss in data["losses"]}
    summary = {"涉及项总分值": data["applicable_total"], "实际得分": data["earned_total"],
               "归一化得分": data["normalised"], "特别扣分项": -data["special_deductions"],
               "特别加分项": data["bonus"], "最终得分": data["score"], "预测等级": data["level"]}
    for name, seen in (("DOCX", views(tables_of_docx(out / "build" / "04-自评打分表.docx"))),
                       ("site", views(tables_of_html(out / "build" / "site" / "scorecard.html")))):
        assert {k: seen["summary"][k] for k in summary} == summary, name
        assert seen["lines"] == expected_lines, name
        assert seen["losses"] == expected_losses, name
    assert round(sum(expected_losses.values()), 2) == pytest.approx(round(100 - data["score"], 2), abs=0.011)

    book = load_workbook(out / "card.xlsx")
    cells = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True)}
    assert (cells["最终得分"], cells["预测等级"], cells["涉及项总分值"], cells["实际得分"], cells["归一化得分"],
            cells["特别扣分项"], cells["特别加分"]) == (
        data["score"], data["level"], data["applicable_total"], data["earned_total"], data["normalised"],
        data["special_deductions"], data["bonus"])
    assert {k.removeprefix("失分："): v for k, v in cells.items() if str(k).startswith("失分：")} == expected_losses
    rows = {r[0]: r for r in book["逐条评分"].iter_rows(min_row=3, values_only=True)}
    for clause, (points, earned, lost, status) in expected_lines.items():
        row = rows[clause]
        assert (row[2], row[7]) == (points, status)
        if earned != "—":
            assert (row[5], row[6]) == (earned, lost)

    home = (out / "build" / "site" / "index.html").read_text(encoding="utf-8")
    assert f"{data['score']:g}" in home and data["level"] in home


def test_five_deductions_never_read_as_the_top_level(tmp_path):
    """A score of 95 or more with five special deductions fails: the scorecard asks for a deduction
    to be put right first, never "已达到最高等级" or "还需 0 分" (found by a stranger pass)."""
    from ruamel.yaml import YAML

    from test_scoring_cases import deductions, perfect

    data = perfect()  # every clause in place: 100 points, 95 after five deductions
    deductions(5)(data)
    path = tmp_path / "p.yaml"
    with path.open("w", encoding="utf-8") as stream:
        YAML(typ="safe", pure=True).dump(data, stream)
    assert main(["build", str(path), "-o", str(tmp_path / "out"), "--no-site"]) == 0
    body = "\n".join(p.text for p in docx.Document(str(tmp_path / "out" / "04-自评打分表.docx")).paragraphs)
    assert "预测等级 不通过" in body
    assert "须先整改至少 1 项特别扣分项（5 项及以上不通过），整改后按得分可评五星。" in body
    assert "已达到最高等级" not in body and "还需 0 分" not in body
    assert "得分已够，须整改特别扣分项。" in body


def test_a_level_reached_only_with_the_disputed_bonus_is_said_so(tmp_path):
    """华澜 with 5.1.5.2 put right scores 95.66 五星 with the bonus, 94.66 四星 without: the scorecard
    says so and its path to 五星 secures the level without the bonus (found by a stranger pass)."""
    text = (PROFILES / "hualan-appliances.yaml").read_text(encoding="utf-8")
    old = '"5.1.5.2": {status: partial'
    assert old in text
    path = tmp_path / "p.yaml"
    path.write_text(text.replace(old, '"5.1.5.2": {status: implemented'), encoding="utf-8")
    assert main(["build", str(path), "-o", str(tmp_path / "out"), "--no-site"]) == 0
    body = "\n".join(p.text for p in docx.Document(str(tmp_path / "out" / "04-自评打分表.docx")).paragraphs)
    assert "预测等级 五星" in body and "这一等级依靠有争议的特别加分：不计加分时为 94.66 分，四星。" in body
    # 95 − 94.66 = 0.34 (exact 0.3406 → 0.35 rounded up); 5.2.6 recovers 3: 97.66 without the bonus
    assert ("当前得分已达到五星，但依靠有争议的特别加分 1 分（不计时为 94.66 分，四星）；不计加分也要达到五星，"
            "还需 0.35 分：完成 1 项措施（约 4 人日）后不计加分为 97.66 分：") in body
    assert "当前得分已达到五星。" not in body
