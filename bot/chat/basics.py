"""/help and /exit in the terminal chat."""

from __future__ import annotations

from bot import texts
from bot.chat.dialogue import ChatContext, ChatReply, Dialogue
from bot.presenters import esc


def register(dialogue: Dialogue) -> None:
    @dialogue.command("help", "start", description="что умеет бот")
    async def help_(ctx: ChatContext, _: str) -> list[ChatReply]:
        lines = [texts.CHAT_INTRO, ""]
        lines += [f"/{name} — {description}" for name, description in dialogue.descriptions.items()]
        lines += ["", texts.HELP_FORWARD, texts.CHAT_EXIT]
        return [ChatReply(esc("\n".join(lines)))]
