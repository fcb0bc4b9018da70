"""The scorecard outside the DOCX: as data (JSON), as a terminal table (rich), as a workbook (openpyxl).

All three read the same Assessment and plan, so they agree with the DOCX on every number.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path as FilePath

from generator.assess.facts import facts_of
from generator.assess.score import Assessment, assess
from generator.errors import AftersalesError, Problem, display
from generator.assess.gaps import Action, Route, plan
from generator.profile.model import Profile
from generator.intake.source import load_profile
from generator.standard.catalogue import Catalogue, load_catalogue
from generator.render.provisional import MARK, caveat, star
from generator.standard.wording import Reason, say


@dataclass(frozen=True)
class Scorecard:
    profile: Profile
    catalogue: Catalogue
    assessment: Assessment
    todo: list[Action]
    paths: list[Route]


def scorecard(profile_path: str | FilePath) -> Scorecard:
    catalogue = load_catalogue()
    profile = load_profile(profile_path, catalogue)
    facts = facts_of(profile, catalogue)  # what the profile implies, once: the score and the plan read it
    assessment = assess(profile, catalogue, facts)
    todo, paths = plan(profile, catalogue, assessment, facts)
    return Scorecard(profile, catalogue, assessment, todo, paths)


def as_data(card: Scorecard) -> dict:
    a = card.assessment
    return {
        "company": card.profile.company.legal_name,
        "standard": card.catalogue.info.id,
        "score": a.score,
        "level": a.level,
        "level_note": a.level_note,
        "target_level": card.profile.certification.target_level,
        "next_level": {"name": a.next_level[0], "needed": a.next_level[1]} if a.next_level else None,
        "applicable_total": a.applicable_total,
        "earned_total": a.earned_total,
        "normalised": a.normalised,
        "special_deductions": a.deductions,
        "score_exact": str(a.score_exact),  # the level is decided on this fraction; "score" is it shown to 0.01
        "bonus": a.bonus,
        "bonus_note": a.bonus_note,
        "bonus_disputed": card.catalogue.scoring.special_bonus.disputed,
        "without_bonus": a.without_bonus._asdict() if a.without_bonus else None,
        # from 100 to the score: what each first-level indicator lost (normalised), the deductions, the bonus
        "losses": [{"source": label, "points": value} for label, value in a.losses_shown],
        # the score depends on points the standard does not publish: which they are, and the caveat
        "weights": {"provisional": [c.id for c in card.catalogue.clauses.values() if c.provisional],
                    "confirmed": [c.id for c in card.catalogue.clauses.values()
                                  if c.points_provenance == "confirmed"],
                    "note": caveat(card.catalogue)},
        "lines": [{
            "clause": l.clause.id, "title": l.clause.title, "points": l.points,
            "points_provisional": l.clause.provisional, "applicable": not l.excluded,
            "earned": None if l.excluded else l.earned, "lost": None if l.excluded else l.lost,
            "status": l.status.label, "basis": l.basis, "evidence": l.evidence, "source": l.source,
            "excluded_reason": l.excluded_reason,
        } for l in a.lines],
        "indicators": [{"clause": g.clause.id, "title": g.clause.title, "maximum": g.maximum,
                        "points_provisional": g.clause.provisional, "applicable": g.applicable,
                        "earned": g.earned} for g in a.groups + a.indicators],
        "rules": {key: {"title": rule.title, "source": rule.source, "evidence": rule.evidence,
                        "note": card.catalogue.scoring.said(key) or None}
                  for key, rule in card.catalogue.scoring.rules().items()},
        "plan": [_action(t) for t in card.todo],
        "paths": [{"level": p.level, "needed": p.needed, "reachable": p.reachable, "note": p.note, "reason": p.reason,
                   "points": p.points, "effort": p.effort, "actions": [t.key for t in p.actions]}
                  for p in card.paths],
    }


def _action(t: Action) -> dict:
    return {"key": t.key, "title": t.title, "action": t.action, "evidence": t.evidence,
            "points": t.points, "raw_points": t.raw_points, "effort": t.effort, "owner": t.owner,
            "due": t.due.isoformat()}


def print_table(card: Scorecard, console) -> None:
    """The scorecard on a terminal. Every string goes in as rich Text, never as markup: profile text
    such as a company name with "[/b]" in it is printed as it is."""
    from rich.table import Table
    from rich.text import Text

    a = card.assessment
    console.print(Text.assemble((card.profile.company.legal_name, "bold"), "  自评 ", (f"{a.score:g}", "bold"),
                                " 分  ", (a.level, "bold"), f"（{a.level_note}）"))
    table = Table(show_lines=False, header_style="bold")
    for name, justify in (("条款", "left"), ("分值", "right"), ("得分", "right"), ("失分", "right"),
                          ("状态", "left"), ("依据", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    for l in a.lines:
        points = f"{l.points:g}{star(l.clause.provisional)}"
        earned = "—" if l.excluded else f"{l.earned:g}"
        lost = "—" if l.excluded else f"{l.lost:g}"
        table.add_row(*(Text(cell) for cell in (f"{l.clause.id} {l.clause.title}", points, earned, lost, l.status.label,
                                                l.excluded_reason or l.basis)))
    console.print(table)
    lines = [say(Reason("terminal.totals", {"applicable": a.applicable_total, "earned": a.earned_total,
                                            "normalised": a.normalised, "deductions": a.deductions,
                                            "bonus": a.bonus, "bonus_note": a.bonus_reason}))]
    lines += [note] if (note := caveat(card.catalogue)) else []
    if a.without_bonus:
        lines.append(say(Reason("terminal.without_bonus", {"disputed": card.catalogue.scoring.special_bonus.disputed,
                                                           "score": a.without_bonus.score,
                                                           "level": a.without_bonus.level})))
    if a.must_fix_reason:
        lines.append(say(Reason("terminal.must_fix", {"deductions": a.deductions, "note": a.must_fix_reason})))
    for path in card.paths:
        if path.actions and path.reachable:
            lines.append(say(Reason("terminal.path", {"level": path.level, "lead": path.lead_reason, "note": path.why,
                                                      "keys": [t.key for t in path.actions]})))
        else:
            lines.append(say(Reason("terminal.path.without_actions", {"level": path.level, "note": path.why})))
    for line in lines:  # wrapped by the terminal, anywhere in Chinese (rich would wrap only at spaces)
        console.print(Text(line), soft_wrap=True)


def write_xlsx(card: Scorecard, target: FilePath) -> None:
    """The scorecard as an Excel workbook at `target` (a .xlsx name), written in one step. An
    existing file there is replaced only when it is this tool's workbook, untouched since it was
    written (workbook.ownership); one the user has edited, or that the tool did not write, is kept
    and nothing is written (exit 2, naming the file and what to do)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from generator.output.folder import absolute, write_file
    from generator.output.xlsx.saving import format_table, save

    path = absolute(xlsx_target(str(target)))
    data = as_data(card)
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    for row in (("关于分值", data["weights"]["note"]),  # first: the numbers below depend on it
                ("企业", data["company"]), ("最终得分", data["score"]), ("预测等级", data["level"]),
                ("说明", data["level_note"]), ("目标等级", data["target_level"]),
                ("涉及项总分值", data["applicable_total"]), ("实际得分", data["earned_total"]),
                ("归一化得分", data["normalised"]), ("特别扣分项", data["special_deductions"]),
                ("特别加分", data["bonus"]),
                *((("不计特别加分时", say(Reason("xlsx.without_bonus", data["without_bonus"]))),)
                  if data["without_bonus"] else ()),
                *((f"失分：{loss['source']}", loss["points"]) for loss in data["losses"])):
        summary.append(row)
    lines = book.create_sheet("逐条评分")
    lines.append([data["weights"]["note"]])
    lines.append(["条款", "名称", "分值", "暂定分值", "涉及", "得分", "失分", "状态", "依据", "证据", "删减理由"])
    for l in data["lines"]:
        lines.append([l["clause"], l["title"], l["points"], "是" if l["points_provisional"] else "否",
                      "是" if l["applicable"] else "否", l["earned"], l["lost"], l["status"], l["basis"],
                      l["evidence"], l["excluded_reason"]])
    for row in lines.iter_rows(min_row=3, min_col=3, max_col=4):  # 分值 "3*" where it is provisional
        if row[1].value == "是":
            row[0].number_format = PROVISIONAL_FORMAT
    todo = book.create_sheet("整改计划")
    todo.append([data["weights"]["note"]])
    todo.append(["序号", "条款", "名称", "整改措施", "需准备的证据", "负责人", "完成日期", "可挽回分数", "工作量（人日）"])
    for i, t in enumerate(data["plan"], 1):
        todo.append([i, t["key"], t["title"], t["action"], "、".join(t["evidence"]), t["owner"],
                     dt.date.fromisoformat(t["due"]), t["points"], t["effort"]])
    format_table(summary, [16, 60], header=False)
    for cell in summary["A"]:
        cell.font = Font(bold=True)
    _caveat_style(summary["B1"])
    for row in summary.iter_rows(min_row=2, max_col=2):  # the scores the caveat's "*" refers to
        if row[0].value in ("最终得分", "实际得分", "归一化得分") and data["weights"]["provisional"]:
            row[1].number_format = PROVISIONAL_FORMAT
    format_table(lines, [10, 16, 8, 10, 6, 8, 8, 10, 50, 40, 40])
    format_table(todo, [6, 12, 16, 60, 40, 10, 12, 12, 14])
    for sheet in (lines, todo):
        caveat_row(sheet)
    write_file(path, save(book, card.profile.document.issue_date, sealed=True),
               replace=lambda existing: replaceable(existing, FilePath(target)))


