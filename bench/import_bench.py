"""Import benchmark: a generated company of N clients, each with its deals and interactions, imported from JSON and
from a .zip of CSV files into a fresh SQLite database (and PostgreSQL when DATABASE_URL points to one).

    python -m bot bench import                 # 50,000 clients (the target: ≤ 60 s, memory flat)
    python bench/import_bench.py --clients 5000

Each client gets 2 deals, 5 interactions, and every fifth a promise and an incident; 200 colleagues with 2 tasks
each. The file is written as a stream, so the peak memory printed (ru_maxrss) is the import's own. Figures go to
docs/BENCHMARKS.md; the machine's 2 cores are shared with other developers, so a run varies by ±20 %.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import resource
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

DEALS_PER_CLIENT, INTERACTIONS_PER_CLIENT, COLLEAGUES = 2, 5, 200
PHRASES = [
    "Добрый день! Когда будет отгрузка по заказу?",
    "Пришлите, пожалуйста, счёт и закрывающие документы.",
    "Нас не устраивает срок поставки, можно быстрее?",
    "Спасибо, всё получили, качество отличное.",
    "Подскажите, есть ли скидка при заказе от 100 штук?",
]


def generate(n_clients: int, seed: int = 16) -> Iterator[tuple[str, dict[str, Any]]]:
    """(entity, record) for the whole company, in file order, without holding it in memory."""
    rnd = random.Random(seed)
    for i in range(n_clients):
        yield (
            "clients",
            {
                "id": f"c{i}",
                "name": f"ООО «Клиент {i}»",
                "company": f"Клиент {i}",
                "contacts": [{"name": f"Контакт {i}", "phone": f"+7 900 {i:07d}", "email": f"c{i}@example.ru"}],
            },
        )
    for i in range(n_clients):
        for d in range(DEALS_PER_CLIENT):
            amount = f"{rnd.randint(10, 5000) * 1000:,}".replace(",", " ") + ",00 ₽"
            yield (
                "deals",
                {
                    "id": f"d{i}-{d}",
                    "client_id": f"c{i}",
                    "title": f"Поставка №{d + 1}",
                    "amount": amount,
                    "status": rnd.choice(["open", "won", "lost"]),
                    "created": f"2026-{rnd.randint(1, 10):02d}-{rnd.randint(1, 28):02d}",
                },
            )
    for i in range(n_clients):
        for k in range(INTERACTIONS_PER_CLIENT):
            yield (
                "interactions",
                {
                    "client_id": f"c{i}",
                    "at": f"2026-{rnd.randint(1, 11):02d}-{rnd.randint(1, 28):02d}T{9 + k:02d}:{k * 7:02d}",
                    "channel": "telegram",
                    "direction": "in" if k % 2 == 0 else "out",
                    "author": f"Контакт {i}",
                    "text": f"{rnd.choice(PHRASES)} (№{i}-{k})",
                },
            )
    for i in range(0, n_clients, 5):
        yield "promises", {"client_id": f"c{i}", "text": "Подтвердить дату отгрузки", "due": "2026-11-24"}
        yield "incidents", {"client_id": f"c{i}", "at": "2026-10-15", "kind": "delay", "text": f"Задержка №{i}"}
    for j in range(COLLEAGUES):
        yield "colleagues", {"id": f"e{j}", "name": f"Сотрудник {j}", "department": "Отдел логистики"}
    for j in range(COLLEAGUES * 2):
        yield (
            "tasks",
            {
                "id": f"t{j}",
                "assignee_id": f"e{j % COLLEAGUES}",
                "title": "Подтвердить отгрузку",
                "deadline": "2026-11-03",
                "done": "2026-11-02" if j % 3 == 0 else False,
            },
        )


def write_json(path: Path, n_clients: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("{")
        current = None
        for entity, record in generate(n_clients):
            if entity != current:
                out.write(("]," if current else "") + f'"{entity}":[')
                current, first = entity, True
            out.write(("" if first else ",") + json.dumps(record, ensure_ascii=False))
            first = False
        out.write("]}")


def write_csv_zip(path: Path, n_clients: int) -> None:
    """The same company as CSV files in a .zip: Windows-1251 with `;` (as Excel on Russian Windows writes)."""
    writers: dict[str, tuple[IO[str], Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for entity, record in generate(n_clients):
            if entity == "deals":  # Windows-1251 has no ₽: such files write «руб.»
                record["amount"] = record["amount"].replace("₽", "руб.")
            if entity == "clients":
                contact = record.pop("contacts")[0]
                record |= {"contact_name": contact["name"], "phone": contact["phone"], "email": contact["email"]}
            if entity not in writers:
                stream = (Path(tmp) / f"{entity}.csv").open("w", encoding="cp1251", errors="replace", newline="")
                writer = csv.DictWriter(stream, fieldnames=list(record), delimiter=";", extrasaction="ignore")
                writer.writeheader()
                writers[entity] = (stream, writer)
            writers[entity][1].writerow(record)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for entity, (written, _) in writers.items():
                written.close()
                archive.write(Path(tmp) / f"{entity}.csv", f"{entity}.csv")


async def _import(url: str, file: Path, dry_run: bool = False) -> tuple[float, float, str]:
    from storage.db import apply_migrations, create_engine, create_session_factory
    from storage.import_sources.open import open_source
    from storage.importer import ImportOptions, import_source
    from storage.uow import UnitOfWorkFactory

    engine = create_engine(url)
    await apply_migrations(engine)
    uow_factory = UnitOfWorkFactory(create_session_factory(engine))
    started, cpu = time.perf_counter(), time.process_time()
    async with uow_factory() as uow:
        report = await import_source(uow.session, open_source(file), ImportOptions(dry_run=dry_run))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    await engine.dispose()
    return elapsed, cpu, report.summary()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_import_bench(out: IO[str], n_clients: int = 50_000, formats: tuple[str, ...] = ("json", "csv-zip")) -> None:
    out.write(f"нагрузка машины (load average за 1/5/15 мин): {', '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    for fmt in formats:
        with tempfile.TemporaryDirectory() as tmp:
            file = Path(tmp) / ("company.json" if fmt == "json" else "company.zip")
            started = time.perf_counter()
            (write_json if fmt == "json" else write_csv_zip)(file, n_clients)
            size = file.stat().st_size / 1e6
            made = time.perf_counter() - started
            out.write(f"import/{fmt}: {n_clients} клиентов, файл {size:.0f} МБ (создан за {made:.0f} с)\n")
            url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
            before = _peak_mb()
            first, cpu, summary = asyncio.run(_import(url, file))
            out.write(f"  первая загрузка (SQLite): {first:.1f} с (процессорное время {cpu:.1f} с); {summary}\n")
            again, cpu, summary = asyncio.run(_import(url, file))
            out.write(f"  повторная (всё без изменений): {again:.1f} с (процессорное время {cpu:.1f} с)\n")
            out.write(f"  пик памяти процесса: {_peak_mb():.0f} МБ (до загрузки {before:.0f} МБ)\n")
            out.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--formats", default="json,csv-zip")
    args = parser.parse_args(argv)
    run_import_bench(sys.stdout, args.clients, tuple(args.formats.split(",")))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
