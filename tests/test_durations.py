"""A time limit is said one way wherever it is printed: the scorecard's reasons, the manual and the
promise format a duration by the one rule (text.literal: hours below one as minutes, rounded up)."""
from __future__ import annotations

from conftest import QIHENG
from generator.build import make_bundle


def test_a_duration_reads_the_same_in_the_scorecard_and_the_manual(tmp_path):
    text = QIHENG.read_text(encoding="utf-8")
    for was, now in (("within_days: 1,", "within_days: 0.333,"), ("repair_days: 2\n", "repair_days: 2.5\n")):
        assert was in text
        text = text.replace(was, now)
    profile = tmp_path / "qiheng.yaml"
    profile.write_text(text, encoding="utf-8")
    documents = {d.key: d.markdown for d in make_bundle(profile).documents}
    scorecard, manual = documents["scorecard"], documents["manual"]
    assert "档案：30 分钟响应，城区 4 小时上门，2.5 天修复" in scorecard  # response_hours: 0.5
    assert "服务后 0.34 天内回访" in scorecard  # 0.333 days, rounded up as every document rounds it
    assert "30 分钟内响应" in manual and "0.5 小时" not in scorecard + manual
    assert "服务完成后 0.34 天内" in manual and "0.333" not in scorecard + manual
    assert "一般故障 2.5 天内修复" in manual
