"""Charts as PNG bytes, drawn with matplotlib's Agg backend (no display, no pyplot global state).

Drawing takes about a second, so async code calls `draw_async(fn, *args)`: the chart is drawn on one dedicated worker
thread while the bot goes on serving other people. One thread, not the shared pool: matplotlib's settings
(`rc_context`) and font cache are process-wide and not safe to use from two threads at once, and a chart should
not wait behind unrelated work (model loading) queued on the default executor.
DejaVu Sans ships with matplotlib and has Cyrillic, so Russian labels render without any system fonts. matplotlib
is imported on first use: commands that draw nothing do not pay for it.
"""

from __future__ import annotations

import asyncio
import functools
import io
import textwrap
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

_DRAWER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="charts")

COLORS = {"approved": "#2e7d32", "edited": "#f9a825", "rejected": "#c62828", "pending": "#9e9e9e"}
LEGEND = {"approved": "одобрено", "edited": "с правками", "rejected": "отклонено", "pending": "ждут"}


@dataclass(frozen=True, slots=True)
class BarRow:
    label: str
    approved: int
    edited: int
    rejected: int
    pending: int
    acceptance: float | None  # (approved + edited) / decided


@dataclass(frozen=True, slots=True)
class Panel:
    title: str
    rows: list[BarRow]


@dataclass(frozen=True, slots=True)
class SurveyPoint:
    period: str
    total: float


async def draw_async(render: Callable[..., bytes], *args: Any) -> bytes:
    """Run a chart function (e.g. `stats.chart`) on the charts thread and return its PNG."""
    return await asyncio.get_running_loop().run_in_executor(_DRAWER, functools.partial(render, *args))


def _render(draw: Any, size: tuple[float, float]) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    # parse_math off: a name like "$Mike$" is text, not a formula (nor a crash on a bad one).
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 9, "text.parse_math": False}):
        fig = Figure(figsize=size, dpi=110, layout="constrained")
        draw(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _wrap(label: str, width: int = 24) -> str:
    return "\n".join(textwrap.wrap(label, width)[:2]) or "—"


def stats_chart(title: str, panels: list[Panel]) -> bytes:
    """Stacked bars of decisions per group (one panel per grouping), acceptance rate written at each bar."""

    def draw(fig: Any) -> None:
        fig.suptitle(title, fontsize=11, fontweight="bold")
        axes = fig.subplots(2, 2).flatten() if len(panels) > 1 else [fig.subplots()]
        for ax, panel in zip(axes, panels, strict=False):
            rows = panel.rows[::-1]  # the largest group on top
            ys = list(range(len(rows)))
            left = [0] * len(rows)
            for key, color in COLORS.items():
                values = [getattr(r, key) for r in rows]
                ax.barh(ys, values, left=left, color=color, label=LEGEND[key], height=0.6)
                left = [a + b for a, b in zip(left, values, strict=True)]
            for y, r, width in zip(ys, rows, left, strict=True):
                share = "—" if r.acceptance is None else f"{r.acceptance:.0%}"
                ax.text(width + 0.1, y, f" {share}", va="center", fontsize=8)
            ax.set_yticks(ys, [_wrap(r.label) for r in rows], fontsize=8)
            ax.set_ylim(-0.7, max(len(rows), 4) - 0.3)  # one or two groups should not fill the panel
            ax.set_title(panel.title, fontsize=10)
            ax.set_xlim(0, max([*left, 1]) * 1.25)
            ax.xaxis.get_major_locator().set_params(integer=True)
            ax.spines[["top", "right"]].set_visible(False)
        for ax in axes[len(panels) :]:
            ax.set_visible(False)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncols=4, frameon=False)

    return _render(draw, (11, 7.5))


def survey_chart(
    title: str,
    points: list[SurveyPoint],
    levels: list[tuple[str, int, int]],
    questions: list[tuple[str, float, bool]],
) -> bytes:
    """Left: the team's total per period over the level bands. Right: this period's mean per question."""

    def draw(fig: Any) -> None:
        fig.suptitle(title, fontsize=11, fontweight="bold")
        trend, per_question = fig.subplots(1, 2, width_ratios=[1, 1.2])
        shades = ["#ffebee", "#fff8e1", "#e8f5e9", "#e3f2fd"]
        for (name, low, high), shade in zip(levels, shades, strict=False):
            trend.axhspan(low - 0.5, high + 0.5, color=shade, zorder=0)
            trend.text(0.01, (low + high) / 2, name, transform=trend.get_yaxis_transform(), fontsize=7, va="center")
        xs = list(range(len(points)))
        trend.plot(xs, [p.total for p in points], marker="o", color="#1565c0", zorder=3)
        for x, p in zip(xs, points, strict=True):
            trend.annotate(f"{p.total:.1f}", (x, p.total), textcoords="offset points", xytext=(0, 7), ha="center")
        trend.set_xticks(xs, [p.period for p in points])
        trend.set_xlim(-0.6, max(len(points) - 0.4, 0.6))
        trend.set_ylim(5.5, 30.5)
        trend.set_ylabel("сумма баллов (6–30)")
        trend.set_title("Динамика по периодам", fontsize=10)
        labels = [_wrap(q, 30) for q, _, _ in questions][::-1]
        means = [m for _, m, _ in questions][::-1]
        colors = ["#c62828" if low else "#1565c0" for _, _, low in questions][::-1]
        per_question.barh(range(len(means)), means, color=colors, height=0.6)
        for y, m in enumerate(means):
            per_question.text(m + 0.05, y, f"{m:.1f}", va="center", fontsize=8)
        per_question.set_yticks(range(len(means)), labels, fontsize=8)
        per_question.set_xlim(0, 5.6)
        per_question.set_title("Средний балл по вопросам (красным — слабые)", fontsize=10)
        for ax in (trend, per_question):
            ax.spines[["top", "right"]].set_visible(False)

    return _render(draw, (12, 5.5))
