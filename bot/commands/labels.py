"""`python -m bot labels export|eval`: supervisors' type corrections as classifier training and evaluation data."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bot.app import App
from bot.cli import CommandError
from bot.commands._runtime import print_json, with_app
from bot.config import Settings
from bot.services.common.access import LOCAL_OPERATOR_ID
from bot.services.review import labels


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("labels", help="метки руководителей: выгрузка в корпус классификатора и оценка")
    sub = parser.add_subparsers(dest="labels_command", metavar="ACTION", required=True)
    export = sub.add_parser("export", help="выгрузить исправления типов в формате корпуса (JSON lines)")
    export.add_argument(
        "--out", type=Path, default=None, help=f"куда писать (по умолчанию {labels.EXPORT_PATH} в проекте)"
    )
    export.set_defaults(func=run_export)
    evaluate = sub.add_parser("eval", help="точность текущего классификатора на исправлениях руководителей")
    evaluate.add_argument("--json", action="store_true", help="одна строка JSON вместо отчёта")
    evaluate.set_defaults(func=run_eval)


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    out: Path = args.out if args.out is not None else settings.project_root / labels.EXPORT_PATH
    if out.exists() and out.is_dir():
        raise CommandError(f"{out} — это папка; укажите путь к файлу, например {out / 'corrections.jsonl'}")

    async def work(app: App) -> labels.ExportReport:
        async with app.uow() as uow:
            report = await labels.export(uow, out)
            await uow.audit.record(
                "labels_exported", actor_id=LOCAL_OPERATOR_ID, object_ref=str(out)[-80:], details={"n": report.written}
            )
            return report

    try:
        report = with_app(settings, work)
    except OSError as exc:
        raise CommandError(f"не удалось записать {out}: {exc.strerror or exc}") from exc
    print(f"Выгружено меток: {report.written} → {report.path}")
    if report.superseded:
        print(f"Заменено более поздними исправлениями того же текста: {report.superseded}")
    if report.written and report.path.name.startswith("corpus_"):
        print("Переобучите классификатор, чтобы он учёл метки: python -m bot.classifier train")
    return 0


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    async def work(app: App) -> labels.LabelEval:
        try:
            classifier = await app.classifier()
        except FileNotFoundError as exc:
            raise CommandError("классификатор не обучен — запустите python -m bot.classifier train") from exc
        async with app.uow() as uow:
            return await labels.evaluate(uow, classifier)

    result = with_app(settings, work)
    if args.json:
        print_json({"n": result.n, "accuracy_now": result.accuracy_now, "accuracy_then": result.accuracy_then,
                    "macro_f1": result.metrics.get("macro_f1"), "still_wrong": len(result.still_wrong)})  # fmt: skip
        return 0
    if result.n == 0:
        print("Исправлений типа пока нет — оценивать не на чем.")
        return 0
    from bot.classifier.metrics import format_report

    print(format_report(result.metrics, "supervisor corrections"))
    print(f"\nМеток руководителей: {result.n}. Бот был прав в момент предложения: {result.accuracy_then:.1%}.")
    print(f"Текущая модель согласна с руководителями: {result.accuracy_now:.1%}.")
    for text, label, pred in result.still_wrong[:10]:
        print(f"  ✗ {label} ≠ {pred}: {json.dumps(text[:100], ensure_ascii=False)}")
    return 0
