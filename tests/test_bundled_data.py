"""Every bundled data file, edited wrongly, is a located Chinese error (CatalogueError naming file,
line and key), never a traceback: one loader and one error path (`generator.standard.bundled`). The edits are
generated: each leaf of each file in turn gets a value of the wrong kind."""
from __future__ import annotations

import io
import random
import shutil

import pytest
from ruamel.yaml import YAML

from conftest import standard_edited

from generator.errors import CatalogueError
from generator.standard.industry import INDUSTRIES, load_packs
from generator.paths import DOCUMENTS, STANDARD
from generator.render.documents import document_specs
from generator.standard.catalogue import load_catalogue
from generator.standard.plausibility import load_plausibility
from generator.standard.sanbao import load_sanbao
from generator.standard.scheme import load_scheme, load_tariffs
from generator.standard.wording import wordings

LOADERS = {  # file -> (folder it lives in, loader taking that folder)
    "gbt27922-2011.yaml": (STANDARD, load_catalogue), "scoring.yaml": (STANDARD, load_catalogue),
    "materials.yaml": (STANDARD, load_catalogue), "forms.yaml": (STANDARD, load_catalogue),
    "tariffs.yaml": (STANDARD, load_tariffs), "certification.yaml": (STANDARD, load_scheme),
    "sanbao.yaml": (STANDARD, load_sanbao), "plausibility.yaml": (STANDARD, load_plausibility),
    "documents.yaml": (DOCUMENTS, document_specs), "home-appliances.yaml": (INDUSTRIES, load_packs),
    "wording.yaml": (STANDARD, wordings),
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
    assert problem.message == "表单 R06 引用了不存在的条款 9.9" and problem.line == clause + 1
    assert problem.key_path.endswith("].clause") and problem.file.endswith("forms.yaml")


_edited = standard_edited  # a copy of the standard data with one edit, and the line of the edit


@pytest.mark.parametrize("name, old, new, loader, message, where", [
    ("tariffs.yaml", "    default: true\n", "    default: false\n", load_tariffs,
     "应有且只有一项 default: true", "tariffs"),
    ("tariffs.yaml", "{max: 45, initial: 6,", "{max: 45, initial: 3,", load_tariffs,
     "initial 人日应随员工数不减", "tariffs[0].person_days"),
    ("certification.yaml", "  count: 2 ", "  count: 5 ", load_scheme,
     "surveillance.count 应为证书有效年数", "surveillance"),
    ("sanbao.yaml", "aliases: [电冰箱, 冰箱, 冰柜, 冷柜]", "aliases: [电冰箱, 冰箱, 冰柜, 冷柜, 电饭煲冰箱]", load_sanbao,
     "“电饭煲冰箱”含有 not_listed 中的“电饭煲”", "not_listed"),
    ("sanbao.yaml", "  - id: partial\n", "  - id: computer\n", load_sanbao,
     "规定的 id “computer”出现了不止一次", "regulations"),
    ("gbt27922-2011.yaml", "    fact: culture\n", "    fact: managers\n", load_catalogue,
     "都写了 fact: managers", "clauses"),
    ("scoring.yaml", "  total: 100\n", "  total: 90\n", load_catalogue,
     "满分 90 与一级指标分值合计 100 不符", "method.total"),
])
def test_a_rule_across_values_is_a_located_error(tmp_path, name, old, new, loader, message, where):
    """Rules that span several values (the table ascends, one default, ids once, one clause per fact,
    the total) fail through the one loader, at the file, line and key they concern."""
    folder, line = _edited(tmp_path, name, old, new)
    with pytest.raises(CatalogueError) as info:
        loader(folder)
    found = [p for p in info.value.problems if message in p.message]
    assert found, info.value.render()
    problem = found[0]
    assert problem.file.endswith(name) and problem.line and problem.key_path.startswith(where), info.value.render()
    if where in ("method.total", "clauses"):  # the entry itself
        assert problem.line == line, info.value.render()


@pytest.mark.parametrize("old, new, message, where", [
    ("id: home-appliances", "id: appliances", "id 应为 home-appliances（与文件名相同）", "id"),
    ("  take_back:", "  take_away:", "wording 缺少 take_back", "wording"),
])
def test_an_industry_pack_is_checked_where_it_is_loaded(tmp_path, old, new, message, where):
    text = (INDUSTRIES / "home-appliances.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    (tmp_path / "home-appliances.yaml").write_text(text.replace(old, new), encoding="utf-8")
    shutil.copy(INDUSTRIES / "general.yaml", tmp_path / "general.yaml")
    with pytest.raises(CatalogueError) as info:
        load_packs(tmp_path)
    (problem,) = info.value.problems
    line = text.splitlines().index(next(t for t in text.splitlines() if t.startswith(f"{where}:"))) + 1
    assert message in problem.message and problem.key_path == where, info.value.render()
    assert problem.file.endswith("home-appliances.yaml") and problem.line in (line, line + 1), info.value.render()
