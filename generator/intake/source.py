"""A profile from whichever file holds it: a YAML profile or an intake workbook (.xlsx), with the
long lists it takes from the company's own files (`outlets_file: 网点清单.xlsx`, see lists.py).

`check`, `score`, `build` and `serve` read every profile here. openpyxl is imported only for a
workbook (or a list in one), so that checking a YAML profile stays light.
"""
from __future__ import annotations

from pathlib import Path

from generator.errors import AftersalesError, Problem, ProfileError, display
from generator.intake import lists
from generator.inputs.inputfile import read_input
from generator.inputs.yamlload import Loaded, load_yaml_bytes
from generator.profile.model import Profile
from generator.profile.validation import checked

WORKBOOK = ".xlsx"
_OTHER_SHEETS = (".xls", ".xlsm", ".xlsb", ".ods", ".et", ".csv", ".numbers")


def is_workbook(path: str | Path) -> bool:
    return Path(path).suffix.lower() == WORKBOOK


def load_source(path: str | Path):
    """The profile's data with the place of every value: a `Loaded` (YAML) or `Sheets` (workbook),
    with the lists its `…_file` keys name read in (generator/intake/lists.py)."""
    loaded = _load(path)
    if lists.names_files(loaded.data):
        lists.expand(loaded)
    return loaded


# The last YAML profile `input_files` read, kept for the `load_source` that follows it in a build (a
# 10,000-outlet profile takes a second to read): (path, its bytes, what they gave), taken once.
_spare: list[tuple[str, bytes, Loaded]] = []


def _load(path: str | Path, *, keep: bool = False):
    suffix = Path(path).suffix.lower()
    if suffix == WORKBOOK:
        from generator.intake.reader import load_workbook_file

        return load_workbook_file(path)
    if suffix in _OTHER_SHEETS:
        raise ProfileError(f"{display(path)} 是 {suffix} 表格，本工具读取 .xlsx 工作簿或 .yaml 企业档案", [Problem(
            "请在 Excel、WPS 或 LibreOffice 中另存为 Excel 工作簿（.xlsx）；空白的企业信息采集表可用 "
            "`aftersales intake -o 采集表.xlsx` 写出", display(path))])
    raw = read_input(path, ProfileError)
    spare = _spare.pop() if _spare else None
    if spare is not None and spare[0] == str(path) and spare[1] == raw:
        return spare[2]
    loaded = load_yaml_bytes(raw, str(path))
    if keep:
        _spare.append((str(path), raw, loaded))
    return loaded


def input_files(path: str | Path) -> list[Path]:
    """The files a build from the profile at `path` reads: the profile, and the list files it names
    (not read here; one that is missing is listed all the same). A profile that cannot be read is
    only itself: the build tells what is wrong with it. A workbook names no list file: it is not read."""
    if Path(path).suffix.lower() == WORKBOOK:
        return [Path(path)]
    try:
        loaded = _load(path, keep=True)
    except AftersalesError:
        return [Path(path)]
    return [Path(path), *(lists.list_files(loaded) if lists.names_files(loaded.data) else [])]


def read_profile(path: str | Path, catalogue=None) -> tuple[Profile, Loaded]:
    """Read and validate a profile (YAML or workbook); given the catalogue, its clause and material
    ids are checked too. The loaded source comes along to locate later findings."""
    loaded = load_source(path)
    return checked(loaded, catalogue), loaded


def load_profile(path: str | Path, catalogue=None) -> Profile:
    return read_profile(path, catalogue)[0]
