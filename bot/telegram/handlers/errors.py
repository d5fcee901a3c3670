"""Last line of defence: any unexpected error is logged and the person gets a polite message, never a traceback.

A dependency that is unreachable (PostgreSQL, Redis, a Chroma server) is left to the inbox instead: the update is
kept and retried when the service is back, and the person hears once that it is briefly unavailable
(bot/telegram/inbox.py). An apology here would say "try again" about a message that will be answered anyway.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ErrorEvent

from bot import texts
from bot.infra_faults import is_transient

log = logging.getLogger(__name__)


async def on_error(event: ErrorEvent) -> bool:
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    update = event.update
    try:
        if update.message is not None:
            await update.message.answer(texts.ERROR_GENERIC)
        elif update.callback_query is not None:
            await update.callback_query.answer(texts.ERROR_GENERIC[:200], show_alert=True)
    except Exception:  # the error report itself failed (e.g. network): nothing more we can do
        log.exception("could not report the error to the user")
    return True


def not_an_outage(event: ErrorEvent) -> bool:
    return not is_transient(event.exception)


def build_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_error, not_an_outage)
    return router
