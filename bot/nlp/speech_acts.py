"""What a client's message does, clause by clause: asks, requests, complains, threatens, sets a deadline, thanks,
praises, reports, or only acknowledges.

Offline and deterministic: razdel and natasha's parser split and read the clauses, pymorphy3 tells imperatives and
questions, and the phrase lists live in knowledge/lexicons/speech_acts.yaml where an admin can extend them. Each act
keeps the client's own words (with offsets), so the reply can answer every question and request, and the card can
show what it answered.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.nlp import syntax
from bot.nlp.dates import DEADLINE, find_dates
from bot.nlp.text import PAST_NOT_IMPERATIVE, morph


class ActKind(StrEnum):
    QUESTION = "question"
    REQUEST = "request"
    COMPLAINT = "complaint"
    THREAT = "threat"
    DEADLINE = "deadline"
    THANKS = "thanks"
    PRAISE = "praise"
    APOLOGY = "apology"
    REPORT = "report"
    GREETING = "greeting"
    PROPOSAL = "proposal"  # «предлагаю встретиться во вторник»: the client proposes, we accept or offer another
    CHANGE = "change"  # «адрес доставки поменялся», «логотип крупнее, зелёный убираем»: we take it on board


@dataclass(frozen=True, slots=True)
class Clause:
    text: str  # as the client wrote it, trimmed
    start: int
    stop: int
    kinds: frozenset[ActKind]
    body: str = ""  # the question or request without lead-ins («подскажите,», «пожалуйста»)
    alternatives: tuple[str, ...] = ()  # «доложите … или пришлите …»: the client offers a choice
    announced: bool = False  # «ещё вопрос: …»: asked outright, never a reproach however it is worded


@dataclass(frozen=True)
class Reading:
    text: str
    clauses: tuple[Clause, ...]
    topics: frozenset[str]  # message-level themes: routine, order, first_contact, price_objection, proposal, …
    urgent: bool
    only_acknowledgement: bool
    people: tuple[str, ...] = ()
    introduced_as: str = ""  # «Меня зовут Карина» → «Карина»
    orgs: tuple[str, ...] = ()
    figures: tuple[str, ...] = field(default=())  # numbers as written: «40 шт», «2,3 млн», «7.3», «±0,2 мм»
    deadlines: tuple[str, ...] = ()  # the client's own: «до среды», «не позже 15 декабря»

    def of(self, kind: ActKind) -> list[Clause]:
        return [c for c in self.clauses if kind in c.kinds]

    def has(self, kind: ActKind) -> bool:
        return any(kind in c.kinds for c in self.clauses)

    @property
    def asks(self) -> list[Clause]:
        """Questions and requests in the order the client wrote them: each needs a move in the reply."""
        return [c for c in self.clauses if c.kinds & {ActKind.QUESTION, ActKind.REQUEST, ActKind.PROPOSAL}]


# Lexicon ---------------------------------------------------------------------------------------------------------
def _phrase_re(phrases: list[str]) -> re.Pattern[str]:
    parts = []
    for phrase in sorted({str(p).lower().replace("ё", "е") for p in phrases}, key=len, reverse=True):
        words = [re.escape(w.rstrip("*")) + (r"[\w-]*" if w.endswith("*") else "") for w in phrase.split()]
        body = r"\s+".join(words)
        if re.fullmatch(r"[\w\s*-]+", phrase):
            parts.append(rf"(?<![\w-]){body}(?![\w-])")
        else:  # «+», emoji: no word boundaries
            parts.append(body)
    return re.compile("|".join(parts) or r"(?!x)x", re.IGNORECASE)


@dataclass(frozen=True)
class SpeechActLexicon:
    patterns: dict[str, re.Pattern[str]]
    words: dict[str, frozenset[str]]
    perspective: dict[str, str]

    @classmethod
    def load(cls, path: Path) -> SpeechActLexicon:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        perspective = {str(k).lower(): str(v) for k, v in (data.pop("perspective", None) or {}).items()}
        lists = {str(k): [str(x) for x in (v or [])] for k, v in data.items()}
        return cls(
            {name: _phrase_re(phrases) for name, phrases in lists.items()},
            {name: frozenset(p.lower().replace("ё", "е") for p in phrases) for name, phrases in lists.items()},
            perspective,
        )

    def find(self, name: str, text: str) -> re.Match[str] | None:
        pattern = self.patterns.get(name)
        # «во сколько можно подъехать?» asks the time; only a bare «сколько можно» is exasperation (length kept)
        text = re.sub(r"(?<![\w-])(во) (сколько)", r"\1-\2", text.replace("ё", "е").replace("Ё", "Е"), flags=re.I)
        return pattern.search(text) if pattern else None


@lru_cache(maxsize=4)
def load_lexicon(path: Path) -> SpeechActLexicon:
    return SpeechActLexicon.load(path)


# Clauses ---------------------------------------------------------------------------------------------------------
_GREETING_RE = re.compile(
    r"^\s*(?i:(?:добрый|доброе|доброго)(?:\s+(?:день|утро|вечер|времени\s+суток|дня))?|здравствуйте|здравствуй|"
    r"привет(?:ствую)?|приветствую\s+вас|hello|hi|коллеги|уважаем\w+)"
    r"(?:\s*,?\s*(?:[А-ЯЁ][а-яё-]+(?:\s+[А-ЯЁ][а-яё-]+){0,2}|(?i:коллеги|команда|всем|друзья)))?\s*[!.,]*\s*"
)
_ADDRESS_RE = re.compile(r"^\s*([А-ЯЁ][а-яё]+)(?:\s+[А-ЯЁ][а-яё]+)?\s*,\s*")  # «Олег, пришлите…»
_ITEM_RE = re.compile(r"(?:^|\s)(\d{1,2})[).]\s+(?=\S)|(?:^|\n)\s*[-–—•*]\s+(?=\S)")
_POLITE_RE = re.compile(
    r"(?:,\s*)?(?<![\w-])(?:пожалуйста|плиз|please|будьте добры|будьте любезны|если не сложно|если можно)(?![\w-])"
    r"(?:\s*,)?",
    re.IGNORECASE,
)
_LEAD_IN_RE = re.compile(
    r"^(?:(?:и\s+)?(?:ещё|еще)(?:\s+один(?:\s+вопрос)?)?|[аи]|также|кстати|да,?|так,?|вот|ну|заодно(?:\s+вопрос)?|"
    r"и второе|второе|во-вторых|по делу|по существу)\s*[:—–-]?\s+",
    re.IGNORECASE,
)
_QUESTION_SPLIT_RE = re.compile(
    r"(?:\s+(?:и|а также|а)|,?\s+[—–-])\s+(?=(?:сколько|когда|где|куда|как|какой|какая|какое|какие|каков|почему|"
    r"можно ли|есть ли|нужно ли|можно|кто|что)\b)",
    re.IGNORECASE,
)
_FIGURE_RE = re.compile(
    r"(?:±\s?)?\d[\d\s.,]*\d?(?:\s?(?:%|₽|руб\.?|рублей|тыс\.?|млн|млрд|шт\.?|кг|т|м|мм|см|км|кВт|паллет\w*|"
    r"коробок|мест|человек|чел\.?|дней|дня|день|час\w*|мин\w*|мес\w*|лет|год\w*))?",
)


# razdel keeps «д. 55, лит. А, пом. 12-Н. Прошу оформить» as one sentence: a request after a full stop starts one
_ASK_AFTER_ABBREVIATION_RE = re.compile(
    r"\.\s+(?=(?:Прошу|Просим|Просьба|Нужно|Нужен|Нужна|Нужны|Подскажите|[А-ЯЁ][а-яё]+(?:ите|йте))(?![\w-]))|"
    # «…всё закопчёное. сколько стоит и когда сможите»: a lower-case question after a full stop starts a sentence
    r"\.\s+(?=(?:сколько|когда|где|как|какой|какая|какие|можно|есть ли|а вы|вы)(?![\w-]))"
)


@dataclass(frozen=True)
class _Sentence:
    start: int
    stop: int
    text: str


# «наб. Обводного канала», «г. Москва», «пом. 14-Н»: razdel ends a sentence after these before a capital letter
_ADDRESS_ABBREVIATION_RE = re.compile(
    r"(?<![\w-])(?:наб|ул|пр|пр-т|просп|д|г|к|корп|стр|лит|пом|оф|кв|пер|пл|обл|р-н|мкр|ш|тел|таб|им)\.\s*$", re.I
)


def _joined_at_abbreviations(text: str, sentences: Any) -> list[_Sentence]:
    joined: list[_Sentence] = []
    for sent in sentences:
        if joined and _ADDRESS_ABBREVIATION_RE.search(joined[-1].text):
            start = joined[-1].start
            joined[-1] = _Sentence(start, sent.stop, text[start : sent.stop])
        else:
            joined.append(_Sentence(sent.start, sent.stop, text[sent.start : sent.stop]))
    return joined


def _spans(text: str) -> list[tuple[int, int]]:
    """Sentences (razdel via natasha), then list items and «;» inside them."""
    spans: list[tuple[int, int]] = []
    for sent in _joined_at_abbreviations(text, syntax.parse(text).sentences):
        cuts = [sent.start]
        for m in re.finditer(r";|\n+|[?!]+\)*\s+(?=\S)|\){2,}\s+(?=[А-ЯЁA-Z])", sent.text):
            cuts.append(sent.start + m.end())
        for m in _ASK_AFTER_ABBREVIATION_RE.finditer(sent.text):  # «… пом. 12-Н. Прошу оформить …»
            cuts.append(sent.start + m.end())
        expected = 1  # «корп. 2) будет поверка» is no item: a numbered item follows the one before it
        for m in _ITEM_RE.finditer(text, 0, sent.stop):
            number = int(m.group(1)) if m.group(1) else None
            if number is not None:
                if number not in (1, expected):
                    continue
                expected = number + 1
            if sent.start < m.start() + 1 and m.start() > sent.start:
                cuts.append(m.start())
        cuts = [*sorted(set(cuts)), sent.stop]
        spans.extend((a, b) for a, b in itertools.pairwise(cuts) if text[a:b].strip(" ;\n"))
    return spans


def _trim(text: str, start: int, stop: int) -> tuple[int, int]:
    while start < stop and text[start] in " \n\t;,-–—•*":
        start += 1
    m = re.match(r"\d{1,2}[).]\s+", text[start:stop])
    if m:
        start += m.end()
    while stop > start and text[stop - 1] in " \n\t;,":
        stop -= 1
    return start, stop


def _imperative_score(word: str) -> tuple[float, float]:
    """(share of parses that are imperative, share that are indicative) by pymorphy3's scores."""
    low = word.lower().replace("ё", "е")
    if not re.fullmatch(r"[а-я-]{3,}", low) or low in PAST_NOT_IMPERATIVE:
        return 0.0, 0.0  # «нашли» is the past of «найти», not the imperative of «наслать»
    parses = morph().parse(low)
    if not parses or parses[0].tag.POS != "VERB":  # «мой» is a pronoun before it is «мыть»
        return 0.0, 0.0
    impr = sum(p.score for p in parses if "impr" in p.tag and "incl" not in p.tag)  # «заберём» is theirs, not ours
    indc = sum(p.score for p in parses if p.tag.POS == "VERB" and "indc" in p.tag)
    return impr, indc


