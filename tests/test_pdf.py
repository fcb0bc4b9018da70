"""A DOCX converted by LibreOffice shows Chinese glyphs, and its tables stay on the page."""
from __future__ import annotations

import subprocess

import pytest

from conftest import need_tool


@pytest.mark.slow
def test_manual_converts_to_pdf_with_chinese_text(hualan_built, tmp_path):
    soffice = need_tool("soffice")
    pdftotext = need_tool("pdftotext")
    _, out = hualan_built
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(out / "01-售后服务手册.docx")], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "01-售后服务手册.pdf"
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "售后服务手册" in text and "佛山市华澜电器有限公司" in text
    assert "对应条款" in text and "投诉处理" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "CJK" in fonts or "Hei" in fonts or "Song" in fonts or "Micro" in fonts, fonts
    # page size: A4 portrait, every page (a table that overflowed would not change it, but a
    # landscape or oversize page would show a layout problem)
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info
