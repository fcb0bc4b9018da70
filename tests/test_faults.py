"""Fault harness (issue #13): the real CLI, run as a user runs it (a subprocess, relative paths, a
temporary working folder), against a hostile environment: a read-only or full disk, names too long,
files where folders should be, symlinks, concurrent and killed builds, broken pipes, FIFOs and
devices as profiles, odd file names.

Every case checks one invariant (tests/faultkit.py states it in full): no traceback; exit 0 or 2,
an exit 2 with a message; nothing lost (the user's files always, and on exit 2 everything that was
there before, byte-identical); on exit 0 every output complete (manifest.json verifies, the DOCX
open); no staging folder left behind.

The cases needing a private mount namespace (a read-only bind mount, a small tmpfs) run only as
root with unshare(1), and skip elsewhere. `CI=true` runs 20 rounds of the concurrent and the
SIGKILL cases; elsewhere AFTERSALES_FAULT_ROUNDS rounds (default 6).
"""
from __future__ import annotations

import json
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from faultkit import (HUALAN, IN_CI, MANIFEST, PENDING, QIHENG, STAGING_PREFIX, Run, Scene, cli_command, copy_scene, expect, finish,
                      invariant_problems, must_succeed, namespace_run, output_problems, photograph, staging_left, start)

ROUNDS = 20 if IN_CI else int(os.environ.get("AFTERSALES_FAULT_ROUNDS", "6"))
SEED = int(os.environ.get("AFTERSALES_FAULT_SEED", "13"))
BUILD = ("build", "company.yaml", "-o", "out", "--no-site")
HANG = 20  # seconds: a run taking longer is taken as hung (a cold build takes 2-4 s)


IS_ROOT = os.geteuid() == 0
HAS_UNSHARE = shutil.which("unshare") is not None
needs_namespace = pytest.mark.skipif(not (IS_ROOT and HAS_UNSHARE),
                                     reason="needs root and unshare(1) for a private mount namespace")
# as root (permissions do not stop root) a read-only bind mount in a namespace; otherwise chmod 555
read_only_possible = pytest.mark.skipif(IS_ROOT and not HAS_UNSHARE,
                                        reason="root ignores chmod; a read-only bind mount needs unshare(1)")


def q(path) -> str:
    return shlex.quote(str(path))


@pytest.fixture(scope="session")
def previous_build(tmp_path_factory) -> Path:
    """A working folder as a user leaves it: company.yaml, out/ holding a DOCX-only build of it,
    and their own files beside (notes.txt) and inside the output folder (out/客户笔记.txt)."""
    scene = Scene(tmp_path_factory.mktemp("previous") / "work")
    scene.profile()
    must_succeed(scene.cli(*BUILD))
    scene.file("notes.txt")
    scene.file("out/客户笔记.txt")
    assert not output_problems(scene.root / "out", site=False)
    return scene.root


@pytest.fixture
def scene(previous_build, tmp_path) -> Scene:
    """A fresh copy of the previous build's working folder, for one case to damage."""
    return copy_scene(previous_build, tmp_path / "work")


# --- 1. read-only output folder -------------------------------------------------------------------

def read_only_run(scene: Scene, folder: str, args) -> Run:
    """Run the CLI while `folder` (relative to the scene) is read-only: a read-only bind mount in a
    private mount namespace as root (root ignores permission bits), chmod 555 otherwise."""
    path = scene.root / folder
    if IS_ROOT:
        return namespace_run([f"mount --bind {q(path)} {q(path)}", f"mount -o remount,bind,ro {q(path)}"],
                             scene.root, list(args))
    mode = path.stat().st_mode
    path.chmod(0o555)
    try:
        return scene.cli(*args)
    finally:
        path.chmod(mode)


@read_only_possible
def test_read_only_output_folder_keeps_the_previous_build(scene):
    scene.edit()  # the profile changed: the build has something to write
    before = scene.photograph()
    result = read_only_run(scene, "out", BUILD)
    expect(result, before, scene.photograph(), codes=(2,))


