"""`python -m bot bench [classifier|retrieval|import|all]`: speed and memory figures (they go to docs/BENCHMARKS.md)."""

from __future__ import annotations

import argparse
import sys

from bot.config import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "bench", help="замеры скорости и памяти: классификатор, поиск по базе знаний, импорт CRM"
    )
    parser.add_argument("what", nargs="?", choices=["classifier", "retrieval", "import", "all"], default="all")
    parser.add_argument("--quick", action="store_true", help="поиск: только 10k фрагментов; импорт: 5 000 клиентов")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    root = settings.project_root
    if args.what in ("classifier", "all"):
        from bot.classifier.cli import run_bench

        run_bench(root, sys.stdout)
    if args.what in ("retrieval", "all"):
        sys.path.insert(0, str(root))  # bench/ lives beside the packages, not inside them
        from bench.retrieval_bench import run_retrieval_bench

        sizes = (10_000,) if args.quick else (10_000, 100_000)
        run_retrieval_bench(root, sys.stdout, sizes=sizes)
    if args.what in ("import", "all"):
        sys.path.insert(0, str(root))
        from bench.import_bench import run_import_bench

        run_import_bench(sys.stdout, 5_000 if args.quick else 50_000)
    return 0
