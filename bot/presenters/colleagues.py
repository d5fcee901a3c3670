"""The colleagues directory as Telegram HTML (also printed by the terminal chat)."""

from __future__ import annotations

from bot.domain import TYPE_NAMES_RU, BehaviourResult, BehaviourType
from bot.nlp.names import DEPARTMENT_NAMES_RU
from bot.presenters import bold, esc, italic
from bot.presenters.card import certainty
from storage.models import Colleague

SOURCES = {"manual": "задан вручную", "messages": "по сообщениям", "import": "из импорта"}


def type_name(value: str | None) -> str:
    if value and value in BehaviourType.__members__.values():
        return TYPE_NAMES_RU[BehaviourType(value)]
    return "тип не задан"


def line(c: Colleague) -> str:
    tg = f"@{c.telegram_username}" if c.telegram_username else (str(c.telegram_user_id) if c.telegram_user_id else "—")
    linked = "✅" if c.telegram_user_id else "⏳"
    source = f", {SOURCES.get(c.type_source or 'import', '')}" if c.type else ""
    off = " (неактивен)" if not c.active else ""
    return f"{esc(c.id)} · {bold(c.name)}{esc(off)} — {esc(tg)} {linked}; {esc(type_name(c.type))}{esc(source)}"


def directory(colleagues: list[Colleague]) -> str:
    if not colleagues:
        return esc(
            "Справочник пуст. Загрузите демо (python -m bot demo), импортируйте файл или добавьте: /colleague add"
        )
    lines = [bold("Справочник коллег"), italic("✅ — коллега уже писал боту и получит задачу в Telegram")]
    by_department: dict[str, list[Colleague]] = {}
    for c in colleagues:
        by_department.setdefault(c.department, []).append(c)
    for department, people in by_department.items():
        lines += ["", bold(DEPARTMENT_NAMES_RU.get(department, department))]
        lines += [line(c) for c in people]
    return "\n".join(lines)


def saved(c: Colleague, what: str) -> str:
    motivation = f"\nМотивация: {esc(c.motivation)}" if c.motivation else ""
    return f"Коллега {what}:\n{line(c)}{motivation}"


def type_read(c: Colleague, result: BehaviourResult) -> str:
    if result.type is BehaviourType.UNDETERMINED:
        return esc(f"По этим сообщениям тип {c.name} определить не удалось — признаков мало. Тип не изменён.")
    cues = "; ".join(f"«{cue.text}»" for cue in result.cues[:4])
    return (
        f"{bold(c.name)}: {esc(type_name(result.type.value))} ({certainty(result.confidence)}).\n"
        f"Признаки: {esc(cues or '—')}\nТип сохранён; он учитывается в тоне задач для коллеги."
    )
