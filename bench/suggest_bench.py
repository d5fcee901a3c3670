"""End-to-end latency of the manager's main flow, offline: a client message → the full suggestion card
(classification, situation, script, reply with the client's history, stored in SQLite), and the pre-call brief.

Run: .venv/bin/python bench/suggest_bench.py  (uses a temporary DATA_DIR with the demo company)
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_app
from bot.config import PROJECT_ROOT, Settings
from bot.services.clients import call_brief as briefs
from bot.services.crm.importing import import_file
from bot.services.knowledge.script_tools import script_tools
from bot.services.suggestions import service as suggestions

MESSAGES = [
    "Сравните, пожалуйста, ваш расчёт с прошлой поставкой и покажите экономию. Решение до пятницы.",
    "Ой, я так переживаю, вдруг цвет не подойдёт… Можно созвониться по видео?",
    "Пришлите сертификаты и протокол испытаний, нам важно, чтобы всё было по ГОСТ.",
    "Это безобразие!!! Машина стоит четвёртый час, разберитесь немедленно.",
    "Когда будет готов заказ?",
]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main(rounds: int = 20) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp))  # type: ignore[call-arg]
        started = time.perf_counter()
        app = await build_app(settings)
        await import_file(app, PROJECT_ROOT / "datasets" / "demo_company.json")
        await app.warm_up()
        print(f"start (migrations, demo import, models, index): {time.perf_counter() - started:.2f} s")
        tools = await script_tools(app)
        card_ms: list[float] = []
        brief_ms: list[float] = []
        async with app.uow() as uow:
            principal = await app.access.local_operator(uow)
            client = await uow.clients.get("cl01")
        for i in range(rounds):
            async with app.uow() as uow:
                t0 = time.perf_counter()
                await suggestions.suggest(app, uow, tools, principal, MESSAGES[i % len(MESSAGES)], client=client)
                card_ms.append((time.perf_counter() - t0) * 1000)
            async with app.uow() as uow:
                t0 = time.perf_counter()
                assert client is not None
                await briefs.build_brief(app, uow, tools, principal, client)
                brief_ms.append((time.perf_counter() - t0) * 1000)
        await app.close()
    for name, values in (("suggestion card", card_ms), ("pre-call brief", brief_ms)):
        print(
            f"{name}: p50 {statistics.median(values):.0f} ms, p95 {_pct(values, 0.95):.0f} ms over {len(values)} runs"
        )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
