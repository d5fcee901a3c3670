"""The offline reply, answer first: what the client wrote decides the content, the type decides the tone.

Order of the reply: greeting → a word for what the client said (thanks, a complaint, their deadline) → one line for
EACH question and request (what the CRM holds, otherwise a visible blank such as «[сумма]» for the manager) → the
type's move from the script of the main situation → the type's closing. Nothing is stated that the message, the CRM
or the knowledge base does not hold: no dates, amounts, attachments, meetings or people of the bot's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.domain import BehaviourType, Situation
from bot.nlp.restate import noun_phrase_in_case, restate_question, restate_request
from bot.nlp.speech_acts import (
    OWN_PLAN_RE,
    SHORTFALL_RE,
    ActKind,
    Clause,
    Reading,
    SpeechActLexicon,
    load_lexicon,
    read_message,
    thanks_for_something,
    turn_round,
)
from bot.nlp.text import clip_words, lower_first, morph
from bot.services.clients.context import ClientContext
from bot.services.clients.playbook import ClientKnowledge, TypeAdvice
from bot.services.knowledge.corpus import Script
from bot.services.knowledge.scripts import ScriptLibrary
from bot.services.suggestions.acknowledge import acknowledgement
from bot.services.suggestions.on_record import Note, answer_on_record, subject_of
from storage.models import Incident

_BLANK_RE = re.compile(r"\[[^\[\]]{1,200}\]")


@dataclass(frozen=True)
class AnswerLine:
    asked: str  # the client's words
    line: str  # the reply's line
    source: str = ""  # where the answer came from («CRM»), "" for a blank or our own action
    ours: bool = False  # the client's request turned into our action («Сделаем перерасчёт.»)


@dataclass(frozen=True)
class ComposedReply:
    text: str
    answers: tuple[AnswerLine, ...] = ()
    no_reply_needed: bool = False
    blanks: tuple[str, ...] = field(default=())


def count_blanks(text: str) -> tuple[str, ...]:
    return tuple(_BLANK_RE.findall(text))


# Situations ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Events:
    """What the CRM shows, so event situations fire only when their event exists."""

    known_client: bool = False
    delay_on_file: bool = False  # a delay incident or a broken / overdue promise
    past_meeting: bool = False


def situations_of(reading: Reading, events: Events) -> list[Situation]:
    """Every situation the message carries, the main one first."""
    found: list[Situation] = []

    def add(s: Situation) -> None:
        if s not in found:
            found.append(s)

    if reading.only_acknowledgement:
        return [Situation.NO_REPLY]
    topics = reading.topics
    complaint = reading.has(ActKind.COMPLAINT)
    if complaint and (reading.urgent or reading.has(ActKind.THREAT)):
        add(Situation.INCIDENT)
    if complaint:
        if "delay" in topics and events.delay_on_file:
            add(Situation.DELAY_NOTICE)
        add(Situation.COMPLAINT)
    if "price_objection" in topics and not reading.has(ActKind.PRAISE):
        add(Situation.PRICE_OBJECTION)
    if "first_contact" in topics and not events.known_client:
        add(Situation.FIRST_CONTACT)
    asks = reading.asks
    if asks and "proposal" in topics:
        add(Situation.PROPOSAL)
    if asks and "order" in topics:
        add(Situation.ORDER)
    if "renewal" in topics:
        add(Situation.RENEWAL)
    if not asks and (reading.has(ActKind.PRAISE) or _real_thanks(reading)) and not complaint:
        add(Situation.THANKS)  # «Спасибо Роману, порекомендовали вас соседу»: thanks first, an offer may follow
    if "upsell" in topics and (reading.has(ActKind.PRAISE) or reading.has(ActKind.THANKS) or asks):
        add(Situation.UPSELL)
    if asks and "routine" in topics:
        add(Situation.ROUTINE)
    if reading.has(ActKind.QUESTION) or asks:
        add(Situation.QUESTION)
    if reading.has(ActKind.PRAISE) or _real_thanks(reading):
        add(Situation.THANKS)
    if "congratulation" in topics:
        add(Situation.CONGRATULATION)
    if "meeting" in topics and events.past_meeting:
        add(Situation.FOLLOW_UP)
    if not found:
        add(Situation.QUESTION if reading.clauses else Situation.NO_REPLY)
    return found


def _real_thanks(reading: Reading) -> bool:
    return any(thanks_for_something(c.text) for c in reading.of(ActKind.THANKS))


# Composing -------------------------------------------------------------------------------------------------------
_EMOTIONAL = {BehaviourType.EMOTIONAL_CONFIDENT, BehaviourType.EMOTIONAL_UNCONFIDENT}


def _acknowledgement(
    reading: Reading, type_: BehaviourType, broken: tuple[str, ...] = (), *, answered_deadline: bool = False
) -> list[str]:
    lines: list[str] = []
    if reading.has(ActKind.COMPLAINT):
        if type_ is BehaviourType.NONEMOTIONAL_CONFIDENT:
            lines.append("Приносим извинения за эту ситуацию.")
        elif type_ in _EMOTIONAL:
            lines.append("Приносим извинения — понимаем, как это неприятно.")
        else:
            lines.append("Приносим извинения за ситуацию и спасибо, что сообщили.")
    if reading.has(ActKind.PRAISE) or _real_thanks(reading):
        person = _praised_person(reading)
        if reading.has(ActKind.COMPLAINT):
            if _real_thanks(reading):  # «прекрасно видно» in an angry message is no praise to thank for
                lines.append("И спасибо за добрые слова о том, что получилось.")
        elif person:
            # «Хотим отметить Андрея…»: the praise goes to the person they named, not to «the team»
            lines.append(
                f"Спасибо за тёплые слова — обязательно передадим их {person}!"
                if type_ in _EMOTIONAL
                else f"Спасибо за отзыв — передадим Ваши слова {person}."
            )
        elif type_ in _EMOTIONAL:
            lines.append("Спасибо за тёплые слова — нам очень приятно, обязательно передадим команде!")
        else:
            lines.append("Спасибо за отзыв — рады, что всё получилось.")
    elif "first_contact" in reading.topics and not reading.has(ActKind.COMPLAINT):
        lines.append("Спасибо, что обратились к нам!" if type_ in _EMOTIONAL else "Спасибо за обращение.")
    if broken:
        lines.append(_broken_line(broken))
    if (
        reading.deadlines
        and not answered_deadline
        and not _own_plan(reading.text, reading.deadlines[0])
        and not _asked_about(reading, reading.deadlines[0])
    ):
        phrase = reading.deadlines[0]
        # the client's deadline is noted, not accepted: the manager decides whether we make it
        lines.append(f"Ваш срок — {phrase[:1].lower() + phrase[1:]}: [успеем / что успеем к нему].")
    return lines


def _broken_line(broken: tuple[str, ...]) -> str:
    """The promises the CRM shows broken, owned in one line: «мы обещали направить Вам график платежей и не сделали
    этого». A promise noted as an action reads as ours; one noted as a noun («выдача ГАЗели после ремонта») is named
    in brackets. Why and the new date are the manager's to fill."""
    said = [_promise_as_ours(p) for p in broken]
    deeds = [text for text, deed in said if deed]
    things = [text for text, deed in said if not deed]
    if deeds and not things:
        return f"Признаём: мы обещали {' и '.join(deeds)} и не сделали этого — [причина и новый срок]."
    return f"Признаём, что подвели Вас ({'; '.join(t for t, _ in said)}) — [причина и новый срок]."


def _promise_as_ours(promise: str) -> tuple[str, bool]:
    """(the promise said to the client, whether it is an action): «Направить клиенту допсоглашение» → «направить Вам
    допсоглашение», True."""
    text = re.sub(r"(?<![\w-])клиенту(?![\w-])", "Вам", promise.strip().rstrip("."))
    text = re.sub(r"(?<![\w-])за клиентом(?![\w-])", "за Вами", text)
    text = re.sub(r"(?<![\w-])клиента(?![\w-])", "Вас", text)
    first = text.split(maxsplit=1)[0].lower() if text.split() else ""
    deed = any(p.tag.POS == "INFN" for p in morph().parse(first)[:1])
    return lower_first(text), deed


