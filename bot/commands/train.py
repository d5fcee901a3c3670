"""`python -m bot train`: rebuild the train/dev split if the corpus changed, train the classifier, write the model."""

from __future__ import annotations

import argparse
import sys

from bot.config import Settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("train", help="обучить классификатор типов на корпусе datasets/behaviour")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.classifier.cli import run_train

    try:
        run_train(settings.project_root)
    except ImportError as exc:  # scikit-learn and scipy are a training-only extra
        if exc.name not in TRAINING_PACKAGES:
            raise
        print(
            "Для обучения нужны пакеты из дополнительного набора train: выполните "
            "`.venv/bin/pip install -e '.[train]'` (./dev test ставит их сам) и повторите команду.",
            file=sys.stderr,
        )
        return 2
    return 0


TRAINING_PACKAGES = {"sklearn", "scipy"}
