"""Offline brief templates, one per colleague type (PRODUCT.md, the four types), in plain text.

- emotional_confident: consult, show the person's role and expertise, ask for their opinion;
- nonemotional_confident: brief, by points — what, by when, why, what the result is;
- nonemotional_unconfident: detailed, clear criteria, the department's standard, a checkpoint, what is attached;
- emotional_unconfident: warm and personal, an offer to talk it through by phone, warm thanks.
Every piece copied from the request has already passed the tone guard (bot.services.tasks.tone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.nlp.dates import format_date
from bot.nlp.names import DEPARTMENT_NAMES_RU
from bot.services.tasks.addressing import from_department
from bot.services.tasks.commitments import Commitment
from bot.services.tasks.directory import ClientInfo, ColleagueInfo
from bot.services.tasks.done import done_for, with_handoff
from bot.services.tasks.extraction import Extraction

EC, NC, NU, EU = "emotional_confident", "nonemotional_confident", "nonemotional_unconfident", "emotional_unconfident"


@dataclass
class BriefContext:
    extraction: Extraction
    assignee: ColleagueInfo | None
    department: str | None
    client: ClientInfo | None
    commitment: Commitment | None
    needs: list[str]
    precautions: list[str]
    co_executors: list[tuple[ColleagueInfo, str]] = field(default_factory=list)
    client_delays: int = 0
    tight: bool = False
    today: date | None = None
    requester_name: str | None = None

    @property
    def type(self) -> str:
        return (self.assignee.type if self.assignee else None) or "undetermined"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _end(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _due(ctx: BriefContext) -> str:
    e = ctx.extraction
    if e.deadline is None:
        return "пока не назначен — подскажите, пожалуйста, какая дата для Вас реалистична"
    when = format_date(e.deadline, e.deadline_time, e.deadline_part)
    if ctx.today is not None and (e.deadline - ctx.today).days in (0, 1):
        when = ("сегодня, " if e.deadline == ctx.today else "завтра, ") + when
    return when


def _why(ctx: BriefContext) -> str | None:
    """The impact the request itself gives; past delays of this client; otherwise nothing (no tautology)."""
    parts = [*ctx.extraction.impact]
    if ctx.client and ctx.client_delays:
        parts.append("клиент уже сталкивался с задержками, поэтому для него особенно важна точность сроков")
    if not parts:
        return None
    return _cap("; ".join(parts))


def _low(text: str) -> str:
    """Lower-case start after a colon, unless it is an abbreviation («КП», «ООО»)."""
    if len(text) > 1 and text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def actions_of(deliverable: str | None) -> list[str]:
    """«1) …; 2) …» back into the actions."""
    if not deliverable:
        return []
    return [a for a in re.split(r"(?:^|;\s*)\d+\)\s*", deliverable) if a.strip()]


def _done(ctx: BriefContext) -> str | None:
    """Derived from the action (bot.services.tasks.done); None when it cannot be: the requester is asked instead."""
    return with_handoff(done_for(actions_of(ctx.extraction.deliverable)), ctx.extraction.request)


def _prep(ctx: BriefContext, limit: int) -> list[str]:
    """Only what this colleague's own history shows (overdue causes): a department's generic list of what the
    requester should prepare reads to the colleague as facts nobody gave."""
    return ctx.precautions[:limit]


def _line(title: str, value: str | None) -> list[str]:
    return [f"{title}{_end(value)}"] if value else []


def _listing(title: str, items: list[str], bullet: str) -> list[str]:
    """A short list on one line in the compact template, one item per line otherwise."""
    if bullet:
        return [f"{bullet}{title}: " + _end("; ".join(items))]
    return [f"{title}:"] + [f"— {item}" + (";" if i < len(items) - 1 else ".") for i, item in enumerate(items)]


def _tail(ctx: BriefContext, bullet: str, *, needs_limit: int) -> list[str]:
    """Co-executors, the commitment, what the requester prepares and what is ready: shared by every template."""
    lines = []
    e = ctx.extraction
    if e.details:
        lines.append(f"{bullet}Важно: " + _end("; ".join(e.details)))
    if e.also:
        lines.append(f"{bullet}Также прошу: " + _end("; ".join(e.also)))
    if ctx.co_executors:
        people = "; ".join(
            f"{c.name} ({c.department_name})" + (f" — {part}" if part else "") for c, part in ctx.co_executors
        )
        lines.append(f"{bullet}Соисполнители: {_end(people)}")
    if ctx.commitment and ctx.tight:  # the usual lead time itself goes to the requester's note, not the brief
        lines.append(
            # said as an offer, not as a judgement of the deadline the colleague cannot check
            f"{bullet}Если к этому сроку успеть не получается, напишите сразу — вместе найдём решение."
        )
    prep = _prep(ctx, needs_limit)
    if prep:
        lines += _listing("Со своей стороны, чтобы ничего не задержало работу", prep, bullet)
    if e.prepared:
        lines.append(f"{bullet}Уже готово: " + _end("; ".join(e.prepared)))
    return lines


def _checkpoint(ctx: BriefContext) -> str | None:
    e = ctx.extraction
    if e.deadline is None or ctx.today is None or (e.deadline - ctx.today).days < 3:
        return None
    middle = ctx.today + timedelta(days=(e.deadline - ctx.today).days // 2)
    while middle.weekday() >= 5:
        middle -= timedelta(days=1)
    return f"Промежуточная сверка — {format_date(middle, with_year=False)}: коротко напишите, всё ли идёт по плану."


def _free_text_department(ctx: BriefContext) -> str | None:
    """The directory's own department name when the brief goes to a department, not a person."""
    if ctx.assignee or not ctx.department or ctx.department in DEPARTMENT_NAMES_RU:
        return None
    return ctx.department