def _perfective_past_too(word: str) -> bool:
    parses = morph().parse(word.lower())
    return any("impr" in p.tag and "perf" in p.tag for p in parses) and any(
        "past" in p.tag and "indc" in p.tag for p in parses
    )


def _has_subject_before(words: list[str]) -> bool:
    """A nominative noun or pronoun before the verb («деньги пришли», «вы отгрузите»): an indicative, not a request."""
    return any(
        parse.score >= 0.2 and parse.tag.POS in {"NOUN", "NPRO"} and parse.tag.case == "nomn"
        for word in words
        for parse in morph().parse(word.lower())
    )


def _first_imperative(text: str) -> re.Match[str] | None:
    seen: list[str] = []
    quoted = [(q.start(), q.end()) for q in re.finditer(r"«[^»]*»|\"[^\"]*\"", text)]
    for m in re.finditer(r"[А-Яа-яЁё-]+", text):
        if any(a < m.start() < b for a, b in quoted):
            continue  # «отвечают «ожидайте»»: someone else's words, not a request to us
        if seen and seen[-1].lower() == "не" and _perfective_past_too(m.group()):
            seen.append(m.group())
            continue  # «так и не нашли»: a negated perfective is the past («нашли» of «найти»), not «наслать»
        impr, indc = _imperative_score(m.group())
        if impr >= 0.99 or (impr > 0 and impr >= indc and not _has_subject_before(seen)):
            return m
        seen.append(m.group())
    return None


def _asking_verb(lex: SpeechActLexicon, word: str) -> bool:
    lemmas = {p.normal_form.replace("ё", "е") for p in morph().parse(word.lower())}
    return bool(lemmas & lex.words.get("asking_verbs", frozenset()))


def _strip_lead(lex: SpeechActLexicon, body: str) -> tuple[str, bool]:
    """The clause without «подскажите,», «интересует», «вопрос:» before the question itself; True if one was there."""
    low = body.lower().replace("ё", "е")
    for phrase in sorted(lex.words.get("question_leads", frozenset()), key=len, reverse=True):
        if low.startswith(phrase) and (len(low) == len(phrase) or not low[len(phrase)].isalnum()):
            rest = body[len(phrase) :].lstrip(" ,:—-")
            return rest, True
    return body, False


def _clean_body(lex: SpeechActLexicon, text: str) -> tuple[str, bool]:
    text = re.sub(r"^[^\w«\"(]+", "", text)  # «🎉 Хочу сказать…»: emoji and dashes before the first word
    # «подтвердите, пожалуйста, что…» keeps the comma the conjunction needs; «пришлите, пожалуйста, счёт» does not
    text = re.sub(r",\s*(?:пожалуйста|плиз)\s*,\s*(?=(?:что|чтобы|как|когда|где|ли|если)\b)", ", ", text, flags=re.I)
    # «позвоните мне, пожалуйста, мне трудно писать»: a new clause follows, its comma stays
    text = re.sub(r",\s*(?:пожалуйста|плиз)\s*,\s*(?=(?:мне|нам|я|мы|у нас|у меня)\b)", ", ", text, flags=re.I)
    body = _POLITE_RE.sub("", text).strip(" ,.!?…")
    body = re.sub(r"\s{2,}", " ", body)
    body = _LEAD_IN_RE.sub("", body)
    body, led = _strip_lead(lex, body)
    body = _LEAD_IN_RE.sub("", body)
    return body.strip(" ,.!?…:"), led


def _alternatives(body: str) -> tuple[str, ...]:
    """«доложите недостачу … или пришлите корректировочный УПД»: two requests the client lets us choose from."""
    parts = re.split(r",?\s+(?:или|либо)\s+", body)
    if len(parts) < 2 or not all(_first_imperative(p) and _first_imperative(p).start() == 0 for p in parts):  # type: ignore[union-attr]
        return ()
    return tuple(p.strip(" ,") for p in parts)


