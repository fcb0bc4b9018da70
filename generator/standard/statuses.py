"""The states of an application material (content/standard/statuses.yaml): an id the code and the
templates decide by, and the label the documents and the site show."""
from __future__ import annotations

import functools
import typing
from pathlib import Path
from typing import Literal

from pydantic import model_validator

from generator.paths import STANDARD
from generator.standard.bundled import Data, load_data

StatusId = Literal["generated", "provided", "missing", "expired", "not_applicable", "optional"]


class MaterialStatus(Data):
    id: StatusId
    label: str


class Statuses(Data):
    material_statuses: list[MaterialStatus]

    @model_validator(mode="after")
    def _each_once(self) -> Statuses:
        ids = [s.id for s in self.material_statuses]
        missing = [i for i in typing.get_args(StatusId) if i not in ids]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if missing or twice:
            raise ValueError("每个状态写一次：" + "；".join(
                ([f"缺少 {', '.join(missing)}"] if missing else []) + ([f"重复 {', '.join(twice)}"] if twice else [])))
        return self


@functools.lru_cache(maxsize=4)
def material_statuses(folder: Path = STANDARD) -> dict[StatusId, MaterialStatus]:
    """Every material status by id, in the order counts are shown."""
    data = load_data(folder / "statuses.yaml", Statuses, what="状态数据文件")
    return {s.id: s for s in data.material_statuses}
