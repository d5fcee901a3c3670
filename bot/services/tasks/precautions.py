"""Past causes of overdue tasks → what the requester prepares this time, said without blame.

«в заявке не было артикулов» → «артикулы в заявке»; «ждали оплату от клиента» → «оплата от клиента — подтвержу до
начала работы»; «заявка пришла после 15:00» → «заявку отправлю до 15:00»; «юрист был в отпуске» → «уточню, кто
замещает на время отпуска». A cause that fits no pattern is left out rather than quoted: its wording may blame.
"""

from __future__ import annotations

import re

from bot.nlp.text import morph
from bot.services.tasks.clauses import inflect_head

_ABSENCE = re.compile(r"отпуск|больничн|командировк|отсутств|болел|уволил", re.I)
_MISSING = re.compile(
    r"^(?P<where>в (?:заявке|запросе|карточке(?: \w+)?|документах|письме|спецификации)\s+)?не\s+"
    r"(?:было|был|была|были|указан\w*|прислали|прислал\w*|передали|приложили|дали|предоставили|хватало)\s+(?P<item>.+)$",
    re.I,
)
_WAITED = re.compile(r"^(?:долго\s+)?ждали\s+(?P<item>.+?)(?:\s+от\s+(?P<who>.+))?$", re.I)
_LATE = re.compile(r"^(?P<item>\w+)\s+(?:пришл\w*|поступил\w*|пришёл|пришел)\s+после\s+(?P<at>\d{1,2}[:.]\d{2})", re.I)
_SILENT = re.compile(r"^(?P<who>\w+(?:\s\w+)?)\s+не\s+(?:прислал\w*|ответил\w*|предоставил\w*|подтвердил\w*)", re.I)


def preparation(cause: str) -> str | None:
    text = " ".join(cause.split()).strip().rstrip(".")
    if not text:
        return None
    if _ABSENCE.search(text):
        return "уточню, кто замещает исполнителя на время отпуска или болезни"
    first = re.split(r",\s*|;\s*", text)[0].lower()
    if m := _MISSING.match(first):
        where = f" {m['where'].strip()}" if m["where"] else ""
        return _nominative(m["item"]) + where
    if m := _WAITED.match(first):
        who = f" от {m['who']}" if m["who"] else ""
        return f"{_nominative(m['item'])}{who} — подтвержу до начала работы"
    if m := _LATE.match(first):
        item = inflect_head(m["item"], "accs", "nomn", strict=True)
        return f"{item} отправлю до {m['at'].replace('.', ':')}"
    if m := _SILENT.match(first):
        return f"договоримся, кто и когда напоминает {_dative(m['who'])}, если ответа долго нет"
    return None


def _nominative(phrase: str) -> str:
    """Each part of «реквизиты и карточку предприятия» in the nominative."""
    parts = re.split(r"\s+и\s+|,\s*", phrase.strip())
    fixed = []
    for part in parts:
        once = inflect_head(part, "nomn", "gent", strict=True)
        fixed.append(once if once != part else inflect_head(part, "nomn", "accs"))
    return " и ".join(p for p in fixed if p)


def _dative(phrase: str) -> str:
    words = phrase.split()
    out = []
    for word in words:
        parse = morph().parse(word.lower())[0]
        inflected = parse.inflect({"datv"})
        out.append(inflected.word if inflected else word)
    return " ".join(out)
