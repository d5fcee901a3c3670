"""`python -m bot index`: bring the knowledge index in line with the files (incremental and idempotent).

The bot also does this at start; the command is for admins after editing scripts or articles, and with
`--save-cache` it refreshes the shipped passage vectors (models/embeddings/) so fresh installs start fast.
"""

from __future__ import annotations

import argparse

from bot.config import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("index", help="обновить индекс сценариев и базы знаний (только изменённое)")
    parser.add_argument("--save-cache", action="store_true", help="сохранить векторы в models/embeddings (для git)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.services.knowledge.stack import RetrievalStack

    stack = RetrievalStack.open(
        settings.project_root,
        chroma_path=None if settings.chroma_url else settings.resolved_chroma_path,
        chroma_url=settings.chroma_url,
    )
    print(f"Индекс: {stack.last_report.summary_ru()}")
    if args.save_cache:
        saved = stack.save_embedding_cache()
        print(f"Кэш векторов сохранён: {saved} фрагментов")
    return 0
