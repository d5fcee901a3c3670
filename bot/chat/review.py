"""The review loop in the terminal chat: /review, /submit, /approve, /edit, /reject, /retype.

The person at the terminal is the local operator (all roles), so one can try the whole loop alone: messages for
other people go to an outbox (no Telegram here) and the reply says so. /stats, /survey and /audit: quality.py.
"""

from __future__ import annotations

from bot.chat import quality
from bot.chat.dialogue import ChatContext, ChatReply, Dialogue
from bot.presenters import esc
from bot.presenters import review as present
from bot.services.common.notify import OutboxNotifier
from bot.services.review import decisions as review
from bot.services.review import queue as review_queue

NO_TELEGRAM = "(Telegram не подключён: сообщения другим людям не отправляются.)"


def _number(args: str) -> tuple[int | None, str]:
    head, _, rest = args.strip().partition(" ")
    head = head.lstrip("№#")
    return (int(head), rest.strip()) if head.isdigit() else (None, args.strip())


def _decision_options(suggestion_id: int) -> list[tuple[str, str]]:
    return [
        ("Одобрить", f"/approve {suggestion_id}"),
        ("Изменить текст", f"/edit {suggestion_id}"),
        ("Отклонить", f"/reject {suggestion_id}"),
        ("Уточнить тип", f"/retype {suggestion_id}"),
    ]


def register(dialogue: Dialogue) -> None:
    quality.register(dialogue)

    @dialogue.command("review", description="очередь на проверку; /review N — открыть предложение")
    async def review_(ctx: ChatContext, args: str) -> list[ChatReply]:
        number, rest = _number(args)
        try:
            if number is not None:
                card = await review_queue.card(ctx.app, ctx.uow, ctx.principal, number)
                options = _decision_options(number) if card.can_decide else []
                return [ChatReply(present.card(card.view, ctx.app.settings.tz, "Предложение"), options)]
            words = rest.split()
            if words and not (len(words) == 2 and words[0] in ("стр", "page") and words[1].isdigit()):
                return [ChatReply("Откройте предложение по номеру: /review 12; очередь — /review или /review стр 2.")]
            page_no = int(words[1]) - 1 if words else 0
            page = await review_queue.queue(ctx.app, ctx.uow, ctx.principal, page_no)
        except review.ReviewError as exc:
            return [ChatReply(esc(str(exc)))]
        html, _ = present.queue_page(page.views, page.page, page.pages, page.total, ctx.app.settings.tz)
        options = [(f"Открыть №{v.suggestion.id}", f"/review {v.suggestion.id}") for v in page.views]
        if page.page + 1 < page.pages:
            options.append(("Следующая страница", f"/review стр {page.page + 2}"))
        return [ChatReply(html, options)]

    @dialogue.command("submit", description="отправить предложение N на проверку руководителю")
    async def submit_(ctx: ChatContext, args: str) -> list[ChatReply]:
        number, _ = _number(args)
        if number is None:
            return [ChatReply("Укажите номер предложения: /submit 12.")]
        try:
            res = await review.submit(ctx.app, ctx.uow, OutboxNotifier(), ctx.principal, number, ctx.app.clock.now())
        except review.ReviewError as exc:
            return [ChatReply(esc(str(exc)))]
        text = present.submitted(res.suggestion, res.already_pending, res.reviewers, 0, ctx.app.settings.tz)
        return [ChatReply(f"{text}\n{NO_TELEGRAM}", [("Открыть на проверке", f"/review {number}")])]

    async def _decide(ctx: ChatContext, number: int, decision: str, text: str = "") -> list[ChatReply]:
        try:
            res = await review.decide(
                ctx.app, ctx.uow, OutboxNotifier(), ctx.principal, number, decision, ctx.app.clock.now(),
                final_text=text if decision == "edited" else None, comment="" if decision == "edited" else text,
            )  # fmt: skip
        except review.ReviewError as exc:
            return [ChatReply(esc(str(exc)))]
        final = f"\n<blockquote>{esc(res.final_text)}</blockquote>" if res.final_text else ""
        return [ChatReply(present.decided_note(res.decision, None) + final)]

    def _ask(ctx: ChatContext, number: int, decision: str, question: str) -> list[ChatReply]:
        async def answer(inner: ChatContext, line: str) -> list[ChatReply]:
            return await _decide(inner, number, decision, line)

        ctx.state["pending"] = answer
        return [ChatReply(esc(question))]

    @dialogue.command("approve", description="одобрить предложение N")
    async def approve_(ctx: ChatContext, args: str) -> list[ChatReply]:
        number, _ = _number(args)
        return await _decide(ctx, number, "approved") if number else [ChatReply("Укажите номер: /approve 12.")]

    @dialogue.command("edit", description="одобрить предложение N с Вашим текстом: /edit N текст")
    async def edit_(ctx: ChatContext, args: str) -> list[ChatReply]:
        number, text = _number(args)
        if number is None:
            return [ChatReply("Укажите номер и текст: /edit 12 Исправленный текст.")]
        if text:
            return await _decide(ctx, number, "edited", text)
        return _ask(ctx, number, "edited", "Пришлите исправленный текст одной строкой.")

    @dialogue.command("reject", description="отклонить предложение N с причиной: /reject N причина")
    async def reject_(ctx: ChatContext, args: str) -> list[ChatReply]:
        number, reason = _number(args)
        if number is None:
            return [ChatReply("Укажите номер и причину: /reject 12 Причина.")]
        if reason:
            return await _decide(ctx, number, "rejected", reason)
        return _ask(ctx, number, "rejected", "Напишите причину отказа одной строкой — автор её увидит.")

    @dialogue.command("retype", description="уточнить тип клиента в предложении N")
    async def retype_(ctx: ChatContext, args: str) -> list[ChatReply]:
        number, code = _number(args)
        if number is None:
            return [ChatReply("Укажите номер предложения: /retype 12.")]
        new_type = present.TYPE_CODES.get(code.lower())
        if new_type is None:
            options = [(present.type_name(t.value), f"/retype {number} {c}") for c, t in present.TYPE_CODES.items()]
            return [ChatReply(f"Выберите тип клиента для предложения №{number}:", options)]
        try:
            res = await review.correct_type(
                ctx.app, ctx.uow, OutboxNotifier(), ctx.principal, number, new_type.value, ctx.app.clock.now()
            )
        except review.ReviewError as exc:
            return [ChatReply(esc(str(exc)))]
        saved = "; метка сохранена для обучения классификатора" if res.label_stored else ""
        return [ChatReply(f"Тип клиента уточнён: {esc(present.type_name(res.new))}{saved}.")]