def _asked_about(reading: Reading, phrase: str) -> bool:
    """«Акция до конца года точно действует?»: a date inside a question is what they ask about, not a deadline."""
    return any(ActKind.QUESTION in c.kinds and phrase.lower() in c.text.lower() for c in reading.clauses)


_OTHER_TIME_GREETING = re.compile(r"(?<![\w-])(?:добрый вечер|доброе утро|доброй ночи)(?![\w-])", re.I)
# The client or their family is ill: a wish comes before business.
_ILLNESS = re.compile(
    r"(?<![\w-])(?:заболел\w*|заболев\w*|болеет|болеем|болею|болеют|приболел\w*|ветрянк\w*|грипп\w*|простуд\w*|"
    r"на больничном|в больниц\w*|госпитализ\w*|орви)(?![\w-])",
    re.I,
)


def _praised_person(reading: Reading) -> str:
    """The colleague the client praises, in the dative («Артёму Белову», «Андрею»); not the manager they address at
    the start («Ирина, спасибо…»), not a place or a drug the NER took for a name."""
    opening = reading.text.lstrip()[:40]
    for m in re.finditer(r"(?i:спасибо|благодарим|благодарю)\s+([А-ЯЁ][а-яё]+)(?:\s+([А-ЯЁ][а-яё]+))?", reading.text):
        # «Спасибо Роману и монтажникам»: a first name in the dative right after the thanks; «Елене Павловне» keeps
        # the patronymic (or a surname) said with it
        if any("Name" in p.tag and "datv" in p.tag for p in morph().parse(m.group(1).lower())[:3]):
            second = m.group(2) or ""
            if second and any(
                ({"Patr", "Surn"} & set(p.tag.grammemes)) and "datv" in p.tag for p in morph().parse(second.lower())[:3]
            ):
                return f"{m.group(1)} {second}"
            return m.group(1)
    for name in reading.people:
        words = name.split()
        first = morph().parse(words[0].lower())
        if not any("Name" in p.tag for p in first[:2]) or opening.startswith(words[0]):
            continue
        # «спасибо всем воспитателям за праздник, … Миша до сих пор рассказывает»: the child told about is not
        # the one thanked; the name must stand next to the praise
        praised = [
            c
            for c in reading.clauses
            if name in c.text
            and any(
                abs(m.start() - c.text.index(name)) <= 50
                for m in re.finditer(
                    r"спасиб|благодар|отметить|молод|лучш|спас(?:ла|ли|ло)|золото|выручил\w*", c.text, re.I
                )
            )
        ]
        if not praised:
            continue
        return " ".join(_dative(w, "Name" if i == 0 else "Surn") for i, w in enumerate(words[:2]))
    return ""


def _dative(word: str, kind: str) -> str:
    parse = next((p for p in morph().parse(word.lower()) if kind in p.tag), None)
    found = parse.inflect({"datv"}) if parse else None
    return found.word.capitalize() if found else word


def _own_plan(text: str, phrase: str) -> bool:
    """«Остаток 36 400 платим до 15.12»: a date the client sets for themselves (a first-person verb beside it) is
    their plan, not a deadline for us."""
    at = text.find(phrase)
    if at < 0:
        return False
    start = max(text.rfind(ch, 0, at) for ch in ".!?\n") + 1
    stops = [i for i in (text.find(ch, at) for ch in ".!?\n") if i >= 0]
    sentence = text[start : min(stops) if stops else len(text)]
    if re.search(r"(?<![\w-])если(?![\w-])", sentence, re.IGNORECASE):
        return False  # «Если до конца дня денег не будет, переводим терминалы»: a condition set for us
    if re.search(r"(?<![\w-])(?:деньги|сумма|оплата|документы)\s+(?:будут\s+)?готов\w*", sentence, re.I):
        return True  # «Деньги готовы до конца года»: when the client is ready, not when we must be
    tags = [morph().parse(w.lower())[0].tag for w in re.findall(r"[А-Яа-яЁё]+", sentence)]
    return any(t.POS == "VERB" and "1per" in t for t in tags)


_ASK_KINDS = {ActKind.QUESTION, ActKind.REQUEST, ActKind.PROPOSAL}


def _answers(reading: Reading, lexicon: SpeechActLexicon) -> list[AnswerLine]:
    lines: list[AnswerLine] = []
    seen: set[str] = set()
    for clause in [c for c in reading.clauses if c.kinds & {*_ASK_KINDS, ActKind.CHANGE}]:
        if reading.deadlines and re.match(
            r"(?:ответ|решение|обратная связь)\s+(?:нужен|нужно|нужна|жду)", clause.body, re.I
        ):
            continue  # «Ответ нужен до среды»: the deadline line above already says it
        if (
            OWN_PLAN_RE.search(clause.text)
            and ActKind.QUESTION not in clause.kinds
            # «выставьте один счёт — хотим оплатить до праздников»: the plan is only the reason after the dash
            and not (
                ActKind.REQUEST in clause.kinds
                and not OWN_PLAN_RE.search(re.split(r"\s[—–]\s", clause.body or clause.text)[0])
            )
        ):
            continue  # «Остаток хотим оплатить в понедельник»: their own plan asks nothing of us
        if (clause.body or clause.text).strip(" .!?,:;—-").lower().replace("ё", "е") in lexicon.words.get(
            "attention", frozenset()
        ):
            continue  # «Смотрите.», «Во-первых —»: a call for attention asks nothing
        if ActKind.THANKS in clause.kinds and re.search(
            r"(?<!\w)(?:хочу|хотим|хотела?|хотели|хотелось бы)\s+(?:сказать|выразить|передать)?\s*"
            r"(?:спасибо|благодарност|поблагодарить)",
            clause.text,
            re.IGNORECASE,
        ):
            continue  # «Во-первых, хочу сказать спасибо…» is thanks, answered by the thanks line
        if re.match(
            r"(?:хочу|хотим|хотела?|хотели)\s+(?:выразить|высказать)\s+(?:своё\s+|свое\s+|наше\s+)?(?:недовольство|"
            r"претензию|возмущение|неудовольствие)\W*$",
            (clause.body or clause.text).strip(),
            re.IGNORECASE,
        ):
            continue  # «Хочу выразить недовольство.» announces the complaint the apology answers
        if (
            clause.kinds & _ASK_KINDS == {ActKind.QUESTION}
            and not clause.announced
            and lexicon.find("rhetorical", clause.text.lower())
        ):
            continue  # «Это вообще как?» reproaches; the answer to the complaint answers it
        if not clause.kinds & _ASK_KINDS and (
            clause.text.rstrip().endswith(":") or lexicon.find("reported_speech", clause.text.lower())
        ):
            continue  # «Теперь две вещи:» opens a list; «а теперь он говорит…» tells the story: no change to accept
        restated = _restate(clause, lexicon)
        index = reading.clauses.index(clause)
        before = reading.clauses[index - 1] if index > 0 else None
        # «в счёте 67 300, а согласовывали 61 000. Откуда разница?»: the figures before say what the question is about
        figures_before = before is not None and ActKind.REPORT in before.kinds and bool(re.search(r"\d", before.text))
        # «Реально?», «Сколько будет стоить?»: the blank names what it is about from the sentence before
        if (
            restated.startswith("[Ответ на вопрос «")
            and len(clause.text.split()) <= 4
            and (not _names_a_thing(clause) or figures_before)
            and before is not None
            and not before.kinds & {ActKind.QUESTION, ActKind.GREETING}
            and not before.text.rstrip().endswith(":")  # «Хочу понимать:» leads a list, it names nothing
        ):
            # the topic said before (its start), then the question whole: «Вы прислали КП с 1 января — хранение 22 ₽…
            # Это окончательная цифра?»
            asked = clause.text.strip()
            room = max(6, 18 - len(asked.split()))
            context = _hint(before.text, room)
            restated = f"[Ответ на вопрос «{context}{'' if context.endswith('…') else '.'} {asked}»]"
        restated = _with_needed_object(restated, reading, clause)
        if m := re.match(r"((?:В|Во|На|До|К|С|После)\s[^—\[]{1,30}) — (\[можно / нельзя — условия\]\.)$", restated):
            # «генеральный хочет посмотреть вашу станцию — можно в среду, 9-го?»: the time alone names nothing
            index = reading.clauses.index(clause)
            before = reading.clauses[index - 1] if index > 0 else None
            wish = _WANTS_TO.search(before.text) if before is not None else None
            if wish:
                what = turn_round(wish.group(1).strip(" ,—"), lexicon)
                restated = f"{_cap(what)} {m.group(1)[:1].lower()}{m.group(1)[1:]} — {m.group(2)}"
        if _person_mismatch(restated):
            # «Вы с 1 января расширяемся»: the client's sentence turned round half-way reads as broken Russian
            kind = "вопрос" if ActKind.QUESTION in clause.kinds else "сообщение"
            restated = f"[Ответ на {kind} «{_hint(_asked_part(clause))}»]"
        if re.match(r"(?:Вы|Мы|Я|Они|Он|Она)\s+—\s+\[", restated):
            # «Мы — бухгалтерия, 12 человек, хотим сбежать в горы» cut at its dash reads «Вы — [ответ]»: no line
            restated = f"[Ответ на просьбу «{_hint(clause.text)}»]"
        if _pasted_clause(restated):
            # «Документы нужны, кроме паспорта — [ответ]»: the client's sentence would read as ours
            later = reading.clauses[reading.clauses.index(clause) + 1 :][:1]  # the question right after it
            asks_us = any(
                "impr" in p.tag and "excl" in p.tag
                for w in re.findall(r"[а-яё]+", clause.text.lower())
                for p in morph().parse(w)[:1]
            )
            if ActKind.QUESTION not in clause.kinds and not asks_us and any(ActKind.QUESTION in c.kinds for c in later):
                # «В январе хотим отправить группу. Какие есть даты?»: context for the question after it; «логотип
                # сделайте побольше» before a question is still asked of us
                continue
            kind = "вопрос" if ActKind.QUESTION in clause.kinds else "просьбу"
            restated = f"[Ответ на {kind} «{_hint(_asked_part(clause))}»]"
        if re.fullmatch(r"(?:Для|По|На|В)\s[^—\[]{1,40} — \[ответ\]\.", restated):
            continue  # «Для бухгалтерии — [ответ].»: a purpose phrase left of a need, nothing to answer
        restated = _PHONE_RE.sub("", restated).replace(" :", ":").replace(":,", ",")  # their number is in CRM
        restated = _WHY_IT_MATTERS_RE.sub("", restated)  # «Подтвердим письменно, для Вас это очень важно»
        restated = re.sub(r"\s*:\s*(?=—)", " ", restated)
        ours = ActKind.REQUEST in clause.kinds and not clause.kinds & {ActKind.QUESTION, ActKind.CHANGE}
        if ours:
            restated = _without_their_reason(restated)
        if restated and restated not in seen:
            seen.add(restated)
            lines.append(AnswerLine(clause.text, restated, ours=ours))
    return _one_call(lines)


