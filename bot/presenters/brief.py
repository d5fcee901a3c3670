"""The pre-call brief: one phone screen, with the long parts (history, promises, deals, type evidence) folded behind
buttons and shown on request."""

from __future__ import annotations

from datetime import date, tzinfo

from bot.domain import TYPE_NAMES_RU, BehaviourType
from bot.presenters import esc
from bot.presenters.card import certainty, cue_line, fit
from bot.presenters.dates import day, money, shorten
from bot.services.clients.call_brief import Brief
from storage.models import Interaction

DIRECTION = {"in": "клиент", "out": "мы"}


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _interaction(item: Interaction, today: date, tz: tzinfo, limit: int) -> str:
    when = day(item.at, today, tz)
    return f"• {when}, {DIRECTION.get(item.direction, item.direction)}: {esc(shorten(item.text, limit))}"


def render(brief: Brief, tz: tzinfo) -> str:
    c = brief.context
    client = brief.client
    today = c.today
    head = f"📋 <b>Перед звонком: {esc(client.name)}</b>"
    if client.company and client.company != client.name:
        head += f" ({esc(client.company)})"
    lines = [head]
    contacts = ", ".join(esc(ct.name) for ct in client.contacts if ct.name)
    if contacts:
        lines.append(f"👤 {contacts}")

    type_text = esc(TYPE_NAMES_RU[brief.type])
    if brief.type_overridden:
        type_text += " (уточнено руководителем)"
    elif brief.type is not BehaviourType.UNDETERMINED:
        type_text += f", {brief.history.result.confidence:.0%} по {brief.history.result.messages_used} сообщ."
    type_line = f"🧭 <b>Тип:</b> {type_text}"
    if brief.advice.values:
        type_line += f" Ценит: {esc(', '.join(brief.advice.values))}."
    lines.append(type_line)
    lines.append(f"🗣 <b>Как говорить:</b> {esc(' '.join(brief.advice.do[:2]))}")
    level = (
        f"📈 <b>{esc(brief.level.name)}</b> ({esc(brief.level.reason)}) — задача: {esc(lower_first(brief.level.task))}"
    )
    if brief.segment is not None:
        level += f"\n🗂 Стратегия сегмента: {esc(brief.segment.strategy)}"
    lines.append(level)

    for deal in c.open_deals[:2]:
        amount = money(deal.amount, deal.currency)
        lines.append(f"💼 <b>В работе:</b> «{esc(deal.title)}»" + (f", {amount}" if amount else ""))

    promise_parts = [f"⏰ просрочено «{esc(p.text)}» (срок {day(p.due, today)})" for p in c.overdue_promises]
    promise_parts += [f"«{esc(p.text)}» до {day(p.due, today)}" for p in c.open_promises[:3]]
    if c.broken_promises:
        promise_parts.append(f"не выполнено раньше: {len(c.broken_promises)}")
    lines.append("🤝 <b>Обещания:</b> " + ("; ".join(promise_parts) if promise_parts else "открытых нет"))

    if c.precautions:
        cautions = [
            f"• {esc(p.rule.title)} ({day(p.latest.at, today, tz)}): {esc(p.rule.short or ' '.join(p.rule.actions))}"
            for p in c.precautions
        ]
        lines.append("⚠️ <b>Инциденты → меры:</b>\n" + "\n".join(cautions))
    else:
        lines.append("⚠️ <b>Инциденты:</b> за последний год не было")

    if brief.interactions:
        recent = [_interaction(i, today, tz, 70) for i in brief.interactions[:3]]
        lines.append("🕑 <b>Последние контакты:</b>\n" + "\n".join(recent))
    goal = f"🎯 <b>Цель звонка:</b> {esc(brief.goal)}"
    extra = [g for g in brief.goal_extra if g != brief.level.task]
    if extra:
        goal += "\nТакже: " + " ".join(esc(g) for g in extra)
    lines.append(goal)
    lines.append(f"💬 <b>Начните так:</b> «{esc(brief.opening)}»")
    if brief.engine_note:
        lines.append(f"<i>{esc(brief.engine_note)}</i>")
    return fit(lines)


def history(brief: Brief, tz: tzinfo) -> str:
    if not brief.interactions:
        return f"История контактов с «{esc(brief.client.name)}» пока пуста."
    items = [_interaction(i, brief.context.today, tz, 400) for i in brief.interactions]
    return fit([f"🕑 <b>История: {esc(brief.client.name)}</b> (последние {len(items)})", *items])


def promises(brief: Brief) -> str:
    c = brief.context
    today = c.today
    if not c.promises:
        return f"Обещаний клиенту «{esc(brief.client.name)}» в базе нет."
    status = {True: "✅ выполнено", False: "✖️ не выполнено", None: "⏳ открыто"}
    lines = [f"🤝 <b>Обещания: {esc(brief.client.name)}</b>"]
    for p in c.promises:
        mark = "⏰ просрочено" if p in c.overdue_promises else status[p.kept]
        lines.append(f"• {mark} — «{esc(p.text)}», срок {day(p.due, today)}")
    if c.open_promises or c.overdue_promises:
        lines.append("Отметьте выполненные кнопками ниже.")
    return fit(lines)


def deals(brief: Brief) -> str:
    c = brief.context
    if not c.deals:
        return f"Сделок с «{esc(brief.client.name)}» в базе нет."
    names = {"won": "выиграна", "lost": "проиграна", "open": "в работе"}
    lines = [f"💼 <b>Сделки: {esc(brief.client.name)}</b>"]
    for d in c.deals:
        amount = money(d.amount, d.currency)
        when = day(d.closed or d.created, c.today)
        lines.append(f"• {esc(d.title)} — {names.get(d.status, d.status)}, {when}" + (f", {amount}" if amount else ""))
    return fit(lines)


def type_evidence(brief: Brief) -> str:
    result = brief.history.result
    lines = [f"🧭 <b>Тип клиента: {esc(TYPE_NAMES_RU[brief.type])}</b>"]
    lines.append(f"По {result.messages_used} сообщениям клиента; {certainty(result.confidence)}.")
    if result.cues:
        lines.append("Признаки:\n" + "\n".join(f"• {cue_line(cue)}" for cue in result.cues))
    if brief.history.change:
        lines.append(esc(brief.history.change))
    lines.append("<b>Что делаем:</b>\n" + "\n".join(f"• {esc(d)}" for d in brief.advice.do))
    if brief.type is BehaviourType.UNDETERMINED and result.questions:
        lines.append("Вопросы, которые помогут понять тип:\n" + "\n".join(f"• {esc(q)}" for q in result.questions))
    lines.append("<i>Тип — подсказка для общения, а не оценка человека.</i>")
    return fit(lines)
