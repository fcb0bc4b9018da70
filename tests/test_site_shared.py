"""Sites built one after another in one process (a batch's worker, the preview) reuse compiled
templates, converted pages and search entries (`generator.output.site.shared`): each site must be
byte for byte the site MkDocs itself builds from the same project in a fresh process."""
from __future__ import annotations

import calendar
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from conftest import HUALAN, QIHENG, YUNXUAN
from generator.build import make_bundle
from generator.errors import AftersalesError
from generator.output.site.pages import nav, site_pages
from generator.output.site.project import build_site, write_project


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def plain_mkdocs(config: Path, site: Path, day: date) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(calendar.timegm(day.timetuple())), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)],
                   check=True, env=env, capture_output=True)


def variant(tmp_path: Path, name: str, *edits: tuple[str, str]) -> Path:
    text = HUALAN.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sites_built_in_one_process_equal_fresh_mkdocs_builds(tmp_path):
    other = variant(tmp_path, "other", ("佛山市华澜电器有限公司", "佛山市澜庭家电有限公司"), ("华澜电器", "澜庭家电"),
                    ("400-830-6688", "400-830-1234"))
    order = [HUALAN, other, YUNXUAN, HUALAN, QIHENG, other]  # again after others: kept results come back
    for i, profile in enumerate(order):
        bundle = make_bundle(profile, paginate=False)
        day = bundle.profile.document.issue_date
        config = write_project(site_pages(bundle), tmp_path / f"p{i}", bundle.profile.company.short_name, nav(bundle))
        build_site(config, tmp_path / f"shared{i}", day)
        if profile in order[:i]:
            continue  # its fresh build is already compared
        plain_mkdocs(config, tmp_path / f"fresh{i}", day)
        shared, fresh = files(tmp_path / f"shared{i}"), files(tmp_path / f"fresh{i}")
        assert shared.keys() == fresh.keys(), profile.name
        assert [name for name in shared if shared[name] != fresh[name]] == [], profile.name
    first = files(tmp_path / "shared0")
    assert files(tmp_path / "shared3") == first  # the same profile again: the same site


def _project(folder: Path, pages: dict[str, str], validation: dict | None = None) -> Path:
    config = write_project(pages, folder, "测试", [{name[:-3]: name} for name in pages])
    if validation:
        import yaml

        settings = yaml.safe_load(config.read_text(encoding="utf-8"))
        settings["validation"] = validation
        config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return config


def test_a_page_whose_conversion_warned_warns_again(tmp_path):
    """A conversion that logged a warning is not kept: the second build fails strict mode as the first."""
    pages = {"index.md": "# 首页\n\n见[不存在的页](missing.md)。\n"}
    for i in range(2):
        with pytest.raises(AftersalesError, match="mkdocs --strict"):
            build_site(_project(tmp_path / f"p{i}", pages), tmp_path / f"s{i}")


def test_a_kept_page_still_has_its_links_to_anchors_checked(tmp_path):
    """Page a is unchanged (its conversion kept) but b lost the anchor a links to: strict fails."""
    strict_anchors = {"anchors": "warn"}
    a = "# 甲\n\n见[乙的第二节](b.md#second)。\n"
    build_site(_project(tmp_path / "p0", {"a.md": a, "b.md": "# 乙\n\n## 第二节 {#second}\n\n正文。\n"},
                        strict_anchors), tmp_path / "s0")
    with pytest.raises(AftersalesError, match="mkdocs --strict"):
        build_site(_project(tmp_path / "p1", {"a.md": a, "b.md": "# 乙\n\n## 第三节 {#third}\n\n正文。\n"},
                            strict_anchors), tmp_path / "s1")


def test_search_entries_follow_a_changed_page(tmp_path):
    import json

    build_site(_project(tmp_path / "p0", {"index.md": "# 首页\n\n售后服务热线全年无休。\n"}), tmp_path / "s0")
    build_site(_project(tmp_path / "p1", {"index.md": "# 首页\n\n上门维修当日响应。\n"}), tmp_path / "s1")
    docs = json.loads((tmp_path / "s1" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    text = "".join(doc["text"] for doc in docs).replace("\u200b", "")
    assert "上门维修当日响应" in text and "热线" not in text
