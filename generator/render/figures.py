"""Charts and diagrams as data, laid out once, drawn twice: native Word charts and drawing shapes in
the DOCX (`docx_figures`), SVG with text as text on the site (`svg`). Nothing here needs a font.

A `BarChart` is its categories, series and number formats (as python-pptx's chart data); the DOCX
carries the numbers in an embedded workbook, so "edit data" works in Word and WPS. A `Diagram` is
boxes and connectors with coordinates in points, laid out here for the A4 text width, with text
wrapped by an estimate of its width (`text_width`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from generator.render.provisional import caveat, rests_on, star
from generator.render.text_width import NO_BREAK, block, wrap
from generator.text.literal import hours, number

if TYPE_CHECKING:  # a type only: the catalogue's module would load pydantic into md2docx
    from generator.standard.catalogue import Catalogue

WIDTH = 453.0  # points: the text width of A4 with 2.5 cm margins (templates/docx/reference.docx)
INK, GREY, INDIGO, PALE, PALER, LINE = "212121", "37474F", "3F51B5", "C5CAE9", "E8EAF6", "455A64"
ORANGE, ORANGE_FILL, GREEN, GREEN_FILL, RED_PALE, LIGHT = "EF6C00", "FFF3E0", "2E7D32", "E8F5E9", "F8BBD0", "9FA8DA"
SILVER = "CFD8DC"
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of spreadsheet serial dates


# --- charts ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # None: no value (no bar, no label)
    colour: str | None  # RRGGBB; None: not drawn (the offset of a floating bar)
    labels: tuple[str, ...] = ()  # the data label shown on each bar ("" none), as `label_format` shows it
    label_format: str = "General"  # the spreadsheet number format of the labels
    label_colour: str = INK
    point_colours: tuple[str | None, ...] = ()  # per bar, overriding `colour`


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one row per category (top to bottom), series stacked."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    axis_min: float
    axis_max: float
    major_unit: float
    axis_format: str  # spreadsheet number format of the value axis
    ticks: tuple[str, ...]  # the value axis labels at axis_min, axis_min + major_unit, …, as shown
    dates: bool = False  # values are spreadsheet serial dates (the workbook shows them as dates)
    legend: bool = True
    kind: str = "bar"
    note: str = ""  # a note on the values under the value axis, in small type (the value axis' title in Word)

    @property
    def note_lines(self) -> tuple[str, ...]:
        """The note as drawn: in lines (Word gets them as they are, so it breaks them alike)."""
        return wrap(self.note, NOTE_WIDTH, NOTE_SIZE) if self.note else ()

    @property
    def note_height(self) -> float:
        return len(self.note_lines) * NOTE_SIZE * LINE_HEIGHT + 4 if self.note else 0

    @property
    def height(self) -> float:
        """Points: the title, a row per category, the value axis' labels and note, the legend."""
        return ((30 if self.title else 8) + 22 * len(self.categories) + 24 + self.note_height
                + (22 if self.legend else 0))


def serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def indicator_chart(assessment, catalogue: Catalogue) -> BarChart:
    """Each second-level indicator: points earned, lost and excluded, stacked to its maximum; its
    points beside its name, starred where they are provisional, and then the final score in the
    title starred too and the caveat under the value axis (render/provisional.py)."""
    groups = assessment.indicators
    provisional = rests_on(g.clause for g in groups)
    earned = tuple(g.earned for g in groups)
    lost = tuple(round(g.applicable - g.earned, 2) or None for g in groups)
    excluded = tuple(round(g.maximum - g.applicable, 2) or None for g in groups)
    top = max(g.maximum for g in groups)
    step = _step(top)
    axis_max = math.ceil(top / step) * step
    series = (Series("得分", earned, INDIGO, tuple(number(v) if v else "" for v in earned), "General", "FFFFFF"),
              Series("失分", lost, RED_PALE, tuple(number(v) if v else "" for v in lost)),
              Series("删减", excluded, SILVER, tuple("删减" if v else "" for v in excluded), '"删减";;;'))
    return BarChart(
        title=f"各二级指标得分（最终得分 {number(assessment.score)}{star(provisional)}，{assessment.level}）",
        categories=tuple(f"{g.clause.id} {g.clause.title}（{number(g.maximum)}{star(g.clause.provisional)}）"
                         for g in groups),
        series=series[:1] + tuple(s for s in series[1:] if any(v is not None for v in s.values)),
        axis_min=0, axis_max=axis_max, major_unit=step, axis_format="General",
        ticks=tuple(number(step * i) for i in range(round(axis_max / step) + 1)),
        note=caveat(catalogue) if provisional else "")


