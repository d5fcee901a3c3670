"""A forwarded or pasted client message → the suggestion card. Registered last: it takes any text that is not a
command and that no earlier router wanted.

Which client the message belongs to is the transport-neutral step bot/services/clients/attach.py (the terminal
chat takes the same one): settled by the forward's origin, or asked with buttons — matching clients or recent
ones, search, a new client, or no client. The text waits in the FSM data meanwhile (so it survives with Redis too).
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
)
from aiogram.utils.chat_action import ChatActionSender

from bot.observability import metrics
from bot.presenters import card as present
from bot.presenters import client as present_client
from bot.presenters import client_texts as t
from bot.presenters import esc
from bot.services.clients import attach
from bot.services.clients import lookup as clients
from bot.services.clients.lookup import ForwardOrigin
from bot.services.common.access import AccessService, Feature, Principal
from bot.services.suggestions import service as suggestion_service
from bot.services.suggestions.service import Suggestions
from bot.telegram import client_keyboards as kb
from bot.telegram.batching import Batcher
from bot.telegram.callbacks import AttachCb
from bot.telegram.filters import gate, private_only
from bot.telegram.replies import refuse_hidden as refuse
from bot.telegram.states import AttachStates
from storage.uow import UnitOfWork

PENDING = "pending_client_message"  # FSM data key: the message waiting for its client


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


async def _pop_pending(state: FSMContext) -> dict[str, Any] | None:
    data = await state.get_data()
    pending = data.pop(PENDING, None)
    await state.set_data(data)
    await state.set_state(None)
    return pending if isinstance(pending, dict) else None


async def send_card(
    message: Message, suggestions: Suggestions, uow: UnitOfWork, principal: Principal, step: attach.AttachStep
) -> None:
    assert message.bot is not None
    pending = step.message
    # Give the database connection back while the card is computed (classification, an LLM call): held through
    # it, fifty cards at once queue for the pool's fifteen connections (the burst of bench/load_bench.py).
    await uow.commit()
    try:
        # "typing…" while the card is built: with an LLM configured this can take seconds
        async with ChatActionSender.typing(bot=message.bot, chat_id=message.chat.id):
            card = await suggestions.suggest(
                uow, principal, pending.text, client=step.client, contact=step.contact, at=pending.at
            )
    except suggestion_service.EmptyMessage:
        await message.answer(t.EMPTY_MESSAGE)
        return
    await message.answer(present.render(card, suggestions.clock.tz), reply_markup=kb.card_keyboard(card.id))
    metrics.card_delivered()


class SuggestRouter:
    def __init__(self) -> None:
        self.batcher = Batcher()

    async def on_text(
        self, message: Message, principal: Principal, suggestions: Suggestions, uow: UnitOfWork, state: FSMContext
    ) -> None:
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
        step = await attach.start(uow, principal, attach.PendingMessage(text, at, origin))
        if step.settled:
            await send_card(message, suggestions, uow, principal, step)
            return
        await state.update_data({PENDING: step.message.to_dict()})
        prompt = {
            "several": t.WHICH_CLIENT_SEVERAL,
            "named": t.WHICH_CLIENT_NAMED.format(name=origin.name if origin else ""),
        }
        await message.answer(
            esc(prompt.get(step.reason, t.WHICH_CLIENT)), reply_markup=kb.attach_keyboard(step.candidates)
        )

    async def on_attach(
        self,
        callback: CallbackQuery,
        callback_data: AttachCb,
        principal: Principal,
        access: AccessService,
        suggestions: Suggestions,
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
        if callback_data.action == "pick" and await clients.visible(uow, principal, callback_data.client) is None:
            await refuse(callback, uow, access, principal)
            return
        pending = await _pop_pending(state)
        await callback.answer()
        if pending is None:
            await callback.message.answer(t.NOTHING_PENDING)
            return
        message = attach.PendingMessage.from_dict(pending)
        step = (
            await attach.pick(uow, principal, message, callback_data.client)
            if callback_data.action == "pick"
            else attach.without_client(message)
        )
        if step is not None:
            await send_card(callback.message, suggestions, uow, principal, step)

    async def on_search(self, message: Message, principal: Principal, uow: UnitOfWork, state: FSMContext) -> None:
        query = (message.text or "").strip()
        hits = await clients.search(uow, principal, query)
        await message.answer(
            present_client.search_results(query, hits), reply_markup=kb.attach_keyboard([h.client for h in hits])
        )

    async def on_new_name(
        self, message: Message, principal: Principal, suggestions: Suggestions, uow: UnitOfWork, state: FSMContext
    ) -> None:
        pending = await _pop_pending(state)
        if pending is None:
            await message.answer(t.NOTHING_PENDING)
            return
        step = await attach.create(uow, principal, attach.PendingMessage.from_dict(pending), message.text or "")
        assert step.client is not None
        await message.answer(esc(t.CLIENT_CREATED.format(name=step.client.name)))
        await send_card(message, suggestions, uow, principal, step)


async def cancel(message: Message, state: FSMContext) -> None:
    await _pop_pending(state)
    await message.answer(t.CANCELLED)


def build_router() -> Router:
    handlers = SuggestRouter()
    router = private_only(gate(Router(name="suggest"), Feature.CLIENTS, t.CLIENTS_ONLY))
    router.message.register(cancel, Command("cancel"), StateFilter(AttachStates))
    typed = F.text & ~F.text.startswith("/") & F.forward_origin.is_(None)  # an answer to the bot's question
    router.callback_query.register(handlers.on_attach, AttachCb.filter())
    router.message.register(handlers.on_search, AttachStates.search, typed)
    router.message.register(handlers.on_new_name, AttachStates.new_name, typed)
    # Commands pass through to nobody here; a forwarded photo or file still gets a polite answer.
    router.message.register(handlers.on_text, ((F.text | F.caption) & ~F.text.startswith("/")) | F.forward_origin)
    return router
