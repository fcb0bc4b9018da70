"""Golden files: the rendered Markdown and the normalised `word/document.xml` of every document of the
three examples. They pin behaviour while the code underneath is rebuilt (issue #15): a change to what
the tool writes shows up here as a readable diff, and is accepted on purpose with

    AFTERSALES_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py

`word/document.xml` is compared normalised, never as zip bytes: one element per line with its
namespace written as the usual prefix, attributes sorted, text on its own line. So where a namespace
is declared, and the order of attributes, do not count; every element, attribute and character does.
"""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from conftest import HUALAN, QIHENG, YUNXUAN
from generator.build import make_bundle

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("AFTERSALES_UPDATE_GOLDEN") == "1"
EXAMPLES = {p.stem: p for p in (HUALAN, QIHENG, YUNXUAN)}

PREFIXES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": "r",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
    "http://schemas.openxmlformats.org/drawingml/2006/picture": "pic",
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing": "wp",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "c",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingShape": "wps",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup": "wpg",
    "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing": "wp14",
    "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc",
    "http://schemas.openxmlformats.org/officeDocument/2006/math": "m",
    "http://www.w3.org/XML/1998/namespace": "xml",
    "urn:schemas-microsoft-com:vml": "v",
    "urn:schemas-microsoft-com:office:office": "o",
    "urn:schemas-microsoft-com:office:word": "w10",
}


def _name(qname: str) -> str:
    if qname.startswith("{"):
        uri, local = qname[1:].split("}")
        return f"{PREFIXES.get(uri, '{' + uri + '}')}:{local}"
    return qname


def normalised(xml: bytes) -> str:
    """The document part as lines: an element per line, attributes sorted, text on a line of its own."""
    lines: list[str] = []

    def walk(element: etree._Element, depth: int) -> None:
        pad = "  " * depth
        attrs = " ".join(f"{_name(k)}={v!r}" for k, v in sorted((_name(k), v) for k, v in element.attrib.items()))
        lines.append(f"{pad}{_name(element.tag)}{' ' + attrs if attrs else ''}")
        if element.text and element.text.strip("\n"):
            lines.append(f"{pad}  | {element.text!r}")
        for child in element:
            if isinstance(child.tag, str):
                walk(child, depth + 1)

    walk(etree.fromstring(xml), 0)
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module", params=sorted(EXAMPLES))
def built(request):
    return request.param, make_bundle(EXAMPLES[request.param])


def _compare(path: Path, actual: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; make it with AFTERSALES_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        import difflib

        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                 str(path), "now", n=2))[:80])
        pytest.fail(f"{path.name} differs from its golden file:\n{diff}")


def test_markdown_is_unchanged(built):
    slug, bundle = built
    assert len(bundle.documents) >= 5
    for doc in bundle.documents:
        _compare(GOLDEN / slug / f"{doc.key}.md", doc.markdown)


def test_document_xml_is_unchanged(built):
    slug, bundle = built
    assert len(bundle.docx) == 5
    for name, data in bundle.docx.items():
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            _compare(GOLDEN / slug / f"{Path(name).stem}.document.xml.txt", normalised(z.read("word/document.xml")))


def test_site_pages_are_unchanged(built):
    """Every page of the company's site (and the trace CSV), in one file per example."""
    from generator.output.site.pages import site_pages

    slug, bundle = built
    pages = site_pages(bundle)
    text = "".join(f"===== {path}\n{page if isinstance(page, str) else page.decode('utf-8-sig')}\n"
                   for path, page in sorted(pages.items()) if isinstance(page, str) or path.endswith(".csv"))
    assert text.count("===== guide/") >= 7
    _compare(GOLDEN / slug / "site-pages.txt", text)


def test_package_parts_are_unchanged(built):
    """The parts of each DOCX, their content types and every relationship: the package around the body."""
    slug, bundle = built
    for name, data in bundle.docx.items():
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            types = etree.fromstring(z.read("[Content_Types].xml"))
            lines = sorted(f"{e.tag.split('}')[1]} {e.get('Extension') or e.get('PartName')} {e.get('ContentType')}"
                           for e in types)
            for part in sorted(n for n in z.namelist() if n.endswith(".rels")):
                rels = etree.fromstring(z.read(part))
                lines += sorted(f"{part}: {r.get('Id')} {r.get('Type').rsplit('/', 1)[1]} {r.get('Target')}"
                                f"{' external' if r.get('TargetMode') else ''}" for r in rels)
            lines += [f"part {n}" for n in sorted(z.namelist())]
        _compare(GOLDEN / slug / f"{Path(name).stem}.parts.txt", "\n".join(lines) + "\n")


def test_normalising_keeps_what_counts():
    """Attribute order and where a namespace is declared do not count; an attribute's value does."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    a = f'<w:p xmlns:w="{w}"><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t xml:space="preserve">甲 </w:t></w:r></w:p>'
    b = f'<x:p xmlns:x="{w}"><x:pPr><x:jc x:val="center"/></x:pPr><x:r><x:t xml:space="preserve">甲 </x:t></x:r></x:p>'
    assert normalised(a.encode()) == normalised(b.encode())
    assert normalised(a.encode()) != normalised(a.replace("center", "left").encode())
    assert normalised(a.encode()) != normalised(a.replace("甲 ", "甲").encode())
