"""The brief a colleague is glad to act on: greeting by name, what exactly and what "done" means, a real date, why it
matters for the client, co-executors, the department's service commitment, what the requester prepares so that
earlier causes of delay do not repeat, and thanks — in the tone that suits the colleague's type.

Offline templates (bot.services.tasks.templates) always work; with an LLM configured it writes the text, and the same
tone guard checks its answer, which must name the deadline's date, or the offline text is used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.domain import TYPE_NAMES_RU, BehaviourType
from bot.nlp.dates import MONTHS_GEN, format_date
from bot.nlp.names import DEPARTMENT_NAMES_RU
from bot.nlp.text import lemmas
from bot.services.tasks import overdue, tone
from bot.services.tasks.commitments import Commitment, load_commitments, shorter_than_commitment
from bot.services.tasks.directory import ClientInfo, ColleagueInfo, Directory
from bot.services.tasks.extraction import Extraction
from bot.services.tasks.precautions import preparation
from bot.services.tasks.templates import BriefContext, compose
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.llm import LLMResult
    from bot.llm.gateway import LLMGateway

log = logging.getLogger(__name__)


@dataclass
class TaskDraft:
    extraction: Extraction
    text: str
    title: str
    assignee: ColleagueInfo | None
    department: str | None
    client: ClientInfo | None
    co_executors: list[tuple[ColleagueInfo, str]] = field(default_factory=list)
    commitment: Commitment | None = None
    precautions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the requester only: the colleague's type and motivation
    engine: str = "offline"
    engine_note: str = ""

    @property
    def department_name(self) -> str:
        return DEPARTMENT_NAMES_RU.get(self.department or "", self.department or "")

    @property
    def addressee(self) -> str:
        if self.assignee:
            return self.assignee.name
        return self.department_name or "—"

    def as_contract(self) -> dict[str, object]:
        """The `task --json` fields of PRODUCT.md plus what else the engine found."""
        e = self.extraction
        return {
            "text": self.text,
            "assignee": self.addressee,
            "assignee_id": self.assignee.id if self.assignee else None,
            "department": self.department,
            "deadline": e.deadline.isoformat() if e.deadline else None,
            "deadline_time": e.deadline_time.strftime("%H:%M") if e.deadline_time else None,
            "client": self.client.name if self.client else None,
            "client_id": self.client.id if self.client else None,
            "deliverable": e.deliverable,
            "co_executors": [c.name for c, _ in self.co_executors],
            "commitment": self.commitment.id if self.commitment else None,
            "precautions": self.precautions,
            "notes": self.notes,
            "engine": self.engine,
        }


def _dedupe(needs: list[str], precautions: list[str], prepared: list[str]) -> list[str]:
    """Needs not already covered by a precaution or by what the request says is ready."""
    covered = [set(lemmas(p)) for p in precautions + prepared]
    kept = []
    for need in needs:
        words = set(lemmas(need)) - {"и", "или", "с", "на", "в", "по"}
        if any(len(words & c) >= max(1, len(words) // 2) for c in covered):
            continue
        kept.append(need)
    return kept


def _draft_from(ctx: BriefContext) -> TaskDraft:
    text = compose(ctx)
    if tone.has_rudeness(text):  # a last guard: copied pieces were cleaned already, so this should not fire
        log.warning("offline brief needed the tone guard")
        text = tone.sanitize_text(text)
    e = ctx.extraction
    title = (e.deliverable or e.request)[:1].upper() + (e.deliverable or e.request)[1:300]
    return TaskDraft(
        extraction=e,
        text=text,
        title=title,
        assignee=ctx.assignee,
        department=ctx.department,
        client=ctx.client,
        co_executors=ctx.co_executors,
        commitment=ctx.commitment,
        precautions=ctx.precautions,
        notes=_notes(ctx.assignee, e) + _requester_notes(ctx),
    )


def _requester_notes(ctx: BriefContext) -> list[str]:
    """What the requester should know and the colleague need not read: the department's usual lead time when the
    deadline is shorter, and a missing «done» criterion to add."""
    from bot.services.tasks.done import done_for
    from bot.services.tasks.templates import actions_of

    notes = []
    if ctx.commitment:
        what = ctx.commitment.what[:1].lower() + ctx.commitment.what[1:]
        shorter = " Ваш срок короче — в задаче это сказано." if ctx.tight else ""
        notes.append(f"Обязательство отдела: {what} — {ctx.commitment.lead_time}.{shorter}")
    if ctx.extraction.deliverable and done_for(actions_of(ctx.extraction.deliverable)) is None:
        notes.append(
            "Из запроса не видно, каким должен быть результат — допишите в задачу, что будет считаться готовым."
        )
    return notes


def ctx_today_is(e: Extraction) -> bool:
    """The same-weekday deadline was resolved to today (not a week ahead): its text had no «до / к»."""
    said = (e.deadline_text or "").lower().lstrip()
    return not said.startswith(("до", "к"))


def _notes(assignee: ColleagueInfo | None, e: Extraction) -> list[str]:
    notes = []
    if e.deadline and e.deadline.weekday() >= 5:
        notes.append(f"Срок выпадает на выходной ({format_date(e.deadline)}) — если нужен рабочий день, поправьте.")
    if e.same_weekday and e.deadline:
        when = format_date(e.deadline, with_year=False)
        ending = {"среда": "ая", "пятница": "ая", "суббота": "ая", "воскресенье": "ее"}.get(e.same_weekday, "ий")
        other = ("следующ" if ctx_today_is(e) else "сегодняшн") + ending
        notes.append(
            f"День недели назван в тот же день недели — в задаче срок {when}; если имелась в виду {other} "
            f"{e.same_weekday}, поправьте срок."
        )
    if assignee is None:
        return notes
    if assignee.type and assignee.type in BehaviourType.__members__.values():
        notes.append(f"Тип коллеги: {TYPE_NAMES_RU[BehaviourType(assignee.type)]} — текст составлен с учётом этого.")
    if assignee.motivation:
        notes.append(f"Что важно для коллеги: {assignee.motivation}")
    return notes


@dataclass
class TaskDrafter:
    """Drafting the brief, with the departments' commitments file and the LLM gateway (None: offline templates)."""

    project_root: Path
    llm: LLMGateway | None = None

    async def draft_brief(
        self,
        uow: UnitOfWork,
        extraction: Extraction,
        directory: Directory,
        *,
        now: datetime,
        requester_name: str | None = None,
    ) -> TaskDraft:
        ctx = await self.build_context(uow, extraction, directory, now=now, requester_name=requester_name)
        draft = _draft_from(ctx)
        if self.llm is None:
            return draft
        from bot.llm import answer_with_fallback

        answered = await answer_with_fallback(lambda: self._llm_text(ctx), lambda: draft.text)
        draft.text, draft.engine = answered.value, answered.engine
        draft.engine_note = " ".join([answered.engine_note, *answered.warnings])  # e.g. a blanked date to fill in
        return draft

    async def build_context(
        self,
        uow: UnitOfWork,
        extraction: Extraction,
        directory: Directory,
        *,
        now: datetime,
        requester_name: str | None = None,
    ) -> BriefContext:
        e = extraction
        assignee = directory.colleagues.get(e.assignee_id or "")
        department = assignee.department if assignee else e.department
        client = directory.clients.get(e.client_id or "")
        commitments = load_commitments(self.project_root)
        context_text = " ".join([*e.details, e.request])
        commitment = commitments.match(department, e.deliverable or "", context_text)
        causes = await overdue.top_causes(
            uow,
            department=department,
            colleague_id=assignee.id if assignee else None,
            about=f"{e.deliverable} {e.request}",
        )
        precautions = [p for p in (preparation(c.label) for c in causes) if p]
        needs = list(commitment.needs_from_requester) if commitment else []
        co = []
        for colleague_id in e.co_executor_ids:
            other = directory.colleagues.get(colleague_id)
            if other:
                # no role from the department's usual work: what the request asks of them is in the brief already
                co.append((other, ""))
        delays = 0
        if client:
            delays = sum(1 for i in await uow.clients.incidents(client.id) if i.kind == "delay")
        tight = bool(
            commitment
            and e.deadline
            and shorter_than_commitment(commitment, now, e.deadline, e.deadline_time, commitments.working_day_hours)
        )
        return BriefContext(
            extraction=e,
            assignee=assignee,
            department=department,
            client=client,
            commitment=commitment,
            needs=_dedupe(needs, precautions, e.prepared),
            precautions=_dedupe(precautions, [], e.prepared)[:2],
            co_executors=co,
            client_delays=delays,
            tight=tight,
            today=now.date(),
            requester_name=requester_name,
        )

    async def _llm_text(self, ctx: BriefContext) -> LLMResult[str]:
        # The LLM layer loads only when an LLM is configured.
        from bot.llm import LLMUnavailable, Reason, TaskBriefOut

        assert self.llm is not None
        e = ctx.extraction
        offline = compose(ctx)
        deadline = format_date(e.deadline, e.deadline_time, e.deadline_part) if e.deadline else "не указан"
        assignee = ctx.assignee
        variables = {
            # The offline draft, not the raw request: the model rewrites neutral facts instead of the irritation.
            "request": offline,
            "deadline": deadline,
            "assignee_profile": (
                f"{assignee.name}, {assignee.department_name}; тип: {assignee.type or 'не определён'}; "
                f"мотивация: {assignee.motivation or '—'}"
                if assignee
                else f"{DEPARTMENT_NAMES_RU.get(ctx.department or '', 'отдел')} (исполнитель не назначен)"
            ),
            "client_profile": f"{ctx.client.name} ({ctx.client.company})" if ctx.client else "—",
            "commitments": (
                f"{ctx.commitment.what}: {ctx.commitment.lead_time}; готово, когда: {ctx.commitment.standard}"
                if ctx.commitment
                and ctx.tight  # the usual lead time matters to the brief only when the deadline is tighter
                else "—"
            ),
            "past_issues": ctx.precautions,
        }
        result = await self.llm.run("task_brief", variables, TaskBriefOut)

        def check(value: TaskBriefOut) -> str:
            text = tone.sanitize_text(value.text)
            if e.deadline and f"{e.deadline.day} {MONTHS_GEN[e.deadline.month - 1]}" not in text:
                raise LLMUnavailable(Reason.SCHEMA_MISMATCH, "the brief does not name the deadline's date")
            if tone.has_rudeness(text) or len(text) < 40:
                raise LLMUnavailable(Reason.SCHEMA_MISMATCH, "the brief failed the tone check")
            return text

        return result.map(check)