@read_only_possible
def test_read_only_parent_of_a_new_output_folder(scene):
    scene.root.joinpath("readonly").mkdir()
    before = scene.photograph()
    result = read_only_run(scene, "readonly", ("build", "company.yaml", "-o", "readonly/new", "--no-site"))
    expect(result, before, scene.photograph(), codes=(2,))


@read_only_possible
@pytest.mark.parametrize("args", [
    pytest.param(("init", "readonly/company.yaml"), id="init"),
    pytest.param(("score", "company.yaml", "--xlsx", "readonly/score.xlsx"), id="score-xlsx"),
])
def test_read_only_folder_for_one_file(scene, args):
    """init and score --xlsx into a read-only folder: the message names the file asked for (not the
    temporary one beside it) and gives no advice that belongs to build."""
    scene.root.joinpath("readonly").mkdir()
    before = scene.photograph()
    result = read_only_run(scene, "readonly", args)
    expect(result, before, scene.photograph(), codes=(2,))
    assert args[-1] in result.stderr and "aftersales-tmp" not in result.stderr and "用 -o" not in result.stderr, \
        result.describe()


# --- 2. full disk ---------------------------------------------------------------------------------

FILL = ("import os, sys\n"
        "folder, slack = sys.argv[1], int(sys.argv[2])\n"
        "with open(os.path.join(folder, 'filler.bin'), 'wb') as f:\n"
        "    while True:\n"
        "        s = os.statvfs(folder)\n"
        "        free = s.f_bavail * s.f_frsize\n"
        "        if free <= slack:\n"
        "            break\n"
        "        f.write(bytes(max(4096, min(1 << 16, free - slack))))\n"
        "        f.flush()\n")


@needs_namespace
@pytest.mark.parametrize("case", [
    "filler",  # 2 MB disk: the previous build, a filler file, 64 KB free; a DOCX-only build needs ~340 KB
    "site",  # 3 MB disk holding a DOCX-only build (~340 KB); the new build adds the site (~5.6 MB)
])
def test_full_disk_keeps_the_previous_build(scene, tmp_path, case):
    scene.edit()
    disk, before_copy, after_copy = tmp_path / "disk", tmp_path / "before", tmp_path / "after"
    for folder in (disk, before_copy, after_copy):
        folder.mkdir()
    setup = [f"mount -t tmpfs -o size={'2m' if case == 'filler' else '3m'} tmpfs {q(disk)}",
             f"cp -a {q(scene.root)}/. {q(disk)}/"]
    if case == "filler":
        setup.append(f"{q(sys.executable)} -c {q(FILL)} {q(disk)} 65536")
    setup.append(f"cp -a {q(disk)}/. {q(before_copy)}/")  # the tmpfs vanishes with the namespace
    args = ["build", "company.yaml", "-o", "out"] + (["--no-site"] if case == "filler" else [])
    result = namespace_run(setup, disk, args, after=[f"cp -a {q(disk)}/. {q(after_copy)}/ && touch {q(tmp_path / 'copied')}"])
    assert not result.hung, "hung:\n" + result.describe()
    assert (tmp_path / "copied").exists(), "copying the tmpfs out failed:\n" + result.log
    expect(result, photograph(before_copy), photograph(after_copy), codes=(2,), message_on_2=("空间", "磁盘"))


# --- 3. names too long ----------------------------------------------------------------------------

LONG = "名" * 100  # 300 bytes in UTF-8: above NAME_MAX (255)


