"""Every conversation state (aiogram FSM), one group per feature. Handlers import their states from here, never
from another handler. The group and state names are stored (in Redis when configured): renaming one drops the
conversations in progress."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class AttachStates(StatesGroup):
    """A forwarded client message waits for its client: search, or the name of a new client."""

    search = State()
    new_name = State()


class EditStates(StatesGroup):
    """The manager's own wording of a suggested reply."""

    text = State()


class LogStates(StatesGroup):
    """After the call: the outcome, then the promises."""

    outcome = State()
    promises = State()


class ReviewStates(StatesGroup):
    """A supervisor's corrected text or reason of a refusal."""

    editing = State()
    rejecting = State()


class TaskForm(StatesGroup):
    """The /task dialogue (the requester) and the colleague's answers (clarify, reason)."""

    request = State()
    action = State()  # the one question back for a request with no action in it
    assignee = State()
    deadline = State()
    deliverable = State()
    amend = State()
    clarify = State()
    reason = State()
