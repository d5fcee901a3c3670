"""Every button's callback data, one class per feature (each stays within Telegram's 64 bytes).

Handlers import their callback data from here, never from another handler. Buttons that services send to other
people (a review request, a task, the morning digest, the survey) are drawn by the presenters as plain strings in
the same layouts; tests/telegram/test_callbacks.py keeps the two in step. Callback data carries only ids: every
handler loads the object again and checks the presser may see it.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


# The suggestion card -------------------------------------------------------------------------------------------
class SuggestionCb(CallbackData, prefix="sg"):
    """A button on a suggestion card. action: type / script / edit / save / review / back; value: an argument."""

    action: str
    id: int
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
    id: int


class PromiseCb(CallbackData, prefix="pr"):
    """kept / broken for a promise id (the morning digest draws the same layout as plain strings)."""

    action: str
    id: int


# Review --------------------------------------------------------------------------------------------------------
class ReviewCb(CallbackData, prefix="rv"):
    """action: ok / edit / rej / type / set / back / open / page; id: suggestion id (page number for "page")."""

    action: str
    id: int
    value: str = ""


class SurveyCb(CallbackData, prefix="sv"):
    period: str
    q: int  # question index, 0-based
    score: int


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
