"""Too vague to draft: «Диме передай, пусть посмотрит, что там с машиной на Казань» names no action a colleague could
finish, so the bot asks the requester one question instead of drafting noise. The cues are data an admin extends
(knowledge/lexicons/vague.yaml): a marker phrase in a short request without figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlp.names import DEPARTMENT_NAMES_RU, find_departments
from bot.nlp.text import tokenize
from bot.services.tasks import tone
from bot.services.tasks.addressing import from_department, match_department
from bot.services.tasks.directory import Directory
from bot.services.tasks.extraction import Extraction

VAGUE_FILE = Path(__file__).resolve().parents[3] / "knowledge" / "lexicons" / "vague.yaml"


@dataclass(frozen=True, slots=True)
class VagueCues:
    markers: re.Pattern[str]
    max_words: int


@lru_cache(maxsize=4)
def load_cues(path: Path = VAGUE_FILE) -> VagueCues:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    markers = [str(m) for m in (data or {}).get("markers", [])] or [r"(?!)"]
    joined = "|".join(f"(?:{m})" for m in markers)
    return VagueCues(re.compile(rf"(?<![\w-])(?:{joined})", re.I), int((data or {}).get("max_words", 16)))


def is_vague(e: Extraction, cues: VagueCues | None = None) -> bool:
    cues = cues or load_cues()
    words = [t for t in tokenize(e.request) if t.is_word]
    short_without_figures = len(words) <= cues.max_words and not re.search(r"\d", e.request)
    return short_without_figures and (not e.deliverable or bool(cues.markers.search(e.request)))


def _not_the_topic(e: Extraction, directory: Directory) -> list[tuple[int, int]]:
    """Spans that say whom, not what: colleagues' names and the department addressed («кто-нибудь из кадров»)."""
    spans = [(p.start, p.end) for p in directory.people.find(e.request)]
    spans += [(d.start, d.end) for d in find_departments(e.request)]
    departments = {c.department for c in directory.colleagues.values()}
    for token in tokenize(e.request):
        if token.is_word and len(token.text) >= 4 and match_department(token.text, departments):
            spans.append((token.start, token.stop))  # «кадров» for «Отдел кадров»
    return spans


_WHEN_PHRASE = re.compile(r"(?:в|на)\s+(?:прошл|следующ|этот|тот|друг|очередн)\w*\s+раз", re.I)
# Words that name no subject: «опять вопросы», «там проблемы».
_NOT_A_TOPIC = frozenset({"что-то", "что", "всё", "ничего", "вопрос", "проблема", "дело", "тема", "история", "раз"})


def _topic(e: Extraction, directory: Directory) -> str:
    """The nouns the request is about («машиной на Казань», «Ромашки»), without colleagues' names or emotion."""
    skip = _not_the_topic(e, directory)
    kept = []
    for token in tokenize(e.request):
        if not token.is_word or any(s <= token.start < end for s, end in skip):
            continue
        if tone.is_strong(token.text) or tone.WEAK.fullmatch(token.text):
            continue
        if token.pos in ("NOUN", None) and token.lemma not in _NOT_A_TOPIC:
            kept.append(token.text)
    return " ".join(kept)


def _about(e: Extraction, directory: Directory) -> str:
    """The request's own words for what it is about, with their preposition: «с машиной на Казань», «у Ромашки»,
    «по санкциям». Empty when the request names nothing."""
    skip = _not_the_topic(e, directory)
    tokens = tokenize(e.request)
    for i, token in enumerate(tokens):
        if token.pos != "PREP" or any(s <= token.start < end for s, end in skip):
            continue
        following_word = next((t for t in tokens[i + 1 :] if t.is_word), None)
        if following_word is not None and any(s <= following_word.start < end for s, end in skip):
            continue  # «из кадров»: the address
        if _WHEN_PHRASE.match(e.request[token.start :]):
            continue  # «как в прошлый раз»: when, not what
        kept = [token]
        for following in tokens[i + 1 :]:
            if not following.is_word or following.pos in ("VERB", "INFN", "PRTS", "CONJ", "PRCL", "ADVB", "NPRO"):
                break
            if any(s <= following.start < end for s, end in skip) or tone.is_strong(following.text):
                break
            kept.append(following)
            if len(kept) >= 6:
                break
        while kept and kept[-1].pos == "PREP":
            kept.pop()  # «с графиком смен у кухни на [следующей неделе]»: the date went to the deadline
        if len(kept) >= 2 and any(t.pos in ("NOUN", None) for t in kept[1:]):
            before = tokens[i - 1] if i > 0 else None
            if before is not None and before.is_word and before.pos == "NOUN":
                return f"(в запросе: «{e.request[before.start : kept[-1].stop]}»)"  # «чертёж от клиента»
            return e.request[kept[0].start : kept[-1].stop]
    return ""


def vague_question(e: Extraction, directory: Directory) -> str | None:
    """One question back to the requester, or None when a brief can be drafted."""
    if not is_vague(e):
        return None
    assignee = directory.colleagues.get(e.assignee_id or "")
    if assignee:
        whom = f" (исполнитель — {assignee.name})"
    elif e.department:
        whom = f" (исполнители — коллеги {from_department(DEPARTMENT_NAMES_RU.get(e.department, e.department))})"
    else:
        whom = ""
    about = tone.remove_weak(_about(e, directory)).strip(" ,")  # «по договору плиз» → «по договору»
    if about:
        what = f"что именно нужно сделать {about}"
    else:
        topic = tone.remove_weak(_topic(e, directory)).strip(" ,")
        what = "что именно нужно сделать" + (f" (в запросе: {topic})" if topic else "")
    when = "" if e.deadline else " и к какому сроку"
    return f"Чтобы составить задачу{whom}, уточните, пожалуйста: {what}{when}? Одной фразой — и я подготовлю текст."