@pytest.mark.parametrize("args", [
    pytest.param(("build", "company.yaml", "-o", "n" * 300, "--no-site"), id="output-name-300"),
    pytest.param(("build", "company.yaml", "-o", LONG, "--no-site"), id="output-name-300-bytes-chinese"),
    pytest.param(("build", "company.yaml", "-o", "/".join(["d" * 200] * 22), "--no-site"), id="output-path-over-PATH_MAX"),
    pytest.param(("build", "p" * 300 + ".yaml", "-o", "out", "--no-site"), id="profile-name-300"),
    pytest.param(("build", "p" * 300 + "/company.yaml", "-o", "out", "--no-site"), id="profile-folder-name-300"),
    pytest.param(("check", "p" * 300 + ".yaml"), id="check-profile-name-300"),
    pytest.param(("score", "p" * 300 + ".yaml"), id="score-profile-name-300"),
])
def test_name_too_long(scene, args):
    before = scene.photograph()
    result = scene.cli(*args)
    expect(result, before, scene.photograph(), codes=(2,))


def test_name_too_long_in_a_batch_leaves_the_good_profile_built(scene):
    scene.profile("other.yaml", QIHENG)
    before = scene.photograph()
    result = scene.cli("build", "other.yaml", "p" * 300 + ".yaml", "-o", "batch", "--no-site", "-j", "1")
    expect(result, before, scene.photograph(), codes=(2,), nothing_new_on_2=False, complete=["batch/other"])
    assert "共 2 个档案" in result.stdout, result.describe()


# --- 4. a file where a folder should be -----------------------------------------------------------

@pytest.mark.parametrize("args", [
    pytest.param(("build", "company.yaml", "-o", "some_file", "--no-site"), id="output-is-a-file"),
    pytest.param(("build", "company.yaml", "-o", "some_file/sub", "--no-site"), id="output-parent-is-a-file"),
    pytest.param(("build", "company.yaml", "-o", "some_file/sub/deeper", "--no-site"), id="output-grandparent-is-a-file"),
    pytest.param(("build", "company.yaml", "other.yaml", "-o", "some_file", "--no-site", "-j", "1"), id="batch-output-is-a-file"),
    pytest.param(("build", "company.yaml", "-o", "out/客户笔记.txt", "--no-site"), id="output-is-a-user-file-in-the-previous-output"),
])
def test_file_where_a_folder_should_be(scene, args):
    scene.profile("other.yaml", QIHENG)
    scene.file("some_file", "不是文件夹\n")
    before = scene.photograph()
    result = scene.cli(*args)
    expect(result, before, scene.photograph(), codes=(2,))


# --- 5. symlinked output folder -------------------------------------------------------------------

@pytest.mark.parametrize("target", ["relative", "absolute"])
def test_symlinked_output_folder(scene, target):
    os.symlink("out" if target == "relative" else str(scene.root / "out"), scene.root / "link")
    scene.edit()
    before = scene.photograph()
    previous = json.loads((scene.root / "out" / MANIFEST).read_text(encoding="utf-8"))
    result = scene.cli("build", "company.yaml", "-o", "link", "--no-site")
    after = scene.photograph()
    expect(result, before, after, codes=(0,), outputs=["out"])
    assert after.entries["link"] == before.entries["link"], "the link is no longer the same symlink"
    assert sorted(os.listdir(scene.root)) == sorted(os.listdir(before.root)), "stray entries beside the link"
    current = json.loads((scene.root / "out" / MANIFEST).read_text(encoding="utf-8"))
    assert current["input_hash"] != previous["input_hash"], "the real folder does not hold the new build"


def test_dangling_symlink_as_output_folder(scene):
    os.symlink("missing", scene.root / "link")
    before = scene.photograph()
    result = scene.cli("build", "company.yaml", "-o", "link", "--no-site")
    after = scene.photograph()
    expect(result, before, after, outputs=["missing"])
    assert after.entries["link"] == ("link", "missing"), "the link was replaced"


# --- 6. concurrent builds into one folder ---------------------------------------------------------

