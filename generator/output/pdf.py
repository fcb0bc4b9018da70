"""LibreOffice, run headless: PDF files of the DOCX, and the page each heading lands on.

LibreOffice is found on the PATH (`soffice`, or `libreoffice`), or named by the environment variable
AFTERSALES_SOFFICE; `AFTERSALES_SOFFICE=none` does without it. Each run has a profile folder of its
own, so that builds running at once do not wait for one another's LibreOffice. A PDF has an outline
(bookmarks) from the headings, which is also where the headings' pages are read (pypdf).
"""
from __future__ import annotations

import contextlib
import io
import logging
import os
import signal
import shutil
import subprocess
import zipfile
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import AftersalesError

if TYPE_CHECKING:
    from generator.output.docx.writer import Written

ENVIRONMENT = "AFTERSALES_SOFFICE"
PACKAGE = "libreoffice-writer"  # the Debian / Ubuntu package that gives soffice
INSTALL_HINT = (f"安装 LibreOffice：Debian / Ubuntu 用 sudo apt install {PACKAGE}（无图形界面的机器用 "
                f"{PACKAGE}-nogui），其他系统见 https://www.libreoffice.org/download/ ；"
                f"或用环境变量 {ENVIRONMENT} 指明 soffice 的路径")
TIMEOUT = 120  # seconds for one run of LibreOffice, and one more for each 10 KB of the documents
ROW_SECONDS = 0.1  # and this for each row of their tables: LibreOffice lays a long table out slowly
# (a manual with 10,000 outlets, 10,300 rows: 520 s and 1.6 GB for one conversion on a 2-core machine)
LAID_OUT_ROWS = 3_000  # a document with more rows is not laid out for its contents' page numbers
_EXPORT = ('pdf:writer_pdf_Export:{"ExportBookmarks":{"type":"boolean","value":"true"},'
           '"UseTaggedPDF":{"type":"boolean","value":"true"}}')
_TEMP = "aftersales-pdf-"  # + the process id: a folder left by a process that was killed is removed by the next


class OfficeError(AftersalesError):
    """LibreOffice is missing, or failed to convert."""

    def __init__(self, message: str, hint: str):
        super().__init__(f"{message}（{hint}）")


def _find() -> tuple[str | None, str]:
    """The LibreOffice program to run, or None and why there is none."""
    named = os.environ.get(ENVIRONMENT, "").strip()
    if named.lower() in ("none", "off", "0"):
        return None, f"已按环境变量 {ENVIRONMENT}={named} 不使用 LibreOffice"
    if named:
        program = shutil.which(named)
        if program is None:
            return None, f"环境变量 {ENVIRONMENT} 指向的 “{named}” 不是可运行的程序"
        return program, ""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    return program, "" if program else "未找到 LibreOffice"


def office() -> str | None:
    """The LibreOffice program to run: AFTERSALES_SOFFICE (a path or a name on the PATH; `none` for
    none), else soffice or libreoffice on the PATH; None if there is none."""
    return _find()[0]


def absence() -> str:
    """Why there is no LibreOffice to run ("" if there is one)."""
    return _find()[1]


def no_pdf_error() -> OfficeError:
    """`--pdf` asked for, with no LibreOffice to run."""
    why = absence()
    hint = (f"去掉环境变量 {ENVIRONMENT}，或把它设为 soffice 的路径" if ENVIRONMENT in why else INSTALL_HINT)
    return OfficeError(f"--pdf 需要 LibreOffice：{why}；没有生成任何文件", hint=hint)


def to_pdf(files: dict[str, bytes], program: str) -> dict[str, bytes]:
    """The PDF of each DOCX (`files`: name -> bytes), converted in one run of LibreOffice, in its own
    process group (stopped whole if the build is), with a profile folder of its own."""
    _remove_left_behind()
    with tempfile.TemporaryDirectory(prefix=f"{_TEMP}{os.getpid()}-") as temp:
        folder = Path(temp)
        sources = []
        for i, data in enumerate(files.values()):  # plain names: LibreOffice's command line is not Unicode-safe everywhere
            source = folder / f"doc{i}.docx"
            source.write_bytes(data)
            sources.append(str(source))
        command = [program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nologo", "--convert-to", _EXPORT, "--outdir", str(folder / "out"), *sources]
        limit = time_allowed(files)
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=folder,
                                       env={**os.environ, "HOME": str(folder)}, start_new_session=True)
        except OSError as exc:
            raise OfficeError(f"无法运行 LibreOffice（{program}）：{exc.strerror or exc}", hint=INSTALL_HINT) from None
        try:
            with _terminated_as_exit():
                stdout, stderr = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise OfficeError(f"LibreOffice 在 {limit} 秒内没有完成 PDF 转换", hint="再试一次；仍不行请检查 LibreOffice 的安装") from None
        except BaseException:  # Ctrl+C, or the build stopped (SIGTERM): LibreOffice stops with it
            _stop(process)
            raise
        out = {}
        for i, name in enumerate(files):
            pdf = folder / "out" / f"doc{i}.pdf"
            data = pdf.read_bytes() if pdf.is_file() else b""
            if not data.startswith(b"%PDF"):
                said = (stderr or stdout).decode("utf-8", "replace").strip().splitlines()
                what = f"写出的 {pdf.name} 不是 PDF" if data else f"没有把 {name} 转换为 PDF"
                raise OfficeError(f"LibreOffice {what}（退出码 {process.returncode}）"
                                  + (f"：{said[-1][:200]}" if said else ""), hint="检查 LibreOffice 的安装（需要 Writer）")
            out[name] = data
        return out


