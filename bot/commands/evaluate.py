"""`python -m bot eval [classifier|retrieval|all]`: quality figures on the held-out data."""

from __future__ import annotations

import argparse
import sys

from bot.config import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "eval", help="оценка качества: классификатор (macro-F1, матрица ошибок) и поиск (recall@k, MRR)"
    )
    parser.add_argument("what", nargs="?", choices=["classifier", "retrieval", "all"], default="classifier")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    root = settings.project_root
    if args.what in ("classifier", "all"):
        from bot.classifier.cli import run_eval

        run_eval(root, sys.stdout)
    if args.what in ("retrieval", "all"):
        from bot.services.knowledge.evaluation import run_retrieval_eval

        chroma = None if settings.chroma_url else settings.resolved_chroma_path
        run_retrieval_eval(root, sys.stdout, chroma_path=chroma)
    return 0
