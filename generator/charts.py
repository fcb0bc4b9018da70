"""Charts as PNG bytes, drawn with Pillow in a CJK font so Chinese labels render.

The four charts are boxes, bars, lines and text. Drawing them directly costs about a hundredth of a
second each, where matplotlib took a second to import and lay out per process and a tenth of a
second per chart (benchmarks/bench.py). Everything is drawn at `SCALE` times the size and scaled
down, which smooths edges. The PNGs carry no metadata, so the same data gives the same bytes.
Coordinates below are in pixels of the finished image.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import math
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .assess import Assessment
from .errors import AftersalesError, Problem
from .markdown_text import hours

CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans CJK JP", "Source Han Sans CN",
             "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
             "Heiti SC", "Droid Sans Fallback")
# Where fonts are looked for when fontconfig's fc-list is not there (Windows, macOS).
FONT_FOLDERS = ("C:/Windows/Fonts", "/System/Library/Fonts", "/Library/Fonts", "/usr/share/fonts",
                "/usr/local/share/fonts", str(Path.home() / ".fonts"), str(Path.home() / ".local/share/fonts"))
SCALE = 2
INK, GREY, INDIGO, PALE, PALER, LINE = "#212121", "#37474f", "#3f51b5", "#c5cae9", "#e8eaf6", "#455a64"
ORANGE, ORANGE_FILL, GREEN, GREEN_FILL = "#ef6c00", "#fff3e0", "#2e7d32", "#e8f5e9"


# --- fonts -------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _font_files() -> tuple[tuple[str, int], tuple[str, int]]:
    """(file, face index) of the regular and the bold face of the first CJK family found."""
    faces: dict[tuple[str, bool], tuple[str, int]] = {}
    for family, bold, file, index in _installed_faces():
        faces.setdefault((family, bold), (file, index))
    for family in CJK_FONTS:
        if (family, False) in faces:
            return faces[family, False], faces.get((family, True), faces[family, False])
    raise AftersalesError("找不到中文字体，图表无法显示中文", [Problem(
        "请安装一种中文字体：Debian/Ubuntu 上为 fonts-noto-cjk，Windows 上为微软雅黑（Microsoft YaHei）")])


def _installed_faces():
    """(family, bold, file, index) of the fonts that cover Chinese."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        listing = subprocess.run([fc_list, ":lang=zh", "family", "style", "file", "index"],
                                 capture_output=True, text=True, check=False).stdout
        for line in sorted(listing.splitlines()):  # "FILE: FAMILY[,ALIAS]:style=STYLE:index=N"
            file, _, rest = line.partition(": ")
            fields = dict(part.split("=", 1) for part in rest.split(":")[1:] if "=" in part)
            for family in rest.split(":")[0].split(","):
                style = fields.get("style", "")
                if style.split(",")[0] in ("Regular", "Bold", "Normal", "Book", "Medium", ""):
                    yield family, style.startswith("Bold"), file, int(fields.get("index", 0))
        return
    for folder in FONT_FOLDERS:
        for path in sorted(Path(folder).glob("**/*.tt[cf]")) if Path(folder).is_dir() else ():
            for index in range(10):
                try:
                    family, style = ImageFont.truetype(str(path), 12, index=index).getname()
                except OSError:
                    break
                yield family, style == "Bold", str(path), index


@functools.lru_cache(maxsize=32)
def _font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    file, index = _font_files()[1 if bold else 0]
    return ImageFont.truetype(file, round(size * SCALE), index=index)