# the client's own word on why it matters to them, turned round, reads as ours pasted: the line keeps the ask only
def _without_their_reason(line: str) -> str:
    """«Пришлём заверенную копию полиса — нужна для банка», «Запишем мужа к хирургу — у него зуб ноет уже неделю»:
    the client's reason for asking, read back in our promise, is their sentence pasted into ours; the promise ends
    before it. Our own next step («Добавим брючницу, посчитаем доплату») stays."""
    head = re.split(r",\s|\s—\s", line, maxsplit=1)[0]
    ours = any(
        {"VERB", "1per", "plur"} <= p.tag.grammemes
        for w in re.findall(r"[а-яё]+", head.lower())
        for p in morph().parse(w)[:1]
    )
    if "[" in line or ":" in line[:25] or not ours:
        return line  # «Учтём: …», «Обратим внимание: …» note a fact of theirs, told as it is
    end = line[-1] if line[-1] in ".!" else ""
    body = line.rstrip(".! ")
    parts = re.split(r"(\s+—\s+|,\s+)", body)
    kept = parts[:1]
    for sep, part in zip(parts[1::2], parts[2::2], strict=False):
        if _their_reason(part):
            break
        kept += [sep, part]
    said = re.sub(r"(?:,\s*|\s+)(?:а|и|но)$", "", "".join(kept).rstrip(" ,—"))
    return said + end


def _their_reason(part: str) -> bool:
    if re.match(r"(?:что|когда|как|где|сколько|какой|какая|какие|почему|зачем|ли|[а-яё]+\s+ли)(?![\w-])", part, re.I):
        return False  # «Сообщим, когда будет отремонтирована кровля»: what we will tell is our promise's object
    part = re.sub(r"«[^»]*»", " ", part)  # «ГрадСтрой» is a name
    if re.search(
        r"[\U0001F300-\U0001FAFF]|(?<![\w-])(?:нужн\w*|очень|просит|просят|хотите|хочет|лучше бы)(?![\w-])", part, re.I
    ):
        return True
    for word in re.findall(r"[а-яё]+", part.lower()):
        tag = morph().parse(word)[0].tag
        if tag.POS == "VERB" and not ("1per" in tag and "plur" in tag) and morph().word_is_known(word):
            return True  # «у него зуб ноет», «платили с расчётного счёта»: theirs, not our next step
    return False


_WHY_IT_MATTERS_RE = re.compile(
    r",?\s*(?:для (?:Вас|вас|меня|нас) это (?:очень |крайне |действительно )?важно|это (?:очень |крайне )?важно"
    r"(?: для (?:Вас|вас|нас|меня))?)(?=\s*(?:—|\.|$))"
)


def _one_call(lines: list[AnswerLine]) -> list[AnswerLine]:
    """«Позвоните мне… Звонить лучше после 11»: one promise to call, the one that says when."""
    calls = [line for line in lines if _CALL_LINE_RE.match(line.line)]
    if len(calls) < 2:
        return lines
    keep = max(calls, key=lambda line: len(line.line))
    return [line for line in lines if line is keep or line not in calls]


_CALL_LINE_RE = re.compile(r"(?:Позвоним|Перезвоним|Созвонимся)(?![\w-])")


_YOU_WORDS = frozenset({"вы", "вам", "вас", "вами", "ваш", "ваша", "ваше", "ваши", "вашего", "вашей", "вашим", "ваших"})


_WANTS_TO = re.compile(r"(?:хочет|хотят|хотим|хочу|хотел бы|хотела бы|хотели бы)\s+([а-яё]+(?:ть|ти)\b.*)$", re.I)


def _asked_part(clause: Clause) -> str:
    """What the blank quotes: the question itself when the reading found it inside a longer sentence («…и не очень
    понимаю, какие файлы нужны» → «какие файлы нужны»), else the client's sentence."""
    if ActKind.QUESTION in clause.kinds and clause.body and len(clause.body) < len(clause.text) * 0.6:
        return clause.body.rstrip("?") + "?"
    return clause.text


def _person_mismatch(line: str) -> bool:
    """A line that speaks to the client («Вы», «Ваш») but keeps a first-person verb of theirs past its start
    («Вы с 1 января расширяемся»), or a «Вы» with a singular past verb («чтобы Вы мог»)."""
    words = re.findall(r"[А-Яа-яЁё]+", line.split("[", 1)[0])
    if not any(w.lower() in _YOU_WORDS for w in words):
        return False
    for index, word in enumerate(words):
        parse = morph().parse(word.lower())[0]
        if parse.tag.POS != "VERB":
            continue
        near = [w.lower() for w in words[max(0, index - 4) : index]]
        if "1per" in parse.tag and ("вы" in near or ("sing" in parse.tag and index > 0)):
            return True  # «Вы с 1 января расширяемся»; «выдадим Вам акт» is ours and fine
        if "вы" in near[-3:] and "past" in parse.tag and "sing" in parse.tag:
            return True  # «Вы его потеряла»
    return False


