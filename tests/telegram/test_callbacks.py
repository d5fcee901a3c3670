"""Buttons that services send to other people are drawn by the presenters as plain strings (presenters do not
import aiogram); the Telegram routers parse them with the callback data classes. The two must stay in step."""

from __future__ import annotations

from bot.presenters import digest as digest_present
from bot.presenters import review as review_present
from bot.presenters import survey as survey_present
from bot.presenters import tasks as task_present
from bot.telegram.callbacks import PromiseCb, ReviewCb, SurveyCb, TaskCb


def test_presenter_buttons_unpack_as_the_routers_callback_data() -> None:
    assert ReviewCb.unpack(review_present.cb("set", 12, "nu")) == ReviewCb(action="set", id=12, value="nu")
    assert ReviewCb.unpack(review_present.cb("page", 3)) == ReviewCb(action="page", id=3)
    assert SurveyCb.unpack(survey_present.cb("2026-Q4", 5, 3)) == SurveyCb(period="2026-Q4", q=5, score=3)
    assert PromiseCb.unpack(digest_present.promise_button(7)) == PromiseCb(action="kept", id=7)
    assert PromiseCb.unpack(digest_present.promise_button(7, "broken")) == PromiseCb(action="broken", id=7)
    assert TaskCb.unpack(task_present.cb("rsn", "t-0123456789", "2")) == TaskCb(
        action="rsn", id="t-0123456789", value="2"
    )
    assert TaskCb.unpack(task_present.cb("send", "t-0123456789")) == TaskCb(action="send", id="t-0123456789")


def test_the_longest_task_button_fits_telegrams_64_bytes() -> None:
    assert len(task_present.cb("rsn", "t-" + "f" * 10, "other").encode()) <= 64