# --- drawing -----------------------------------------------------------------------------------
class _Canvas:
    def __init__(self, width: float, height: float):
        self.size = (math.ceil(width), math.ceil(height))
        self.image = Image.new("RGB", (self.size[0] * SCALE, self.size[1] * SCALE), "white")
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def measure(text: str, size: float, bold: bool = False) -> float:
        return max(_font(size, bold).getlength(line) for line in text.split("\n")) / SCALE

    def text(self, x: float, y: float, text: str, size: float = 14, anchor: str = "mm", fill: str = INK,
             bold: bool = False) -> None:
        """Text at (x, y); `anchor` as Pillow's (l/m/r, t/m/b) applies to the whole block of lines."""
        lines = text.split("\n")
        step = size * 1.45
        top = {"t": y, "m": y - step * (len(lines) - 1) / 2, "b": y - step * (len(lines) - 1)}[anchor[1]]
        for i, line in enumerate(lines):
            self.draw.text(((x) * SCALE, (top + i * step) * SCALE), line, font=_font(size, bold),
                           fill=fill, anchor=anchor[0] + anchor[1])

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: str, outline: str | None = None,
             radius: float = 0) -> None:
        box = [x0 * SCALE, y0 * SCALE, x1 * SCALE, y1 * SCALE]
        width = 2 * SCALE if outline else 0
        if radius:
            self.draw.rounded_rectangle(box, radius * SCALE, fill=fill, outline=outline, width=width)
        else:
            self.draw.rectangle(box, fill=fill, outline=outline, width=width)

    def box(self, x: float, y: float, w: float, h: float, text: str, fill: str = PALER, edge: str = INDIGO,
            size: float = 17, bold: bool = False, color: str = INK) -> None:
        """A rounded box centred on (x, y) with centred text."""
        self.rect(x - w / 2, y - h / 2, x + w / 2, y + h / 2, fill, edge, radius=10)
        self.text(x, y, text, size, "mm", color, bold)

    def line(self, points: list[tuple[float, float]], fill: str = LINE, width: float = 2,
             arrow: bool = False) -> None:
        if arrow:  # stop the line at the arrow head's base, then draw the head
            (x0, y0), (x1, y1) = points[-2], points[-1]
            length = math.hypot(x1 - x0, y1 - y0) or 1
            ux, uy = (x1 - x0) / length, (y1 - y0) / length
            head, half = 13, 6
            base = (x1 - ux * head, y1 - uy * head)
            points = points[:-1] + [base]
            self.polygon([(x1, y1), (base[0] - uy * half, base[1] + ux * half),
                          (base[0] + uy * half, base[1] - ux * half)], fill)
        self.draw.line([(x * SCALE, y * SCALE) for x, y in points], fill=fill, width=round(width * SCALE),
                       joint="curve")

    def polygon(self, points: list[tuple[float, float]], fill: str) -> None:
        self.draw.polygon([(x * SCALE, y * SCALE) for x, y in points], fill=fill)

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.image.reduce(SCALE).save(buffer, format="PNG")
        return buffer.getvalue()


