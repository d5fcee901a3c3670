"""The review loop: a suggestion goes to a supervisor, who approves, edits or rejects it. Nothing reaches a client
on the bot's word alone.

States: new / saved --submit--> pending --decide--> approved | edited | rejected.
Submitting twice is harmless (the second press says it is already waiting). A decision on a suggestion that no
longer waits (a stale button, a second reviewer, a double press) is refused with who decided and when; the state
change itself is a conditional UPDATE, so two presses at the same moment cannot both win.
Who may decide what: bot/services/review/team.py. Type corrections and reviewed examples: corrections.py
(re-exported here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from functools import partial

from bot.domain import BehaviourResult, Role
from bot.services.common.access import AccessService, Principal
from bot.services.common.notify import Notices
from bot.services.common.once import Outcome, deliver_once
from bot.services.review import queue as review_queue
from bot.services.review.corrections import CorrectionResult, correct_type
from bot.services.review.team import AlreadyDecided, ReviewError, SuggestionView, Team, already_decided
from storage.models import Review, Suggestion
from storage.repositories.review import DECIDED
from storage.uow import UnitOfWork, UnitOfWorkFactory

OPEN = ("new", "saved")
REMINDER_JOB = "review_reminder"  # job mark: (job, reviewer, suggestion@submission)
MAX_FINAL_TEXT = 3500  # the final text goes back to the author in one message, with a header


@dataclass(frozen=True, slots=True)
class ReviewRequested:
    """Notice to a reviewer: a suggestion waits for their decision (with the decision buttons)."""

    view: SuggestionView


@dataclass(frozen=True, slots=True)
class ReviewReminder:
    """Notice to a reviewer: a suggestion has waited longer than the reminder threshold."""

    view: SuggestionView
    hours: float


@dataclass(frozen=True, slots=True)
class DecisionMade:
    """Notice to the author: the supervisor's decision and the final text (or the reason of a refusal)."""

    view: SuggestionView
    decision: str
    final_text: str | None
    comment: str
    reviewer: str


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


