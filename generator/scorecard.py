"""The scorecard outside the DOCX: as data (JSON), as a terminal table (rich), as a workbook (openpyxl).

All three read the same Assessment and plan, so they agree with the DOCX on every number.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path as FilePath

from .assess import Assessment, assess
from .plan import Action, Path, plan
from .profile import Profile, load_profile
from .standard import Catalogue, load_catalogue


@dataclass(frozen=True)
class Scorecard:
    profile: Profile
    catalogue: Catalogue
    assessment: Assessment
    todo: list[Action]
    paths: list[Path]


def scorecard(profile_path: str | FilePath) -> Scorecard:
    catalogue = load_catalogue()
    profile = load_profile(profile_path, catalogue)
    assessment = assess(profile, catalogue)
    todo, paths = plan(profile, catalogue, assessment)
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
        "bonus": a.bonus,
        "bonus_note": a.bonus_note,
        "lines": [{
            "clause": l.clause.id, "title": l.clause.title, "points": l.points,
            "points_provisional": l.clause.provisional, "applicable": not l.excluded,
            "earned": None if l.excluded else l.earned, "lost": None if l.excluded else l.lost,
            "status": l.status, "basis": l.basis, "evidence": l.evidence, "source": l.source,
            "excluded_reason": l.excluded_reason,
        } for l in a.lines],
        "indicators": [{"clause": g.clause.id, "title": g.clause.title, "maximum": g.maximum,
                        "applicable": g.applicable, "earned": g.earned} for g in a.groups + a.indicators],
        "plan": [_action(t) for t in card.todo],
        "paths": [{"level": p.level, "needed": p.needed, "reachable": p.reachable, "note": p.note,
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
        points = f"{l.points:g}{'*' if l.clause.provisional else ''}"
        earned = "—" if l.excluded else f"{l.earned:g}"
        lost = "—" if l.excluded else f"{l.lost:g}"
        table.add_row(*(Text(cell) for cell in (f"{l.clause.id} {l.clause.title}", points, earned, lost, l.status,
                                                l.excluded_reason or l.basis)))
    console.print(table)
    lines = [f"涉及项总分值 {a.applicable_total:g}，实际得分 {a.earned_total:g}，归一化 {a.normalised:g}；"
             f"特别扣分 {a.deductions} 项，加分 {a.bonus:g}（{a.bonus_note}）。* 为暂定权重。"]
    for path in card.paths:
        if path.actions and path.reachable:
            lines.append(f"达到{path.level}：还需 {path.needed:g} 分；{path.note}：{'、'.join(t.key for t in path.actions)}")
        else:
            lines.append(f"{path.level}：{path.note}")
    for line in lines:
        console.print(Text(line))


def write_xlsx(card: Scorecard, target: FilePath) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .folder import write_file
    from .workbook import format_table, made_here, save

    data = as_data(card)
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    for row in (("企业", data["company"]), ("最终得分", data["score"]), ("预测等级", data["level"]),
                ("说明", data["level_note"]), ("目标等级", data["target_level"]),
                ("涉及项总分值", data["applicable_total"]), ("实际得分", data["earned_total"]),
                ("归一化得分", data["normalised"]), ("特别扣分项", data["special_deductions"]),
                ("特别加分", data["bonus"])):
        summary.append(row)
    lines = book.create_sheet("逐条评分")
    lines.append(["条款", "名称", "分值", "暂定分值", "涉及", "得分", "失分", "状态", "依据", "证据", "删减理由"])
    for l in data["lines"]:
        lines.append([l["clause"], l["title"], l["points"], "是" if l["points_provisional"] else "否",
                      "是" if l["applicable"] else "否", l["earned"], l["lost"], l["status"], l["basis"],
                      l["evidence"], l["excluded_reason"]])
    todo = book.create_sheet("整改计划")
    todo.append(["序号", "条款", "名称", "整改措施", "需准备的证据", "负责人", "完成日期", "可挽回分数", "工作量（人日）"])
    for i, t in enumerate(data["plan"], 1):
        todo.append([i, t["key"], t["title"], t["action"], "、".join(t["evidence"]), t["owner"],
                     dt.date.fromisoformat(t["due"]), t["points"], t["effort"]])
    format_table(summary, [16, 60], header=False)
    for cell in summary["A"]:
        cell.font = Font(bold=True)
    format_table(lines, [10, 16, 8, 10, 6, 8, 8, 10, 50, 40, 40])
    format_table(todo, [6, 12, 16, 60, 40, 10, 12, 12, 14])
    write_file(target, save(book, card.profile.document.issue_date), replace=made_here)
