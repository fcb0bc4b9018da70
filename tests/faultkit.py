"""Helpers of the fault harness (tests/test_faults.py): run the real CLI like a user, photograph a
folder before and after, and state the invariant every fault must keep.

The invariant, for any fault:

* no traceback: stderr holds neither "Traceback" nor Python's "Exception ignored";
* exit 0 or 2, and an exit 2 says what went wrong ("错误：…");
* nothing lost: the user's own files (anything no manifest.json listed before) are byte-identical
  whatever the exit code; on exit 2 every file that was there before is byte-identical (earlier
  output included) and, for a single build, nothing new was written;
* output complete: on exit 0 every output folder has a manifest.json whose every file exists with
  its SHA-256, the five DOCX among them, each opening with python-docx;
* no staging folder (`.aftersales-staging-*`) left anywhere.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "company_profiles"
HUALAN = PROFILES / "hualan-appliances.yaml"
QIHENG = PROFILES / "qiheng-software.yaml"
IN_CI = os.environ.get("CI") == "true"
STAGING_PREFIX = ".aftersales-staging-"
TOOL_PREFIX = ".aftersales-"  # the tool's own names in an output folder
MANIFEST = "manifest.json"
PENDING = ".aftersales-pending.json"  # the journal of a build moving its files into place
DOCX_NAMES = ("01-售后服务手册.docx", "02-认证申请书.docx", "03-申请材料清单.docx", "04-自评打分表.docx",
              "05-服务承诺书.docx")
MEMORY_LIMIT = 1 << 30  # a CLI run reading an endless device fails with MemoryError instead of eating the machine


# --- running the CLI ------------------------------------------------------------------------------

def cli_command(*args) -> list[str]:
    """The real command line: `python -m generator.cli ARGS` (arguments as str, or bytes for odd names)."""
    return [sys.executable, "-m", "generator.cli", *(a if isinstance(a, bytes) else str(a) for a in args)]


def cli_env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else "")}


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@dataclass
class Run:
    """One finished (or stopped) process: what a user would have seen."""

    command: list
    code: int | None  # None: still running when the time limit came (it was killed)
    stdout: str
    stderr: str
    seconds: float
    hung: bool = False
    log: str = ""  # in a mount namespace: what the setup and after-steps printed

    def describe(self) -> str:
        shown = " ".join(shlex.quote(os.fsdecode(a)) for a in self.command)
        tail = "\n".join(self.stderr.strip().splitlines()[-12:])
        state = f"hung, killed after {self.seconds:.0f} s" if self.hung else f"exit {self.code}"
        return f"$ {shown}\n  -> {state} in {self.seconds:.1f} s\n  stderr (last lines):\n{_indent(tail)}"


def _indent(text: str, by: str = "    ") -> str:
    return "\n".join(by + line for line in text.splitlines()) or by + "(empty)"


def start(command: list, cwd: Path, *, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL) -> subprocess.Popen:
    """Start a process in its own session (so a hang can be ended with all its workers), memory capped."""
    return subprocess.Popen(command, cwd=cwd, env=cli_env(), stdin=stdin, stdout=stdout, stderr=subprocess.PIPE,
                            start_new_session=True, preexec_fn=_limit_memory)


def finish(process: subprocess.Popen, command: list, began: float, timeout: float) -> Run:
    """Wait for `process`; past `timeout` its whole session is killed and the run marked hung."""
    hung = False
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        hung = True
        _kill_session(process)
        out, err = process.communicate()
    return Run(command, None if hung else process.returncode, _text(out), _text(err),
               time.monotonic() - began, hung)


def _kill_session(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", errors="backslashreplace")


def run(command: list, cwd: Path, timeout: float = 180) -> Run:
    began = time.monotonic()
    return finish(start(command, cwd), command, began, timeout)


def cli(cwd: Path, *args, timeout: float = 180) -> Run:
    """`python -m generator.cli ARGS` run in `cwd`, like a user typing relative paths there."""
    return run(cli_command(*args), cwd, timeout)


def must_succeed(result: Run) -> Run:
    """A step that prepares a fault (e.g. the previous build) has to work, or the case means nothing."""
    assert result.code == 0 and not has_traceback(result), "setup step failed:\n" + result.describe()
    return result


# --- photographing a folder -----------------------------------------------------------------------

@dataclass
class State:
    """Every entry under a folder (relative path -> kind and content hash), and which files the
    manifests present at that moment say the tool wrote."""

    root: Path
    entries: dict[str, tuple]
    owned: set[str] = field(default_factory=set)

    def user_files(self) -> dict[str, tuple]:
        """Files no manifest lists, leaving out the tool's own bookkeeping (names starting with
        `.aftersales-`: staging folders of killed builds, a journal) which a later build may tidy."""
        return {rel: e for rel, e in self.entries.items() if e[0] != "dir" and rel not in self.owned
                and not any(part.startswith(TOOL_PREFIX) for part in Path(rel).parts)}


def sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def photograph(root: Path) -> State:
    entries: dict[str, tuple] = {}
    for folder, dirs, files in os.walk(root):  # symlinks are listed, never followed
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                entries[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(mode):
                entries[rel] = ("dir",)
            elif stat.S_ISREG(mode):
                entries[rel] = ("file", sha256(path))
            else:
                entries[rel] = ("special", stat.S_IFMT(mode))
    owned = set()
    for rel, entry in entries.items():
        if os.path.basename(rel) == MANIFEST and entry[0] == "file":
            base = os.path.dirname(rel)
            manifest = _read_manifest(root / rel)
            if manifest is not None:
                owned.add(rel)
                owned |= {os.path.normpath(os.path.join(base, f)) for f in manifest.get("files", {})}
    return State(root, entries, owned)


def _read_manifest(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("files"), dict) else None


def staging_left(root: Path) -> list[str]:
    return sorted(os.path.relpath(os.path.join(folder, name), root)
                  for folder, dirs, files in os.walk(root) for name in dirs + files if name.startswith(STAGING_PREFIX))


# --- the invariant --------------------------------------------------------------------------------

def has_traceback(result: Run) -> bool:
    return "Traceback" in result.stderr or "Exception ignored" in result.stderr


def output_problems(folder: Path, *, site: bool | None = None, allow_staging: bool = False,
                    allow_interrupted: bool = False) -> list[str]:
    """Why `folder` is not a complete output (empty list: it is): its manifest.json, every file the
    manifest lists with that SHA-256, the five DOCX opening with python-docx, the site if asked for.

    With `allow_interrupted`, a build killed while moving its files into place (the few
    milliseconds between its journal, `.aftersales-pending.json`, and its manifest) may have left
    each file as the previous or the new version: every file must be one of the two, whole."""
    import docx

    if not folder.is_dir():
        return [f"{folder}: the output folder does not exist"]
    manifest = _read_manifest(folder / MANIFEST)
    if manifest is None or manifest.get("tool") != "aftersales":
        return [f"{folder}: no readable manifest.json of aftersales"]
    problems = []
    files = manifest["files"]
    pending = _read_manifest(folder / PENDING) if allow_interrupted else None
    if (folder / PENDING).exists() and pending is None:
        problems.append(f"{PENDING}: an interrupted build's journal is left")
    journal = (pending or {}).get("files", {})
    for rel, digest in sorted({**files, **journal}.items()):
        path = folder / rel
        allowed = {files.get(rel), journal.get(rel)} - {None}
        if rel == MANIFEST:
            continue
        if path.is_symlink() or not path.is_file():
            if rel in files:  # the previous build's files all stay until the new manifest is in place
                problems.append(f"{rel}: listed in manifest.json, missing")
        elif sha256(path) not in allowed:
            problems.append(f"{rel}: SHA-256 differs from manifest.json" + (" and from the journal" if pending else ""))
    for name in DOCX_NAMES:
        if name not in files:
            problems.append(f"{name}: not in manifest.json")
        elif (folder / name).is_file():
            try:
                docx.Document(str(folder / name))
            except Exception as exc:  # noqa: BLE001 - any failure to open is the finding
                problems.append(f"{name}: python-docx cannot open it ({type(exc).__name__}: {exc})")
    if site is not None and ("site/index.html" in files) != site:
        problems.append(f"site/index.html {'missing from' if site else 'unexpected in'} manifest.json")
    if not allow_staging:
        problems += [f"staging folder left: {rel}" for rel in staging_left(folder)]
    return [f"{folder.name}/{p}" for p in problems]


def lost(before: State, after: State, among: dict[str, tuple]) -> list[str]:
    """Entries of `among` (taken from `before`) that are gone or differ in `after`."""
    out = []
    for rel, entry in sorted(among.items()):
        now = after.entries.get(rel)
        if now is None:
            out.append(f"{rel}: gone")
        elif now != entry:
            out.append(f"{rel}: changed ({entry[0]} -> {now[0]})" if now[0] != entry[0] else f"{rel}: changed")
    return out


def invariant_problems(result: Run, before: State, after: State, *, outputs=(), site: bool | None = None,
                       codes=(0, 2), nothing_new_on_2: bool = True, message_on_2=("错误",)) -> list[str]:
    """Every way the run broke the invariant (see the module's docstring); empty when it held.

    `outputs` are the output folders (relative to the photographed root) that must be complete on
    exit 0; `codes` the exit codes this case allows; `message_on_2` words one of which an exit 2 must say."""
    problems = []
    if result.hung:
        problems.append("hung (killed at the time limit)")
    if has_traceback(result):
        problems.append("traceback on stderr")
    if result.code not in codes and not result.hung:
        problems.append(f"exit code {result.code}, allowed {sorted(codes)}")
    if result.code == 2 and message_on_2 and not any(w in result.stderr for w in message_on_2):
        problems.append(f"exit 2 without a message saying {' / '.join(message_on_2)}")
    problems += [f"user file {p}" for p in lost(before, after, before.user_files())]
    if result.code != 0:
        problems += [f"earlier output {p}" for p in lost(before, after, {
            rel: e for rel, e in before.entries.items() if rel in before.owned})]
        if nothing_new_on_2:
            problems += [f"written although the run failed: {rel}"
                         for rel in sorted(set(after.entries) - set(before.entries))]
    if result.code == 0:
        for folder in outputs:
            problems += output_problems(after.root / folder, site=site)
    problems += [f"staging folder left: {rel}" for rel in staging_left(after.root)]
    return problems


def expect(result: Run, before: State, after: State, *, complete=(), **kwargs) -> None:
    """Fail with the whole story (command, exit, stderr tail, what was lost) unless the invariant held;
    `complete`: output folders that must be complete whatever the exit code (the good profiles of a batch)."""
    print(result.describe())  # shown with pytest -rP: what the user saw when the case passed
    problems = invariant_problems(result, before, after, **kwargs)
    for folder in complete:
        problems += output_problems(after.root / folder)
    if problems:
        pytest.fail("fault invariant broken:\n" + _indent("\n".join(problems), "  - ") + "\n" + result.describe(),
                    pytrace=False)


# --- scenes ---------------------------------------------------------------------------------------

class Scene:
    """A user's working folder: a profile, maybe a previous build, their own files beside and inside it."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def profile(self, name: str = "company.yaml", source: Path = HUALAN) -> str:
        shutil.copyfile(source, self.root / name)
        return name

    def edit(self, name: str = "company.yaml") -> None:
        """The user changes the profile, so the next build really writes (no "unchanged, skipped")."""
        with open(self.root / name, "a", encoding="utf-8") as handle:
            handle.write(f"\n# 修改于 {time.time_ns()}\n")

    def file(self, rel: str, text: str = "用户自己的文件，不许动\n") -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def cli(self, *args, timeout: float = 180) -> Run:
        return cli(self.root, *args, timeout=timeout)

    def photograph(self) -> State:
        return photograph(self.root)


def copy_scene(source: Path, target: Path) -> Scene:
    shutil.copytree(source, target, symlinks=True)
    return Scene(target)


# --- private mount namespaces (root only) ---------------------------------------------------------

SETUP_FAILED = 97


def namespace_run(setup: list[str], cwd: Path, args: list, after: list[str] = (), timeout: float = 180) -> Run:
    """Run the CLI in a private mount namespace after the shell commands `setup` (mounts …), then
    the commands `after` (e.g. copy a tmpfs' content out before it vanishes). Skips the test where
    mount namespaces are not available; a setup command that fails skips it too, with its output."""
    unshare = shutil.which("unshare")
    if os.geteuid() != 0 or unshare is None:
        pytest.skip("needs root and unshare(1) for a private mount namespace")
    log = cwd.parent / f".setup-{os.getpid()}-{time.monotonic_ns()}.log"
    q = lambda a: shlex.quote(os.fsdecode(a) if isinstance(a, bytes) else str(a))  # noqa: E731
    script = "\n".join([
        f"exec 3>&1 4>&2 >{q(log)} 2>&1",
        f"if ! {{ {' && '.join(setup) or 'true'}; }}; then exit {SETUP_FAILED}; fi",
        f"cd {q(cwd)} || exit {SETUP_FAILED}",
        " ".join(q(a) for a in cli_command(*args)) + " >&3 2>&4",
        "rc=$?",
        *after,
        "exit $rc",
    ])
    result = run([unshare, "--mount", "--propagation", "private", "sh", "-c", script], cwd.parent, timeout)
    setup_log = log.read_text(errors="replace") if log.exists() else ""
    log.unlink(missing_ok=True)
    if "unshare:" in result.stderr and ("not permitted" in result.stderr or "Permission" in result.stderr):
        pytest.skip("this machine does not allow mount namespaces: " + result.stderr.strip())
    if result.code == SETUP_FAILED:
        pytest.skip("could not set up the fault (mount): " + setup_log.strip())
    result.command = cli_command(*args)
    result.log = setup_log
    return result
