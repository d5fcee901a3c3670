"""Notices from services → messages for people: the one place that turns a service's facts into words and buttons.

Services hand notices (dataclasses defined beside them) to `Notices.notify`; `RenderedNotices` renders each kind with
the presenters and sends it through the transport's `Notifier` (Telegram, or the outbox of the terminal and tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from functools import singledispatch

from bot.presenters import digest as digest_present
from bot.presenters import esc
from bot.presenters import review as review_present
from bot.presenters import stats as stats_present
from bot.presenters import tasks as task_present
from bot.services.clients.digest import MorningDigest
from bot.services.common.llm_usage import BudgetSpent
from bot.services.common.notify import Buttons, Notifier
from bot.services.review.corrections import TypeCorrected
from bot.services.review.decisions import DecisionMade, ReviewReminder, ReviewRequested
from bot.services.review.stats import WeeklyStats
from bot.services.tasks.delivery import ClarifyRequested, OverdueReasonGiven, TaskAssigned, TaskStatusChanged
from bot.services.tasks.followup import OverdueNotice, OverdueQuestion, TaskReminder


@dataclass(frozen=True, slots=True)
class Message:
    html: str
    buttons: Buttons | None = None
    png: bytes | None = None  # sent first, with `caption` under it
    caption: str = ""


@singledispatch
def render(notice: object, tz: tzinfo) -> Message:
    raise TypeError(f"no presenter for the notice {type(notice).__name__}")


@render.register
def _(notice: ReviewRequested, tz: tzinfo) -> Message:
    s = notice.view.suggestion
    return Message(review_present.card(notice.view, tz), review_present.decision_buttons(s.id, s.kind))


@render.register
def _(notice: ReviewReminder, tz: tzinfo) -> Message:
    s = notice.view.suggestion
    html = review_present.reminder(notice.view, notice.hours, tz)
    return Message(html, review_present.decision_buttons(s.id, s.kind))


@render.register
def _(notice: DecisionMade, tz: tzinfo) -> Message:
    html = review_present.decision_notice(
        notice.view, notice.decision, notice.final_text, notice.comment, notice.reviewer
    )
    return Message(html)


@render.register
def _(notice: TypeCorrected, tz: tzinfo) -> Message:
    return Message(review_present.correction_notice(notice.view, notice.previous, notice.new, notice.reviewer))


@render.register
def _(notice: WeeklyStats, tz: tzinfo) -> Message:
    html = stats_present.report_html(notice.report, title="Итоги недели")
    return Message(html, png=notice.png, caption=stats_present.digest_caption(notice.report))


@render.register
def _(notice: MorningDigest, tz: tzinfo) -> Message:
    html, buttons = digest_present.digest(notice.items, notice.today)
    return Message(html, buttons)


@render.register
def _(notice: BudgetSpent, tz: tzinfo) -> Message:
    return Message(esc(notice.text))


@render.register
def _(notice: TaskAssigned, tz: tzinfo) -> Message:
    html = task_present.brief_for_assignee(notice.task, notice.requester_name)
    return Message(html, task_present.assignee_buttons(notice.task))


@render.register
def _(notice: TaskStatusChanged, tz: tzinfo) -> Message:
    status = task_present.STATUS_NAMES_RU[notice.status]
    return Message(task_present.status_notice(notice.task, notice.colleague_name, status))


@render.register
def _(notice: ClarifyRequested, tz: tzinfo) -> Message:
    return Message(task_present.clarify_notice(notice.task, notice.colleague_name, notice.question))


@render.register
def _(notice: OverdueReasonGiven, tz: tzinfo) -> Message:
    return Message(task_present.reason_notice(notice.task, notice.who))


@render.register
def _(notice: TaskReminder, tz: tzinfo) -> Message:
    return Message(task_present.reminder(notice.task, tz), task_present.assignee_buttons(notice.task))


@render.register
def _(notice: OverdueQuestion, tz: tzinfo) -> Message:
    html = task_present.overdue_question(notice.task, tz, for_requester=notice.for_requester)
    return Message(html, task_present.reason_buttons(notice.task, notice.options))


@render.register
def _(notice: OverdueNotice, tz: tzinfo) -> Message:
    return Message(task_present.overdue_notice(notice.task))


@dataclass
class RenderedNotices:
    """`Notices` for services over a transport's `Notifier`, in the company's time zone."""

    notifier: Notifier
    tz: tzinfo

    async def notify(self, user_id: int, notice: object) -> bool:
        message = render(notice, self.tz)
        if message.png is None:
            return await self.notifier.send(user_id, message.html, message.buttons)
        # A picture with its caption, then the figures beside it; the picture decides whether it reached them.
        delivered = await self.notifier.send_photo(user_id, message.png, message.caption)
        await self.notifier.send(user_id, message.html, message.buttons)
        return delivered
