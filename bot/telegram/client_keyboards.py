"""Buttons of the client flow: the suggestion card, choosing a client, the brief and its folded parts, promises.

Callback data carries only ids; every handler loads the object again and checks it is visible to the presser.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain import SITUATION_NAMES_RU, TYPE_NAMES_RU, BehaviourType, Situation
from bot.presenters.dates import shorten
from bot.telegram.callbacks import AttachCb, BriefCb, ClientCb, PromiseCb, SuggestionCb
from storage.models import Client, Promise

CALLBACK_LIMIT = 64


def _button(text: str, data: CallbackData) -> InlineKeyboardButton | None:
    packed = data.pack()
    if len(packed.encode("utf-8")) > CALLBACK_LIMIT:  # an over-long CRM id: no button rather than an API error
        return None
    return InlineKeyboardButton(text=text, callback_data=packed)


def _markup(rows: list[list[InlineKeyboardButton | None]]) -> InlineKeyboardMarkup:
    clean = [[b for b in row if b is not None] for row in rows]
    return InlineKeyboardMarkup(inline_keyboard=[row for row in clean if row])


def card_keyboard(suggestion_id: int) -> InlineKeyboardMarkup:
    sg = SuggestionCb
    return _markup(
        [
            [
                _button("🧭 Другой тип", sg(action="type", id=suggestion_id)),
                _button("📄 Другой скрипт", sg(action="script", id=suggestion_id)),
            ],
            [
                _button("✏️ Изменить", sg(action="edit", id=suggestion_id)),
                _button("📤 На проверку", sg(action="review", id=suggestion_id)),
            ],
            [_button("💾 Сохранить в историю", sg(action="save", id=suggestion_id))],
        ]
    )


def type_picker(suggestion_id: int) -> InlineKeyboardMarkup:
    rows = [
        [_button(TYPE_NAMES_RU[t], SuggestionCb(action="type", id=suggestion_id, value=t.value))] for t in BehaviourType
    ]
    rows.append([_button("← Назад к карточке", SuggestionCb(action="back", id=suggestion_id))])
    return _markup(rows)


def situation_picker(suggestion_id: int, current: Situation) -> InlineKeyboardMarkup:
    buttons = [
        _button(SITUATION_NAMES_RU[s], SuggestionCb(action="script", id=suggestion_id, value=s.value))
        for s in Situation
        if s is not current
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button("← Назад к карточке", SuggestionCb(action="back", id=suggestion_id))])
    return _markup(rows)


def attach_keyboard(candidates: list[Client], *, allow_new: bool = True) -> InlineKeyboardMarkup:
    rows = [[_button(shorten(c.name, 40), AttachCb(action="pick", client=c.id))] for c in candidates]
    tail = [_button("🔎 Найти клиента", AttachCb(action="search"))]
    if allow_new:
        tail.append(_button("➕ Новый клиент", AttachCb(action="new")))
    rows.append(tail)
    rows.append([_button("Без клиента", AttachCb(action="none"))])
    return _markup(rows)


def clients_keyboard(clients: list[Client], action: str) -> InlineKeyboardMarkup:
    return _markup([[_button(shorten(c.name, 40), ClientCb(action=action, client=c.id))] for c in clients])


def client_card_keyboard(client_id: str) -> InlineKeyboardMarkup:
    return _markup(
        [
            [_button("📋 Справка перед звонком", ClientCb(action="brief", client=client_id))],
            [
                _button("📝 Итог звонка", ClientCb(action="log", client=client_id)),
                _button("➕ Обещание", ClientCb(action="promise", client=client_id)),
            ],
        ]
    )


def brief_keyboard(suggestion_id: int, client_id: str) -> InlineKeyboardMarkup:
    return _markup(
        [
            [
                _button("🕑 Вся история", BriefCb(action="hist", id=suggestion_id)),
                _button("🤝 Все обещания", BriefCb(action="prom", id=suggestion_id)),
            ],
            [
                _button("💼 Сделки", BriefCb(action="deals", id=suggestion_id)),
                _button("🧭 Почему такой тип", BriefCb(action="type", id=suggestion_id)),
            ],
            [
                _button("📝 Итог звонка", ClientCb(action="log", client=client_id)),
                _button("➕ Обещание", ClientCb(action="promise", client=client_id)),
            ],
            [_button("📤 На проверку", SuggestionCb(action="review", id=suggestion_id))],
        ]
    )


def promises_keyboard(promises: list[Promise]) -> InlineKeyboardMarkup | None:
    rows = [
        [
            _button(f"✅ {shorten(p.text, 30)}", PromiseCb(action="kept", id=p.id)),
            _button("✖️ Не выполнено", PromiseCb(action="broken", id=p.id)),
        ]
        for p in promises[:8]
    ]
    return _markup(rows) if rows else None


def no_promises_keyboard(client_id: str) -> InlineKeyboardMarkup:
    return _markup([[_button("Обещаний нет", ClientCb(action="nopromise", client=client_id))]])
