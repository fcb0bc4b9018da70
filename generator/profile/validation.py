"""Reading a profile: load the YAML, validate it against the schema and the standard's data, and
report every problem at once, each with `file:line:col`, the key path in the profile's own keys and
what was expected; an unknown key gets a "did you mean".
"""
from __future__ import annotations

import difflib
import re
import typing
from dataclasses import replace
from pathlib import Path

from pydantic import ValidationError

from generator.errors import Problem, ProblemList, ProfileError
from generator.profile.introspect import field_doc, field_names
from generator.inputs.messages import shown, validation_message
from generator.profile.model import Profile, cross_field
from generator.inputs.yamlload import Loaded, format_path, load_yaml_file
from generator.standard.industry import load_packs
from generator.text.user_text import text_problems


def validate(loaded: Loaded) -> Profile:
    """Validate loaded YAML data as a Profile, or raise ProfileError listing every problem."""
    if not isinstance(loaded.data, dict):
        problems = ProblemList(loaded.file)
        problems.add("文件顶层应为键值映射（company:、organisation: …）", **loaded.at(()))
        raise ProfileError("企业档案格式不对", problems.items)
    try:
        profile = Profile.model_validate(loaded.data)
    except ValidationError as exc:
        _fail(_problems(exc, loaded), loaded)
    if loaded.problems:  # found while reading (a workbook's cell that is no date): the values are not the user's
        _fail([], loaded)
    problems = ProblemList(loaded.file)
    for path, message in cross_field(profile):
        problems.add(message, **loaded.at(path), key_path=format_path(path))
    if problems:
        _fail(problems.items, loaded)
    return profile


def _fail(problems: list, loaded: Loaded) -> typing.NoReturn:
    """Raise the profile's problems, and with them what is wrong in the text of each customisation
    that has one (whatever else is wrong with its entry, such as its mode): the manual is rendered (and the rest of customisation checked: whether
    its sections exist) only once the profile is, but a text's links, images and nesting are its own."""
    told = {p.path for p in loaded.problems}  # a value the reader already explained: not again as validation sees it
    problems = [*loaded.problems, *(p for p in problems if not _within(p.path, told)), *_text_problems(loaded)]
    raise ProfileError(f"企业档案有 {len(problems)} 处问题", problems)


def _text_problems(loaded: Loaded) -> list:
    entries = loaded.data.get("customisation") if isinstance(loaded.data, dict) else None
    if not isinstance(entries, dict):
        return []
    problems = ProblemList(loaded.file)
    for key, entry in entries.items():
        text = entry.get("text") if isinstance(entry, dict) else None
        if not isinstance(text, str) or not text.strip():
            continue  # told with the schema's problems
        where = loaded.at(("customisation", key, "text"), key=True)
        for message, hint in text_problems(text):
            problems.add(message, **where, key_path=f"customisation.{key}.text", hint=hint)
    return problems.items


def read_profile(path: str | Path, catalogue=None) -> tuple[Profile, Loaded]:
    """Read, validate and (given the catalogue) check clause and material ids of a profile; the loaded
    YAML comes along to locate later findings in the file."""
    loaded = load_yaml_file(path)
    return checked(loaded, catalogue), loaded


def checked(loaded: Loaded, catalogue=None) -> Profile:
    """The profile in a loaded source (YAML, or a workbook's `Sheets`), validated, and given the
    catalogue its clause and material ids checked: every problem raised at once as a ProfileError."""
    profile = validate(loaded)
    if catalogue is not None:
        check_references(profile, loaded, catalogue)
    return profile


def load_profile(path: str | Path, catalogue=None) -> Profile:
    return read_profile(path, catalogue)[0]


