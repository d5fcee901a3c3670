"""One exception for every way an LLM call can fail, so callers need a single `except` to fall back offline."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    DISABLED = "disabled"
    TIMEOUT = "timeout"
    CONNECTION = "connection"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    HTTP_ERROR = "http_error"
    MALFORMED_JSON = "malformed_json"
    SCHEMA_MISMATCH = "schema_mismatch"
    TRUNCATED = "truncated"
    REFUSED = "refused"  # the model or the provider's content filter declined to answer
    UNKNOWN_PLACEHOLDER = "unknown_placeholder"
    LINK_NOT_ALLOWED = "link_not_allowed"
    PROMPT_LEAK = "prompt_leak"
    UNAPPROVED_COMMITMENT = "unapproved_commitment"
    BUDGET_EXHAUSTED = "budget_exhausted"
    BREAKER_OPEN = "breaker_open"
    PERSONAL_DATA_BLOCKED = "personal_data_blocked"
    DEADLINE = "deadline"
    INTERNAL = "internal"


# Faults of the endpoint itself: worth one retry, and they feed the circuit breaker. Faults of one answer's
# content (bad JSON, a link, a leak) are not counted, so a single hostile message cannot switch the LLM off.
TRANSIENT: frozenset[Reason] = frozenset({Reason.TIMEOUT, Reason.CONNECTION, Reason.RATE_LIMITED, Reason.SERVER_ERROR})
ENDPOINT_FAULTS: frozenset[Reason] = TRANSIENT | {Reason.HTTP_ERROR}

_OFFLINE = "ответил офлайн-движок"
_TEXT_RU: dict[Reason, str] = {
    Reason.DISABLED: "LLM не настроена",
    Reason.TIMEOUT: "LLM не ответила вовремя",
    Reason.RATE_LIMITED: "LLM перегружена запросами",
    Reason.BUDGET_EXHAUSTED: "дневной бюджет LLM исчерпан",
    Reason.BREAKER_OPEN: "LLM временно отключена после серии сбоев",
    Reason.PERSONAL_DATA_BLOCKED: "в тексте есть персональные данные, а отправлять их во внешнюю LLM запрещено",
    Reason.DEADLINE: "LLM не ответила вовремя",
}
_CONTENT_FAULTS = {
    Reason.MALFORMED_JSON,
    Reason.SCHEMA_MISMATCH,
    Reason.TRUNCATED,
    Reason.REFUSED,
    Reason.UNKNOWN_PLACEHOLDER,
    Reason.LINK_NOT_ALLOWED,
    Reason.PROMPT_LEAK,
    Reason.UNAPPROVED_COMMITMENT,
}


def reason_text_ru(reason: Reason) -> str:
    """A short Russian line for the user: why the offline engine answered this time."""
    if reason in _CONTENT_FAULTS:
        return f"Ответ LLM не прошёл проверку — {_OFFLINE}"
    cause = _TEXT_RU.get(reason, "LLM недоступна")
    return f"{cause[0].upper()}{cause[1:]} — {_OFFLINE}"


class LLMUnavailable(Exception):
    """The LLM gave no usable answer; `reason` says why. The message never holds client text."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail

    @property
    def text_ru(self) -> str:
        return reason_text_ru(self.reason)


class LLMConfigError(RuntimeError):
    """The LLM settings cannot work (e.g. the GigaChat extra is missing); raised at start, in Russian."""
