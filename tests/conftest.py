from __future__ import annotations

import os
import shutil
from pathlib import Path

import docx
import pytest

from generator.build import make_bundle, write_bundle
from generator.standard.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "company_profiles"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
STANDARD_DATA = ROOT / "content" / "standard"
HUALAN = PROFILES / "hualan-appliances.yaml"
YUNXUAN = PROFILES / "yunxuan-online.yaml"
QIHENG = PROFILES / "qiheng-software.yaml"
IN_CI = os.environ.get("CI") == "true"
# Builds in tests do without LibreOffice's layout pass (4 s a document with contents), which the tests
# of page numbers and PDFs ask for by name (tests/test_paginated.py); their DOCX bytes are then the golden ones.
os.environ["AFTERSALES_SOFFICE"] = "none"


def corpus_cases() -> dict[str, bytes]:
    """The bad profiles of tests/corpus/: most are edits of base.yml (edits.yml), the rest files of their own."""
    import yaml

    base = (CORPUS_DIR / "base.yml").read_text(encoding="utf-8")
    cases = {p.name: p.read_bytes() for p in CORPUS_DIR.glob("*.yaml")}
    for name, edits in yaml.safe_load((CORPUS_DIR / "edits.yml").read_text(encoding="utf-8")).items():
        text = base
        for edit in edits:
            if "append" in edit:
                text += edit["append"]
            else:
                assert text.count(edit["replace"]) == 1, f"{name}: the text to replace must occur once in base.yml"
                text = text.replace(edit["replace"], edit["with"], 1)
        assert name not in cases, f"{name} is both a file and an edit"
        cases[name] = text.encode("utf-8")
    return cases


def standard_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """A copy of the bundled standard data (content/standard) in which `old`, found once in file
    `name`, reads `new`: for tests of a rule switched in the data, or of data edited wrongly."""
    from generator.paths import STANDARD

    folder = tmp_path / "standard"
    shutil.copytree(STANDARD, folder)
    text = (folder / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {name}"
    (folder / name).write_text(text.replace(old, new), encoding="utf-8")
    return folder


def standard_edited(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    """`standard_with`, and the line of `name` where the edit is: for tests of a located error."""
    text = (STANDARD_DATA / name).read_text(encoding="utf-8")
    return standard_with(tmp_path, name, old, new), text[: text.index(old)].count("\n") + 1


def need_tool(name: str) -> str:
    """The tool's path; in CI a missing tool is a failure (.ci/run installs it), elsewhere a skip."""
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is not installed; .ci/run should install it")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="session")
def hualan_built(tmp_path_factory):
    """The home-appliance example built once: DOCX files and site."""
    out = tmp_path_factory.mktemp("hualan") / "bundle"
    bundle = make_bundle(HUALAN)
    write_bundle(bundle, out)
    return bundle, out


@pytest.fixture(scope="session")
def manual(hualan_built):
    bundle, out = hualan_built
    return docx.Document(str(out / "01-售后服务手册.docx"))


def all_text(document) -> str:
    """Every paragraph and table cell of a python-docx document, in order."""
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def manual_html(site) -> str:
    """All chapter pages of the manual in a built site, in order."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((site / "manual").glob("*.html")))
