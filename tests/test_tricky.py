"""Valid text that tries to change structure (tests/corpus/tricky.yml): it builds, every document
keeps exactly the headings it has for base.yml, and the text reads as typed, in the DOCX and on the site."""
from __future__ import annotations

import docx
import pytest
import yaml

from conftest import CORPUS_DIR, all_text, manual_html
from generator.build import make_bundle, write_bundle

BASE = (CORPUS_DIR / "base.yml").read_text(encoding="utf-8")
CASES = yaml.safe_load((CORPUS_DIR / "tricky.yml").read_text(encoding="utf-8"))


def structure(bundle) -> list:
    return [(doc.key, [(s.level, s.clauses) for s in doc.sections]) for doc in bundle.documents]


def headings(path) -> list[str]:
    return [p.style.name for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("Heading")]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    path = tmp_path_factory.mktemp("base") / "base.yml"
    path.write_text(BASE, encoding="utf-8")
    return make_bundle(path)


@pytest.mark.parametrize("name", sorted(CASES))
def test_text_never_changes_structure(name, base, tmp_path):
    case = CASES[name]
    if "replace" in case:
        assert BASE.count(case["replace"]) == 1
        text = BASE.replace(case["replace"], case["with"])
    else:
        text = BASE + case["append"]
    path = tmp_path / "p.yml"
    path.write_text(text, encoding="utf-8")
    bundle = make_bundle(path)
    assert structure(bundle) == structure(base)
    out = write_bundle(bundle, tmp_path / "out", site=name.startswith("customisation") or name == "carriage-return-heading")
    manual = out / "01-售后服务手册.docx"
    assert headings(manual) == [s for s in headings_of_base(base, tmp_path)]
    assert case["shown"] in all_text(docx.Document(str(manual))) + all_text(
        docx.Document(str(out / "02-认证申请书.docx")))
    if (out / "site").is_dir():
        html = manual_html(out / "site")
        assert "javascript:" not in html
        if name == "customisation-allowed-link":
            assert 'href="https://example.com/price"' in html


_BASE_HEADINGS: list = []


def headings_of_base(base, tmp_path) -> list[str]:
    if not _BASE_HEADINGS:
        path = tmp_path / "base-docx"
        path.mkdir()
        (path / "m.docx").write_bytes(base.docx["01-售后服务手册.docx"])
        _BASE_HEADINGS.extend(headings(path / "m.docx"))
    return _BASE_HEADINGS
