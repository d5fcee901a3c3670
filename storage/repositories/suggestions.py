"""Suggestions, their reviews, type corrections, survey answers and LLM usage."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LlmUsage, Review, Suggestion, SurveyResponse, TypeCorrection


class SuggestionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, suggestion: Suggestion) -> Suggestion:
        self.session.add(suggestion)
        await self.session.flush()
        return suggestion

    async def get(self, suggestion_id: int) -> Suggestion | None:
        return await self.session.get(Suggestion, suggestion_id)

    async def pending(self, offset: int = 0, limit: int = 5) -> list[Suggestion]:
        stmt = (
            select(Suggestion)
            .where(Suggestion.status == "pending")
            .order_by(Suggestion.submitted_at, Suggestion.id)
            .offset(offset)
            .limit(limit)
        )
        return list(await self.session.scalars(stmt))

    async def between(self, start: datetime, end: datetime) -> list[Suggestion]:
        stmt = select(Suggestion).where(Suggestion.created_at >= start, Suggestion.created_at < end)
        return list(await self.session.scalars(stmt.order_by(Suggestion.created_at)))

    async def add_review(self, review: Review) -> Review:
        self.session.add(review)
        await self.session.flush()
        return review

    async def add_correction(self, correction: TypeCorrection) -> None:
        self.session.add(correction)
        await self.session.flush()

    async def corrections(self) -> list[TypeCorrection]:
        return list(await self.session.scalars(select(TypeCorrection).order_by(TypeCorrection.id)))

    async def stale_pending(self, submitted_before: datetime) -> list[Suggestion]:
        stmt = select(Suggestion).where(
            Suggestion.status == "pending",
            Suggestion.submitted_at < submitted_before,
            Suggestion.review_reminded_at.is_(None),
        )
        return list(await self.session.scalars(stmt))


class SurveyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_answered(self, period: str, respondent_hash: str) -> bool:
        stmt = select(SurveyResponse.id).where(
            SurveyResponse.period == period, SurveyResponse.respondent_hash == respondent_hash
        )
        return (await self.session.scalar(stmt)) is not None

    async def add(self, response: SurveyResponse) -> None:
        self.session.add(response)
        await self.session.flush()

    async def for_period(self, period: str) -> list[SurveyResponse]:
        return list(await self.session.scalars(select(SurveyResponse).where(SurveyResponse.period == period)))

    async def periods(self) -> list[str]:
        rows = await self.session.scalars(select(SurveyResponse.period).distinct().order_by(SurveyResponse.period))
        return list(rows)


class UsageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, usage: LlmUsage) -> None:
        self.session.add(usage)
        await self.session.flush()
