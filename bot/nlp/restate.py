"""Turning a client's question or request into the line of a reply that answers it, with a visible blank where the
bot does not know the answer: «Сколько стоит доставка до Казани?» → «Стоимость доставки до Казани — [сумма].»

The grammar stays safe by changing as little as possible: the client's own words are kept, only the head noun of the
phrase (and the adjectives agreeing with it) is put into the case the reply needs, and «вы/мы» are turned round. When
no pattern fits, the line falls back to a form that is grammatical for any question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlp import syntax
from bot.nlp.speech_acts import SpeechActLexicon, as_our_action, turn_round
from bot.nlp.text import clip_words, morph


@dataclass(frozen=True, slots=True)
class Restated:
    line: str  # the reply's sentence, ending with a blank when the answer is unknown
    blank: str  # the blank as printed («[сумма]»), "" when the line needs none


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _inflect_word(word: str, case: str) -> str:
    if not re.fullmatch(r"[А-Яа-яЁё-]+", word):
        return word
    parses = [p for p in morph().parse(word.lower()) if p.tag.POS in {"NOUN", "ADJF", "PRTF", "NPRO"}]
    if not parses:
        return word
    best = parses[0]
    number = best.tag.number or "sing"
    form = best.inflect({case, number}) or best.inflect({case})
    if form is None:
        return word
    out = form.word
    if word[:1].isupper():
        out = out[:1].upper() + out[1:]
    if word.isupper() and len(word) > 1:
        out = out.upper()
    return out


def noun_phrase_in_case(phrase: str, case: str) -> str | None:
    """«банковская гарантия на исполнение контракта» → «банковской гарантии на исполнение контракта» (gent).

    The head is the first noun that does not follow a preposition; adjectives before it agree with it and change
    too; everything after the head stays as written. None when the phrase has no such noun.
    """
    parsed = syntax.parse(phrase)
    tokens = [t for s in parsed.sentences for t in s.tokens]
    head_index = None
    for i, tok in enumerate(tokens):
        if tok.pos in {"NOUN", "PROPN"} and not (i > 0 and tokens[i - 1].pos == "ADP"):
            head_index = i
            break
        if tok.pos in {"ADP", "VERB", "AUX"}:
            return None
    if head_index is None:
        return None
    head = tokens[head_index]
    if head.feats.get("Case") not in {"Nom", "Acc", "Gen", None}:
        return None
    out = []
    for i, tok in enumerate(tokens):
        text = phrase[tok.start : tok.stop]
        if (i < head_index and tok.pos in {"ADJ", "DET"}) or (
            i == head_index and tok.pos == "NOUN" and re.fullmatch(r"[а-яё-]+", text)
        ):
            text = _inflect_word(text, case)
        out.append((tok.start, tok.stop, text))
    result = phrase
    for start, stop, text in reversed(out):
        result = result[:start] + text + result[stop:]
    return result


_COST_RE = re.compile(
    r"^сколько\s+(?:(?:у\s+\w+|примерно|ориентировочно)\s+)*(будет\s+стоить|стоит|стоят|стоить)\s+(.+)$", re.I
)
_DURATION_RE = re.compile(r"^сколько\s+(?:времени\s+)?(займ[её]т|занимает|длится|идёт|идет|будет\s+идти)\s+(.+)$", re.I)
_WHEN_RE = re.compile(r"^когда\s+(?:(?:будет|будут|ждать|ожидать)\s+)?(.+)$", re.I)
_WHERE_RE = re.compile(r"^где\s+(?:сейчас\s+|же\s+)?(.+)$", re.I)
_WHICH_RE = re.compile(r"^(?:какой|какая|какое|какие|каков|какова|каково|каковы)\s+(.+)$", re.I)
_IS_THERE_RE = re.compile(r"^(?:есть ли|есть ли у вас|у вас есть|есть)\s+(.+)$", re.I)
_NEED_RE = re.compile(
    r"^(?:нам\s+|мне\s+)?(?:срочно\s+|очень\s+)?"
    r"(?:нужн[аоы]?|нужен|требуется|необходим[аоы]?|требую|требуем):?\s+(.+)$",
    re.I,
)


def _has_finite_verb(text: str) -> bool:
    return any(t.pos in {"VERB", "AUX"} for s in syntax.parse(text).sentences for t in s.tokens)


_CAN_YOU_RE = re.compile(r"^(?:а\s+)?(?:вы\s+)?(?:можете|сможете|успеете|могли бы|не могли бы)\s+(?:ли\s+)?(.+)$", re.I)


def _short_hint(body: str, words: int = 12) -> str:
    # «честно: баннеры напечатаны?», «вопрос: можно ли…»: the lead-in is not part of what was asked
    text = re.sub(
        r"^(?:(?:и\s+)?(?:ещё\s+)?вопрос|честно|пожалуйста|скажите)\s*[:,]\s*", "", body.strip(" ?.!,"), flags=re.I
    )
    clipped, cut = clip_words(text, words)
    return f"{clipped}…" if cut else f"{text}?"


_ASKING_OPENING_RE = re.compile(
    r"(?:можно|нельзя|есть ли|нужно ли|надо ли|сколько|когда|где|как|какой|какая|какие|какое|кто|что|почему|"
    r"зачем|\S+\s+ли)(?![\w-])",
    re.I,
)


def restate_question(body: str, lexicon: SpeechActLexicon) -> Restated:
    # «Перед тем как подписывать, хотелось бы попробовать: можно заказать пробный обед?»: what is asked follows
    # the last colon or sentence end; what comes before it leads up to it
    tail = re.split(r":\s+", body.strip())[-1]
    if tail != body.strip() and len(tail.split()) >= 3 and _ASKING_OPENING_RE.match(tail):
        body = tail
    if (m := _CAN_YOU_RE.match(body.strip(" ?.!,"))) and re.match(r"[а-яё]+(?:ть|ти|чь)(?:ся)?\b", m.group(1), re.I):
        # «Можете гарантировать срок?» → «Гарантировать срок — [можем / не можем — условия]»: no promise made
        action = turn_round(m.group(1), lexicon)
        blank = "[можем / другой срок]" if re.search(r"\d|срок|до\s", action) else "[можем / не можем — условия]"
        return Restated(f"{_cap(action)} — {blank}.", blank)
    q = turn_round(body.strip(" ?.!,"), lexicon)
    low = q.lower()
    if m := _COST_RE.match(q):
        subject = noun_phrase_in_case(m.group(2), "gent")
        if subject:
            return Restated(f"Стоимость {subject} — [сумма].", "[сумма]")
        return Restated(f"{_cap(m.group(2))} {m.group(1)} [сумма].", "[сумма]")
    if m := _DURATION_RE.match(q):
        subject = noun_phrase_in_case(m.group(2), "nomn")
        if (
            subject
            and subject.split()[0].lower() not in {"оно", "это", "она", "он", "они"}
            and not (
                _has_finite_verb(m.group(2))  # «подключение и вы это оформляете сами»: two questions, not one subject
            )
        ):
            return Restated(f"{_cap(subject)} {m.group(1)} [сколько времени].", "[сколько времени]")
    if re.match(r"сколько\s+(?:дней\s+|времени\s+)?(?:в пути|ехать|везти|идёт груз|идет груз|доставка займёт)", low):
        return Restated("Срок в пути — [сколько дней].", "[сколько дней]")
    if (m := _WHERE_RE.match(q)) and not _has_finite_verb(m.group(1)):
        return Restated(f"{_cap(m.group(1))}: [статус и срок].", "[статус и срок]")
    if m := _WHEN_RE.match(q):
        rest = m.group(1)
        if re.fullmatch(r"(?:вы\s+|Вы\s+)?[а-яё]+(?:ете|ите|ёте)", rest.strip(), re.I):
            return Restated("Когда сможем: [дата].", "[дата]")  # «когда сможете» (or «сможите»): only the date
        if not _has_finite_verb(rest) and noun_phrase_in_case(rest, "nomn"):
            return Restated(f"{_cap(rest)} — [дата].", "[дата]")
        if re.match(r"(?:мы|Вы)\s", rest):
            return Restated(f"{_cap(rest)} [дата].", "[дата]")
    if m := _WHICH_RE.match(q):
        rest = m.group(1)
        if not _has_finite_verb(rest) and noun_phrase_in_case(rest, "nomn"):
            return Restated(f"{_cap(rest)} — [ответ].", "[ответ]")
    if (m := _IS_THERE_RE.match(q)) and not _has_finite_verb(m.group(1)):
        return Restated(f"{_cap(m.group(1))}: [есть / нет].", "[есть / нет]")
    rest = re.sub(r"^(?:можно\s+ли|можно)[\s,]+", "", q, flags=re.I)
    if rest != q and rest:
        return Restated(f"{_cap(rest)} — [можно / нельзя — условия].", "[можно / нельзя — условия]")
    if items := _info_items(q):
        return Restated(items + ".", "[ответ]")
    # Any other question: a blank that names the question, for the manager to replace with the answer. Quoting the
    # client's words back in the reply read as a template seam.
    hint = _short_hint(body)
    return Restated(f"[Ответ на вопрос «{hint}»]", f"[Ответ на вопрос «{hint}»]")


_ITEM_BLANKS = {
    "цена": "[сумма]",
    "цены": "[суммы]",
    "стоимость": "[сумма]",
    "наличие": "[есть / нет]",
    "срок": "[дата]",
    "сроки": "[даты]",
    "условия": "[условия]",
    "реквизиты": "[реквизиты]",
    "статус": "[статус]",
    "адрес": "[адрес]",
    "телефон": "[телефон]",
    "график": "[график]",
    "остатки": "[остатки]",
    "расписание": "[расписание]",
}


def _info_items(q: str) -> str:
    """«Цена, наличие, срок» → «Цена — [сумма], наличие — [есть / нет], срок — [дата]»."""
    words = [w.strip() for w in re.split(r",|\s+и\s+", q) if w.strip()]
    if not words or not all(w.lower() in _ITEM_BLANKS for w in words):
        return ""
    return ", ".join(f"{w} — {_ITEM_BLANKS[w.lower()]}" for w in [_cap(words[0]), *words[1:]])


# «выставьте один счёт — хотим оплатить до праздников», «…, бухгалтерия без этого не оплатит»: the reason is theirs
_REASON_TAIL_RE = re.compile(
    r"(?:\s[—–]\s|,\s*)"
    r"(?=(?:чтобы|так как|потому что|т\.\s?к\.|иначе|а то|бухгалтерия|нам(?!\s+(?:удобно|подойд|подходит))|мне|хотим|"
    r"хочу|у нас|у меня|я|мы|телефон|(?:\S+\s+)?(?:проще|удобнее|быстрее|легче))\b)|"
    r"\s[—–]\s(?=[^—–]*\b(?:у нас|у меня)\b)",  # «… на вторник — в понедельник у нас инвентаризация»: their reason
    re.I,
)
_DEADLINE_IN_RE = re.compile(
    r"(?:не позднее|не позже|до|к)\s+\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?(?:\s+включительно)?|"
    r"(?:не позднее|не позже|до|к)\s+(?:понедельника|вторника|среды|четверга|пятницы|\d{1,2}\s+[а-яё]+)",
    re.I,
)
_DEADLINE_OR_DAY_RE = re.compile(
    r"\d|понедельник|вторник|сред|четверг|пятниц|суббот|воскресень|завтра|сегодня|недел|месяц", re.I
)
_REFUND_RE = re.compile(
    r"верн\w*\s+(?:\S+\s+){0,2}?(?:деньги|предоплат\w*|оплат\w*|средства|стоимость|аванс\w*|разниц\w*|лишн\w*|"
    r"переплат\w*|списани\w*)|"
    r"(?:деньги|предоплат\w*|средства|аванс\w*)\s+верн\w*",
    re.IGNORECASE,
)
_ONLY_WHEN_RE = re.compile(
    r"(?:сегодня|завтра|послезавтра|сейчас|срочно|в (?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье))"
    r"(?:\s+(?:же|утром|днём|днем|вечером|до \d{1,2}(?::\d{2})?))?",
    re.I,
)
_EXPECT_RE = re.compile(r"^(?:жду|ждём|ждем|ожидаю|ожидаем)\s+(.+)$", re.I)
_EXPECT_AFTER_RE = re.compile(r"^(.+?)\s+(?:жду|ждём|ждем|ожидаю|ожидаем)\s+(.+)$", re.I)


def _short(phrase: str, words: int = 12) -> str:
    """The phrase up to its first colon or comma, at most `words` words: the name of what is asked for (never
    ending on a preposition: «акт за» is no name)."""
    head = re.split(r"[;,(]|:(?!\d)", phrase, maxsplit=1)[0].strip()  # «после 14:00» is a time, not a colon
    parts = head.split()[:words]
    while parts and parts[-1].lower() in {"за", "на", "в", "во", "по", "к", "до", "с", "со", "для", "и", "или", "от"}:
        parts.pop()
    return " ".join(parts) if parts else phrase


def _first_part(text: str) -> str:
    return text.split(",")[0].strip()


def _has_past_verb(text: str) -> bool:
    return any(
        p.tag.POS == "VERB" and "past" in p.tag
        for w in re.findall(r"[А-Яа-яЁё]+", text)
        for p in morph().parse(w.lower())[:1]
    )


def _said_before_note(body: str) -> str:
    """«у нас сменился директор, договоры теперь подписывает Кудрявцев А. П., учтите» → what is to be noted."""
    m = re.match(
        r"^(.+?),?\s+(?:учтите|учти|имейте в виду|примите к сведению)(?:\s+(?:это|этот момент))?[\s,.!]*"
        r"(?:пожалуйста)?[\s.!]*$",
        body,
        re.I,
    )
    return m.group(1).strip(" ,") if m else ""


_CALL_OURS = {"созвониться": "Созвонимся", "позвонить": "Позвоним", "перезвонить": "Перезвоним",
              "встретиться": "Встретимся"}  # fmt: skip


def _lower_unless_name(text: str) -> str:
    """«Костя хочет …» keeps its capital after a colon; «Гостей теперь 85» does not."""
    first = re.match(r"[А-Яа-яЁё]+", text)
    if first is None or first.group().isupper():
        return text
    tags = morph().parse(first.group().lower())[0].tag
    if {"Name", "Surn", "Patr", "Geox", "Orgn"} & set(tags.grammemes):
        return text
    return text[:1].lower() + text[1:]


def _we_will(text: str) -> str:
    """«Напишем, когда примете» → «Напишем, когда примем»: in our line the deed the client asked about is ours."""
    words = text.split(" ")
    for i, word in enumerate(words):
        bare = word.strip(",.?!")
        if not bare.isalpha():
            continue
        parses = morph().parse(bare.lower())
        # «когда примете»: after «когда», «что», «ли» a less likely verb reading («примета» is likelier) is the one
        after_conjunction = i > 0 and words[i - 1].strip(",").lower() in ("когда", "что", "ли", "как", "если", "где")
        for parse in parses[: 3 if after_conjunction else 1]:
            if {"VERB", "2per", "plur"} <= parse.tag.grammemes and "impr" not in parse.tag:
                ours = parse.inflect({"1per"})
                if ours is not None:
                    words[i] = word.replace(bare, ours.word)
                break
    return " ".join(words)


def restate_request(body: str, alternatives: tuple[str, ...], lexicon: SpeechActLexicon) -> Restated:
    """A request becomes what we will do, in the client's words; a choice the client offers stays a choice."""
    # «Разберитесь уже наконец»: impatience is the client's; our line keeps only the action
    text = re.sub(r"(?<![\w-])(?:уже\s+)?(?:наконец-то|наконец|вообще|срочно|ну)(?![\w-])\s*", "", body, flags=re.I)
    text = re.sub(r"(?<![\w-])уже\s*$", "", text.strip(" .!,")).strip(" .!,")
    first, _, rest = text.partition(" ")
    if first.lower() in _CALL_OURS:  # «созвониться в понедельник после 14:00» (how the client wants to be reached)
        if not rest.strip():
            return Restated(f"{_CALL_OURS[first.lower()]} — подскажите удобное время.", "")
        return Restated(
            f"{_CALL_OURS[first.lower()]} {rest.strip()} — [подтверждаем / другое время].", "[подтверждаем]"
        )
    if alternatives:
        options = [as_our_action(a, lexicon) for a in alternatives]
        if all(options):
            joined = " / ".join(o for o in options if o)
            return Restated(f"[{_cap(joined)}].", f"[{joined}]")
    text = _REASON_TAIL_RE.split(text, maxsplit=1)[0].strip(" ,")
    head, dash, tail = text.partition(" — ")
    if dash and _has_past_verb(tail):  # «… с приложениями — оригинал потерялся при переезде»: their explanation
        text = head.strip(" ,")
    elif dash and not as_our_action(head, lexicon) and (action := as_our_action(tail, lexicon)):
        # «гостей теперь 85, а не 70 — добавь в смету (рассадка, кейтеринг)»: the action, then what it is about
        what = _we_will(re.sub(r"\s*\(([^)]*)\)\s*$", "", action))
        said = turn_round(head.strip(" ,"), lexicon)
        return Restated(f"{_cap(what)}: {_lower_unless_name(said)} — [срок / другое решение].",
                        "[срок / другое решение]")  # fmt: skip
    text = re.sub(r"^для\s+[^:,—]{1,40}[:—]\s*", "", text, flags=re.I)  # «Для бухгалтерии: нужен счёт …»
    text = re.sub(r"^для\s+[а-яё]+\s+(?=нуж)", "", text, flags=re.I)  # «Для бухгалтерии нужны закрывающие …»
    if _REFUND_RE.search(text):
        # a refund is the manager's decision, never the bot's promise
        return Restated("Возврат денег — [вернём / предложим другое решение].", "[вернём / предложим другое решение]")
    ours = as_our_action(text, lexicon)
    if (
        ours
        and re.sub(r"\s+это$", "", ours.strip(" .").lower()) in ("учтём", "учтем")
        and (said := _said_before_note(body))
    ):
        said = turn_round(said, lexicon)
        said = (
            said if said.split(" ", 1)[0].isupper() and len(said.split(" ", 1)[0]) > 1 else said[:1].lower() + said[1:]
        )
        return Restated(f"Учтём: {said}.", "")  # «…подписывает Кудрявцев, учтите» — what
    if ours and re.match(r"(?:не\s|[а-яё]+\s+не\s)", ours, re.I) and not re.search(r"\d", ours):
        return Restated(f"{_cap(ours)} — учли.", "")  # «не присылайте прайс на сорок страниц»: a constraint
    if ours:
        if m := re.match(r"подтвердим\s+(.*(?:дат|срок|врем|день|числ).*)$", ours, re.IGNORECASE):
            return Restated(f"Подтверждаем {m.group(1)}: [дата и время].", "[дата и время]")
        if re.match(r"подтвердим", ours, re.IGNORECASE):
            return Restated(f"{_cap(ours)} — [да / нет — что мешает].", "[да / нет — что мешает]")
        if re.search(r"\d{1,2}:\d{2}|\bдо\s|\bк\s+\d|сегодня|завтра|срочно", ours, re.IGNORECASE):
            # the client's deadline is not ours to promise until the manager checks it
            return Restated(f"{_cap(ours)} — [подтверждаем / другой срок].", "[подтверждаем / другой срок]")
        return Restated(f"{_cap(ours)}.", "")
    if m := _NEED_RE.match(text):
        wanted = _short(m.group(1))
        if text.lower().startswith("треб"):  # «Требуем компенсацию ущерба» → «Компенсация ущерба»
            wanted = noun_phrase_in_case(wanted, "nomn") or wanted
        if re.match(r"(?:у|к|до|на|в|нам|мне)\s", wanted, re.I) and (deadline := _DEADLINE_IN_RE.search(text)):
            return Restated(f"Срок {deadline.group()}: [подтверждаем / другой срок].", "[подтверждаем / другой срок]")
        return Restated(f"{_cap(turn_round(wanted, lexicon))} — [ответ].", "[ответ]")
    if (m := _EXPECT_AFTER_RE.match(text)) and _ONLY_WHEN_RE.fullmatch(m.group(1).strip()):
        # «Сегодня жду звонка от директора, не от администратора» → «Звонок от директора — сегодня: [подтверждаем …]»
        wanted = _short(m.group(2))
        subject = noun_phrase_in_case(wanted, "nomn") or wanted
        return Restated(
            f"{_cap(turn_round(subject, lexicon))} — {m.group(1).strip().lower()}: [подтверждаем / другой срок].",
            "[подтверждаем / другой срок]",
        )
    if (m := _EXPECT_AFTER_RE.match(text)) and (when := _DEADLINE_OR_DAY_RE.search(m.group(2))):
        # «Новую версию жду во вторник к 12:00» → «Новая версия — во вторник к 12:00: [подтверждаем / другой срок]»
        subject = noun_phrase_in_case(m.group(1), "nomn") or m.group(1)
        return (
            Restated(
                f"{_cap(turn_round(subject, lexicon))} — {_first_part(m.group(2))}: [подтверждаем / другой срок].",
                "[подтверждаем / другой срок]",
            )
            if when
            else Restated("", "")
        )
    if m := _EXPECT_RE.match(text):
        if when := _DEADLINE_IN_RE.search(m.group(1)):
            wanted = m.group(1)[: when.start()].strip(" ,")
            subject = noun_phrase_in_case(wanted, "nomn") or wanted
            return Restated(
                f"{_cap(turn_round(subject, lexicon))} — {when.group()}: [подтверждаем / другой срок].",
                "[подтверждаем / другой срок]",
            )
        subject = noun_phrase_in_case(_short(m.group(1)), "nomn") or _short(m.group(1))
        return Restated(f"{_cap(turn_round(subject, lexicon))} — [ответ].", "[ответ]")
    return Restated(f"{_cap(turn_round(_short(text, 12), lexicon))} — [ответ].", "[ответ]")
