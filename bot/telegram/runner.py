"""Running the bot in Telegram: long polling (default) or a webhook, plus the background jobs."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot, Dispatcher

from bot.app import App
from bot.presenters.notices import RenderedNotices
from bot.telegram.factory import build_bot, build_dispatcher, set_command_menu
from bot.telegram.jobs import BACKGROUND_JOBS
from bot.telegram.notifier import TelegramNotifier

log = logging.getLogger(__name__)


class TelegramRuntime:
    def __init__(self, app: App, bot: Bot | None = None, dp: Dispatcher | None = None) -> None:
        self.app = app
        self.bot = bot or build_bot(app)
        self.dp = dp or build_dispatcher(app)
        self._jobs: list[asyncio.Task[None]] = []

    async def prepare(self) -> None:
        me = await self.bot.get_me()
        log.info("connected to %s as @%s", self.app.settings.telegram_api_base, me.username)
        await set_command_menu(self.bot)
        self.app.notifier = TelegramNotifier(self.bot)
        notices = RenderedNotices(self.app.notifier, self.app.clock.tz)
        self.dp["notices"] = notices  # handlers that tell other people receive it by name
        await self.app.warm_up()
        services = self.app.services
        self._jobs = [asyncio.create_task(job(services, notices), name=job.__name__) for job in BACKGROUND_JOBS]

    async def poll(self, *, handle_signals: bool = True) -> None:
        try:
            await self.prepare()
            await self.bot.delete_webhook(drop_pending_updates=False)
            await self.dp.start_polling(self.bot, handle_signals=handle_signals, polling_timeout=20)
        finally:
            await self.shutdown()

    async def shutdown(self) -> None:
        for task in self._jobs:
            task.cancel()
        await asyncio.gather(*self._jobs, return_exceptions=True)
        self._jobs = []
        await self.bot.session.close()

    async def serve_webhook(self) -> None:
        """Webhook mode: Telegram pushes updates to WEBHOOK_URL; the secret token guards the endpoint."""
        from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
        from aiohttp import web

        settings = self.app.settings
        assert settings.webhook_url and settings.webhook_secret
        secret = settings.webhook_secret.get_secret_value()
        await self.prepare()
        await self.bot.set_webhook(settings.webhook_url, secret_token=secret)
        web_app = web.Application()
        SimpleRequestHandler(dispatcher=self.dp, bot=self.bot, secret_token=secret).register(web_app, path="/webhook")
        setup_application(web_app, self.dp, bot=self.bot)
        runner = web.AppRunner(web_app)
        await runner.setup()
        await web.TCPSite(runner, settings.webhook_listen_host, settings.webhook_listen_port).start()
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
            await self.shutdown()
