"""A forwarded or pasted client message → the suggestion card. Registered last: it takes any text that is not a
command and that no earlier router wanted.

The message is attached to its client by the forward's origin (the contact's Telegram id, username or name; a
hidden account by its display name); otherwise the bot asks with buttons — matching clients or recent ones,
search, a new client, or no client. The text waits in the FSM data meanwhile (so it survives with Redis too).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
)
from aiogram.utils.chat_action import ChatActionSender

from bot.app import App
from bot.presenters import card as present
from bot.presenters import client as present_client
from bot.presenters import client_texts as t
from bot.presenters import esc
from bot.services.clients import lookup as clients
from bot.services.clients.lookup import ForwardOrigin
from bot.services.common.access import Principal
from bot.services.knowledge.script_tools import script_tools
from bot.services.suggestions import service as suggestions
from bot.telegram import client_keyboards as kb
from bot.telegram.batching import Batcher
from bot.telegram.client_keyboards import AttachCb
from bot.telegram.handlers.clients import refuse
from storage.models import Client, Contact
from storage.uow import UnitOfWork

PENDING = "pending_client_message"  # FSM data key: the message waiting for its client


class AttachStates(StatesGroup):
    search = State()
    new_name = State()


def origin_of(message: Message) -> ForwardOrigin | None:
    fo = message.forward_origin
    if isinstance(fo, MessageOriginUser):
        user = fo.sender_user
        return ForwardOrigin(user.id, user.username, user.full_name, False, fo.date)
    if isinstance(fo, MessageOriginHiddenUser):
        return ForwardOrigin(name=fo.sender_user_name, hidden=True, date=fo.date)
    if isinstance(fo, MessageOriginChat):
        return ForwardOrigin(name=fo.sender_chat.title, date=fo.date)
    if isinstance(fo, MessageOriginChannel):
        return ForwardOrigin(name=fo.chat.title, date=fo.date)
    return None


def _origin_data(origin: ForwardOrigin | None) -> dict[str, Any] | None:
    if origin is None:
        return None
    return {"user_id": origin.user_id, "username": origin.username, "name": origin.name, "hidden": origin.hidden}


async def _pop_pending(state: FSMContext) -> dict[str, Any] | None:
    data = await state.get_data()
    pending = data.pop(PENDING, None)
    await state.set_data(data)
    await state.set_state(None)
    return pending if isinstance(pending, dict) else None


async def send_card(
    message: Message,
    app: App,
    uow: UnitOfWork,
    principal: Principal,
    text: str,
    client: Client | None,
    contact: Contact | None,
    at: datetime | None,
) -> None:
    assert message.bot is not None
    try:
        # "typing…" while the card is built: with an LLM configured this can take seconds
        async with ChatActionSender.typing(bot=message.bot, chat_id=message.chat.id):
            card = await suggestions.suggest(
                app, uow, await script_tools(app), principal, text, client=client, contact=contact, at=at
            )
    except suggestions.EmptyMessage:
        await message.answer(t.EMPTY_MESSAGE)
        return
    await message.answer(present.render(card, app.settings.tz), reply_markup=kb.card_keyboard(card.id))


class SuggestRouter:
    def __init__(self) -> None:
        self.batcher = Batcher()

    async def on_text(
        self, message: Message, principal: Principal, app: App, uow: UnitOfWork, state: FSMContext
    ) -> None:
        if not principal.works_with_clients:
            await message.answer(t.CLIENTS_ONLY)
            return
        if origin_of(message) is not None or self.batcher.is_open(message.chat.id):
            await uow.commit()  # do not hold the database while waiting for the rest of the batch
            batch = await self.batcher.collect(message.chat.id, message)
            if batch is None:
                return  # joined a batch another handler is collecting
        else:
            batch = [message]
        text = "\n\n".join(m.text or m.caption or "" for m in batch).strip()
        if not text:
            await message.answer(t.NO_TEXT)
            return
        origin = next((o for m in batch if (o := origin_of(m)) is not None), None)
        at = origin.date if origin and origin.date else batch[0].date
        matches = await clients.by_origin(uow, principal, origin) if origin else []
        distinct = list({c.id: c for c, _ in matches}.values())
        if len(distinct) == 1 and origin is not None:
            client, contact = matches[0]
            clients.remember_telegram_id(contact, origin)
            await send_card(message, app, uow, principal, text, client, contact, at)
            return
        await state.update_data({PENDING: {"text": text, "origin": _origin_data(origin), "at": at.isoformat()}})
        if len(distinct) > 1:
            prompt, candidates = t.WHICH_CLIENT_SEVERAL, distinct
        else:
            candidates = await clients.recent(uow, principal)
            prompt = t.WHICH_CLIENT_NAMED.format(name=origin.name) if origin and origin.name else t.WHICH_CLIENT
        await message.answer(esc(prompt), reply_markup=kb.attach_keyboard(candidates[:6]))

    async def on_attach(
        self,
        callback: CallbackQuery,
        callback_data: AttachCb,
        principal: Principal,
        app: App,
        uow: UnitOfWork,
        state: FSMContext,
    ) -> None:
        if not isinstance(callback.message, Message):
            return
        if callback_data.action == "search":
            await state.set_state(AttachStates.search)
            await callback.answer()
            await callback.message.answer(t.ASK_SEARCH)
            return
        if callback_data.action == "new":
            await state.set_state(AttachStates.new_name)
            await callback.answer()
            await callback.message.answer(t.ASK_NEW_NAME)
            return
        client = None
        if callback_data.action == "pick":
            client = await clients.visible(uow, principal, callback_data.client)
            if client is None:
                await refuse(callback, uow, app, principal)
                return
        pending = await _pop_pending(state)
        await callback.answer()
        if pending is None:
            await callback.message.answer(t.NOTHING_PENDING)
            return
        contact = _contact_from(client, pending) if client else None
        at = datetime.fromisoformat(pending["at"])
        await send_card(callback.message, app, uow, principal, pending["text"], client, contact, at)

    async def on_search(self, message: Message, principal: Principal, uow: UnitOfWork, state: FSMContext) -> None:
        query = (message.text or "").strip()
        hits = await clients.search(uow, principal, query)
        await message.answer(
            present_client.search_results(query, hits), reply_markup=kb.attach_keyboard([h.client for h in hits])
        )

    async def on_new_name(
        self, message: Message, principal: Principal, app: App, uow: UnitOfWork, state: FSMContext
    ) -> None:
        pending = await _pop_pending(state)
        if pending is None:
            await message.answer(t.NOTHING_PENDING)
            return
        raw = pending.get("origin") or {}
        origin = ForwardOrigin(raw.get("user_id"), raw.get("username"), raw.get("name"), bool(raw.get("hidden")))
        client = await clients.create(uow, principal, message.text or "", origin)
        await message.answer(esc(t.CLIENT_CREATED.format(name=client.name)))
        contact = client.contacts[0] if client.contacts else None
        at = datetime.fromisoformat(pending["at"])
        await send_card(message, app, uow, principal, pending["text"], client, contact, at)


def _contact_from(client: Client, pending: dict[str, Any]) -> Contact | None:
    """The contact the forward came from, when the manager picked the client by hand (e.g. a hidden account)."""
    raw = pending.get("origin") or {}
    name = raw.get("name") or ""
    return next((c for c in client.contacts if name and c.name and clients.same_person(name, c.name)), None)


async def cancel(message: Message, state: FSMContext) -> None:
    await _pop_pending(state)
    await message.answer(t.CANCELLED)


def build_router() -> Router:
    handlers = SuggestRouter()
    router = Router(name="suggest")
    router.message.register(cancel, Command("cancel"), StateFilter(AttachStates))
    typed = F.text & ~F.text.startswith("/") & F.forward_origin.is_(None)  # an answer to the bot's question
    router.callback_query.register(handlers.on_attach, AttachCb.filter())
    router.message.register(handlers.on_search, AttachStates.search, typed)
    router.message.register(handlers.on_new_name, AttachStates.new_name, typed)
    # Commands pass through to nobody here; a forwarded photo or file still gets a polite answer.
    router.message.register(handlers.on_text, ((F.text | F.caption) & ~F.text.startswith("/")) | F.forward_origin)
    return router
