"""Situation detection on realistic client messages, offline and with an LLM hook."""

from __future__ import annotations

import pytest

from bot.config import PROJECT_ROOT
from bot.domain import Situation
from bot.services.knowledge.situations import SituationDetector, detect_situation


@pytest.fixture(scope="module")
def detector() -> SituationDetector:
    return SituationDetector.from_file(PROJECT_ROOT)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Добрый день. Ваша цена выше рыночной, у конкурентов та же плёнка дешевле на 8%.", "price_objection"),
        ("Ну это дороговато для нас, если честно. Может, есть какая-то скидка для постоянных?", "price_objection"),
        ("Где наш груз?? Обещали во вторник, уже четверг, машины нет!", "delay_notice"),
        ("Поставка до сих пор не пришла, у нас простой на линии.", "delay_notice"),
        ("В последней партии брак: треть мешков порваны. Направляем претензию.", "complaint"),
        ("Я крайне недоволен вашим менеджером, он нагрубил нашему кладовщику.", "complaint"),
        ("Напоминаем: счёт №245 не оплачен, просрочка 10 дней.", "payment_reminder"),
        ("Бухгалтерия оплатит на следующей неделе, пришлите, пожалуйста, счёт на оплату ещё раз.", "payment_reminder"),
        ("Договор у нас истекает в декабре, хотим обсудить продление на следующий год.", "renewal"),
        ("Подскажите, как вам наша работа за квартал? Будем рады отзыву.", "feedback_request"),
        ("Спасибо, всё отлично! Могу порекомендовать вас коллегам из соседнего холдинга.", "referral_request"),
        ("А у вас есть ещё стретч-плёнка и скотч? Хотим расширить ассортимент закупки.", "upsell"),
        ("Давно не заказывали у вас — хотим возобновить сотрудничество, что нового?", "reactivation"),
        ("Поздравляем вашу компанию с юбилеем! 25 лет — это серьёзно.", "congratulation"),
        ("Здравствуйте, нам вас порекомендовали. Ищем поставщика упаковки для нового цеха.", "first_contact"),
        ("Пришлите коммерческое предложение на 40 паллет с доставкой до Казани.", "proposal"),
        ("Не знаем, что выбрать для заморозки: помогите подобрать вариант под нашу задачу.", "needs_discovery"),
        ("Посмотрели ваше письмо, дайте пару дней подумать, вернёмся с ответом.", "follow_up"),
    ],
)
def test_realistic_messages(detector: SituationDetector, message: str, expected: str) -> None:
    result = detector.detect(message)
    assert result.situation.value == expected, (result.situation, result.fragments, result.runner_ups)
    assert not result.is_default and result.fragments
    assert all(fragment in message for fragment in result.fragments)  # quoted as the client wrote them


def test_neutral_default_when_nothing_matches(detector: SituationDetector) -> None:
    result = detector.detect("Добрый день, Ирина!")
    assert result.is_default and result.situation == Situation.FOLLOW_UP and result.confidence == 0.0


def test_runner_ups_are_listed(detector: SituationDetector) -> None:
    result = detector.detect("Груз опоздал на неделю, а теперь ещё и брак. Требую компенсацию, это возмутительно.")
    assert result.situation == Situation.COMPLAINT
    assert Situation.DELAY_NOTICE in {r.situation for r in result.runner_ups}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Пришлите, пожалуйста, сертификаты соответствия и ТУ на продукцию.", "proposal"),
        ("Нужны закрывающие документы: УПД и ТТН по поставке от 3 марта.", "follow_up"),
        ("Вышлите акт сверки за первый квартал.", "payment_reminder"),
        ("Подготовьте допсоглашение к договору на следующий год.", "renewal"),
    ],
)
def test_document_requests_map_to_the_closest_situation(
    detector: SituationDetector, message: str, expected: str
) -> None:
    result = detector.detect(message)
    assert result.situation.value == expected
    assert result.documents_requested


def test_capitalised_abbreviation_is_not_a_pronoun(detector: SituationDetector) -> None:
    assert not detector.detect("Привезли ту самую партию?").documents_requested


async def test_llm_answer_is_used_and_offline_evidence_kept(detector: SituationDetector) -> None:
    async def llm(text: str) -> tuple[str, str]:
        return "complaint", "клиент недоволен качеством"

    result = await detect_situation("Где груз? Уже неделю ждём.", detector, llm)
    assert result.engine == "llm" and result.situation == Situation.COMPLAINT
    assert Situation.DELAY_NOTICE in {r.situation for r in result.runner_ups}


@pytest.mark.parametrize("answer", [RuntimeError("timeout"), ("no_such_situation", ""), None])
async def test_llm_failure_falls_back_to_cues(detector: SituationDetector, answer: object) -> None:
    async def llm(text: str) -> tuple[str, str] | None:
        if isinstance(answer, Exception):
            raise answer
        return answer  # type: ignore[return-value]

    result = await detect_situation("Где груз? Уже неделю ждём.", detector, llm)
    assert result.engine == "offline" and result.situation == Situation.DELAY_NOTICE
