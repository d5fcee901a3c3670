"""/task in the terminal chat: the same dialogue as in Telegram (questions only about what is missing, then the
draft), plus /task_edit, /colleagues, /colleague and /overdue. Delivery to a colleague needs Telegram."""

from __future__ import annotations

from bot.chat.dialogue import ChatContext, ChatReply, Dialogue
from bot.nlp.names import DEPARTMENT_NAMES_RU
from bot.presenters import colleagues as present_colleagues
from bot.presenters import esc
from bot.presenters import tasks as present
from bot.services.tasks import colleagues as colleague_directory
from bot.services.tasks import flow as task_flow
from bot.services.tasks import overdue
from bot.services.tasks.delivery import TaskError
from bot.services.tasks.extraction import Extraction

ASK = "Опишите задачу одной строкой: кому, что и к какому сроку (например: «Мельникову: до пятницы план отгрузок»)."


def _step_replies(ctx: ChatContext, step: task_flow.FlowStep) -> list[ChatReply]:
    if step.field is not None:
        extraction, field = step.extraction.to_dict(), step.field

        async def on_answer(next_ctx: ChatContext, line: str) -> list[ChatReply]:
            answered = await task_flow.answer(
                next_ctx.app, next_ctx.uow, next_ctx.principal, Extraction.from_dict(extraction), field, line
            )
            return _step_replies(next_ctx, answered)

        ctx.state["pending"] = on_answer
        return [ChatReply(esc(step.question), list(step.options))]
    assert step.draft is not None and step.task is not None
    ctx.state["last_task"] = step.task.id
    html, _ = present.draft_card(step.draft, step.task.id)
    hint = "Поправить: /task_edit что изменить. Отправить коллеге можно из Telegram (/tasks)."
    return [ChatReply(html), ChatReply(esc(hint))]


def register(dialogue: Dialogue) -> None:
    @dialogue.command("task", description="сформулировать задачу коллеге")
    async def task(ctx: ChatContext, args: str) -> list[ChatReply]:
        if not args:

            async def on_request(next_ctx: ChatContext, line: str) -> list[ChatReply]:
                step = await task_flow.start(next_ctx.app, next_ctx.uow, next_ctx.principal, line)
                return _step_replies(next_ctx, step)

            ctx.state["pending"] = on_request
            return [ChatReply(esc(ASK))]
        return _step_replies(ctx, await task_flow.start(ctx.app, ctx.uow, ctx.principal, args))

    @dialogue.command("task_edit", description="поправить последний черновик задачи")
    async def task_edit(ctx: ChatContext, args: str) -> list[ChatReply]:
        task_id = ctx.state.get("last_task")
        if not task_id or not args:
            return [ChatReply(esc("Сначала составьте задачу (/task …), затем: /task_edit срок — до четверга."))]
        try:
            return _step_replies(ctx, await task_flow.amend(ctx.app, ctx.uow, ctx.principal, task_id, args))
        except TaskError as exc:
            return [ChatReply(esc(str(exc)))]

    @dialogue.command("colleagues", description="справочник коллег")
    async def colleagues(ctx: ChatContext, _: str) -> list[ChatReply]:
        return [ChatReply(present_colleagues.directory(await ctx.uow.colleagues.all(active_only=False)))]

    @dialogue.command("colleague", description="добавить или изменить коллегу (add | set | read)")
    async def colleague(ctx: ChatContext, args: str) -> list[ChatReply]:
        action, _, rest = args.partition(" ")
        try:
            if action == "add":
                added = await colleague_directory.add(ctx.uow, ctx.principal, rest)
                return [ChatReply(present_colleagues.saved(added, "добавлен(а)"))]
            if action == "set":
                changed = await colleague_directory.set_field(ctx.uow, ctx.principal, rest)
                return [ChatReply(present_colleagues.saved(changed, "обновлён(а)"))]
            if action == "read":
                read, result = await colleague_directory.read_type(ctx.app, ctx.uow, ctx.principal, rest)
                return [ChatReply(present_colleagues.type_read(read, result))]
        except colleague_directory.DirectoryError as exc:
            return [ChatReply(esc(str(exc)))]
        return [ChatReply(esc(colleague_directory.USAGE))]

    @dialogue.command("overdue", description="частые причины просрочек по отделам и сотрудникам")
    async def overdue_(ctx: ChatContext, _: str) -> list[ChatReply]:
        return [ChatReply(present.overdue_overview(await overdue.overview(ctx.uow), DEPARTMENT_NAMES_RU))]
