"""The build needs no font: it opens no font file and runs no font tool, and it succeeds on a
machine whose fonts are all hidden (a private mount namespace, when the tests run as root)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import HUALAN, ROOT

FONT_FILES = (".ttf", ".ttc", ".otf", ".otc", ".pfb", ".pfa", ".pcf", ".bdf", ".woff", ".woff2")
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "/var/cache/fontconfig")

WATCHED_BUILD = """
import json, sys
opened, ran = [], []
def watch(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        name = args[0].decode() if isinstance(args[0], bytes) else args[0]
        if name.lower().endswith(FONT_FILES) or "fontconfig" in name:
            opened.append(name)
    elif event in ("subprocess.Popen", "os.exec", "os.posix_spawn"):
        ran.append(repr(args[:2]))
sys.addaudithook(watch)
from generator.cli import main
code = main(["build", PROFILE, "-o", OUT])
try:  # a font loaded by a C library (FreeType) is mapped into memory, not opened by Python
    with open("/proc/self/maps") as maps:
        opened += [line.split()[-1] for line in maps if line.rstrip().lower().endswith(FONT_FILES)]
except OSError:
    pass
print(json.dumps({"code": code, "opened": opened, "ran": ran}))
"""


def test_a_build_opens_no_font_and_runs_no_program(tmp_path):
    """Python's audit events show every file Python opens and every program it starts."""
    script = (f"FONT_FILES = {FONT_FILES!r}\nPROFILE = {str(HUALAN)!r}\nOUT = {str(tmp_path / 'out')!r}\n"
              + WATCHED_BUILD)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"code": 0, "opened": [], "ran": []}
    assert (tmp_path / "out" / "site" / "index.html").is_file()


def test_the_build_passes_with_every_font_hidden(tmp_path):
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None:
        pytest.skip("needs root and unshare(1) to hide the fonts in a private mount namespace")
    hide = "; ".join(f"if [ -d {d} ]; then mount -t tmpfs none {d}; fi" for d in FONT_FOLDERS)
    out = tmp_path / "out"
    command = (f"{hide}; echo fonts=$(fc-list 2>/dev/null | wc -l); "
               f'exec "{sys.executable}" -m generator.cli build "{HUALAN}" -o "{out}"')
    result = subprocess.run([unshare, "--mount", "--propagation", "private", "sh", "-c", command],
                            capture_output=True, text=True, cwd=tmp_path, timeout=300,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)})
    if "Operation not permitted" in result.stderr and "unshare" in result.stderr:
        pytest.skip("this machine does not allow mount namespaces")
    assert result.returncode == 0, result.stderr
    assert "fonts=0" in result.stdout  # the build really ran without a single font
    assert (out / "site" / "index.html").is_file()
    for name in ("01-售后服务手册.docx", "04-自评打分表.docx"):
        with zipfile.ZipFile(out / name) as archive:
            assert archive.testzip() is None
            assert any(n.startswith("word/charts/") for n in archive.namelist()) == (name.startswith("04"))
