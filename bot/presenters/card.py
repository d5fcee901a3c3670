"""The suggestion card as Telegram HTML (the terminal chat and `suggest` print the same through html_to_plain)."""

from __future__ import annotations

from datetime import tzinfo

from bot.domain import SITUATION_NAMES_RU, TYPE_NAMES_RU, Axis, BehaviourType, Cue, Situation
from bot.presenters import esc
from bot.presenters.dates import day, shorten
from bot.services.clients.context import ClientContext
from bot.services.suggestions.card import SuggestionCard

CARD_LIMIT = 4000  # Telegram's 4096 minus room: the card is edited in place, so it must stay one message
MAX_CUES = 5
AXIS_WORDS = {
    (Axis.EMOTIONALITY, 1): "эмоциональность ↑",
    (Axis.EMOTIONALITY, -1): "сдержанность",
    (Axis.CONFIDENCE, 1): "уверенность ↑",
    (Axis.CONFIDENCE, -1): "неуверенность",
}


def cue_line(cue: Cue) -> str:
    what = AXIS_WORDS.get((cue.axis, cue.direction), cue.axis.value)
    label = f": {cue.label}" if cue.label else ""
    return f"«{esc(shorten(cue.text, 80))}» — {esc(what + label)}"


def promise_lines(context: ClientContext, limit: int = 4) -> list[str]:
    today = context.today
    lines = [f"⏰ Просрочено: «{esc(p.text)}» (срок был {day(p.due, today)})" for p in context.overdue_promises]
    lines += [f"🤝 Обещано: «{esc(p.text)}» — до {day(p.due, today)}" for p in context.open_promises]
    lines += [f"✖️ Не выполнено раньше: «{esc(p.text)}»" for p in context.broken_promises[:2]]
    return lines[:limit]


def precaution_lines(context: ClientContext, tz: tzinfo) -> list[str]:
    lines = []
    for p in context.precautions:
        when = day(p.latest.at, context.today, tz)
        lines.append(f"• <b>{esc(p.rule.title)}</b> ({when}): {esc(' '.join(p.rule.actions))}")
    return lines


def certainty(confidence: float) -> str:
    """How sure the reading is, in words: a percentage from one message reads as more certain than it is, and
    «уверенность» would be confused with the type's own axis («неуверенный, уверенность 100%»)."""
    if confidence >= 0.8:
        return "признаки выражены ясно"
    if confidence >= 0.6:
        return "оценка предварительная"
    return "оценка неуверенная, проверьте по разговору"


def render(card: SuggestionCard, tz: tzinfo) -> str:
    parts: list[str] = []
    ctx = card.context
    if ctx is not None:
        who = f" — {esc(ctx.contact.name)}" if ctx.contact and ctx.contact.name else ""
        parts.append(f"👤 <b>Клиент:</b> {esc(ctx.client.name)}{who}")
    else:
        parts.append("👤 <b>Клиент не выбран</b> — история не учтена")

    type_line = f"🧭 <b>Тип:</b> {esc(TYPE_NAMES_RU[card.type])}"
    if card.manual_type is not None:
        type_line += f" (выбран вручную; по тексту — {esc(TYPE_NAMES_RU[card.behaviour.type].lower())})"
    elif card.type is not BehaviourType.UNDETERMINED:
        type_line += f" — {certainty(card.behaviour.confidence)}"
    parts.append(type_line)
    if card.behaviour.cues:
        parts.append(
            "Признаки в словах клиента:\n" + "\n".join(f"• {cue_line(c)}" for c in card.behaviour.cues[:MAX_CUES])
        )
    if card.type is BehaviourType.UNDETERMINED:
        questions = card.behaviour.questions or ()
        if questions:
            parts.append(
                "Признаков мало. Вопросы, которые помогут понять тип:\n" + "\n".join(f"• {esc(q)}" for q in questions)
            )
    else:
        parts.append(f"<b>Ценит:</b> {esc(', '.join(card.advice.values))}")
    parts.append("<b>Что делаем:</b>\n" + "\n".join(f"• {esc(d)}" for d in card.advice.do))

    names = [SITUATION_NAMES_RU[s] for s in (card.situations or (card.situation,))]
    parts.append(f"📌 <b>Ситуация:</b> {esc(' + '.join(names[:4]))}")
    if card.script is not None:
        parts.append(f"📄 <b>Скрипт:</b> {esc(card.script.title)}")

    title = "✍️ <b>Ваш вариант ответа:</b>" if card.final_text else "✍️ <b>Предлагаемый ответ:</b>"
    if card.situation is Situation.NO_REPLY and not card.final_text:
        title = "✍️ <b>Ответ не требуется.</b> Если всё же ответить:"
    parts.append(f"{title}\n<blockquote>{esc(card.final_text or card.reply)}</blockquote>")
    if card.blanks:
        parts.append(f"✏️ Заполните пропуски в квадратных скобках: {card.blanks} — кнопка «Изменить».")

    if ctx is not None:
        cautions = precaution_lines(ctx, tz) + [f"• {line}" for line in promise_lines(ctx)]
        if cautions:
            parts.append("⚠️ <b>Учтите перед ответом:</b>\n" + "\n".join(cautions))
    note = card.engine_note
    if (
        card.engine != "llm"
        and ctx is not None
        and card.script is not None
        and "{{ next_date" in card.script.reply_template
    ):
        note += f" Дата в ответе — {day(card.next_date, card.next_date)}, проверьте её."
    if card.engine != "llm" and card.situation in ADMITS_A_PROBLEM:
        # These scripts announce a delay or accept a fault; a client who only asks about one must not be told so.
        note += " Черновик сообщает о задержке или признаёт проблему — отправляйте, только если это действительно так."
    parts.append(f"<i>{esc(note)}</i>")
    return fit(parts)


ADMITS_A_PROBLEM = {Situation.DELAY_NOTICE}


def fit(parts: list[str], limit: int = CARD_LIMIT) -> str:
    """Whole blocks while they fit: a card is edited in place and must stay one message."""
    out: list[str] = []
    size = 0
    for part in parts:
        if size + len(part) + 2 > limit:
            break
        out.append(part)
        size += len(part) + 2
    return "\n\n".join(out)


def type_picker_text(card: SuggestionCard) -> str:
    return f"Выберите тип клиента — подберу скрипт и ответ заново.\nСейчас: {esc(TYPE_NAMES_RU[card.type])}."


def situation_picker_text(card: SuggestionCard) -> str:
    return (
        f"Выберите ситуацию — покажу скрипт для типа «{esc(TYPE_NAMES_RU[card.type])}».\n"
        f"Сейчас: {esc(SITUATION_NAMES_RU[card.situation])}."
    )