def plan_chart(plan) -> BarChart:
    """The certification plan as a Gantt chart: an undrawn bar up to each step's start, then its
    duration in days (the dates are in the table beside it); a step of no duration (a date) shows ◆."""
    stones = plan.milestones
    first = min(m.start for m in stones) - dt.timedelta(days=15)
    start = dt.date(first.year, 1 if first.month < 7 else 7, 3)
    unit = 365.25 / 2  # half a year; half-years differ from it by under 2 days, so from the 3rd of
    # January or July every tick falls on the 1st to 5th of its month, which its label names
    intervals = math.ceil((serial(max(m.end for m in stones)) + 45 - serial(start)) / unit)
    axis = [serial(start) + unit * i for i in range(intervals + 1)]
    days = tuple((m.end - m.start).days for m in stones)
    later = tuple(LIGHT if "监督" in m.label or "复评" in m.label else None for m in stones)
    return BarChart(
        title="",  # the caption beneath names it
        categories=tuple(m.label for m in stones),
        series=(Series("开始日期", tuple(serial(m.start) for m in stones), None),
                Series("历时（天）", days, INDIGO, tuple("" if d else "◆" for d in days), ';;"◆"',
                       point_colours=later)),
        axis_min=axis[0], axis_max=axis[-1], major_unit=unit, axis_format="yyyy-mm",
        ticks=tuple((EXCEL_EPOCH + dt.timedelta(days=math.floor(v))).strftime("%Y-%m") for v in axis),
        dates=True, legend=False)


def _step(maximum: float, ticks: int = 8) -> float:
    """A round tick step (1, 2, 5 × 10ⁿ) giving at most `ticks` intervals up to `maximum`."""
    magnitude = 10 ** math.floor(math.log10(max(maximum, 1e-9) / ticks))
    return next(m * magnitude for m in (1, 2, 5, 10) if maximum / (m * magnitude) <= ticks)


# --- diagrams ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Box:
    x: float  # left edge, points
    y: float  # top edge
    w: float
    h: float
    lines: tuple[str, ...]  # as drawn (the SVG breaks lines where these do)
    fill: str = PALER
    edge: str = INDIGO
    ink: str = INK
    size: float = 9  # font size, points
    bold: bool = False
    rounded: bool = True
    framed: bool = True  # False: text only (a note above a box)
    paragraphs: tuple[str, ...] = ()  # the same text as Word holds it, to reflow when edited
    full: str = ""  # the whole text, where `lines` had to cut it short


@dataclass(frozen=True)
class Connector:
    points: tuple[tuple[float, float], ...]  # a polyline of straight segments
    arrow: bool = False
    colour: str = LINE


@dataclass(frozen=True)
class Diagram:
    title: str
    width: float
    height: float
    boxes: tuple[Box, ...]
    connectors: tuple[Connector, ...]
    kind: str = "diagram"


LINE_HEIGHT = 1.3  # of the font size, inside boxes
NOTE_SIZE = 7.5  # points: a chart's note (as the axis labels)
NOTE_WIDTH = 320.0  # points: its lines (LibreOffice breaks an axis title wider than about 70% of the chart)
PAD = 4.0  # points between a box's edge and its text
SLACK = 0.92  # text is wrapped to this share of the room, as readers' fonts differ from the estimate


def _text_height(lines: int, size: float) -> float:
    return lines * size * LINE_HEIGHT + 2 * PAD


def org_chart(profile) -> Diagram:
    """Legal representative → management representative → departments and the supervision body;
    the outlets under the after-sales department. Departments wrap into further rows when there
    are more than fit across the page; those rows hang from a line down the right-hand side. A
    large organisation is drawn smaller, so the chart stays within one page."""
    for size in (9.0, 8.0, 7.0, 6.0):
        diagram = _org_chart(profile, size)
        if diagram.height <= MAX_HEIGHT:
            break
    return diagram


MAX_HEIGHT = 640.0  # points: an A4 page's text height less room for the caption


