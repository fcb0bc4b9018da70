"""`aftersales intake`: the intake workbook (企业信息采集表) a client fills, and the way between it and
a YAML profile. Which way is told by the suffixes:

- no source, `-o 采集表.xlsx`: the blank workbook (with `--industry`, the pack's time limits filled in
  as `init --industry` fills them), dated today;
- `PROFILE.yaml -o client.xlsx`: the profile, validated, as the workbook filled in, dated the
  profile's issue date (the same profile gives the same bytes);
- `client.xlsx -o client.yaml`: the workbook, validated, as a YAML profile commented as `init`'s.

Only a valid profile is converted, either way: a workbook with problems is told cell by cell (exit 2)
and nothing is written. The workbook is where the client answers and where the problems are located;
`check`, `score` and `build` take it as it is, so the YAML is never needed to go on, and a YAML
written from it reads back to the same profile (checked before it is written).
"""
from __future__ import annotations

import datetime as dt
import os
import shlex
from pathlib import Path

from generator.commands.console import EXIT_OK
from generator.errors import AftersalesError, Problem, ProfileError, display
from generator.output.folder import absolute, write_file

YAML_SUFFIXES = (".yaml", ".yml")
WORKBOOK = ".xlsx"
BLANK_NAME = "企业信息采集表.xlsx"

HEADER = """\
# 企业档案（aftersales 的输入）。由 `aftersales intake` 从企业信息采集表转换而来：此后请修改本文件（采集表不会随之更新），
# 然后运行 `aftersales check 本文件` 校验，`aftersales build 本文件` 生成文件。
# 每个键后的注释说明其含义；以 # 开头的键是采集表中没有填写的项目；日期格式 YYYY-MM-DD；金额单位为万元；时限单位见各键说明。
"""


def run(args) -> int:
    source: Path | None = args.source
    typed: str = args.output
    target = Path(os.path.expanduser(typed))
    if source is None:
        return _blank(args, typed)
    kind = source.suffix.lower()
    if kind not in (*YAML_SUFFIXES, WORKBOOK):
        raise AftersalesError(f"{display(source)} 既不是 .yaml 企业档案，也不是 .xlsx 企业信息采集表", [Problem(
            "intake 按文件名后缀决定方向：PROFILE.yaml -o 采集表.xlsx 把档案写成采集表，采集表.xlsx -o 档案.yaml "
            "把填好的采集表转换为档案，不给来源则写出空白采集表；请把文件改名为 .yaml 或另存为 Excel 工作簿（.xlsx）",
            display(source))])
    if args.industry is not None:
        raise AftersalesError("--industry 只用于写出空白采集表", [Problem(
            f"档案的行业包由 company.industry_pack 给出；请在 {display(source)} 中填写，或去掉 --industry", "--industry")])
    if kind == WORKBOOK:
        return _to_yaml(args, source, typed, target)
    return _to_workbook(args, source, typed)


# --- the workbook -----------------------------------------------------------------------------
def _blank(args, typed: str) -> int:
    from generator.output.xlsx.intake import intake_workbook
    from generator.profile.starter import apply_pack
    from generator.standard.catalogue import load_catalogue

    if Path(typed).suffix.lower() in YAML_SUFFIXES:
        raise AftersalesError(f"没有给出来源，无法写出 YAML 档案 {display(typed)}", [Problem(
            f"空白的 YAML 档案模板请用 `aftersales init {shlex.quote(typed)}`；空白的企业信息采集表请写 "
            f"`aftersales intake -o {BLANK_NAME}`；把填好的采集表转换为档案请写 `aftersales intake 采集表.xlsx -o "
            f"{shlex.quote(typed)}`", display(typed))])
    path = _workbook_target(args, typed)
    data = None if args.industry is None else apply_pack({}, args.industry)  # "" is no pack: refused there
    _write_workbook(path, typed, intake_workbook(data, load_catalogue(), dt.date.today()))
    pack = "" if args.industry is None else f"（已按行业包 {args.industry} 预填服务时限）"
    print(f"已写出空白的企业信息采集表 {display(path)}{pack}。请发给企业填写（表单中填浅黄色的单元格，清单填在各表格中）；"
          f"收回后运行：aftersales check {shlex.quote(display(path))}")
    return EXIT_OK


def _to_workbook(args, source: Path, typed: str) -> int:
    from generator.intake.source import read_profile
    from generator.output.xlsx.intake import intake_workbook
    from generator.standard.catalogue import load_catalogue

    if Path(typed).suffix.lower() in YAML_SUFFIXES:
        raise AftersalesError(f"{display(source)} 已是 YAML 档案；intake 由它写出的是 Excel 企业信息采集表", [Problem(
            f"请改用 .xlsx 文件名，例如 “{display(Path(typed).with_name(source.with_suffix(WORKBOOK).name))}”",
            display(typed))])
    path = _workbook_target(args, typed)
    _not_the_source(source, path)
    catalogue = load_catalogue()
    profile, loaded = read_profile(source, catalogue)
    _one_line_items(loaded)
    data = intake_workbook(loaded.data, catalogue, profile.document.issue_date)
    _write_workbook(path, typed, data)
    print(f"已写出 {profile.company.legal_name} 的企业信息采集表 {display(path)}（由 {display(source)} 填入）。"
          f"请发给企业核对、补充；收回后运行：aftersales check {shlex.quote(display(path))}")
    return EXIT_OK


