"""Answers the CRM already holds: a client's question met with what we told them before, instead of a blank.

«Гарантируете доставку 31.12 утром?» with «График праздничных доставок: 31.12 — доставка до 10:00» sent on 30.11 is
answered from that note, with where it came from, so the manager checks one line instead of searching the history.
Only what we sent the client (outgoing interactions) answers a question; the CRM's incident notes answer only «why» and
«where / what's with» questions, since they are the record of that trouble. A note answers when it shares the
question's subject (two content words, a figure or a code) and holds the kind of answer asked for: a price for «how
much», a date or a duration for «when», anything for «why». A wrong answer is worse than a blank, so anything short of
that stays a blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from bot.nlp.text import lower_first, morph, tokenize

# Words that say nothing of a question's subject: asking, wanting, confirming and the filler of a business letter.
_NOT_SUBJECT = frozenset(
    {
        "быть",
        "мочь",
        "можно",
        "нужно",
        "нужный",
        "надо",
        "хотеть",
        "сделать",
        "делать",
        "сказать",
        "подсказать",
        "подтвердить",
        "прислать",
        "уточнить",
        "ваш",
        "наш",
        "который",
        "это",
        "этот",
        "тот",
        "весь",
        "такой",
        "свой",
        "вопрос",
        "пожалуйста",
        "спасибо",
        "день",
        "добрый",
        "клиент",
        "компания",
        "гарантировать",
        "стоить",
        "стоимость",
        "цена",
        "сколько",
        "когда",
        "срок",
        "время",
        "почему",
        "какой",
        "ли",
        "уже",
        "ещё",
        "еще",
        "платить",
        "итоговый",
    }
)
_CONTENT_POS = frozenset({"NOUN", "ADJF", "ADJS", "VERB", "INFN", "PRTF", "PRTS"})
_FOLLOW_UP_WORDS = 6  # «И сколько по времени настройка?»: a short question leans on the one before it
_STEM = 6  # «декабрьский» and «декабрь», «лояльность» and «Лояльность»: the same subject in another part of speech

_COST_Q = re.compile(
    r"(?<![\w-])(?:сколько\s+(?:стоит|стоят|будет\s+стоить|это\s+будет)|стоимост|цен[аыуе]|тариф|почём|сумм[аыу]|"
    # «сколько будет подгонка по длине?», «сколько выйдет за все дни?»: an amount, unless a duration follows
    r"сколько\s+(?:будет|выйдет|обойд[её]тся)\s+(?!(?:идти|длиться|ехать|делать\w*|занимать|готов\w*|ждать)(?![\w-])))",
    re.I,
)
_TIME_Q = re.compile(
    r"(?<![\w-])(?:когда|к\s+какому|до\s+какого|до\s+скольки|во\s+сколько|сколько\s+(?:по\s+времени|дней|времени)|"
    r"как\s+долго|сроки?)(?![\w-])",
    re.I,
)
_WHY_Q = re.compile(r"(?<![\w-])(?:почему|отчего|из-за\s+чего|в\s+чём\s+причина|в\s+чем\s+причина)(?![\w-])", re.I)
_WHERE_Q = re.compile(r"(?<![\w-])(?:где\s+сейчас|где|что\s+с|какой\s+статус|статус)(?![\w-])", re.I)
_HOW_MANY_Q = re.compile(r"(?<![\w-])сколько(?![\w-])", re.I)

_MONEY = re.compile(r"\d[\d\s  ]*(?:[.,]\d+)?\s*(?:₽|руб|тыс|млн|%)", re.I)
_WHEN = re.compile(
    r"\d{1,2}\.\d{2}|\d{1,2}:\d{2}|\d{1,2}[–-]\d{1,2}\.\d{2}|"
    r"\d+\s*(?:рабочих\s+)?(?:дн|час|недел|месяц|мин)|(?<![\w-])(?:январ|феврал|март|апрел|ма[яй]|июн|июл|август|"
    r"сентябр|октябр|ноябр|декабр)",
    re.I,
)


# Remarks for the team inside a note: «Клиент согласовал устно.», «клиенту не сообщено».
_INTERNAL_SENTENCE = re.compile(r"(?:^|(?<=[.!;]\s))(?:[Кк]лиент\w*|[Мм]енеджер\w*|[Вв]нутренн\w*)[^.!;]*[.!;]?")


def _without_internal(text: str) -> str:
    kept = _INTERNAL_SENTENCE.sub("", text).strip()
    return kept or text


def _is_our_deed(word: str) -> bool:
    """«сообщили», «направили», «выставили»: a plural past verb the note opens with is what we did."""
    parse = morph().parse(word.lower())[0]
    return {"VERB", "past", "plur"} <= parse.tag.grammemes


def _is_filed_as_done(word: str) -> bool:
    """«направлена», «выставлен», «отправлено»: a short participle the note opens with."""
    return morph().parse(word.lower())[0].tag.POS == "PRTS"


@dataclass(frozen=True)
class Note:
    """One thing the CRM holds about the client: what we sent them (`sent`) or an incident (`incident`)."""

    text: str
    at: date
    kind: str = "sent"

    def as_answer(self) -> str:
        """«Как мы сообщали 30.11: 31.12 — доставка до 10:00.»: what we told the client, said again with its date; a
        short label before a colon («Прайс на декабрь: …», «Отправили КП: …») is our own filing, not for the client.
        An incident note is what we know: «По нашим данным, …»."""
        text = _without_internal(self.text.strip()).rstrip(".;")
        label, _, body = text.partition(": ")
        said = body if body and len(label.split()) <= 5 and not re.search(r"\d", label) else text
        if self.kind == "incident":
            return f"По нашим данным, {lower_first(said)}."
        when = self.at.strftime("%d.%m")
        first = said.split(maxsplit=1)
        if first and _is_our_deed(first[0]):
            # «Сообщили о скидке 7% с декабря…» → «25.11 мы сообщили о скидке 7% с декабря…»
            return f"{when} мы {lower_first(said)}."
        if len(first) == 2 and _is_filed_as_done(first[0]):
            said = first[1]  # «направлена спецификация №2…» → «спецификация №2…»: the filing verb is ours, not news
        return f"Как мы сообщали {when}: {lower_first(said)}."


@lru_cache(maxsize=4096)
def subject_of(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(content-word stems, figures and codes) of a text; cached, since every question of a message is matched
    against the same notes."""
    words: set[str] = set()
    codes: set[str] = set()
    for token in tokenize(text):
        if token.is_word and re.search(r"\d", token.text):
            codes.add(token.text.lower())  # «ФФ-2291», «ДЛ-0233/26»
        elif token.is_word:
            if token.pos in _CONTENT_POS and token.lemma not in _NOT_SUBJECT and len(token.lemma) > 2:
                words.add(token.lemma[:_STEM])
        elif re.fullmatch(r"\d{1,2}\.\d{2}(?:\.\d{2,4})?|\d{3,}", token.text):
            codes.add(token.text[:5])  # «31.12», «1847»: a date or a number a note may repeat
    return frozenset(words), frozenset(codes)


