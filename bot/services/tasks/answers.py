"""Filling in a task from what the person says explicitly: an answer to the dialogue's question («Беловой», «до
пятницы», «акт сверки»), or the `--to`, `--deadline` and `--client` options of `python -m bot task`."""

from __future__ import annotations

import re
from datetime import date

from bot.nlp.dates import DEADLINE, DateMatch, parse_date
from bot.nlp.names import find_departments
from bot.services.tasks import clauses as tc
from bot.services.tasks import tone
from bot.services.tasks.addressing import match_department
from bot.services.tasks.directory import Directory
from bot.services.tasks.extraction import Extraction, ExtractionError, Finisher, pick_main


def apply_answer(extraction: Extraction, field_name: str, answer: str, directory: Directory, today: date) -> str | None:
    """Fill one missing field from the person's answer; returns a problem to show, or None when it fitted."""
    answer = answer.strip()
    if field_name == "assignee":
        ids, department = resolve_assignee(answer, directory)
        if len(ids) == 1:
            extraction.assignee_id, extraction.candidates = ids[0], []
            extraction.department = directory.colleagues[ids[0]].department
            return None
        if len(ids) > 1:
            extraction.candidates = ids
            return "ambiguous"
        if department:
            extraction.department, extraction.assignee_id = department, None
            return None
        return "unknown"
    if field_name == "deadline":
        if re.fullmatch(r"(?:без срока|не горит|не срочно|нет|-)", answer, re.I):
            extraction.no_deadline = True
            return None
        match = parse_date(answer, today)
        if match is None:
            return "unknown"
        if match.date < today:
            return "past"
        extraction.set_deadline(match)
        return None
    if field_name == "action":
        return _clarify(extraction, answer, directory, today)
    finish = Finisher(answer, [], extraction.client_id is not None)
    clauses = tc.analyse(tc.split(answer))
    main = pick_main(clauses, None)
    extraction.deliverable = finish(main.text) if main else finish(tone.remove_weak(answer)) or None
    return None if extraction.deliverable else "unknown"


def resolve_assignee(query: str, directory: Directory) -> tuple[list[str], str | None]:
    """Colleague ids a name stands for, or a department («логистика») when it names one."""
    q = query.strip().lstrip("@")
    by_username = [c.id for c in directory.colleagues.values() if (c.telegram_username or "").lower() == q.lower()]
    if by_username:
        return by_username, None
    people = directory.people.lookup(query)
    if people:
        return [p.key for p in people], None
    named = match_department(query, {c.department for c in directory.colleagues.values()})
    if named is not None:  # the directory's own name («ОТК» → «Служба качества (ОТК)»)
        return [], named
    depts = find_departments(query)
    return [], depts[0].department if depts else None


def resolve_client(query: str, directory: Directory) -> list[str]:
    q = query.strip()
    if q in directory.clients:
        return [q]
    found = directory.orgs.lookup(q) or directory.orgs.lookup(q[:1].upper() + q[1:])
    return found or directory.fuzzy_client(q)


def resolve_deadline(query: str, today: date) -> DateMatch:
    match = parse_date(query, today)
    if match is None:
        raise ExtractionError(
            f"не понял срок «{query}»: укажите дату, например 2026-11-27, 27.11 или «до пятницы 12:00»"
        )
    if match.date < today:
        raise ExtractionError(f"срок «{query}» уже прошёл ({match.date.isoformat()})")
    return DateMatch(match.date, match.start, match.end, match.text, DEADLINE, match.time, match.part_of_day)


def _clarify(extraction: Extraction, answer: str, directory: Directory, today: date) -> str | None:
    """The answer to «what exactly?»: read like a request of its own; its action, date and details fill the task,
    and the vague question is not asked again."""
    from bot.services.tasks.extraction import extract

    said = extract(answer, directory, today)
    if not said.deliverable:
        return "unknown"
    extraction.deliverable, extraction.clarified = said.deliverable, True
    extraction.details = [*extraction.details, *said.details]
    extraction.also = [*extraction.also, *said.also]
    extraction.impact = [*extraction.impact, *said.impact]
    if said.deadline and extraction.deadline is None:
        extraction.deadline, extraction.deadline_time = said.deadline, said.deadline_time
        extraction.deadline_part, extraction.deadline_text = said.deadline_part, said.deadline_text
    extraction.request = f"{extraction.request}\n{answer}"
    return None
