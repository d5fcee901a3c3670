"""build_dispatcher: the one place that assembles the Dispatcher, for production and tests alike."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import BotCommand

from bot import texts
from bot.app import App
from bot.telegram.handlers import (
    admin,
    audit,
    calllog,
    clients,
    colleagues,
    departments,
    errors,
    fallback,
    importing,
    knowledge,
    review,
    review_edit,
    start,
    stats,
    suggest,
    suggest_card,
    survey,
    task_status,
    tasks,
)
from bot.telegram.middlewares import (
    AccessMiddleware,
    CommitBeforeReplyMiddleware,
    ThrottlingMiddleware,
    UnitOfWorkMiddleware,
)
from bot.telegram.response_models import PinResponseModels
from bot.telegram.retry import RetryMiddleware
from bot.telegram.update_metrics import UpdateMetricsMiddleware

# Feature routers in the order they get a chance at an update; catch-all routers (free text) go last.
# Each module builds a fresh Router, so several dispatchers can live in one process (tests).
ROUTER_BUILDERS = [
    start.build_router,
    admin.build_router,
    importing.build_router,
    departments.build_router,
    review.build_router,
    review_edit.build_router,  # before any free-text router: it waits for the supervisor's corrected text
    stats.build_router,
    survey.build_router,
    audit.build_router,
    knowledge.build_router,
    clients.build_router,
    calllog.build_router,
    tasks.build_router,  # before free text: it waits for the answers of the /task dialogue
    task_status.build_router,
    colleagues.build_router,
    suggest_card.build_router,
    suggest.build_router,  # any text that is not a command is treated as a client's message
    fallback.build_router,  # last: what nobody took gets a polite answer, never silence
]


def build_fsm_storage(app: App, namespace: str = "copilot") -> BaseStorage:
    if app.settings.redis_url:
        from aiogram.fsm.storage.redis import DefaultKeyBuilder, RedisStorage

        return RedisStorage.from_url(app.settings.redis_url, key_builder=DefaultKeyBuilder(prefix=f"{namespace}:fsm"))
    return MemoryStorage()


def build_dispatcher(app: App, storage: BaseStorage | None = None) -> Dispatcher:
    dp = Dispatcher(storage=storage or build_fsm_storage(app))
    dp.workflow_data.update(app.services.by_name())  # handlers receive the named services as parameters
    dp.update.outer_middleware(UpdateMetricsMiddleware())
    dp.update.outer_middleware(UnitOfWorkMiddleware(app.uow))
    dp.message.outer_middleware(ThrottlingMiddleware())
    dp.message.outer_middleware(AccessMiddleware(app.access))
    dp.callback_query.outer_middleware(AccessMiddleware(app.access))
    dp.edited_message.outer_middleware(AccessMiddleware(app.access))
    dp.include_router(errors.build_router())
    for build_router in ROUTER_BUILDERS:
        dp.include_router(build_router())
    return dp


def build_bot(app: App) -> Bot:
    token = app.settings.telegram_bot_token
    if token is None:
        raise RuntimeError("TELEGRAM_BOT_TOKEN is not set")
    session = AiohttpSession(api=TelegramAPIServer.from_base(app.settings.telegram_api_base))
    session.middleware(CommitBeforeReplyMiddleware())  # first registered, outermost: commits once, before any try
    session.middleware(RetryMiddleware())  # 429 and dropped connections are retried, not apologised for
    session.middleware(PinResponseModels())  # aiogram's response models are built once, not after every GC
    return Bot(token.get_secret_value(), session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


async def set_command_menu(bot: Bot) -> None:
    commands = [BotCommand(command=name, description=description) for name, description, _ in texts.COMMANDS]
    await bot.set_my_commands(commands)