def _numbered_points(lines: list[str]) -> list[str]:
    """The compact brief's points as «1. Что: …», «2. Срок: …» — easy to answer point by point."""
    out, n = [], 0
    for line in lines:
        if line.startswith("• "):
            n += 1
            line = f"{n}. {line[2:]}"
        out.append(line)
    return out


def _early_checkpoint(ctx: BriefContext) -> str:
    """A short task still gets a checkpoint: a word when the work starts, so a question surfaces early."""
    return "Контрольная точка: когда возьмётесь за работу, коротко напишите мне, что всё понятно и срок реален."


def _when_blocked(ctx: BriefContext) -> str:
    """Whom to ask when stuck: the requester, and the co-executors the request names for their part."""
    text = "Если что-то мешает двигаться дальше или пункт кажется неоднозначным, сразу напишите мне."
    if ctx.co_executors:
        names = ", ".join(c.name for c, _ in ctx.co_executors)
        text += f" По своей части также подскажет: {names}."
    return text


def _hello(ctx: BriefContext) -> str:
    if ctx.assignee:
        return f"Здравствуйте, {ctx.assignee.greeting_name}!"
    department = _free_text_department(ctx)
    if department:
        return f"Здравствуйте, коллеги {from_department(department)}!"
    return "Здравствуйте, коллеги!"


def _closing_thanks(ctx: BriefContext) -> list[str]:
    return [_end(_cap(t)) for t in ctx.extraction.thanks]


def _for_client(ctx: BriefContext) -> bool:
    """A client is in the task: thanking «on the client's behalf» is true only then."""
    e = ctx.extraction
    return ctx.client is not None or e.client_id is not None or any("клиент" in i.lower() for i in e.impact)


