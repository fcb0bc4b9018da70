"""Builds into one output folder take turns, and what a killed build left there is removed.

A lock on the folder itself (flock: no file is added) is held while a build writes; a second build
waits for the first. A build's staging folder is named for its process and tagged inside, so that
a later build can tell a killed build's leftover from a user's folder and from a running build's.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
import time
from pathlib import Path

from generator.errors import AftersalesError, Problem, display

STAGING_PREFIX = ".aftersales-staging-"
STAGING_TAG = ".aftersales-staging"  # inside every staging folder: what tells it from a user's folder
LOCK_WAIT = 600  # seconds a build waits for another one writing the same folder


@contextlib.contextmanager
def locked(out: Path, wait: bool = True):
    """Hold an exclusive lock on the folder `out` (flock on the folder itself: no file is added);
    yields whether it is held. A second build into the same folder waits for the first (with
    `wait=False` it goes on without the lock); where the file system has no locks, builds go on
    unlocked."""
    try:
        import fcntl
    except ImportError:  # Windows
        yield True
        return
    fd = os.open(out, os.O_RDONLY)
    held = True
    try:
        deadline = None
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    held = False
                    break
                if deadline is None:
                    print(f"另一个 aftersales 进程正在写入 {display(out)}，等它完成……", file=sys.stderr)
                    deadline = time.monotonic() + LOCK_WAIT
                elif time.monotonic() > deadline:
                    raise AftersalesError(f"另一个 aftersales 进程写入 {display(out)} 已超过 {LOCK_WAIT // 60} 分钟",
                                          [Problem("请等它结束，或结束它后重试", display(out))]) from None
                time.sleep(0.1)
            except OSError:  # no locks here (some network file systems)
                break
        yield held
    finally:
        os.close(fd)


def remove_stale(out: Path) -> None:
    """Staging folders left inside `out` by a build that was killed (its process is gone): a folder
    is one only if it is named so and holds the tag naming that process, or (killed before or while
    tagging it) is empty or holds nothing but the start of that tag."""
    for folder in out.glob(f"{STAGING_PREFIX}*"):
        pid = folder.name[len(STAGING_PREFIX):].split("-", 1)[0]
        if not (folder.is_dir() and not folder.is_symlink() and pid.isdigit()):
            continue
        expected = f"aftersales staging {pid}\n"
        try:
            tag = (folder / STAGING_TAG).read_text(encoding="utf-8")
        except (OSError, ValueError):
            tag = None
        entries = [entry.name for entry in folder.iterdir()]
        untagged = entries == [] or (entries == [STAGING_TAG] and tag is not None and expected.startswith(tag))
        if (tag == expected or untagged) and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a leftover of an earlier process that had our number
    if os.name == "nt":  # os.kill(pid, 0) would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