def read_message(text: str, lexicon: SpeechActLexicon, today: date | None = None) -> Reading:
    clauses: list[Clause] = []
    for a, b in _spans(text):
        a, b = _trim(text, a, b)
        if a >= b:
            continue
        raw = text[a:b]
        address = _ADDRESS_RE.match(raw)
        if address and _is_name(address.group(1)) and _GREETING_RE.match(raw[address.end() :]):
            a += address.end()
            raw = raw[address.end() :]
        greeting = _GREETING_RE.match(raw)
        if greeting and greeting.end() > 0:
            rest = raw[greeting.end() :]
            clauses.append(Clause(raw[: greeting.end()].strip(), a, a + greeting.end(), frozenset({ActKind.GREETING})))
            if not rest.strip(" !.,"):
                continue
            a += greeting.end()
            raw = rest
        address = _ADDRESS_RE.match(raw)
        if address and _is_name(address.group(1)):
            a += address.end()
            raw = raw[address.end() :]
            greeting = _GREETING_RE.match(raw)
            if greeting and greeting.end() > 0:
                clauses.append(
                    Clause(raw[: greeting.end()].strip(), a, a + greeting.end(), frozenset({ActKind.GREETING}))
                )
                a += greeting.end()
                raw = raw[greeting.end() :]
                if not raw.strip(" !.,"):
                    continue
        for part_start, part in _question_parts(raw):
            clauses.extend(_read_clause(lexicon, part, a + part_start))
    reading_text = text
    low = reading_text.lower()
    topics = frozenset(
        name
        for name in (
            "routine",
            "order",
            "first_contact",
            "price_objection",
            "proposal",
            "upsell",
            "renewal",
            "congratulation",
            "delay",
            "payment",
            "meeting",
        )
        if lexicon.find(name, low)
    )
    parsed = syntax.parse(text)
    people = tuple(dict.fromkeys(e.text for e in parsed.entities if e.kind == "PER"))
    orgs = tuple(dict.fromkeys(e.text for e in parsed.entities if e.kind == "ORG"))
    figures = tuple(dict.fromkeys(m.group().strip() for m in _FIGURE_RE.finditer(text) if re.search(r"\d", m.group())))
    # «в понедельник у нас инвентаризация, приёмка не работает»: trouble on the client's own side is a reason they
    # give, not a complaint about us (a strong complaint word still counts)
    clauses = [
        replace(c, kinds=(c.kinds - {ActKind.COMPLAINT}) or frozenset({ActKind.REPORT}))
        if ActKind.COMPLAINT in c.kinds
        and (
            _OTHER_PROVIDER_RE.search(_sentence_of(text, c.start))  # «у нас другая УК, жители недовольны»
            or (_OWN_SIDE_RE.search(c.text) and not lexicon.find("strong_complaint", c.text.lower()))
        )
        else c
        for c in clauses
    ]
    if any(ActKind.QUESTION in c.kinds for c in clauses):
        # «Хотим с января подключить ДМС… Сколько будет стоить?»: a wish beside a question is its context; so is a
        # need that describes what they want priced («Нужна вечерняя уборка после 19:00. Сколько это стоит?»)
        clauses = [
            replace(c, kinds=c.kinds - {ActKind.REQUEST} | {ActKind.REPORT})
            if ActKind.REQUEST in c.kinds
            and (_WISH_RE.match(c.body) or _NEED_STATEMENT_RE.match(c.body))
            and not c.alternatives
            and ActKind.QUESTION not in c.kinds
            and _question_follows(clauses, c)
            else c
            for c in clauses
        ]
        # «Интересует трактор Беларус 1221.3 — есть ли в наличии?»: the topic of the questions after it
        clauses = [
            replace(c, kinds=frozenset({ActKind.REPORT}))
            if ActKind.QUESTION in c.kinds
            and "?" not in c.text
            and re.match(r"\s*интересу", c.text, re.I)
            and _question_follows(clauses, c)
            else c
            for c in clauses
        ]
    praised = any(c.kinds & {ActKind.PRAISE} for c in clauses) or any(
        ActKind.THANKS in c.kinds and thanks_for_something(c.text) for c in clauses
    )
    if praised and not any(ActKind.THREAT in c.kinds for c in clauses) and not lexicon.find("strong_complaint", text):
        # «Спасибо от всей семьи… хотя рейс задержали на четыре часа»: a rave that mentions a hitch is not a complaint
        clauses = [replace(c, kinds=(c.kinds - {ActKind.COMPLAINT}) or frozenset({ActKind.REPORT})) for c in clauses]
    if any(ActKind.COMPLAINT in c.kinds for c in clauses):
        # «2870 рублей за это?» in an angry message: a reproach, not a question to answer point by point
        clauses = [
            replace(c, kinds=c.kinds - {ActKind.QUESTION} | {ActKind.COMPLAINT})
            if ActKind.QUESTION in c.kinds
            and not _ASKS_FOR_SOMETHING.search(c.text)
            # «вы делаете проект зимой?» still asks: only a verbless jab («2870 рублей за это?») reproaches
            and not (_finite_verb_in(c.text.lower()) and len(c.text.split()) > 4)
            else c
            for c in clauses
        ]
    clauses = _listed_questions(clauses)
    clauses = _listed_changes(clauses)
    clauses = _listed_needs(clauses)
    # «Вопросы:» alone opens the list of questions; it asks nothing itself
    clauses = [
        replace(c, kinds=frozenset({ActKind.REPORT})) if _QUESTIONS_HEADER_RE.match(c.text) else c for c in clauses
    ]
    clauses = _elided_requests(clauses)
    # «Также нужен акт сверки с ООО «Профиль-М» за 2026 год»: a thing the client needs from us is a request
    clauses = [
        replace(c, kinds=(c.kinds - {ActKind.REPORT, ActKind.CHANGE}) | {ActKind.REQUEST}, body=_need_first(c))
        if c.kinds <= {ActKind.REPORT, ActKind.DEADLINE, ActKind.CHANGE}
        and (
            _NEED_THING_RE.match((c.body or c.text).strip())
            # «…, нужна уборка утром 20-го. Сколько это будет стоить?»: a need said before a question is its context
            or (_NEED_AFTER_TOPIC_RE.search(c.body or c.text) and not _question_follows(clauses, c))
        )
        else c
        for c in clauses
    ]
    # «договор продлеваем, но хотим уменьшить с 60 до 45 карт»: a wish to do something is a request to us
    clauses = [
        replace(c, kinds=(c.kinds - {ActKind.REPORT}) | {ActKind.REQUEST})
        if c.kinds <= {ActKind.REPORT, ActKind.DEADLINE}
        and _WISH_TO_DO_RE.search(c.text)
        and not OWN_PLAN_RE.search(c.text)  # «Остаток хотим оплатить в понедельник»: their own plan
        and not _question_follows(clauses, c)
        else c
        for c in clauses
    ]

    acknowledged_waiting = any(_ACK_THEN_WAIT_RE.match(c.text.strip()) for c in clauses)  # «Принято, ждём машину»
    if "?" not in text and (_opens_with_acknowledgement(lexicon, clauses) or acknowledged_waiting):
        # «Принято, спасибо. Ждём инженера в 10:00.»: after an acknowledgement «ждём …» confirms, it does not ask
        clauses = [
            replace(c, kinds=frozenset({ActKind.REPORT}))
            if _WAITING_RE.match((c.body or c.text).strip()) and not c.kinds & {ActKind.COMPLAINT, ActKind.THREAT}
            else c
            for c in clauses
        ]
    needs_answer = {ActKind.QUESTION, ActKind.REQUEST, ActKind.COMPLAINT, ActKind.THREAT, ActKind.PRAISE}
    only_ack = not any(c.kinds & needs_answer for c in clauses) and _only_acknowledgement(lexicon, text, clauses)
    intro = re.search(r"(?i:меня зовут|это)\s+([А-ЯЁ][а-яё]+)(?:\s+([А-ЯЁ][а-яё]+))?", text)
    introduced = ""
    by_name = intro is not None and (intro.group(0).lower().startswith("меня") or _is_patronymic(intro.group(2) or ""))
    if intro and by_name and _is_first_name(intro.group(1)) and not _is_surname(intro.group(1)):
        introduced = intro.group(1) + (
            f" {intro.group(2)}" if intro.group(2) and _is_patronymic(intro.group(2)) else ""
        )
    introduced = introduced or _signed_as(text)
    deadlines = tuple(deadline_phrases(text, today)) if today else ()
    return Reading(
        text,
        tuple(clauses),
        topics,
        bool(lexicon.find("urgent", low)),
        only_ack,
        people,
        introduced,
        orgs,
        figures,
        deadlines,
    )