def check_references(profile: Profile, loaded: Loaded, catalogue) -> None:
    """Clause ids and material ids in `readiness` must exist in the standard's data."""
    problems = ProblemList(loaded.file)
    scored = {c.id for c in catalogue.leaves()}
    for clause_id in profile.readiness.self_assessment:
        if clause_id not in scored:
            where = loaded.at(("readiness", "self_assessment", clause_id), key=True)
            close = difflib.get_close_matches(clause_id, sorted(scored), n=1)
            hint = f"是不是 “{close[0]}”？" if close else "计分条款为：" + "、".join(sorted(scored))
            what = "不是计分条款（只有下级条款计分）" if clause_id in catalogue else "不存在"
            problems.add(f"条款 {clause_id} {what}", **where,
                         key_path=f"readiness.self_assessment.{clause_id}", hint=hint)
    for clause_id, entry in profile.readiness.self_assessment.items():
        if entry.samples is not None and clause_id in catalogue and not catalogue[clause_id].sampled:
            where = loaded.at(("readiness", "self_assessment", clause_id, "samples"), key=True)
            sampled = "、".join(c.id for c in catalogue.leaves() if c.sampled)
            problems.add(f"条款 {clause_id} 不按样本评分，不能填写 samples", **where,
                         key_path=f"readiness.self_assessment.{clause_id}.samples",
                         hint=f"按样本评分的条款：{sampled}")
    for clause_id in profile.readiness.exclusions:
        where = loaded.at(("readiness", "exclusions", clause_id), key=True)
        key_path = f"readiness.exclusions.{clause_id}"
        clause = catalogue.clauses.get(clause_id)
        if clause_id not in scored:
            problems.add(f"条款 {clause_id} 不是可删减的计分条款", **where, key_path=key_path)
        elif clause.arrangements:
            names = "、".join(f"arrangements.{a}" for a in clause.arrangements)
            problems.add(f"条款 {clause_id} {clause.title} 的删减由服务安排决定", **where,
                         key_path=key_path, hint=f"请在 {names} 中写 provided: false 和 excluded_reason")
        elif not clause.excludable:
            allowed = "、".join(c.id for c in catalogue.leaves() if c.excludable)
            problems.add(f"条款 {clause_id} {clause.title} 按 GB/T 27922 不可删减", **where,
                         key_path=key_path, hint=f"可删减的条款：{allowed}")
    packs = load_packs()
    if profile.company.industry_pack and profile.company.industry_pack not in packs:
        problems.add(f"没有行业包 “{profile.company.industry_pack}”", **loaded.at(("company", "industry_pack")),
                     key_path="company.industry_pack", hint="可选：" + "、".join(packs))
    ids = [m.id for m in catalogue.materials]
    for material_id in profile.readiness.materials:
        if material_id not in ids:
            problems.add(f"材料编号 {material_id} 不存在", **loaded.at(("readiness", "materials", material_id), key=True),
                         key_path=f"readiness.materials.{material_id}", hint=f"材料编号为 {ids[0]}–{ids[-1]}")
    if problems:
        _fail(problems.items, loaded)


def _problems(exc: ValidationError, loaded: Loaded):
    problems = ProblemList(loaded.file)
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        key_path = format_path(loc)
        if kind == "extra_forbidden":
            where = loaded.at(loc, key=True)
            known = field_names(Profile, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            hint = f"是不是 “{close[0]}”？" if close else ("可用的键：" + "、".join(known) if known else "")
            problems.add(f"未知的键 “{loc[-1]}”", **where, key_path=key_path, hint=hint, path=loc)
            continue
        where = loaded.at(loc, key=kind == "missing")
        message = validation_message(err)
        if kind == "missing":
            hint = field_doc(Profile, loc)
            label = loaded.label(loc) if hasattr(loaded, "label") else None
            if label:  # a workbook's answer: named as its sheet shows it, not by its key
                message = validation_message({**err, "loc": ()}) + f"：{label}"
                hint = "" if hint.startswith(label) else hint
        else:
            got = err.get("input")
            text = shown(got)
            text = text if len(text) <= 40 else text[:36] + "…"
            hint = f"实际为 {text}" if kind != "value_error" and not isinstance(got, (dict, list)) else ""
        problems.add(message, **where, key_path=key_path, hint=hint, path=loc)
    return once_per_list(problems.items, loaded)


def _within(path: tuple, told: set) -> bool:
    return any(path[: len(t)] == t for t in told if t)


REPEATED = 4  # items of one list with the same problem, from which it is told once
SHOWN = 3  # of them, the first named


def once_per_list(problems: list[Problem], loaded: Loaded) -> list[Problem]:
    """The same problem in many items of one list (300 outlets without `staff`) as one line: how
    many, and the first few with their lines (and names, where items have one)."""
    def shape(problem: Problem) -> tuple:
        return tuple("*" if isinstance(part, int) else part for part in problem.path), problem.message

    alike: dict[tuple, list[Problem]] = {}
    for problem in problems:
        alike.setdefault(shape(problem), []).append(problem)
    told = []
    for problem in problems:
        same = alike[shape(problem)]
        if len(same) < REPEATED:
            told.append(problem)
        elif problem is same[0]:
            told.append(_told_once(same, loaded))
    return told


def _told_once(same: list[Problem], loaded: Loaded) -> Problem:
    first = same[0]
    index = max(i for i, part in enumerate(first.path) if isinstance(part, int))
    items = [(p.cell or f"第 {p.line} 行", _item_name(loaded, p.path[: index + 1])) for p in same[:SHOWN]]
    named = "、".join(where + (f"“{name}”" if name else "") for where, name in items)
    hint = "；".join(part for part in (first.hint, f"如{named}等") if part)
    every_item = re.sub(r"\[\d+\]", "[…]", format_path(first.path))
    return replace(first, message=f"{len(same)} 项{first.message}", hint=hint, key_path=every_item)


def _item_name(loaded: Loaded, path: tuple) -> str:
    """The `name` of the list item at `path` in the loaded data, or "" where it has none."""
    item = loaded.data
    for part in path:
        try:
            item = item[part]
        except (KeyError, IndexError, TypeError):
            return ""
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) else ""
