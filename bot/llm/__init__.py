"""The LLM layer: one gateway to a LangChain chat model (OpenAI-compatible, GigaChat or YandexGPT), bounded, masked
and checked.

Services use `LLMGateway.run` for a validated answer and `answer_with_fallback` to fall back to the offline
engine; see docs/LLM.md.
"""

from bot.llm.budget import BudgetStatus, Usage, UsageRecord
from bot.llm.errors import LLMConfigError, LLMUnavailable, Reason, reason_text_ru
from bot.llm.fallback import Answered, answer_with_fallback
from bot.llm.gateway import LLMGateway, LLMResult
from bot.llm.guard import escape_html
from bot.llm.schemas import (
    BriefOut,
    ClassificationOut,
    CueOut,
    KnowledgeAnswerOut,
    LLMOutput,
    ReplyOut,
    SituationOut,
    SuggestionOut,
    TaskBriefOut,
)

__all__ = [
    "Answered",
    "BriefOut",
    "BudgetStatus",
    "ClassificationOut",
    "CueOut",
    "KnowledgeAnswerOut",
    "LLMConfigError",
    "LLMGateway",
    "LLMOutput",
    "LLMResult",
    "LLMUnavailable",
    "Reason",
    "ReplyOut",
    "SituationOut",
    "SuggestionOut",
    "TaskBriefOut",
    "Usage",
    "UsageRecord",
    "answer_with_fallback",
    "escape_html",
    "reason_text_ru",
]
