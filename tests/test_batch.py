"""Batch builds, skipping unchanged profiles, and reproducible output."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import HUALAN, PROFILES, corpus_cases
from generator.cli import main


@pytest.mark.slow
def test_same_input_same_bytes(tmp_path):
    assert main(["build", str(HUALAN), "-o", str(tmp_path / "one")]) == 0
    assert main(["build", str(HUALAN), "-o", str(tmp_path / "two")]) == 0
    one = json.loads((tmp_path / "one" / "manifest.json").read_text(encoding="utf-8"))
    two = json.loads((tmp_path / "two" / "manifest.json").read_text(encoding="utf-8"))
    assert one == two
    for docx in (tmp_path / "one").glob("*.docx"):
        assert docx.read_bytes() == (tmp_path / "two" / docx.name).read_bytes()
    assert len(one["files"]) > 100 and "01-售后服务手册.docx" in one["files"]


def test_batch_with_one_broken_profile(tmp_path, capsys):
    folder = tmp_path / "profiles"
    shutil.copytree(PROFILES, folder)
    (folder / "broken.yaml").write_bytes(corpus_cases()["16-credit-code-check.yaml"])
    assert main(["build", str(folder), "-o", str(tmp_path / "out"), "--no-site", "-j", "2"]) == 2
    out, err = capsys.readouterr()
    assert "共 4 个档案：生成 3，未变化跳过 0，失败 1" in out
    assert "broken.yaml:6:16 [company.credit_code]: 统一社会信用代码校验位错误" in err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["hualan-appliances", "qiheng-software",
                                                                   "yunxuan-online"]


def test_unchanged_profiles_are_skipped_unless_forced(tmp_path, capsys):
    profile = tmp_path / "p.yaml"
    shutil.copy(HUALAN, profile)
    out = tmp_path / "out"
    assert main(["build", str(profile), "-o", str(out), "--no-site"]) == 0
    stamp = (out / "manifest.json").stat().st_mtime_ns
    capsys.readouterr()
    assert main(["build", str(profile), "-o", str(out), "--no-site"]) == 0
    assert "未变化，跳过" in capsys.readouterr().out
    assert (out / "manifest.json").stat().st_mtime_ns == stamp
    assert main(["build", str(profile), "-o", str(out), "--no-site", "--force"]) == 0
    assert "未变化" not in capsys.readouterr().out
    profile.write_text(profile.read_text(encoding="utf-8").replace("400-830-6688", "400-830-6699"), encoding="utf-8")
    assert main(["build", str(profile), "-o", str(out), "--no-site"]) == 0
    assert "未变化" not in capsys.readouterr().out


def test_a_skipped_build_removes_what_a_killed_build_left(tmp_path, capsys):
    """A build killed with kill -9 leaves its staging folder; the next build that has nothing to write
    removes it too, as one that writes does: only staging folders tagged by a process that is gone."""
    import subprocess
    import sys

    from generator.output.folder import STAGING_PREFIX, STAGING_TAG

    out = tmp_path / "out"
    assert main(["build", str(HUALAN), "-o", str(out), "--no-site"]) == 0
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        for pid, name in ((dead.pid, "dead"), (alive.pid, "alive")):
            staging = out / f"{STAGING_PREFIX}{pid}-{name}"
            (staging / "markdown").mkdir(parents=True)
            (staging / STAGING_TAG).write_text(f"aftersales staging {pid}\n", encoding="utf-8")
            (staging / "01-售后服务手册.docx").write_bytes(b"half written")
        mine = out / f"{STAGING_PREFIX}{dead.pid}-mine"  # named so, but not tagged: the user's
        mine.mkdir()
        (mine / "notes.txt").write_text("keep me", encoding="utf-8")
        tagging = out / f"{STAGING_PREFIX}{dead.pid}-tagging"  # killed while writing its tag
        tagging.mkdir()
        (tagging / STAGING_TAG).write_text("aftersales stag", encoding="utf-8")
        capsys.readouterr()
        assert main(["build", str(HUALAN), "-o", str(out), "--no-site"]) == 0
        assert "未变化，跳过" in capsys.readouterr().out
        left = sorted(p.name for p in out.iterdir() if p.name.startswith(STAGING_PREFIX))
        assert left == sorted([f"{STAGING_PREFIX}{alive.pid}-alive", f"{STAGING_PREFIX}{dead.pid}-mine"])
        assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    finally:
        alive.kill()
        alive.wait()


def test_a_build_without_the_site_says_it_removed_the_last_one(tmp_path, capsys):
    """Found by a stranger: `--no-site` after a build with the site removed the old site without a word."""
    from conftest import QIHENG

    out = tmp_path / "out"
    assert main(["build", str(QIHENG), "-o", str(out)]) == 0
    assert (out / "site" / "index.html").is_file()
    capsys.readouterr()
    assert main(["build", str(QIHENG), "-o", str(out), "--no-site"]) == 0
    said = capsys.readouterr().out
    assert "已删除上次生成的网站（site/ 和 mkdocs/）：本次用了 --no-site" in said
    assert not (out / "site").exists() and (out / "01-售后服务手册.docx").is_file()
    assert main(["build", str(QIHENG), "-o", str(out), "--no-site", "--force"]) == 0
    assert "已删除上次生成的网站" not in capsys.readouterr().out  # nothing removed this time


def test_the_portal_tells_companies_of_one_legal_name_apart_by_their_profiles(catalogue):
    """Found by a stranger: variants of one company were identical rows of the portal."""
    from generator.output.site.pages import portal_page
    from generator.summary import Summary

    def summary(slug: str, name: str) -> Summary:
        return Summary(slug=slug, legal_name=name, enterprise_type="生产型", score=90.0, level="四星",
                       target_level="五星", missing=0, material_counts={}, warnings=[], findings=[], blanks=[])

    page = portal_page([(summary("hualan-a", "华澜"), "a/index.html"), (summary("hualan_b", "华澜"), "b/index.html"),
                        (summary("qiheng", "启衡"), "c/index.html")], catalogue)
    assert "华澜</a>（档案 hualan-a）" in page and "华澜</a>（档案 hualan\\_b）" in page  # user text, escaped
    assert "启衡</a> |" in page
