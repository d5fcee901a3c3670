"""`python -m bot.classifier train|eval|bench|classify [FILE]|split` — the classifier's commands on their own."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.classifier", description="Behaviour-type classifier")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("train", help="rebuild the split if the corpus changed, train, save the model")
    sub.add_parser("eval", help="figures on the dev split")
    sub.add_parser("bench", help="speed, load time and memory")
    sub.add_parser("split", help="rebuild datasets/behaviour/train.jsonl and dev.jsonl from the corpus")
    cl = sub.add_parser("classify", help="JSON lines or plain text lines in, one JSON line out each")
    cl.add_argument("file", nargs="?", help="input file (stdin when omitted)")
    args = parser.parse_args(argv)

    from bot.classifier import cli

    if args.command == "train":
        cli.run_train(PROJECT_ROOT)
    elif args.command == "eval":
        cli.run_eval(PROJECT_ROOT)
    elif args.command == "bench":
        cli.run_bench(PROJECT_ROOT)
    elif args.command == "split":
        from bot.classifier.corpus import write_split

        train, dev, warnings = write_split(PROJECT_ROOT)
        for w in warnings:
            print(f"corpus: {w}", file=sys.stderr)
        print(f"train {len(train)}, dev {len(dev)}")
    else:
        from bot.classifier.engine import OfflineClassifier

        try:
            clf = OfflineClassifier.load(PROJECT_ROOT)
        except FileNotFoundError as exc:
            print(f"error: no trained model ({exc.filename}); run `python -m bot.classifier train`", file=sys.stderr)
            return 2
        if args.file:
            try:
                with open(args.file, encoding="utf-8") as f:
                    cli.run_classify(f, sys.stdout, clf)
            except OSError as exc:
                print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
                return 2
        else:
            cli.run_classify(sys.stdin, sys.stdout, clf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