def _signed_as(text: str) -> str:
    """The first name the message is signed with: «Ольга, управляющая «Хинкальная»», «Константин Жуков, ООО «…»»,
    «Спасибо, Евгения, HR «Волга Агро»» → «Ольга», «Константин», «Евгения». «М. Соколова» and «Гусейнов А.Р.» give
    no first name, so none is guessed."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 2 or len(lines[-1]) > 80:
        return ""
    last = re.sub(r"^(?i:с уважением|спасибо|заранее спасибо|благодарю)[,!.]?\s*", "", lines[-1])
    m = re.match(r"([А-ЯЁ][а-яё]+)(?=[\s,.]|$)", last)
    if m is None or not _is_first_name(m.group(1)) or _is_surname(m.group(1)):
        return ""
    if re.search(r"(?:ов|ев|ёв|ин|ын|ова|ева|ина|ына|ский|цкий|ская|цкая)$", m.group(1)):
        return ""  # «Филиппов»: a surname the dictionary reads as a name
    return m.group(1)


def _is_first_name(word: str) -> bool:
    return any("Name" in p.tag and p.score >= 0.1 for p in morph().parse(word.lower()))


def _is_surname(word: str) -> bool:
    parses = morph().parse(word.lower())
    return bool(parses) and "Surn" in parses[0].tag


def _is_patronymic(word: str) -> bool:
    return any("Patr" in p.tag and p.score >= 0.1 for p in morph().parse(word.lower()))


def _is_name(word: str) -> bool:
    return any(
        {"Name", "Surn", "Patr"} & set(str(p.tag).replace(" ", ",").split(",")) and p.score >= 0.05
        for p in morph().parse(word.lower())
    )


_WH_START = re.compile(
    r"(?:сколько|когда|где|куда|откуда|как|какой|какая|какое|какие|каков|почему|зачем|можно|нужно|надо|есть ли)"
    r"(?![\w-])",
    re.IGNORECASE,
)


_WH_WORD = re.compile(
    r"(?:до скольки|во сколько|до какого|с какого|к какому|сколько|когда|где|куда|откуда|какой|какая|какое|какие|каков|"
    r"почему|зачем)(?![\w-])",
    re.I,
)


# Words that open a question even without «?» («сколько стоит и когда сможете»); «когда», «как», «где» often open a
# time or manner clause instead («Когда у нас сломался сервер, вы…»), and «нужно» a need.
_ASKING_START = re.compile(r"(?:сколько|какой|какая|какое|какие|каков\w*|есть ли|можно ли)(?![\w-])", re.I)


def _question_parts(raw: str) -> list[tuple[int, str]]:
    """«какой лимит … и сколько берёте сверх лимита?» → two questions (each keeps the «?»)."""
    if "?" not in raw and not _ASKING_START.match(raw.strip()):
        return [(0, raw)]  # «сколько стоит и когда сможите» without «?» still asks twice
    parts: list[tuple[int, str]] = []
    start = 0
    for m in _QUESTION_SPLIT_RE.finditer(raw):
        head = raw[start : m.start()]
        if head.strip():
            # «Интересует трактор Беларус 1221.3 — есть ли в наличии?»: only a head that asks itself gets the «?»
            opening = re.sub(r"^(?:и|а|но)\s+", "", head.strip(), flags=re.I)
            asks = _ASKING_START.match(opening) or re.match(r"(?:что|кто|когда|где|как)\s", opening, re.I)
            asks = asks or re.search(r"(?<![\w-])ли(?![\w-])", head, re.I)
            parts.append((start, head.rstrip(" ,.") + ("?" if asks else "")))
        start = m.end()
    parts.append((start, raw[start:]))
    # «Как исправить — нужно привезти книжку?»: every part of a question that opens with a question word asks too
    return [
        (at, p if p.rstrip().endswith("?") or not _WH_START.match(p.strip()) else p.rstrip(" ,") + "?")
        for at, p in parts
    ]


_CALL_WISH_RE = re.compile(
    r"(?:(?:удобнее|лучше|удобно)(?:\s+всего)?\s+(?:(?:было бы|будет)\s+)?|(?:было бы|будет)\s+(?:удобнее|лучше)\s+)"
    r"(?P<verb>созвониться|позвонить|звонить|перезвонить|обсудить голосом|поговорить голосом|встретиться)|"
    r"(?P<verb2>звонить|созваниваться)\s+(?:лучше|удобнее)",
    re.I,
)
_CALL_VERBS = {"звонить": "позвонить", "созваниваться": "созвониться", "обсудить голосом": "созвониться",
               "поговорить голосом": "созвониться"}  # fmt: skip
_DOUBT_QUESTION_RE = re.compile(
    r"(?:^|[,.]\s*|\s)(?:(?:я|мы)\s+)?(?:не знаю|не знаем|не уверен\w*|интересно|непонятно|не (?:очень )?понимаю|"
    r"не (?:очень )?понимаем|хочу понять|хотим понять|хотелось бы понять|сомневаюсь|сомневаемся),?\s+"
    r"(?=\S+\s+ли(?![\w-])|(?:как(?:ой|ая|ое|ие|их)?|что|сколько|где|когда|куда|зачем|почему|с чего)(?![\w-]))",
    re.I,
)


_FINE_SUFFERED_RE = re.compile(
    r"(?<![\w-])(?:пришёл|пришел|пришла|выставил\w*|получили|получил|наложил\w*|выписал\w*|оплачиваете|оплатите|"
    r"компенсируете|компенсируйте|компенсирует|компенсировать|возместит\w*|возместите)(?![\w-])",
    re.I,
)


# «И ещё вопросик: щека до сих пор отёкшая, это нормально?»: the client says a question follows; what follows it is
# asked, not a reproach, whatever words it uses.
_QUESTION_ANNOUNCED_RE = re.compile(
    r"^(?:[аи]\s+)?(?:(?:ещё|еще|также|и|другой|второй|один|маленький|такой)\s+)*вопрос(?:ик|ы)?\s*[:—–-]\s*", re.I
)


def _read_clause(lex: SpeechActLexicon, raw: str, offset: int) -> list[Clause]:
    kinds: set[ActKind] = set()
    stripped = raw.strip()
    announced = _QUESTION_ANNOUNCED_RE.match(stripped)
    if announced and stripped[announced.end() :].strip():
        stripped = stripped[announced.end() :].strip()
        raw = " " * announced.end() + raw[len(raw) - len(raw.lstrip()) + announced.end() :]
    low = stripped.lower()
    body, led = _clean_body(lex, stripped)
    if stripped.rstrip().endswith("?") and re.search(r"\s[—–]\s", body):
        tail = re.split(r"\s[—–]\s", body)[-1]
        # «Сколько будет стоить перевозка Москва — Новосибирск, груз — бытовая химия?»: a head that asks itself keeps
        # the question; only a topic before the dash («Интересует трактор — есть ли в наличии?») gives way to the tail
        if len(tail.split()) >= 3 and not _WH_START.match(body):
            body = _LEAD_IN_RE.sub("", tail).strip()
    decided_but = re.search(r",\s+но\s+", body)
    if decided_but and _first_imperative(body[: decided_but.start()]) is None:
        # «вариант 2 утверждаем, но логотип сделайте побольше»: what they decided, then what they ask of us
        after = body[decided_but.end() :]
        if _first_imperative(after) is not None:
            body = after
    ends_question = stripped.rstrip(" )»\"'").endswith("?")
    first_word = re.match(r"[А-Яа-яЁё-]+", body)
    complaint = lex.find("complaint", low) or SHORTFALL_RE.search(low)
    if announced and not lex.find("strong_complaint", low):
        complaint = None
    if complaint and _PAST_RE.search(low):
        complaint = None  # «в прошлый раз машина опоздала»: history the client recalls, not today's complaint
    if complaint and re.search(r"(?<![\w-])если(?![\w-])", low[: complaint.start()]):
        complaint = None  # «как настроить переадресацию, если никто не берёт трубку?»: a condition, not a complaint
    rhetorical = ends_question and (
        (complaint is not None and ("?!" in stripped or "!?" in stripped or _RHETORICAL_RE.search(low) is not None))
        or (stripped.isupper() and "??" in stripped)
    )
    if rhetorical:
        return [Clause(stripped, offset, offset + len(raw), frozenset({ActKind.COMPLAINT}), body)]
    # «Сколько будет стоить перевозка…» without «?» still asks; «Когда у младшего поднялась температура, вы нашли
    # врача» is a time clause, not a question
    wh = _WH_WORD.match(body)
    subordinate = wh is not None and wh.group().lower() in {"когда", "где", "как", "куда", "откуда"} and "," in body
    wh_statement = wh is not None and not subordinate and _first_imperative(body) is None
    # «И есть ли у вас где встать газели, у нас реквизит крупный.»: «есть ли» asks even without «?»
    yes_no = re.match(r"(?:и\s+|а\s+)?есть ли(?![\w-])", body, re.I)
    if ends_question or led or (wh_statement and len(body.split()) >= 3) or yes_no:
        kinds.add(ActKind.QUESTION)
    imperative = _first_imperative(body)
    if imperative is not None and not _asking_verb(lex, imperative.group()) and ActKind.QUESTION not in kinds:
        kinds.add(ActKind.REQUEST)
    elif (
        imperative is not None
        and _asking_verb(lex, imperative.group())
        # «Предоплату переведу вечером, напомните сумму»: an asking verb after a comma asks what follows it
        and (
            imperative.start() == 0
            or (re.search(r"[,;]\s*$", body[: imperative.start()]) and len(body[imperative.end() :].split()) <= 4)
        )
    ):
        rest = re.sub(r"(?<![\w-])(?:пж|пжл|пжлст|плз|плиз|pls|пожалуйста)(?![\w-])", "", body[imperative.end() :])
        rest = rest.strip(" ,:")
        if rest:
            kinds.add(ActKind.QUESTION)
            kinds.discard(ActKind.REPORT)
            # «Предоплату переведу вечером, напомните сумму»: a bare «сумму» takes its topic from before the comma
            first = re.match(r"[А-ЯЁа-яё]+", body[: imperative.start()].strip())
            topic = morph().parse(first.group().lower())[0] if first else None
            of_topic = topic.inflect({"gent"}) if topic is not None and topic.tag.POS == "NOUN" else None
            body = f"{rest} {of_topic.word}" if of_topic is not None and len(rest.split()) <= 2 else rest
    proposal = re.search(
        r"(?:^|[,—–]\s*(?:поэтому\s+|так что\s+)?)(?:предлагаю|предлагаем|давайте|давай)\s+(.+)$", body, re.I
    )
    if proposal and not kinds & {ActKind.QUESTION}:
        kinds.discard(ActKind.REQUEST)
        kinds.add(ActKind.PROPOSAL)
        body = proposal.group(1)
    call = _CALL_WISH_RE.search(body)
    if call and not kinds & {ActKind.QUESTION, ActKind.REQUEST}:
        # «Удобнее всего созвониться в понедельник после 14:00», «Звонить лучше после 11»: how to reach them asks
        # for a call at that time
        said = (call.group("verb") or call.group("verb2")).lower()
        verb = _CALL_VERBS.get(said, said)
        rest = (body[: call.start()] + " " + body[call.end() :]).strip(" ,.")
        rest = re.sub(r"(?<![\w-])(?:если можно|если получится|пожалуйста|ещё|еще)(?![\w-]),?", "", rest, flags=re.I)
        kinds.add(ActKind.REQUEST)
        kinds.discard(ActKind.REPORT)
        body = re.sub(r"\s{2,}", " ", f"{verb} {rest}").strip(" ,")
    awaited = _AWAITED_ANSWER_RE.search(body)
    if awaited and ActKind.QUESTION not in kinds:
        # «До 15:00 жду внятный ответ: где груз и кто компенсирует штраф»: the questions after the colon are asked
        kinds.add(ActKind.QUESTION)
        kinds.discard(ActKind.REPORT)
        body = awaited.group("q").strip(" .")
    body = _TIME_BEFORE_ACTION_RE.sub(r"\g<lead>\g<action>\g<rest> \g<when>", body).rstrip(" ,")
    doubt = _DOUBT_QUESTION_RE.search(body)
    before_doubt = body[: doubt.start()] if doubt else ""
    demands_first = any("2per" in morph().parse(w.lower())[0].tag for w in re.findall(r"[А-Яа-яЁё]+", before_doubt))
    if doubt and ActKind.QUESTION not in kinds and not demands_first:  # «Штраф оплачиваете вы, и я хочу понять…»
        # «Не знаю, берёте ли вы такие маленькие объекты»: a question asked as the client's own doubt
        kinds.add(ActKind.QUESTION)
        body = re.split(r"\s[—–]\s", body[doubt.end() :])[0].strip(" ,.…")
    if not kinds & {ActKind.QUESTION, ActKind.REQUEST, ActKind.PROPOSAL}:
        lead = lex.find("request_leads", low)
        if lead is not None and len(low[: lead.start()].split()) <= 2 and len(body.split()) >= 2:
            kinds.add(ActKind.REQUEST)
        elif lead is not None and re.match(r"(?:по|для|на|в|во|к)\s", low) and not _finite_verb_in(low[: lead.start()]):
            # «По договору № 298 (корпоратив 19.12) прошу выставить счёт»: a topic, then the request
            kinds.add(ActKind.REQUEST)
            at = body.lower().find(low[lead.start() : lead.end()])
            body = body[at:] if at >= 0 else body
        elif _asks_for_items(lex, body):
            kinds.add(ActKind.QUESTION)
    if first_word is None and not kinds:
        kinds.add(ActKind.REPORT)
    if complaint and _JOY_RE.search(low):
        complaint = None  # «я до сих пор не верю» after good news is joy
    softened = (lex.find("thanks", low) or lex.find("praise", low)) and not lex.find("strong_complaint", low)
    if complaint and not softened:
        kinds.add(ActKind.COMPLAINT)  # «спасибо, что нашли врача, когда поднялась температура» is thanks
    # «можно ли уменьшить номера без штрафа?»: a fine they hope to avoid is no threat of theirs
    threat = lex.find("threat", re.sub(r"(?<![\w-])без\s+(?:штраф\w*|неустойк\w*|пени)", " ", low))
    if threat and _past_outcome(_JOY_RE.sub(" ", low)):
        threat = None  # «Суд сегодня полностью отказал истцу»: what the court did, not what the client will do
    fine_only = threat is not None and not lex.find("threat", re.sub(r"штраф\w*|неустойк\w*", " ", low))
    if threat and fine_only and _FINE_SUFFERED_RE.search(low):
        # «Пришёл штраф 5 000 ₽ от ФНС», «штраф оплачиваете вы»: a fine the client got is the trouble they report
        # and what they demand of us, not a threat of theirs
        kinds.add(ActKind.COMPLAINT)
        if re.search(r"(?<![\w-])(?:оплачиваете|оплатите|компенсируете|компенсируйте)(?![\w-])", low):
            kinds.add(ActKind.REQUEST)
        if awaited:
            kinds.discard(ActKind.COMPLAINT)  # «кто компенсирует штраф» is asked, not told
        threat = None
    if threat:
        kinds.add(ActKind.THREAT)
    reproach = lex.find("rhetorical", low) if ends_question else None
    # «детей будет 14, это нормально?» asks; «Это нормально??» reproaches
    doubled = re.search(r"\?\?|\?!|!\?", stripped)
    plain_ok = reproach is not None and "нормально" in reproach.group().lower() and not doubled
    if reproach and not plain_ok:
        kinds.add(ActKind.COMPLAINT)  # «Вы там вообще работаете?» reproaches
    if lex.find("thanks", low):
        kinds.add(ActKind.THANKS)
    # «понравились клёны в вашем каталоге, хотим 3 шт»: liking a product one wants to buy is no praise of our work
    liked_to_buy = re.search(
        r"(?<![\w-])(?:(?:хотим|хочу|хотели бы|хотела бы)\s+(?:\d|заказать|купить|взять|забронировать)|каталог\w*)",
        low,
    )
    if lex.find("praise", low) and not complaint and not liked_to_buy:
        kinds.add(ActKind.PRAISE)
    if lex.find("apologies", low):
        kinds.add(ActKind.APOLOGY)
    if _sets_deadline(low):
        kinds.add(ActKind.DEADLINE)
    if not kinds and re.search(r"\d", stripped):
        kinds.add(ActKind.REPORT)
    if kinds <= {ActKind.REPORT, ActKind.DEADLINE} and _CHANGE_RE.search(low) and len(body.split()) >= 3:
        # «привезли 12 кг вместо 20»: what was done wrong, not a change we take on board
        if _wrong_instead(low):
            kinds = {ActKind.COMPLAINT}
        elif re.search(r"(?<![\w-])вы\s+(?:нам\s+)?[а-яё]+(?:ли|ло)(?![\w-])", low):
            kinds = {ActKind.REPORT}  # «Вы прислали КП — 22 ₽ вместо 17»: what we did, the context of their question
        elif {m.group().lower() for m in _CHANGE_RE.finditer(low)} == {"решили"} and len(body.split()) <= 5:
            kinds = {ActKind.REPORT}  # «Всё-таки едем, решили»: their decision told, nothing for us to take on
        else:
            kinds = {ActKind.CHANGE}
    if not kinds:
        kinds.add(ActKind.REPORT)
    demand_head = re.split(r",?\s+(?:иначе|а то|или же|в противном случае)\s", body, maxsplit=1)
    if ActKind.THREAT in kinds and len(demand_head) == 2 and _first_imperative(demand_head[0]) is not None:
        # «Отзовите счёт до понедельника, иначе пишу претензию»: the demand before «иначе» is asked of us
        body = demand_head[0].strip(" ,")
        kinds.add(ActKind.REQUEST)
    elif kinds & {ActKind.APOLOGY, ActKind.THREAT} and not _REFUND_ASK_RE.search(low):
        kinds -= {ActKind.REQUEST, ActKind.QUESTION}  # «простите за дотошность», «напишу отзыв»: not asks
    if _PREFACE_RE.match(body):
        kinds -= {ActKind.REQUEST, ActKind.QUESTION}
        kinds.add(ActKind.REPORT)  # «хочу уточнить несколько моментов:» announces the questions that follow
    if ActKind.REQUEST in kinds and kinds & {ActKind.THANKS, ActKind.PRAISE} and _WISH_RE.match(body):
        kinds.discard(ActKind.REQUEST)  # «Хочу сказать огромное спасибо»
    alternatives = _alternatives(body) if ActKind.REQUEST in kinds else ()
    if announced:
        kinds = (kinds - {ActKind.REPORT, ActKind.COMPLAINT}) | {ActKind.QUESTION}
    return [Clause(stripped, offset, offset + len(raw), frozenset(kinds), body, alternatives, bool(announced))]


_INFO_NOUNS = frozenset(
    {
        "цена",
        "цены",
        "стоимость",
        "наличие",
        "срок",
        "сроки",
        "условия",
        "реквизиты",
        "прайс",
        "график",
        "статус",
        "остатки",
        "адрес",
        "телефон",
        "контакты",
        "расписание",
        "тариф",
        "тарифы",
        "смета",
        "расчёт",
        "расчет",
    }
)


def _asks_for_items(lex: SpeechActLexicon, body: str) -> bool:
    """«Цена, наличие, срок.»: a verbless list of what the client wants to know."""
    words = [w.lower() for w in re.findall(r"[А-Яа-яЁё-]+", body)]
    if re.search(r"\d|[—–]", body):
        return False  # «Срок — среда, 9 декабря»: a given value, not a question
    if any(morph().parse(w)[0].tag.POS == "VERB" and "indc" in morph().parse(w)[0].tag for w in words[1:]):
        return False  # «Реквизиты не менялись.»: a statement about them, not a request for them
    if re.search(
        r"(?<![\w-])(?:во вложении|в приложении|в аттаче|прилагаю|прикладываю|ниже|те же|прежние|без изменений)"
        r"(?![\w-])",
        body,
        re.I,
    ):
        return False  # «Реквизиты во вложении.», «Реквизиты те же.»: told, not asked for
    return bool(words) and len(words) <= 6 and words[0] in _INFO_NOUNS and _first_imperative(body) is None


_DEADLINE_RE = re.compile(
    r"(?<![\w-])(?:до|не позднее|не позже|к|максимум до|крайний срок|дедлайн)\s+"
    r"(?:\d{1,2}[./]\d{1,2}|\d{1,2}(?:-?го)?\b|"
    r"понедельник\w*|вторник\w*|сред\w*|четверг\w*|пятниц\w*|суббот\w*|воскресень\w*|конц\w+|завтра|обеда|вечера|утра|"
    r"\d{1,2}:\d{2}|январ\w*|феврал\w*|март\w*|апрел\w*|ма[яй]\w*|июн\w*|июл\w*|август\w*|сентябр\w*|октябр\w*|"
    r"ноябр\w*|декабр\w*|нового года|праздник\w*)",
    re.IGNORECASE,
)


_REFUND_ASK_RE = re.compile(
    r"(?:верните|вернуть|верни)\s+(?:\S+\s+){0,2}?(?:деньги|предоплат|оплат|средства)|деньги\s+верните"
)


_AWAITED_ANSWER_RE = re.compile(
    r"(?:жду|ждём|ждем|ожидаю|ожидаем|требую|требуем|дайте|нужен)\s+(?:[а-яё]+\s+){0,2}ответ\w*\s*[:—-]\s*"
    r"(?P<q>(?:где|когда|кто|что|почему|как|сколько|какой|какая|какие|в какие|к какому)(?![\w-]).+)$",
    re.I,
)
# «Требую до завтра, 11.12, наладить отопление» → «Требую наладить отопление до завтра, 11.12»: the action first, as
# every restated request reads
_TIME_BEFORE_ACTION_RE = re.compile(
    r"^(?P<lead>(?:требую|требуем|прошу|просим|нужно|надо|необходимо)\s+)"
    r"(?P<when>до\s+[^,\s]+(?:\s+[^,\s]+)?(?:,\s*\d{1,2}\.\d{2}(?:\.\d{2,4})?)?),?\s+"
    r"(?P<action>[а-яё]+(?:ть|ти|чь)(?:ся)?)(?P<rest>(?![\w-]).*)$",
    re.I,
)


def _wrong_instead(low: str) -> bool:
    """«вместо» is the only sign of a change and a verb tells what somebody already did: a mistake, not a change."""
    markers = {m.group().lower() for m in _CHANGE_RE.finditer(low)}
    if markers != {"вместо"} or re.search(r"(?<![\w-])(?:будет|будут|станет)(?![\w-])", low):
        return False  # «Мест будет 14 вместо 12 — добавили 2 короба»: what will be is a change
    if re.search(r"₽|руб|(?<![\w-])(?:тариф|цен[аыуе]|ставк|стоимост)", low):
        return False  # «прислали КП — 22 ₽ за короб вместо 17»: a new price, which a price objection answers
    words = re.findall(r"[а-яё]+", low)
    return any(p.tag.POS == "VERB" and "past" in p.tag for w in words for p in morph().parse(w)[:1])


_CHANGE_RE = re.compile(
    # «лосось не 12, а 18 кг», «участников 120, а не 110»: a corrected figure
    r"(?<![\w-])не\s+\d[\d\s,.]*,?\s+а\s+\d|\d[\d\s]*(?:\s*[а-яё.%]+)?,?\s+а\s+не\s+\d|"
    # «доставка в этот раз не на Промышленную, а на новый объект»: a changed place
    r"(?<![\w-])не\s+(?:на|в|во|к|по)\s+[^,.;]{2,40},\s*а\s+(?:на|в|во|к|по)\s|"
    r"(?<![\w-])(?:поменял\w*|изменил\w*|сменил\w*|переехал\w*|переезжа\w*|теперь|новые реквизиты|"
    r"нов(?:ый|ые|ая|ое)\s+(?:юридическ\w+\s+|фактическ\w+\s+|почтов\w+\s+)?(?:адрес|реквизиты|директор|банк|юрлицо)|"
    r"вместо|убираем|убрать|крупнее|мельче|на первый план|перенесите|переносим|добавляем|добавьте|исключаем|решили|"
    r"увеличиваем|уменьшаем|сокращаем)(?![\w-])",
    re.IGNORECASE,
)
_PREFACE_RE = re.compile(
    r"(?:.*\s)?(?:хочу|хотим|хотел бы|хотела бы|хотелось бы|нужно|надо)\s+(?:уточнить|спросить|узнать|задать)\s+"
    r"(?:пару|пар[уы]|несколько|один|два|три|кое-что)(?:\s+\S+){0,2}\s*:?$|(?:есть\s+)?(?:пара|несколько)\s+вопросов\s*:?$",
    re.IGNORECASE,
)
_ASKS_FOR_SOMETHING = re.compile(
    r"(?<![\w-])(?:сколько|когда|где|куда|как|какой|какая|какое|какие|каков\w*|почему|зачем|кто|что|чем|ли|можно|"
    r"можете|сможете|будет|будут|есть|скажите|подскажите|объясните|ответьте)(?![\w-])",
    re.IGNORECASE,
)
_THANKS_FOR = re.compile(
    # «спасибо всем воспитателям за праздник», «огромное спасибо тренеру»: thanks to someone for something done
    r"спасибо\s+(?:[\w-]+\s+){0,4}?за(?![\w-])|(?:огромное|большое|огромнейшее)\s+спасибо|"
    r"спасибо\s+(?:вам\s+|тебе\s+)?(?:огромное|большое|огромнейшее)|благодар\w*\s+(?:вас\s+)?за|поблагодарить|"
    r"благодарность",
    re.I,
)
_IN_ADVANCE = re.compile(r"заранее|буду\s+(?:очень\s+)?благодар|будем\s+благодар", re.I)


def thanks_for_something(text: str) -> bool:
    """Thanks for something done: not «заранее спасибо» under a request, nor a polite «Спасибо.» at the end."""
    return bool(_THANKS_FOR.search(text)) and not _IN_ADVANCE.search(text)


def _question_follows(clauses: list[Clause], clause: Clause) -> bool:
    index = clauses.index(clause)
    return index + 1 < len(clauses) and ActKind.QUESTION in clauses[index + 1].kinds


_NEED_STATEMENT_RE = re.compile(
    r"^(?:нам\s+|мне\s+)?(?:нужн[аоы]?|нужен|требуется|интересует|интересуют)(?![\w-])", re.I
)
OWN_PLAN_RE = re.compile(
    r"(?:хотим|хотели бы)\s+(?:о|за|до|вне|пере)?плат|(?:хотим|хотели бы)\s+(?:внести|перевести|приехать|забрать)|"
    # «Нам надо понять, сможем ли отгружать…», «мне нужно согласовать с директором»: why they ask, not an ask
    r"^(?:(?:и|а|просто)\s+)?(?:нам|мне)\s+(?:надо|нужно|необходимо|важно)\s+(?:понять|решить|согласовать|определиться|"
    r"спланировать|знать|прикинуть|посчитать|рассчитать|сравнить)(?![\w-])",
    re.I,
)
_WISH_TO_DO_RE = re.compile(r"(?<![\w-])(?:хотим|хотели бы|хотелось бы)\s+[а-яё]+(?:ть|ти)(?:ся)?(?![\w-])", re.I)
_WISH_RE = re.compile(r"(?:мы\s+|я\s+)?(?:хотим|хочу|хотели бы|хотел бы|хотела бы|хотелось бы)\b", re.IGNORECASE)
_RHETORICAL_RE = re.compile(
    r"(?:это\s+)?(?:вообще\s+)?нормально\??$|сколько можно|что (?:у вас )?происходит|вы издеваетесь|это как вообще|"
    r"доколе|когда это (?:уже )?кончится",
    re.IGNORECASE,
)
_PAST_RE = re.compile(
    r"(?<![\w-])(?:в прошлый раз|прошлый раз|в прошлом году|в прошлом месяце|ранее|как-то раз)(?![\w-])"
)


def deadline_phrases(text: str, today: date) -> list[str]:
    """«до среды», «не позже 15 декабря», «до 10.12»: the client's own deadlines (not «с 7 до 9 утра», a window)."""
    found = []
    for match in find_dates(text, today):
        if match.marker != DEADLINE or match.is_past(today):
            continue
        if re.search(r"(?<![\w-])(?:был|была|было|были)(?![\w-])[^.!?]*$", text[: match.start]):
            continue  # «должен был быть готов ко 2 декабря»: the date that was missed, not one set for us
        if re.search(r"(?<![\w-])(?:с|со|от)\s+\d{1,2}(?::\d{2})?\s*$", text[: match.start]):
            continue
        if re.search(r"(?<![\w-])по\s+(?:графику|договору|условиям|регламенту)\s*$", text[: match.start], re.I):
            continue  # «платёж ушёл 19-го, по графику до 20-го»: the term of the contract, not one set for us
        if _told_in_the_past(text, match.start, match.end):
            continue  # «экскаватор запустили к вечеру»: when something was done, in thanks or a story
        found.append(match.text)
    return found


