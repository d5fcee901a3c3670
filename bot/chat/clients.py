"""/client, /brief, /log and /kept in the terminal chat: the same services and texts as in Telegram, with
numbered options instead of buttons."""

from __future__ import annotations

from bot.chat.dialogue import ChatContext, ChatReply, Dialogue
from bot.presenters import brief as present_brief
from bot.presenters import client as present_client
from bot.presenters import client_texts as t
from bot.presenters import esc
from bot.services.clients import call_brief as briefs
from bot.services.clients import call_log
from bot.services.clients import lookup as clients
from bot.services.clients.profile import client_profile
from bot.services.knowledge.script_tools import script_tools
from storage.models import Client

BRIEF_PARTS = {"история": "history", "обещания": "promises", "сделки": "deals", "тип": "type"}


async def find(ctx: ChatContext, query: str, command: str) -> tuple[Client | None, list[ChatReply]]:
    """A visible client by id or fuzzy search; otherwise the replies to show (choices or a hint)."""
    if not ctx.principal.works_with_clients:
        return None, [ChatReply(esc(t.CLIENTS_ONLY))]
    if not query:
        recent = await clients.recent(ctx.uow, ctx.principal, limit=6)
        if not recent:
            return None, [ChatReply(esc(t.NO_CLIENTS))]
        usage = t.CLIENT_USAGE if command == "client" else t.PICK_CLIENT
        return None, [ChatReply(esc(usage), [(c.name, f"/{command} {c.id}") for c in recent])]
    exact = await clients.visible(ctx.uow, ctx.principal, query)
    if exact is not None:
        return exact, []
    hits = await clients.resolve(ctx.uow, ctx.principal, query)
    if len(hits) == 1:
        return hits[0].client, []
    options = [(h.client.name, f"/{command} {h.client.id}") for h in hits]
    return None, [ChatReply(present_client.search_results(query, hits), options)]


def register(dialogue: Dialogue) -> None:
    @dialogue.command("client", description="найти клиента и открыть карточку: /client название")
    async def client_cmd(ctx: ChatContext, args: str) -> list[ChatReply]:
        client, replies = await find(ctx, args, "client")
        if client is None:
            return replies
        ctx.state["client_id"] = client.id
        html = present_client.card(await client_profile(ctx.app, ctx.uow, client), ctx.app.settings.tz)
        options = [("Справка перед звонком", f"/brief {client.id}"), ("Итог звонка", f"/log {client.id}")]
        return [ChatReply(html, options)]

    @dialogue.command("brief", description="справка перед звонком: /brief клиент")
    async def brief_cmd(ctx: ChatContext, args: str) -> list[ChatReply]:
        head, _, tail = args.rpartition(" ")
        part = BRIEF_PARTS.get(tail.lower()) if head else None
        client, replies = await find(ctx, head if part else args, "brief")
        if client is None:
            return replies
        ctx.state["client_id"] = client.id
        brief = await briefs.build_brief(
            ctx.app,
            ctx.uow,
            await script_tools(ctx.app),
            ctx.principal,
            client,
            stored_id=(ctx.state.get("brief_id") or 0) if part else None,  # a folded part is not stored again
        )
        tz = ctx.app.settings.tz
        if part == "history":
            return [ChatReply(present_brief.history(brief, tz))]
        if part == "promises":
            open_ = brief.context.overdue_promises + brief.context.open_promises
            return [
                ChatReply(
                    present_brief.promises(brief), [(f"Выполнено: {p.text[:40]}", f"/kept {p.id}") for p in open_]
                )
            ]
        if part == "deals":
            return [ChatReply(present_brief.deals(brief))]
        if part == "type":
            return [ChatReply(present_brief.type_evidence(brief))]
        ctx.state["brief_id"] = brief.suggestion_id
        options = [
            (label, f"/brief {client.id} {word}")
            for word, label in (
                ("история", "Вся история"),
                ("обещания", "Все обещания"),
                ("сделки", "Сделки"),
                ("тип", "Почему такой тип"),
            )
        ]
        options += [("Итог звонка", f"/log {client.id}"), ("На проверку", f"/submit {brief.suggestion_id}")]
        return [ChatReply(present_brief.render(brief, tz), options)]

    @dialogue.command("log", description="записать итог звонка и обещания: /log клиент")
    async def log_cmd(ctx: ChatContext, args: str) -> list[ChatReply]:
        client, replies = await find(ctx, args, "log")
        if client is None:
            return replies
        client_id = client.id

        async def on_promises(inner: ChatContext, line: str) -> list[ChatReply]:
            target = await clients.visible(inner.uow, inner.principal, client_id)
            if target is None:
                return [ChatReply(esc(t.NOT_VISIBLE))]
            drafts = call_log.parse_promises(line, inner.app.clock.today())
            added = await call_log.add_promises(inner.app, inner.uow, inner.principal, target, drafts)
            lines = [esc(t.LOG_DONE.format(name=target.name))]
            lines += [f"🤝 «{esc(p.text)}» — {p.due.isoformat() if p.due else 'срок не распознан'}" for p in added]
            return [ChatReply("\n".join(lines if added else [*lines, esc(t.LOG_NO_PROMISES)]))]

        async def on_outcome(inner: ChatContext, line: str) -> list[ChatReply]:
            target = await clients.visible(inner.uow, inner.principal, client_id)
            if target is None:
                return [ChatReply(esc(t.NOT_VISIBLE))]
            await call_log.log_outcome(inner.app, inner.uow, inner.principal, target, line)
            inner.state["pending"] = on_promises
            return [ChatReply(esc(t.LOG_ASK_PROMISES))]

        ctx.state["pending"] = on_outcome
        return [ChatReply(esc(t.LOG_ASK_OUTCOME.format(name=client.name)))]

    @dialogue.command("kept", description="отметить обещание выполненным: /kept N")
    async def kept_cmd(ctx: ChatContext, args: str) -> list[ChatReply]:
        promise = await call_log.visible_promise(ctx.uow, ctx.principal, int(args)) if args.isdigit() else None
        if promise is None:
            return [ChatReply(esc("Обещание не найдено. Номер есть в списке «Все обещания» справки (/brief)."))]
        await call_log.mark_promise(ctx.uow, ctx.principal, promise, True)
        return [ChatReply(f"{esc(t.PROMISE_MARKED)} «{esc(promise.text)}»")]