def _with_needed_object(line: str, reading: Reading, clause: Clause) -> str:
    """«Нужны заверенные копии: … Сможете подготовить до 11 декабря?» → «Подготовить заверенные копии до 11 декабря —
    …»: a verb asked about with only a date takes its object from the need said just before."""
    m = re.match(r"^([А-ЯЁ][а-яё]+(?:ть|ти|чь))\s+(?=(?:до|к)\s)", line)
    index = reading.clauses.index(clause)
    if m is None or index == 0:
        return line
    need = re.search(r"(?<![\w-])нужн\w*\s+([^:.;—]+)", reading.clauses[index - 1].text, re.I)
    if need is None:
        return line
    thing = noun_phrase_in_case(need.group(1).strip(), "accs") or need.group(1).strip()
    return f"{m.group(1)} {thing} {line[m.end() :]}"


def _names_a_thing(clause: Clause) -> bool:
    """«заказ напечатан?» names what it asks about; «Реально?», «Сколько будет стоить?» do not."""
    return any(
        morph().parse(w.lower())[0].tag.POS == "NOUN" for w in re.findall(r"[А-Яа-яЁё-]+", clause.body or clause.text)
    )


_NEED_BEFORE_THREAT = re.compile(
    r"(?<![\w-])(?:мне|нам)?\s*(?:нужн[аоы]?|нужен|необходим[аоы]?)\s+([^,.;!?]{3,60}?)\s*,?\s*"
    r"(?:иначе|а то|или)(?![\w-])",
    re.I,
)
_DEMAND_RE = re.compile(
    r"(?<![\w-])(?:требую|требуем|настаиваю на|настаиваем на)\s+(.+?)(?=\.\s+[А-ЯЁ]|[!?;]|\.?\s*$)", re.I | re.S
)
_OWN_THREAT_TAIL = re.compile(
    r",?\s+(?:и|а)\s+(?=(?:напишу|пишу|пойду|иду|подам|обращусь|пожалуюсь|заказываю|уйду|уходим|расторгаю|"
    r"расторгнем|претензию готовим|пишем)(?![\w-]))|,\s*(?=претензию готовим|претензию подаём)",
    re.I,
)
# a phone number stands on its own: never the middle of an account number («40702810938000123456»)
_PHONE_RE = re.compile(
    r"[:,]?\s*(?<![\d\w])(?:\+7|8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)(?:,\s*[А-ЯЁ][а-яё]+)?"
)


_SAID_POS = frozenset({"VERB", "INFN", "PRED", "ADJS", "PRTS"})


def _pasted_clause(line: str) -> bool:
    """«X — [ответ].» where X is a whole clause of the client's (it has a verb or a short predicate: «хотите
    отправить», «нужны», «свободны»), not the name of what was asked («ОСАГО на автопарк — [ответ]»)."""
    m = re.fullmatch(r"(.+?) — \[ответ\]\.", line)
    if m is None:
        return False
    words = re.findall(r"[А-Яа-яЁё-]+", m.group(1))
    return any(morph().parse(w.lower())[0].tag.POS in _SAID_POS for w in words)


def _hint(text: str, words: int = 12) -> str:
    text = re.sub(r"^[^\w«\"(]+", "", text.strip())  # «😄 Мы — …»: an emoji is no word of the question
    if text.rstrip().endswith("?"):
        # «Рассматриваем вас для ланчей. Перед тем как подписывать, хотелось бы попробовать: можно заказать пробный
        # обед?»: the question is what follows the last sentence end or colon, not how the client led up to it
        tail = re.split(r"(?<=[.!…])\s+|:\s+", text.strip())[-1]
        if len(tail.split()) >= 5:  # a short one («Откуда 6 240?») needs what was said before it
            text = tail
    text = re.sub(r"^(?:и\s+)?(?:ещё\s+|еще\s+)?(?:один\s+)?вопрос\s*:\s*", "", text.strip(), flags=re.I)
    text = re.sub(r"^(?:и\s+)?(?:вот\s+)?(?:что|ещё что|еще что)\s*:\s*", "", text, flags=re.I)  # «И вот что: …»
    text = re.sub(r"^(?:(?:скажите|подскажите)\s+)?(?:честно|пожалуйста)\s*[:,]\s*", "", text, flags=re.I)
    clipped, cut = clip_words(text.strip(" .!,;:—"), words)
    return clipped + ("…" if cut else "")


def _bare_noun_phrase(part: str) -> bool:
    """«Растения», «новые стеллажи»: a subject said before its verb, with no verb of its own."""
    words = re.findall(r"[а-яё]+", part.lower())
    return 0 < len(words) <= 3 and all(morph().parse(w)[0].tag.POS in ("NOUN", "ADJF", "PRTF") for w in words)


def _own_promise(part: str) -> bool:
    """«план кровли пришлю сегодня»: a first-person future of the client's."""
    return any(
        p.tag.POS == "VERB" and "1per" in p.tag and "futr" in p.tag
        for w in re.findall(r"[а-яё]+", part.lower())
        for p in morph().parse(w)[:1]
    )


