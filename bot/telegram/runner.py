"""Running the bot in Telegram: long polling (default) or a webhook, plus the background jobs.

Nothing a person sends is lost and nothing is answered twice:
- polling: each batch from getUpdates is stored in the inbox before the next getUpdates confirms it (aiogram's own
  polling confirms updates before their handlers finish, so a crash lost the work in flight); if the database
  is unreachable the batch stays unconfirmed at Telegram and the people in it hear once that the service is
  briefly unavailable;
- webhook: the update is stored before 200 is returned (503 while the database is unreachable: Telegram
  delivers it again);
- the update is then handled from the inbox (bot/telegram/inbox.py); a repeated update_id is not handled again.

Only one process polls a token and runs the jobs: it holds the instance lock (bot/telegram/leader.py). Another
one stops with one clear line (exit code 2) or, with --standby, waits and takes over when the first one stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
import socket
from collections import deque
from collections.abc import Coroutine
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    TelegramConflictError,
    TelegramNetworkError,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetUpdates
from aiogram.types import Update

from bot.app import App
from bot.infra_faults import is_transient
from bot.observability.server import ObservabilityServer, start_observability
from bot.presenters.notices import RenderedNotices
from bot.services.common.notify import Notices
from bot.startup_checks import StartupRefused
from bot.telegram.factory import build_bot, build_dispatcher, set_command_menu
from bot.telegram.inbox import UpdateProcessor, to_payload
from bot.telegram.jobs import BACKGROUND_JOBS
from bot.telegram.leader import (
    AnotherInstanceRunning,
    Lease,
    LeaseState,
    build_lease,
    conflict_refusal,
    refusal,
)
from bot.telegram.notifier import TelegramNotifier
from storage.inbox import UpdateInbox

log = logging.getLogger(__name__)

POLL_TIMEOUT = 20  # seconds Telegram holds a getUpdates open when there is nothing new
# 409s from getUpdates within CONFLICT_WINDOW seconds: another process polls this token (one 409 alone can be a
# restart overlapping the previous process's last poll).
CONFLICTS_BEFORE_STOP, CONFLICT_WINDOW = 3, 60.0
LEASE_CHECK_EVERY = 5.0  # seconds between checks that the instance lock is still ours
STANDBY_RETRY = 2.0  # seconds between a standby's attempts to take the lock
RETRY_FIRST, RETRY_MAX = 1.0, 15.0  # pause after a failed getUpdates or an unreachable inbox


def instance_id() -> str:
    return f"{socket.gethostname()[:14]}-{os.getpid()}-{secrets.token_hex(3)}"[:32]


class TelegramRuntime:
    def __init__(
        self,
        app: App,
        bot: Bot | None = None,
        dp: Dispatcher | None = None,
        *,
        standby: bool = False,
        namespace: str = "copilot",
    ) -> None:
        self.app = app
        self.bot = bot or build_bot(app)
        self.dp = dp or build_dispatcher(app)
        self.standby = standby
        self.owner = instance_id()
        self.inbox = UpdateInbox(app.engine, self.owner)
        self.lease: Lease = build_lease(app.settings, self.bot.id, self.owner, namespace)
        self.processor: UpdateProcessor | None = None
        self.notices: Notices | None = None
        self._jobs: list[asyncio.Task[None]] = []
        self._stop = asyncio.Event()
        self.observability: ObservabilityServer | None = None  # /healthz and /metrics when METRICS_PORT is set

    # Shared steps ----------------------------------------------------------------------------------------------
    async def _connect(self) -> None:
        """Introduce the bot to Telegram; while Telegram is unreachable, wait for it (a wrong token ends the start)."""
        pause = RETRY_FIRST
        while True:
            try:
                me = await self.bot.get_me()
                break
            except TelegramUnauthorizedError:
                raise StartupRefused(
                    f"Telegram не принял TELEGRAM_BOT_TOKEN бота {self.bot.id} (401 Unauthorized): проверьте токен "
                    "у @BotFather."
                ) from None
            except (TelegramNetworkError, TelegramServerError) as exc:
                log.warning("Telegram unreachable (%s); retrying in %.0f s", type(exc).__name__, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX)
        log.info("connected to %s as @%s", self.app.settings.telegram_api_base, me.username)
        await set_command_menu(self.bot)
        self.app.notifier = TelegramNotifier(self.bot)
        self.notices = RenderedNotices(self.app.notifier, self.app.clock.tz)
        self.dp["notices"] = self.notices  # handlers that tell other people receive it by name

    def _start_jobs(self) -> None:
        if not self._jobs:
            assert self.notices is not None, "connect to Telegram first"
            services, notices = self.app.services, self.notices
            self._jobs = [asyncio.create_task(job(services, notices), name=job.__name__) for job in BACKGROUND_JOBS]

    async def _stop_jobs(self) -> None:
        for task in self._jobs:
            task.cancel()
        await asyncio.gather(*self._jobs, return_exceptions=True)
        self._jobs = []

    async def _take_lease(self) -> bool:
        """Hold the instance lock, or refuse to start; a standby waits for it, ready (models loaded) to take
        over at once. False when asked to stop while waiting."""
        if await self._try_lease() is LeaseState.HELD:
            return True
        if not self.standby:
            raise AnotherInstanceRunning(refusal(self.bot.id, self.lease.where))
        log.warning("another instance holds the lock (%s): waiting as a standby", self.lease.where)
        await self.app.warm_up()
        while not await self._stopped_within(STANDBY_RETRY):
            if await self._try_lease() is LeaseState.HELD:
                log.warning("the lock is free: this standby takes over")
                return True
        return False

    async def _try_lease(self) -> LeaseState:
        try:
            return LeaseState.HELD if await self.lease.try_acquire() else LeaseState.LOST
        except Exception as exc:
            if is_transient(exc):
                return LeaseState.UNKNOWN
            raise

    async def _watch_lease(self) -> None:
        """The lock must stay ours; while its keeper is unreachable nobody else can take it either."""
        while not await self._stopped_within(LEASE_CHECK_EVERY):
            state = await self.lease.check()
            if state is LeaseState.LOST:
                raise AnotherInstanceRunning(refusal(self.bot.id, self.lease.where))

    async def _stopped_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except TimeoutError:
            return False
        return True

    def stop_soon(self) -> None:
        """Ask a running poll() or serve_webhook() to stop (signals, tests)."""
        self._stop.set()

    async def stop(self) -> None:
        self.stop_soon()

    @property
    def runs_jobs(self) -> bool:
        return bool(self._jobs)

    def in_flight(self) -> set[asyncio.Task[None]]:
        return self.processor.in_flight() if self.processor else set()

    def _install_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, self.stop_soon)

    async def _run_until_stopped(self, *tasks: Coroutine[Any, Any, None]) -> None:
        """Run the tasks until stop is asked or one of them ends (its error is raised)."""
        running: list[asyncio.Task[Any]] = [asyncio.create_task(t) for t in tasks]
        running.append(asyncio.create_task(self._stop.wait()))
        try:
            await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in running:
                task.cancel()
            results = await asyncio.gather(*running, return_exceptions=True)
        for result in results:
            if isinstance(result, Exception):
                raise result

    async def shutdown(self) -> None:
        if self.processor is not None:
            await self.processor.stop()
        await self._stop_jobs()
        with contextlib.suppress(Exception):
            await self.dp.emit_shutdown(bot=self.bot, dispatcher=self.dp, **self.dp.workflow_data)
        await self.bot.session.close()
        if self.observability is not None:
            await self.observability.stop()

    # Polling ---------------------------------------------------------------------------------------------------
    async def poll(self, *, handle_signals: bool = True) -> None:
        if handle_signals:
            self._install_signals()
        try:
            self.observability = await start_observability(self.app)  # a standby answers /healthz too
            if not await self._take_lease():
                return
            await self._connect()
            await self.app.warm_up()
            self._start_jobs()
            await self.bot.delete_webhook(drop_pending_updates=False)
            await self.dp.emit_startup(bot=self.bot, dispatcher=self.dp, **self.dp.workflow_data)
            self.processor = UpdateProcessor(self.dp, self.bot, self.inbox, steal=True)
            await self.processor.start()
            await self._run_until_stopped(self._poll_updates(), self._watch_lease())
        finally:
            await self.shutdown()
            await self.lease.release()

    async def _poll_updates(self) -> None:
        assert self.processor is not None
        request = GetUpdates(timeout=POLL_TIMEOUT, allowed_updates=self.dp.resolve_used_update_types())
        request_timeout = int(self.bot.session.timeout + POLL_TIMEOUT)
        pause = RETRY_FIRST
        conflicts: deque[float] = deque(maxlen=CONFLICTS_BEFORE_STOP)
        loop = asyncio.get_running_loop()
        while True:
            try:
                updates = await self.bot(request, request_timeout=request_timeout)
            except TelegramConflictError:
                conflicts.append(loop.time())
                recent = len(conflicts) == CONFLICTS_BEFORE_STOP and conflicts[-1] - conflicts[0] < CONFLICT_WINDOW
                if recent and not self.standby:
                    raise AnotherInstanceRunning(conflict_refusal(self.bot.id)) from None
                log.warning("Telegram: another process polls this token (409 Conflict); retrying")
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX)
                continue
            except Exception as exc:
                log.warning("could not fetch updates (%s: %s); retrying in %.0f s", type(exc).__name__, exc, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX)
                continue
            if not updates:
                pause = RETRY_FIRST
                continue
            try:
                await self.processor.accept([(u, to_payload(u)) for u in updates])
            except Exception as exc:
                if not is_transient(exc):
                    raise
                # Not stored, so not confirmed: Telegram hands the same updates over again next time.
                log.warning("inbox unreachable (%s); %d update(s) left with Telegram", type(exc).__name__, len(updates))
                for update in updates:
                    await self.processor.tell_unavailable(update)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX)
                continue
            pause = RETRY_FIRST
            request.offset = updates[-1].update_id + 1  # stored: confirmed with the next getUpdates

    # Webhook ---------------------------------------------------------------------------------------------------
    async def serve_webhook(self, *, handle_signals: bool = True) -> None:
        """Webhook mode: Telegram pushes updates to WEBHOOK_URL; the secret token guards the endpoint.

        Several webhook instances may run behind one address: every one of them takes updates (the inbox keeps
        each update to one of them), and the one that holds the instance lock runs the jobs.
        """
        from aiohttp import web

        settings = self.app.settings
        assert settings.webhook_url and settings.webhook_secret
        secret = settings.webhook_secret.get_secret_value()
        if handle_signals:
            self._install_signals()
        runner: web.AppRunner | None = None
        try:
            self.observability = await start_observability(self.app)
            await self._connect()
            await self.app.warm_up()
            await self.dp.emit_startup(bot=self.bot, dispatcher=self.dp, **self.dp.workflow_data)
            self.processor = UpdateProcessor(self.dp, self.bot, self.inbox, steal=False)
            web_app = web.Application()
            web_app.router.add_post("/webhook", self._webhook_handler(secret))
            runner = web.AppRunner(web_app, access_log=None)
            await runner.setup()
            try:
                await web.TCPSite(runner, settings.webhook_listen_host, settings.webhook_listen_port).start()
            except OSError as exc:
                raise StartupRefused(
                    f"Не удаётся принимать вебхук на {settings.webhook_listen_host}:{settings.webhook_listen_port} "
                    f"(WEBHOOK_LISTEN_HOST/WEBHOOK_LISTEN_PORT): {exc.strerror or exc}. Порт занят другим "
                    "процессом? Укажите свободный порт."
                ) from None
            await self.bot.set_webhook(
                settings.webhook_url, secret_token=secret, allowed_updates=self.dp.resolve_used_update_types()
            )
            await self.processor.start()
            await self._run_until_stopped(self._lead_jobs())
        finally:
            if runner is not None:
                await runner.cleanup()
            await self.shutdown()
            await self.lease.release()

    def _webhook_handler(self, secret: str) -> Any:
        from aiohttp import web

        async def handle(request: web.Request) -> web.StreamResponse:
            if not secrets.compare_digest(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), secret):
                return web.Response(status=401)
            try:
                raw = await request.json()
                update = Update.model_validate(raw, context={"bot": self.bot})
            except Exception:
                return web.Response(status=400)
            assert self.processor is not None
            try:
                await self.processor.accept([(update, raw)])
            except Exception as exc:
                if not is_transient(exc):
                    raise
                log.warning("inbox unreachable (%s); update %s refused for now", type(exc).__name__, update.update_id)
                await self.processor.tell_unavailable(update)
                return web.Response(status=503)  # Telegram delivers it again later
            return web.json_response({})

        return handle

    async def _lead_jobs(self) -> None:
        """Webhook mode: run the jobs while this instance holds the lock; try to take it while it does not."""
        while True:
            state = await (self.lease.check() if self._jobs else self._try_lease())
            if state is LeaseState.HELD:
                self._start_jobs()
            elif state is LeaseState.LOST and self._jobs:
                log.warning("another instance took the lock: background jobs stop here")
                await self._stop_jobs()
            await asyncio.sleep(LEASE_CHECK_EVERY if self._jobs else STANDBY_RETRY)