def _told_in_the_past(text: str, start: int, end: int) -> bool:
    """The clause around a date tells what was done: its verbs are in the past and nothing in it asks."""
    left = re.split(r"[.!?;,:]", text[:start])[-1]
    right = re.split(r"[.!?;,]", text[end:])[0]
    clause = f"{left} {right}".lower()
    return not any(w in _ASKING_WORDS for w in re.findall(r"[а-яё]+", clause)) and _past_outcome(clause)


_ASKING_WORDS = frozenset(
    {"нужно", "надо", "прошу", "просим", "жду", "ждём", "ждем", "требую", "требуем", "успеете", "сможете", "можно"}
)


def _sets_deadline(low: str) -> bool:
    """«до среды», «к 15-му» — but «уменьшить с 60 до 45 карт» counts cards, not days."""
    for m in _DEADLINE_RE.finditer(low):
        after = low[m.end() : m.end() + 12]
        if re.fullmatch(r"\D*?\d{1,2}(?:-?го)?", m.group()) and re.match(
            r"\s*(?!числа|янв|фев|мар|апр|мая|июн|июл|авг|сен|окт|ноя|дек)[а-яё%]", after
        ):
            continue
        return True
    return False


_OTHER_PROVIDER_RE = re.compile(
    r"(?<![\w-])(?:друг(?:ой|ая|ого|ую|ие|их|им)\s+(?:подрядчик|ук|управляющ|компани|поставщик|агентств|банк|клиник|школ)|"
    r"предыдущ\w*|прежн\w*|бывш\w*|раньше\s+(?:заказывали|работали|были|обслуживал)|у\s+нас\s+(?:сейчас\s+)?друг)",
    re.I,
)


