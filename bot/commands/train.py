"""`python -m bot train`: rebuild the train/dev split if the corpus changed, train the classifier, write the model."""

from __future__ import annotations

import argparse

from bot.config import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("train", help="обучить классификатор типов на корпусе datasets/behaviour")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.classifier.cli import run_train

    run_train(settings.project_root)
    return 0
