"""What «done» means, derived from the action itself: «пересчитать смету на кровлю» → «смета на кровлю
пересчитана», «отправить мне трек-номер» → «трек-номер у меня», «проверить журналы» → «журналы проверены, итог — у
меня».

The object is the noun phrase right after the verb, moved to the nominative with pymorphy3, and the verb becomes a
short passive participle agreeing with it. When the action gives no object to say it of («подключиться удалённо»),
nothing is derived: the brief then has no «done» line and the requester is asked to add one, rather than the
brief saying «сделано — это когда сделано».
"""

from __future__ import annotations

import itertools
import re

from bot.nlp.text import morph, tokenize
from bot.services.tasks.clauses import inflect_head
from bot.services.tasks.cleaning import person_in_case

_SEND = frozenset({"отправить", "прислать", "переслать", "передать", "выслать", "скинуть", "предоставить", "дать"})
_CHECK = frozenset({"проверить", "сверить", "посмотреть", "изучить", "протестировать", "перепроверить"})
_TELL = frozenset({"сообщить", "сказать", "написать"})
_ASK_FOR = frozenset({"попросить", "запросить", "получить"})  # what is asked for ends up with the requester
_TO_ME = re.compile(r"(?<![\w-])мне(?![\w-])", re.I)
# «1С:Медицина» and «14:00» keep their colon; a colon with a space after it ends the phrase
_PHRASE_END = re.compile(r"(?<!\d)[,;(]|[,;(](?!\d)|:\s|\s[—–-]\s|\s(?:и|а|затем)\s(?!\d)")


def done_for(actions: list[str]) -> str | None:
    """«Готово, когда …» for each action that names its result, joined. The first (main) action must give one;
    a step that gives nothing to say it of («договориться с Евгенией по машине», «вернуть мне») is left to the
    action line, never made up."""
    steps = [_steps(a) for a in actions if a]
    said = [_done_one(step) for group in steps for step in group]
    if not any(said) or (said[0] is None and len(steps[0]) == 1):
        return None  # a main action of one step that names no result: no «done» rather than a made-up one
    return "; ".join(s for s in said if s)


_STEP_JOIN = re.compile(r",\s+|\s+и\s+")

# Where the result goes when the request says so: «мне на почту», «в бухгалтерию», «клиенту»
_HANDOFF = (
    (re.compile(r"(?<![\w-])(?:мне\s+на\s+почту|на\s+почту\s+мне|мне\s+в\s+почту|на\s+мою\s+почту)(?![\w-])", re.I),
     "у меня на почте"),
    (re.compile(r"(?<![\w-])(?:сдать|передать|отправить|пересдать|занести)\s+(?:[^.,;]{0,40}\s)?в\s+бухгалтерию"
                r"(?![\w-])", re.I),
     "передано в бухгалтерию"),
    (re.compile(r"(?<![\w-])(?:отправить|прислать|направить|выслать|передать)\s+(?:[^.,;]{0,30}\s)?клиенту"
                r"(?![\w-])", re.I),
     "отправлено клиенту"),
)  # fmt: skip
_SENT = re.compile(r"(?<![\w-])(?:отправлен\w*|передан\w*|направлен\w*|выслан\w*|у меня)(?![\w-])", re.I)


def with_handoff(done: str | None, request: str) -> str | None:
    """«заключение подготовлено» → «заключение подготовлено и у меня на почте» when the request says where the result
    goes: «done» is the result where it is needed, not the action said again."""
    if not done:
        return done
    for pattern, said in _HANDOFF:
        if pattern.search(request) and not _SENT.search(done):
            return f"{done} — {said}"
    return done


