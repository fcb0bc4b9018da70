"""Every DOCX of the three examples, and every workbook embedded in them for their charts, passes
openxml-audit's schema and semantic checks with no error (the checks Word's own SDK makes)."""
from __future__ import annotations

import io
import zipfile

import pytest
from openxml_audit import OpenXmlValidator

from conftest import HUALAN, QIHENG, YUNXUAN
from generator.build import make_bundle


@pytest.fixture(scope="module")
def validator():
    return OpenXmlValidator()


def errors(validator, path) -> list[str]:
    result = validator.validate(path)
    return [f"{e.part_uri} {e.path}: {e.description}" for e in result.errors
            if getattr(e.severity, "value", e.severity) == "error"]


@pytest.mark.slow
@pytest.mark.parametrize("profile", [HUALAN, YUNXUAN, QIHENG], ids=lambda p: p.stem)
def test_every_docx_and_embedded_workbook_is_valid(profile, validator, tmp_path):
    bundle = make_bundle(profile)
    checked = 0
    for name, data in bundle.docx.items():
        (tmp_path / name).write_bytes(data)
        assert errors(validator, tmp_path / name) == [], name
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for part in (n for n in archive.namelist() if n.startswith("word/embeddings/")):
                workbook = tmp_path / f"{name}-{part.rsplit('/', 1)[1]}"
                workbook.write_bytes(archive.read(part))
                assert errors(validator, workbook) == [], (name, part)
                checked += 1
    assert checked == 2  # the scorecard's and the certification plan's charts


def test_the_validator_finds_a_schema_error(validator, tmp_path):
    """The check can fail: a DOCX with an element out of its schema order is reported."""
    data = make_bundle(HUALAN).docx["05-服务承诺书.docx"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"<w:body>", b"<w:body><w:bogus/>", 1)
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    assert errors(validator, broken)