def _holds_kind(question: str, note: Note) -> bool:
    """The note holds the kind of answer the question asks for."""
    if _WHY_Q.search(question):
        return True
    if _COST_Q.search(question):
        return bool(_MONEY.search(note.text))
    if _TIME_Q.search(question):
        return bool(_WHEN.search(note.text))
    if _HOW_MANY_Q.search(question):
        return False  # «сколько свободных мест»: a note with the same noun and another figure would mislead
    if _WHERE_Q.search(question):
        return True
    return note.kind == "sent"  # a yes-or-no question is answered only by what we told the client


def answer_on_record(question: str, notes: tuple[Note, ...], *, follows: Note | None = None) -> Note | None:
    """The note that answers the question, or None; incidents only for «why» and «where / what's with». `follows`:
    the note that answered the question just before, which a follow-up needs to share only one word with
    («…сколько стоит? И сколько по времени настройка?»)."""
    words, codes = subject_of(question)
    if not words and not codes:
        return None
    best: tuple[int, Note] | None = None
    for note in notes:
        if note.kind == "incident" and not (_WHY_Q.search(question) or _WHERE_Q.search(question)):
            continue
        if not _holds_kind(question, note):
            continue
        note_words, note_codes = subject_of(note.text)
        shared_words = len(words & note_words)
        score = shared_words + 2 * len(codes & note_codes)
        # «сумму предоплаты?»: the thing priced is the whole question, one shared word names it
        short = len(question.split()) <= 3 and bool(_COST_Q.search(question))
        needed = 1 if (note == follows and len(question.split()) <= _FOLLOW_UP_WORDS) or short else 2
        if score >= needed and (best is None or score > best[0]):
            best = (score, note)
    return best[1] if best else None