def _steps(action: str) -> list[str]:
    """«выехать, составить акт осмотра и отписаться мне» is three steps; each may name its own result. Only a comma
    or «и» before an infinitive parts steps: «проверить договор и акт» stays one."""
    starts, ends = [0], []
    for m in _STEP_JOIN.finditer(action):
        word = action[m.end() :].split(" ", 1)[0]
        if morph().parse(word.lower())[0].tag.POS == "INFN":
            ends.append(m.start())
            starts.append(m.end())
    return [action[a:b].strip() for a, b in zip(starts, [*ends, len(action)], strict=True)]


_FIX = frozenset({"починить", "исправить", "наладить", "устранить", "восстановить", "поправить", "отремонтировать"})
_SORT_OUT = frozenset({"разобраться", "выяснить", "решить"})


def _done_one(action: str) -> str | None:
    action = re.sub(r"^\d+\)\s*", "", action.strip())
    words = action.split(" ", 1)
    if len(words) < 2:
        return None
    said_verb = words[0].lower()
    verb, rest = said_verb.rstrip(",:"), words[1]
    if said_verb.endswith(":") and verb in _FIX:
        # «починить: выгрузка остатков отказала»: the problem is gone, and the requester hears why it happened
        return "проблема устранена, причина и итог — у меня"
    if said_verb.endswith(":") and verb in _SORT_OUT:
        return "причина найдена, итог и следующий шаг — у меня"
    if said_verb.endswith(":") or (said_verb.endswith(",") and verb != "обеспечить"):
        return None  # «проверить: …», a list or a problem after another verb: no object to say it of
    if any(p.tag.POS == "INFN" and "impf" in p.tag for p in morph().parse(verb)[:1]) and not any(
        p.tag.POS == "INFN" and "perf" in p.tag for p in morph().parse(verb)
    ):
        return None  # «перезаключать»: an ongoing verb has no «done» form; the requester is asked instead
    if not any(p.tag.POS == "INFN" for p in morph().parse(verb)[:1]):
        # a thing, not an action («план отгрузок по „Заречному“»): done when it is with the requester
        return f"{_PHRASE_END.split(action, maxsplit=1)[0].strip()} — у меня" if head_of(action) else None
    if verb in ("попросить", "договориться"):
        return None  # «попросить Кирилла помочь»: an arrangement; its result is the other steps'
    if verb == "ответить":
        return f"ответ {rest.split(',')[0].strip()} отправлен"
    if verb in ("позвонить", "созвониться"):
        return "разговор состоялся, и его итог — у меня"
    if verb in _TELL:
        # «сообщить мне, сколько отгрузили» → the answer is with the requester; «сказать Оле, что …» → she knows
        told = _dative_person(rest.strip(" ,"))
        if told:
            return f"{person_in_case(told, 'nomn') or told} в курсе"
        return "ответ у меня"
    if verb == "обеспечить" and (m := re.match(r",?\s*чтобы\s+(.+)$", rest)):
        return _holds(m.group(1))  # «обеспечить, чтобы стенд работал» → «стенд работает»
    if re.match(r",?\s*(?:где|как|что|почему|когда|кто|сколько|чтобы|или|и)(?![\w-])", rest, re.I):
        return None  # «посмотреть, где задержался образец», «убрать или ограничить …»: no object to say it of
    to_me = bool(_TO_ME.search(rest))
    rest = _TO_ME.sub(" ", rest).strip()
    phrase = _PHRASE_END.split(rest, maxsplit=1)[0].strip()
    phrase = re.sub(r"\s+(?:им|ему|ей|клиенту)$", "", phrase)  # «каталог с прайсом им»: to whom, not what
    phrase = re.sub(r"^(?:клиенту|компании)\s+«[^»]+»\s+", "", phrase)  # «компании «Агроснаб» машину»: to whom
    recipient = _dative_person(phrase) if _named_person(phrase) is None else ""  # «оформить Нуриеву»: the object
    if recipient:  # «передать Ольге Беловой в бухгалтерию данные для счёта»: to whom comes first
        phrase, rest = phrase[len(recipient) :].strip(), f"{recipient} {rest}"
    named = _named_person(phrase)
    person = named[0] if named else _person_nominative(phrase)
    head = ("sing", named[1]) if named else head_of(person or phrase)
    # «в холодильник №3 (+2…+8 °C) партию …»: a bracket cut the phrase before its object
    beyond = _PHRASE_END.split(_after_place(rest), maxsplit=1)[0].strip(" .,;:") if "(" in phrase + rest[:60] else ""
    if head is None and (after := _after_place(phrase) or beyond):
        # «завести в 1С:Медицина новую услугу», «проверить с Натальей из кадров типовой договор»: where and with
        # whom come first, the object after them
        named = _named_person(after)
        phrase, head = after, (("sing", named[1]) if named else head_of(after))
        person = named[0] if named else person
    if head is None:
        return None
    # «6 официантов» stays as counted; otherwise the object moves to the nominative
    nominative = phrase if re.match(r"\d", phrase) else person or _nominative(phrase)
    # «пришли», «скинь» come to the requester; «отправить заявку» with no one named goes out — it is «отправлена»
    comes_to_me = verb not in ("отправить", "выслать", "переслать")
    if (verb in _SEND or verb in _ASK_FOR) and (to_me or (comes_to_me and not (recipient or _TO_SOMEONE.search(rest)))):
        return f"{nominative} у меня"  # sent with nobody else named: it is the requester who receives it
    participle = _participle(verb, head)
    if participle is None:
        return None
    if verb in _CHECK:
        return f"{nominative} {participle}, итог — у меня"  # what the check found comes back to the requester
    return f"{nominative} {participle}"


