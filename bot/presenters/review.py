"""The review loop as people read it: the card a supervisor decides on, the queue, the answer to the author.

Button data is built here as plain strings (services must not import aiogram); the layout matches `ReviewCb` in
bot/telegram/handlers/review.py — "rv:<action>:<suggestion id>:<value>" — and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from bot.domain import SITUATION_NAMES_RU, TYPE_NAMES_RU, BehaviourType, Situation
from bot.presenters import esc
from bot.services.common.notify import Buttons
from storage.models import Suggestion

KIND_NAMES = {"reply": "ответ клиенту", "brief": "справка перед звонком", "task": "задача коллеге"}
STATUS_NAMES = {
    "new": "черновик",
    "saved": "сохранено",
    "pending": "на проверке",
    "approved": "одобрено",
    "edited": "одобрено с правками",
    "rejected": "отклонено",
}
# Short codes keep the callback data well under Telegram's 64 bytes.
TYPE_CODES = {
    "ec": BehaviourType.EMOTIONAL_CONFIDENT,
    "nc": BehaviourType.NONEMOTIONAL_CONFIDENT,
    "nu": BehaviourType.NONEMOTIONAL_UNCONFIDENT,
    "eu": BehaviourType.EMOTIONAL_UNCONFIDENT,
    "un": BehaviourType.UNDETERMINED,
}
CARD_INPUT_LIMIT = 1200  # the client's text on the card; the full text stays in the database
CARD_TEXT_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class SuggestionView:
    """A suggestion with the names a person needs to read it."""

    suggestion: Suggestion
    author_name: str
    client_name: str | None


def cb(action: str, suggestion_id: int, value: str = "") -> str:
    return f"rv:{action}:{suggestion_id}:{value}"


def when(moment: datetime | None, tz: tzinfo) -> str:
    return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M") if moment else "—"


def type_name(value: str | None) -> str:
    if not value:
        return "не определён"
    try:
        return TYPE_NAMES_RU[BehaviourType(value)]
    except ValueError:
        return value


def situation_name(value: str | None) -> str:
    if not value:
        return "не указана"
    try:
        return SITUATION_NAMES_RU[Situation(value)]
    except ValueError:
        return value


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cue_text(cue: Any) -> str:
    return str(cue.get("text", "")) if isinstance(cue, dict) else str(cue)


def decision_buttons(suggestion_id: int, kind: str = "reply") -> Buttons:
    """Approve / edit / reject, and type correction where there is a client to correct (not for task briefs)."""
    last: list[tuple[str, str]] = [("❌ Отклонить", cb("rej", suggestion_id))]
    if kind != "task":
        last.append(("🏷 Уточнить тип", cb("type", suggestion_id)))
    return [[("✅ Одобрить", cb("ok", suggestion_id)), ("✏️ Изменить", cb("edit", suggestion_id))], last]


def type_buttons(suggestion_id: int) -> Buttons:
    rows = [[(TYPE_NAMES_RU[t], cb("set", suggestion_id, code))] for code, t in TYPE_CODES.items()]
    return [*rows, [("↩️ Назад к решению", cb("back", suggestion_id))]]


def card(view: SuggestionView, tz: tzinfo, title: str = "Предложение на проверку") -> str:
    s = view.suggestion
    lines = [f"<b>{esc(title)} №{s.id}</b>", f"Автор: {esc(view.author_name)}"]
    if view.client_name:
        lines.append(f"Клиент: {esc(view.client_name)}")
    lines.append(f"Вид: {KIND_NAMES.get(s.kind, esc(s.kind))} · движок: {'LLM' if s.engine == 'llm' else 'офлайн'}")
    if s.kind == "reply" or s.behaviour_type:
        confidence = f" (уверенность {s.type_confidence:.0%})" if s.type_confidence is not None else ""
        lines.append(f"Тип: {esc(type_name(s.behaviour_type))}{confidence}")
        lines.append(f"Ситуация: {esc(situation_name(s.situation))}")
    cues = [t for t in (_cue_text(c) for c in (s.cues or [])) if t][:4]
    if cues:
        lines.append("Признаки: " + ", ".join(f"«{esc(_clip(t, 80))}»" for t in cues))
    if s.script_id:
        lines.append(f"Сценарий: {esc(s.script_id)}")
    lines.append(f"Статус: {STATUS_NAMES.get(s.status, esc(s.status))}; отправлено {when(s.submitted_at, tz)}")
    if s.input_text.strip():
        lines += [
            "",
            "<b>Исходный текст:</b>",
            f"<blockquote>{esc(_clip(s.input_text.strip(), CARD_INPUT_LIMIT))}</blockquote>",
        ]
    lines += ["<b>Предложенный текст:</b>", f"<blockquote>{esc(_clip(s.text.strip(), CARD_TEXT_LIMIT))}</blockquote>"]
    if s.status == "edited" and s.final_text:
        lines += [
            "<b>Итоговый текст (после правки):</b>",
            f"<blockquote>{esc(_clip(s.final_text, CARD_TEXT_LIMIT))}</blockquote>",
        ]
    return "\n".join(lines)


def queue_page(views: list[SuggestionView], page: int, pages: int, total: int, tz: tzinfo) -> tuple[str, Buttons]:
    if not views:
        return "Очередь на проверку пуста — все предложения рассмотрены. Спасибо!", []
    lines = [f"<b>На проверке: {total}</b> (сначала давние) · страница {page + 1} из {pages}", ""]
    buttons: Buttons = []
    for v in views:
        s = v.suggestion
        client = f", клиент {esc(v.client_name)}" if v.client_name else ""
        kind = KIND_NAMES.get(s.kind, esc(s.kind))
        lines.append(f"№{s.id} · {kind} · {esc(v.author_name)}{client} · с {when(s.submitted_at, tz)}")
        lines.append(f"   {esc(_clip(' '.join(s.text.split()), 90))}")
        buttons.append([(f"Открыть №{s.id}", cb("open", s.id))])
    nav = []
    if page > 0:
        nav.append(("← Назад", cb("page", page - 1)))
    if page + 1 < pages:
        nav.append(("Далее →", cb("page", page + 1)))
    if nav:
        buttons.append(nav)
    return "\n".join(lines), buttons


def decision_notice(view: SuggestionView, decision: str, final_text: str | None, comment: str, reviewer: str) -> str:
    s = view.suggestion
    head = {
        "approved": f"✅ {esc(reviewer)} одобрил(а) Ваше предложение №{s.id}.",
        "edited": f"✏️ {esc(reviewer)} одобрил(а) Ваше предложение №{s.id} с правками.",
        "rejected": f"❌ {esc(reviewer)} отклонил(а) Ваше предложение №{s.id}.",
    }[decision]
    lines = [head]
    if view.client_name:
        lines.append(f"Клиент: {esc(view.client_name)}")
    if decision == "rejected":
        lines += [f"Причина: {esc(comment)}", "", "Пожалуйста, не отправляйте этот текст; подготовьте новый вариант."]
    else:
        lines += [
            "",
            "<b>Итоговый текст — его можно отправлять:</b>",
            f"<blockquote>{esc(final_text or '')}</blockquote>",
        ]
        if comment:
            lines.append(f"Комментарий: {esc(comment)}")
    return "\n".join(lines)


def already_decided(status: str, reviewer: str | None, moment: datetime | None, tz: tzinfo) -> str:
    if status in ("approved", "edited", "rejected"):
        who = f" — {reviewer}" if reviewer else ""
        return f"Решение уже принято: {STATUS_NAMES[status]}{who}, {when(moment, tz)}. Повторно менять его не нужно."
    return f"Это предложение сейчас в статусе «{STATUS_NAMES.get(status, status)}» и не ждёт решения."


def reminder(view: SuggestionView, hours: float, tz: tzinfo) -> str:
    return f"⏰ Напоминание: предложение №{view.suggestion.id} ждёт проверки больше {hours:g} ч.\n\n" + card(
        view, tz, title="Ждёт решения"
    )


def correction_notice(view: SuggestionView, previous: str | None, new: str, reviewer: str) -> str:
    client = f" (клиент {esc(view.client_name)})" if view.client_name else ""
    return (
        f"🏷 {esc(reviewer)} уточнил(а) тип в предложении №{view.suggestion.id}{client}: "
        f"{esc(type_name(previous))} → <b>{esc(type_name(new))}</b>. Учтите это в следующих разговорах."
    )


def submitted(suggestion: Suggestion, already: bool, reviewers: list[str], delivered: int, tz: tzinfo) -> str:
    if already:
        return (
            f"Предложение №{suggestion.id} уже на проверке с {when(suggestion.submitted_at, tz)}. "
            "Как только руководитель примет решение, я пришлю итоговый текст."
        )
    if not reviewers:
        return (
            f"Предложение №{suggestion.id} поставлено в очередь на проверку, но руководителей в боте пока нет. "
            "Попросите, пожалуйста, администратора назначить руководителя."
        )
    names = ", ".join(esc(n) for n in reviewers)
    if not delivered:
        return (
            f"Предложение №{suggestion.id} в очереди на проверку. {names} пока не открывал(а) бота — "
            "увидит его в /review. Решение и итоговый текст я пришлю Вам."
        )
    return f"Отправил предложение №{suggestion.id} на проверку: {names}. Решение и итоговый текст я пришлю Вам."


def decided_note(decision: str, author_notified: bool | None) -> str:
    state = STATUS_NAMES.get(decision, decision)
    if author_notified is None:
        return f"Решение сохранено: {state}."
    told = "автор получил итоговый текст" if decision != "rejected" else "автор получил причину отказа"
    if not author_notified:
        told = "сообщить автору не удалось (он ещё не открывал бота), решение сохранено в базе"
    return f"Решение сохранено: {state}; {told}. Спасибо!"