def test_concurrent_builds_into_the_same_folder(scene):
    """Two builds into one folder, ROUNDS times: in even rounds the same profile started at the
    same moment (a double click); in odd rounds two different companies, so that a mix of their
    files shows, started so that both reach their writes at about the same time (the second one
    delayed by the difference of their times to the staging folder seen so far, counting only the
    build that stages first, give or take 0.2 s).
    Both exit 0, or one exits 2 saying why; after every round the folder is complete, matches its
    manifest and holds the user's files; no staging folder is left."""
    scene.profile("other.yaml", QIHENG)
    to_staging = {"company.yaml": [], "other.yaml": []}  # seconds from its start to its staging folder
    chance = random.Random(SEED)
    outcomes = []
    for round_ in range(ROUNDS):
        pair = ["company.yaml", "company.yaml" if round_ % 2 == 0 else "other.yaml"]
        offset = 0.0
        if round_ % 2:
            offset = chance.uniform(-0.2, 0.2)
            if all(to_staging.values()):
                offset += statistics.median(to_staging["company.yaml"]) - statistics.median(to_staging["other.yaml"])
        if offset < 0:
            pair.reverse()
            offset = -offset
        before = scene.photograph()
        results, seen = _race(scene, pair, [0.0, offset])
        if None not in seen:  # only the first to stage: the other one may have waited for it (a lock)
            i = 0 if seen[0] <= seen[1] + offset else 1
            to_staging[pair[i]].append(seen[i])
        after = scene.photograph()
        problems = []
        for result in results:
            problems += [p for p in invariant_problems(result, before, after, nothing_new_on_2=False)
                         if not p.startswith("earlier output")]  # the other build may have replaced it
        if not any(r.code == 0 for r in results):
            problems.append("neither build succeeded")
        problems += output_problems(scene.root / "out", site=False)
        gap = f"{(seen[1] + offset) - seen[0]:+.2f}s" if None not in seen else "?"
        outcomes.append(f"{pair[0][:5]}+{pair[1][:5]} staging gap {gap}: exit {results[0].code},{results[1].code}")
        if problems:
            pytest.fail(f"round {round_ + 1} of {ROUNDS}; rounds so far {outcomes}:\n"
                        + "\n".join(f"  - {p}" for p in problems) + "\n"
                        + "\n".join(r.describe() for r in results), pytrace=False)
    print("concurrent builds:\n  " + "\n  ".join(outcomes))


def _race(scene: Scene, profiles: list[str], offsets: list[float]) -> tuple[list[Run], list[float | None]]:
    """Start a forced DOCX-only build of each profile into out/, each `offsets[i]` seconds after the
    first; watch for each one's staging folder. Returns the runs and, for each, the seconds from its
    start to its staging folder appearing (None if never seen)."""
    out = scene.root / "out"
    commands = [cli_command("build", p, "-o", "out", "--no-site", "--force") for p in profiles]
    processes: list = [None] * len(profiles)
    began: list = [None] * len(profiles)
    seen: list = [None] * len(profiles)
    origin = time.monotonic()
    while True:
        now = time.monotonic()
        for i, command in enumerate(commands):
            if processes[i] is None and now - origin >= offsets[i]:
                began[i], processes[i] = now, start(command, scene.root)
        names = os.listdir(out) if out.is_dir() else []
        for i, process in enumerate(processes):
            if process is not None and seen[i] is None and any(
                    n.startswith(f"{STAGING_PREFIX}{process.pid}-") for n in names):
                seen[i] = now - began[i]
        if all(p is not None and p.poll() is not None for p in processes) or now - origin > 120:
            break
        time.sleep(0.002)
    return [finish(p, c, b, 60) for p, c, b in zip(processes, commands, began)], seen


# --- 7. SIGKILL at random moments -----------------------------------------------------------------