_SURNAME_ACC = re.compile(r"^[А-ЯЁ][а-яё]+(?:ов|ев|ёв|ин|ын)[ау]$")


def _named_person(phrase: str) -> tuple[str, str | None] | None:
    """(the person in the nominative, «masc»/«femn»): «Нуриеву Алину Рашидовну» → «Нуриева Алина Рашидовна», «femn»;
    a lone surname as the object of a verb («оформить Нуриеву») is feminine by its «-у»."""
    words = phrase.split()
    # «Евгения Захарова из ОКК»: the name is the capitalised words it opens with, the rest says where they are from
    lead = len(list(itertools.takewhile(lambda w: w[:1].isupper(), words)))
    if 2 <= lead < len(words) and re.match(r"(?:из|с|со|от)$", words[lead]):
        found = _named_person(" ".join(words[:lead]))
        return (f"{found[0]} {' '.join(words[lead:])}", found[1]) if found else None
    if not words or len(words) > 3 or not all(w[:1].isupper() for w in words):
        return None
    if len(words) == 1 and (m := re.fullmatch(r"([А-ЯЁ][а-яё]+(?:ов|ев|ёв|ин|ын))у", words[0])):
        return f"{m.group(1)}а", "femn"
    if len(words) == 1:
        return None  # «Марину», «Саньку»: a first name alone is left to the usual reading
    # every part may be the accusative: «Ярославу Петровичу» is to whom, not whom
    if not all(any(p.tag.case == "accs" for p in morph().parse(w.lower())) for w in words if not _SURNAME_ACC.match(w)):
        return None
    said = person_in_case(phrase, "nomn", source="accs")
    if said is None:
        return None
    patronymic = said.split()[-1] if len(words) == 3 else ""
    gender = "femn" if re.search(r"(?:на|вна|ична)$", patronymic) or re.search(r"[ая]$", said.split()[0]) else "masc"
    return said, gender


def _person_nominative(phrase: str) -> str | None:
    """«Анну Семёнову» → «Анна Семёнова»: every part of a person's name moves, not the first word alone."""
    words = phrase.split()
    named = 0
    for i, word in enumerate(words[:3]):
        parse = morph().parse(word.lower())[0]
        # «Кириллову Анну Петровну»: a surname the dictionary does not know, before a first name it does
        unknown_surname = i == 0 and word[:1].isupper() and re.search(r"(?:ов|ев|ин|ын)(?:а|у|ой|ым)?$", word)
        if (
            not {"Name", "Surn", "Patr"} & set(parse.tag.grammemes)
            and not (named and word[:1].isupper())
            and not unknown_surname
        ):
            break
        named += 1
    if named < 2:
        return None
    person = person_in_case(" ".join(words[:named]), "nomn")
    return " ".join([person, *words[named:]]) if person else None


