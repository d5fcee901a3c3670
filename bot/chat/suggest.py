"""A pasted client message in the terminal chat → which client is it → the suggestion card; then /type, /script,
/fix and /save on the last card (the Telegram card's buttons). "/submit N" (the review module) sends it to review.
"""

from __future__ import annotations

from bot.chat.dialogue import ChatContext, ChatReply, Dialogue
from bot.domain import SITUATION_NAMES_RU, TYPE_NAMES_RU, BehaviourType, Situation
from bot.presenters import card as present
from bot.presenters import client as present_client
from bot.presenters import client_texts as t
from bot.presenters import esc
from bot.services.clients import attach
from bot.services.clients import lookup as clients
from bot.services.suggestions import actions as suggestion_actions
from bot.services.suggestions import service as suggestions
from bot.services.suggestions.card import SuggestionCard
from storage.models import Suggestion

PENDING_TEXT = "suggest_text"
LAST = "suggestion_id"


def _card_reply(ctx: ChatContext, card: SuggestionCard) -> list[ChatReply]:
    ctx.state[LAST] = card.id
    options = [
        ("Другой тип", "/type"),
        ("Другой скрипт", "/script"),
        ("Изменить ответ", "/fix"),
        ("На проверку", f"/submit {card.id}"),
        ("Сохранить в историю", "/save"),
    ]
    return [ChatReply(present.render(card, ctx.clock.tz), options)]


async def _suggest(ctx: ChatContext, step: attach.AttachStep) -> list[ChatReply]:
    pending = step.message
    try:
        card = await ctx.services.suggestions.suggest(
            ctx.uow,
            ctx.principal,
            pending.text,
            client=step.client,
            contact=step.contact,
            at=pending.at,
            source="console",
        )
    except suggestions.EmptyMessage:
        return [ChatReply(esc(t.EMPTY_MESSAGE))]
    return _card_reply(ctx, card)


async def _ask_client(ctx: ChatContext, step: attach.AttachStep) -> list[ChatReply]:
    options: list[tuple[str, str]] = []
    current = await clients.visible(ctx.uow, ctx.principal, str(ctx.state.get("client_id") or ""))
    if current is not None:
        options.append((f"Текущий клиент: {current.name}", f"/attach {current.id}"))
    options += [(c.name, f"/attach {c.id}") for c in step.candidates if c is not current]
    options += [("Новый клиент", "/attach +"), ("Без клиента", "/attach -")]

    async def on_search(inner: ChatContext, line: str) -> list[ChatReply]:
        hits = await clients.search(inner.uow, inner.principal, line)
        inner.state["pending"] = on_search
        found = [(h.client.name, f"/attach {h.client.id}") for h in hits]
        return [ChatReply(present_client.search_results(line, hits), [*found, ("Без клиента", "/attach -")])]

    ctx.state["pending"] = on_search
    hint = "Выберите номер или напишите название клиента для поиска."
    return [ChatReply(esc(f"{t.WHICH_CLIENT}\n{hint}"), options)]


async def _last(ctx: ChatContext) -> Suggestion | None:
    sid = ctx.state.get(LAST)
    return await suggestion_actions.visible_suggestion(ctx.uow, ctx.principal, int(sid)) if sid else None


NO_CARD = "Сначала вставьте сообщение клиента — команда работает с последней карточкой."