def test_sigkill_at_random_moments_leaves_a_complete_output(scene):
    """A build killed at any moment leaves the previous output or the new one, complete; or, killed
    in the milliseconds while it moves its files into place, every file whole as the previous or the
    new version with the journal saying so, and the next build (no --force) mends it. Each build is of the other company than the one in the folder, so that a mix shows. Even rounds kill after a delay
    spread over the whole build; odd rounds aim at the writing: they kill at a random moment of the
    0.15 s after the build's staging folder appears in the output folder."""
    scene.profile("other.yaml", QIHENG)
    user_files = scene.photograph().user_files()
    duration = must_succeed(scene.cli("build", "other.yaml", "-o", "out", "--no-site", "--force")).seconds
    chance = random.Random(SEED)
    killed = []
    interrupted = 0
    for round_ in range(ROUNDS):
        profile = "other.yaml" if _built_slug(scene.root / "out") == "company" else "company.yaml"
        before = scene.photograph()
        began = time.monotonic()
        process = start(cli_command("build", profile, "-o", "out", "--no-site", "--force"), scene.root,
                        stdout=subprocess.DEVNULL)
        if round_ % 2 == 0:
            time.sleep(chance.uniform(0, 1.1 * duration))
            moment = f"{time.monotonic() - began:.2f}s"
        else:
            seen = _wait_for_staging(scene.root / "out", process, limit=60)
            time.sleep(chance.uniform(0, 0.15))
            moment = f"{time.monotonic() - began:.2f}s" + (f"(staging+{time.monotonic() - seen:.2f}s)" if seen else "")
        process.kill()
        _, err = process.communicate()
        killed.append(f"{moment}:{'killed' if process.returncode == -9 else f'exit {process.returncode}'}")
        after = photograph(scene.root)
        problems = output_problems(scene.root / "out", site=False, allow_staging=True, allow_interrupted=True)
        problems += [f"user file {p}" for p in _lost(user_files, after)]
        if not problems and (scene.root / "out" / PENDING).exists():  # killed while moving: the next build mends it
            interrupted += 1
            mend = scene.cli("build", profile, "-o", "out", "--no-site")
            if mend.code != 0 or "Traceback" in mend.stderr:
                problems.append(f"the build after an interrupted one failed: exit {mend.code}\n{mend.describe()}")
            problems += output_problems(scene.root / "out", site=False)
        if b"Traceback" in err:
            problems.append("traceback before the kill: " + err.decode(errors="replace")[-400:])
        if problems:
            changed = sorted(rel for rel, e in after.entries.items() if before.entries.get(rel) != e
                             and not (len(Path(rel).parts) > 2 and Path(rel).parts[1].startswith(STAGING_PREFIX)))
            repair = scene.cli("build", profile, "-o", "out", "--no-site")  # does the next build mend it?
            mended = output_problems(scene.root / "out", site=False)
            pytest.fail(f"killed build {round_ + 1} of {ROUNDS} ({profile}, killed at {moment} of a {duration:.1f} s "
                        f"build) left a broken output:\n" + "\n".join(f"  - {p}" for p in problems)
                        + f"\n  entries changed by the killed build (inside its staging folder left out): {changed}"
                        + f"\n  rounds so far: {killed}\n  a following build without --force: exit {repair.code}, "
                        + (f"output still broken: {mended}" if mended else "output complete again")
                        + "\n" + repair.describe(), pytrace=False)
    before = scene.photograph()
    result = scene.cli("build", "company.yaml", "-o", "out", "--no-site", "--force")
    expect(result, before, scene.photograph(), codes=(0,), outputs=["out"])
    assert sorted(os.listdir(scene.root)) == sorted(os.listdir(before.root))
    print(f"SIGKILL rounds (moment: outcome), solo build {duration:.1f} s: {killed}; "
          f"{interrupted} killed while moving files, mended by the next build")


def _built_slug(out: Path) -> str | None:
    """Which profile the output folder's manifest says it was built from."""
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8"))["summary"]["slug"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _wait_for_staging(out: Path, process, limit: float) -> float | None:
    """The moment `process` created its staging folder in `out` (None if it ended or `limit` passed first)."""
    prefix = f"{STAGING_PREFIX}{process.pid}-"
    deadline = time.monotonic() + limit
    while process.poll() is None and time.monotonic() < deadline:
        if any(name.startswith(prefix) for name in os.listdir(out)):
            return time.monotonic()
        time.sleep(0.002)
    return None


