"""A supervisor's judgement turned into data: type corrections (labels for the classifier, the client's type
override) and reviewed replies (examples for the next draft of the same type and situation).

A correction that agrees with the bot is stored too: a confirmed label is as useful for training and evaluation as
a changed one. One label per suggestion — pressing another type replaces it rather than adding a contradiction.
Only replies carry a label: their input is the client's own words; a brief or a task brief has no such text, so
there the correction only sets the client's type.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.domain import BehaviourType
from bot.presenters import review as present
from bot.services.common.access import Principal
from bot.services.common.notify import Notifier
from bot.services.review.team import ReviewError, Team
from storage.models import Suggestion, TypeCorrection
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app import App


@dataclass(frozen=True, slots=True)
class CorrectionResult:
    suggestion: Suggestion
    previous: str | None  # the type in force before (an earlier correction, or the bot's)
    new: str
    label_stored: bool  # a training/evaluation label was written
    client_updated: bool  # the client's type override was set


@dataclass(frozen=True, slots=True)
class ReviewedExample:
    suggestion_id: int
    text: str  # the final text a supervisor approved or edited
    behaviour_type: str
    situation: str | None
    input_text: str


async def correct_type(
    app: App,
    uow: UnitOfWork,
    notifier: Notifier,
    principal: Principal,
    suggestion_id: int,
    new_type: str,
    now: datetime,
) -> CorrectionResult:
    if not principal.can_review:
        raise ReviewError("Уточнять тип клиента могут руководители и администраторы.")
    try:
        corrected = BehaviourType(new_type)
    except ValueError:
        raise ReviewError("Такого типа нет; выберите один из предложенных вариантов.") from None
    suggestion = await uow.suggestions.get(suggestion_id)
    if suggestion is None:
        raise ReviewError("Не нашёл это предложение — возможно, оно было удалено.")
    team = Team(app, uow)
    if not await team.covers(principal, suggestion.author_id):
        raise ReviewError("Это предложение сотрудника другой команды: тип уточняет руководитель этой команды.")
    existing = await uow.review.correction_for(suggestion.id)
    previous = existing.corrected_type if existing else suggestion.behaviour_type
    label_stored = False
    if suggestion.kind == "reply" and suggestion.input_text.strip():
        if existing is None:
            await uow.suggestions.add_correction(
                TypeCorrection(
                    text=suggestion.input_text.strip(),
                    predicted_type=suggestion.behaviour_type,
                    corrected_type=corrected.value,
                    client_id=suggestion.client_id,
                    suggestion_id=suggestion.id,
                    reviewer_id=principal.user_id,
                    created_at=now,
                )
            )
        else:
            existing.corrected_type, existing.reviewer_id, existing.created_at = corrected.value, principal.user_id, now
        label_stored = True
    client_updated = False
    if suggestion.client_id:
        client = await uow.clients.get(suggestion.client_id)
        if client is not None:
            client.type_override = corrected.value
            client_updated = True
    if not label_stored and not client_updated:
        raise ReviewError("Здесь нет ни текста клиента, ни карточки клиента — тип уточнить не к чему.")
    await uow.session.flush()
    await uow.audit.record(
        "type_corrected", actor_id=principal.user_id, client_id=suggestion.client_id,
        object_ref=f"suggestion:{suggestion.id}", details={"from": previous, "to": corrected.value},
    )  # fmt: skip
    if previous != corrected.value and suggestion.author_id not in (None, principal.user_id):
        view = await team.view(suggestion)
        await notifier.send(
            suggestion.author_id, present.correction_notice(view, previous, corrected.value, principal.name)
        )
    return CorrectionResult(suggestion, previous, corrected.value, label_stored, client_updated)


async def examples_for(
    uow: UnitOfWork, behaviour_type: str, situation: str | None, limit: int = 3
) -> list[ReviewedExample]:
    """Approved and edited replies for this type (as corrected) and situation, newest first: retrieval examples."""
    rows = await uow.review.examples(behaviour_type, situation, limit)
    return [ReviewedExample(s.id, s.final_text or s.text, behaviour_type, s.situation, s.input_text) for s in rows]
