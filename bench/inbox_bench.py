"""What the Telegram inbox costs per update: `.venv/bin/python bench/inbox_bench.py [--pg URL] [--json]`.

Every update now takes two short transactions besides its handler's own: stored and claimed in one statement
(accept) before the handler, marked done (finish) after it (off the person's path: the reply has left). A getUpdates
batch is stored in one accept; here each update is its own batch, the worst case. This measures that cycle alone,
on SQLite (a temporary file, the default set-up) and on PostgreSQL when --pg is given: p50/p95 of the part before
the handler and of the whole cycle while `--concurrency` updates run at once, and updates per second. Figures are
recorded in docs/RELIABILITY.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.db import apply_migrations, create_engine  # noqa: E402
from storage.inbox import UpdateInbox  # noqa: E402

LEASE = timedelta(seconds=60)
PAYLOAD = {
    "message": {
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": {"id": 50_001, "type": "private"},
        "from": {"id": 50_001, "is_bot": False, "first_name": "Менеджер"},
        "text": "Добрый день. Пришлите, пожалуйста, счёт на 40 дверей и сравнение с прошлой поставкой." * 3,
    }
}


async def run(url: str, updates: int, concurrency: int) -> dict[str, float]:
    engine = create_engine(url)
    await apply_migrations(engine)
    inbox = UpdateInbox(engine, "bench")
    start_id = int(time.time() * 1000) % 1_000_000_000  # fresh ids on a reused PostgreSQL database
    gate = asyncio.Semaphore(concurrency)
    cycles: list[float] = []
    stores: list[float] = []  # the part before the handler starts: what a person waits for

    async def one(update_id: int) -> None:
        async with gate:
            began = time.perf_counter()
            stored = await inbox.accept([(update_id, {"update_id": update_id, **PAYLOAD})], claim_for=LEASE)
            assert stored == {update_id}
            stores.append(time.perf_counter() - began)
            await inbox.finish(update_id)
            cycles.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(one(start_id + i) for i in range(updates)))
    wall = time.perf_counter() - began
    await engine.dispose()
    cycles.sort()
    stores.sort()
    return {
        "updates": updates,
        "concurrency": concurrency,
        "store_p50_ms": statistics.median(stores) * 1000,
        "store_p95_ms": stores[int(len(stores) * 0.95) - 1] * 1000,
        "p50_ms": statistics.median(cycles) * 1000,
        "p95_ms": cycles[int(len(cycles) * 0.95) - 1] * 1000,
        "updates_per_s": updates / wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="a PostgreSQL URL (postgresql+asyncpg://…) to measure as well")
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        sqlite = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        results["sqlite"] = asyncio.run(run(sqlite, args.updates, args.concurrency))
    if args.pg:
        results["postgresql"] = asyncio.run(run(args.pg, args.updates, args.concurrency))
    for name, figures in results.items():
        print(
            f"{name:10s} {figures['updates']} updates, {figures['concurrency']} at once: stored before the handler "
            f"p50 {figures['store_p50_ms']:.1f} ms, p95 {figures['store_p95_ms']:.1f} ms; whole cycle "
            f"p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms; {figures['updates_per_s']:.0f} updates/s"
        )
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
