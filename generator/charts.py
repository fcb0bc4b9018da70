"""Charts as PNG bytes (matplotlib, Agg), with a CJK font so Chinese labels render.

PNG metadata carries no software version or date, so the same scores give the same bytes.
"""
from __future__ import annotations

import functools
import io

from .assess import Assessment
from .errors import AftersalesError, Problem

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
