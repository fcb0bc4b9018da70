"""Every bundled data file, edited wrongly, is a located Chinese error (CatalogueError naming file,
line and key), never a traceback: one loader and one error path (`generator.standard.bundled`). The edits are
generated: each leaf of each file in turn gets a value of the wrong kind."""
from __future__ import annotations

import io
import random
import shutil

import pytest
from ruamel.yaml import YAML

from generator.errors import CatalogueError
from generator.standard.industry import INDUSTRIES, load_packs
from generator.assess.lint import load_plausibility, load_sanbao
from generator.paths import DOCUMENTS, STANDARD
from generator.render.documents import document_specs
from generator.standard.catalogue import load_catalogue
from generator.standard.scheme import load_scheme, load_tariffs

LOADERS = {  # file -> (folder it lives in, loader taking that folder)
    "gbt27922-2011.yaml": (STANDARD, load_catalogue), "scoring.yaml": (STANDARD, load_catalogue),
    "materials.yaml": (STANDARD, load_catalogue), "forms.yaml": (STANDARD, load_catalogue),
    "tariffs.yaml": (STANDARD, load_tariffs), "certification.yaml": (STANDARD, load_scheme),
    "sanbao.yaml": (STANDARD, load_sanbao), "plausibility.yaml": (STANDARD, load_plausibility),
    "documents.yaml": (DOCUMENTS, document_specs), "home-appliances.yaml": (INDUSTRIES, load_packs),
}
WRONG = [{"键": "映射"}, ["列表"], "文字", -7, 1.5, True, None]


def leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, path + (i,))
    else:
        yield path


def edited(data, path, value):
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_a_wrong_value_in_bundled_data_is_a_located_error(tmp_path, name):
    folder, loader = LOADERS[name]
    yaml = YAML(typ="rt")
    original = (folder / name).read_text(encoding="utf-8")
    paths = list(leaves(yaml.load(original)))
    rng = random.Random(name)
    errors = 0
    for n, path in enumerate(rng.sample(paths, min(25, len(paths)))):
        copy = tmp_path / f"{n}"
        if folder == STANDARD:
            shutil.copytree(STANDARD, copy)
        else:
            copy.mkdir()
            (copy / name).write_text(original, encoding="utf-8")
            if folder == INDUSTRIES:
                shutil.copy(INDUSTRIES / "general.yaml", copy / "general.yaml")
        data = yaml.load(original)
        edited(data, path, rng.choice(WRONG))
        buffer = io.StringIO()
        yaml.dump(data, buffer)
        (copy / name).write_text(buffer.getvalue(), encoding="utf-8")
        try:
            loader(copy)
        except CatalogueError as error:  # the only way a wrong edit may show
            errors += 1
            assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message), error.message  # said in Chinese
            located = [p for p in error.problems if p.line]
            if error.problems:
                assert located and located[0].file.endswith(name), (path, error.render())
                assert "Input should" not in error.render() and "Field required" not in error.render()
    assert errors, f"no edit of {name} was refused: the test edits nothing that matters"


def test_an_inconsistency_is_located_at_its_entry(tmp_path):
    shutil.copytree(STANDARD, tmp_path / "s")
    forms = tmp_path / "s" / "forms.yaml"
    lines = forms.read_text(encoding="utf-8").splitlines()
    at = lines.index("  - id: R06")
    clause = next(i for i in range(at, len(lines)) if lines[i].strip().startswith("clause:"))
    lines[clause] = "    clause: \"9.9\""
    forms.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(tmp_path / "s")
    (problem,) = info.value.problems
    assert problem.message == "表单 R06 引用了不存在的条款 9.9" and problem.line == at + 1