def compose(ctx: BriefContext) -> str:
    e = ctx.extraction
    what = e.deliverable or "задача из запроса"
    if ctx.client and ctx.client.name[:5].lower() not in what.lower():
        what = f"{what} (клиент «{ctx.client.name}»)"  # the client given on its own is said once, where it belongs
    steps = actions_of(what)
    if len(steps) > 1:  # several actions: one per line, easy to tick off
        what = "\n" + "\n".join(f"{i}) {step.rstrip('.;')}" + (";" if i < len(steps) else "") for i, step in
                                 enumerate(steps, 1))  # fmt: skip
    kind = ctx.type
    if kind == NC:
        lines = [_hello(ctx), "Коротко по задаче:", f"• Что: {_end(what)}", f"• Срок: {_end(_due(ctx))}",
                 *_line("• Зачем: ", _why(ctx)), *_line("• Результат: ", _done(ctx))]  # fmt: skip
        lines += _tail(ctx, "• ", needs_limit=3)
        lines = _numbered_points(lines)
        lines += [*_closing_thanks(ctx), "Спасибо!"]
    elif kind == NU:
        lines = [_hello(ctx), "Прошу Вас помочь с задачей. Ниже — всё, что для неё понадобится.",
                 f"Что нужно: {_end(what)}", f"Срок: {_end(_due(ctx))}"]  # fmt: skip
        lines.append(_checkpoint(ctx) or _early_checkpoint(ctx))
        lines += [*_line("Для чего: ", _why(ctx)), *_line("Критерий готовности: ", _done(ctx))]
        lines += _tail(ctx, "", needs_limit=4)
        lines += [_when_blocked(ctx)]
        lines += [*_closing_thanks(ctx), "Спасибо за Вашу точность и надёжность!"]
    elif kind == EC:
        lines = [_hello(ctx), f"Нужен Ваш опыт: {_end(what)}", *_line("Почему это важно: ", _why(ctx)),
                 f"Срок: {_end(_due(ctx))}", *_line("Что будет результатом: ", _done(ctx))]  # fmt: skip
        lines += _tail(ctx, "", needs_limit=3)
        lines += ["Если видите более удачный способ это сделать, подскажите — мне важно Ваше мнение."]
        thanks = (
            "Спасибо! Ваш вклад клиент обязательно почувствует."
            if _for_client(ctx)
            else ("Спасибо — на Ваш опыт здесь вся надежда!")
        )
        lines += [*_closing_thanks(ctx), thanks]
    elif kind == EU:
        lines = [_hello(ctx), f"Очень рассчитываю на Вашу помощь: {_end(what)}", f"Срок: {_end(_due(ctx))}"]
        lines += [*_line("Зачем это: ", _why(ctx)), *_line("Готово, когда: ", _done(ctx))]
        lines += _tail(ctx, "", needs_limit=3)
        lines += ["Если удобнее, давайте созвонимся — объясню голосом за пару минут."]
        thanks = (
            "Большое спасибо — Ваша работа очень помогает и мне, и клиенту!"
            if _for_client(ctx)
            else ("Большое спасибо — Вы меня очень выручаете!")
        )
        lines += [*_closing_thanks(ctx), thanks]
    else:
        opener = (
            "Прошу помочь с задачей"
            if ctx.assignee or _free_text_department(ctx)
            else f"Прошу {_dept_accusative(ctx.department)} помочь с задачей"
        )
        lines = [_hello(ctx), f"{opener}: {_end(what)}", f"Срок: {_end(_due(ctx))}",
                 *_line("Зачем: ", _why(ctx)), *_line("Готово, когда: ", _done(ctx))]  # fmt: skip
        lines += _tail(ctx, "", needs_limit=3)
        lines += ["Если нужно что-то уточнить — напишите, отвечу сразу."]
        lines += [*_closing_thanks(ctx), "Спасибо!"]
    if ctx.requester_name:
        lines.append(f"С уважением, {ctx.requester_name}")
    return re.sub(r"[ \t]+\n", "\n", "\n".join(lines))


_DEPT_ACCUSATIVE = {
    "sales": "отдел продаж",
    "logistics": "отдел логистики",
    "warehouse": "коллег со склада",
    "accounting": "бухгалтерию",
    "legal": "юридический отдел",
    "production": "производство",
}


def _dept_accusative(department: str | None) -> str:
    return _DEPT_ACCUSATIVE.get(department or "", DEPARTMENT_NAMES_RU.get(department or "", "коллег").lower())
