"""A small HTTP server beside the bot: GET /healthz and GET /metrics, on METRICS_HOST:METRICS_PORT.

It runs in polling and webhook mode alike, on its own port (the webhook's port faces Telegram and the internet;
metrics and health are for the operator's network).
"""

from __future__ import annotations

import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from bot.observability.health import App, check_health
from bot.startup_checks import StartupRefused

log = logging.getLogger(__name__)


def build_web_app(app: App) -> web.Application:
    async def healthz(_: web.Request) -> web.Response:
        health = await check_health(app)
        return web.json_response(health.as_json(), status=200 if health.healthy else 503)

    async def metrics(_: web.Request) -> web.Response:
        body = generate_latest(REGISTRY)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    web_app = web.Application()
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    return web_app


class ObservabilityServer:
    def __init__(self, app: App, host: str, port: int) -> None:
        self.app, self.host, self.port = app, host, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        self._runner = web.AppRunner(build_web_app(self.app), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            raise StartupRefused(
                f"Не удаётся открыть /healthz и /metrics на {self.host}:{self.port} (METRICS_HOST/METRICS_PORT): "
                f"{exc.strerror or exc}. Порт занят другим процессом? Укажите свободный порт или уберите METRICS_PORT."
            ) from None
        if self.port == 0:  # tests ask for any free port
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        log.info("health and metrics on http://%s:%d/healthz and /metrics", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def start_observability(app: App) -> ObservabilityServer | None:
    """The server when METRICS_PORT is set, started; None when observability is off."""
    if app.settings.metrics_port is None:
        return None
    server = ObservabilityServer(app, app.settings.metrics_host, app.settings.metrics_port)
    await server.start()
    return server