def _restate(clause: Clause, lexicon: SpeechActLexicon) -> str:
    body = clause.body or clause.text
    # «ок, принято, ждем в среду»: the client's own «ок» is not part of what we answer
    body = re.sub(
        r"^(?:(?:ок|окей|ok|хорошо|принято|понял[аи]?|договорились|отлично|супер)[,.!\s]+)+", "", body, flags=re.I
    )
    body = body or clause.text
    if waited := re.match(r"(?:ждём|ждем)\s+(?:вас\s+|вашего\s+\w+\s+)?(.+?)[.!]*$", body, re.I):
        return f"{_cap(waited.group(1))} — [подтверждаем / другой срок]."  # «ждем в среду»: they expect us then
    if ActKind.REQUEST in clause.kinds and (will := _NEW_DETAILS_ASKED_RE.search(body)):
        # «С 14.12 просим доставлять на новый адрес: …» → «Приняли: с 14.12 будем доставлять на новый адрес: …»
        text = f"{body[: will.start()]}будем {will.group(1)}{body[will.end() :]}".strip(" .!")
        return f"Приняли: {turn_round(lower_first(text), lexicon, verbs=False)}."
    if ActKind.CHANGE in clause.kinds:
        text = body.strip(" .!")
        # «обед переносим с 13:00 на 13:30»: a colon inside a time is no heading
        split = re.split(r"(?<!\d):|:(?!\d)", text, maxsplit=1)
        head, colon, tail = (split[0], ":", split[1]) if len(split) == 2 else (text, "", "")
        changed = re.match(r"^(?:у нас\s+)?(?:сменил\w*|изменил\w*|поменял\w*|обновил\w*)\s+(.+)$", head.strip(), re.I)
        if colon and changed and len(head.split()) <= 5 and tail.strip():
            # «У нас сменился юр. адрес: 115054, …» → «Приняли новый юр. адрес: 115054, …»
            what = changed.group(1)
            noun = next(
                (p for w in what.split() for p in morph().parse(w.strip(".").lower())[:1] if p.tag.POS == "NOUN"), None
            )
            forms = {"femn": "новая", "neut": "новое"}
            plural = noun is not None and noun.tag.number == "plur"
            new = "новые" if plural else forms.get(str(noun.tag.gender) if noun else "", "новый")
            return f"Приняли {new} {what}: {tail.strip()}."
        if colon and len(head.split()) <= 5 and tail.strip():
            text = tail.strip()  # «Говорю, как должно быть: логотип крупнее…» — the list itself
        # «Также сообщаем, что сменился директор»: what they tell, without the telling
        text = (
            re.sub(
                r"^(?:(?:и|а|также|ещё|еще)\s+)*(?:сообщаем|сообщаю|информируем|уведомляем|напоминаем)\s*,?\s*(?:что\s+)?",
                "",
                text,
                flags=re.I,
            )
            or text
        )
        # «…, крыша позволяет, план кровли пришлю сегодня»: the client's own promise is theirs to keep, not noted
        kept: list[str] = []
        for part in re.split(r",\s+", text):
            if not _own_promise(part):
                kept.append(part)
                continue
            # «Растения, которые у вас на обслуживании, перевезём сами»: the promise goes with its subject
            while kept and (kept[-1].lower().startswith("котор") or _bare_noun_phrase(kept[-1])):
                kept.pop()
        if kept:
            kept[0] = re.sub(r"^(?:а|и|но)\s+", "", kept[0])
        text = ", ".join(kept) or text
        if will := _NEW_DETAILS_ASKED_RE.search(text):  # «…просим выставлять счета на новое юрлицо»: we will
            text = f"{text[: will.start()]}будем {will.group(1)}{text[will.end() :]}"
        # «… пом. 14-Н — просим указывать его во всех документах» → «…; будем указывать его во всех документах»
        text, asked, what = text.partition(" — ")
        will = re.match(r"(?:просим|прошу|просьба)\s+(?:вас\s+)?([а-яё]+(?:ть|ти))(?![\w-])(.*)$", what, re.I)
        tail = f"; будем {will.group(1)}{will.group(2)}" if will else asked + turn_round(what, lexicon, verbs=False)
        return f"Приняли: {turn_round(lower_first(text), lexicon, verbs=False)}{tail}."
    if ActKind.PROPOSAL in clause.kinds:
        timed = re.search(r"\d|понедельник|вторник|сред|четверг|пятниц|суббот|воскресень|утр|вечер|завтра", body, re.I)
        blank = "[подходит / предложим другое время]" if timed else "[согласны / предложим свой вариант]"
        proposal = re.sub(r"^(?:давайте|давай)\s+", "", body.strip(" .!"), flags=re.I)
        if proposal != body.strip(" .!") or re.search(r"(?<![\w-])давайте(?![\w-])", clause.text, re.I):
            # «Давайте назначим на 10 или 11 декабря»: an inclusive «we» that stays ours, not turned to «Вы»
            return f"{_cap(proposal)} — {blank}."
        return f"{_cap(turn_round(body.strip(' .!'), lexicon))} — {blank}."
    if ActKind.QUESTION in clause.kinds:
        line = restate_question(body, lexicon).line
        head, *after_dash = re.split(r"\s[—–]\s", clause.text, maxsplit=1)
        taken_from_tail = bool(after_dash) and body.strip()[:15] in after_dash[0] and body.strip()[:15] not in head
        if taken_from_tail:
            # «Корм Monge, мешки 10 кг — сейчас есть в наличии?»: the line keeps what the question is about
            topic = _ASKING_LEAD.sub("", head.strip())
            if 1 <= len(topic.split()) <= 12 and line.startswith("[Ответ на вопрос «"):
                return f"[Ответ на вопрос «{_hint(topic + ' — ' + body.strip() + '?', 24)}»]"
            if 1 <= len(topic.split()) <= 12:
                return f"{_cap(topic)} — {lower_first(line)}"
        return line
    return restate_request(body, clause.alternatives, lexicon).line


_ASKING_LEAD = re.compile(r"^(?:подскажите|скажите|интересует|интересуют)\s*,?\s*(?:пожалуйста\s*,?\s*)?", re.I)


# a request to use new details from now on is taken on board, not a blank to answer
_NEW_DETAILS_ASKED_RE = re.compile(
    r"(?:просим|прошу|просьба)\s+(?:вас\s+)?([а-яё]+(?:ть|ти))(?=(?:(?!\sи\s)[^.])*нов(?:ый|ые|ое|ая)\s+(?:юридическ\w+\s+)?"
    r"(?:адрес|юрлицо|реквизит|счёт|счет|получател))",
    re.I,
)


_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_EDO_RE = re.compile(r"(?<![\w-])(?:ЭДО|Диадок\w*|СБИС|Контур)(?![\w-])", re.IGNORECASE)


def _says_channel(text: str) -> bool:
    return bool(_EDO_RE.search(text) or _EMAIL_RE.search(text) or re.search(r"почтой|на адрес|курьер", text, re.I))


def _channel_line(reading: Reading) -> str:
    """«Сканы на buh@…, оригиналы почтой», «ЭДО у нас Диадок»: how the client wants the documents, confirmed."""
    if "routine" not in reading.topics:
        return ""
    # «Принимаете ли УПД через Диадок?» asks whether we can; the question's own line answers it, not a promise here
    # «Допсоглашение отправил сегодня Почтой России»: how they sent theirs is no wish for ours
    said = "\n".join(
        c.text for c in reading.clauses if ActKind.QUESTION not in c.kinds and not _THEY_SENT_RE.search(c.text)
    )
    ways = []
    if m := _EMAIL_RE.search(said):
        ways.append(f"на {m.group()}")
    if m := _EDO_RE.search(said):
        ways.append(f"через ЭДО ({m.group()})" if m.group().upper() != "ЭДО" else "через ЭДО")
    if re.search(r"(?<![\w-])почтой(?![\w-])", said, re.IGNORECASE):
        ways.append("оригиналы — почтой")
    elif re.search(r"оригинал\w*\s*(?:—|-)?\s*на\s+адрес", said, re.IGNORECASE):
        ways.append("оригиналы — на указанный адрес")
    if ways == ["оригиналы — почтой"]:
        return "Оригиналы отправим почтой."
    if ways == ["оригиналы — на указанный адрес"]:
        return "Оригиналы отправим на указанный адрес."
    return f"Документы отправим {', '.join(ways)}." if ways else ""


# how the client sent or will send their own papers («отправил Почтой России», «оригинал отправим почтой»)
_THEY_SENT_RE = re.compile(
    r"(?<![\w-])(?:отправил[аи]?|выслал[аи]?|направил[аи]?|передал[аи]?|сдал[аи]?|отдал[аи]?|отправим|вышлем|направим|"
    r"передадим|пришлём|пришлем|отправлю|вышлю|направлю|пришлю)(?![\w-])",
    re.I,
)


def _no_answer_line(reading: Reading) -> str:
    """A report with a threat or a deadline and no explicit question still needs an answer, as a blank."""
    if reading.has(ActKind.THREAT) or reading.deadlines:
        return "Наш ответ по существу: [ответ]."
    return ""


# Trouble with reaching us, the client's own refusal, counting the times: reproaches, not a problem to report on
_NOT_A_POINT = re.compile(
    r"(?<![\w-])(?:никто|связал\w*|отвечают|ответил\w*|перезвон\w*|звонил\w*|трубк\w*|раз|будем|будут|нет до сих пор|"
    r"ответа|письм\w*|тишина)"
    r"(?![\w-])",
    re.I,
)
_AGAIN_RE = re.compile(r"(?<![\w-])(?:опять|снова|в очередной раз|уже)\s+", re.I)


_NEED_ASKED = re.compile(
    r"^(?:(?:и|а|также|ещё|еще|нам|мне|для\s+\S+(?:\s+\S+)?)\s+)*(?:нужен|нужна|нужны|необходим\w*)\s+", re.I
)


def _without_restated_needs(answers: list[AnswerLine]) -> list[AnswerLine]:
    """«нужны заверенные копии: … Сможете подготовить до 11 декабря?»: the question already asks for the thing."""
    kept = []
    for answer in answers:
        need = _NEED_ASKED.search(answer.asked.strip())
        thing = re.findall(r"[а-яё]{4,}", answer.asked[need.end() :].lower()) if need else []
        others = " ".join(a.line.lower() for a in answers if a is not answer)
        if thing and all(w[:5] in others for w in thing[:2]):
            continue
        kept.append(answer)
    return kept


