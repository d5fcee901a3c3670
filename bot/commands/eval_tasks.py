"""`python -m bot eval-tasks`: the task engine on datasets/task_requests.jsonl — the share of briefs that are complete
(every must-have fact) and clean (no must-not), extraction accuracy, and every failure.

It runs on a temporary database with the demo company loaded, so the user's data is neither used nor touched."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from bot.app import App
from bot.cli import CommandError
from bot.commands._runtime import print_json, with_app
from bot.config import Settings
from bot.services.crm.importing import import_file
from bot.services.tasks.blind_eval import BlindResult, markdown, read_half, run_items, seed_colleagues, summary
from bot.services.tasks.evaluation import DATASET, EvalReport, evaluate, load_items

DEMO_FILE = Path("datasets") / "demo_company.json"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("eval-tasks", help="оценка задач коллегам: доля полных и вежливых текстов")
    parser.add_argument("--file", type=Path, help=f"набор запросов (по умолчанию {DATASET})")
    parser.add_argument("--min-share", type=float, help="код выхода 1, если доля ниже (для CI)")
    parser.add_argument("--show", action="store_true", help="показать тексты непрошедших задач")
    parser.add_argument("--json", action="store_true", help="вывести JSON")
    parser.add_argument("--blind", type=Path, metavar="DIR", help="слепой набор (datasets/tasks_blind): по авторам")
    parser.add_argument("--half", choices=["tune", "report"], default="tune", help="половина слепого набора")
    parser.add_argument("--out", type=Path, metavar="FILE", help="куда записать JSONL (и рядом .md) для чтения")
    parser.set_defaults(func=run)


def _print(report: EvalReport, show: bool) -> None:
    data = report.as_dict()
    acc = data["accuracy"]
    print(
        f"Запросов: {data['items']}. Полных и чистых текстов: {data['complete_and_clean']} из {data['items']} "
        f"(доля {data['share']:.2f})."
    )
    print(
        f"Точность: исполнитель {acc['assignee']:.2f}, отдел {acc['department']:.2f}, срок {acc['deadline']:.2f}, "
        f"клиент {acc['client']:.2f}."
    )
    for item in report.items:
        if item.complete_and_clean and not item.wrong:
            continue
        problems = []
        if item.missing:
            problems.append("нет фактов: " + ", ".join(item.missing))
        if item.present:
            problems.append("недопустимое: " + ", ".join(item.present))
        problems += [f"{k}: ожидалось {v[0]}, получено {v[1]}" for k, v in item.wrong.items()]
        print(f"  {item.id}: " + "; ".join(problems))
        if show:
            print("    " + item.text.replace("\n", "\n    "))


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.blind:
        return _run_blind(args, settings)
    path = args.file or settings.project_root / DATASET
    if not path.exists():
        raise CommandError(f"файл не найден: {path}")
    try:
        items = load_items(path)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    with tempfile.TemporaryDirectory(prefix="eval-tasks-") as tmp:
        isolated = settings.model_copy(update={"data_dir": Path(tmp), "database_url": None})

        async def work(app: App) -> EvalReport:
            await import_file(app.uow, settings.project_root / DEMO_FILE)
            return await evaluate(app.uow, app.clock, app.services.task_drafter, items)

        report = with_app(isolated, work)
    if args.json:
        print_json({"text": f"доля полных и чистых: {report.share:.2f}", **report.as_dict()})
    else:
        _print(report, args.show)
    return 1 if args.min_share is not None and report.share < args.min_share else 0


def _run_blind(args: argparse.Namespace, settings: Settings) -> int:
    """Each writer's directory in a fresh database; one half only; the texts for a blind reader in --out."""
    folder = args.blind if args.blind.is_absolute() else settings.project_root / args.blind
    if not folder.is_dir():
        raise CommandError(f"папка набора не найдена: {folder}")
    results: list[BlindResult] = []
    for writer, items in read_half(folder, args.half).items():
        with tempfile.TemporaryDirectory(prefix="eval-tasks-blind-") as tmp:
            isolated = settings.model_copy(update={"data_dir": Path(tmp), "database_url": None})
            directory_file = folder / f"{writer}_directory.json"
            colleagues = json.loads(directory_file.read_text(encoding="utf-8"))["colleagues"]

            async def work(
                app: App, items: list[dict[str, Any]] = items, colleagues: list[dict[str, Any]] = colleagues
            ) -> list[BlindResult]:
                await seed_colleagues(app.uow, colleagues)
                return await run_items(app.uow, app.services.task_drafter, app.clock.tz, items, colleagues)

            results += with_app(isolated, work)
    totals = summary(results)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("".join(json.dumps(r.as_dict(), ensure_ascii=False) + "\n" for r in results), "utf-8")
        args.out.with_suffix(".md").write_text(markdown(results, args.half), encoding="utf-8")
    if args.json:
        print_json({"text": f"must-contain: {totals['must_contain']:.2f}", **totals})
    else:
        print(json.dumps(totals, ensure_ascii=False, indent=1))
    return 0
