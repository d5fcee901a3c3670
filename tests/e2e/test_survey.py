"""The maturity survey over real HTTP: three colleagues answer with the 1–5 buttons, the third one sees the team's
level with the weakest questions and a PNG chart; a second vote and a stale press are refused politely."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.services.review import survey
from storage.models import SurveyResponse
from tests.e2e.conftest import MANAGER, STAFF, SUPERVISOR, Harness
from tests.e2e.test_review import shared_models  # noqa: F401  (stand-ins for the models)
from tests.fake_telegram import TgUser
from tests.fake_telegram.server import SentMessage


async def _wait_text(message: SentMessage, part: str) -> None:
    for _ in range(200):
        if part in message.text:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{part!r} not in {message.text[:200]!r}")


async def _take_survey(h: Harness, user: TgUser, scores: list[int], replies: int) -> list[SentMessage]:
    (question,) = await h.say(user, "/survey")
    assert "вопрос 1 из 6" in question.text and "анонимны" in question.text
    mark = h.tg.mark()
    for number, score in enumerate(scores, 1):
        await _wait_text(question, f"вопрос {number} из 6")
        h.tg.press(user, question, question.button(str(score))["callback_data"])
    await _wait_text(question, "Спасибо")
    return await h.tg.wait_sent(user.id, replies, after=mark)


async def test_three_colleagues_answer_and_get_the_level_and_a_chart(harness: Harness) -> None:
    h = harness
    (first,) = await _take_survey(h, STAFF, [3, 2, 3, 2, 4, 3], replies=1)
    assert "Ответов пока: 1" in first.text and "хотя бы 3" in first.text
    await _take_survey(h, MANAGER, [4, 2, 3, 1, 4, 4], replies=1)

    # A stale press on the finished survey's message does not count twice.
    (question,) = await h.say(SUPERVISOR, "/survey")
    before = len(h.tg.callback_answers)
    h.tg.press(SUPERVISOR, question, question.button("4")["callback_data"])
    await h.tg.wait_callback_answer(before + 1)
    await _wait_text(question, "вопрос 2 из 6")
    h.tg.press(SUPERVISOR, question, question.button("5")["callback_data"].replace(":1:5", ":0:5"))  # old question
    answers = await h.tg.wait_callback_answer(before + 2)
    assert "уже ответили" in answers[-1]["text"]
    mark = h.tg.mark()
    for number, score in enumerate([3, 4, 2, 4, 3], 2):
        await _wait_text(question, f"вопрос {number} из 6")
        h.tg.press(SUPERVISOR, question, question.button(str(score))["callback_data"])
    photo, result = await h.tg.wait_sent(SUPERVISOR.id, 2, after=mark)
    assert photo.method == "sendPhoto" and photo.raw["photo_bytes"].startswith(b"\x89PNG")
    assert "Ответили: 3" in result.text and "Уровень: <b>Переходный уровень</b>" in result.text
    assert "Где расти в первую очередь" in result.text and "Что можно сделать" in result.text
    assert "2. Каждый видит клиента" in result.text and "4. Изменения по отзывам" in result.text

    # A second vote in the same quarter is refused; the results are shown instead.
    thanks, photo_again, _ = await h.say(STAFF, "/survey", count=3)
    assert "уже ответили" in thanks.text and photo_again.method == "sendPhoto"

    await h.settled()
    async with h.app.uow() as uow:
        rows = list(await uow.session.scalars(select(SurveyResponse)))
    assert len(rows) == 3 and {r.period for r in rows} == {"2026-Q4"}
    # Exactly the keyed hashes of the three voters: no user id stored (a substring check failed once in ~300 runs,
    # when a random hex happened to contain an id).
    secret = survey.salt(h.app.settings.data_dir)
    expected = {survey.respondent_hash(secret, "2026-Q4", u.id) for u in (STAFF, MANAGER, SUPERVISOR)}
    assert {r.respondent_hash for r in rows} == expected
    assert all(str(u.id) != r.respondent_hash for r in rows for u in (STAFF, MANAGER, SUPERVISOR))

    (bad,) = await h.say(STAFF, "/survey 2026-Q7")
    assert "2026-Q4" in bad.text
