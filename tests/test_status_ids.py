"""Material and score statuses are ids with labels in content/standard/statuses.yaml: the code decides
by id, the documents, the manifest and the scorecard show the label; a manifest written before keeps
being read."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import HUALAN, YUNXUAN
from generator.assess.materials import COUNT_ORDER, counts, counts_by_id
from generator.batch import build_one, read_manifest
from generator.build import make_bundle
from generator.prepare import summary_of
from generator.errors import CatalogueError
from generator.output.scorecard import as_data, scorecard
from generator.paths import STANDARD
from generator.standard.statuses import material_statuses, score_statuses

LABELS = {"generated": "生成", "provided": "已提供", "missing": "缺失", "expired": "已过期",
          "not_applicable": "不适用", "optional": "可选"}


def test_statuses_are_ids_with_labels_from_the_data():
    assert {sid: s.label for sid, s in material_statuses().items()} == LABELS
    bundle = make_bundle(YUNXUAN)
    expired = next(line for line in bundle.materials if line.material.id == "M10")
    assert expired.status.id == "expired" and expired.status.label == "已过期"
    assert list(counts_by_id(bundle.materials)) == list(LABELS)
    assert list(counts(bundle.materials)) == list(LABELS.values()) == list(COUNT_ORDER)
    assert counts(bundle.materials)["已过期"] == counts_by_id(bundle.materials)["expired"] >= 1


def test_a_generated_material_says_where_as_data():
    bundle = make_bundle(HUALAN)
    line = next(line for line in bundle.materials if line.material.id == "M04")
    assert line.status.id == "generated" and line.note == ""
    assert (line.generated.document, line.generated.file, line.generated.section) == \
        ("manual", "01-售后服务手册.docx", "2.1 引用文件")
    checklist = next(d for d in bundle.documents if d.key == "checklist").markdown
    assert "| 生成 | 由本工具生成：01-售后服务手册.docx　2.1 引用文件 |" in checklist


def test_the_summary_counts_missing_by_id_and_shows_labels():
    bundle = make_bundle(YUNXUAN)
    summary = summary_of(bundle)
    by_id = counts_by_id(bundle.materials)
    assert summary.missing == by_id["missing"] + by_id["expired"]
    assert summary.material_counts == counts(bundle.materials)  # keyed by label: the manifest is read as is


def test_a_build_skipped_as_unchanged_reads_the_manifest_back(tmp_path):
    out = tmp_path / "out"
    first = build_one(str(YUNXUAN), str(out), site=False)
    assert first.status == "built"
    recorded = read_manifest(out)["summary"]["material_counts"]
    assert set(recorded) <= set(LABELS.values())  # labels: what the portal and the command line print
    again = build_one(str(YUNXUAN), str(out), site=False)
    assert again.status == "skipped" and again.summary == first.summary
    assert list(again.summary.material_counts) == [k for k in COUNT_ORDER if k in recorded]


def test_a_manifest_of_an_earlier_version_is_read_back(tmp_path):
    """Manifests on disk keep their label-keyed counts, stored sorted: read back in the shown order."""
    out = tmp_path / "out"
    first = build_one(str(YUNXUAN), str(out), site=False)
    manifest = read_manifest(out)
    earlier = {"已提供": 10, "缺失": 3, "生成": 8, "已过期": 1, "不适用": 1, "可选": 0}
    manifest["summary"]["material_counts"] = dict(sorted(earlier.items()))
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    again = build_one(str(YUNXUAN), str(out), site=False)
    assert again.status == "skipped" and again.summary.legal_name == first.summary.legal_name
    assert list(again.summary.material_counts) == ["生成", "已提供", "缺失", "已过期", "不适用", "可选"]


SCORE_LABELS = {"implemented": "已落实", "partial": "部分落实", "missing": "未落实", "no_evidence": "无证据",
                "excluded": "删减"}


def test_score_statuses_are_ids_with_labels_from_the_data():
    """A scored clause's status is decided by id; the scorecard, the terminal and the JSON show the label."""
    assert {sid: s.label for sid, s in score_statuses().items()} == SCORE_LABELS
    bundle = make_bundle(HUALAN)
    line = bundle.assessment.line("5.1.5.2")
    assert line.status.id == "partial" and line.status.label == "部分落实"
    assert {l.status.id for l in bundle.assessment.lines} <= set(SCORE_LABELS)
    scorecard_md = next(d for d in bundle.documents if d.key == "scorecard").markdown
    assert "| 0 | 2 | 部分落实 | 自评部分落实：" in scorecard_md
    data = as_data(scorecard(HUALAN))
    assert next(l for l in data["lines"] if l["clause"] == "5.1.5.2")["status"] == "部分落实"


@pytest.mark.parametrize("edit, message, statuses", [
    ("  - {id: optional, label: 可选}\n", "缺少 optional", material_statuses),
    ("  - {id: missing, label: 缺失}\n", "缺少 missing", material_statuses),
    ("  - {id: no_evidence, label: 无证据}\n", "score_statuses 每个状态写一次：缺少 no_evidence", score_statuses),
])
def test_a_status_left_out_of_the_data_is_a_located_error(tmp_path, edit, message, statuses):
    folder = tmp_path / "standard"
    shutil.copytree(STANDARD, folder)
    data = folder / "statuses.yaml"
    text = data.read_text(encoding="utf-8")
    assert edit in text
    data.write_text(text.replace(edit, ""), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        statuses(folder)
    (problem,) = info.value.problems
    assert message in problem.message and problem.file.endswith("statuses.yaml") and problem.line
