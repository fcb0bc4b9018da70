"""Documents as a consultant hands them over (issue #17): Word-numbered headings, references that
follow the numbering, a contents with the page numbers LibreOffice lays the manual out on, and a PDF
beside each DOCX with an outline of the headings."""
from __future__ import annotations

import io
import os
import re
import signal
import stat
import subprocess
import sys
import time
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import HUALAN, QIHENG, ROOT, YUNXUAN, need_tool
from generator.build import make_bundle
from generator.errors import CoverageError
from generator.output.docx.writer import DocxMeta, write_docx
from generator.text import clausetags, headings
from wordnumbers import numbered_headings, shown_numbers

MANUAL = "01-售后服务手册.docx"


def run(*args, soffice: str | None = "none", cwd=ROOT, extra: dict | None = None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(extra or {})}
    if soffice is None:
        env.pop("AFTERSALES_SOFFICE", None)  # found on the PATH, as a user's build finds it
    else:
        env["AFTERSALES_SOFFICE"] = soffice
    return subprocess.run([sys.executable, "-m", "generator.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env)


def squash(text: str) -> str:
    return "".join(text.split())


# --- headings numbered by Word, no LibreOffice needed -------------------------------------------

@pytest.fixture(scope="module", params=[HUALAN, YUNXUAN, QIHENG], ids=lambda p: p.stem)
def example(request):
    bundle = make_bundle(request.param)
    manual = next(d for d in bundle.documents if d.key == "manual")
    return bundle, manual, docx.Document(io.BytesIO(bundle.docx[MANUAL]))


def test_headings_are_numbered_by_word_as_the_site_numbers_them(example):
    """Word's count of the numPr-numbered headings gives exactly the headings the site shows (the
    Markdown's), and no heading paragraph types its number."""
    _, manual, document = example
    shown = numbered_headings(document)
    assert [text for _, text in shown] == [s.text for s in manual.sections]
    assert [style for style, _ in shown] == [f"Heading {min(s.level, 4)}" for s in manual.sections]
    for paragraph in document.paragraphs:
        if paragraph.style.name in ("Heading 1", "Heading 2", "Heading 3"):
            assert not re.match(r"(\d+(\.\d+)*|附录 [A-Z])\s", paragraph.text), paragraph.text  # no typed number
    assert ("Heading 1", "颁布令") in shown and ("Heading 1", "附录 A 服务网点清单") in shown
    assert ("Heading 2", "R01 投诉登记处理表") in shown  # a form's own code, not a section number


def test_heading_styles_are_linked_to_the_multilevel_list(example):
    """Heading 1–3 carry the list in their style (a heading typed in Word is numbered), the list's
    levels name their styles back, and the contents' heading, based on Heading 1, shows no number."""
    _, _, document = example
    styles = document.styles
    numbering = document.part.numbering_part.element
    ids = set()
    for level in (1, 2, 3):
        num_pr = styles[f"Heading {level}"].element.pPr.numPr
        assert num_pr is not None and num_pr.ilvl.val == level - 1
        ids.add(num_pr.numId.val)
    assert len(ids) == 1
    abstract_id = numbering.num_having_numId(ids.pop()).abstractNumId.val
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == str(abstract_id))
    texts = {int(l.get(qn("w:ilvl"))): (l.find(qn("w:lvlText")).get(qn("w:val")),
                                        l.find(qn("w:pStyle")).get(qn("w:val")) if l.find(qn("w:pStyle")) is not None else None)
             for l in abstract.findall(qn("w:lvl"))}
    assert texts[0] == ("%1", "Heading1") and texts[1] == ("%1.%2", "Heading2") and texts[2] == ("%1.%2.%3", "Heading3")
    toc_heading = [(p.text, number) for p, number in shown_numbers(document) if p.style.name == "TOC Heading"]
    assert toc_heading == [("目　录", "")]


def test_other_documents_keep_unnumbered_headings(example):
    bundle, _, _ = example
    for name in ("02-认证申请书.docx", "04-自评打分表.docx"):
        document = docx.Document(io.BytesIO(bundle.docx[name]))
        assert all(number == "" for _, number in shown_numbers(document)
                   if _.style.name.startswith("Heading")), name
        assert document.styles["Heading 1"].element.pPr.numPr is None


def _fields(document, name: str) -> list[tuple[str, str]]:
    """(instruction, cached result) of each complex field named `name` in the body, nested ones too
    (the contents' PAGEREF fields sit inside its TOC field)."""
    out, stack = [], []  # stack: [instruction, result, collecting] of each open field
    for element in document.element.body.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
        if element.tag == qn("w:fldChar"):
            kind = element.get(qn("w:fldCharType"))
            if kind == "begin":
                stack.append(["", "", False])
            elif kind == "separate":
                stack[-1][2] = True
            elif kind == "end":
                instruction, result, _ = stack.pop()
                if instruction.split()[0] == name:
                    out.append((instruction.strip(), result))
        elif element.tag == qn("w:instrText") and stack:
            stack[-1][0] += element.text or ""
        elif element.tag == qn("w:t") and stack and stack[-1][2]:
            stack[-1][1] += element.text or ""
    return out


def test_references_are_ref_fields_to_the_headings_bookmarks(example):
    """Every "见 6.2", "第 9 章", "附录 E" of the manual is a REF field to the bookmark on that heading, its
    cached result the number Word shows there; none is left as plain text in the DOCX."""
    bundle, manual, document = example
    marks = {}
    for paragraph, number in shown_numbers(document):
        for start in paragraph._p.iter(qn("w:bookmarkStart")):
            marks[start.get(qn("w:name"))] = number
    references = _fields(document, "REF")
    wanted = re.findall(r"\]\(#sec-([^)]+)\)", manual.markdown)
    assert len(references) == len(wanted) >= 10
    for instruction, cached in references:
        parts = instruction.split()
        assert parts[0] == "REF" and "\\w" in parts and "\\h" in parts
        assert marks[parts[1]] == cached, (instruction, cached)
    assert {cached for _, cached in references} >= {"6.2", "8", "9", "附录 A", "附录 E"}


def _house(tmp_path, name: str, edit):
    """A consultant's template folder holding one of ours, edited."""
    house = tmp_path / "house"
    (house / "manual").mkdir(parents=True, exist_ok=True)
    source = (ROOT / "content" / "documents" / "manual" / name).read_text(encoding="utf-8")
    (house / "manual" / name).write_text(edit(source), encoding="utf-8")
    return house


def test_a_consultants_template_is_numbered_as_word_counts_and_its_references_follow(tmp_path):
    """A house template that adds a chapter before chapter 1 and a section without a number: the site
    and Word both count on, the new section gets its number, every reference follows its section to its
    new number, and so does every section the materials checklist cites."""
    house = _house(tmp_path, "front.md.j2", lambda text: text.replace("# 1 企业概况", "# 1 总则\n\n总则。\n\n# 2 企业概况", 1))
    _house(tmp_path, "product.md.j2", lambda text: text.replace(
        "## 13.3 维修质量", '## 新节\n\n新节的正文，见 {{ see("13.2") }}。\n\n## 13.3 维修质量'))
    bundle = make_bundle(YUNXUAN, content=house)  # no customisation naming 16.5
    manual = next(d for d in bundle.documents if d.key == "manual")
    titles = [s.text for s in manual.sections]
    assert "1 总则" in titles and "14 维修服务" in titles and "14.2 备件与收费" in titles
    assert titles.index("14.3 新节") + 1 == titles.index("14.4 维修质量")
    assert "见 [14.2](#sec-14.2)" in manual.markdown and "培训（见 [7.2](#sec-7.2)）" in manual.markdown
    assert "适用清单见 [3.1](#sec-3.1)" in manual.markdown
    document = docx.Document(io.BytesIO(bundle.docx[MANUAL]))
    assert [text for _, text in numbered_headings(document)] == titles  # Word counts as the site shows
    references = {cached for _, cached in _fields(document, "REF")}
    assert {"14.2", "7.2", "3.1", "9", "10", "附录 E"} <= references  # 见 6.2 is 见 7.2 now; 第 8 章 第 9 章
    checklist = next(d for d in bundle.documents if d.key == "checklist").markdown
    assert "01-售后服务手册.docx　5.1 组织机构图" in checklist and "3.1 引用文件" in checklist
    assert "4.1 组织机构图" not in checklist


def test_a_section_the_checklist_cites_and_the_template_drops_is_told(tmp_path):
    house = _house(tmp_path, "front.md.j2", lambda text: text.replace("# 1 企业概况与适用范围", "# 1 概况", 1))
    with pytest.raises(CoverageError) as raised:
        make_bundle(HUALAN, content=house)
    assert "M05" in raised.value.render() and "“1 企业概况与适用范围” 不在售后服务手册中" in raised.value.render()


def test_a_reference_to_no_section_is_told_at_the_consultants_line(tmp_path):
    for wrong, told in (('see("附录 K")', "附录 K"), ('see("99.9")', "99.9")):
        house = _house(tmp_path / told, "product.md.j2", lambda text: text.replace('see("附录 E")', wrong, 1))
        result = run("build", HUALAN, "-o", tmp_path / "out", "--no-site", "--content", house)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert f"see(“{told}”) 引用的章节不存在" in result.stderr
        assert f"{house / 'manual' / 'product.md.j2'}:" in result.stderr  # the consultant's line
        assert "目录页码未计算" not in result.stderr  # nothing was built: no word of the contents
        assert not (tmp_path / "out").exists()


def test_renumbering_counts_as_word_does():
    markdown = ("# 前言\n\n## 说明\n\n# 3 甲 {clauses=1}\n\n## 3.1 乙\n\n## 新节\n\n## 3.9新节\n\n### 小节\n\n"
                "# 附录 C 己\n\n## R01 表\n\n# 附录B 庚\n\n# 后记\n\n## 后记的节\n\n"
                "见 [3.9](#sec-3.9)、[附录 B](#sec-B)、[附录 C](#sec-C)、[第三章](#sec-3)。\n")
    renumbered = headings.renumber(markdown, clausetags.sections(markdown))
    sections = clausetags.sections(renumbered)
    assert [s.text for s in sections] == ["前言", "说明", "1 甲", "1.1 乙", "1.2 新节", "1.3 新节", "1.3.1 小节",
                                          "附录 A 己", "R01 表", "附录 B 庚", "后记", "后记的节"]
    assert "# 1 甲 {clauses=1}" in renumbered  # the tag stays
    assert renumbered.endswith("见 [1.3](#sec-1.3)、[附录 B](#sec-B)、[附录 A](#sec-A)、[第三章](#sec-1)。\n")
    assert headings.renumber(renumbered, sections) == renumbered  # numbers as Word counts them stay
    for wrong in ("# 1 甲\n\n见 [2](#sec-2)\n", "# 1 甲\n\n# 1 乙\n\n见 [1](#sec-1)\n"):
        with pytest.raises(headings.NumberingError):
            headings.renumber(wrong, clausetags.sections(wrong))
    assert headings.see("13.2") == "[13.2](#sec-13.2)" and headings.see("附录 E") == "[附录 E](#sec-E)"
    for bad in ("E", "附录 1", "13.x", "[1](x)"):
        with pytest.raises(headings.NumberingError):
            headings.see(bad)


# --- without LibreOffice -------------------------------------------------------------------------

def test_without_libreoffice_the_build_says_so_once_and_word_updates_the_contents(tmp_path):
    result = run("build", HUALAN, YUNXUAN, "-o", tmp_path, "--no-site", "-j", "1")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("目录页码未计算") == 1
    document = docx.Document(tmp_path / "hualan-appliances" / MANUAL)
    assert document.settings.element.find(qn("w:updateFields")) is not None  # Word fills the pages in on opening
    entries = [p for p in document.paragraphs if p.style.name.startswith("toc ")]
    assert entries and all(p.text.endswith("\t") for p in entries)  # no page number made up
    assert not list(tmp_path.rglob("*.pdf"))


def test_pdf_without_libreoffice_exits_2_naming_the_package_and_writes_nothing(tmp_path):
    (tmp_path / "bin").mkdir()  # a machine with no soffice on its PATH, and no variable naming one
    result = run("build", HUALAN, "-o", tmp_path / "out", "--no-site", "--pdf", soffice=None,
                 extra={"PATH": str(tmp_path / "bin")})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--pdf 需要 LibreOffice：未找到 LibreOffice；没有生成任何文件" in result.stderr
    assert "sudo apt install libreoffice-writer" in result.stderr
    assert not (tmp_path / "out").exists()


def _fake_office(folder, script: str):
    path = folder / "soffice"
    path.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


# A stand-in for LibreOffice that writes, for each DOCX it is given, a file that starts like a PDF and is not one.
DAMAGED = """out=""; prev=""
for a in "$@"; do
  if [ "$prev" = "--outdir" ]; then out="$a"; fi
  case "$a" in *.docx) mkdir -p "$out"; b=$(basename "$a" .docx); printf '%%PDF-1.4 cut off' > "$out/$b.pdf";; esac
  prev="$a"
done"""


def test_a_damaged_pdf_from_libreoffice_is_told_not_a_traceback(tmp_path):
    """LibreOffice crashing midway, or a full temporary folder, leaves a cut-off PDF: a plain build goes
    on without page numbers and tells why, and is not skipped next time; --pdf stops with exit 2."""
    damaged = _fake_office(tmp_path, DAMAGED)
    left = tmp_path / "temp" / "aftersales-pdf-999999999-abc"  # left by a conversion whose process was killed
    left.mkdir(parents=True)
    env = {"TMPDIR": str(tmp_path / "temp")}
    result = run("build", HUALAN, "-o", tmp_path / "out", "--no-site", soffice=str(damaged), extra=env)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "目录页码未计算：LibreOffice 写出的 PDF 已损坏" in result.stderr
    assert not left.exists() and not list((tmp_path / "temp").iterdir())  # its own folder removed too
    again = run("build", HUALAN, "-o", tmp_path / "out", "--no-site", soffice=str(damaged), extra=env)
    assert again.returncode == 0 and "跳过" not in again.stdout  # tried again, not skipped as unchanged
    result = run("build", HUALAN, "-o", tmp_path / "out", "--no-site", "--pdf", soffice=str(damaged), extra=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "PDF 已损坏" in result.stderr


def test_the_variable_naming_libreoffice_is_told_when_it_is_wrong(tmp_path):
    result = run("build", HUALAN, "-o", tmp_path / "out", "--no-site", "--pdf", soffice=str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"环境变量 AFTERSALES_SOFFICE 指向的 “{tmp_path / 'nowhere'}” 不是可运行的程序" in result.stderr
    assert "去掉环境变量 AFTERSALES_SOFFICE" in result.stderr and not (tmp_path / "out").exists()
    result = run("build", HUALAN, "-o", tmp_path / "out", "--no-site", "--pdf")  # AFTERSALES_SOFFICE=none
    assert result.returncode == 2 and "已按环境变量 AFTERSALES_SOFFICE=none 不使用 LibreOffice" in result.stderr
    result = run("build", HUALAN, "-o", tmp_path / "out", "--no-site")
    assert result.returncode == 0 and "提示：目录页码未计算：已按环境变量 AFTERSALES_SOFFICE=none" in result.stderr


def test_a_failing_libreoffice_leaves_the_contents_to_word_or_stops_a_pdf_build(tmp_path):
    broken = _fake_office(tmp_path, "echo 'javaldx: Could not find a Java Runtime Environment!' >&2; exit 1")
    result = run("build", HUALAN, "-o", tmp_path / "out", "--no-site", soffice=str(broken))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "目录页码未计算" in result.stderr and "LibreOffice" in result.stderr
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.is_file()}
    result = run("build", HUALAN, "-o", tmp_path / "out", "--no-site", "--pdf", "--force", soffice=str(broken))
    assert result.returncode == 2 and "Traceback" not in result.stderr and "PDF" in result.stderr
    after = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir() if p.is_file()}
    assert after == before  # the earlier build stays as it was


# --- with LibreOffice: the contents' page numbers and the PDFs -----------------------------------

@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The three examples built with PDFs, LibreOffice found on the PATH as a user's build finds it."""
    need_tool("soffice")
    need_tool("pdftotext")
    out = tmp_path_factory.mktemp("paginated")
    result = run("build", HUALAN, YUNXUAN, QIHENG, "-o", out, "--no-site", "--pdf", "-j", "2", soffice=None)
    assert result.returncode == 0, result.stderr
    assert "目录页码未计算" not in result.stderr and "Traceback" not in result.stderr
    return out, result


@pytest.fixture(params=[HUALAN, YUNXUAN, QIHENG], ids=lambda p: p.stem)
def paginated(batch, request):
    out, result = batch
    return out / request.param.stem, result


def _pdf_pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return text.split("\f")


@pytest.mark.slow
def test_pdf_writes_one_pdf_per_docx(paginated):
    out, result = paginated
    docx_files = sorted(p.stem for p in out.glob("*.docx"))
    assert docx_files and sorted(p.stem for p in out.glob("*.pdf")) == docx_files
    for pdf in out.glob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF")
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert all(p.name in manifest for p in out.glob("*.pdf"))  # the tool's own files, replaced on a rebuild


@pytest.mark.slow
def test_every_contents_entry_ends_in_the_page_its_heading_is_on_in_the_pdf(paginated):
    out, _ = paginated
    document = docx.Document(out / MANUAL)
    entries = [p for p in document.paragraphs if p.style.name.startswith("toc ")]
    shown = [text for style, text in numbered_headings(document) if style in ("Heading 1", "Heading 2")]
    assert len(entries) == len(shown) > 40
    assert document.settings.element.find(qn("w:updateFields")) is None  # nothing for Word to ask
    pages = _pdf_pages(out / "01-售后服务手册.pdf")
    toc_pages = {i for i, page in enumerate(pages) if "目 录" in page or "目　录" in page}
    for entry, heading in zip(entries, shown):
        text, _, page = entry.text.rpartition("\t")
        assert squash(text) == squash(heading)
        assert re.fullmatch(r"\d+", page), entry.text  # every entry ends in a page number
        number = int(page)
        assert number - 1 not in toc_pages
        lines = [squash(line) for line in pages[number - 1].splitlines()]
        assert any(line.startswith(squash(heading)) for line in lines), (heading, number)  # on the page the entry names
    fields = _fields(document, "PAGEREF")
    assert len(fields) == len(entries) and all(cached.isdigit() for _, cached in fields)


@pytest.mark.slow
def test_the_pdf_has_an_outline_of_the_headings(paginated):
    from pypdf import PdfReader

    out, _ = paginated
    reader = PdfReader(out / "01-售后服务手册.pdf")
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(squash(item.title))

    walk(reader.outline)
    document = docx.Document(out / MANUAL)
    assert titles == [squash(text) for _, text in numbered_headings(document)]  # numbers as Word shows them


@pytest.mark.slow
def test_the_paginated_manual_passes_the_schema_checks(paginated):
    from openxml_audit import OpenXmlValidator

    out, _ = paginated
    result = OpenXmlValidator().validate(out / MANUAL)
    assert [e.description for e in result.errors if getattr(e.severity, "value", e.severity) == "error"] == []
    with zipfile.ZipFile(out / MANUAL) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    toc = re.search(r'<w:fldChar w:fldCharType="begin"( w:dirty="true")?/></w:r><w:r><w:instrText[^>]*> TOC ', body)
    assert toc is not None and toc[1] is None  # its result is right: not marked for Word to update


@pytest.mark.slow
def test_a_single_build_names_its_pdfs_and_a_rebuild_replaces_them(tmp_path):
    need_tool("soffice")
    result = run("build", QIHENG, "-o", tmp_path, "--no-site", "--pdf", soffice=None)
    assert result.returncode == 0, result.stderr
    assert "PDF 文件（5 份）在同一目录：01-售后服务手册.pdf、" in result.stdout
    first = (tmp_path / "01-售后服务手册.pdf").stat().st_mtime_ns
    result = run("build", QIHENG, "-o", tmp_path, "--no-site", "--pdf", "--force", soffice=None)
    assert result.returncode == 0 and "改名" not in result.stdout  # the tool's own PDFs, replaced
    assert (tmp_path / "01-售后服务手册.pdf").stat().st_mtime_ns != first
    pdfs = {p.name: p.read_bytes() for p in tmp_path.glob("*.pdf")}
    result = run("build", QIHENG, "-o", tmp_path, "--no-site", soffice=None)  # without --pdf: built again
    assert result.returncode == 0 and "跳过" not in result.stdout and "已删除" not in result.stdout
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.pdf")} == pdfs  # the same DOCX: their PDFs stay
    result = run("build", QIHENG, "-o", tmp_path, "--no-site")  # no layout pass: the manual's contents differ
    assert result.returncode == 0
    assert "已删除上次生成的 PDF（01-售后服务手册.pdf）：本次生成的 DOCX 已经不同" in result.stdout  # told
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(set(pdfs) - {"01-售后服务手册.pdf"})


def test_the_site_links_each_reference_to_its_sections_page(example):
    from generator.output.site.layout import layout
    from generator.output.site.pages import site_pages

    bundle, manual, _ = example
    where = layout(bundle.documents)
    found = 0
    for page, text in site_pages(bundle).items():
        if not page.startswith("manual/") or not isinstance(text, str):
            continue
        assert "](#sec-" not in text  # no reference left as an anchor the site does not have
        for shown, target, index in re.findall(r"\[((?:附录 )?[0-9A-Z.]+)\]\(([^)#\s]*)#s-(\d+)\)", text):
            landed = os.path.normpath(os.path.join(os.path.dirname(page), target)).replace(os.sep, "/")
            assert landed == where.pages[("manual", int(index))]
            assert manual.sections[int(index)].text.startswith(shown + " ")
            found += 1
    assert found == len(re.findall(r"\]\(#sec-", manual.markdown)) >= 10


_HEADINGS = st.lists(st.tuples(
    st.integers(1, 4),  # level
    st.sampled_from(["chapter", "appendix", "plain", "glued"]),  # how its number is typed
    st.integers(1, 30), st.sampled_from("ABCDEFGHJK")), min_size=1, max_size=25)


@settings(max_examples=150 if os.environ.get("CI") == "true" else 40, deadline=None)
@given(_HEADINGS, st.data())
def test_any_heading_structure_is_numbered_alike_in_word_and_on_the_site(heads, data):
    """Whatever headings a template types (numbers out of order, missing, glued to the title, appendices
    anywhere, levels skipped), Word's count of the DOCX's numPr gives exactly the site's headings, and
    each reference lands on the heading that typed its number."""
    lines, typed = [], []
    for i, (level, how, number, letter) in enumerate(heads):
        key = {"chapter": ".".join([str(number)] * (min(level, 3))), "appendix": letter,
               "plain": None, "glued": f"{number}.{i}"}[how]
        text = {"chapter": f"{key} 标题{i}", "appendix": f"附录 {letter} 标题{i}", "plain": f"标题{i}",
                "glued": f"{key}标题{i}"}[how]
        lines.append(f"{'#' * level} {text}\n\n正文{i}。\n")
        typed.append(key)
    markdown = "\n".join(lines)
    sections = clausetags.sections(markdown)
    found = headings.labels(sections)
    typed_as = {}
    for label in found:
        if label is not None and label.typed is not None:
            typed_as.setdefault(label.typed, []).append(label)
    referable = sorted(key for key, labels in typed_as.items() if len(labels) == 1)
    chosen = data.draw(st.lists(st.sampled_from(referable), max_size=5)) if referable else []
    markdown += "\n" + "".join(f"见 {headings.see(headings.shown(key))}。\n" for key in chosen)
    renumbered = headings.renumber(markdown, clausetags.sections(markdown))
    after = clausetags.sections(renumbered)
    meta = DocxMeta(title="t", company="c", short_name="c", number="", version="", numbered=True)
    document = docx.Document(io.BytesIO(write_docx(renumbered, meta)))
    assert [text for _, text in numbered_headings(document)] == [s.text for s in after]
    marks = {}
    for paragraph, number in shown_numbers(document):
        for start in paragraph._p.iter(qn("w:bookmarkStart")):
            marks[start.get(qn("w:name"))] = number
    references = _fields(document, "REF")
    assert [cached for _, cached in references] == [typed_as[key][0].shown for key in chosen]
    assert all(marks[instruction.split()[1]] == cached for instruction, cached in references)


def test_a_build_stopped_while_libreoffice_runs_stops_it_and_leaves_nothing(tmp_path):
    """SIGTERM (kill, timeout) or Ctrl+C during the layout pass: LibreOffice, in a session of its own,
    is stopped with the build, its folder removed, and the earlier output stays as it was."""
    slow = _fake_office(tmp_path, f'echo $$ >> "{tmp_path}/pids"; sleep 60')
    out = tmp_path / "out"
    assert run("build", HUALAN, "-o", out, "--no-site").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    for number in (signal.SIGTERM, signal.SIGINT):
        temp = tmp_path / f"temp{number}"
        temp.mkdir()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "AFTERSALES_SOFFICE": str(slow), "TMPDIR": str(temp)}
        process = subprocess.Popen([sys.executable, "-m", "generator.cli", "build", str(HUALAN), "-o", str(out),
                                    "--no-site", "--force"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        for _ in range(300):  # until the stand-in runs
            if (tmp_path / "pids").exists() and len((tmp_path / "pids").read_text().split()) >= (2 if number == signal.SIGINT else 1):
                break
            time.sleep(0.1)
        process.send_signal(number)
        _, stderr = process.communicate(timeout=60)
        assert "Traceback" not in stderr and process.returncode == 130 and "已中断" in stderr
        assert not list(temp.iterdir())  # no conversion folder left
        pid = int((tmp_path / "pids").read_text().split()[-1])
        time.sleep(0.2)
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # the stand-in for LibreOffice was stopped too
        assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_the_checklist_cites_only_the_sections_a_profile_keeps(tmp_path):
    """Repair not provided (5.2.4 excluded): chapter 13 holds only the exclusion, so the flow chart of
    13.1 is not in the manual; the checklist cites the complaint procedure alone for M13, not a section
    the manual does not have."""
    text = HUALAN.read_text(encoding="utf-8")
    data = __import__("yaml").safe_load(text)
    data["arrangements"]["repair"] = {"provided": False, "excluded_reason": "本公司商品不提供维修，质量问题一律换新"}
    data.pop("customisation", None)
    profile = tmp_path / "no-repair.yaml"
    profile.write_text(__import__("yaml").safe_dump(data, allow_unicode=True), encoding="utf-8")
    bundle = make_bundle(profile)
    manual = next(d for d in bundle.documents if d.key == "manual")
    assert "13.1 维修服务流程" not in [s.text for s in manual.sections]
    checklist = next(d for d in bundle.documents if d.key == "checklist").markdown
    row = next(line for line in checklist.splitlines() if line.startswith("| M13 "))
    assert "17.2 处理程序与时限" in row and "13.1" not in row


def test_a_document_too_long_to_lay_out_keeps_contents_word_fills_in(tmp_path, monkeypatch):
    """A national brand's manual (10,000 outlets: 10,300 table rows) takes LibreOffice about 9 minutes
    and 1.6 GB to lay out once: a document with more rows than LAID_OUT_ROWS is not laid out, and the
    note says why; LibreOffice is not even started when no other document wants it."""
    from generator.output import pdf

    called = tmp_path / "called"
    monkeypatch.setenv("AFTERSALES_SOFFICE", str(_fake_office(tmp_path, f"touch {called}; exit 1")))
    monkeypatch.setattr(pdf, "LAID_OUT_ROWS", 50)  # the example's manual has a few hundred rows
    bundle = make_bundle(HUALAN)
    assert not called.exists()
    assert bundle.layout_note.startswith("目录页码未计算：01-售后服务手册.docx 的表格有 ")
    assert "行，LibreOffice 排版要很久" in bundle.layout_note
    document = docx.Document(io.BytesIO(bundle.docx[MANUAL]))
    assert document.settings.element.find(qn("w:updateFields")) is not None  # Word fills the pages in on opening


def test_the_time_allowed_to_libreoffice_grows_with_the_rows_of_the_tables():
    from generator.output import pdf

    manual = make_bundle(HUALAN).docx[MANUAL]
    rows = pdf.table_rows(manual)
    assert rows > 200 and pdf.table_rows(b"not a docx") == 0
    assert pdf.time_allowed({"a": manual}) == pytest.approx(pdf.TIMEOUT + len(manual) // 10_000 + rows * pdf.ROW_SECONDS)
    assert pdf.time_allowed({"a": manual, "b": manual}) - pdf.time_allowed({"a": manual}) >= rows * pdf.ROW_SECONDS