def _stop(process: subprocess.Popen) -> None:
    """Stop LibreOffice and what it started (soffice starts soffice.bin)."""
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@contextlib.contextmanager
def _terminated_as_exit():
    """While LibreOffice runs in its own session, SIGTERM (`kill`, `timeout`) ends this process as an
    exception, so that LibreOffice is stopped and its folder removed, as on Ctrl+C."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return

    def stop(number, frame):
        raise KeyboardInterrupt  # told as Ctrl+C is: 已中断

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _remove_left_behind() -> None:
    """The folders of conversions whose process is gone (killed before it could remove its own)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_TEMP}*-*"):
        pid = folder.name[len(_TEMP):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


def outline(pdf: bytes) -> list[tuple[int, str, int]]:
    """The PDF's outline in reading order: (depth, title, page number from 1) of each entry."""
    from pypdf import PdfReader  # only a layout pass needs it

    out: list[tuple[int, str, int]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, str(item.title), reader.get_destination_page_number(item) + 1))

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # a damaged file is told below, in Chinese, once
    try:
        reader = PdfReader(io.BytesIO(pdf))
        walk(reader.outline, 0)
    except Exception as exc:  # pypdf's errors for a damaged file have no common base worth naming
        raise OfficeError(f"LibreOffice 写出的 PDF 已损坏，读不出标题所在的页（{type(exc).__name__}）",
                          hint="再试一次；仍不行请检查 LibreOffice 的安装和临时文件夹的剩余空间") from None
    return out


def heading_pages(pdf: bytes, headings) -> dict[str, int] | None:
    """The page of each heading (bookmark -> page), matched in order with the PDF's outline entries,
    whose titles end in the heading's text (LibreOffice puts the number first); None if some heading is
    not in the outline."""
    entries = [("".join(title.split()), page) for _, title, page in outline(pdf)]
    pages, at = {}, 0
    for heading in headings:
        text = "".join(heading.text.split())
        while at < len(entries) and not (entries[at][0].endswith(text) and text):
            at += 1
        if at == len(entries):
            return None
        pages[heading.bookmark] = entries[at][1]
        at += 1
    return pages


@dataclass
class Laid:
    """The documents after a layout pass: DOCX files (those with contents paginated), their PDFs if
    asked for, and why the contents have no page numbers, if they have none ("" if they have)."""

    docx: dict[str, bytes]
    pdf: dict[str, bytes] = field(default_factory=dict)
    note: str = ""


PASSES = 3  # layouts tried before the contents' page numbers are taken as they last came out


def lay_out(render: Callable[[str, dict[str, int] | None], Written], names: list[str], contents: set[str], *,
            pdf: bool, program: str | None) -> Laid:
    """Each document `render(name, pages)` written, its contents (for names in `contents`) carrying the
    page each heading lands on as LibreOffice lays the document out: the document is converted, the
    pages read from the PDF's outline and written into the contents, and converted again until the
    pages it shows are those it lands on. With `pdf`, the PDF of every document too (OfficeError if
    LibreOffice is missing or fails); without, a failing LibreOffice leaves the contents to be updated
    on opening, and `note` says why."""
    written = {name: render(name, None) for name in names}
    unpaged_docx = {name: w.data for name, w in written.items()}
    docx = dict(unpaged_docx)
    wanted = [name for name in names if name in contents]
    long = {name: rows for name in wanted if (rows := table_rows(docx[name])) > LAID_OUT_ROWS}
    wanted = [name for name in wanted if name not in long]
    note = unpaged("、".join(f"{name} 的表格有 {rows:,} 行，LibreOffice 排版要很久" for name, rows in long.items())) if long else ""
    if program is None:
        if pdf:
            raise no_pdf_error()
        return Laid(docx)  # the caller says once that there is no LibreOffice (`unpaged`)
    if not (wanted or pdf):
        return Laid(docx, note=note)
    try:
        pdfs = to_pdf({name: docx[name] for name in (names if pdf else wanted)}, program)
        pages: dict[str, dict[str, int]] = {}
        for _ in range(PASSES):
            moved = []
            for name in wanted:
                found = heading_pages(pdfs[name], written[name].contents)
                if found is None:
                    raise OfficeError(f"LibreOffice 排出的 {name} 中找不到全部标题", hint="再试一次；仍不行请检查 LibreOffice 的安装")
                if found != pages.get(name):
                    pages[name] = found
                    moved.append(name)
            if not moved:
                break
            for name in moved:
                written[name] = render(name, pages[name])
                docx[name] = written[name].data
            pdfs.update(to_pdf({name: docx[name] for name in moved}, program))
    except OfficeError as exc:
        if pdf:
            raise
        return Laid(unpaged_docx, note=unpaged(exc.message))
    return Laid(docx, pdfs if pdf else {}, note=note)


def time_allowed(files: dict[str, bytes]) -> float:
    """Seconds LibreOffice has to convert `files` (DOCX bytes) in one run, by their size and the rows of
    their tables."""
    return TIMEOUT + sum(map(len, files.values())) // 10_000 + ROW_SECONDS * sum(map(table_rows, files.values()))


def table_rows(docx: bytes) -> int:
    """The rows of a DOCX's tables (what makes LibreOffice slow), 0 for what is not a DOCX."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            return package.read("word/document.xml").count(b"<w:tr>")
    except (zipfile.BadZipFile, KeyError):
        return 0


def unpaged(why: str) -> str:
    """The note of contents left without page numbers."""
    return f"目录页码未计算：{why}；Word 和 WPS 打开手册时更新目录即有页码"