def _workbook_target(args, typed: str) -> Path:
    from generator.output.scorecard import xlsx_target

    if args.force:
        raise AftersalesError("--force 只用于写出 YAML 档案", [Problem(
            "企业信息采集表只替换本工具写出且之后没有改动过的工作簿，以免覆盖已填写的答案；请用 -o 另给一个文件名，"
            "或把原文件移走后重试", "--force")])
    return xlsx_target(typed, "-o", BLANK_NAME)


def _write_workbook(path: Path, typed: str, data: bytes) -> Path:
    from generator.output.scorecard import replaceable

    return write_file(path, data, replace=lambda existing: replaceable(existing, Path(typed), "-o"))


def _one_line_items(loaded) -> None:
    """A list of texts is one cell, an item a line: an item with a line break in it cannot be held
    (it would come back as several items). Every such item is told, located in the profile."""
    from generator.intake.layout import Form, Leaf, sheets, value_at
    from generator.inputs.yamlload import format_path, one_line_break

    spots = []  # (the list's key path, its value, its leaf)
    for sheet in sheets():
        if isinstance(sheet, Form):
            spots += [(leaf.path, value_at(loaded.data, leaf.path), leaf) for leaf in sheet.rows
                      if isinstance(leaf, Leaf) and leaf.lines]
            continue
        table = value_at(loaded.data, sheet.path)
        entries = table.items() if isinstance(table, dict) else enumerate(table) if isinstance(table, list) else ()
        spots += [((*sheet.path, key, *leaf.path), value_at(item, leaf.path), leaf) for key, item in entries
                  for leaf in sheet.columns if leaf.lines]
    problems = []
    for where, values, leaf in spots:
        for n, text in enumerate(values if isinstance(values, list) else []):
            parts = one_line_break(text.strip()).split("\n") if isinstance(text, str) else []
            if len(parts) > 1:  # a break at either end is none: the profile strips it
                lines = sum(1 for part in parts if part.strip())
                problems.append(Problem(
                    f"这一项有换行（{lines} 行文字）；采集表把“{leaf.label}”写在一个单元格中，一行一项，这一项会被读成几项",
                    **loaded.at((*where, n)), key_path=format_path((*where, n)),
                    hint="请把这一项改为一行，或拆成几项", path=(*where, n)))
    if problems:
        raise ProfileError("这份档案不能写成企业信息采集表", problems)


# --- the YAML profile -------------------------------------------------------------------------
def _to_yaml(args, source: Path, typed: str, target: Path) -> int:
    from generator.intake.source import load_source
    from generator.profile.starter import commented_yaml
    from generator.profile.validation import checked
    from generator.standard.catalogue import load_catalogue

    if typed.endswith(("/", os.sep)) or target.is_dir() and not target.is_symlink():
        raise AftersalesError(f"-o 给出的是文件夹，不是文件：{display(typed)}", [Problem(
            f"请给出文件名，例如 “{display(target / source.with_suffix('.yaml').name)}”", display(typed))])
    if target.suffix.lower() not in YAML_SUFFIXES:
        raise AftersalesError(f"{display(source)} 是企业信息采集表；intake 由它写出的是 YAML 企业档案，"
                              f"-o 的文件名应以 .yaml 结尾：{display(typed)}", [Problem(
            f"请改用 .yaml 文件名，例如 “{display(target.with_name(source.with_suffix('.yaml').name))}”",
            display(typed))])
    _not_the_source(source, target)
    if (target.exists() or target.is_symlink()) and not args.force:
        raise AftersalesError(f"{display(target)} 已存在；如需覆盖请加 --force", [Problem(
            "或用 -o 另给一个文件名", display(target))])
    # the workbook's reader already holds every text to the YAML reader's rule (no control or
    # direction character, one kind of line break), so what validates here is what the YAML can say
    loaded = load_source(source)
    profile = checked(loaded, load_catalogue())
    text = HEADER + commented_yaml(loaded.data)
    _reads_back(text, target, profile)
    write_file(target, text.encode("utf-8"), replace=lambda _: args.force)
    print(f"已写出企业档案 {display(target)}（由企业信息采集表 {display(source)} 转换）。"
          f"此后请修改这个档案；运行：aftersales check {shlex.quote(display(target))}")
    return EXIT_OK


def _reads_back(text: str, target: Path, profile) -> None:
    """The YAML about to be written reads back to the same profile; anything else is a defect of
    this tool (exit 1), never a profile silently changed."""
    from generator.inputs.yamlload import load_yaml_bytes
    from generator.profile.validation import validate

    again = validate(load_yaml_bytes(text.encode("utf-8"), str(target)))
    if again.model_dump() != profile.model_dump():
        raise AssertionError(f"由采集表转换的 YAML 读回后与采集表不同（{display(target)}，没有写入）")


def _not_the_source(source: Path, target: Path) -> None:
    same = absolute(source) == absolute(target)
    if not same:
        try:
            same = os.path.samefile(source, target)
        except OSError:
            same = False
    if same:
        raise AftersalesError(f"-o 给出的就是来源文件 {display(source)}", [Problem(
            "请用 -o 另给一个文件名：intake 不改写来源文件", display(source))])
