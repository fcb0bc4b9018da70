"""LibreOffice, run headless: PDF files of the DOCX, and the page each heading lands on.

LibreOffice is found on the PATH (`soffice`, or `libreoffice`), or named by the environment variable
AFTERSALES_SOFFICE; `AFTERSALES_SOFFICE=none` does without it. Each run has a profile folder of its
own, so that builds running at once do not wait for one another's LibreOffice. A PDF has an outline
(bookmarks) from the headings, which is also where the headings' pages are read (pypdf).
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
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
TIMEOUT = 600  # seconds for one run of LibreOffice
_EXPORT = ('pdf:writer_pdf_Export:{"ExportBookmarks":{"type":"boolean","value":"true"},'
           '"UseTaggedPDF":{"type":"boolean","value":"true"}}')


class OfficeError(AftersalesError):
    """LibreOffice is missing, or failed to convert."""

    def __init__(self, message: str, hint: str):
        super().__init__(f"{message}（{hint}）")


def office() -> str | None:
    """The LibreOffice program to run, or None if there is none (or AFTERSALES_SOFFICE=none)."""
    named = os.environ.get(ENVIRONMENT)
    if named is not None:
        if named.strip().lower() in ("", "none", "0", "off"):
            return None
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(files: dict[str, bytes], program: str | None = None) -> dict[str, bytes]:
    """The PDF of each DOCX (`files`: name -> bytes), converted in one run of LibreOffice."""
    program = program or office()
    if program is None:
        raise OfficeError("未找到 LibreOffice，无法生成 PDF", hint=INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="aftersales-pdf-") as temp:
        folder = Path(temp)
        sources = []
        for i, (name, data) in enumerate(files.items()):  # plain names: LibreOffice's command line is not Unicode-safe everywhere
            source = folder / f"doc{i}.docx"
            source.write_bytes(data)
            sources.append(str(source))
        profile = (folder / "profile").as_uri()
        command = [program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
                   "--convert-to", _EXPORT, "--outdir", str(folder / "out"), *sources]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, cwd=folder,
                                  env={**os.environ, "HOME": str(folder)})
        except subprocess.TimeoutExpired:
            raise OfficeError(f"LibreOffice 在 {TIMEOUT} 秒内没有完成 PDF 转换", hint="再试一次；仍不行请检查 LibreOffice 的安装") from None
        except OSError as exc:
            raise OfficeError(f"无法运行 LibreOffice（{program}）：{exc.strerror or exc}", hint=INSTALL_HINT) from None
        out = {}
        for i, name in enumerate(files):
            pdf = folder / "out" / f"doc{i}.pdf"
            if not pdf.is_file():
                said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
                raise OfficeError(f"LibreOffice 没有把 {name} 转换为 PDF（退出码 {done.returncode}）"
                                  + (f"：{said[-1][:200]}" if said else ""), hint="检查 LibreOffice 的安装（需要 Writer）")
            out[name] = pdf.read_bytes()
        return out


def outline(pdf: bytes) -> list[tuple[int, str, int]]:
    """The PDF's outline in reading order: (depth, title, page number from 1) of each entry."""
    from pypdf import PdfReader  # only a layout pass needs it

    reader = PdfReader(io.BytesIO(pdf))
    out: list[tuple[int, str, int]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, str(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
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
    docx = {name: w.data for name, w in written.items()}
    wanted = [name for name in names if name in contents]
    if program is None or not (wanted or pdf):
        if pdf:
            raise OfficeError("未找到 LibreOffice，无法生成 PDF", hint=INSTALL_HINT)
        return Laid(docx, note=NO_OFFICE if wanted else "")
    try:
        pdfs = to_pdf({name: docx[name] for name in (names if pdf else wanted)}, program)
        pages: dict[str, dict[str, int]] = {}
        for _ in range(PASSES):
            moved = []
            for name in wanted:
                found = heading_pages(pdfs[name], written[name].contents)
                if found is None:
                    raise OfficeError(f"LibreOffice 排出的 {name} 中找不到全部标题", hint="目录页码留待打开时更新")
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
        return Laid({name: render(name, None).data for name in names}, note=f"目录页码未计算：{exc.message}")
    return Laid(docx, pdfs if pdf else {})


NO_OFFICE = "目录页码未计算：未找到 LibreOffice；Word 和 WPS 打开手册时更新目录即有页码"
