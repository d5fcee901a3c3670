"""`python -m bot bench [classifier|retrieval|import|load|all]`: speed, memory and load figures (docs/BENCHMARKS.md)."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.config import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bench", help="замеры: классификатор, поиск по базе знаний, импорт CRM, нагрузка (много менеджеров сразу)"
    )
    parser.add_argument("what", nargs="?", choices=["classifier", "retrieval", "import", "load", "all"], default="all")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="поиск: только 10k фрагментов; импорт: 5 000 клиентов; нагрузка: 20 с ровной нагрузки и 10 с пика",
    )
    parser.add_argument(
        "--backend",
        choices=["sqlite", "postgres", "all"],
        default="all",
        help="нагрузка: на чём хранить данные (postgres — PostgreSQL и Redis)",
    )
    parser.add_argument("--managers", type=int, default=50, help="нагрузка: сколько менеджеров одновременно")
    parser.add_argument("--seconds", type=float, default=60.0, help="нагрузка: длительность ровной нагрузки, с")
    parser.add_argument(
        "--pg-url",
        default="postgresql://postgres@127.0.0.1:5432/test",
        help="нагрузка: сервер PostgreSQL (на нём создаётся и удаляется отдельная база)",
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="нагрузка: сервер Redis")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    root = settings.project_root
    sys.path.insert(0, str(root))  # bench/ lives beside the packages, not inside them
    lost = 0
    if args.what in ("classifier", "all"):
        from bot.classifier.cli import run_bench

        run_bench(root, sys.stdout)
    if args.what in ("retrieval", "all"):
        from bench.retrieval_bench import run_retrieval_bench

        sizes = (10_000,) if args.quick else (10_000, 100_000)
        run_retrieval_bench(root, sys.stdout, sizes=sizes)
    if args.what in ("import", "all"):
        from bench.import_bench import run_import_bench

        run_import_bench(sys.stdout, 5_000 if args.quick else 50_000)
    if args.what in ("load", "all"):
        from bench.load_bench import run_load_bench

        results = asyncio.run(
            run_load_bench(
                sys.stdout,
                backends=("postgres", "sqlite") if args.backend == "all" else (args.backend,),
                managers=args.managers,
                seconds=20.0 if args.quick else args.seconds,
                saturation_seconds=10.0 if args.quick else 30.0,
                pg_url=args.pg_url,
                redis_url=args.redis_url,
            )
        )
        lost = sum(r["lost"] for r in results)
    return 1 if lost else 0  # a lost card is a failure, not a figure
