"""The DOCX files as LibreOffice renders them: Chinese glyphs, A4 pages, and every chart and diagram
drawn with its labels (found by pdftotext) and its coloured bars and boxes (counted on the page)."""
from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image

from conftest import need_tool

DOCS = ["01-售后服务手册.docx", "03-申请材料清单.docx", "04-自评打分表.docx"]
INDIGO = (0x3F, 0x51, 0xB5)


@pytest.fixture(scope="module")
def pdfs(hualan_built, tmp_path_factory):
    soffice = need_tool("soffice")
    need_tool("pdftotext")
    _, out = hualan_built
    folder = tmp_path_factory.mktemp("pdf")
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    *(str(out / name) for name in DOCS)], check=True, capture_output=True, timeout=600)
    return {name: folder / name.replace(".docx", ".pdf") for name in DOCS}


def pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")


def squash(text: str) -> str:
    return "".join(text.split())


def indigo_pixels(pdf, page: int) -> int:
    """Pixels of the figures' indigo on a page rendered at 50 dpi."""
    png = subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(page), "-l", str(page), str(pdf)],
                         check=True, capture_output=True).stdout
    raw = Image.open(io.BytesIO(png)).convert("RGB").tobytes()
    return sum(1 for i in range(0, len(raw), 3) if all(abs(raw[i + k] - INDIGO[k]) < 30 for k in range(3)))


def page_with(pdf, *texts: str) -> tuple[int, str]:
    for number, text in enumerate(pages(pdf), start=1):
        if all(squash(t) in squash(text) for t in texts):
            return number, text
    raise AssertionError(f"no page of {pdf.name} shows {texts}")


@pytest.mark.slow
def test_manual_converts_to_pdf_with_chinese_text(pdfs):
    pdf = pdfs["01-售后服务手册.docx"]
    text = "\n".join(pages(pdf))
    assert "售后服务手册" in text and "佛山市华澜电器有限公司" in text
    assert "对应条款" in text and "投诉处理" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "CJK" in fonts or "Hei" in fonts or "Song" in fonts or "Micro" in fonts, fonts
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "(A4)" in info


@pytest.mark.slow
def test_organisation_chart_and_service_flow_are_drawn_with_their_text(pdfs, hualan_built):
    bundle, _ = hualan_built
    pdf = pdfs["01-售后服务手册.docx"]
    o = bundle.profile.organisation
    number, text = page_with(pdf, "4.1 组织机构图", "售后服务组织机构图")
    for label in ["法定代表人", bundle.profile.company.legal_representative, "管理者代表",
                  o.aftersales_department.name, *(d.name for d in o.departments), *(d.head for d in o.departments),
                  "自营网点", "委托网点"]:
        assert squash(label) in squash(text), label
    assert indigo_pixels(pdf, number) > 200  # the after-sales department's box is filled
    number, text = page_with(pdf, "13.1 维修服务流程", "售后服务流程图")
    for label in ["受理", "派工", "上门服务", "维修", "回访", "关闭", "投诉处理", bundle.profile.resources.hotline]:
        assert squash(label) in squash(text), label
    assert indigo_pixels(pdf, number) > 200


@pytest.mark.slow
def test_native_charts_are_drawn_with_their_labels(pdfs, hualan_built):
    bundle, _ = hualan_built
    pdf = pdfs["04-自评打分表.docx"]
    number, text = page_with(pdf, "各二级指标得分（最终得分")
    for group in bundle.assessment.indicators:
        assert squash(f"{group.clause.id} {group.clause.title}") in squash(text), group.clause.id
    assert indigo_pixels(pdf, number) > 2000  # the bars of points earned
    gantt = bundle.figures["figures/certification-plan.svg"]
    pdf = pdfs["03-申请材料清单.docx"]
    number, text = page_with(pdf, "认证计划时间表", gantt.ticks[1], gantt.ticks[-2])
    for label in gantt.categories:
        assert squash(label) in squash(text), label
    assert "◆" in text  # the application date, a step of no duration
    assert indigo_pixels(pdf, number) > 100