def _sentence_of(text: str, at: int) -> str:
    start = max(text.rfind(ch, 0, at) for ch in ".!?\n") + 1
    ends = [i for i in (text.find(ch, at) for ch in ".!?\n") if i >= 0]
    return text[start : min(ends) if ends else len(text)]


_OWN_SIDE_RE = re.compile(r"(?<![\w-])у нас(?![\w-])", re.I)
_WH_RE = re.compile(
    # «с какого числа изменится абонплата»: a preposition may lead the question word
    r"^(?:\d+[.)]\s*)?(?:(?:с|со|до|на|в|во|к|по|за|от|у|о|об|для)\s+)?"
    r"(?:кто|когда|почему|зачем|где|куда|сколько|как|какой|какого|какая|какие|каким|какую|каков\w*|что)(?![\w-])",
    re.I,
)


def _infinitive_item(text: str) -> bool:
    """«Отель всем продлить на ночь»: one of the first three words is an infinitive (not after «нужно», «можно»)."""
    words = re.findall(r"[А-Яа-яЁё]+", text.lower())[:3]
    if any(w in ("нужно", "можно", "надо", "нельзя") for w in words):
        return False
    return any(morph().parse(w)[0].tag.POS == "INFN" for w in words)


_CHANGES_HEADER_RE = re.compile(r"(?:изменени|поправк|корректировк|правк)\w*\s*:\s*$", re.I)


_QUESTIONS_HEADER_RE = re.compile(
    r"^\s*(?:(?:(?:у меня|у нас|есть|несколько|пара|два|три|такие|следующие)\s+)*вопрос\w*\s*[:.—-]?|"
    # «Подскажите:» leads a list
    r"(?:подскажите|скажите|уточните|поясните|объясните)(?:,?\s+пожалуйста)?\s*:)\s*$",
    re.I,
)
# «должно быть 10 поддонов, выгрузили 8», «пришло 9 из 10», «из 60 коробок пришло 58»: less than ordered arrived
SHORTFALL_RE = re.compile(
    r"должн\w*\s+(?:быть|было|прийти|приехать)\s+\d+[^.!?]{0,40}?(?:выгрузили|привезли|пришл[оаи]|доставили|"
    r"получили|отгрузили)\s+(?:только\s+)?\d+|"
    r"(?:выгрузили|привезли|пришл[оаи]|доставили|получили|отгрузили)\s+(?:только\s+)?\d+\s+(?:\w+\s+)?из\s+\d+|"
    r"из\s+\d+\s+[^.!?]{0,30}?(?:пришл[оаи]|привезли|доставили|получили)\s+(?:только\s+)?\d+",
    re.I,
)
_ALSO_THING_RE = re.compile(
    r"^(?:и\s+)?(?:ещё|еще|также|плюс)\s+(?P<thing>[а-яё][^—–.!?]*?)\s*(?:[—–]\s.*)?[.!]?$", re.I
)


