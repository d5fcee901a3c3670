"""Every button's callback data, one class per feature (each stays within Telegram's 64 bytes).

Handlers import their callback data from here, never from another handler. Buttons that services send to other
people (a review request, a task, the morning digest, the survey) are drawn by the presenters as plain strings in
the same layouts; tests/telegram/test_callbacks.py keeps the two in step. Callback data carries only ids: every
handler loads the object again and checks the presser may see it.
"""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# A row id from a button: bounded, so a forged «sg:edit:99999999999999999999» fails to unpack (the press is answered
# as an outdated button) instead of overflowing the database driver.
DbId = Annotated[int, Field(ge=0, le=2**63 - 1)]
SmallInt = Annotated[int, Field(ge=0, le=1000)]


# The suggestion card -------------------------------------------------------------------------------------------
class SuggestionCb(CallbackData, prefix="sg"):
    """A button on a suggestion card. action: type / script / edit / save / review / back; value: an argument."""

    action: str
    id: DbId
    value: str = ""


class AttachCb(CallbackData, prefix="at"):
    """Attaching a pending client message: pick (client id) / search / new / none."""

    action: str
    client: str = ""


# Clients: the card, the brief, the call log, promises --------------------------------------------------------
class ClientCb(CallbackData, prefix="cl"):
    """card / brief / log / promise / nopromise — for a client id."""

    action: str
    client: str


class BriefCb(CallbackData, prefix="bf"):
    """A folded part of a stored brief: hist / prom / deals / type; id: the brief's suggestion id."""

    action: str
    id: DbId


class PromiseCb(CallbackData, prefix="pr"):
    """kept / broken for a promise id (the morning digest draws the same layout as plain strings)."""

    action: str
    id: DbId


# Review --------------------------------------------------------------------------------------------------------
class ReviewCb(CallbackData, prefix="rv"):
    """action: ok / edit / rej / type / set / back / open / page; id: suggestion id (page number for "page")."""

    action: str
    id: DbId
    value: str = ""


class SurveyCb(CallbackData, prefix="sv"):
    period: str
    q: SmallInt  # question index, 0-based
    score: SmallInt


# Tasks ---------------------------------------------------------------------------------------------------------
class TaskCb(CallbackData, prefix="tk"):
    """action: ans/quit (dialogue), send/edit/cancel/to (draft), acc/clar/done/rsn (the colleague's buttons)."""

    action: str
    id: str
    value: str = ""


# CRM import ------------------------------------------------------------------------------------------------------
class ImportCb(CallbackData, prefix="imp"):
    """After a checked upload: apply / cancel the staged file `token`."""

    action: str
    token: str