def _wrap(text: str, width: float, size: float) -> str:
    """Text broken into lines no wider than `width` pixels (Chinese breaks between any characters)."""
    lines, line = [], ""
    for ch in text:
        if line and _Canvas.measure(line + ch, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return "\n".join(lines + [line])


def _step(maximum: float, ticks: int = 8) -> float:
    """A round tick step (1, 2, 5 × 10ⁿ) giving at most `ticks` intervals up to `maximum`."""
    magnitude = 10 ** math.floor(math.log10(max(maximum, 1e-9) / ticks))
    return next(m * magnitude for m in (1, 2, 5, 10) if maximum / (m * magnitude) <= ticks)


def _legend(canvas: _Canvas, y: float, items: list[tuple[str, str]], size: float = 16) -> None:
    widths = [28 + 8 + canvas.measure(label, size) for _, label in items]
    x = (canvas.size[0] - sum(widths) - 30 * (len(items) - 1)) / 2
    for (colour, label), w in zip(items, widths):
        canvas.rect(x, y - 7, x + 28, y + 7, colour)
        canvas.text(x + 36, y, label, size, "lm")
        x += w + 30


# --- the charts --------------------------------------------------------------------------------
def indicator_chart(assessment: Assessment) -> bytes:
    """Horizontal bars: each second-level indicator's score against its applicable maximum."""
    groups = assessment.indicators
    labels = [f"{g.clause.id} {g.clause.title}" for g in groups]
    width, row, top, size = 1080, 48, 70, 19
    left = max(_Canvas.measure(label, size) for label in labels) + 30
    right = width - 40
    height = top + row * len(groups) + 110
    canvas = _Canvas(width, height)
    canvas.text(width / 2, 34, f"各二级指标得分（最终得分 {assessment.score:g}，{assessment.level}）", 21)
    top_of_axis = max(g.maximum for g in groups) + 3
    scale = (right - left) / top_of_axis
    bottom = top + row * len(groups) + 16
    for i, (g, label) in enumerate(zip(groups, labels)):
        y = top + row * i + row / 2
        canvas.text(left - 14, y, label, size, "rm")
        canvas.rect(left, y - row * 0.4, left + g.maximum * scale, y + row * 0.4, "#e3e6ef")
        canvas.rect(left, y - row * 0.4, left + g.applicable * scale, y + row * 0.4, PALE)
        canvas.rect(left, y - row * 0.25, left + g.earned * scale, y + row * 0.25, INDIGO)
        text = "删减" if g.applicable == 0 else f"{g.earned:g} / {g.applicable:g}"
        canvas.text(left + g.maximum * scale + 10, y, text, 16, "lm")
    step = _step(top_of_axis)
    value = 0.0
    while value <= top_of_axis + 1e-9:
        x = left + value * scale
        canvas.line([(x, bottom), (x, bottom + 7)], INK, 1.5)
        canvas.text(x, bottom + 12, f"{value:g}", 17, "mt")
        value += step
    canvas.line([(left, top - 10), (left, bottom), (right, bottom)], INK, 1.5)
    _legend(canvas, height - 28, [("#e3e6ef", "满分"), (PALE, "涉及分值"), (INDIGO, "得分")])
    return canvas.png()


def plan_chart(plan) -> bytes:
    """A Gantt-style timeline of the certification plan, with the end date of each step."""
    stones = plan.milestones
    width, row, top, size = 1080, 60, 70, 17
    left = max(_Canvas.measure(m.label, size) for m in stones) + 34
    right = width - 30
    height = top + row * len(stones) + 70
    canvas = _Canvas(width, height)
    canvas.text(width / 2, 32, "认证计划时间表", 19)
    first = min(m.start for m in stones) - dt.timedelta(days=20)
    last = max(m.end for m in stones) + dt.timedelta(days=160)
    scale = (right - left) / (last - first).days

    def x(day: dt.date) -> float:
        return left + (day - first).days * scale

    bottom = top + row * len(stones) + 10
    for year in range(first.year, last.year + 1):  # grid and ticks at each January and July
        for month in (1, 7):
            day = dt.date(year, month, 1)
            if first <= day <= last:
                canvas.line([(x(day), top - 10), (x(day), bottom)], "#e0e0e0", 1.5)
                canvas.line([(x(day), bottom), (x(day), bottom + 7)], INK, 1.5)
                canvas.text(x(day), bottom + 12, f"{year}-{month:02d}", 16, "mt")
    for i, m in enumerate(stones):
        y = top + row * i + row / 2
        canvas.text(left - 14, y, m.label, size, "rm")
        if (m.end - m.start).days < 1:
            canvas.polygon([(x(m.start), y - 10), (x(m.start) + 10, y), (x(m.start), y + 10),
                            (x(m.start) - 10, y)], ORANGE)
            label_at = x(m.end) + 16
        else:
            later = "监督" in m.label or "复评" in m.label
            canvas.rect(x(m.start), y - row * 0.25, max(x(m.end), x(m.start) + 3), y + row * 0.25,
                        "#9fa8da" if later else INDIGO)
            label_at = max(x(m.end), x(m.start) + 3) + 8
        canvas.text(label_at, y, m.end.isoformat(), 15, "lm", GREY)
    canvas.line([(left, top - 10), (left, bottom), (right, bottom)], INK, 1.5)
    return canvas.png()


def org_chart(profile) -> bytes:
    """The after-sales organisation: legal representative, management representative, departments,
    the supervision body, and the outlets under the after-sales department."""
    o = profile.organisation
    columns = [o.aftersales_department] + list(o.departments) + [None]  # None: the supervision body
    step = 180
    width = max(1080, step * len(columns) + 40)
    box_w = min(step * 0.9, 330)
    texts = [_wrap(o.supervision.body, box_w - 16, 16) + f"\n{o.supervision.head}" if dept is None
             else _wrap(dept.name, box_w - 16, 16) + f"\n{dept.head}" for dept in columns]
    box_h = max(120, max(t.count("\n") + 1 for t in texts) * 16 * 1.45 + 30)
    self_run, entrusted = len(profile.resources.self_run), len(profile.resources.entrusted)
    outlets = [text for text, count in ((f"自营网点\n{self_run} 个", self_run),
                                        (f"委托网点\n{entrusted} 个", entrusted)) if count]
    below = 300 + box_h  # the department row's lower edge
    canvas = _Canvas(width, below + (170 if outlets else 30))
    mid = width / 2
    canvas.box(mid, 50, 320, 72, f"法定代表人\n{profile.company.legal_representative}", PALE, bold=True, size=18)
    canvas.box(mid, 178, 320, 72, f"管理者代表\n{o.management_representative.name}", PALE, size=18)
    xs = [(width - step * len(columns)) / 2 + step * (i + 0.5) for i in range(len(columns))]
    canvas.line([(mid, 86), (mid, 142)])
    canvas.line([(mid, 214), (mid, 260)])
    canvas.line([(xs[0], 260), (xs[-1], 260)])
    for x, dept, text in zip(xs, columns, texts):
        canvas.line([(x, 260), (x, 300)])
        main = dept is o.aftersales_department
        fill, edge = (ORANGE_FILL, ORANGE) if dept is None else (INDIGO if main else PALER, INDIGO)
        canvas.box(x, 300 + box_h / 2, box_w, box_h, text, fill, edge, size=16, bold=main,
                   color="white" if main else INK)
    for i, text in enumerate(outlets):
        x = xs[0] + (i - (len(outlets) - 1) / 2) * (box_w * 0.55)
        canvas.line([(xs[0], below), (xs[0], below + 30), (x, below + 30), (x, below + 60)])
        canvas.box(x, below + 105, box_w * 0.5, 90, text, GREEN_FILL, GREEN, size=15)
    return canvas.png()


def service_flow(profile) -> bytes:
    """Request → dispatch → on site / repair → follow-up → closure, with the promised time limits."""
    k = profile.commitments
    follow = profile.customers.follow_up
    steps = [
        ("受理", f"热线 {profile.resources.hotline}\n线上渠道 / 网点"),
        ("派工", f"{hours(k.response_hours)}内响应"),
        ("上门服务", f"城区 {hours(k.onsite_hours_urban)}内" + (f"\n郊县 {hours(k.onsite_hours_rural)}内"
                                                           if k.onsite_hours_rural else "")),
        ("维修", f"{k.repair_days:g} 天内修复\n顾客签字确认"),
        ("回访", f"{follow.within_days:g} 天内" + follow.method),
        ("关闭", "满意后关闭工单"),
    ]
    width, pitch, box_w = 1140, 190, 142
    canvas = _Canvas(width, 400)
    xs = [95 + pitch * i for i in range(len(steps))]
    for i, (x, (title, note)) in enumerate(zip(xs, steps)):
        ends = i in (0, len(steps) - 1)
        canvas.box(x, 150, box_w, 86, title, INDIGO if ends else PALER, size=19, bold=True,
                   color="white" if ends else INK)
        canvas.text(x, 96, _wrap(note, pitch - 14, 15), 15, "mb", GREY)
        if i:
            canvas.line([(xs[i - 1] + box_w / 2 + 6, 150), (x - box_w / 2 - 6, 150)], arrow=True)
    canvas.box(xs[4], 345, 170, 64, "不满意 → 投诉处理", ORANGE_FILL, ORANGE, size=15)
    canvas.line([(xs[4], 193), (xs[4], 312)], arrow=True)
    return canvas.png()