def _elided_requests(clauses: list[Clause]) -> list[Clause]:
    """«Пришлите счёт-фактуру и УПД … И ещё копию договора поставки — наш экземпляр потерялся»: a thing said after a
    request, with no verb of its own, is asked the same way."""
    out: list[Clause] = []
    for clause in clauses:
        previous = out[-1] if out else None
        m = _ALSO_THING_RE.match(clause.text.strip())
        asked = previous is not None and ActKind.REQUEST in previous.kinds
        asking = _first_imperative(previous.body or "") if asked and previous is not None else None
        bare_thing = m is not None and not _finite_verb_in(m.group("thing").lower())
        if m and asking is not None and clause.kinds <= {ActKind.REPORT} and bare_thing:
            body = f"{asking.group()} {m.group('thing')}"
            out.append(replace(clause, kinds=frozenset({ActKind.REQUEST}), body=body))
            continue
        out.append(clause)
    return out


_NEED_THING_RE = re.compile(
    r"^(?:(?:и|а|также|ещё|еще|нам|мне)\s+){0,3}(?:нужен|нужна|нужны|необходим|необходима|необходимы)\s+(?!ли\b)[а-яёa-z]",
    re.I,
)
# «Итоговая стоимость поездки — нужна цифра сегодня до 18:00»: the topic, then what is needed of us
_NEED_AFTER_TOPIC_RE = re.compile(
    r"\s[—–]\s(?:нужн[аоы]?|нужен|необходим[аоы]?|жду|ждём|ждем)\s+\S|,\s+(?:нужен|нужна|нужны|необходим[аоы]?)\s+(?!ли\b)\S",
    re.I,
)


def _need_first(clause: Clause) -> str:
    """«в субботу 12.12 у нас завоз мебели, нужен пропуск на машину» → «нужен пропуск на машину (в субботу 12.12 у нас
    завоз мебели)»: what is needed leads, the occasion follows."""
    body = clause.body or clause.text
    m = _NEED_AFTER_TOPIC_RE.search(body)
    if m is None or not m.group().startswith(","):
        return body
    topic = re.sub(r"^(?:(?:также|ещё|еще|и)\s+)?(?:предупреждаю|предупреждаем|сообщаю|сообщаем)\s*[:,]?\s*", "",
                   body[: m.start()].strip(), flags=re.I)  # fmt: skip
    return f"{body[m.start() + 1 :].strip().rstrip('.')} ({topic})" if topic else body[m.start() + 1 :].strip()


_NEEDS_HEADER_RE = re.compile(
    r"^\s*(?:(?:нам|мне|ещё|еще|также)\s+)?(?:нужно|нужны|нужна|нужен|необходимо|требуется|прошу|просим|просьба|требую|"
    r"требуем|настаиваю|настаиваем)\s*:\s*$",
    re.I,
)


def _listed_needs(clauses: list[Clause]) -> list[Clause]:
    """«Нужно: 1. Счёт на предоплату 50%. 2. Копия удостоверения оператора.» — each plain item after such a header
    is a request to us."""
    out: list[Clause] = []
    listing = demanding = False
    for clause in clauses:
        # «Требую: … 2) перерасчёт абонплаты за простой»: under a demand the trouble named in an item is demanded
        plain = clause.kinds <= {ActKind.REPORT, ActKind.DEADLINE, *((ActKind.COMPLAINT,) if demanding else ())}
        if listing and plain and re.fullmatch(r"\s*\d{1,2}[.)]?\s*", clause.text):
            out.append(clause)  # the item's number
            continue
        if listing and plain and _SIGNATURE_RE.match(clause.text.strip()):
            listing = False  # «Максим Ершов, ООО «КоломнаДорСтрой»»: the signature ends the list
        if listing and plain:
            out.append(replace(clause, kinds=frozenset({ActKind.REQUEST})))
            continue
        if listing and clause.kinds & {ActKind.REQUEST, ActKind.QUESTION}:
            out.append(clause)  # «Нам нужно: 1) подключить… Какие документы нужны? 2) выписку…»: the list goes on
            continue
        listing = bool(_NEEDS_HEADER_RE.search(clause.text))
        demanding = listing and bool(re.search(r"(?<![\w-])(?:требую|требуем|настаиваю|настаиваем)", clause.text, re.I))
        if listing:
            clause = replace(clause, kinds=frozenset({ActKind.REPORT}))  # «Нам нужно:» only opens the list
        out.append(clause)
    return out


_SIGNATURE_RE = re.compile(
    r"^(?:(?:[А-ЯЁ][а-яё]+|[А-ЯЁ]\.\s?[А-ЯЁ]\.)\s+(?:[А-ЯЁ][а-яё]+|[А-ЯЁ]\.\s?[А-ЯЁ]\.)?[,\s]*"
    r"(?:[а-яё -]+,\s*)?)?(?:ООО|АО|ПАО|ЗАО|ИП|ГК|ТОО)\s*«[^»]+»\S*\s*$|"
    # «Ганиев», «М. Сафронов», «Н. Белоусова»: a name alone on the last line
    r"^(?:[А-ЯЁ][а-яё]+|[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?)(?:\s+(?:[А-ЯЁ][а-яё]+|[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?)){0,2}[.!]?\s*$|"
    r"^(?i:целую|обнимаю|с уважением|всего доброго|хорошего дня|на связи)(?![\w-])"
)
_JOY_RE = re.compile(r"(?<![\w-])(?:я\s+)?(?:до сих пор\s+)?(?:не верю|не верится|не могу поверить)(?![\w-])")


def _past_outcome(low: str) -> bool:
    """Every verb of the clause is in the past and none speaks of the client's next step: a report of an outcome."""
    if re.search(r"(?<![\w-])(?:иначе|если|дальше|тогда|будем|будет|буду)(?![\w-])", low):
        return False
    verbs = [p for w in re.findall(r"[а-яё]+", low) for p in morph().parse(w)[:1] if p.tag.POS in ("VERB", "INFN")]
    return bool(verbs) and all("past" in p.tag for p in verbs)


def _listed_changes(clauses: list[Clause]) -> list[Clause]:
    """«По заказу К-2241 изменения: — гостей будет 56; — горячее убираем…»: each plain item after such a header is a
    change to take on board, not a story."""
    out: list[Clause] = []
    listing = False
    for clause in clauses:
        plain = clause.kinds <= {ActKind.REPORT, ActKind.DEADLINE, ActKind.CHANGE}
        if listing and plain and _SIGNATURE_RE.match(clause.text.strip()):
            listing = False  # «Ганиев»: the signature ends the list
        if listing and plain and _infinitive_item(clause.text):
            # «Отель всем продлить на ночь, выезд 19.12»: an item said as an infinitive asks us to do it
            out.append(replace(clause, kinds=frozenset({ActKind.REQUEST}), body=f"прошу {clause.text.strip(' .')}"))
            continue
        if listing and plain:
            out.append(replace(clause, kinds=frozenset({ActKind.CHANGE})))
            continue
        if listing and clause.kinds & {ActKind.REQUEST, ActKind.QUESTION}:
            out.append(clause)  # «1) … снимайте с брони; 2) вместо неё летит …»: the list goes on
            continue
        listing = bool(_CHANGES_HEADER_RE.search(clause.text))
        out.append(clause)
    return out


def _listed_questions(clauses: list[Clause]) -> list[Clause]:
    """«Хочу понимать: 1) кто занимается заявкой; 2) когда поднимут; 3) почему нарушен SLA.» — items after a colon
    that open with a question word are questions, with or without «?»."""
    out: list[Clause] = []
    listing = False
    asking = False
    for c in clauses:
        body = (c.body or c.text).strip()
        if listing and (_WH_RE.match(body) or _LI_RE.match(body)) and ActKind.QUESTION not in c.kinds:
            kinds = (c.kinds - {ActKind.REPORT}) | {ActKind.QUESTION}
            c = replace(c, kinds=frozenset(kinds))
        elif asking and _INFINITIVE_ITEM_RE.match(body) and not c.kinds & {ActKind.QUESTION, ActKind.REQUEST}:
            # «Прошу: 1) до 09.12 составить акт; 2) сообщить, когда …»: each item is a request
            kinds = (c.kinds - {ActKind.REPORT, ActKind.DEADLINE}) | {ActKind.REQUEST}
            item = re.sub(r"^\d+[.)]\s*", "", body)
            if when := re.match(r"до\s+\S+\s+", item, re.I):  # «до 09.12 составить акт» → «составить акт до 09.12»
                item = f"{item[when.end() :]} {when.group().strip()}"
            c = replace(c, kinds=frozenset(kinds), body=f"прошу {item}")
        elif not (listing and (_WH_RE.match(body) or ActKind.QUESTION in c.kinds)):
            # the list goes on over items that ask with «ли» or «?» («можно ли…; сколько…; с какого числа…»)
            listing = c.text.rstrip().endswith(":")
            asking = listing and bool(re.search(r"(?<![\w-])(?:прошу|просим|требую|требуем|нужно)", c.text, re.I))
        out.append(c)
    return out


_LI_RE = re.compile(r"^(?:\d+[.)]\s*)?[а-яё]+\s+ли(?![\w-])", re.I)  # «выдаёте ли удостоверение» asks
_INFINITIVE_ITEM_RE = re.compile(r"^(?:\d+[.)]\s*)?(?:до\s+\S+\s+)?[а-яё]+(?:ть|ти|чь)(?:ся)?(?![\w-])", re.I)


_ACK_WORD = r"(?:принято|хорошо|ок|окей|договорились|отлично|понял|поняла|поняли)"
_ACK_THEN_WAIT_RE = re.compile(rf"^{_ACK_WORD}\s*[,.!]\s*(?:ждем|ждём|будем ждать|жду)(?![\w-])", re.I)
_WAITING_RE = re.compile(
    rf"^(?:{_ACK_WORD}\s*[,.!]?\s*)?(?:и\s+)?(?:ждем|ждём|будем ждать|жду|ожидаем|до встречи|до связи)(?![\w-])", re.I
)


