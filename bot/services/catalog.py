"""The named services the transports use, built once by the composition root (bot.app).

Telegram gets each one by parameter name from the Dispatcher's workflow data; the terminal chat and the command
line read them from here. A service never sees this catalogue: it receives only the parts it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from bot.services.clients.call_brief import CallBriefs
from bot.services.clients.digest import PromiseDigest
from bot.services.clients.profile import ClientProfiles
from bot.services.common.access import AccessService
from bot.services.common.clock import Clock
from bot.services.crm.importing import CrmImport
from bot.services.knowledge.ask import Knowledge
from bot.services.review.audit import AuditLog
from bot.services.review.decisions import Reviews
from bot.services.review.stats import QualityStats
from bot.services.review.survey import Surveys
from bot.services.suggestions.service import Suggestions
from bot.services.tasks.colleagues import ColleagueDirectory
from bot.services.tasks.delivery import TaskDelivery
from bot.services.tasks.department_editing import DepartmentEditor
from bot.services.tasks.drafting import TaskDrafter
from bot.services.tasks.flow import TaskFlow
from storage.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class Services:
    uows: UnitOfWorkFactory
    clock: Clock
    access: AccessService
    profiles: ClientProfiles
    briefs: CallBriefs
    promise_digest: PromiseDigest
    suggestions: Suggestions
    knowledge: Knowledge
    task_drafter: TaskDrafter
    task_flow: TaskFlow
    task_delivery: TaskDelivery
    colleague_directory: ColleagueDirectory
    reviews: Reviews
    quality_stats: QualityStats
    audit_log: AuditLog
    surveys: Surveys
    crm_import: CrmImport
    departments: DepartmentEditor

    def by_name(self) -> dict[str, object]:
        """Each service under its field name: what Telegram handlers receive as parameters."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