def _lost(files: dict, after) -> list[str]:
    return [f"{rel}: gone or changed" for rel, entry in sorted(files.items()) if after.entries.get(rel) != entry]


# --- 8. environment faults of the command line ----------------------------------------------------

@pytest.mark.parametrize("args", [
    pytest.param(("score", "--json", "company.yaml"), id="score-json"),
    pytest.param(("score", "company.yaml"), id="score-table"),
    pytest.param(("check", "company.yaml"), id="check"),
    pytest.param(("build", "company.yaml", "other.yaml", "-o", "batch", "--no-site", "-j", "2"), id="batch"),
])
def test_broken_pipe_like_head(scene, args):
    """`aftersales score --json PROFILE | head -c 10`, literally, in bash; the tool's own exit status.
    An exit 2 says the output was closed early (found by a stranger: stderr was empty)."""
    scene.profile("other.yaml", QIHENG)
    status = scene.root / "status"
    line = " ".join(shlex.quote(a) for a in cli_command(*args))
    script = f"{line} | head -c 10 >/dev/null; echo ${{PIPESTATUS[0]}} > {q(status)}"
    before = scene.photograph()
    began = time.monotonic()
    process = start(["bash", "-c", script], scene.root)
    result = finish(process, cli_command(*args), began, 120)
    result.code = int(status.read_text()) if status.exists() else None
    status.unlink(missing_ok=True)
    batch = args[0] == "build"
    expect(result, before, scene.photograph(), message_on_2=("输出被提前关闭",), nothing_new_on_2=not batch,
           complete=["batch/company", "batch/other"] if batch else ())


@pytest.mark.parametrize("args", [
    pytest.param(("score", "--json", "company.yaml"), id="score-json"),
    pytest.param(("score", "company.yaml"), id="score-table"),
    pytest.param(("check", "company.yaml"), id="check"),
    pytest.param(("build", "company.yaml", "-o", "fresh", "--no-site"), id="build"),
    pytest.param(("build", "company.yaml", "other.yaml", "-o", "fresh", "--no-site", "-j", "2"), id="batch"),
])
def test_stdout_closed_before_the_tool_writes(scene, args):
    """The reader of stdout is gone before the first byte (e.g. `| true`): EPIPE on every write.
    A build exits 0 with its output complete, or 2 having written nothing or a complete output;
    an exit 2 says the output was closed early, and a batch builds every profile all the same."""
    scene.profile("other.yaml", QIHENG)
    before = scene.photograph()
    began = time.monotonic()
    process = start(cli_command(*args), scene.root)
    process.stdout.close()
    result = finish(process, cli_command(*args), began, 120)
    build = args[0] == "build"
    # a build that could not report may still have written its output: then it must be complete
    written = build and (scene.root / "fresh").exists()
    batch = args[-1] == "2"
    complete = (["fresh/company", "fresh/other"] if batch else ["fresh"]) if written else ()
    expect(result, before, scene.photograph(), outputs=complete, message_on_2=("输出被提前关闭",),
           nothing_new_on_2=not written, complete=complete)
    if batch:
        assert written, "the batch stopped building when its output was closed\n" + result.describe()


@pytest.mark.parametrize("args", [
    pytest.param(("build", "pipe.yaml", "-o", "fresh", "--no-site"), id="build"),
    pytest.param(("check", "pipe.yaml"), id="check"),
    pytest.param(("score", "pipe.yaml"), id="score"),
    pytest.param(("build", "company.yaml", "pipe.yaml", "-o", "batch", "--no-site", "-j", "2"), id="batch"),
])
def test_fifo_as_profile_does_not_hang(scene, args):
    os.mkfifo(scene.root / "pipe.yaml")
    before = scene.photograph()
    result = scene.cli(*args, timeout=HANG)
    batch = args[-1] == "2"
    expect(result, before, scene.photograph(), codes=(2,), nothing_new_on_2=not batch,
           complete=["batch/company"] if batch else ())


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("command", ["build", "check", "score"])
def test_device_as_profile(scene, device, command):
    """An endless device as the profile: a message, not an endless read (memory is capped at 1 GB)."""
    args = (command, device) + (("-o", "fresh", "--no-site") if command == "build" else ())
    before = scene.photograph()
    result = scene.cli(*args, timeout=HANG)
    expect(result, before, scene.photograph(), codes=(2,))


