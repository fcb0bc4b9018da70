"""The national 三包 regulations and their product catalogues as data (content/standard/sanbao.yaml),
each with its sources and evidence level. `aftersales check` holds a product marked 三包 against them
(assess/lint.py). Loaded by the one loader: a wrong edit is a located Chinese error."""
from __future__ import annotations

import functools
from pathlib import Path

from pydantic import Field, ValidationInfo, field_validator

from generator.paths import STANDARD
from generator.standard.bundled import Data, Evidence, load_data

_PATTERNS = {r"^https?://": "应为以 http:// 或 https:// 开头的网址", r"^[^《》]+$": "写规定的名称本身，不带书名号《》"}


class SanbaoProduct(Data):
    name: str = Field(min_length=1)
    aliases: list[str] = []
    evidence_level: Evidence

    @property
    def words(self) -> list[str]:
        return [self.name, *self.aliases]


class Source(Data):
    url: str = Field(pattern=r"^https?://")
    note: str = Field(min_length=1)


class Regulation(Data):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1, pattern=r"^[^《》]+$")
    issued: str = Field(min_length=1)
    scope: str = Field(min_length=1)
    evidence_level: Evidence
    evidence_note: str | None = None
    sources: list[Source] = Field(min_length=1)
    products: list[SanbaoProduct] = Field(min_length=1)

    @property
    def title(self) -> str:
        return f"《{self.name}》"

    def catalogue(self) -> str:
        """The regulation's products as a message says them."""
        names = [p.name for p in self.products]
        if len(names) > 3:
            return f"{self.title}的目录只列 {len(names)} 种商品：{'、'.join(names)}"
        return f"{self.title}只适用于{self.scope}"


class NotListed(Data):
    evidence_level: Evidence
    products: list[str] = Field(min_length=1)


class LookAlikes(Data):
    evidence_level: Evidence
    suffixes: list[str] = Field(min_length=1)
    still_the_product: list[str] = []


class Sanbao(Data):
    generic_rule_names: list[str]
    regulations: list[Regulation] = Field(min_length=1)
    not_listed: NotListed
    look_alikes: LookAlikes

    @field_validator("regulations")
    @classmethod
    def _ids_once(cls, regulations: list[Regulation]) -> list[Regulation]:
        ids = [r.id for r in regulations]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError("；".join(f"规定的 id “{i}”出现了不止一次" for i in twice))
        return regulations

    @field_validator("not_listed")
    @classmethod
    def _hides_no_product(cls, not_listed: NotListed, info: ValidationInfo) -> NotListed:
        """A catalogue word that holds a not-listed one would be taken out of the text before it is looked for."""
        hidden = [f"{r.title}的“{word}”含有 not_listed 中的“{found[0]}”，永远不会被认出"
                  for r in info.data.get("regulations", []) for p in r.products for word in p.words
                  if (found := [w for w in not_listed.products if w in word])]
        if hidden:
            raise ValueError("；".join(hidden))
        return not_listed


@functools.lru_cache(maxsize=4)
def load_sanbao(folder: Path = STANDARD) -> Sanbao:
    return load_data(folder / "sanbao.yaml", Sanbao, patterns=_PATTERNS)