def _complaint_points(reading: Reading, answers: list[AnswerLine]) -> list[AnswerLine]:
    """A plain complaint among other asks gets its own point: what it is about, with the blank for cause and step."""
    points = []
    for clause in reading.clauses:
        if clause.kinds - {ActKind.COMPLAINT, ActKind.REPORT} or ActKind.COMPLAINT not in clause.kinds:
            continue
        said = _AGAIN_RE.sub("", (clause.body or clause.text).strip(" .!?"))
        if clause.text.rstrip().endswith("?") or len(said.split()) < 3 or any(a.asked == clause.text for a in answers):
            continue
        if short := SHORTFALL_RE.search(said):
            # «…должно быть 10 поддонов, выгрузили 8»: named as what it is, not the client's story read back
            points.append(AnswerLine(clause.text, f"Недовоз ({short.group(0)}) — [причина и когда довезём]."))
            continue
        if re.search(r"(?<![\w-])(?:вы|вас|вам|ваш\w*)(?![\w-])", said, re.I) or _NOT_A_POINT.search(said):
            continue  # «вы опять не перезвонили», «никто не связался»: the apology answers a reproach to us
        first_person = any(
            "1per" in p.tag for w in re.findall(r"[а-яё]+", said.lower()) for p in morph().parse(w)[:1]
        ) or re.search(r"(?<![\w-])(?:я|мы|у нас|у меня)(?![\w-])", said, re.I)
        if first_person or len(said.split()) > 14 or sum(c.isupper() for c in said) > len(said) / 3:
            continue  # a long story or shouting is answered by the cause-and-step lines, not quoted back
        points.append(AnswerLine(clause.text, f"{_cap(said)} — [причина и что делаем, срок]."))
    return points[:2]


def _problem_lines(reading: Reading, on_file: tuple[str, ...] = ()) -> list[str]:
    """A complaint is answered with its substance: what happened and what we do next — nothing is promised. When the
    CRM's note on the trouble gives its cause («не прошла предоплата по карте агентства»), that is what happened,
    said without the internal remarks («клиенту не сообщено»); a note that only restates the complaint stays a hint
    inside the blank."""
    cause = next((c for note in on_file if (c := _cause_said(note)) and not _restates(note, reading.text)), "")
    if cause:
        return [f"Что произошло: {cause}.", "Что делаем: [шаг и срок]."]
    hint = f"[причина; в CRM: «{_clip(on_file[0])}»]" if on_file else "[причина]"
    return [f"Что произошло: {hint}.", "Что делаем: [шаг и срок]."]


def _restates(note: str, message: str) -> bool:
    """Most of the note's words are the client's own («4 пропущенных звонка…», «не работает кондиционер»): it tells
    what they already know, not why it happened."""
    words, _ = subject_of(note)
    said, _ = subject_of(message)
    return not words or len(words & said) >= 0.5 * len(words)


def _cause_said(note: str) -> str:
    """The cause a CRM note gives, as a clause for the client, or "" when the note is the complaint itself."""
    text = _INTERNAL_REMARK_RE.sub("", note.strip()).strip(" .;,")
    if not text or _RESTATED_COMPLAINT_RE.match(text) or len(text.split()) < 4:
        return ""
    if re.search(r"(?<![\w-])клиент\w*(?![\w-])", text, re.I):
        return ""  # «4 пропущенных звонка от клиента»: written about the client, for colleagues
    return lower_first(text)


# what is said inside the company about the client, never to them
_INTERNAL_REMARK_RE = re.compile(
    r",?\s*(?:клиент(?:у|а)?\s+(?:ещё\s+|еще\s+|пока\s+)?не\s+(?:уведомл\w*|сообщен\w*|сообщил\w*|предупрежд\w*|"
    r"проинформирован\w*|в курсе)|клиенту\s+не\s+сообщ\w*)",
    re.I,
)
# a note that is the complaint itself («Жалоба: 4 кг вырезки с запахом», «Повтор по тикету…»)
_RESTATED_COMPLAINT_RE = re.compile(r"^(?:жалоб\w*|повтор\w*|претензи\w*|клиент\w*|звонок|обращени\w*)", re.I)


def _clip(note: str, words: int = 18) -> str:
    clipped, cut = clip_words(note.strip().rstrip("."), words)
    return clipped + ("…" if cut else "")


def _with_file_hint(answers: list[AnswerLine], on_file: tuple[str, ...]) -> list[AnswerLine]:
    """«Когда? Ремонт стоит» with «Ремня нет у поставщика, ожидается 09.12» on file: the blank says where the answer
    may be. Only the first question about when or where things are, only once."""
    if not on_file:
        return answers
    for i, answer in enumerate(answers):
        if answer.line.startswith("[Ответ на вопрос «") and _WHEN_OR_WHERE.search(answer.asked):
            line = answer.line.rstrip("]") + f"; в CRM: «{_clip(on_file[0])}»]"
            return [*answers[:i], AnswerLine(answer.asked, line, "CRM", answer.ours), *answers[i + 1 :]]
    return answers


def _handed_over(reading: Reading, lexicon: SpeechActLexicon, answers: list[AnswerLine]) -> list[AnswerLine]:
    """«Выписку за ноябрь загрузили в облако», «за ноябрь 318 400 ₽ оплатили сегодня»: what the client handed over is
    acknowledged, with a blank for whether it has arrived, unless they ask about it themselves («Подтвердите, что деньги
    поступили»: that question's own line answers it)."""
    # «Перевели 312 000 ₽ … Выдать карты обещали до 1 декабря»: a payment told as the ground of a grievance
    broken = "delay" in reading.topics and bool(re.search(r"(?<![\w-])обещал\w*", reading.text, re.I))
    grievance = reading.has(ActKind.COMPLAINT) or reading.has(ActKind.THREAT) or broken
    if any(_ARRIVED_RE.search(a.asked) for a in answers) or grievance:
        # under a complaint «мы оплатили 100%…» is part of the story the complaint line answers, not a payment to
        # thank for
        return []
    lines: list[AnswerLine] = []
    handed: list[tuple[str, str]] = []
    for clause in reading.clauses:
        text = (clause.body or clause.text).strip()
        if clause.kinds != {ActKind.REPORT} or len(text.split()) > 25 or not lexicon.find("handed_over", text.lower()):
            continue
        text = re.sub(r"^(?:кстати|и ещё|и еще|также|ещё|еще)[,:]?\s+", "", text, flags=re.I).rstrip(" .")
        handed.append((clause.text, text))
    if not handed:
        return []
    # In our words, one line for all of it: the client's sentence read back under our name reads as if we had paid
    if said := acknowledgement([text for _, text in handed]):
        return [AnswerLine(handed[0][0], said)]
    for asked, text in handed:
        words = [_plural_past(w) if lexicon.find("handed_over", w.lower()) else w for w in text.split(" ")]
        lines.append(AnswerLine(asked, f"{_cap(' '.join(words))} — [получили / проверим и подтвердим]."))
    return lines


def _in_message_order(reading: Reading, answers: list[AnswerLine], extra: list[AnswerLine]) -> list[AnswerLine]:
    """`extra` lines put among the answers where their clause stands in the message."""
    texts = [c.text for c in reading.clauses]

    def at(line: AnswerLine) -> int:
        return texts.index(line.asked) if line.asked in texts else len(texts)

    merged = list(answers)
    for line in extra:
        index = next((i for i, a in enumerate(merged) if at(a) > at(line)), len(merged))
        merged.insert(index, line)
    return merged


_ARRIVED_RE = re.compile(r"(?<![\w-])(?:поступил\w*|получил\w*|дошл\w*|дошёл|пришл[аио]?)(?![\w-])", re.I)


def _plural_past(word: str) -> str:
    """«отправил» → «отправили»: the report read back to the client without «I» or «we»."""
    parse = morph().parse(word.lower())[0]
    if {"VERB", "past", "sing"} <= parse.tag.grammemes and (plural := parse.inflect({"plur"})) is not None:
        return plural.word
    return word


