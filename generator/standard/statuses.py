"""The states of an application material and of a scored clause (content/standard/statuses.yaml): an
id the code and the templates decide by, and the label the documents, the site and the terminal show."""
from __future__ import annotations

import functools
import typing
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from generator.paths import STANDARD
from generator.standard.bundled import Data, load_data

StatusId = Literal["generated", "provided", "missing", "expired", "not_applicable", "optional"]
# implemented / partial / missing are also the values of the profile's self-assessment (readiness.py)
ScoreStatusId = Literal["implemented", "partial", "missing", "no_evidence", "excluded"]


class MaterialStatus(Data):
    id: StatusId
    label: str


class ScoreStatus(Data):
    """The state of one scored clause, shown beside its line on the scorecard."""

    id: ScoreStatusId
    label: str


class Statuses(Data):
    material_statuses: list[MaterialStatus]
    score_statuses: list[ScoreStatus]

    @model_validator(mode="after")
    def _each_once(self) -> Statuses:
        for name, statuses, kinds in (("material_statuses", self.material_statuses, StatusId),
                                      ("score_statuses", self.score_statuses, ScoreStatusId)):
            ids = [s.id for s in statuses]
            missing = [i for i in typing.get_args(kinds) if i not in ids]
            twice = sorted({i for i in ids if ids.count(i) > 1})
            if missing or twice:
                raise ValueError(f"{name} 每个状态写一次：" + "；".join(
                    ([f"缺少 {', '.join(missing)}"] if missing else [])
                    + ([f"重复 {', '.join(twice)}"] if twice else [])))
        return self


@functools.lru_cache(maxsize=4)
def _statuses(folder: Path) -> Statuses:
    return load_data(folder / "statuses.yaml", Statuses, what="状态数据文件")


@functools.lru_cache(maxsize=4)
def material_statuses(folder: Path = STANDARD) -> dict[StatusId, MaterialStatus]:
    """Every material status by id, in the order counts are shown."""
    return {s.id: s for s in _statuses(folder).material_statuses}


@functools.lru_cache(maxsize=4)
def score_statuses(folder: Path = STANDARD) -> dict[ScoreStatusId, ScoreStatus]:
    """Every status a scored clause can have, by id."""
    return {s.id: s for s in _statuses(folder).score_statuses}
