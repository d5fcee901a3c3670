"""A department addressed without a named person («ОТК, …», «Безопасникам: …», «АХО, …»), matched against the
directory's own free-text department names, so the brief says «коллеги из службы качества (ОТК)» and never another
department's name. Only for addressing: department commitments still need an exact department (issue 16).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_GENERIC = frozenset({"служба", "отдел", "цех", "группа", "управление", "департамент", "сектор", "коллеги"})
_ABBREVIATION = re.compile(r"\(([A-ZА-ЯЁ]{2,6})\)")
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:-[A-Za-zА-Яа-яЁё]+)*")
# «ОТК, …», «Безопасникам: …», «колл-центр!!! …»: a short address before the first comma, colon or «!».
_HEAD = re.compile(r"^\s*([^,:;!?.—–]{2,40}?)\s*(?:[,:;!?.]|\s[—–-]\s)")


def _initials(name: str) -> str:
    words = [w for w in re.split(r"[\s-]+", re.sub(r"\(.*?\)", "", name)) if w[:1].isalpha()]
    return "".join(w[0] for w in words).upper()


def _abbreviation_fits(said: str, name: str) -> bool:
    """«ОТК» for «Служба качества (ОТК)»; «АХО» for «Административно-хозяйственная служба» (отдел ≈ служба)."""
    if said in _ABBREVIATION.findall(name):
        return True
    initials = _initials(name)
    last = name.split()[-1].lower() if name.split() else ""
    return initials == said or (last in _GENERIC and len(said) >= 3 and initials[:-1] == said[:-1])


def _stem_fits(word: str, name_word: str) -> bool:
    word, name_word = word.lower().replace("ё", "е"), name_word.lower().replace("ё", "е")
    if word == name_word:
        return True
    common = 0
    for a, b in zip(word, name_word, strict=False):
        if a != b:
            break
        common += 1
    return common >= min(6, len(word), len(name_word)) and common >= 5


def match_department(said: str, departments: Iterable[str]) -> str | None:
    """The one directory department the words name, or None when none or several fit equally."""
    said = said.strip(" ,:;!?.—-«»")
    names = sorted(set(departments))
    if not said or not names:
        return None
    for name in names:
        if name.lower() == said.lower():
            return name
    if said.isupper() and 2 <= len(said) <= 6:
        fitting = [n for n in names if _abbreviation_fits(said, n)]
        return fitting[0] if len(fitting) == 1 else None
    for slang, pattern in _COLLOQUIAL:
        if slang.search(said):
            # «айтишникам», «кадровикам», «снабженцам»: the people named after their department
            fitting = [n for n in names if pattern.search(n)]
            if len(fitting) == 1:
                return fitting[0]
    words = [w for w in _WORD.findall(said) if len(w) >= 4 and w.lower() not in _GENERIC]
    if not words:
        return None
    scored = []
    for name in names:
        name_words = [w for w in _WORD.findall(name) if w.lower() not in _GENERIC]
        hits = sum(1 for w in words if any(_stem_fits(w, n) for n in name_words))
        if hits:
            scored.append((hits, -len(name), name))
    if not scored:
        return None
    scored.sort(reverse=True)
    if len(scored) > 1 and scored[0][:2] == scored[1][:2]:
        return None
    return scored[0][2]


_COLLOQUIAL = tuple(
    (re.compile(rf"(?<![\w-])(?:{said})", re.I), re.compile(rf"(?<![\w-])(?:{dept})", re.I))
    for said, dept in (
        (r"айтишник\w*|айти(?![\w-])|ИТ-шник\w*", r"IT|ИТ|информационн\w*|техподдержк\w*"),
        (r"кадровик\w*|кадры|кадрах", r"кадр\w*|персонал\w*|HR"),
        (r"снабженц\w*", r"снабжен\w*|закуп\w*"),
        (r"бухгалтерш\w*|бухи(?![\w-])", r"бухгалтер\w*"),
        (r"маркетолог\w*", r"маркетинг\w*"),
        (r"юрист\w*", r"юрид\w*|юротдел|правов\w*"),
        (r"логист\w*", r"логистик\w*"),
        (r"сметчик\w*", r"смет\w*"),
    )
)


def addressed_department(text: str, departments: Iterable[str]) -> str | None:
    """The department a request opens with («ОТК, сколько можно ждать?» → «Служба качества (ОТК)»)."""
    head = _HEAD.match(text)
    if not head or len(head.group(1).split()) > 3:
        return None
    return match_department(head.group(1), departments)


def from_department(name: str) -> str:
    """«Служба качества (ОТК)» → «из службы качества (ОТК)», «Колл-центр» → «из колл-центра»."""
    from bot.services.tasks.clauses import inflect_head  # the clause module imports nothing from here

    said, declined = name.split(), inflect_head(name, "gent", "nomn", strict=True).split()
    if len(said) == len(declined):
        for i, (before, after) in enumerate(zip(said, declined, strict=True)):
            if "-" in before and before.rpartition("-")[0] != after.rpartition("-")[0]:
                declined[i] = f"{before.rpartition('-')[0]}-{after.rpartition('-')[2]}"  # «Колл-», «ИТ-» stay
    text = " ".join(declined) if len(said) == len(declined) else name
    first = text.split()[0] if text.split() else ""
    if first[:1].isupper() and not first[:2].isupper() and re.match(r"[А-ЯЁ]", first):
        text = text[:1].lower() + text[1:]
    head = name.split()[0].lower() if name.split() else ""
    if head in _FROM_A_PLACE:  # «коллеги со склада», «с производства», not «из склада»
        return ("со " if re.match(r"[сзшж][^аеёиоуыэюя]", text, re.I) else "с ") + text
    return "из " + text


# Places one comes «с», not «из»: a workplace named by the site rather than by a unit.
_FROM_A_PLACE = frozenset({"склад", "производство", "кухня", "ресепшн", "ресепшен", "завод", "площадка", "стройка"})
