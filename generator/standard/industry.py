"""Industry packs (content/industries/*.yaml): laws and typical wording, chosen by the profile.

A profile names its pack with `company.industry_pack`, or the pack whose keywords best match the
profile's industry and product categories is used; the general pack when none matches.
"""
from __future__ import annotations

import functools
from pathlib import Path

from pydantic import field_validator

from generator.standard.bundled import Data, load_located
from generator.errors import CatalogueError, Problem
from generator.paths import CONTENT

INDUSTRIES = CONTENT / "industries"
WORDING_KEYS = ("product_info", "repair", "returns", "tech_support", "delivery", "take_back")


class Pack(Data):
    id: str  # the file's name without .yaml
    name: str
    match: list[str]
    laws: list[str]
    typical_commitments: dict[str, float]
    wording: dict[str, str]

    @field_validator("wording")
    @classmethod
    def _every_wording(cls, wording: dict[str, str]) -> dict[str, str]:
        missing = [k for k in WORDING_KEYS if k not in wording]
        if missing:
            raise ValueError(f"wording 缺少 {'、'.join(missing)}（应包含 {'、'.join(WORDING_KEYS)}）")
        return wording


@functools.lru_cache(maxsize=4)
def load_packs(folder: Path = INDUSTRIES) -> dict[str, Pack]:
    packs = {}
    for path in sorted(folder.glob("*.yaml")):
        pack, loaded = load_located(path, Pack, what="行业包")
        if pack.id != path.stem:  # the profile's industry_pack names the file
            line, column = loaded.mark(("id",))
            raise CatalogueError(f"行业包 {path.name} 有误", [Problem(
                f"id 应为 {path.stem}（与文件名相同）", str(path), line, column, "id")])
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