_TO_SOMEONE = re.compile(r"(?<![\w-])(?:им|ему|ей|клиенту|заказчику|партнёру|партнеру)(?![\w-])", re.I)


def _dative_person(phrase: str) -> str:
    """«Ольге Беловой» at the start of the phrase: a person named in the dative, the one it goes to."""
    words = phrase.split()
    taken = []
    for word in words[:3]:
        parses = morph().parse(word.lower().strip(",."))
        if not any({"Name", "Surn", "Patr"} & set(p.tag.grammemes) and p.tag.case == "datv" for p in parses[:3]):
            break
        taken.append(word)
    return " ".join(taken) if taken else ""


# «15 декабря», «8 утра»: a date or a time, not a counted thing
_NOT_COUNTED = frozenset(
    {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
     "декабрь", "утро", "вечер", "день", "час", "минута", "число", "неделя", "месяц", "год", "сутки"}
)  # fmt: skip


def _after_place(phrase: str) -> str:
    """The phrase from its first word that can be the object, after what is said before it: prepositional phrases
    («в 1С:Медицина», «с Натальей из кадров») and a recipient in the dative («всем медсёстрам»)."""
    all_tokens = tokenize(phrase)
    every = [t for t in all_tokens if t.is_word or re.fullmatch(r"[\d.,:/]*\d[\d.,:/]*", t.text)]
    tokens = [t for t in every if t.is_word]
    governed = False  # the word right after a preposition is its own, not the object
    for token in every:
        at = all_tokens.index(token)
        following = all_tokens[at + 1 : at + 2]  # the very next token, a mark or a word
        if not token.is_word:
            noun = morph().parse(following[0].text.lower())[0] if following and following[0].is_word else None
            counted = noun is not None and noun.tag.POS == "NOUN" and noun.normal_form not in _NOT_COUNTED
            named = phrase[: token.start].rstrip().endswith("№")  # «холодильник №3»: a number of a name
            if not governed and counted and not named and len(phrase[: token.start].split()) <= 4:
                return phrase[token.start :]  # «у Хеликса хотя бы 5 наборов»: the counted thing is the object
            governed = False  # «с 10.12»: the date is the preposition's own
            continue
        if token.pos == "PREP":
            governed = True
            continue
        preceding = all_tokens[max(0, at - 1) : at]
        alone = not following or following[0].text in ",;:.)" or following[0].pos == "PREP"
        after_latin = bool(preceding) and bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", preceding[0].text))
        latin = re.fullmatch(r"[A-Z][A-Za-z0-9-]+", token.text) and alone and not after_latin
        if not governed and latin and token is not tokens[0]:
            return phrase[token.start :]  # «с 10.12 IVR»: a system named in Latin, alone, is the object
        parses = morph().parse(token.text.lower())
        accusative = any(p.tag.case == "accs" and p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in parses[:4])
        before = phrase[: token.start]
        # inside «…» or (…) a word is a name or a note, not the object
        quoted = before.count("«") > before.count("»") or before.count("(") > before.count(")")
        if not governed and accusative and token is not tokens[0] and not quoted:
            # a long way round («по письму Росздравнадзора о забраковке серии …») is no place phrase: give up
            words_before = re.findall(r"[А-Яа-яЁёA-Za-z]+", phrase[: token.start])
            return phrase[token.start :] if len(words_before) <= 4 else ""
        if parses[0].tag.POS == "NOUN" or not re.search(r"[а-яё]", token.text, re.I):
            governed = False  # the preposition's noun is said: what follows may be the object
    return ""