PROVISIONAL_FORMAT = f'General"{MARK}"'  # a provisional clause's points: still a number, shown as "3*"


def caveat_row(sheet) -> None:
    """After `workbook.format_table`: the first row is the caveat on provisional points (one line,
    running on across the empty cells beside it), the second the header, both kept in view."""
    from openpyxl.styles import Font

    _caveat_style(sheet["A1"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A3"


def _caveat_style(cell) -> None:
    """The caveat's cell: grey italic on one line, running on across the empty cells beside it (a
    wrapped cell would show its first line only where the row keeps its default height)."""
    from openpyxl.styles import Alignment, Font

    cell.font = Font(italic=True, color="FF5F6368")  # ARGB, opaque (as Excel and LibreOffice write it)
    cell.alignment = Alignment(wrap_text=False, vertical="top")


def replaceable(path: FilePath, typed: FilePath, option: str = "--xlsx") -> bool:
    """Whether the existing workbook at `path` may be replaced: this tool's and untouched. One the
    tool wrote and the user edited since stops the run here (a file the tool did not write is
    refused by folder.write_file). `typed` is the path as the user gave it, for the names suggested;
    `option` the option that named it (`-o` for `intake`)."""
    from generator.output.xlsx.ownership import EDITED, OURS, UNCONFIRMED, ownership

    state = ownership(path)
    if state in (EDITED, UNCONFIRMED):
        from generator.output.folder import _free_name  # the name `build --keep-renamed` gives a user's edited file

        why = ("但写出后被修改过" if state == EDITED else
               "但无法确认写出后是否被修改过（由本工具的早先版本写出，或无法读取）")
        kept = _free_name(path.name, path.parent, path.parent)
        raise AftersalesError(f"{display(path)} 是本工具写出的工作簿，{why}；为免覆盖您的修改，没有写入", [Problem(
            f"请用 {option} 另给一个文件名（例如 “{display(typed.with_name(_free_xlsx(path)))}”），"
            f"或把您的文件改名保留（例如改为 “{display(kept)}”）或移走后重试", display(path))])
    return state == OURS


def xlsx_target(typed: str, option: str = "--xlsx", example: str = "评分.xlsx") -> FilePath:
    """The workbook `score --xlsx` names, checked before anything is written: a name ending in a
    slash (or an existing folder) is a folder; a symbolic link is the user's and never replaced (as
    `build` treats one), wherever it points; the name must end in .xlsx. The messages name `option`
    (`-o` for `intake`) and suggest names like `example`."""
    if not typed.strip():
        raise AftersalesError(f"{option} 缺少文件名", [Problem(f"请给出以 .xlsx 结尾的文件名，例如 “{example}”", option)])
    path = FilePath(os.path.expanduser(typed))
    if (typed.endswith(("/", os.sep)) or os.path.basename(typed) in (".", "..")
            or path.is_dir() and not path.is_symlink()):
        raise AftersalesError(f"{option} 给出的是文件夹，不是工作簿文件：{display(typed)}", [Problem(
            f"请给出文件名，例如 “{display(path / example)}”", display(typed))])
    if path.is_symlink():
        raise AftersalesError(
            f"{display(path)} 是一个符号链接（指向 {display(os.readlink(path))}）；本工具不替换符号链接，没有写入",
            [Problem(f"请用 {option} 直接给出工作簿本身的路径或另一个文件名，或删除这个链接后重试", display(path))])
    if path.suffix.lower() == ".xlsx" and not path.stem.strip():  # "  .xlsx"
        raise AftersalesError(f"{option} 的文件名只有空格：“{typed}”", [Problem(
            f"请给出文件名，例如 “{display(path.with_name(example))}”", display(typed))])
    if path.suffix.lower() != ".xlsx":
        stem = path.stem if path.suffix else path.name  # "评分.csv" → "评分"; ".xlsx" alone is a name, not a suffix
        stem = stem[:-5] if stem.lower().endswith(".xlsx") else stem
        name = f"{stem}.xlsx" if stem.strip(". ") else example
        raise AftersalesError(f"{option} 要写的是 Excel 工作簿，文件名应以 .xlsx 结尾：{display(typed)}", [Problem(
            f"请改用 .xlsx 文件名，例如 “{display(path.with_name(name))}”", display(typed))])
    return path


def _free_xlsx(path: FilePath) -> str:
    """A name beside `path` that no file has: "NAME (2).xlsx", "NAME (3).xlsx" …"""
    for n in range(2, 1000):
        name = f"{path.stem} ({n}){path.suffix}"
        if not (path.parent / name).exists() and not (path.parent / name).is_symlink():
            return name
    return f"{path.stem} (新){path.suffix}"
