"""Bad input: every profile in tests/corpus/ gets its exact located message, exit 2, no traceback,
and the previous output is left exactly as it was."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS_DIR, HUALAN, corpus_cases
from generator.cli import main

EXPECTED = yaml.safe_load((CORPUS_DIR / "expected.yml").read_text(encoding="utf-8"))
CASES = corpus_cases()


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A good earlier build that no failed build may touch."""
    out = tmp_path_factory.mktemp("previous") / "bundle"
    assert main(["build", str(HUALAN), "-o", str(out), "--no-site"]) == 0
    return out, tree(out)


def test_corpus_is_large_and_fully_described():
    files = sorted(CASES)
    assert len(files) >= 40
    assert files == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_profile(name, previous, capsys, tmp_path):
    out, before = previous
    path = tmp_path / name
    path.write_bytes(CASES[name])
    assert main(["build", str(path), "-o", str(out), "--no-site"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{path}{EXPECTED[name]}" in err.splitlines()[1].strip(), err
    assert tree(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["bundle"]  # no staging folder left


def test_very_large_file(tmp_path, capsys):
    path = tmp_path / "huge.yaml"
    path.write_bytes(HUALAN.read_bytes() + b"# " + b"x" * (20 * 1024 * 1024) + b"\n")
    assert main(["check", str(path)]) == 2
    assert "文件过大" in capsys.readouterr().err


def test_utf8_bom_is_accepted(tmp_path, capsys):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + HUALAN.read_bytes())
    assert main(["check", str(path)]) == 0
