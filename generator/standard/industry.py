"""Industry packs (content/industries/*.yaml): laws and typical wording, chosen by the profile.

A profile names its pack with `company.industry_pack`, or the pack whose keywords best match the
profile's industry and product categories is used; the general pack when none matches.
"""
from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from generator.standard.bundled import load_data
from generator.errors import CatalogueError, Problem
from generator.paths import CONTENT

INDUSTRIES = CONTENT / "industries"
WORDING_KEYS = ("product_info", "repair", "returns", "tech_support", "delivery", "take_back")


class Pack(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: str
    match: list[str]
    laws: list[str]
    typical_commitments: dict[str, float]
    wording: dict[str, str]


@functools.lru_cache(maxsize=4)
def load_packs(folder: Path = INDUSTRIES) -> dict[str, Pack]:
    packs = {}
    for path in sorted(folder.glob("*.yaml")):
        pack = load_data(path, Pack, what="行业包")
        missing = [k for k in WORDING_KEYS if k not in pack.wording]
        if missing or pack.id != path.stem:
            raise CatalogueError(f"行业包 {path.name} 有误", [Problem(
                f"id 应为 {path.stem}，wording 应包含 {'、'.join(WORDING_KEYS)}", str(path))])
        packs[pack.id] = pack
    if "general" not in packs:
        raise CatalogueError(f"{folder} 中缺少通用行业包 general.yaml")
    return packs


def pack_for(profile) -> Pack:
    packs = load_packs()
    chosen = profile.company.industry_pack
    if chosen:
        return packs[chosen]
    industry = profile.company.industry
    categories = " ".join(p.category for p in profile.company.products)
    best, best_score = packs["general"], 0
    for pack in packs.values():
        score = sum(10 * (word in industry) + (word in categories) for word in pack.match)  # industry first
        if score > best_score:
            best, best_score = pack, score
    return best
