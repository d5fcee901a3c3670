"""Quality statistics as text: the numbers that go beside the chart, and the weekly digest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.presenters import esc

if TYPE_CHECKING:
    from bot.services.review.stats import Metrics, StatsReport

STATS_USAGE = (
    "Статистика проверки предложений: /stats [период].\n"
    "Период: week, month, 30d (по умолчанию) или 2026-11-01..2026-11-23."
)


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def duration(hours: float | None) -> str:
    if hours is None:
        return "—"
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes} мин"
    if minutes < 48 * 60:
        h, m = divmod(minutes, 60)
        return f"{h} ч {m} мин" if m else f"{h} ч"
    return f"{hours / 24:.1f} дн"


def _line(m: Metrics) -> str:
    if not m.decided:
        waiting = f", ждут {m.pending}" if m.pending else ""
        return f"{esc(m.label)}: предложений {m.total}, решений пока нет{waiting}"
    return (
        f"{esc(m.label)}: решено {m.decided} из {m.submitted}, принято {pct(m.acceptance)}, "
        f"правки {pct(m.mean_distance)}, проверка {duration(m.median_hours)}"
    )


def summary(report: StatsReport) -> list[str]:
    o = report.overall
    return [
        f"Предложений: {o.total}; на проверку отправлено {o.submitted}; решено {o.decided}; ждут решения {o.pending}.",
        f"Принято: <b>{pct(o.acceptance)}</b> (одобрено {o.approved}, с правками {o.edited}, отклонено {o.rejected}).",
        f"Правки: в среднем {pct(o.mean_distance)} текста изменено (по принятым; 0% — без изменений).",
        f"Время проверки: медиана {duration(o.median_hours)}, в среднем {duration(o.mean_hours)}.",
        f"Уточнений типа клиента: {report.corrections}.",
    ]


def report_html(report: StatsReport, title: str = "Качество предложений") -> str:
    if report.empty:
        return f"<b>{esc(title)}: {esc(report.period.label)}</b>\nЗа этот период предложений не было."
    from bot.services.review.stats import GROUPINGS

    lines = [f"<b>{esc(title)}: {esc(report.period.label)}</b>", *summary(report)]
    for name, group_title in GROUPINGS.items():
        lines += ["", f"<b>{esc(group_title)}</b>"]
        lines += [_line(m) for m in report.groups[name]]
    lines += ["", "Принято = (одобрено + с правками) / решено. Правки — нормированное расстояние Левенштейна."]
    return "\n".join(lines)


def caption(report: StatsReport) -> str:
    o = report.overall
    return (
        f"Проверка предложений, {esc(report.period.label)}: принято {pct(o.acceptance)} из {o.decided} решений, "
        f"правки {pct(o.mean_distance)}, медиана проверки {duration(o.median_hours)}."
    )


def digest_caption(report: StatsReport) -> str:
    return "📊 Еженедельная сводка. " + caption(report)
