"""/healthz and /metrics: served beside the bot in polling and in webhook mode, on METRICS_PORT.

/healthz answers 200 with JSON when the database, Redis (when used) and the knowledge index answer, and 503 naming
what is down. /metrics is Prometheus text with the bot's counters: updates, the card latency histogram, errors,
LLM calls and Telegram retries.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import App, build_app
from bot.observability.server import ObservabilityServer
from bot.telegram.runner import TelegramRuntime
from storage.db import create_engine
from tests.conftest import make_settings
from tests.e2e.conftest import MANAGER, start_harness, stop_harness
from tests.fake_telegram import FakeTelegram

PASTED = "Добрый день. Пришлите, пожалуйста, счёт на 40 дверей и сравнение с прошлой поставкой."


async def _get(url: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        body = await (resp.json() if resp.content_type == "application/json" else resp.text())
        return resp.status, body


def _sample(metrics_text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


async def _health_of(app: App) -> tuple[int, Any]:
    server = ObservabilityServer(app, "127.0.0.1", 0)
    await server.start()
    try:
        return await _get(f"http://127.0.0.1:{server.port}/healthz")
    finally:
        await server.stop()


async def _app(tmp_path: Path, shared_models: dict[str, Any] | None, **overrides: Any) -> App:
    app = await build_app(make_settings(tmp_path, **overrides))
    app._lazy.update(shared_models or {})
    return app


async def test_healthz_is_200_when_database_redis_and_index_answer(
    tmp_path: Path, shared_models: dict[str, Any], redis_namespace: tuple[str, str]
) -> None:
    app = await _app(tmp_path, shared_models, redis_url=redis_namespace[0])
    try:
        status, body = await _health_of(app)
    finally:
        await app.close()
    assert status == 200
    assert body == {"status": "ok", "down": [], "checks": {"database": "ok", "redis": "ok", "index": "ok"}}


async def test_healthz_names_redis_when_it_is_down(tmp_path: Path, shared_models: dict[str, Any]) -> None:
    app = await _app(tmp_path, shared_models, redis_url="redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        status, body = await _health_of(app)
    finally:
        await app.close()
    assert status == 503
    assert body["status"] == "down" and body["down"] == ["redis"]
    assert body["checks"]["database"] == "ok" and "unreachable" in body["checks"]["redis"]


async def test_healthz_names_the_database_and_an_index_not_loaded(tmp_path: Path) -> None:
    app = await _app(tmp_path, None)
    await app.engine.dispose()
    app.engine = create_engine("postgresql+asyncpg://copilot:secret@127.0.0.1:1/copilot")
    try:
        status, body = await _health_of(app)
    finally:
        await app.close()
    assert status == 503
    assert body["down"] == ["database", "index"]
    assert body["checks"]["redis"] == "not used"
    assert "secret" not in str(body)  # a failure is named by its type, never by a URL with a password


async def test_polling_mode_serves_metrics_that_count_updates_and_cards(
    tmp_path: Path, shared_models: dict[str, Any]
) -> None:
    h, task = await start_harness(tmp_path, shared_models, metrics_port=0)
    try:
        await h.say(MANAGER, "/start")  # the bot is up: polling, and the server started before it
        assert h.runtime.observability is not None
        base = f"http://127.0.0.1:{h.runtime.observability.port}"
        _, before = await _get(f"{base}/metrics")
        (question,) = await h.say(MANAGER, PASTED)
        (card,) = await h.press(MANAGER, question, "Без клиента")
        assert "Тип:" in card.text
        await h.settled()
        status, after = await _get(f"{base}/metrics")
        health_status, health = await _get(f"{base}/healthz")
    finally:
        await stop_harness(h, task)
    assert status == 200 and health_status == 200 and health["status"] == "ok"
    for kind in ("message", "callback_query"):
        ok = {"kind": kind, "outcome": "ok"}
        assert _sample(after, "copilot_updates_total", **ok) >= _sample(before, "copilot_updates_total", **ok) + 1
    assert _sample(after, "copilot_card_seconds_count") == _sample(before, "copilot_card_seconds_count") + 1
    assert "copilot_telegram_retries_total" in after or "# HELP copilot_telegram_retries" in after
    assert "copilot_llm_fallbacks" in after and "copilot_errors" in after


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_webhook_mode_serves_health_and_metrics_too(tmp_path: Path, shared_models: dict[str, Any]) -> None:
    tg = FakeTelegram()
    await tg.start()
    settings = make_settings(
        tmp_path,
        telegram_bot_token=tg.token,
        telegram_api_base=tg.base_url,
        bot_managers=[MANAGER.id],
        webhook_url="https://copilot.example/webhook",
        webhook_secret="s3cret-token",
        webhook_listen_host="127.0.0.1",
        webhook_listen_port=_free_port(),
        metrics_port=0,
    )
    app = await build_app(settings)
    app._lazy.update(shared_models)
    runtime = TelegramRuntime(app)
    serving = asyncio.create_task(runtime.serve_webhook())
    try:
        for _ in range(200):
            if any(method == "setWebhook" for method, _ in tg.calls):
                break
            await asyncio.sleep(0.05)
        assert runtime.observability is not None
        base = f"http://127.0.0.1:{runtime.observability.port}"
        _, before = await _get(f"{base}/metrics")
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": MANAGER.id, "type": "private"},
                "from": MANAGER.as_dict(),
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
        url = f"http://127.0.0.1:{settings.webhook_listen_port}/webhook"
        async with aiohttp.ClientSession() as http, http.post(url, json=update, headers=headers) as resp:
            assert resp.status == 200
        await tg.wait_sent(MANAGER.id, 1)
        for _ in range(100):  # the webhook handler counts the update once it returns
            _, after = await _get(f"{base}/metrics")
            if _sample(after, "copilot_updates_total", kind="message", outcome="ok") > _sample(
                before, "copilot_updates_total", kind="message", outcome="ok"
            ):
                break
            await asyncio.sleep(0.05)
        else:
            pytest.fail("the webhook's update was not counted")
        status, health = await _get(f"{base}/healthz")
        assert status == 200 and health["status"] == "ok"
    finally:
        serving.cancel()
        await asyncio.gather(serving, return_exceptions=True)
        await app.close()
        await tg.stop()
    assert runtime.observability is None or runtime.observability._runner is None  # stopped with the bot


async def test_a_taken_metrics_port_is_one_clear_line(tmp_path: Path) -> None:
    from bot.startup_checks import StartupRefused

    app = await _app(tmp_path, None)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        try:
            with pytest.raises(StartupRefused, match="METRICS_PORT") as refused:
                await ObservabilityServer(app, "127.0.0.1", port).start()
        finally:
            await app.close()
    assert "\n" not in str(refused.value) and str(port) in str(refused.value)
