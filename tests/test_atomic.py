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
from generator.output.folder import MARKER, STAGING_PREFIX
from generator.prepare import safe_name
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


# --- the user's files around and inside the output (issue #13) ------------------------------
from generator.output.folder import PENDING, STAGING_TAG, intact, write_owned  # noqa: E402


def _fill(version: str):
    def fill(staging):
        (staging / "a.docx").write_text(f"a {version}", encoding="utf-8")
        (staging / "site").mkdir()
        (staging / "site" / "index.html").write_text(f"index {version}", encoding="utf-8")
    return fill


def _snapshot(folder) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_users_file_inside_a_replaced_folder_is_carried_over(tmp_path):
    out = write_owned(tmp_path / "o", _fill("1"))
    (out / "site" / "mine.txt").write_text("my note", encoding="utf-8")
    (out / "site" / "notes").mkdir()
    (out / "site" / "notes" / "n.txt").write_text("deeper", encoding="utf-8")
    write_owned(out, _fill("2"))
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "index 2"
    assert (out / "site" / "mine.txt").read_text(encoding="utf-8") == "my note"
    assert (out / "site" / "notes" / "n.txt").read_text(encoding="utf-8") == "deeper"
    assert intact(out)


def test_edited_file_stops_the_build_or_is_kept_renamed(tmp_path):
    out = write_owned(tmp_path / "o", _fill("1"))
    (out / "a.docx").write_text("signed by the customer", encoding="utf-8")
    (out / "site" / "index.html").write_text("my edit", encoding="utf-8")
    before = _snapshot(out)
    with pytest.raises(Exception) as stopped:
        write_owned(out, _fill("2"))
    assert "--keep-renamed" in stopped.value.message
    assert _snapshot(out) == before  # nothing written
    write_owned(out, _fill("2"), keep_renamed=True)
    assert (out / "a.docx").read_text(encoding="utf-8") == "a 2"
    kept = [p for p in out.glob("a (已修改 *).docx")]
    assert [p.read_text(encoding="utf-8") for p in kept] == ["signed by the customer"]
    assert [p.read_text(encoding="utf-8") for p in (out / "site").glob("index (已修改 *).html")] == ["my edit"]
    assert intact(out)


def test_a_folder_named_like_a_staging_folder_is_the_users(tmp_path):
    out = write_owned(tmp_path / "o", _fill("1"))
    theirs = out / f"{STAGING_PREFIX}999999999-backup"  # no such process, but no tag inside either
    theirs.mkdir()
    (theirs / "keep.txt").write_text("mine", encoding="utf-8")
    write_owned(out, _fill("2"))
    assert (theirs / "keep.txt").read_text(encoding="utf-8") == "mine"
    killed = out / f"{STAGING_PREFIX}999999999-x"  # a killed build's: tagged with its process number
    killed.mkdir()
    (killed / STAGING_TAG).write_text("aftersales staging 999999999\n", encoding="utf-8")
    write_owned(out, _fill("3"))
    assert not killed.exists()


def test_a_build_killed_while_moving_files_leaves_them_the_tools(tmp_path, monkeypatch):
    """The journal written before the first move: files already moved stay the tool's own."""
    import generator.output.folder as folder

    out = write_owned(tmp_path / "o", _fill("1"))
    real_put = folder._put
    moved = []

    def put_then_die(source, target, staging):
        if moved:
            raise KeyboardInterrupt  # killed after the first entry moved
        moved.append(target)
        real_put(source, target, staging)

    monkeypatch.setattr(folder, "_put", put_then_die)
    with pytest.raises(KeyboardInterrupt):
        write_owned(out, _fill("2"))
    monkeypatch.setattr(folder, "_put", real_put)
    assert (out / PENDING).exists() and not intact(out)  # a mix: not trusted as unchanged
    write_owned(out, _fill("3"))  # and not refused as the user's either
    assert not (out / PENDING).exists() and intact(out)
    assert (out / "a.docx").read_text(encoding="utf-8") == "a 3"


