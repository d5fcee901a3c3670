"""Shared vocabulary of the product: behaviour types, situations, base levels and the classifier's result.

Everything here is plain data so that every layer (transport, services, storage, CLI) can use it without
pulling in anything heavy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BehaviourType(StrEnum):
    EMOTIONAL_CONFIDENT = "emotional_confident"
    NONEMOTIONAL_CONFIDENT = "nonemotional_confident"
    NONEMOTIONAL_UNCONFIDENT = "nonemotional_unconfident"
    EMOTIONAL_UNCONFIDENT = "emotional_unconfident"
    UNDETERMINED = "undetermined"

    @classmethod
    def from_axes(cls, emotionality: float, confidence: float) -> BehaviourType:
        """The quadrant of the two axes (both in [-1, 1])."""
        if emotionality >= 0:
            return cls.EMOTIONAL_CONFIDENT if confidence >= 0 else cls.EMOTIONAL_UNCONFIDENT
        return cls.NONEMOTIONAL_CONFIDENT if confidence >= 0 else cls.NONEMOTIONAL_UNCONFIDENT


DETERMINED_TYPES: tuple[BehaviourType, ...] = (
    BehaviourType.EMOTIONAL_CONFIDENT,
    BehaviourType.NONEMOTIONAL_CONFIDENT,
    BehaviourType.NONEMOTIONAL_UNCONFIDENT,
    BehaviourType.EMOTIONAL_UNCONFIDENT,
)

TYPE_NAMES_RU: dict[BehaviourType, str] = {
    BehaviourType.EMOTIONAL_CONFIDENT: "Эмоциональный уверенный",
    BehaviourType.NONEMOTIONAL_CONFIDENT: "Неэмоциональный уверенный",
    BehaviourType.NONEMOTIONAL_UNCONFIDENT: "Неэмоциональный неуверенный",
    BehaviourType.EMOTIONAL_UNCONFIDENT: "Эмоциональный неуверенный",
    BehaviourType.UNDETERMINED: "Недостаточно признаков",
}


class Situation(StrEnum):
    FIRST_CONTACT = "first_contact"
    NEEDS_DISCOVERY = "needs_discovery"
    PROPOSAL = "proposal"
    PRICE_OBJECTION = "price_objection"
    DELAY_NOTICE = "delay_notice"
    COMPLAINT = "complaint"
    FOLLOW_UP = "follow_up"
    FEEDBACK_REQUEST = "feedback_request"
    REFERRAL_REQUEST = "referral_request"
    UPSELL = "upsell"
    REACTIVATION = "reactivation"
    CONGRATULATION = "congratulation"
    PAYMENT_REMINDER = "payment_reminder"
    RENEWAL = "renewal"
    # What real messages carry besides the method's fourteen: the reply answers them, the type shapes the tone.
    QUESTION = "question"
    ORDER = "order"
    INCIDENT = "incident"
    THANKS = "thanks"
    ROUTINE = "routine"
    NO_REPLY = "no_reply"


SITUATION_NAMES_RU: dict[Situation, str] = {
    Situation.FIRST_CONTACT: "Первый контакт",
    Situation.NEEDS_DISCOVERY: "Выявление потребностей",
    Situation.PROPOSAL: "Коммерческое предложение",
    Situation.PRICE_OBJECTION: "Возражение по цене",
    Situation.DELAY_NOTICE: "Задержка или проблема",
    Situation.COMPLAINT: "Жалоба",
    Situation.FOLLOW_UP: "Напоминание после контакта",
    Situation.FEEDBACK_REQUEST: "Запрос обратной связи",
    Situation.REFERRAL_REQUEST: "Просьба о рекомендации",
    Situation.UPSELL: "Допродажа и расширение ассортимента",
    Situation.REACTIVATION: "Возвращение клиента",
    Situation.CONGRATULATION: "Поздравление",
    Situation.PAYMENT_REMINDER: "Напоминание об оплате",
    Situation.RENEWAL: "Продление договора",
    Situation.QUESTION: "Вопрос или запрос информации",
    Situation.ORDER: "Заказ или бронирование",
    Situation.INCIDENT: "Срочная проблема",
    Situation.THANKS: "Благодарность или похвала",
    Situation.ROUTINE: "Документы, счёт, реквизиты",
    Situation.NO_REPLY: "Ответ не требуется",
}


def type_name(value: str | None) -> str:
    """The Russian name of a stored type value (an unknown value is shown as it is)."""
    if not value:
        return "не определён"
    try:
        return TYPE_NAMES_RU[BehaviourType(value)]
    except ValueError:
        return value


def situation_name(value: str | None) -> str:
    if not value:
        return "не указана"
    try:
        return SITUATION_NAMES_RU[Situation(value)]
    except ValueError:
        return value


class BaseLevel(StrEnum):
    """Where a client stands in the client base (retention before acquisition)."""

    LEAD = "lead"
    FIRST_PURCHASE = "first_purchase"
    REPEAT = "repeat"
    CORE = "core"


BASE_LEVEL_NAMES_RU: dict[BaseLevel, str] = {
    BaseLevel.LEAD: "Лид",
    BaseLevel.FIRST_PURCHASE: "Первая покупка",
    BaseLevel.REPEAT: "Повторный клиент",
    BaseLevel.CORE: "Ядро клиентской базы",
}


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    MANAGER = "manager"
    STAFF = "staff"


ROLE_NAMES_RU: dict[Role, str] = {
    Role.ADMIN: "администратор",
    Role.SUPERVISOR: "руководитель",
    Role.MANAGER: "менеджер",
    Role.STAFF: "сотрудник",
}


class Axis(StrEnum):
    EMOTIONALITY = "emotionality"
    CONFIDENCE = "confidence"


@dataclass(frozen=True, slots=True)
class Cue:
    """A quoted fragment of the client's own words and the push it gives one axis."""

    text: str  # the fragment exactly as the client wrote it
    axis: Axis
    direction: int  # +1 (more emotional / more confident) or -1
    weight: float = 1.0
    label: str = ""  # short Russian explanation, e.g. "восклицания", "просьба о гарантиях"

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "axis": self.axis.value,
            "direction": self.direction,
            "weight": round(self.weight, 3),
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class BehaviourResult:
    """What the classifier says about one message or a client's history."""

    type: BehaviourType
    emotionality: float  # [-1, 1]
    confidence_axis: float  # [-1, 1]: the client's confidence, not ours
    confidence: float  # [0, 1]: how sure we are of `type`
    cues: tuple[Cue, ...] = ()
    questions: tuple[str, ...] = ()  # 1-3 questions that would reveal the type on a call
    probabilities: dict[str, float] = field(default_factory=dict)
    engine: str = "offline"  # "offline" or "llm"
    messages_used: int = 1

    def as_contract(self) -> dict[str, object]:
        """The `classify` JSON contract of PRODUCT.md (without the id)."""
        return {
            "type": self.type.value,
            "confidence": round(self.confidence, 3),
            # "+ 0.0" turns a negative zero into 0.0, which reads better in JSON
            "axes": {
                "emotionality": round(self.emotionality, 3) + 0.0,
                "confidence": round(self.confidence_axis, 3) + 0.0,
            },
            "cues": [c.as_dict() for c in self.cues],
        }