@dataclass
class Reviews:
    """The review loop with its named dependencies: who holds which role, the company's time zone, and after how
    many hours a waiting suggestion is reminded about."""

    access: AccessService
    tz: tzinfo
    reminder_hours: float

    async def refusal(self, uow: UnitOfWork, suggestion: Suggestion) -> AlreadyDecided:
        """The polite "already decided" answer, naming who decided and when."""
        review = await uow.review.latest_review(suggestion.id)
        reviewer = await Team(self.access, uow).name(review.reviewer_id) if review else None
        moment = suggestion.reviewed_at or (review.created_at if review else None)
        return already_decided(suggestion.status, reviewer, moment, self.tz)

    async def submit(
        self, uow: UnitOfWork, notices: Notices, principal: Principal, suggestion_id: int, now: datetime
    ) -> SubmitResult:
        suggestion = await _get(uow, suggestion_id)
        if suggestion.author_id != principal.user_id and not principal.has(Role.ADMIN):
            raise ReviewError("Отправить предложение на проверку может только его автор.")
        team = Team(self.access, uow)
        if suggestion.status in DECIDED:
            raise await self.refusal(uow, suggestion)
        changed = await uow.review.transition(suggestion.id, OPEN, status="pending", submitted_at=now)
        if not changed:  # already pending (a second press) or decided meanwhile
            if suggestion.status != "pending":
                raise await self.refusal(uow, suggestion)
            return SubmitResult(suggestion, True, [await team.name(i) for i in await team.reviewers_for(suggestion)], 0)
        await uow.audit.record(
            "submitted",
            actor_id=principal.user_id,
            client_id=suggestion.client_id,
            object_ref=f"suggestion:{suggestion.id}",
        )
        reviewers = await team.reviewers_for(suggestion)
        view = await team.view(suggestion)
        delivered = 0
        for reviewer_id in reviewers:
            delivered += await notices.notify(reviewer_id, ReviewRequested(view))
        return SubmitResult(suggestion, False, [await team.name(i) for i in reviewers], delivered)

    async def check_can_decide(self, uow: UnitOfWork, principal: Principal, suggestion_id: int) -> Suggestion:
        """Everything a decision needs except its content; used before asking a supervisor to type a text."""
        if not principal.can_review:
            raise ReviewError("Решения по предложениям принимают руководители и администраторы.")
        suggestion = await _get(uow, suggestion_id)
        if suggestion.status != "pending":
            raise await self.refusal(uow, suggestion)
        if not await Team(self.access, uow).may_decide(principal, suggestion):
            if suggestion.author_id == principal.user_id:
                raise ReviewError("Своё предложение проверить нельзя — решение примет другой руководитель.")
            raise ReviewError("Это предложение сотрудника другой команды: его проверяет руководитель этой команды.")
        return suggestion

    async def decide(
        self,
        uow: UnitOfWork,
        notices: Notices,
        principal: Principal,
        suggestion_id: int,
        decision: str,
        now: datetime,
        *,
        final_text: str | None = None,
        comment: str = "",
    ) -> DecisionResult:
        suggestion = await self.check_can_decide(uow, principal, suggestion_id)
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
        if not await uow.review.transition(
            suggestion.id, ("pending",), status=decision, final_text=final, reviewed_at=now
        ):
            raise await self.refusal(uow, suggestion)
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
            decision,
            actor_id=principal.user_id,
            client_id=suggestion.client_id,
            object_ref=f"suggestion:{suggestion.id}",
            details={"kind": suggestion.kind, "author_id": suggestion.author_id},
        )
        notified: bool | None = None
        if suggestion.author_id is not None and suggestion.author_id != principal.user_id:
            view = await Team(self.access, uow).view(suggestion)
            notified = await notices.notify(
                suggestion.author_id, DecisionMade(view, decision, final, comment, principal.name)
            )
        return DecisionResult(suggestion, decision, final, comment, notified)

    async def correct_type(
        self, uow: UnitOfWork, notices: Notices, principal: Principal, suggestion_id: int, new_type: str, now: datetime
    ) -> CorrectionResult:
        return await correct_type(self.access, uow, notices, principal, suggestion_id, new_type, now)

    async def queue(
        self, uow: UnitOfWork, principal: Principal, page: int = 0, size: int = review_queue.PAGE_SIZE
    ) -> review_queue.QueuePage:
        return await review_queue.queue(self.access, uow, principal, page, size)

    async def card(self, uow: UnitOfWork, principal: Principal, suggestion_id: int) -> review_queue.Card:
        return await review_queue.card(self.access, uow, principal, suggestion_id)

    async def remind_tick(self, uows: UnitOfWorkFactory, notices: Notices, now: datetime) -> int:
        """Remind the reviewers of suggestions waiting longer than REVIEW_REMINDER_HOURS (once each per submission).

        Each reminder has its job mark (reviewer, suggestion and submission), so a reviewer whose reminder failed
        gets it at the next tick and the ones already reminded do not get it twice."""
        hours = self.reminder_hours
        sent = 0
        async with uows() as uow:
            team = Team(self.access, uow)
            for suggestion in await uow.suggestions.stale_pending(now - timedelta(hours=hours)):
                view = await team.view(suggestion)
                assert suggestion.submitted_at is not None  # pending means submitted
                period = f"{suggestion.id}@{int(suggestion.submitted_at.timestamp())}"
                failed = False
                for reviewer_id in await team.reviewers_for(suggestion):
                    send = partial(notices.notify, reviewer_id, ReviewReminder(view, hours))
                    outcome = await deliver_once(uow, REMINDER_JOB, reviewer_id, period, send)
                    sent += outcome is Outcome.SENT
                    failed |= outcome is Outcome.FAILED
                if not failed:
                    suggestion.review_reminded_at = now
            await uow.session.flush()
        return sent