def _tamper(out, files: dict) -> None:
    """Add entries to the manifest by hand, as someone who sent the folder might have."""
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"].update(files)
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_manifest_never_reaches_outside_the_output_folder(tmp_path):
    """A manifest edited to list a file outside the folder (`..`, an absolute path, through a
    symlink the user put inside) with that file's true hash: the file is not touched."""
    import hashlib

    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    victim.write_text("secret", encoding="utf-8")
    digest = hashlib.sha256(b"secret").hexdigest()
    out = write_owned(tmp_path / "o", _fill("1"))
    (out / "link").symlink_to(outside, target_is_directory=True)
    names = ["../outside/victim.txt", str(victim), "site/../../outside/victim.txt", "link/victim.txt",
             "./../outside/victim.txt", "site//../../outside/victim.txt", "..\\outside\\victim.txt"]
    for name in names:
        _tamper(out, {name: digest})
        write_owned(out, _fill("2"))
        assert victim.read_text(encoding="utf-8") == "secret", name
        assert outside.is_dir() and (out / "link").is_symlink(), name
    assert (out / "a.docx").read_text(encoding="utf-8") == "a 2"


def test_a_symlink_where_the_tool_writes_is_the_users_even_with_the_same_content(tmp_path):
    out = write_owned(tmp_path / "o", _fill("1"))
    copy = tmp_path / "copy.docx"
    copy.write_bytes((out / "a.docx").read_bytes())
    (out / "a.docx").unlink()
    (out / "a.docx").symlink_to(copy)  # the same bytes as the tool's file, but the user's link
    with pytest.raises(Exception) as stopped:
        write_owned(out, _fill("2"))
    assert "--keep-renamed" in stopped.value.message
    assert [problem.message for problem in stopped.value.problems] == [f"是符号链接（指向 {copy}），符号链接总是您的"]
    assert (out / "a.docx").is_symlink()
    renamed: list = []
    write_owned(out, _fill("2"), keep_renamed=True, renamed=renamed)
    assert (out / "a.docx").read_text(encoding="utf-8") == "a 2" and not (out / "a.docx").is_symlink()
    assert len(renamed) == 1 and renamed[0][0] == "a.docx" and (out / renamed[0][1]).is_symlink()
    assert copy.read_text(encoding="utf-8") == "a 1"


def test_keep_renamed_says_what_it_renamed(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["build", str(HUALAN), "-o", str(out), "--no-site"]) == 0
    manual = next(out.glob("01-*.docx"))
    manual.write_bytes(manual.read_bytes() + b"\0")  # edited since
    capsys.readouterr()
    assert main(["build", str(HUALAN), "-o", str(out), "--no-site", "--keep-renamed", "--force"]) == 0
    printed = capsys.readouterr().out
    kept = [p.name for p in out.glob("01-* (已修改 *).docx")]
    assert len(kept) == 1 and kept[0] in printed and manual.name in printed, printed


def test_a_manifest_with_a_damaged_summary_is_built_again(tmp_path, capsys):
    import json

    out = tmp_path / "o"
    assert main(["build", str(HUALAN), "-o", str(out), "--no-site"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for damaged in ({"slug": 1}, "x", None, {**manifest["summary"], "score": "高"}):
        manifest["summary"] = damaged
        (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        capsys.readouterr()
        assert main(["build", str(HUALAN), "-o", str(out), "--no-site"]) == 0
        assert "跳过" not in capsys.readouterr().out
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert main(["build", str(HUALAN), "-o", str(out), "--no-site"]) == 0
    assert "跳过" in capsys.readouterr().out


def test_generated_manifest_names_never_reach_outside(tmp_path):
    """300 names generated from the pieces of a path (`..`, `.`, empty parts, `/`, a backslash, an
    absolute start, the user's symlink, real folders) listed in the manifest with the outside
    file's hash: whatever they are, only files inside the folder may go."""
    import hashlib

    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "v.txt"
    victim.write_text("secret", encoding="utf-8")
    digest = hashlib.sha256(b"secret").hexdigest()
    out = write_owned(tmp_path / "o", _fill("1"))
    (out / "link").symlink_to(outside, target_is_directory=True)
    (out / "site" / "up").symlink_to("../..", target_is_directory=True)
    chance = random.Random(13)
    pieces = ["..", ".", "", "site", "link", "up", "outside", "o", "v.txt", "..\\outside", "~"]
    names = set()
    while len(names) < 300:
        parts = [chance.choice(pieces) for _ in range(chance.randint(1, 6))] + ["v.txt"]
        name = "/".join(parts)
        names.add(("/" + str(outside.parent).lstrip("/") + "/" if chance.random() < 0.1 else "") + name)
    _tamper(out, {name: digest for name in names})
    write_owned(out, _fill("2"))
    assert victim.read_text(encoding="utf-8") == "secret"
    assert (out / "link").is_symlink() and (out / "site" / "up").is_symlink() and outside.is_dir()
