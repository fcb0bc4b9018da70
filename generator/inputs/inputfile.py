"""An input file's bytes: a regular file of bounded size, read without blocking, and a test for the
UTF-16 and UTF-32 text that Windows tools write (refused with a hint, not as binary)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import AftersalesError, Problem, ProfileError, display, os_reason

MAX_BYTES = 16 * 1024 * 1024  # a national brand's profile: 30,000 outlets written in it are 4.5 MB


def read_input(path: str | Path, error: type[AftersalesError] = ProfileError, limit: int = MAX_BYTES) -> bytes:
    """The bytes of an input file, which must be a regular file of at most `limit` bytes (one byte
    more is read, to tell). A missing, unreadable or special file (a folder, a FIFO, a device) is a
    clear error: never a traceback, never a read that blocks or does not end."""
    name = display(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # stat: a FIFO is not opened, so nothing blocks
            kind = "文件夹" if os.path.isdir(path) else "特殊文件（管道、设备或套接字）"
            raise error(f"{name} 是一个{kind}，不是 YAML 文件", [Problem("请给出企业档案（.yaml 文本文件）的路径", name)])
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # replaced since the stat
                raise error(f"{name} 不是普通文件")
            data = stream.read(limit + 1)
    except FileNotFoundError:
        raise error(f"找不到文件 {name}", [Problem("请检查路径和文件名", name)]) from None
    except OSError as exc:
        raise error(f"无法读取 {name}：{os_reason(exc)}", [Problem("请检查文件的权限，或换一个路径", name)]) from None
    if len(data) > limit:
        raise error(f"文件过大：{name} 超过 {limit // 1024 // 1024} MB，不像企业档案",
                    [Problem("企业档案是 YAML 文本文件，写上几万个服务网点也不到 16 MB", name)])
    return data


_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),  # before UTF-16's: FF FE starts both
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def wide_encoding(raw: bytes) -> str | None:
    """"UTF-16" or "UTF-32" when `raw` is text in one of them (as Windows' Notepad "Unicode" and
    PowerShell 5's `>` write it), else None: by its byte order mark, or without one by where its NUL
    bytes are. A character of the Basic Multilingual Plane has two NULs in its four UTF-32 bytes, and
    a profile's ASCII (its keys, its punctuation) one NUL in its two UTF-16 bytes, always on the same
    side; the bytes so decoded must then be text, without control characters: in other binary files
    NULs fall anywhere."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    sample = raw[:65536]
    if b"\x00" not in sample or len(sample) < 8:
        return None
    nuls = [sample[k::4].count(0) / len(sample[k::4]) for k in range(4)]
    even, odd = (nuls[0] + nuls[2]) / 2, (nuls[1] + nuls[3]) / 2
    if min(nuls[2], nuls[3]) > 0.9:
        guess = "UTF-32", "utf-32-le"
    elif min(nuls[0], nuls[1]) > 0.9:
        guess = "UTF-32", "utf-32-be"
    elif max(even, odd) > 0.2 and min(even, odd) < max(even, odd) / 10:  # always the same side of a pair
        guess = "UTF-16", "utf-16-le" if odd > even else "utf-16-be"
    else:
        return None
    width = 4 if guess[0] == "UTF-32" else 2
    try:
        text = sample[: len(sample) - len(sample) % width].decode(guess[1])
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4 * width:  # not a pair cut off at the sample's end
            return None
        text = sample[: exc.start].decode(guess[1])
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r")
    return guess[0] if controls <= len(text) // 100 else None