@pytest.mark.parametrize("args,created", [
    pytest.param(("init", "missing/company.yaml"), "missing/company.yaml", id="init-into-missing-folder"),
    pytest.param(("init", "out"), None, id="init-onto-a-folder"),
    pytest.param(("score", "company.yaml", "--xlsx", "missing/dir/x.xlsx"), "missing/dir/x.xlsx", id="xlsx-into-missing-folder"),
    pytest.param(("score", "company.yaml", "--xlsx", "out"), None, id="xlsx-onto-a-folder"),
    pytest.param(("score", "company.yaml", "--xlsx", "notes.txt/x.xlsx"), None, id="xlsx-under-a-file"),
])
def test_writing_where_it_cannot(scene, args, created):
    """Exit 0 having written the file (the folder made), or exit 2 having written nothing."""
    before = scene.photograph()
    result = scene.cli(*args)
    expect(result, before, scene.photograph(), codes=(0, 2) if created else (2,))
    if result.code == 0:
        assert (scene.root / created).is_file(), f"exit 0 but {created} is not there\n" + result.describe()


ODD_NAMES = {"invalid-utf8": b"bad-\xff\xfe.yaml", "newline": "bad\nname.yaml".encode()}


@pytest.mark.parametrize("content", ["broken", "valid"])
@pytest.mark.parametrize("odd", sorted(ODD_NAMES))
def test_folder_with_an_odd_file_name(scene, odd, content):
    """A folder of profiles holding one file with an odd name (undecodable bytes, a newline) beside
    two good ones: the good ones are built, the summary printed. A broken odd profile fails (exit 2);
    a valid one is built or refused, either with no traceback."""
    folder = scene.root / "profiles"
    folder.mkdir()
    scene.profile("profiles/a.yaml", HUALAN)
    scene.profile("profiles/b.yaml", QIHENG)
    odd_path = os.path.join(os.fsencode(folder), ODD_NAMES[odd])
    with open(odd_path, "wb") as handle:
        handle.write(b"company: [\n" if content == "broken" else HUALAN.read_bytes())
    before = scene.photograph()
    result = scene.cli("build", "profiles", "-o", "batch", "--no-site", "-j", "2")
    expect(result, before, scene.photograph(), codes=(2,) if content == "broken" else (0, 2),
           nothing_new_on_2=False, complete=["batch/a", "batch/b"])
    assert "共 3 个档案" in result.stdout, "no summary\n" + result.describe()


# --- 9. found by a stranger -----------------------------------------------------------------------

def test_a_skipped_build_after_a_killed_one_leaves_no_staging_folder(scene):
    """`build`; `build --force` killed with kill -9 while it stages; `build` again: the inputs did not
    change, so it skips (or, the kill having come while files moved, mends the output), and either
    way the killed build's staging folder is gone."""
    out = scene.root / "out"
    process = start(cli_command(*BUILD, "--force"), scene.root, stdout=subprocess.DEVNULL)
    seen = _wait_for_staging(out, process, limit=60)
    process.kill()
    process.communicate()
    assert seen is not None and staging_left(out), "the killed build had no staging folder"
    interrupted = (out / PENDING).exists()
    before = scene.photograph()
    result = scene.cli(*BUILD)
    expect(result, before, scene.photograph(), codes=(0,), outputs=["out"])
    assert interrupted or "未变化，跳过" in result.stdout, result.describe()