def _org_chart(profile, size: float) -> Diagram:
    o = profile.organisation
    gap = 8.0
    units = [(o.aftersales_department.name, o.aftersales_department.head, "main")]
    units += [(d.name, d.head, "") for d in o.departments]
    units.append((o.supervision.body, o.supervision.head, "supervision"))
    per_row = max(2, min(len(units), int((WIDTH - 12 + gap) // (4.5 * size + 2 * PAD + 8 + gap))))
    rows = [units[:per_row]]
    rest = units[per_row:]
    while rest:  # later rows leave the first column free for the outlets
        rows.append(rest[:per_row - 1])
        rest = rest[per_row - 1:]
    box_w = (WIDTH - 12 - gap * (per_row - 1)) / per_row
    room = (box_w - 2 * PAD) * SLACK
    texts = [[block([(name, 4), (head, 2)], room, size) for name, head, _ in row] for row in rows]
    boxes: list[Box] = []
    lines: list[Connector] = []
    top_w, top_size = 170.0, size + 1.5
    top_room = (top_w - 2 * PAD) * SLACK
    tops = [block([("法定代表人", 1), (profile.company.legal_representative, 2)], top_room, top_size),
            block([("管理者代表", 1), (o.management_representative.name, 2)], top_room, top_size)]
    top_h = max(_text_height(len(t["lines"]), top_size) for t in tops)
    mid = WIDTH / 2
    second_y = top_h + 18
    boxes.append(Box(mid - top_w / 2, 0, top_w, top_h, fill=PALE, edge=INDIGO, size=top_size, bold=True, **tops[0]))
    boxes.append(Box(mid - top_w / 2, second_y, top_w, top_h, fill=PALE, edge=INDIGO, size=top_size, **tops[1]))
    lines.append(Connector(((mid, top_h), (mid, second_y))))
    bus = second_y + top_h + 14
    lines.append(Connector(((mid, second_y + top_h), (mid, bus))))
    y = bus + 14
    right = WIDTH - 1
    for r, (row, row_texts) in enumerate(zip(rows, texts)):
        first_column = 0 if r == 0 else 1
        xs = [6 + (first_column + i) * (box_w + gap) for i in range(len(row))]
        height = max(_text_height(len(t["lines"]), size) for t in row_texts)
        row_bus = y - 14
        centres = [x + box_w / 2 for x in xs]
        span = [min(centres + ([mid] if r == 0 else [])), max(centres + ([mid] if r == 0 else []))]
        if len(rows) > 1:
            span[1] = right
        lines.append(Connector(((span[0], row_bus), (span[1], row_bus))))
        for x, centre, (_, _, role), text in zip(xs, centres, row, row_texts):
            lines.append(Connector(((centre, row_bus), (centre, y))))
            fill, edge, ink = {"main": (INDIGO, INDIGO, "FFFFFF"), "supervision": (ORANGE_FILL, ORANGE, INK)}.get(
                role, (PALER, INDIGO, INK))
            boxes.append(Box(x, y, box_w, height, fill=fill, edge=edge, ink=ink, size=size, bold=role == "main",
                             **text))
        if r == 0:
            main_bottom, main_x = y + height, xs[0]
        last_bus = row_bus
        y += height + 28
    if len(rows) > 1:  # the right-hand line joining the rows' buses
        lines.append(Connector(((right, bus), (right, last_bus))))
    outlets = [(f"自营网点 {len(profile.resources.self_run)} 个", len(profile.resources.self_run)),
               (f"委托网点 {len(profile.resources.entrusted)} 个", len(profile.resources.entrusted))]
    outlets = [text for text, count in outlets if count]
    bottom = y - 28
    if outlets:
        rail = main_x + 6
        oy = main_bottom + 14
        end = oy
        for text in outlets:
            text_block = block([(text, 2)], (box_w - 12 - 2 * PAD) * SLACK, size - 0.5)
            h = _text_height(len(text_block["lines"]), size - 0.5)
            boxes.append(Box(rail + 6, oy, box_w - 12, h, fill=GREEN_FILL, edge=GREEN, size=size - 0.5, **text_block))
            lines.append(Connector(((rail, oy + h / 2), (rail + 6, oy + h / 2))))
            end = oy + h / 2
            oy += h + 8
        lines.append(Connector(((rail, main_bottom), (rail, end))))
        bottom = max(bottom, oy - 8)
    return Diagram("售后服务组织机构图", WIDTH, math.ceil(bottom + 2), tuple(boxes), tuple(lines))


def service_flow(profile) -> Diagram:
    """Request → dispatch → on site → repair → follow-up → closure, with the promised time limits
    above each step, and the path of a dissatisfied customer to complaint handling."""
    k = profile.commitments
    follow = profile.customers.follow_up
    steps = [
        ("受理", f"热线\n{profile.resources.hotline.replace(' ', NO_BREAK)}\n线上渠道、网点"),
        ("派工", f"{hours(k.response_hours)}内响应"),
        ("上门服务", f"城区 {hours(k.onsite_hours_urban)}内" + (f"\n郊县 {hours(k.onsite_hours_rural)}内"
                                                           if k.onsite_hours_rural else "")),
        ("维修", f"{number(k.repair_days)} 天内修复\n顾客签字确认"),
        ("回访", f"{number(follow.within_days)} 天内{follow.method}"),
        ("关闭", "满意后关闭工单"),
    ]
    pitch = WIDTH / len(steps)
    box_w, box_h, note_size = pitch - 18, 34.0, 7.5
    notes = [block([(part, 3) for part in note.split("\n")], (pitch - 4 - 2 * PAD) * SLACK, note_size)
             for _, note in steps]
    top = max(len(n["lines"]) for n in notes) * note_size * LINE_HEIGHT + PAD + 4
    boxes, lines = [], []
    for i, ((title, _), note) in enumerate(zip(steps, notes)):
        x = pitch * i + 9
        ends = i in (0, len(steps) - 1)
        note_box_h = len(note["lines"]) * note_size * LINE_HEIGHT + PAD
        boxes.append(Box(pitch * i + 2, top - 4 - note_box_h, pitch - 4, note_box_h, ink=GREY, size=note_size,
                         framed=False, **note))
        boxes.append(Box(x, top, box_w, box_h, (title,), INDIGO if ends else PALER, INDIGO,
                         "FFFFFF" if ends else INK, 10.5, bold=True))
        if i:
            lines.append(Connector(((x - 18 + 1, top + box_h / 2), (x - 1, top + box_h / 2)), arrow=True))
    follow_x = pitch * 4 + 9 + box_w / 2
    complaint_w, complaint_y = 100.0, top + box_h + 30
    boxes.append(Box(follow_x - complaint_w / 2, complaint_y, complaint_w, 26, ("不满意 → 投诉处理",),
                     ORANGE_FILL, ORANGE, size=9))
    lines.append(Connector(((follow_x, top + box_h), (follow_x, complaint_y)), arrow=True))
    return Diagram("售后服务流程图", WIDTH, math.ceil(complaint_y + 28), tuple(boxes), tuple(lines))


# --- all figures of a bundle, and their data as JSON --------------------------------------------
Figure = BarChart | Diagram


def bundle_figures(profile, catalogue: Catalogue, assessment, certification) -> dict[str, Figure]:
    """The figures the documents refer to, by the path their Markdown uses."""
    return {"figures/scorecard-indicators.svg": indicator_chart(assessment, catalogue),
            "figures/certification-plan.svg": plan_chart(certification),
            "figures/org-chart.svg": org_chart(profile),
            "figures/service-flow.svg": service_flow(profile)}


def as_data(figure: Figure) -> dict:
    return dataclasses.asdict(figure)


def from_data(data: dict) -> Figure:
    """The inverse of `as_data` (figures written beside the Markdown, for `generator.md2docx`)."""
    if data.get("kind") == "bar":
        series = tuple(Series(**{**s, **{k: tuple(s[k]) for k in ("values", "labels", "point_colours")}})
                       for s in data["series"])
        return BarChart(**{**data, "categories": tuple(data["categories"]), "series": series,
                           "ticks": tuple(data["ticks"])})
    boxes = tuple(Box(**{**b, "lines": tuple(b["lines"]), "paragraphs": tuple(b["paragraphs"])})
                  for b in data["boxes"])
    connectors = tuple(Connector(tuple(tuple(p) for p in c["points"]), c["arrow"], c["colour"])
                       for c in data["connectors"])
    return Diagram(data["title"], data["width"], data["height"], boxes, connectors)


__all__ = ["BarChart", "Box", "Connector", "Diagram", "Figure", "Series", "as_data", "bundle_figures",
           "from_data", "indicator_chart", "org_chart", "plan_chart", "service_flow"]
