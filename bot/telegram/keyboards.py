"""Typed callback data shared by several routers (each stays within Telegram's 64 bytes).

Feature-specific callback data classes live next to their router; the ones here cross features: the suggestion
card's buttons are drawn by the suggestion router, but "send to review" is handled by the review router.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class SuggestionCb(CallbackData, prefix="sg"):
    """A button on a suggestion card. action: type / script / edit / save / review / pick; value: an argument."""

    action: str
    id: int
    value: str = ""
