"""/ask in the terminal chat."""

from __future__ import annotations

from bot.chat.dialogue import ChatContext, ChatReply, Dialogue
from bot.presenters import esc
from bot.presenters.knowledge import render_answer
from bot.services.knowledge.ask import QuestionError, ask


def register(dialogue: Dialogue) -> None:
    @dialogue.command("ask", description="вопрос по методике и базе знаний, с источниками")
    async def ask_(ctx: ChatContext, question: str) -> list[ChatReply]:
        try:
            answer = await ask(ctx.app, question)
        except QuestionError as exc:
            return [ChatReply(esc(str(exc)))]
        return [ChatReply(render_answer(answer))]
