"""The suggestion card for a client's message: type with cues and confidence, situation, script, a suggested reply
built from the script and the client's history, precautions — stored as a Suggestion and audited.

The LLM (when configured) drafts type, situation and reply in one call through `answer_with_fallback`; any failure
gives the offline card, and the card says which engine answered. Re-rendering with another type or situation is
done offline from the stored suggestion, so a button press never waits for a model.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.domain import BehaviourResult, BehaviourType, Situation
from bot.nlp.text import normalize_input
from bot.services.clients import lookup as clients
from bot.services.clients.context import ClientContext, load_context, next_working_day
from bot.services.clients.playbook import load_client_knowledge
from bot.services.common.access import Principal
from bot.services.common.clock import Clock
from bot.services.common.lazy import Loader
from bot.services.knowledge.script_tools import ScriptTools
from bot.services.suggestions.card import ENGINE_NOTES, Draft, Drafted, SuggestionCard, behaviour_from_row, engine_note
from bot.services.suggestions.composer import draft_offline
from storage.models import Client, Contact, Suggestion
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.classifier.engine import OfflineClassifier
    from bot.llm.gateway import LLMGateway

MAX_INPUT = 4000  # a client message longer than this is cut: the classifier and the card need the gist, not a book


class EmptyMessage(ValueError):
    """Nothing to classify."""


async def _author_contact(uow: UnitOfWork, client: Client, text: str) -> Contact | None:
    """The contact who wrote the message, from the history entry recorded with the card."""
    for item in await uow.clients.interactions(client.id, direction="in", limit=50):
        if item.text == text:
            return next((c for c in client.contacts if c.name and c.name == item.author), None)
    return None


@dataclass
class Suggestions:
    """The suggestion card with its named dependencies: the playbook files, the clock, the classifier, the scripts
    library with the situation detector, and the LLM gateway (None: the offline engine only)."""

    project_root: Path
    clock: Clock
    classifier: Loader[OfflineClassifier]
    scripts: Loader[ScriptTools]
    llm: LLMGateway | None = None

    async def _context(self, uow: UnitOfWork, client: Client | None, contact: Contact | None) -> ClientContext | None:
        if client is None:
            return None
        return await load_context(uow, client, load_client_knowledge(self.project_root), self.clock.now(), contact)

    async def _level_and_segment(self, uow: UnitOfWork, client: Client | None) -> tuple[str, str]:
        if client is None:
            return "", ""
        knowledge = load_client_knowledge(self.project_root)
        level = await clients.level_of(uow, client, knowledge)
        seg = clients.segment(client, knowledge)
        return level.name, seg.strategy if seg else ""

    async def suggest(
        self,
        uow: UnitOfWork,
        principal: Principal,
        text: str,
        *,
        client: Client | None = None,
        contact: Contact | None = None,
        at: datetime | None = None,
        source: str = "telegram",
        record_message: bool = True,
    ) -> SuggestionCard:
        """The card for `text`; with a client, the message also goes to their history (unless `record_message` is
        off: the CLI is called by integrations that keep the history themselves)."""
        text = normalize_input(text).strip()[:MAX_INPUT]
        if not text:
            raise EmptyMessage("пустое сообщение")
        knowledge = load_client_knowledge(self.project_root)
        classifier = await self.classifier()
        offline = await asyncio.to_thread(classifier.classify, text)
        tools = await self.scripts()
        context = await self._context(uow, client, contact)
        history = [i.text for i in await uow.clients.interactions(client.id, direction="in", limit=5)] if client else []
        today = self.clock.today()
        composed = await asyncio.to_thread(
            draft_offline, tools.library, knowledge, self.project_root, text, offline.type, context, today=today
        )

        offline_draft = Draft(offline, composed.situations[0])
        if self.llm is None:
            drafted = Drafted(offline_draft, "offline", ENGINE_NOTES["offline"])
        else:
            from bot.services.suggestions.llm_draft import draft_with_fallback, profile_text  # loads the LLM stack

            level, strategy = await self._level_and_segment(uow, client)
            scripts = [s for t in BehaviourType if (s := tools.library.get(t, composed.situations[0])) is not None]
            names = [c.name for c in client.contacts if c.name] if client else []
            profile = profile_text(context, level, strategy)
            drafted = await draft_with_fallback(self.llm, offline_draft, text, history[::-1], profile, scripts, names)
        draft = drafted.draft
        next_date = next_working_day(self.clock.today())
        if draft.behaviour.type is not offline.type or draft.situation is not composed.situations[0]:
            composed = await asyncio.to_thread(
                draft_offline,
                tools.library,
                knowledge,
                self.project_root,
                text,
                draft.behaviour.type,
                context,
                situation=draft.situation,
                today=today,
            )
        script = tools.library.by_id(draft.script_id) if draft.script_id else composed.script
        reply = draft.reply if drafted.engine == "llm" and draft.reply else composed.text

        if client is not None and record_message:
            author = contact.name if contact else ""
            await clients.record_incoming(
                uow, principal, client, text, at or self.clock.now(), author=author, source=source
            )
        row = Suggestion(
            kind="reply",
            author_id=principal.user_id,
            client_id=client.id if client else None,
            input_text=text,
            behaviour_type=draft.behaviour.type.value,
            type_confidence=draft.behaviour.confidence,
            cues=[c.as_dict() for c in draft.behaviour.cues],
            situation=draft.situation.value,
            script_id=script.id if script else None,
            text=reply,
            engine=drafted.engine,
            llm_tokens=drafted.tokens,
            llm_cost_usd=drafted.cost_usd,
        )
        await uow.suggestions.add(row)
        await uow.audit.record(
            "generated",
            actor_id=principal.user_id,
            client_id=row.client_id,
            object_ref=f"suggestion:{row.id}",
            details={"kind": "reply", "engine": drafted.engine, "fallback": drafted.fallback},
        )
        card = SuggestionCard.build(row, draft.behaviour, knowledge, context, script, (), next_date, drafted.note)
        card.situations = composed.situations
        return card

    async def load_card(self, uow: UnitOfWork, row: Suggestion) -> SuggestionCard:
        """The card of a stored suggestion as it stands now (after an edit, or to show it again)."""
        knowledge = load_client_knowledge(self.project_root)
        client = await uow.clients.get(row.client_id) if row.client_id else None
        contact = await _author_contact(uow, client, row.input_text) if client else None
        context = await self._context(uow, client, contact)
        behaviour = await self._behaviour(row)
        tools = await self.scripts()
        chosen = Situation(row.situation) if row.situation else None
        type_ = BehaviourType(row.manual_type or row.behaviour_type or BehaviourType.UNDETERMINED)
        composed = await asyncio.to_thread(
            draft_offline,
            tools.library,
            knowledge,
            self.project_root,
            row.input_text,
            type_,
            context,
            situation=chosen,
            today=self.clock.today(),
        )
        script = tools.library.by_id(row.script_id) if row.script_id else None
        card = SuggestionCard.build(
            row,
            behaviour,
            knowledge,
            context,
            script,
            (),
            next_working_day(self.clock.today()),
            engine_note(row),
        )
        card.situations = composed.situations
        return card

    async def _behaviour(self, row: Suggestion) -> BehaviourResult:
        questions: tuple[str, ...] = ()
        if (row.manual_type or row.behaviour_type) == BehaviourType.UNDETERMINED.value:
            classifier = await self.classifier()
            questions = (await asyncio.to_thread(classifier.classify, row.input_text)).questions
        return behaviour_from_row(row, questions)

    async def rerender(
        self,
        uow: UnitOfWork,
        principal: Principal,
        row: Suggestion,
        *,
        type_: BehaviourType | None = None,
        situation: Situation | None = None,
    ) -> SuggestionCard:
        """Another type or another situation chosen by the manager: the script and the reply are rebuilt offline."""
        knowledge = load_client_knowledge(self.project_root)
        client = await uow.clients.get(row.client_id) if row.client_id else None
        contact = await _author_contact(uow, client, row.input_text) if client else None
        context = await self._context(uow, client, contact)
        new_type = type_ or BehaviourType(row.manual_type or row.behaviour_type or BehaviourType.UNDETERMINED)
        chosen = situation or (Situation(row.situation) if row.situation else None)
        tools = await self.scripts()
        built = await asyncio.to_thread(
            draft_offline,
            tools.library,
            knowledge,
            self.project_root,
            row.input_text,
            new_type,
            context,
            situation=chosen,
            today=self.clock.today(),
        )
        new_situation = built.situations[0]
        if type_ is not None:
            row.manual_type = type_.value
        row.situation = new_situation.value
        row.script_id = built.script.id if built.script else None
        row.text = built.text
        row.final_text = None  # the manager's edit belonged to the previous draft
        row.engine = "offline"
        await uow.session.flush()
        action = "type_changed" if type_ is not None else "script_changed"
        details = {"type": new_type.value, "situation": new_situation.value}
        await uow.audit.record(
            action,
            actor_id=principal.user_id,
            client_id=row.client_id,
            object_ref=f"suggestion:{row.id}",
            details=details,
        )
        return await self.load_card(uow, row)
