"""`aftersales init`: a starter profile, made from the bundled example with every key commented.

The comments are the schema's field docstrings, so the starter can never drift from the schema; a
field the example does not use (region_service, samples …) is shown as a commented-out key.
"""
from __future__ import annotations

import io
import typing

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from generator.errors import AftersalesError
from generator.paths import EXAMPLES
from generator.profile.introspect import unwrap
from generator.profile.model import Profile
from generator.standard.industry import load_packs

EXAMPLE = EXAMPLES / "hualan-appliances.yaml"

HEADER = """\
# 企业档案（aftersales 的输入）。由 `aftersales init` 生成：以下为示例企业的数据，
# 请逐项替换为贵企业的真实情况，然后运行 `aftersales check 本文件` 校验，`aftersales build 本文件` 生成文件。
# 每个键后的注释说明其含义；日期格式 YYYY-MM-DD；金额单位为万元；时限单位见各键说明。
# 网点、商品、收费标准等清单也可以从贵企业已有的表格读取：如把 outlets: 及其各项换成一行
# outlets_file: 网点清单.xlsx（或 .csv；表头写“网点名称”“省份”……或键名 name、province……；路径相对于本文件）。
"""


def starter_text(industry: str | None = None) -> str:
    """The starter profile; with an industry pack id, its typical time limits are filled in."""
    data = YAML(typ="rt").load(EXAMPLE.read_text(encoding="utf-8"))
    data.ca.comment = None
    if industry is not None:
        apply_pack(data, industry)
    return HEADER + commented_yaml(data)


def commented_yaml(data: dict) -> str:
    """A profile's data as YAML in block style, every key commented with its field's docstring and the
    fields it leaves out shown as commented-out keys (what `init` writes, whatever the data). Plain
    data (a workbook's) is taken as it is: dates come out as YYYY-MM-DD, numbers as numbers, a text
    that would read as another type quoted, a text of several lines as a block."""
    yaml = YAML(typ="rt")
    yaml.width = 120
    node = _commented(data)
    _block_style(node)
    _annotate(node, Profile)
    buffer = io.StringIO()
    yaml.dump(node, buffer)
    return buffer.getvalue()


def apply_pack(data: dict, industry: str) -> dict:
    """`data` (a profile's, or {} for a blank one) with the industry pack `industry` chosen and its
    typical time limits as the commitments; a limit the pack does not set (a rural response time
    where there is no rural service) is removed. Returns `data`, changed in place."""
    packs = load_packs()
    if industry not in packs:
        raise AftersalesError(f"没有行业包 “{industry}”；可选：{'、'.join(packs)}")
    company = data.setdefault("company", {})
    if isinstance(company, CommentedMap) and "industry" in company:  # beside the industry it is chosen for
        company.insert(list(company).index("industry") + 1, "industry_pack", industry)
    else:
        company["industry_pack"] = industry
    commitments = data.setdefault("commitments", {})
    for key in ("onsite_hours_rural",):
        if key in commitments and key not in packs[industry].typical_commitments:
            del commitments[key]
    for key, value in packs[industry].typical_commitments.items():
        commitments[key] = int(value) if float(value).is_integer() else value
    return data


def _commented(node):
    """Plain data as ruamel's commentable nodes (a node already one is kept, with its comments); a text
    of several lines as a literal block."""
    if isinstance(node, dict):
        out = node if isinstance(node, CommentedMap) else CommentedMap()
        for key, value in list(node.items()):
            out[key] = _commented(value)
        return out
    if isinstance(node, list):
        out = node if isinstance(node, CommentedSeq) else CommentedSeq()
        items = [_commented(value) for value in node]
        out[:] = items
        return out
    if isinstance(node, str) and "\n" in node and _literal_safe(node):
        return LiteralScalarString(node)
    return node


def _literal_safe(text: str) -> bool:
    """Whether a text of several lines reads back the same as a literal block: not when a line ends in
    spaces or starts the block with a space (YAML would need an indentation indicator), nor with a
    character a block cannot hold as it is."""
    return (not text[:1].isspace() and not any(line != line.rstrip(" \t") for line in text.split("\n"))
            and all(ch == "\n" or ch.isprintable() for ch in text))


def _block_style(node) -> None:
    if isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        node.fa.set_block_style()
        for child in (node.values() if isinstance(node, CommentedMap) else node):
            _block_style(child)


def _annotate(node, model, column: int = 0) -> None:
    """Comment every key of `node`, whose keys are dumped at `column`, with its field's docstring; the
    fields the example leaves out are shown as commented-out keys, so that the starter names them all."""
    model = unwrap(model)
    if isinstance(node, CommentedSeq):
        if node:
            _annotate(node[0], model, column + 2)  # the first item explains the shape; the rest stay clean
        return
    if not (isinstance(node, CommentedMap) and isinstance(model, type) and issubclass(model, BaseModel)):
        return
    fields = model.model_fields
    present = [name for name in fields if name in node]
    above: dict[str, list[str]] = {}  # the fields left out, shown above the next key written
    left_out: list[str] = []
    for name, field in fields.items():
        if name in node:
            above[name], left_out = left_out, []
        else:
            left_out += _left_out(name, field)
    for name in present:
        field, value = fields[name], node[name]
        comment = _doc(field)
        nested = isinstance(value, CommentedMap) or (
            isinstance(value, CommentedSeq) and any(isinstance(v, CommentedMap) for v in value))
        before, below = above[name], []
        if isinstance(value, (CommentedMap, CommentedSeq)) and not value:  # an empty list: what its items hold
            below += _inside(field.annotation, "")
        if name == present[-1]:  # the fields after the last key: below its line, unless lines of its value follow
            below, before = (below, before + left_out) if nested else (below + left_out, before)
        if below:
            comment = "\n".join([comment, *(f"{' ' * column}# {line}" for line in below)])
        if nested:
            before = before + [comment]
        if before:
            node.yaml_set_comment_before_after_key(name, before="\n".join(before), indent=column)
        if not nested:
            node.yaml_add_eol_comment(comment, name, column=0)
        inner = unwrap(field.annotation)
        if typing.get_origin(inner) is dict and isinstance(value, CommentedMap) and value:
            _annotate(next(iter(value.values())), typing.get_args(inner)[-1], column + 4)  # entries' keys, one step in
        elif typing.get_origin(inner) is list:
            _annotate(value, typing.get_args(inner)[-1], column)
        else:
            _annotate(value, inner, column + 2)


def _left_out(name: str, field, indent: str = "") -> list[str]:
    """A field the example does not use, as commented-out lines: its key and docstring, then the
    fields inside it (`samples`: checked, nonconforming)."""
    return [f"{indent}{name}:  # {_doc(field)}", *_inside(field.annotation, indent + "  ")]


def _inside(annotation, indent: str) -> list[str]:
    """The fields of a section, or of the items of a list of sections (the first under "- "), as
    commented-out lines: for a field left out, or a list the example leaves empty."""
    inner = unwrap(annotation)
    item = typing.get_origin(inner) is list
    if item:
        inner = unwrap(typing.get_args(inner)[-1])
    if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
        return []
    lines = [line for sub, field in inner.model_fields.items() for line in _left_out(sub, field, indent + "  " * item)]
    return [f"{indent}- {lines[0].lstrip()}", *lines[1:]] if item else lines


def _doc(field) -> str:
    return " ".join((field.description or "").split())  # one line: a comment cannot wrap
