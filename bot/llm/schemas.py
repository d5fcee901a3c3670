"""What each LLM task must return. Validated with pydantic here, whatever the server promised.

Every field is required (optional ones are nullable) and extra keys are forbidden: that is what strict
`json_schema` mode on OpenAI expects, and an answer with keys we did not ask for is a sign the model went
off-script. `fit_context` drops what the model invented against the data it was given (a quote the client never
wrote, a script or source id that was not offered) instead of rejecting the whole answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from bot.domain import Axis, BehaviourType, Situation
from bot.llm.guard import iter_strings

Score = Annotated[float, Field(ge=-1.0, le=1.0)]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
ShortText = Annotated[str, Field(min_length=1, max_length=500)]
LongText = Annotated[str, Field(min_length=1, max_length=3000)]


class LLMOutput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def fit_context(self, variables: Mapping[str, Any]) -> Self:
        """This answer with whatever contradicts the prompt's data removed (default: unchanged)."""
        return self


def _squash(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower().replace("ё", "е")))


class CueOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quote: Annotated[str, Field(min_length=1, max_length=300, description="точная цитата из слов клиента")]
    axis: Axis
    direction: Literal[-1, 1]


class ClassificationOut(LLMOutput):
    type: BehaviourType
    emotionality: Score
    confidence_axis: Score
    confidence: Probability
    cues: Annotated[list[CueOut], Field(max_length=8)]
    questions: Annotated[list[ShortText], Field(max_length=3, description="вопросы, проясняющие тип")]

    def fit_context(self, variables: Mapping[str, Any]) -> Self:
        # Evidence must be the client's own words: quotes found nowhere in the client's texts are dropped.
        said = _squash(" ".join(iter_strings([variables.get("client_message", ""), variables.get("history", [])])))
        kept = [c for c in self.cues if _squash(c.quote) and _squash(c.quote) in said]
        return self.model_copy(update={"cues": kept})


class SituationOut(LLMOutput):
    situation: Situation
    confidence: Probability


class ReplyOut(LLMOutput):
    reply: LongText
    notes: ShortText | None


# Type, situation and reply from one call: one round trip per suggestion instead of three. (A comment, not a
# docstring: pydantic would send a docstring to the model as the schema's description.)
class SuggestionOut(ClassificationOut):
    situation: Situation
    situation_confidence: Probability
    script_id: str | None
    reply: LongText
    notes: ShortText | None

    def fit_context(self, variables: Mapping[str, Any]) -> Self:
        fitted = super().fit_context(variables)
        offered = {str(s.get("id")) for s in variables.get("scripts", []) if isinstance(s, Mapping)}
        return fitted if fitted.script_id in offered else fitted.model_copy(update={"script_id": None})


class BriefOut(LLMOutput):
    goal: ShortText
    opening_line: ShortText
    precautions: Annotated[list[ShortText], Field(max_length=6)]


class TaskBriefOut(LLMOutput):
    text: LongText
    deliverable: ShortText
    definition_of_done: ShortText


class KnowledgeAnswerOut(LLMOutput):
    text: LongText
    used_sources: Annotated[list[str], Field(max_length=10)]

    def fit_context(self, variables: Mapping[str, Any]) -> Self:
        offered = {str(s.get("id")) for s in variables.get("sources", []) if isinstance(s, Mapping)}
        return self.model_copy(update={"used_sources": [s for s in self.used_sources if s in offered]})


# Keywords OpenAI's strict mode has rejected in some versions; pydantic checks them on our side anyway.
_WIRE_DROP = {"title", "default", "minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems"}


def wire_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema sent to the server: the model's schema without keywords strict mode may refuse."""

    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: clean(v) for k, v in node.items() if k not in _WIRE_DROP or isinstance(v, dict)}
        if isinstance(node, list):
            return [clean(v) for v in node]
        return node

    return clean(model.model_json_schema())  # type: ignore[no-any-return]
