"""What «done» means, derived from the action itself: «пересчитать смету на кровлю» → «смета на кровлю
пересчитана», «отправить мне трек-номер» → «трек-номер у меня», «проверить журналы» → «журналы проверены, замечания —
списком мне».

The object is the noun phrase right after the verb, moved to the nominative with pymorphy3, and the verb becomes a
short passive participle agreeing with it. When the action gives no object to say it of («подключиться удалённо»),
nothing is derived: the brief then has no «done» line and the requester is asked to add one, rather than the
brief saying «сделано — это когда сделано».
"""

from __future__ import annotations

import re

from bot.nlp.text import morph, tokenize
from bot.services.tasks.clauses import inflect_head
from bot.services.tasks.cleaning import person_in_case

_SEND = frozenset({"отправить", "прислать", "переслать", "передать", "выслать", "скинуть", "предоставить", "дать"})
_CHECK = frozenset({"проверить", "сверить", "посмотреть", "изучить", "протестировать", "перепроверить"})
_TELL = frozenset({"сообщить", "сказать", "написать"})
_TO_ME = re.compile(r"(?<![\w-])мне(?![\w-])", re.I)
_PHRASE_END = re.compile(r"(?<!\d)[,;:(]|[,;:(](?!\d)|\s[—–-]\s|\s(?:и|а|затем)\s(?!\d)")


def done_for(actions: list[str]) -> str | None:
    """«Готово, когда …» for each action, joined; None when any action gives nothing to say it of."""
    said = [_done_one(a) for a in actions if a]
    if not said or any(s is None for s in said):
        return None
    return "; ".join(s for s in said if s)


def _done_one(action: str) -> str | None:
    action = re.sub(r"^\d+\)\s*", "", action.strip())
    words = action.split(" ", 1)
    if len(words) < 2:
        return None
    verb, rest = words[0].lower(), words[1]
    if any(p.tag.POS == "INFN" and "impf" in p.tag for p in morph().parse(verb)[:1]) and not any(
        p.tag.POS == "INFN" and "perf" in p.tag for p in morph().parse(verb)
    ):
        return None  # «перезаключать»: an ongoing verb has no «done» form; the requester is asked instead
    if not any(p.tag.POS == "INFN" for p in morph().parse(verb)[:1]):
        # a thing, not an action («план отгрузок по „Заречному“»): done when it is with the requester
        return f"{_PHRASE_END.split(action, maxsplit=1)[0].strip()} — у меня" if head_of(action) else None
    if verb == "ответить":
        return f"ответ {rest.split(',')[0].strip()} отправлен"
    if verb in ("позвонить", "созвониться"):
        return "разговор состоялся, и его итог — у меня"
    if verb in _TELL:
        return "сообщение передано, и я знаю об этом"
    to_me = bool(_TO_ME.search(rest))
    rest = _TO_ME.sub(" ", rest).strip()
    phrase = _PHRASE_END.split(rest, maxsplit=1)[0].strip()
    person = _person_nominative(phrase)
    head = head_of(person or phrase)
    if head is None:
        return None
    # «6 официантов» stays as counted; otherwise the object moves to the nominative
    nominative = phrase if re.match(r"\d", phrase) else person or inflect_head(phrase, "nomn", "accs")
    if verb in _SEND and to_me:
        return f"{nominative} у меня"
    participle = _participle(verb, head)
    if participle is None:
        return None
    if verb in _CHECK:
        return f"{nominative} {participle}; замечания, если есть, — списком мне"
    return f"{nominative} {participle}"


def _person_nominative(phrase: str) -> str | None:
    """«Анну Семёнову» → «Анна Семёнова»: every part of a person's name moves, not the first word alone."""
    words = phrase.split()
    named = 0
    for word in words[:3]:
        parse = morph().parse(word.lower())[0]
        if not {"Name", "Surn", "Patr"} & set(parse.tag.grammemes) and not (named and word[:1].isupper()):
            break
        named += 1
    if named < 2:
        return None
    person = person_in_case(" ".join(words[:named]), "nomn")
    return " ".join([person, *words[named:]]) if person else None


def head_of(phrase: str) -> tuple[str, str | None] | None:
    """(number, gender) of the object's head noun, when the phrase starts with one (adjectives and numbers may come
    first); None when it starts with a preposition or has no noun."""
    for token in tokenize(phrase):
        if not token.is_word:
            if token.text.isdigit():
                return ("plur", None)  # «2 станины»: the participle is plural
            continue
        parse = morph().parse(token.text.lower())[0]
        if parse.tag.POS in ("ADJF", "PRTF", "NUMR"):
            continue
        if parse.tag.POS != "NOUN" or parse.tag.case not in ("accs", "nomn"):
            return None
        if "Pltm" in parse.tag:
            return ("plur", None)
        return (str(parse.tag.number or "sing"), str(parse.tag.gender) if parse.tag.gender else None)
    return None


def _participle(verb: str, head: tuple[str, str | None]) -> str | None:
    number, gender = head
    wanted = {"PRTS", "pssv", number}
    if number == "sing" and gender:
        wanted.add(gender)
    for parse in morph().parse(verb):
        if parse.tag.POS != "INFN":
            continue
        form = parse.inflect(wanted)
        if form is not None:
            return str(form.word)
    return None