def register(dialogue: Dialogue) -> None:
    @dialogue.on_text
    async def on_text(ctx: ChatContext, line: str) -> list[ChatReply]:
        if not ctx.principal.works_with_clients:
            return [ChatReply(esc(t.CLIENTS_ONLY))]
        message = attach.PendingMessage(line, ctx.clock.now())
        if not ctx.state.get("interactive", True):
            # Piped input is one message per line and nobody to answer a question: use the client opened last
            # (/brief, /client), or give the card without history.
            current = str(ctx.state.get("client_id") or "")
            step = await attach.pick(ctx.uow, ctx.principal, message, current) if current else None
            return await _suggest(ctx, step or attach.without_client(message))
        step = await attach.start(ctx.uow, ctx.principal, message)
        if step.settled:
            return await _suggest(ctx, step)
        ctx.state[PENDING_TEXT] = message.to_dict()
        return await _ask_client(ctx, step)

    @dialogue.command("attach", description="к какому клиенту отнести вставленное сообщение")
    async def attach_(ctx: ChatContext, args: str) -> list[ChatReply]:
        raw = ctx.state.get(PENDING_TEXT)
        if not raw:
            return [ChatReply(esc(t.NOTHING_PENDING))]
        message = attach.PendingMessage.from_dict(raw)
        if args == "+":

            async def on_name(inner: ChatContext, line: str) -> list[ChatReply]:
                step = await attach.create(inner.uow, inner.principal, message, line)
                assert step.client is not None
                inner.state.pop(PENDING_TEXT, None)
                inner.state["client_id"] = step.client.id
                created = ChatReply(esc(t.CLIENT_CREATED.format(name=step.client.name)))
                return [created, *await _suggest(inner, step)]

            ctx.state["pending"] = on_name
            return [ChatReply(esc(t.ASK_NEW_NAME))]
        step = attach.without_client(message)
        if args != "-":
            picked = await attach.pick(ctx.uow, ctx.principal, message, args)
            if picked is None:
                return [ChatReply(esc(t.NOT_VISIBLE))]
            step = picked
            ctx.state["client_id"] = args
        ctx.state.pop(PENDING_TEXT, None)
        return await _suggest(ctx, step)

    @dialogue.command("type", description="другой тип клиента для последней карточки")
    async def type_(ctx: ChatContext, args: str) -> list[ChatReply]:
        row = await _last(ctx)
        if row is None:
            return [ChatReply(esc(NO_CARD))]
        if args not in BehaviourType.__members__.values():
            return [ChatReply("Выберите тип:", [(TYPE_NAMES_RU[b], f"/type {b.value}") for b in BehaviourType])]
        card = await ctx.services.suggestions.rerender(ctx.uow, ctx.principal, row, type_=BehaviourType(args))
        return _card_reply(ctx, card)

    @dialogue.command("script", description="другой скрипт (ситуация) для последней карточки")
    async def script(ctx: ChatContext, args: str) -> list[ChatReply]:
        row = await _last(ctx)
        if row is None:
            return [ChatReply(esc(NO_CARD))]
        if args not in Situation.__members__.values():
            return [ChatReply("Выберите ситуацию:", [(SITUATION_NAMES_RU[s], f"/script {s.value}") for s in Situation])]
        card = await ctx.services.suggestions.rerender(ctx.uow, ctx.principal, row, situation=Situation(args))
        return _card_reply(ctx, card)

    @dialogue.command("fix", description="свой вариант ответа для последней карточки: /fix текст")
    async def fix(ctx: ChatContext, args: str) -> list[ChatReply]:
        row = await _last(ctx)
        if row is None:
            return [ChatReply(esc(NO_CARD))]
        if not args:

            async def on_text_answer(inner: ChatContext, line: str) -> list[ChatReply]:
                return await fix(inner, line)

            ctx.state["pending"] = on_text_answer
            return [ChatReply(esc("Напишите исправленный текст ответа одной строкой."))]
        holder = await suggestion_actions.set_final_text(ctx.uow, ctx.principal, row, args, ctx.services.clock.now())
        card = await ctx.services.suggestions.load_card(ctx.uow, holder)
        return [ChatReply(esc(t.EDIT_SAVED if holder is row else t.EDIT_REVISED)), *_card_reply(ctx, card)]

    @dialogue.command("save", description="сохранить ответ последней карточки в историю клиента")
    async def save(ctx: ChatContext, _: str) -> list[ChatReply]:
        row = await _last(ctx)
        if row is None:
            return [ChatReply(esc(NO_CARD))]
        saved = await suggestion_actions.save_to_history(ctx.uow, ctx.principal, row, ctx.clock.now())
        return [ChatReply(esc(t.SAVED if saved else t.SAVE_NEEDS_CLIENT))]
