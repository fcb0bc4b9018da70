"""A build killed at any moment leaves the previous output complete and nothing half-written."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from conftest import HUALAN, ROOT
from generator.build import MARKER, safe_name
from generator.folder import STAGING_PREFIX
from generator.cli import main


def complete(out, expected_files: set[str]) -> None:
    """Every expected file is there and whole; a killed build may leave only its own staging folder."""
    files = {str(p.relative_to(out)) for p in out.rglob("*")
             if p.is_file() and not p.relative_to(out).parts[0].startswith(STAGING_PREFIX)}
    assert files == expected_files
    for docx in out.glob("*.docx"):
        with zipfile.ZipFile(docx) as archive:
            assert archive.testzip() is None


@pytest.mark.slow
def test_sigkill_at_random_moments(tmp_path):
    out = tmp_path / "bundle"
    assert main(["build", str(HUALAN), "-o", str(out)]) == 0
    expected = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert MARKER in expected
    chance = random.Random(20261123)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(20):
        process = subprocess.Popen([sys.executable, "-m", "generator.cli", "build", str(HUALAN), "-o", str(out)],
                                   cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.3, 7.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        complete(out, expected)
    # the next build cleans up what the killed ones left beside the output
    assert main(["build", str(HUALAN), "-o", str(out)]) == 0
    complete(out, expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle"]
    assert not list(out.glob(STAGING_PREFIX + "*"))  # the killed builds' staging folders are gone


@pytest.mark.parametrize("name,safe", [
    ("../../etc/passwd", "etc-passwd"), ("a/b\\c", "a-b-c"), ("CON", "_CON"), ("nul", "_nul"),
    ("   ", "company"), ("公司" * 100, "公司" * 40), ("a:b*c?d", "a-b-c-d"),
])
def test_output_names_are_sanitised(name, safe):
    assert safe_name(name) == safe