def _nominative(phrase: str) -> str:
    """The object in the nominative; an adjective used as a noun («объяснительную») moves by itself."""
    compound = re.match(r"^([а-яё]+)(-[а-яё]+)(?=\s|$)", phrase)
    if compound and not any(p.tag.case == "nomn" for p in morph().parse(compound[1])):
        words = inflect_head(compound[1] + phrase[compound.end() :], "nomn", "accs").split(" ", 1)
        return " ".join([words[0] + compound[2], *words[1:]])  # «машину-рефрижератор» → «машина-рефрижератор»
    moved = inflect_head(phrase, "nomn", "accs")
    if moved != phrase:
        return moved
    first = phrase.split(" ", 1)
    parse = next((p for p in morph().parse(first[0].lower()) if p.tag.POS == "ADJF" and p.tag.case == "accs"), None)
    if parse is None:
        return phrase
    form = parse.inflect({"nomn", parse.tag.number or "sing"} | ({parse.tag.gender} if parse.tag.gender else set()))
    return " ".join([form.word, *first[1:]]) if form else phrase


def _holds(clause: str) -> str | None:
    """«стенд работал» → «стенд работает»: the state the action must bring about, in the present."""
    words = clause.split()
    for i, word in enumerate(words):
        parse = morph().parse(word.lower())[0]
        if parse.tag.POS == "VERB" and "past" in parse.tag:
            if i == 0:
                return None
            if parse.normal_form == "быть":  # «механик был на площадке» → «механик на площадке»
                return " ".join(words[:i] + words[i + 1 :]).strip(" .")
            present = parse.inflect({"pres", "sing", "3per"} if "sing" in parse.tag else {"pres", "plur", "3per"})
            if present is None:
                return None
            words[i] = present.word
            return " ".join(words).strip(" .")
    return None


def head_of(phrase: str) -> tuple[str, str | None] | None:
    """(number, gender) of the object's head noun, when the phrase starts with one (adjectives and numbers may come
    first); None when it starts with a preposition or has no noun."""
    for token in tokenize(phrase):
        if not token.is_word:
            if token.text.isdigit():
                return ("plur", None)  # «2 станины»: the participle is plural
            continue
        if morph().parse(token.text.lower())[0].tag.POS == "NUMR" or token.text.lower() in ("оба", "обе"):
            return ("plur", None)  # «три формата», «оба номера»: counted, so plural
        if re.fullmatch(r"[A-Z][A-Za-z0-9-]*", token.text):
            return ("sing", "masc")  # «IVR», «VPN»: a system named in Latin is said as «он»
        word = token.text.lower().rsplit("-", 1)[-1] if "-" in token.text else token.text.lower()
        first_part = token.text.lower().split("-", 1)[0]
        if "-" in token.text and not any(p.tag.case == "nomn" for p in morph().parse(first_part)):
            word = first_part  # «машину-рефрижератор»: the first noun of the pair carries the case and the gender
        parse = morph().parse(word)[0]
        if parse.tag.POS in ("ADJF", "PRTF", "NUMR"):
            following = [t for t in tokenize(phrase) if t.is_word and t.start > token.start][:1]
            if following and any(
                q.tag.POS in ("NOUN", "ADJF", "PRTF", "NUMR") and q.tag.number == parse.tag.number
                for q in morph().parse(following[0].text.lower())
            ):
                continue  # «новую услугу»: the adjective of the noun after it
            # «объяснительную от водителя»: an adjective with no noun after it is the noun itself
            return (str(parse.tag.number or "sing"), str(parse.tag.gender) if parse.tag.gender else None)
        if parse.tag.POS != "NOUN":
            return None
        if parse.tag.case not in ("accs", "nomn"):
            # «пациентов», «слова»: another reading of the same word may be the object's case
            parse = next((p for p in morph().parse(word) if p.tag.POS == "NOUN" and p.tag.case == "accs"), None)
            if parse is None:
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
