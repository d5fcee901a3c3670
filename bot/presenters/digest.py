"""The morning digest of promises. Button data is built here as plain strings (services do not import aiogram);
the layout matches `PromiseCb` in bot/telegram/handlers/calllog.py — "pr:<action>:<promise id>" — and a test keeps
the two in step."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot.presenters import esc
from bot.presenters.dates import day, shorten
from bot.services.common.notify import Buttons

if TYPE_CHECKING:
    from bot.services.clients.digest import DigestItem

MAX_BUTTONS = 8


def promise_button(promise_id: int, action: str = "kept") -> str:
    return f"pr:{action}:{promise_id}"


def digest(items: list[DigestItem], today: date) -> tuple[str, Buttons]:
    overdue = [i for i in items if i.overdue]
    due_today = [i for i in items if not i.overdue]
    lines = ["☀️ <b>Доброе утро! Обещания клиентам</b>"]
    if overdue:
        lines.append("\n⏰ <b>Просрочено:</b>")
        lines += [
            f"• {esc(i.client.name)}: «{esc(i.promise.text)}» — срок был {day(i.promise.due, today)}" for i in overdue
        ]
    if due_today:
        lines.append("\n📅 <b>Сегодня:</b>")
        lines += [f"• {esc(i.client.name)}: «{esc(i.promise.text)}»" for i in due_today]
    lines.append("\nВыполненные отметьте кнопками ниже; по просроченным лучше сегодня же связаться с клиентом.")
    buttons: Buttons = [
        [(f"✅ {shorten(i.client.name + ': ' + i.promise.text, 40)}", promise_button(i.promise.id))]
        for i in (overdue + due_today)[:MAX_BUTTONS]
    ]
    return "\n".join(lines), buttons
