"""The review loop: a suggestion goes to a supervisor, who approves, edits or rejects it. Nothing reaches a client
on the bot's word alone.

States: new / saved --submit--> pending --decide--> approved | edited | rejected.
Submitting twice is harmless (the second press says it is already waiting). A decision on a suggestion that no
longer waits (a stale button, a second reviewer, a double press) is refused with who decided and when; the state
change itself is a conditional UPDATE, so two presses at the same moment cannot both win.
Who may decide what: bot/services/review_team.py. Type corrections and reviewed examples: corrections.py
(re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.domain import BehaviourResult, Role
from bot.presenters import review as present
from bot.services.common.access import Principal
from bot.services.common.notify import Notifier
from bot.services.review.corrections import CorrectionResult, correct_type, examples_for
from bot.services.review.team import AlreadyDecided, ReviewError, Team
from storage.models import Review, Suggestion
from storage.repositories.review import DECIDED
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App

OPEN = ("new", "saved")
MAX_FINAL_TEXT = 3500  # the final text goes back to the author in one message, with a header
__all__ = [
    "AlreadyDecided",
    "CorrectionResult",
    "DecisionResult",
    "ReviewError",
    "SubmitResult",
    "check_can_decide",
    "correct_type",
    "decide",
    "examples_for",
    "record_suggestion",
    "remind_tick",
    "submit",
]


@dataclass(frozen=True, slots=True)
class SubmitResult:
    suggestion: Suggestion
    already_pending: bool
    reviewers: list[str]  # names of the people asked to decide
    delivered: int  # how many of them the message reached (0: they have not started the bot yet)


@dataclass(frozen=True, slots=True)
class DecisionResult:
    suggestion: Suggestion
    decision: str  # approved / edited / rejected
    final_text: str | None
    comment: str
    author_notified: bool | None  # None: nobody else to tell (an admin decided their own suggestion)


async def record_suggestion(
    uow: UnitOfWork,
    *,
    kind: str,
    author_id: int | None,
    text: str,
    input_text: str = "",
    behaviour: BehaviourResult | None = None,
    situation: str | None = None,
    script_id: str | None = None,
    engine: str = "offline",
    client_id: str | None = None,
    llm_tokens: int = 0,
    llm_cost_usd: float = 0.0,
) -> Suggestion:
    """Store what the bot drafted together with what it was built from, and log it (for issues 5 and 6)."""
    suggestion = await uow.suggestions.add(
        Suggestion(
            kind=kind,
            author_id=author_id,
            client_id=client_id,
            input_text=input_text,
            behaviour_type=behaviour.type.value if behaviour else None,
            type_confidence=behaviour.confidence if behaviour else None,
            cues=[c.as_dict() for c in behaviour.cues] if behaviour else [],
            situation=situation,
            script_id=script_id,
            text=text,
            engine=engine,
            llm_tokens=llm_tokens,
            llm_cost_usd=llm_cost_usd,
            status="new",
        )
    )
    await uow.audit.record(
        "generated", actor_id=author_id, client_id=client_id, object_ref=f"suggestion:{suggestion.id}",
        details={"kind": kind, "engine": engine},
    )  # fmt: skip
    return suggestion


async def _get(uow: UnitOfWork, suggestion_id: int) -> Suggestion:
    suggestion = await uow.suggestions.get(suggestion_id)
    if suggestion is None:
        raise ReviewError("Не нашёл это предложение — возможно, оно было удалено.")
    return suggestion


async def refusal(app: App, uow: UnitOfWork, suggestion: Suggestion) -> AlreadyDecided:
    """The polite "already decided" answer, naming who decided and when."""
    review = await uow.review.latest_review(suggestion.id)
    reviewer = await Team(app, uow).name(review.reviewer_id) if review else None
    moment = suggestion.reviewed_at or (review.created_at if review else None)
    return AlreadyDecided(present.already_decided(suggestion.status, reviewer, moment, app.settings.tz))


async def submit(
    app: App, uow: UnitOfWork, notifier: Notifier, principal: Principal, suggestion_id: int, now: datetime
) -> SubmitResult:
    suggestion = await _get(uow, suggestion_id)
    if suggestion.author_id != principal.user_id and not principal.has(Role.ADMIN):
        raise ReviewError("Отправить предложение на проверку может только его автор.")
    team = Team(app, uow)
    if suggestion.status in DECIDED:
        raise await refusal(app, uow, suggestion)
    changed = await uow.review.transition(suggestion.id, OPEN, status="pending", submitted_at=now)
    if not changed:  # already pending (a second press) or decided meanwhile
        if suggestion.status != "pending":
            raise await refusal(app, uow, suggestion)
        return SubmitResult(suggestion, True, [await team.name(i) for i in await team.reviewers_for(suggestion)], 0)
    await uow.audit.record(
        "submitted",
        actor_id=principal.user_id,
        client_id=suggestion.client_id,
        object_ref=f"suggestion:{suggestion.id}",
    )
    reviewers = await team.reviewers_for(suggestion)
    view = await team.view(suggestion)
    html = present.card(view, app.settings.tz)
    delivered = 0
    for reviewer_id in reviewers:
        delivered += await notifier.send(reviewer_id, html, present.decision_buttons(suggestion.id, suggestion.kind))
    return SubmitResult(suggestion, False, [await team.name(i) for i in reviewers], delivered)


async def check_can_decide(app: App, uow: UnitOfWork, principal: Principal, suggestion_id: int) -> Suggestion:
    """Everything a decision needs except its content; used before asking a supervisor to type a text."""
    if not principal.can_review:
        raise ReviewError("Решения по предложениям принимают руководители и администраторы.")
    suggestion = await _get(uow, suggestion_id)
    if suggestion.status != "pending":
        raise await refusal(app, uow, suggestion)
    if not await Team(app, uow).may_decide(principal, suggestion):
        if suggestion.author_id == principal.user_id:
            raise ReviewError("Своё предложение проверить нельзя — решение примет другой руководитель.")
        raise ReviewError("Это предложение сотрудника другой команды: его проверяет руководитель этой команды.")
    return suggestion


async def decide(
    app: App,
    uow: UnitOfWork,
    notifier: Notifier,
    principal: Principal,
    suggestion_id: int,
    decision: str,
    now: datetime,
    *,
    final_text: str | None = None,
    comment: str = "",
) -> DecisionResult:
    suggestion = await check_can_decide(app, uow, principal, suggestion_id)
    comment = comment.strip()
    if decision == "edited":
        final = (final_text or "").strip()
        if not final:
            raise ReviewError("Пришлите, пожалуйста, исправленный текст — пустой текст не подойдёт.")
        if len(final) > MAX_FINAL_TEXT:
            raise ReviewError(
                f"Текст слишком длинный ({len(final)} символов); уложитесь, пожалуйста, в {MAX_FINAL_TEXT}."
            )
        if final == suggestion.text.strip():
            decision = "approved"  # the same text sent back is an approval, and the statistics should say so
    elif decision == "rejected":
        if not comment:
            raise ReviewError("Напишите, пожалуйста, причину отказа — автору важно понять, что исправить.")
        final = None
    elif decision == "approved":
        final = suggestion.text
    else:
        raise ReviewError("Неизвестное решение.")
    if not await uow.review.transition(suggestion.id, ("pending",), status=decision, final_text=final, reviewed_at=now):
        raise await refusal(app, uow, suggestion)
    correction = await uow.review.correction_for(suggestion.id)
    await uow.suggestions.add_review(
        Review(
            suggestion_id=suggestion.id,
            reviewer_id=principal.user_id,
            decision=decision,
            comment=comment,
            final_text=final,
            corrected_type=correction.corrected_type if correction else None,
            created_at=now,
        )
    )
    await uow.audit.record(
        decision, actor_id=principal.user_id, client_id=suggestion.client_id, object_ref=f"suggestion:{suggestion.id}",
        details={"kind": suggestion.kind, "author_id": suggestion.author_id},
    )  # fmt: skip
    notified: bool | None = None
    if suggestion.author_id is not None and suggestion.author_id != principal.user_id:
        view = await Team(app, uow).view(suggestion)
        html = present.decision_notice(view, decision, final, comment, principal.name)
        notified = await notifier.send(suggestion.author_id, html)
    return DecisionResult(suggestion, decision, final, comment, notified)


async def remind_tick(app: App, notifier: Notifier, now: datetime) -> int:
    """Remind the reviewers of suggestions waiting longer than REVIEW_REMINDER_HOURS (once each)."""
    hours = app.settings.review_reminder_hours
    sent = 0
    async with app.uow() as uow:
        team = Team(app, uow)
        for suggestion in await uow.suggestions.stale_pending(now - timedelta(hours=hours)):
            view = await team.view(suggestion)
            html = present.reminder(view, hours, app.settings.tz)
            for reviewer_id in await team.reviewers_for(suggestion):
                sent += await notifier.send(reviewer_id, html, present.decision_buttons(suggestion.id, suggestion.kind))
            suggestion.review_reminded_at = now
        await uow.session.flush()
    return sent