def _opens_with_acknowledgement(lex: SpeechActLexicon, clauses: list[Clause]) -> bool:
    """The first clause after the greeting is only an acknowledgement («Принято, спасибо», «Ок»)."""
    first = next((c for c in clauses if ActKind.GREETING not in c.kinds), None)
    pattern = lex.patterns.get("acknowledgements")
    if first is None or pattern is None:
        return False
    rest = pattern.sub(" ", first.text.lower().replace("ё", "е"))
    return not re.sub(r"[\s!.,)(:;…👍👌🙏✅😊🙂]+", "", rest)


def _only_acknowledgement(lex: SpeechActLexicon, text: str, clauses: list[Clause]) -> bool:
    """«Ок», «Получила, спасибо!», «👍»: after greetings and thanks nothing is left but acknowledgement words."""
    rest = text.lower().replace("ё", "е")
    for c in clauses:
        if ActKind.GREETING in c.kinds:
            rest = rest.replace(c.text.lower().replace("ё", "е"), " ")
    pattern = lex.patterns.get("acknowledgements")
    if pattern is None:
        return False
    words = re.findall(r"[а-яa-z]+", rest)
    contrast = {"но", "а", "однако", "не", "только", "кроме"} & set(words)  # «Получили, но не всё»
    if "?" not in text and words and not contrast and (pattern.fullmatch(words[0]) or pattern.fullmatch(words[-1])):
        # «Поняла, значит в понедельник в 9:00 на пробное. Договорились 👍»: they confirm what was agreed
        return True
    rest = pattern.sub(" ", rest)
    rest = re.sub(r"[\s!.,)(:;…👍👌🙏✅😊🙂]+", " ", rest).strip()
    if not rest:
        return True
    if _WAITING_RE.match(rest) and "?" not in text and _opens_with_acknowledgement(lex, clauses):
        return True  # «Принято. Ждём инженера в 10:00»: a confirmation of what was agreed
    # a short remainder of names or a time («ок заберу в 18», «Принято, Ирина») still needs no answer
    words = rest.split()
    return len(words) <= 3 and all(w.isdigit() or w in {"в", "до", "на", "все", "всё", "вам", "вас"} for w in words)


# Restating in the reply ------------------------------------------------------------------------------------------
def _flip_verb(word: str, to_person: str) -> str | None:
    """«отгрузите» → «отгрузим» (to 1per), «заплатим» → «заплатите» (to 2per); None when it is not such a verb."""
    for parse in morph().parse(word.lower()):
        if parse.tag.POS != "VERB" or parse.score < 0.05:
            continue
        if "impr" in parse.tag and to_person == "1per":
            # an imperative request becomes what we will do: «пришлите» → «пришлём»
            base = parse.normal_form
            target = morph().parse(base)[0]
            tense = "futr" if "perf" in target.tag else "pres"
            form = target.inflect({"1per", "plur", tense, "indc"})
            return form.word if form else None
        if parse.tag.person and parse.tag.person != to_person and parse.tag.mood == "indc":
            form = parse.inflect({to_person, "plur"})
            return form.word if form else None
    return None


_OUR = {
    "ваш": "наш",
    "ваша": "наша",
    "ваше": "наше",
    "ваши": "наши",
    "вашего": "нашего",
    "вашей": "нашей",
    "вашему": "нашему",
    "вашим": "нашим",
    "вашими": "нашими",
    "вашу": "нашу",
    "ваших": "наших",
    "вашем": "нашем",
}
_THEIR = {v: "В" + k[1:] for k, v in _OUR.items()}
_MY = {
    "мой": "Ваш",
    "моя": "Ваша",
    "моё": "Ваше",
    "мое": "Ваше",
    "мои": "Ваши",
    "моего": "Вашего",
    "моей": "Вашей",
    "моему": "Вашему",
    "моим": "Вашим",
    "моими": "Вашими",
    "мою": "Вашу",
    "моих": "Ваших",
    "моём": "Вашем",
    "моем": "Вашем",
}


def turn_round(text: str, lexicon: SpeechActLexicon, *, verbs: bool = True) -> str:
    """The client's words from our side: «когда вы отгрузите наш заказ» → «когда мы отгрузим Ваш заказ»."""
    words = re.split(r"([А-Яа-яЁё-]+)", text)
    you_seen = we_seen = False
    out: list[str] = []
    for piece in words:
        low = piece.lower()
        if not re.fullmatch(r"[А-Яа-яЁё-]+", piece):
            out.append(piece)
            continue
        if low in lexicon.perspective:
            replacement = lexicon.perspective[low]
            you_seen |= low in {"вы", "вас", "вам", "вами"}
            we_seen |= low in {"мы", "нас", "нам", "нами", "я", "меня", "мне", "мной", "мною"}
            out.append(replacement)
            continue
        if low in _OUR:
            out.append(_OUR[low])
            continue
        if low in _THEIR:
            out.append(_THEIR[low])
            continue
        if low in _MY:
            out.append(_MY[low])
            continue
        flipped = None
        if not verbs:  # «зелёный убираем» is the client's own decision: only the pronouns turn round
            out.append(piece)
            continue
        best = morph().parse(low)[0]
        if best.tag.POS == "VERB" and best.tag.mood == "indc" and best.score >= 0.5:
            if best.tag.person == "2per":
                flipped = _flip_verb(low, "1per")
            elif best.tag.person == "1per":
                flipped = _flip_verb(low, "2per")
        elif best.tag.POS == "VERB" and "impr" in best.tag and best.score >= 0.99 and you_seen is False:
            flipped = _flip_verb(low, "1per")  # «пересчитайте смету и пришлите» → «…и пришлём»
        out.append(_match_case(piece, flipped) if flipped else piece)
    return "".join(out)


def _match_case(original: str, word: str) -> str:
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


_ASK_TO_RE = re.compile(
    r"^(?:прошу|просим|просьба|нужно|надо|необходимо|требуется|требую|требуем|настаиваю|настаиваем)\s+(?!успеть\b)((?:[\w-]+\s+){0,3}?)(?!успеть\b)"
    r"([а-яё]+(?:ть|ти|чь)(?:ся)?)\b",
    re.I,
)


def _finite_verb_in(text: str) -> bool:
    return any(morph().parse(w.lower())[0].tag.POS == "VERB" for w in re.findall(r"[А-Яа-яЁё-]+", text))


def _more_infinitives_as_ours(rest: str) -> str:
    """«… и направить допсоглашение» → «… и направим допсоглашение»; «… или сказать» → «… или скажем»."""

    def repl(m: re.Match[str]) -> str:
        return m.group(1) + (_infinitive_as_ours(m.group(2)) or m.group(2))

    # «… и с декабря указывать новый адрес»: a short circumstance may stand between «и» and the verb
    return re.sub(
        r"(\s(?:и|а также|или|либо)\s+(?:(?:с|со|до|в|во|по|на|к)\s+[а-яё]+\s+|[а-яё]+о\s+)?)"
        r"([а-яё]+(?:ть|ти|чь)(?:ся)?)\b",
        repl,
        rest,
    )


def _infinitive_as_ours(verb: str) -> str | None:
    parse = next((p for p in morph().parse(verb.lower()) if p.tag.POS == "INFN"), None)
    if parse is None:
        return None
    if "impf" in parse.tag:
        return f"будем {verb.lower()}"  # «указывать» → «будем указывать»: a habit from now on
    form = parse.inflect({"1per", "plur", "futr", "indc"})
    return form.word if form else None


def as_our_action(request: str, lexicon: SpeechActLexicon) -> str | None:
    """«пришлите счёт на декабрьский платёж» → «пришлём счёт на декабрьский платёж»; «счёт выставьте на юрлицо» →
    «счёт выставим на юрлицо»; «прошу подтвердить дату» → «подтвердим дату». None when there is no action to turn
    into ours."""
    if asked := _ASK_TO_RE.match(request.strip()):
        verb = _infinitive_as_ours(asked.group(2))
        if verb:
            rest = _more_infinitives_as_ours(turn_round(request.strip()[asked.end() :], lexicon))
            return (asked.group(1) + verb + rest).strip()
    m = _first_imperative(request)
    lead = request[: m.start()].rstrip() if m is not None else ""
    if m is not None and lead.endswith(",") and len(lead.split()) > 2:
        request = request[m.start() :]  # «раз уж я у вас, запишите…»: the lead-in goes, the request stays
        m = _first_imperative(request)
    elif m is not None and 3 < len(lead.split()) <= 5 and not _finite_verb_in(lead):
        pass  # «Третий вариант больше не показывайте»: an object and adverbs before the verb
    elif m is not None and len(request[: m.start()].split()) > 3:
        lead = request[: m.start()].rstrip()
        if lead.endswith(","):  # «раз уж я у вас, запишите…»: the lead-in goes, the request stays
            request = request[m.start() :]
            m = _first_imperative(request)
        else:
            return None
    if m is None:
        return None
    verb = _flip_verb(_PLAIN_VERBS.get(m.group().lower(), m.group()), "1per")
    if verb is None:
        return None
    before = turn_round(request[: m.start()], lexicon)
    rest = _FILLERS_RE.sub("", turn_round(request[m.end() :], lexicon))
    return re.sub(r"\s{2,}", " ", before + _match_case(m.group(), verb) + rest).strip()


# «скинь счёт» is said back as «пришлём счёт»: the reply speaks plain business Russian, not the client's slang
_PLAIN_VERBS = {
    "скинь": "пришлите", "скиньте": "пришлите", "кинь": "пришлите", "киньте": "пришлите", "закинь": "пришлите",
    "закиньте": "пришлите", "глянь": "посмотрите", "гляньте": "посмотрите",
}  # fmt: skip
_FILLERS_RE = re.compile(r"(?<![\w-])(?:потом|плиз|плз|уж|-ка)(?![\w-])", re.I)
