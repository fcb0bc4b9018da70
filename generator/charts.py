"""Charts as PNG bytes (matplotlib, Agg), with a CJK font so Chinese labels render.

PNG metadata carries no software version or date, so the same scores give the same bytes.
"""
from __future__ import annotations

import functools
import io

from .assess import Assessment
from .errors import AftersalesError, Problem
from .markdown_text import hours

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "WenQuanYi Micro Hei",
             "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC")


@functools.lru_cache(maxsize=1)
def _font() -> str:
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in available:
            return name
    raise AftersalesError("找不到中文字体，图表无法显示中文", [Problem(
        "请安装一种中文字体：Debian/Ubuntu 上为 fonts-noto-cjk，Windows 上为微软雅黑（Microsoft YaHei）")])


def indicator_chart(assessment: Assessment) -> bytes:
    """Horizontal bars: each second-level indicator's score against its applicable maximum."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    groups = list(reversed(assessment.indicators))
    labels = [f"{g.clause.id} {g.clause.title}" for g in groups]
    with plt.rc_context({"font.family": _font(), "font.size": 9, "axes.unicode_minus": False,
                         "svg.hashsalt": "aftersales"}):
        fig, ax = plt.subplots(figsize=(7.2, 0.34 * len(groups) + 1.0), dpi=150)
        ax.barh(labels, [g.maximum for g in groups], color="#e3e6ef", label="满分")
        ax.barh(labels, [g.applicable for g in groups], color="#c5cae9", label="涉及分值")
        ax.barh(labels, [g.earned for g in groups], color="#3f51b5", height=0.5, label="得分")
        for y, g in enumerate(groups):
            text = "删减" if g.applicable == 0 else f"{g.earned:g} / {g.applicable:g}"
            ax.text(g.maximum + 0.2, y, text, va="center", fontsize=8)
        ax.set_xlim(0, max(g.maximum for g in groups) + 3)
        ax.set_title(f"各二级指标得分（最终得分 {assessment.score:g}，{assessment.level}）")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.04), ncol=3, fontsize=8, frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
        plt.close(fig)
    return buffer.getvalue()


def _box(ax, x, y, w, h, text, fill="#e8eaf6", edge="#3f51b5", size=9, bold=False):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.08",
                                facecolor=fill, edgecolor=edge, linewidth=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=size, fontweight="bold" if bold else "normal",
            linespacing=1.5)


def _line(ax, points, arrow=False):
    xs, ys = zip(*points)
    if arrow:
        ax.annotate("", xy=points[-1], xytext=points[-2],
                    arrowprops={"arrowstyle": "-|>", "color": "#455a64", "lw": 1.2})
        xs, ys = xs[:-1], ys[:-1]
    ax.plot(xs, ys, color="#455a64", lw=1.2)


def _wrap(text: str, width: int) -> str:
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def _save(fig) -> bytes:
    from matplotlib import pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def org_chart(profile) -> bytes:
    """The after-sales organisation: legal representative, management representative, departments,
    the supervision body, and the outlets under the after-sales department."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    o = profile.organisation
    departments = [o.aftersales_department] + list(o.departments)
    columns = departments + [None]  # None: the supervision body
    n = len(columns)
    width = max(7.2, 1.45 * n)
    self_run = sum(1 for x in profile.resources.outlets if x.mode == "自营")
    entrusted = len(profile.resources.outlets) - self_run
    with plt.rc_context({"font.family": _font(), "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(width, 4.0), dpi=150)
        ax.set_xlim(0, width)
        ax.set_ylim(0.55, 4.5)
        ax.axis("off")
        mid = width / 2
        _box(ax, mid, 4.15, 2.6, 0.5, f"法定代表人\n{profile.company.legal_representative}", "#c5cae9", bold=True)
        _box(ax, mid, 3.3, 2.6, 0.5, f"管理者代表\n{o.management_representative.name}", "#c5cae9")
        _line(ax, [(mid, 3.9), (mid, 3.55)])
        step = width / n
        xs = [step * (i + 0.5) for i in range(n)]
        _line(ax, [(mid, 3.05), (mid, 2.75)])
        _line(ax, [(xs[0], 2.75), (xs[-1], 2.75)])
        box_w = min(step * 0.9, 2.2)
        chars = max(4, int((box_w - 0.1) / 0.12))  # an 8 pt CJK character is about 0.11 inch
        for x, dept in zip(xs, columns):
            _line(ax, [(x, 2.75), (x, 2.45)])
            if dept is None:
                _box(ax, x, 2.05, box_w, 0.8, _wrap(o.supervision.body, chars) + f"\n{o.supervision.head}",
                     "#fff3e0", "#ef6c00", size=8)
            else:
                fill = "#3f51b5" if dept is o.aftersales_department else "#e8eaf6"
                _box(ax, x, 2.05, box_w, 0.8, _wrap(dept.name, chars) + f"\n{dept.head}", fill, size=8,
                     bold=dept is o.aftersales_department)
                if dept is o.aftersales_department:
                    ax.texts[-1].set_color("white")
        x0 = xs[0]
        outlets = [(f"自营网点\n{self_run} 个", self_run), (f"委托网点\n{entrusted} 个", entrusted)]
        outlets = [text for text, count in outlets if count]
        for i, text in enumerate(outlets):
            y = 0.95 - i * 0.0
            x = x0 + (i - (len(outlets) - 1) / 2) * (box_w * 0.55) if len(outlets) > 1 else x0
            _line(ax, [(x0, 1.65), (x0, 1.45), (x, 1.45), (x, 1.3)])
            _box(ax, x, y, box_w * 0.5, 0.6, text, "#e8f5e9", "#2e7d32", size=7)
        fig.tight_layout()
        return _save(fig)


def service_flow(profile) -> bytes:
    """Request → dispatch → on site / repair → follow-up → closure, with the promised time limits."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    k = profile.commitments
    follow = profile.customers.follow_up
    steps = [
        ("受理", f"热线 {profile.resources.hotline}\n线上渠道 / 网点"),
        ("派工", f"{hours(k.response_hours)}内响应"),
        ("上门服务", f"城区 {hours(k.onsite_hours_urban)}内" + (f"\n郊县 {hours(k.onsite_hours_rural)}内"
                                                           if k.onsite_hours_rural else "")),
        ("维修", f"{k.repair_days:g} 天内修复\n顾客签字确认"),
        ("回访", f"{follow.within_days:g} 天内{_wrap(follow.method, 8)}"),
        ("关闭", "满意后关闭工单"),
    ]
    with plt.rc_context({"font.family": _font(), "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(7.6, 2.6), dpi=150)
        ax.set_xlim(0, 12)
        ax.set_ylim(0.4, 3.1)
        ax.axis("off")
        xs = [1 + 2 * i for i in range(len(steps))]
        for i, (x, (title, note)) in enumerate(zip(xs, steps)):
            _box(ax, x, 2.1, 1.5, 0.6, title, "#3f51b5" if i in (0, len(steps) - 1) else "#e8eaf6", bold=True)
            if i in (0, len(steps) - 1):
                ax.texts[-1].set_color("white")
            ax.text(x, 2.55, note, ha="center", va="bottom", fontsize=7, color="#37474f", linespacing=1.4)
            if i:
                _line(ax, [(xs[i - 1] + 0.78, 2.1), (x - 0.78, 2.1)], arrow=True)
        _box(ax, xs[4], 0.75, 1.7, 0.45, "不满意 → 投诉处理", "#fff3e0", "#ef6c00", size=7)
        _line(ax, [(xs[4], 1.8), (xs[4], 0.98)], arrow=True)
        fig.tight_layout()
        return _save(fig)


def plan_chart(plan) -> bytes:
    """A Gantt-style timeline of the certification plan."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import dates as mdates
    from matplotlib import pyplot as plt

    stones = list(reversed(plan.milestones))
    with plt.rc_context({"font.family": _font(), "font.size": 8, "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(7.2, 0.36 * len(stones) + 1.1), dpi=150)
        for y, m in enumerate(stones):
            start, end = mdates.date2num(m.start), mdates.date2num(m.end)
            if end - start < 1:
                ax.plot([start], [y], marker="D", color="#ef6c00", markersize=6)
            else:
                ax.barh(y, end - start, left=start, height=0.5,
                        color="#3f51b5" if "监督" not in m.label and "复评" not in m.label else "#9fa8da")
            ax.text(end + 12, y, m.end.isoformat(), va="center", fontsize=7, color="#37474f")
        ax.set_yticks(range(len(stones)), [m.label for m in stones])
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        last = mdates.date2num(max(m.end for m in stones))
        ax.set_xlim(mdates.date2num(min(m.start for m in stones)) - 20, last + 160)
        ax.set_title("认证计划时间表")
        ax.grid(axis="x", color="#e0e0e0")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        return _save(fig)
