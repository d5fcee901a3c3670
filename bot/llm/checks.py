"""Checks of a model's answer, in order: complete, JSON, schema, no prompt leak, no foreign link, no invented
commitment, no invented date or duration (blanked), only issued placeholders. All checks run on the masked
answer, before personal data is put back, so a client's own e-mail (⟦EMAIL_1⟧) is never mistaken for a link
and nothing is checked twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from pydantic import ValidationError

from bot.llm import guard
from bot.llm.backends import Completion
from bot.llm.errors import LLMUnavailable, Reason
from bot.llm.privacy import Masker, UnknownPlaceholderError
from bot.llm.prompts import UNTRUSTED_VARIABLES, RenderedPrompt
from bot.llm.schemas import LLMOutput

T = TypeVar("T", bound=LLMOutput)

DISCOUNT_WARNING = "В ответе упомянута скидка или компенсация, которой нет в сведениях компании — проверьте."
BLANKS_WARNING = (
    "LLM назвала даты или сроки, которых нет в исходных данных: на их месте пропуски вида [дата] или [срок] — "
    "заполните их перед отправкой."
)


def parse_json_object(content: str) -> dict[str, Any]:
    """The JSON object in a model's answer, tolerating ```json fences and chatter around it."""
    text = re.sub(r"^```(?:json)?\s*|\s*```$", "", content.strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise LLMUnavailable(Reason.MALFORMED_JSON, "no JSON object")
    try:
        obj = json.loads(text[start : end + 1])
    except json.JSONDecodeError as exc:
        raise LLMUnavailable(Reason.MALFORMED_JSON, f"at char {exc.pos}") from exc
    if not isinstance(obj, dict):
        raise LLMUnavailable(Reason.MALFORMED_JSON, "not an object")
    return obj


def check_answer(
    completion: Completion,
    schema: type[T],
    prompt: RenderedPrompt,
    canary: str,
    clean: Mapping[str, Any],
    masked: Mapping[str, Any],
    masker: Masker,
    *,
    allowed_domains: Iterable[str] = (),
) -> tuple[T, tuple[str, ...]]:
    """The validated answer with personal data put back, and warnings for the manager; or LLMUnavailable."""
    if completion.finish_reason == "length":
        raise LLMUnavailable(Reason.TRUNCATED, "finish_reason=length")
    try:
        dumped = schema.model_validate(parse_json_object(completion.content)).model_dump(mode="json")
    except ValidationError as exc:
        raise LLMUnavailable(Reason.SCHEMA_MISMATCH, f"{exc.error_count()} errors") from exc
    shown = "\n".join(guard.iter_strings(dumped))
    if guard.leaks_prompt(shown, prompt.system, canary):
        raise LLMUnavailable(Reason.PROMPT_LEAK)
    links = guard.find_forbidden_links(shown, allowed_domains)
    if links:
        raise LLMUnavailable(Reason.LINK_NOT_ALLOWED, f"{len(links)} links")
    trusted = "\n".join(guard.iter_strings({k: v for k, v in masked.items() if k not in UNTRUSTED_VARIABLES}))
    prose = "\n".join(guard.iter_strings(dumped, frozenset({"quote"})))  # quotes repeat the client's words
    invented = guard.unapproved_commitments(prose, trusted)
    if invented:
        raise LLMUnavailable(Reason.UNAPPROVED_COMMITMENT, f"{len(invented)} items")
    dumped, blanked = _blank_invented_facts(dumped, "\n".join(guard.iter_strings(dict(masked))))
    try:
        restored = guard.map_strings(dumped, masker.unmask)
    except UnknownPlaceholderError as exc:
        raise LLMUnavailable(Reason.UNKNOWN_PLACEHOLDER) from exc
    try:
        value = schema.model_validate(restored).fit_context(clean)
    except ValidationError as exc:
        raise LLMUnavailable(Reason.SCHEMA_MISMATCH, "after unmasking") from exc
    warnings: tuple[str, ...] = (DISCOUNT_WARNING,) if guard.mentions_unbacked_discount(prose, trusted) else ()
    if blanked:
        warnings += (BLANKS_WARNING,)
    return value, warnings


def _blank_invented_facts(value: Any, inputs: str, key: str = "") -> tuple[Any, int]:
    """Dates, times and durations that no input holds become visible blanks; quotes (the client's own words) stay."""
    if isinstance(value, str):
        return guard.blank_invented_facts(value, inputs) if key != "quote" else (value, 0)
    if isinstance(value, dict):
        pairs = {k: _blank_invented_facts(v, inputs, k) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, sum(n for _, n in pairs.values())
    if isinstance(value, list):
        items = [_blank_invented_facts(v, inputs, key) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    return value, 0
