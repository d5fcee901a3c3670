"""Why tasks run late: overdue reasons grouped into causes, per department and per colleague.

Reasons are free text («заявка пришла после 15:00, машина уже ушла»). Each is reduced to its content lemmas, and a
reason joins the cause it shares most of its lemmas with (overlap of at least half of the smaller set), so «не
указан адрес разгрузки» and «не указаны адрес разгрузки и окно приёмки» are one cause. The top causes shape the next
brief to that department (what the requester prepares) and are shown to supervisors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.nlp.text import tokenize
from storage.uow import UnitOfWork

_STOP = frozenset({
    "не", "и", "в", "на", "с", "по", "от", "до", "за", "у", "к", "о", "об", "для", "из", "при", "что", "как", "это",
    "был", "быть", "весь", "уже", "ещё", "еще", "так", "же", "бы", "ли", "то",
})  # fmt: skip
_CONTENT_POS = frozenset({"NOUN", "VERB", "INFN", "ADJF", "ADJS", "PRTF", "PRTS", None})
SIMILARITY = 0.5


@dataclass
class Cause:
    label: str  # the shortest way the cause was put
    count: int = 0
    lemmas: frozenset[str] = frozenset()
    examples: list[str] = field(default_factory=list)
    task_ids: list[str] = field(default_factory=list)
    topic: frozenset[str] = frozenset()  # lemmas of the late tasks' titles: what kind of work it was


@dataclass
class OverdueOverview:
    by_department: dict[str, list[Cause]]
    by_colleague: dict[str, list[Cause]]
    colleague_names: dict[str, str]
    total: int


def reason_lemmas(text: str) -> frozenset[str]:
    found = set()
    for token in tokenize(text):
        if token.text.replace(":", "").isdigit():
            found.add(token.text)
        elif token.is_word and token.lemma not in _STOP and token.pos in _CONTENT_POS and len(token.lemma) > 2:
            found.add(token.lemma)
    return frozenset(found)


def cluster(reasons: list[tuple[str, str]], titles: dict[str, str] | None = None) -> list[Cause]:
    """(task id, reason) pairs → causes, the most frequent first."""
    causes: list[Cause] = []
    for task_id, raw in reasons:
        text = re.sub(r"\s+", " ", raw).strip().rstrip(".")
        if not text:
            continue
        words = reason_lemmas(text)
        best, best_sim = None, 0.0
        for cause in causes:
            shared = len(words & cause.lemmas)
            smaller = min(len(words), len(cause.lemmas)) or 1
            sim = shared / smaller
            if sim > best_sim:
                best, best_sim = cause, sim
        if best is None or best_sim < SIMILARITY:
            best = Cause(label=text, lemmas=words)
            causes.append(best)
        best.count += 1
        best.examples.append(text)
        best.task_ids.append(task_id)
        best.lemmas = best.lemmas | words
        best.topic = best.topic | reason_lemmas((titles or {}).get(task_id, ""))
        if len(text) < len(best.label):
            best.label = text
    causes.sort(key=lambda c: (-c.count, c.label))
    return causes


async def _reasons(
    uow: UnitOfWork,
) -> tuple[list[tuple[str, str, str | None]], dict[str, tuple[str, str]], dict[str, str]]:
    """(task id, reason, assignee id) of every overdue task, colleague id → (name, department), task titles."""
    colleagues = {c.id: (c.name, c.department) for c in await uow.colleagues.all(active_only=False)}
    tasks = await uow.tasks.overdue_history()
    rows = [(t.id, t.overdue_reason or "", t.assignee_id) for t in tasks]
    return rows, colleagues, {t.id: t.title for t in tasks}


async def top_causes(
    uow: UnitOfWork,
    *,
    department: str | None = None,
    colleague_id: str | None = None,
    about: str = "",
    limit: int = 3,
) -> list[Cause]:
    """Causes for a new task: the colleague's and the department's, those about similar work first.

    A cause unrelated to the new task («страховая не ответила» for a contract review) is kept only when it keeps
    coming back (twice or more) — then it is a habit of the department's work, not an accident of one task.
    """
    rows, colleagues, titles = await _reasons(uow)
    mine = cluster([(t, r) for t, r, a in rows if colleague_id and a == colleague_id], titles)
    dept = cluster(
        [(t, r) for t, r, a in rows if department and a in colleagues and colleagues[a][1] == department], titles
    )
    merged = list(mine)
    for cause in dept:
        if not any(_similar(cause, c) for c in merged):
            merged.append(cause)
    topic = reason_lemmas(about)

    def related(cause: Cause) -> bool:
        return bool(topic & (cause.lemmas | cause.topic))

    own = {id(c) for c in mine}
    kept = [c for c in merged if related(c) or c.count >= 2]
    kept.sort(key=lambda c: (not related(c), id(c) not in own, -c.count))
    return kept[:limit]


def _similar(a: Cause, b: Cause) -> bool:
    return len(a.lemmas & b.lemmas) / (min(len(a.lemmas), len(b.lemmas)) or 1) >= SIMILARITY


async def overview(uow: UnitOfWork, limit: int = 3) -> OverdueOverview:
    rows, colleagues, titles = await _reasons(uow)
    by_department: dict[str, list[tuple[str, str]]] = {}
    by_colleague: dict[str, list[tuple[str, str]]] = {}
    for task_id, reason, assignee in rows:
        if assignee is None or assignee not in colleagues:
            continue
        by_department.setdefault(colleagues[assignee][1], []).append((task_id, reason))
        by_colleague.setdefault(assignee, []).append((task_id, reason))
    return OverdueOverview(
        by_department={
            d: cluster(r, titles)[:limit] for d, r in sorted(by_department.items(), key=lambda kv: -len(kv[1]))
        },
        by_colleague={
            c: cluster(r, titles)[:limit] for c, r in sorted(by_colleague.items(), key=lambda kv: -len(kv[1]))
        },
        colleague_names={c: name for c, (name, _) in colleagues.items()},
        total=len(rows),
    )
