"""After the call: /log (or the buttons under a brief or a client card) records the outcome and new promises;
promise buttons (from the brief and the morning digest) mark them kept or not; the digest job itself.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.app import App
from bot.nlp.dates import format_date
from bot.presenters import client_texts as t
from bot.presenters import esc
from bot.services.clients import call_log, digest
from bot.services.clients import lookup as clients
from bot.services.common.access import Principal
from bot.telegram import client_keyboards as kb
from bot.telegram.client_keyboards import ClientCb, PromiseCb
from bot.telegram.handlers.clients import lookup_client, refuse
from bot.telegram.notifier import TelegramNotifier
from storage.models import Client
from storage.uow import UnitOfWork


class LogStates(StatesGroup):
    outcome = State()
    promises = State()


async def _start(message: Message, state: FSMContext, client: Client, promises_only: bool) -> None:
    await state.set_state(LogStates.promises if promises_only else LogStates.outcome)
    await state.update_data(log_client=client.id)
    text = t.LOG_ASK_PROMISE_ONLY if promises_only else t.LOG_ASK_OUTCOME
    await message.answer(esc(text.format(name=client.name)))


async def log_command(
    message: Message, command: CommandObject, principal: Principal, uow: UnitOfWork, state: FSMContext
) -> None:
    if not principal.works_with_clients:
        await message.answer(t.CLIENTS_ONLY)
        return
    client = await lookup_client(message, uow, principal, (command.args or "").strip(), "log")
    if client is not None:
        await _start(message, state, client, promises_only=False)


async def log_button(
    callback: CallbackQuery,
    callback_data: ClientCb,
    principal: Principal,
    app: App,
    uow: UnitOfWork,
    state: FSMContext,
) -> None:
    client = await clients.visible(uow, principal, callback_data.client)
    if client is None or not isinstance(callback.message, Message):
        await refuse(callback, uow, app, principal)
        return
    await callback.answer()
    if callback_data.action == "nopromise":
        await state.clear()
        await callback.message.answer(esc(t.LOG_NO_PROMISES))
        return
    await _start(callback.message, state, client, promises_only=callback_data.action == "promise")


async def _client_in_state(state: FSMContext, uow: UnitOfWork, principal: Principal) -> Client | None:
    data = await state.get_data()
    return await clients.visible(uow, principal, str(data.get("log_client", "")))


async def outcome_text(message: Message, principal: Principal, app: App, uow: UnitOfWork, state: FSMContext) -> None:
    client = await _client_in_state(state, uow, principal)
    if client is None:
        await state.clear()
        await message.answer(t.NOT_VISIBLE)
        return
    await call_log.log_outcome(app, uow, principal, client, message.text or "")
    await state.set_state(LogStates.promises)
    await message.answer(esc(t.LOG_ASK_PROMISES), reply_markup=kb.no_promises_keyboard(client.id))


async def promises_text(message: Message, principal: Principal, app: App, uow: UnitOfWork, state: FSMContext) -> None:
    client = await _client_in_state(state, uow, principal)
    await state.clear()
    if client is None:
        await message.answer(t.NOT_VISIBLE)
        return
    drafts = call_log.parse_promises(message.text or "", app.clock.today())
    added = await call_log.add_promises(app, uow, principal, client, drafts)
    lines = [esc(t.LOG_DONE.format(name=client.name))]
    for p in added:
        due = format_date(p.due, with_year=False) if p.due else "срок не распознан — уточните дату командой /log"
        lines.append(f"🤝 «{esc(p.text)}» — {esc(due)}")
    if not added:
        lines.append(esc(t.LOG_NO_PROMISES))
    await message.answer("\n".join(lines))


async def cancel(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(t.CANCELLED)


async def promise_button(
    callback: CallbackQuery, callback_data: PromiseCb, principal: Principal, app: App, uow: UnitOfWork
) -> None:
    promise = await call_log.visible_promise(uow, principal, callback_data.id)
    if promise is None:
        await refuse(callback, uow, app, principal)
        return
    kept = callback_data.action == "kept"
    await call_log.mark_promise(uow, principal, promise, kept)
    done = t.PROMISE_MARKED if kept else t.PROMISE_MARKED_BROKEN
    await callback.answer(done)
    if isinstance(callback.message, Message):
        await callback.message.answer(f"{esc(done)} «{esc(promise.text)}»")


async def digest_job(app: App, bot: Bot) -> None:
    """Background job: the morning digest at DIGEST_HOUR (registered in bot/telegram/runner.py)."""
    await digest.run_forever(app, TelegramNotifier(bot))


def build_router() -> Router:
    router = Router(name="calllog")
    # Typed answers only: a command or a newly forwarded client message is not the answer to our question.
    text_only = F.text & ~F.text.startswith("/") & F.forward_origin.is_(None)
    router.message.register(cancel, Command("cancel"), StateFilter(LogStates))
    router.message.register(log_command, Command("log"))
    router.callback_query.register(log_button, ClientCb.filter(F.action.in_({"log", "promise", "nopromise"})))
    router.callback_query.register(promise_button, PromiseCb.filter(F.action.in_({"kept", "broken"})))
    router.message.register(outcome_text, LogStates.outcome, text_only)
    router.message.register(promises_text, LogStates.promises, text_only)
    return router
