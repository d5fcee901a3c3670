"""The /task dialogue, transport-neutral: a free-form request, questions only about what the engine could not find,
then the draft. Telegram (bot.telegram.handlers.tasks) and the terminal chat (bot.chat.tasks) drive the same steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field  # the step has a `field` attribute of its own

from bot.nlp.names import DEPARTMENT_NAMES_RU
from bot.services.common.access import Principal
from bot.services.common.clock import Clock
from bot.services.tasks.answers import apply_answer
from bot.services.tasks.delivery import TaskError, own_task, save_draft
from bot.services.tasks.directory import Directory, load_directory
from bot.services.tasks.drafting import TaskDraft, TaskDrafter
from bot.services.tasks.extraction import Extraction, extract
from bot.services.tasks.vague import vague_question
from storage.models import Task
from storage.uow import UnitOfWork

ASSIGNEE_QUESTION = "Уточните, пожалуйста, кому из коллег адресована задача:"
QUESTIONS = {
    # «action»: the request has no action at all («Диме передай, пусть глянет»); the question is composed for it
    "action": "Что именно нужно сделать и к какому сроку?",
    "assignee": "Кому адресована задача? Напишите имя или фамилию коллеги (можно в любой форме) или отдел.",
    "deadline": "К какому сроку нужен результат? Например: «до пятницы 12:00», «25 ноября», «через 3 дня».",
    "deliverable": "Что именно нужно сделать? Опишите результат парой слов, например «акт сверки за октябрь».",
}
PROBLEMS = {
    (
        "assignee",
        "unknown",
    ): "Не нашёл такого коллеги или отдела в справочнике. Попробуйте фамилию или название отдела.",
    ("assignee", "ambiguous"): "Подходят несколько коллег — выберите нужного.",
    ("deadline", "unknown"): "Не понял срок. Напишите дату, например «27.11», «до пятницы» или «через неделю».",
    ("deadline", "past"): "Эта дата уже прошла — укажите, пожалуйста, срок в будущем.",
    ("deliverable", "unknown"): "Не понял, что нужно сделать. Опишите результат чуть подробнее.",
    ("action", "unknown"): "Не понял, что нужно сделать. Напишите действие, например «проверить график смен кухни».",
}
DEADLINE_OPTIONS = [("Завтра", "завтра"), ("До пятницы", "до пятницы"), ("Через неделю", "через неделю"),
                    ("Без срока", "без срока")]  # fmt: skip
AMEND_PROMPT = (
    "Что поправить? Напишите новый срок, другого исполнителя, клиента или что нужно сделать — я пересоберу текст."
)


@dataclass
class FlowStep:
    extraction: Extraction
    field: str | None = None  # the question being asked, None when the draft is ready
    question: str = ""
    options: list[tuple[str, str]] = _field(default_factory=list)  # (label, answer) quick replies
    draft: TaskDraft | None = None
    task: Task | None = None


def restore(task: Task, directory: Directory, tz: object, today: object) -> Extraction:
    """The extraction behind a saved draft: the request read again, with what the dialogue settled on top."""
    e = extract(task.request_text or task.title, directory, task.created or today)  # type: ignore[arg-type]
    e.assignee_id, e.department, e.client_id = task.assignee_id, task.department, task.client_id
    e.candidates = []
    e.co_executor_ids = list(task.co_executor_ids or [])
    e.deadline, e.no_deadline = task.deadline, task.deadline is None
    e.deadline_time = task.deadline_at.astimezone(tz).time() if task.deadline_at else None  # type: ignore[arg-type]
    e.deadline_part = None
    title = task.title
    e.deliverable = title if title[1:2].isupper() else title[:1].lower() + title[1:]
    return e


async def editable(uow: UnitOfWork, principal: Principal, task_id: str) -> Task:
    task = await own_task(uow, task_id, principal)
    if task.status not in ("draft", "new"):
        raise TaskError("Задача уже у коллеги — изменить её нельзя; если нужно, поставьте новую через /task.")
    return task


async def cancel(uow: UnitOfWork, principal: Principal, task_id: str) -> Task:
    task = await editable(uow, principal, task_id)
    task.status = "cancelled"
    await uow.audit.record("task_cancelled", actor_id=principal.user_id, object_ref=task.id)
    return task


@dataclass
class TaskFlow:
    """The /task dialogue with its named dependencies: the clock (today, for dates) and the brief drafter."""

    clock: Clock
    drafter: TaskDrafter

    async def start(self, uow: UnitOfWork, principal: Principal, text: str) -> FlowStep:
        directory = await load_directory(uow)
        return await self.advance(uow, principal, extract(text, directory, self.clock.today()), directory)

    async def answer(
        self, uow: UnitOfWork, principal: Principal, extraction: Extraction, field_name: str, text: str
    ) -> FlowStep:
        directory = await load_directory(uow)
        problem = apply_answer(extraction, field_name, text, directory, self.clock.today())
        step = await self.advance(uow, principal, extraction, directory)
        if problem and step.field == field_name:
            step.question = f"{PROBLEMS.get((field_name, problem), '')} {step.question}".strip()
        return step

    async def advance(
        self,
        uow: UnitOfWork,
        principal: Principal,
        e: Extraction,
        directory: Directory,
        task_id: str | None = None,
    ) -> FlowStep:
        if e.candidates and e.assignee_id is None:
            options = [
                (f"{c.name} ({c.department_name})", c.id) for k in e.candidates if (c := directory.colleagues.get(k))
            ]
            return FlowStep(e, "assignee", ASSIGNEE_QUESTION, options)
        if not e.clarified and (question := vague_question(e, directory)) is not None:
            return FlowStep(e, "action", question)  # one question back instead of a brief made of noise
        for missing in e.missing:
            options = DEADLINE_OPTIONS if missing == "deadline" else []
            if missing == "assignee":
                options = [(name, name) for name in DEPARTMENT_NAMES_RU.values()]
            return FlowStep(e, missing, QUESTIONS[missing], options)
        now = self.clock.now()
        draft = await self.drafter.draft_brief(uow, e, directory, now=now, requester_name=principal.name)
        task = await save_draft(
            uow, draft, requester_id=principal.user_id, today=now.date(), tz=self.clock.tz, task_id=task_id
        )
        return FlowStep(e, draft=draft, task=task)

    async def amend(self, uow: UnitOfWork, principal: Principal, task_id: str, text: str) -> FlowStep:
        """Apply a correction («срок — до четверга», «Гончаровой», or a whole new text) to a saved draft."""
        task = await editable(uow, principal, task_id)
        directory = await load_directory(uow)
        today = self.clock.today()
        e = restore(task, directory, self.clock.tz, today)
        new = extract(text, directory, today)
        if new.assignee_id or new.candidates or (new.department and new.department != e.department):
            e.assignee_id, e.candidates, e.department = new.assignee_id, new.candidates, new.department
        if new.deadline:
            e.deadline, e.deadline_time, e.deadline_part, e.no_deadline = new.deadline, new.deadline_time, None, False
        if new.client_id:
            e.client_id = new.client_id
        if new.deliverable:
            e.deliverable, e.details, e.prepared = new.deliverable, new.details or e.details, new.prepared or e.prepared
            e.request = f"{e.request}\n{text}"
        e.co_executor_ids = list(dict.fromkeys([*e.co_executor_ids, *new.co_executor_ids]))
        return await self.advance(uow, principal, e, directory, task_id=task.id)

    async def assign(self, uow: UnitOfWork, principal: Principal, task_id: str, colleague_id: str) -> FlowStep:
        """A department's draft addressed to one person: the brief is rewritten for them (name, type)."""
        task = await editable(uow, principal, task_id)
        directory = await load_directory(uow)
        e = restore(task, directory, self.clock.tz, self.clock.today())
        colleague = directory.colleagues.get(colleague_id)
        if colleague is not None:
            e.assignee_id, e.department = colleague.id, colleague.department
        return await self.advance(uow, principal, e, directory, task_id=task.id)

    async def editable(self, uow: UnitOfWork, principal: Principal, task_id: str) -> Task:
        return await editable(uow, principal, task_id)

    async def cancel(self, uow: UnitOfWork, principal: Principal, task_id: str) -> Task:
        return await cancel(uow, principal, task_id)
