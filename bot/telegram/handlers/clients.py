"""/client (fuzzy search and the client card) and /brief (the pre-call brief with its folded parts).

Every command and every button loads the client again through the visibility check: a button drawn for one
manager and pressed by another gets a polite refusal and no data.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.app import App
from bot.presenters import brief as present_brief
from bot.presenters import client as present_client
from bot.presenters import client_texts as t
from bot.services.clients import call_brief as briefs
from bot.services.clients import lookup as clients
from bot.services.clients.profile import client_profile
from bot.services.common.access import Principal
from bot.services.knowledge.script_tools import script_tools
from bot.services.suggestions import actions as suggestion_actions
from bot.telegram import client_keyboards as kb
from bot.telegram.client_keyboards import BriefCb, ClientCb
from storage.models import Client
from storage.uow import UnitOfWork


async def refuse(callback: CallbackQuery, uow: UnitOfWork, app: App, principal: Principal) -> None:
    await app.access.record_refusal(uow, principal.user_id, f"button:{callback.data}")
    await callback.answer(t.NOT_VISIBLE_SHORT, show_alert=True)
    if callback.message is not None:
        await callback.message.answer(t.NOT_VISIBLE)


async def send_card(message: Message, app: App, uow: UnitOfWork, client: Client) -> None:
    profile = await client_profile(app, uow, client)
    await message.answer(present_client.card(profile, app.settings.tz), reply_markup=kb.client_card_keyboard(client.id))


async def send_brief(message: Message, app: App, uow: UnitOfWork, principal: Principal, client: Client) -> None:
    brief = await briefs.build_brief(app, uow, await script_tools(app), principal, client)
    html = present_brief.render(brief, app.settings.tz)
    await message.answer(html, reply_markup=kb.brief_keyboard(brief.suggestion_id, client.id))


async def lookup_client(
    message: Message, uow: UnitOfWork, principal: Principal, query: str, action: str
) -> Client | None:
    """One clear hit → that client; several → buttons to choose; none → a polite hint. Recent clients for no query."""
    if not query:
        recent = await clients.recent(uow, principal, limit=6)
        if not recent:
            await message.answer(t.NO_CLIENTS)
            return None
        usage = t.CLIENT_USAGE if action == "card" else t.BRIEF_USAGE
        await message.answer(usage, reply_markup=kb.clients_keyboard(recent, action))
        return None
    hits = await clients.resolve(uow, principal, query)
    if len(hits) == 1:
        return hits[0].client
    reply_markup = kb.clients_keyboard([h.client for h in hits], action) if hits else None
    await message.answer(present_client.search_results(query, hits), reply_markup=reply_markup)
    return None


async def client_command(
    message: Message, command: CommandObject, principal: Principal, app: App, uow: UnitOfWork
) -> None:
    if not principal.works_with_clients:
        await message.answer(t.CLIENTS_ONLY)
        return
    client = await lookup_client(message, uow, principal, (command.args or "").strip(), "card")
    if client is not None:
        await send_card(message, app, uow, client)


async def brief_command(
    message: Message, command: CommandObject, principal: Principal, app: App, uow: UnitOfWork
) -> None:
    if not principal.works_with_clients:
        await message.answer(t.CLIENTS_ONLY)
        return
    client = await lookup_client(message, uow, principal, (command.args or "").strip(), "brief")
    if client is not None:
        await send_brief(message, app, uow, principal, client)


async def client_button(
    callback: CallbackQuery, callback_data: ClientCb, principal: Principal, app: App, uow: UnitOfWork
) -> None:
    client = await clients.visible(uow, principal, callback_data.client)
    if client is None or not isinstance(callback.message, Message):
        await refuse(callback, uow, app, principal)
        return
    await callback.answer()
    if callback_data.action == "card":
        await send_card(callback.message, app, uow, client)
    else:
        await send_brief(callback.message, app, uow, principal, client)


async def brief_part(
    callback: CallbackQuery, callback_data: BriefCb, principal: Principal, app: App, uow: UnitOfWork
) -> None:
    row = await suggestion_actions.visible_suggestion(uow, principal, callback_data.id)
    client = await clients.visible(uow, principal, row.client_id or "") if row and row.kind == "brief" else None
    if row is None or client is None or not isinstance(callback.message, Message):
        await refuse(callback, uow, app, principal)
        return
    await callback.answer()
    brief = await briefs.build_brief(app, uow, await script_tools(app), principal, client, stored_id=row.id)
    tz = app.settings.tz
    if callback_data.action == "hist":
        await callback.message.answer(present_brief.history(brief, tz))
    elif callback_data.action == "prom":
        open_ = brief.context.overdue_promises + brief.context.open_promises
        await callback.message.answer(present_brief.promises(brief), reply_markup=kb.promises_keyboard(open_))
    elif callback_data.action == "deals":
        await callback.message.answer(present_brief.deals(brief))
    else:
        await callback.message.answer(present_brief.type_evidence(brief))


def build_router() -> Router:
    router = Router(name="clients")
    router.message.register(client_command, Command("client"))
    router.message.register(brief_command, Command("brief"))
    router.callback_query.register(client_button, ClientCb.filter(F.action.in_({"card", "brief"})))
    router.callback_query.register(brief_part, BriefCb.filter())
    return router
