"""Fuzzy search over clients: names, companies, contact people, usernames, phones and e-mails.

Russian names change form ("Ладыгину", "у Рябовой", "для Стройдома"), so every word is compared through all of its
dictionary normal forms as well as as written; rapidfuzz then forgives typos ("Ладигин"). A field matches when each
word of the query finds a close word in it; the client's score is its best field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.nlp.text import morph
from storage.models import Client

WORD_MATCH = 82.0  # rapidfuzz ratio from which two words count as the same word
FIELD_MATCH = 80.0  # a client is a hit when its best field scores at least this
_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Legal forms and filler words say nothing about which client is meant.
_STOP = frozenset({"ооо", "оао", "зао", "пао", "ао", "ип", "гк", "и", "в", "по", "для", "у", "от", "с", "ltd", "llc"})


@dataclass(frozen=True, slots=True)
class ClientHit:
    client: Client
    score: float
    field: str  # what matched, in Russian: "название", "компания", "контакт", ...
    matched: str  # the text of the matched field


@dataclass(frozen=True, slots=True)
class Word:
    forms: frozenset[str]  # as written and every normal form: exact matches across cases ("Стройдома" → стройдом)
    fuzzy: frozenset[str]  # the forms trusted for typo matching: as written, dictionary lemmas, guessed names


def _word(raw: str) -> Word:
    word = raw.lower().replace("ё", "е")
    forms, fuzzy = {word}, {word}
    if re.search(r"[а-я]", word):
        known = morph().word_is_known(word)
        for parse in morph().parse(word)[:4]:
            lemma = parse.normal_form.replace("ё", "е")
            forms.add(lemma)
            # A guessed lemma of an unknown word is often a stem ("стройдом" → "стройд"): good for an exact match,
            # too loose for fuzzy matching — unless the guess is a person's name form.
            if known or {"Surn", "Name", "Patr"} & set(parse.tag.grammemes):
                fuzzy.add(lemma)
    return Word(frozenset(forms), frozenset(fuzzy))


def words(text: str) -> list[Word]:
    return [_word(w) for w in _WORD_RE.findall(text or "") if w.lower() not in _STOP]


def _word_score(query: Word, field: Word) -> float:
    if query.forms & field.forms:
        return 100.0
    best = 0.0
    for q in query.fuzzy:
        for f in field.fuzzy:
            if len(q) >= 3 and f.startswith(q):
                best = max(best, 92.0)
            best = max(best, fuzz.ratio(q, f))
    return best


def field_score(query: list[Word], field_text: str) -> float:
    """Mean over the query words of the best word in the field; 0 when some query word is missing."""
    field = words(field_text)
    if not query or not field:
        return 0.0
    scores = [max(_word_score(q, f) for f in field) for q in query]
    if min(scores) < WORD_MATCH:
        return 0.0
    return sum(scores) / len(scores)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def _fields(client: Client) -> Iterable[tuple[str, str]]:
    yield "название", client.name
    if client.company:
        yield "компания", client.company
    for contact in client.contacts:
        if contact.name:
            yield "контакт", contact.name
        if contact.telegram_username:
            yield "Telegram", contact.telegram_username
        if contact.email:
            yield "e-mail", contact.email


def score_client(client: Client, query: str) -> ClientHit | None:
    text = query.strip().lstrip("@")
    if not text:
        return None
    if text.lower() == client.id.lower():
        return ClientHit(client, 100.0, "id", client.id)
    digits = _digits(text)
    if len(digits) >= 6 and len(digits) >= len(text.replace(" ", "")) // 2:  # the query is a phone number
        for contact in client.contacts:
            if contact.phone and digits in _digits(contact.phone):
                return ClientHit(client, 100.0, "телефон", contact.phone)
        return None
    query_words = words(text)
    best: ClientHit | None = None
    for name, value in _fields(client):
        score = field_score(query_words, value)
        if score >= FIELD_MATCH and (best is None or score > best.score):
            best = ClientHit(client, score, name, value)
    return best


def search(clients: Iterable[Client], query: str, limit: int = 5) -> list[ClientHit]:
    hits = [hit for client in clients if (hit := score_client(client, query)) is not None]
    hits.sort(key=lambda h: (-h.score, h.client.name))
    return hits[:limit]
