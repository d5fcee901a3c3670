"""/survey: the six-question maturity survey, one message walking through the questions with 1–5 buttons.

Answers in progress live in the FSM data (never in the database); only the complete set is stored, anonymously
(bot/services/survey.py). `/survey итоги` or `/survey 2026-Q3` shows the results without answering.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Router
from aiogram.enums import ChatAction
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.app import App
from bot.presenters import esc
from bot.presenters import survey as present
from bot.services.common import charts
from bot.services.common.access import Principal
from bot.services.review import survey
from bot.telegram.notifier import markup
from storage.uow import UnitOfWork

RESULT_WORDS = {"итоги", "результаты", "results", "result"}


class SurveyCb(CallbackData, prefix="sv"):
    period: str
    q: int  # question index, 0-based
    score: int


async def send_results(bot: Bot, chat_id: int, app: App, uow: UnitOfWork, period: str) -> None:
    definition = survey.load_survey(app.settings.project_root)
    res = await survey.result(uow, definition, period)
    if res.enough:
        await bot.send_chat_action(chat_id, ChatAction.UPLOAD_PHOTO)
        png = await charts.draw_async(survey.chart, definition, res, await survey.trend(uow, definition))
        await bot.send_photo(chat_id, BufferedInputFile(png, f"survey-{period}.png"), caption=present.caption(res))
    await bot.send_message(chat_id, present.result_html(definition, res))


async def survey_command(
    message: Message,
    command: CommandObject,
    principal: Principal,
    app: App,
    uow: UnitOfWork,
    state: FSMContext,
    bot: Bot,
) -> None:
    current = survey.period_of(app.clock.today())
    arg = (command.args or "").strip().lower()
    if arg:
        try:
            period = current if arg in RESULT_WORDS else survey.normalise_period(command.args or "")
        except survey.SurveyError as exc:
            await message.answer(esc(f"{exc} Итоги текущего квартала — /survey итоги."))
            return
        await send_results(bot, message.chat.id, app, uow, period)
        return
    if await survey.has_answered(uow, app.settings.data_dir, current, principal.user_id):
        await message.answer(esc(present.thanks(False)))
        await send_results(bot, message.chat.id, app, uow, current)
        return
    await state.update_data(survey={"period": current, "answers": {}})
    html, buttons = present.question(survey.load_survey(app.settings.project_root), current, 0)
    await message.answer(html, reply_markup=markup(buttons))


async def answer(
    callback: CallbackQuery,
    callback_data: SurveyCb,
    principal: Principal,
    app: App,
    uow: UnitOfWork,
    state: FSMContext,
    bot: Bot,
) -> None:
    definition = survey.load_survey(app.settings.project_root)
    period, index = callback_data.period, callback_data.q
    progress: dict[str, Any] | None = (await state.get_data()).get("survey")
    if progress is None or progress.get("period") != period:
        progress = {"period": period, "answers": {}} if index == 0 else None
    if progress is None or period != survey.period_of(app.clock.today()):
        await callback.answer(
            "Этот опрос прервался или устарел — начните, пожалуйста, заново: /survey", show_alert=True
        )
        return
    answers: dict[str, int] = progress["answers"]
    if index != len(answers) or not definition.scale_min <= callback_data.score <= definition.scale_max:
        note = "На этот вопрос Вы уже ответили." if index < len(answers) else "Начните, пожалуйста, заново: /survey"
        await callback.answer(note, show_alert=index >= len(answers))
        return
    answers[definition.questions[index].id] = callback_data.score
    await callback.answer(f"Ответ {callback_data.score} записан")
    if len(answers) < len(definition.questions):
        await state.update_data(survey=progress)
        html, buttons = present.question(definition, period, len(answers))
        await _edit(callback, html, buttons)
        return
    await state.update_data(survey=None)
    try:
        stored = await survey.submit(uow, definition, app.settings.data_dir, period, principal.user_id, answers)
    except survey.SurveyError as exc:
        await _edit(callback, esc(str(exc)), None)
        return
    await _edit(callback, esc(present.thanks(stored)), None)
    await uow.session.flush()
    await send_results(bot, callback.from_user.id, app, uow, period)


async def _edit(callback: CallbackQuery, html: str, buttons: Any) -> None:
    if isinstance(callback.message, Message):
        try:
            await callback.message.edit_text(html, reply_markup=markup(buttons))
        except TelegramBadRequest:  # a double press that changes nothing
            pass


def build_router() -> Router:
    router = Router(name="survey")
    router.message.register(survey_command, Command("survey"))
    router.callback_query.register(answer, SurveyCb.filter())
    return router
