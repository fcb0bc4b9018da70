"""`aftersales init`: a starter profile, made from the bundled example with every key commented.

The comments are the schema's field docstrings, so the starter can never drift from the schema.
"""
from __future__ import annotations

import io
import typing

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.errors import AftersalesError
from generator.paths import EXAMPLES
from generator.profile.introspect import unwrap
from generator.profile.model import Profile
from generator.standard.industry import load_packs

EXAMPLE = EXAMPLES / "hualan-appliances.yaml"

HEADER = """\
# 企业档案（aftersales 的唯一输入）。由 `aftersales init` 生成：以下为示例企业的数据，
# 请逐项替换为贵企业的真实情况，然后运行 `aftersales check 本文件` 校验，`aftersales build 本文件` 生成文件。
# 每个键后的注释说明其含义；日期格式 YYYY-MM-DD；金额单位为万元；时限单位见各键说明。
"""


def starter_text(industry: str | None = None) -> str:
    """The starter profile; with an industry pack id, its typical time limits are filled in."""
    yaml = YAML(typ="rt")
    yaml.width = 120
    data = yaml.load(EXAMPLE.read_text(encoding="utf-8"))
    data.ca.comment = None
    if industry is not None:
        _apply_pack(data, industry)
    _block_style(data)
    _annotate(data, Profile)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return HEADER + buffer.getvalue()


def _apply_pack(data: CommentedMap, industry: str) -> None:
    packs = load_packs()
    if industry not in packs:
        raise AftersalesError(f"没有行业包 “{industry}”；可选：{'、'.join(packs)}")
    company = data["company"]
    company.insert(list(company).index("industry") + 1, "industry_pack", industry)
    commitments = data["commitments"]
    for key in ("onsite_hours_rural",):
        if key in commitments and key not in packs[industry].typical_commitments:
            del commitments[key]
    for key, value in packs[industry].typical_commitments.items():
        commitments[key] = int(value) if float(value).is_integer() else value


def _block_style(node) -> None:
    if isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        node.fa.set_block_style()
        for child in (node.values() if isinstance(node, CommentedMap) else node):
            _block_style(child)


def _annotate(node, model) -> None:
    model = unwrap(model)
    if isinstance(node, CommentedSeq):
        if node:
            _annotate(node[0], model)  # the first item explains the shape; the rest stay clean
        return
    if not isinstance(node, CommentedMap):
        return
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return
    for key in list(node.keys()):
        field = model.model_fields.get(key)
        if field is None:
            continue
        value = node[key]
        comment = " ".join((field.description or "").split())  # one line: a comment cannot wrap
        nested = isinstance(value, CommentedMap) or (
            isinstance(value, CommentedSeq) and any(isinstance(v, CommentedMap) for v in value))
        if nested:
            node.yaml_set_comment_before_after_key(key, before=comment,
                                                   indent=_indent(node, key))
        else:
            node.yaml_add_eol_comment(comment, key, column=0)
        inner = unwrap(field.annotation)
        if typing.get_origin(inner) is dict and isinstance(value, CommentedMap) and value:
            _annotate(next(iter(value.values())), typing.get_args(inner)[-1])
            continue
        if typing.get_origin(inner) is list:
            inner = typing.get_args(inner)[-1]
        _annotate(value, inner)


def _indent(node: CommentedMap, key: str) -> int:
    try:
        return node.lc.key(key)[1]
    except (KeyError, TypeError):
        return 0
