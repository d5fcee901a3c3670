"""Which of the request's dates is the task's deadline (issue 15).

bot.nlp.dates finds every date expression; this module chooses among them the way a colleague would read the
request: a date in the sentence that asks for something beats a date of another event («завтра в 9:00
трансляция»), the reply-by time of a confirmation («подтвердите до завтра 15:00») and the requester's own promise
(«список пришлю до конца дня») are not the task's deadline, a weekday followed by a past verb («в понедельник
писал») is the past, and «не 10-го, а 17-го» speaks of another event. A weekday said on that same weekday («в
пятницу» on a Friday) means today; «до пятницы» / «к пятнице» on a Friday stays a week ahead, and both are
flagged so the brief says which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from razdel import sentenize

from bot.nlp.dates import DEADLINE, SINCE, WEEKDAYS_RU, DateMatch, find_dates
from bot.nlp.text import morph, tokenize

_WEEKDAY_WORD = re.compile(
    r"(?<![\w-])(?:понедельник|вторник|сред[уаы]|четверг|пятниц[уаы]|суббот[уаы]|воскресень[ея])", re.I
)
_NEXT = re.compile(r"следующ", re.I)
_REQUEST = re.compile(
    r"(?<![\w-])(?:прошу|просьба|пусть|надо|нужно|нужен|нужна|нужны|необходимо|чтоб|чтобы)(?![\w-])", re.I
)
# «Подтвердите до завтра 15:00», «ответьте до обеда»: when to reply, not when the work is due.
_REPLY = re.compile(r"^\s*(?:и\s+)?(?:подтверд\w*|ответ\w*|сообщи\w*|дай(?:те)? знать|отпиш\w*|отзвон\w*)", re.I)
_OTHER_EVENT = re.compile(r"(?:(?<![\w-])не|,\s*а)\s+$", re.I)  # «будут не 10-го, а 17-го»
# Said without a date: the end of today.
_TODAY_WORDS = re.compile(
    r"(?<![\w-])(?:(?:до|к)\s+(?P<part>обеда|вечера)|в\s+течение\s+(?:часа|\d+\s+час\w*|дня|рабочего\s+дня)|"
    r"сегодня\s+же)(?![\w-])",
    re.I,
)


# «С понедельника должна быть в прайсе»: a state that must hold from a date makes that date the deadline.
_MUST_HOLD = re.compile(r"(?<![\w-])долж(?:ен|н\w*)\s+(?:уже\s+)?(?:быть|работать|стоять|действовать)(?![\w-])", re.I)


@dataclass(frozen=True, slots=True)
class Deadline:
    match: DateMatch
    same_weekday: str | None = None  # the weekday said on that very weekday («пятница»), resolved to today or next


def _sentences(text: str) -> list[tuple[int, int, str]]:
    return [(s.start, s.stop, s.text) for s in sentenize(text)]


def _asks(sentence: str) -> bool:
    """The sentence asks for something: a request word, an imperative or an infinitive."""
    if _REQUEST.search(sentence):
        return True
    for token in tokenize(sentence):
        if token.is_word and token.pos in ("VERB", "INFN"):
            parse = morph().parse(token.text.lower())[0]
            if parse.tag.POS == "INFN" or "impr" in parse.tag:
                return True
    return False


def _own_promise(sentence: str) -> bool:
    """«Список гостей пришлю до конца дня»: the requester's first-person future, not the colleague's task."""
    for token in tokenize(sentence):
        if token.is_word and token.pos == "VERB":
            tag = morph().parse(token.text.lower())[0].tag
            if "1per" in tag and "sing" in tag and "futr" in tag:
                return True
    return False


def _clause_around(text: str, match: DateMatch) -> str:
    """The part of the text between the separators around the date (commas, dashes, sentence ends)."""
    cuts = [m.end() for m in _CLAUSE_END.finditer(text[: match.start])]
    start = cuts[-1] if cuts else 0
    after = _CLAUSE_END.search(text, match.end)
    return text[start : after.start() if after else len(text)]


_CLAUSE_END = re.compile(r"[.!?…;]+(?=\s|$)|,(?!\d)|\s[—–-]\s")


_BY_END = re.compile(r"(?<![\w-])(?:до\s+конца|к\s+концу)\s+$", re.I)
_CONSEQUENCE = re.compile(r"(?<![\w-])(?:иначе|а то|не то)(?![\w-])", re.I)


def _past_verb_after(text: str, end: int) -> bool:
    after = [t for t in tokenize(text[end : end + 30]) if t.is_word][:1]
    return bool(after) and after[0].pos == "VERB" and "past" in morph().parse(after[0].text.lower())[0].tag


def choose(text: str, today: date) -> Deadline | None:
    sentences = _sentences(text)

    def sentence_of(match: DateMatch) -> str:
        return next((s for start, stop, s in sentences if start <= match.start < stop), "")

    scored: list[tuple[float, int, DateMatch]] = []
    quoted = [m.span() for m in re.finditer(r"«[^«»]*»", text)]
    for match in find_dates(text, today):
        if any(start < match.start < stop for start, stop in quoted):
            continue  # the banner «-30% на всё ТО до конца года»: a date inside a title is not the task's
        from_then = match.marker == SINCE and bool(_MUST_HOLD.search(sentence_of(match)))
        if (
            (match.marker == SINCE and not from_then)
            or match.is_past(today)
            or _OTHER_EVENT.search(text[max(0, match.start - 6) : match.start])
        ):
            continue
        if match.marker != DEADLINE and _WEEKDAY_WORD.search(match.text) and _past_verb_after(text, match.end):
            continue  # «я тебе в понедельник писал»
        sentence = sentence_of(match)
        if _own_promise(_clause_around(text, match)):
            continue  # the clause, not the sentence: «до конца месяца, иначе я сама пойду …» is still a deadline
        by_end = bool(_BY_END.search(text[max(0, match.start - 12) : match.start]))  # «до конца завтрашнего дня»
        # «Заявку отправить сегодня до 14:00»: «до» before the time makes the date a deadline too
        by_time = bool(re.search(r"(?<![\w-])(?:до|к|не позднее)\s+\d{1,2}[:.]\d{2}\s*$", match.text, re.I))
        deadline_like = match.marker == DEADLINE or by_end or from_then or by_time
        score = (2.0 if deadline_like else 0.0) + (1.0 if _asks(sentence) else 0.0)
        sentence_start = next((start for start, stop, _ in sentences if start <= match.start < stop), match.start)
        if _CONSEQUENCE.search(text[sentence_start : match.start]):
            score -= 2.5  # «иначе они без поставки до среды останутся»: the date of what happens if we are late
        if _REPLY.match(sentence):
            score -= 3.0  # only when nothing else is given
        scored.append((score, -match.start, match))
    loose = _TODAY_WORDS.search(text)
    if loose is not None:
        part = {"обеда": "обед", "вечера": "вечер"}.get((loose.group("part") or "").lower())
        moment = {"обед": time(13, 0), "вечер": time(18, 0)}.get(part or "")
        today_match = DateMatch(today, loose.start(), loose.end(), loose.group(0), DEADLINE, moment, part)
        if not scored:
            return Deadline(today_match)
        # «перебронируйте зал на 20-е и до вечера пришлите подтверждение»: «до вечера» is when it is due, the 20th
        # is what the task is about
        inside = any(m.start <= loose.start() < m.end for _, _, m in scored)
        if not inside and all(score < 2.0 for score, _, _ in scored) and _asks(sentence_of(today_match)):
            return Deadline(today_match)
    if not scored:
        return None
    best = max(scored, key=lambda s: (s[0], s[1]))[2]
    return _same_weekday(_no_date_as_time(best), today)


def _no_date_as_time(match: DateMatch) -> DateMatch:
    """«в пятницу, 11.12» is the 11th of December, not «до 11:12»: a time that spells the date itself is dropped."""
    m = re.search(r"(\d{1,2})[.:](\d{1,2})\s*$", match.text)
    if m and match.time and (int(m.group(1)), int(m.group(2))) == (match.date.day, match.date.month):
        return replace(match, time=None)
    return match


def _same_weekday(match: DateMatch, today: date) -> Deadline:
    """«в пятницу» said on a Friday is today; «до пятницы» on a Friday is a week ahead. Either way, say which."""
    if match.date != today + timedelta(days=7) or not _WEEKDAY_WORD.search(match.text) or _NEXT.search(match.text):
        return Deadline(match)
    weekday = WEEKDAYS_RU[today.weekday()]
    if match.marker == DEADLINE:  # «до пятницы», «к пятнице»: the coming one, a week ahead
        return Deadline(match, weekday)
    return Deadline(replace(match, date=today), weekday)