def _answered_on_record(answers: list[AnswerLine], records: tuple[Note, ...]) -> list[AnswerLine]:
    """A question the CRM can answer is answered from it, with the source; a follow-up the same note answers needs no
    line of its own («сколько стоит? и сколько по времени настройка?» ← «подключение 24 000 ₽, настройка 5 дней»).
    Only questions: a complaint or a request is not answered by a note."""
    if not records:
        return answers
    found: list[AnswerLine] = []
    used: set[Note] = set()
    previous: Note | None = None
    for answer in answers:
        blanks = count_blanks(answer.line)
        quoted = re.findall(r"«(.+)»", blanks[0]) if blanks else []
        question = " ".join([answer.asked, *(q for q in quoted if q.rstrip("…") not in answer.asked)])
        note = None
        if blanks and not answer.ours and _QUESTION_RE.search(question):
            short = [q for q in quoted if len(q.split()) <= 3]
            # «сумму предоплаты?» read out of «Предоплату переведу вечером, напомните сумму»: the short ask alone
            note = (answer_on_record(short[0], records) if short else None) or answer_on_record(
                question, records, follows=previous
            )
        previous = note
        if note is None:
            found.append(answer)
            continue
        if note in used:
            continue  # the line above already gives this note
        used.add(note)
        said = note.as_answer()
        lead = answer.line.split(blanks[0], 1)[0].strip(" —:.")
        line = f"{lead} — {said[:1].lower()}{said[1:]}" if lead else said
        found.append(AnswerLine(answer.asked, line, f"CRM {note.at:%d.%m}", answer.ours))
    return found


_QUESTION_RE = re.compile(r"\?|(?<![\w-])(?:почему|когда|сколько|где|какой|какая|какие|каких|ли)(?![\w-])", re.I)


_WHEN_OR_WHERE = re.compile(r"(?<![\w-])(?:когда|где|статус|сроки?|что с|как там|есть новости)(?![\w-])", re.I)


def compose(
    reading: Reading,
    lexicon: SpeechActLexicon,
    type_: BehaviourType,
    situations: list[Situation],
    *,
    greeting_name: str = "",
    move: str = "",
    closing: str = "",
    broken_promises: tuple[str, ...] = (),
    on_file: tuple[str, ...] = (),
    records: tuple[Note, ...] = (),
) -> ComposedReply:
    """`on_file`: the CRM's recent notes on this client's trouble (incidents), newest first, as hints in blanks;
    `records`: what we sent the client and its incidents, to answer a question the CRM already answers."""
    # «Добрый вечер!» from the client: the reply may go out in the morning, so a greeting for any time of day
    hello = "Здравствуйте" if _OTHER_TIME_GREETING.search(reading.text[:80]) else "Добрый день"
    greeting = f"{hello}, {greeting_name}!" if greeting_name else f"{hello}!"
    if situations and situations[0] is Situation.NO_REPLY:
        text = f"{greeting} Спасибо, принято." if greeting_name else "Спасибо, принято!"
        return ComposedReply(text, no_reply_needed=True)
    parts = [greeting]
    if _ILLNESS.search(reading.text):
        parts.append("Желаем скорейшего выздоровления!")  # «Варя заболела, у нас ветрянка(((»: people first
    answers = _without_restated_needs(_answers(reading, lexicon))
    said = " ".join(a.line for a in answers)
    answered = any(d in said for d in reading.deadlines)  # an answer already names the client's deadline
    broken = broken_promises if reading.has(ActKind.COMPLAINT) else ()
    parts.extend(_acknowledgement(reading, type_, broken, answered_deadline=answered))
    for clause in reading.clauses:
        need = _NEED_BEFORE_THREAT.search(clause.text) if ActKind.THREAT in clause.kinds else None
        if need and not any(need.group(1)[:15] in a.asked for a in answers):
            # «мне нужна замена до 16:00, иначе требуем полный возврат»: what they need is met before the threat
            answers.append(AnswerLine(clause.text, f"{_cap(need.group(1).strip())} — [решение и срок]."))
        demand = _DEMAND_RE.search(clause.text) if ActKind.THREAT in clause.kinds else None
        if demand and not any(demand.group(1)[:20] in a.asked for a in answers):
            # «Если до 9 декабря техники не будет — требую вернуть деньги и неустойку»: the demand is met too
            # «требую полный возврат и напишу отзывы везде»: the demand ends where the client's own threat begins
            asked = _OWN_THREAT_TAIL.split(demand.group(1), maxsplit=1)[0]
            answers.append(AnswerLine(clause.text, f"[Ответ на требование «{_hint(asked)}»]"))
    if (channel := _channel_line(reading)) and not any(
        re.search(r"ЭДО|почт|@|Диадок|СБИС|Контур", a.line)
        and (re.match(r"(?:Отправим|Пришлём)", a.line) or (a.ours and not a.line.startswith("[")))
        for a in answers
    ):
        # the client's own «можно через СБИС, оригиналы — на адрес …» is what the channel line answers
        answers = [a for a in answers if not (a.line.startswith("[Ответ на просьбу") and _says_channel(a.asked))]
        answers.append(AnswerLine("", channel))  # unless a line already says how we send them
    problem = reading.has(ActKind.COMPLAINT)
    # «добавь 40 уп …», «перенеси на вторник 8-е»: goods, quantities and dates are the manager's to confirm
    answers = [
        _open_commitment(a)
        if a.ours
        and not count_blanks(a.line)
        and (re.search(r"\d", a.line) or _REMEDY_RE.match(a.line))
        and not a.line.startswith(("Учтём:", "Приняли:"))
        else a
        for a in answers
    ]  # «Учтём: предоплату 50% Вы уже внесли» takes note of a fact; it promises nothing to confirm
    if problem:
        # under a complaint the client's demand turned into our action is a commitment nobody has taken yet
        answers = [_open_commitment(a) if a.ours and not count_blanks(a.line) else a for a in answers]
        answers = [_remedy_as_choice(a) for a in answers]
        if Situation.INCIDENT in situations or not answers:
            # an escalation is answered with its substance; the client's own demands, when listed, are the steps
            parts.extend(_problem_lines(reading, on_file)[: 1 if answers else 2])
            on_file = ()  # said once
        else:
            # «1. Камера №7 опять показывает чёрный экран. 2. Пришлите допсоглашение…»: the problem is a point too
            answers = _complaint_points(reading, answers) + answers
    handed_over = _handed_over(reading, lexicon, answers)
    answers = _in_message_order(reading, _with_file_hint(_answered_on_record(answers, records), on_file), handed_over)
    if len(answers) > 1:
        parts.append("\n".join(f"{i}. {a.line}" for i, a in enumerate(answers, 1)))
    elif answers:
        parts.append(answers[0].line)
    elif not problem and (extra := _no_answer_line(reading)):
        parts.append(extra)
    if move and (reading.has(ActKind.THREAT) or Situation.INCIDENT in situations):
        move = ""  # a client about to leave needs facts and a next step, not the script's consultation or a rating
    if move and not answers:
        if move := _unsaid(_without_whom_to_praise(move, reading), parts):
            parts.append(move)  # nothing to answer point by point: the script's move carries the reply
    elif closing := _unsaid(_without_whom_to_praise(closing, reading), parts):
        parts.append(closing)  # after the answers one line in the spirit of the type; the script stays a guide
    text = _tidy("\n\n".join(_join_short(parts)))
    return ComposedReply(text, tuple(answers), False, count_blanks(text))


# «Заменим зеркало и отрегулируем двери»: a repair, a replacement or money back is the manager's decision to take,
# so the line always carries the blank that says whether and when
_REMEDY_RE = re.compile(
    r"(?:Заменим|Исправим|Переделаем|Починим|Отрегулируем|Вернём|Вернем|Компенсируем|Устраним|Доставим|Привезём|"
    r"Заморозим|Продлим|Перенесём|Перенесем|Уберём|Уберем|Поменяем|Повесим|Разместим|"
    r"Привезем|Довезём|Довезем|Перевыставим|Пересчитаем|Сделаем|Отремонтируем|Восстановим)(?![\w-])"
)


_OPEN_TAIL = re.compile(r"\s+—\s+\[(?:срок / другое решение|подтверждаем / другой срок)\]\.?$")


def _remedy_as_choice(answer: AnswerLine) -> AnswerLine:
    """Under a complaint «Вернём залог полностью до пятницы — [подтверждаем / другой срок]» reads as a promise made:
    the client's demand is the manager's decision, so the whole line is the choice in brackets — «[Вернём залог
    полностью до пятницы / предложим другое решение].»"""
    # «Немедленно повесим баннер»: an adverb of haste before the remedy changes nothing
    remedy = _REMEDY_RE.match(_cap(re.sub(r"^(?:Немедленно|Срочно|Сегодня же|Сразу)\s+", "", answer.line)))
    if not remedy or not _OPEN_TAIL.search(answer.line):
        return answer
    promise = _OPEN_TAIL.sub("", answer.line).rstrip(" .")
    return AnswerLine(answer.asked, f"[{promise} / предложим другое решение].", answer.source, answer.ours)


def _open_commitment(answer: AnswerLine) -> AnswerLine:
    """«Сделаем перерасчёт.» → «Сделаем перерасчёт — [срок / другое решение].»"""
    line = answer.line.rstrip(". ")
    return AnswerLine(answer.asked, f"{line} — [срок / другое решение].", answer.source, True)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _join_short(parts: list[str]) -> list[str]:
    """The greeting and a one-line acknowledgement read as one paragraph."""
    if len(parts) >= 2 and "\n" not in parts[1] and len(parts[1]) < 120 and not parts[1][:1].isdigit():
        return [f"{parts[0]} {parts[1]}", *parts[2:]]
    return parts


_THANKS_STEMS = re.compile(r"спасиб|благодар|приятн", re.I)


def _without_whom_to_praise(closing: str, reading: Reading) -> str:
    """«Подскажите, кого из команды Вы бы отметили» is out of place when the client already named whom they thank
    («Ирина, спасибо…», «спасибо Роману»)."""
    named = bool(reading.people) or bool(re.match(r"\s*[А-ЯЁ][а-яё]+,", reading.text))
    if not named:
        return closing
    return " ".join(s for s in re.split(r"(?<=[.!?])\s+", closing) if "кого из команды" not in s)


def _unsaid(closing: str, parts: list[str]) -> str:
    """The closing without its sentences the reply already says: «Нам очень приятно…» after «Спасибо за тёплые
    слова — нам очень приятно» is said twice."""
    if not closing:
        return ""
    thanked = bool(_THANKS_STEMS.search(" ".join(parts[1:]) if len(parts) > 1 else ""))
    called = bool(_CALL_STEMS.search(" ".join(parts)))  # «Перезвоним.» already says it: no second offer to call
    kept = [
        sentence
        for sentence in re.split(r"(?<=[.!?])\s+", closing.strip())
        if not _said(sentence, parts)
        and not (thanked and _THANKS_STEMS.search(sentence))
        and not (called and _CALL_STEMS.search(sentence))
    ]
    return " ".join(kept)


_CALL_STEMS = re.compile(r"(?<![\w-])(?:перезвон|позвон|созвон)\w*", re.I)


def _said(line: str, parts: list[str]) -> bool:
    words = {w for w in re.findall(r"[а-яё]{5,}", line.lower())}
    said = set(re.findall(r"[а-яё]{5,}", " ".join(parts).lower()))
    return bool(words) and len(words & said) / len(words) >= 0.5


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([.!?])\.", r"\1", text)
    return text.strip()


# The draft for a card ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OfflineReply:
    script: Script | None
    text: str
    situations: tuple[Situation, ...]
    composed: ComposedReply


_PROBLEMS = {Situation.COMPLAINT, Situation.INCIDENT, Situation.DELAY_NOTICE}


# Situations where the type's own move (a comparison, an assessment, a call) is what the client is after.
_SALES = {
    Situation.FIRST_CONTACT,
    Situation.NEEDS_DISCOVERY,
    Situation.PROPOSAL,
    Situation.PRICE_OBJECTION,
    Situation.UPSELL,
    Situation.RENEWAL,
    Situation.REACTIVATION,
    Situation.FEEDBACK_REQUEST,
}


def closing_for(advice: TypeAdvice, situations: list[Situation]) -> str:
    """The last line follows the situation, then the type: a problem gets when we write back, thanks a short warm
    word, a question or a routine request an offer to clarify; only a sales talk gets the type's sales move (a
    savings table is no answer to a heating outage or a payroll fix)."""
    primary = situations[0] if situations else Situation.QUESTION
    if (primary in _PROBLEMS or Situation.COMPLAINT in situations) and advice.closing_problem:
        return advice.closing_problem
    if primary is Situation.THANKS and advice.closing_thanks:
        return advice.closing_thanks
    if primary not in _SALES and advice.closing_question:
        return advice.closing_question
    return advice.closing


def _broken(context: ClientContext | None) -> tuple[str, ...]:
    """Promises to this client that are overdue or marked broken: a complaint about them is owned, not argued."""
    if context is None:
        return ()
    found = [*context.overdue_promises, *context.broken_promises]
    return tuple(dict.fromkeys(p.text.strip().rstrip(".") for p in found if p.text))[:2]


def lexicon_path(project_root: Path) -> Path:
    return project_root / "knowledge" / "lexicons" / "speech_acts.yaml"


def events_of(context: ClientContext | None) -> Events:
    if context is None:
        return Events()
    delay = any(i.kind == "delay" for i in context.incidents) or bool(
        context.overdue_promises or context.broken_promises
    )
    return Events(known_client=True, delay_on_file=delay)


def draft_offline(
    library: ScriptLibrary,
    knowledge: ClientKnowledge,
    project_root: Path,
    text: str,
    type_: BehaviourType,
    context: ClientContext | None,
    *,
    situation: Situation | None = None,
    today: date | None = None,
) -> OfflineReply:
    """The offline reply for the card: `situation` is the manager's choice of script when they picked another."""
    lexicon = load_lexicon(lexicon_path(project_root))
    reading = read_message(text, lexicon, today or (context.today if context else None))
    situations = situations_of(reading, events_of(context))
    if situation is not None:
        situations = [situation, *(s for s in situations if s is not situation)]
    primary = situations[0]
    script = library.get(type_, primary)
    move = ""
    if script is not None and primary is not Situation.NO_REPLY:
        deal = context.current_deal if context else None
        move = library.render_reply(script, deal=deal or "")
    name = (context.greeting_name if context else "") or reading.introduced_as
    composed = compose(
        reading,
        lexicon,
        type_,
        situations,
        greeting_name=name,
        move=move,
        closing=closing_for(knowledge.advice(type_), situations),
        broken_promises=_broken(context),
        on_file=_on_file(context),
        records=_records(context),
    )
    return OfflineReply(script, composed.text, tuple(situations), composed)


def _recent_incidents(context: ClientContext, days: int) -> list[Incident]:
    """The client's incidents with a note, of the last `days` days, newest first."""
    recent = [i for i in context.incidents if i.text and (context.today - i.at.date()).days <= days]
    return sorted(recent, key=lambda i: i.at, reverse=True)


def _on_file(context: ClientContext | None, days: int = 10) -> tuple[str, ...]:
    """The client's incidents of the last ten days, newest first: what the CRM already knows of this trouble."""
    if context is None:
        return ()
    return tuple(i.text.strip() for i in _recent_incidents(context, days))[:2]


def _records(context: ClientContext | None, days: int = 30) -> tuple[Note, ...]:
    """What we sent the client (a sent reply that still holds a blank says nothing) and their incidents of the last
    month: the notes a question may already be answered by."""
    if context is None:
        return ()
    sent = [Note(i.text.strip(), i.at.date()) for i in context.sent if i.text.strip() and not count_blanks(i.text)]
    return (*sent, *(Note(i.text.strip(), i.at.date(), "incident") for i in _recent_incidents(context, days)))
