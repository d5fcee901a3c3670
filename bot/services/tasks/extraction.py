"""From a curt request to the facts of a task: who, what, by when, for which client, with whom.

Offline and deterministic: names and departments from the directory (bot.nlp.names), clients by name, project or
contact person (bot.nlp.org_names), the deadline from Russian date expressions (bot.nlp.dates), and the deliverable
as neutral words chosen clause by clause (bot.services.tasks.clauses). Whatever it cannot find is listed in
`missing`, so the dialogue asks only for that.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date, time
from typing import Any

from bot.nlp.dates import SINCE, DateMatch, find_dates
from bot.nlp.names import PersonMention, find_departments
from bot.nlp.text import grammemes, lemma, lemmas, morph, normalize_input, tokenize
from bot.services.tasks import action, cleaning, predicates, relevance, tone
from bot.services.tasks import clauses as tc
from bot.services.tasks.addressing import addressed_department
from bot.services.tasks.deadline import choose as choose_deadline
from bot.services.tasks.directory import Directory
from bot.services.tasks.impact import find_impact

_HEAD_END = re.compile(r"[,:;!?]|\s[—–-]\s|\s[—–]")
_PREPOSITIONS = frozenset({"на", "для", "от", "у", "к", "по", "про", "о", "об", "за", "из", "до", "при", "через"})
_URGENT = re.compile(r"(?<![\w-])(?:срочно|срочн\w+|asap|горит)(?![\w-])", re.I)
_NOT_URGENT = re.compile(r"(?<![\w-])(?:не горит|не срочно)(?![\w-])", re.I)


class ExtractionError(ValueError):
    """A name, client or date given explicitly was not understood; the message is safe to show."""


@dataclass
class Extraction:
    request: str
    assignee_id: str | None = None
    candidates: list[str] = field(default_factory=list)  # several people fit the name
    department: str | None = None
    co_executor_ids: list[str] = field(default_factory=list)
    deadline: date | None = None
    deadline_time: time | None = None
    deadline_part: str | None = None
    deadline_text: str | None = None
    no_deadline: bool = False  # the requester said there is none («не горит», «без срока»)
    same_weekday: str | None = None  # «в пятницу» said on a Friday: the brief says which Friday
    client_id: str | None = None
    deliverable: str | None = None
    details: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # further requests («сообщить, как идёт работа: …»)
    prepared: list[str] = field(default_factory=list)
    thanks: list[str] = field(default_factory=list)
    urgent: bool = False
    impact: list[str] = field(default_factory=list)  # why it matters, from the request (bot.services.tasks.impact)
    clarified: bool = False  # the requester answered the «what exactly?» question of a vague request

    @property
    def missing(self) -> list[str]:
        """What the dialogue still has to ask: "assignee", "deadline", "deliverable" (in that order)."""
        lacking = []
        if self.assignee_id is None and self.department is None:
            lacking.append("assignee")
        if self.deadline is None and not self.no_deadline:
            lacking.append("deadline")
        if not self.deliverable:
            lacking.append("deliverable")
        return lacking

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values (FSM storage may be Redis)."""
        data = asdict(self)
        data["deadline"] = self.deadline.isoformat() if self.deadline else None
        data["deadline_time"] = self.deadline_time.strftime("%H:%M") if self.deadline_time else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        values = dict(data)
        values["deadline"] = date.fromisoformat(values["deadline"]) if values.get("deadline") else None
        values["deadline_time"] = time.fromisoformat(values["deadline_time"]) if values.get("deadline_time") else None
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})

    def set_deadline(self, match: DateMatch) -> None:
        self.deadline, self.deadline_time, self.deadline_part = match.date, match.time, match.part_of_day
        self.deadline_text, self.no_deadline, self.same_weekday = match.text, False, None


def extract(request: str, directory: Directory, today: date) -> Extraction:
    request = normalize_input(request)  # invisible characters split words for the reader, never for a person
    result = Extraction(request=request.strip())
    text = _let_us_as_request(request.strip())
    dates = find_dates(text, today)
    chosen_deadline = choose_deadline(text, today)
    deadline = chosen_deadline.match if chosen_deadline else None
    if chosen_deadline is not None:
        result.set_deadline(chosen_deadline.match)
        result.same_weekday = chosen_deadline.same_weekday
    result.no_deadline = deadline is None and bool(_NOT_URGENT.search(text))
    result.urgent = bool(_URGENT.search(text)) and not _NOT_URGENT.search(text)

    people = [_narrow_by_topic(text, m, directory) for m in directory.people.find(text)]
    cut = _resolve_addressee(text, people, directory, result)
    result.co_executor_ids = _co_executors(text, people, result.assignee_id, directory)
    # Blank out what is not the task itself: the address and the deadline.
    spans = [cut] + ([(deadline.start, deadline.end)] if deadline else [])
    body = _blank(text, [s for s in spans if s is not None])
    past = tuple(d.text for d in dates if d.marker == SINCE and _since_then(text, d, today))

    clauses = tc.analyse(tc.split(body))
    main = pick_main(clauses, deadline.start if deadline else None)
    orgs = directory.orgs.find(text)
    main_span = (main.start, main.end) if main else (0, 0)
    inside = [o for o in orgs if main_span[0] <= o.start < main_span[1]]
    chosen = inside or orgs
    result.client_id = chosen[0].key if chosen else None
    names = {
        m.keys[0]: directory.colleagues[m.keys[0]].name
        for m in people
        if m.unique and m.keys[0] in directory.colleagues
    }
    finish = Finisher(text, orgs, result.client_id is not None, people, names)
    # Every requested action, in the request's order: the main one and the others («дожми …, найди …»).
    actions: list[tuple[int, str]] = []
    deadline_span = (deadline.start, deadline.end) if deadline else None
    asked = [a for a in predicates.read(text, [s for s in spans if s is not None], deadline_span) if a.text]
    read_by_verbs = any(not a.bare for a in asked)
    if read_by_verbs:
        also_from_verbs: list[str] = []
        actions = _verb_actions(asked, finish, past, text, also_from_verbs)
        read_by_verbs = bool(actions)  # every action was a reproach the tone guard dropped: the clauses decide
        if read_by_verbs:
            result.also += also_from_verbs
            main = None  # the clauses below give details only; the actions are read around their verbs
    covered = [(a.start, a.end) for a in asked] + [a.source for a in asked if a.source] if read_by_verbs else []
    if main is not None:
        said = finish(main.text, past)
        if main.kind == tc.NOUN_PHRASE and said and not main.verb:
            said = predicates.as_action(said)  # «график отпусков на 2027» → «подготовить график отпусков на 2027»
        actions.append((main.start, action.resolve_pronoun_object(said, text, main.start)))
    said_alone: tc.Clause | None = None  # «Подтвердите, пожалуйста, до завтра 15:00»: the verb and its date apart
    last_detail: tc.Clause | None = None
    talk_before = False  # the clause before was talk around the task: its continuation («…, потом ещё про …») too
    for previous, clause in zip([None, *clauses], clauses, strict=False):
        if clause.sep == ".":
            talk_before = False
        if clause.kind == tc.DROP:
            talk_before = relevance.is_chatter(clause.raw) or tone.is_strong(clause.raw)
            if previous is not None and previous is last_detail and _says_what(clause.raw):
                # «клиент жалуется, что онбординг затянулся на 6 недель»: what is said belongs to the fact
                said = finish(clause.raw.strip())
                if said:
                    result.details[-1] += f", {said}"
                    last_detail = clause
            continue  # «пожалуйста» between the verb and its date does not part them
        if any(start <= clause.start < end or start < clause.end <= end for start, end in covered):
            continue  # already inside an action read around its verb
        if clause.kind == tc.VERB_ONLY and clause is not main:
            said_alone = clause
            continue
        follows, said_alone = said_alone, None
        if clause is main:
            continue
        piece = finish(clause.fact or clause.text)
        restated = False
        if relevance.is_digression(clause.raw):
            talk_before = True  # «Кстати, обед переносится»: the aside and what it goes on to say
            continue
        if piece and clause.kind != tc.REQUEST:
            if relevance.is_asked(body, clause.start, clause.end):
                # «КТО отгрузил A вместо B???» → «отгрузили A вместо B»: the fact without the accusation
                restated_piece = relevance.statement_of(piece) or (piece if relevance.states_fact(clause.raw) else None)
                piece, restated = restated_piece or "", restated_piece is not None
            after_talk = talk_before and clause.sep in (",", "—", ";", "conj")
            if relevance.is_aside(_sentence_around(body, clause.start)):
                continue  # «Про корпоратив, кстати, он хочет…»: the aside is the whole sentence
            piece = relevance.drop_chatter(piece, after_talk=after_talk)
            talk_before = not piece
            if not piece:
                continue  # the talk around the task: the speaker's story, remarks, side questions, emotions
        if follows is not None and follows.verb and clause.sep != "." and _only_a_date(piece, today):
            result.also.append(f"{follows.verb} {piece}")
            continue
        if piece and result.details and previous is last_detail and clause.sep == "," and _is_list_item(piece):
            result.details[-1] += f", {piece}"  # «Открытия, клики, отписки»: a list stays one detail
            last_detail = clause
            continue
        if piece and re.fullmatch(r"[\d\s.,%]+", piece) and result.details and previous is last_detail:
            result.details[-1] += f" — {piece}"  # «в ноябре было 11, в октябре — 4»: the figure belongs to it
            continue
        if not piece or not _worth_keeping(piece, orgs, people):
            if piece and _is_list_item(piece) and clause.sep == "." and _list_follows(clauses, clause):
                result.details.append(piece)  # the first item of a list of single words
                last_detail = clause
            continue
        if clause.kind == tc.THANKS:
            result.thanks.append(piece)
        elif read_by_verbs and clause.kind == tc.REQUEST:
            continue  # a request the verbs did not see is a fragment («Накладные — Рябову»): not a second task
        elif main is not None and main.kind == tc.REQUEST and _another_action(clause, previous):
            actions.append((clause.start, action.resolve_pronoun_object(piece, text, clause.start)))
        elif clause.kind == tc.REQUEST:
            if not relevance.is_chatter(piece, persons=False):
                result.also.append(piece)
        elif clause.prepared and not restated and not _YOU_DID.match(piece):
            result.prepared.append(piece)
        elif _YOU_DID.match(piece) and (fact := _as_plain_fact(piece)):
            result.details.append(fact)  # «Вы в карточке написали 26 см» → «в карточке — 26 см»: a fact, no blame
            last_detail = clause
        elif result.details and previous is last_detail and clause.sep in (",", "—"):
            result.details[-1] += f", {piece}"  # one sentence stays one detail: «это ключевой аккаунт, 900 тыс. в год»
            last_detail = clause
        else:
            result.details.append(piece)
            last_detail = clause
    result.deliverable = action.numbered(_find_out_first([a for _, a in sorted(actions)])) or None
    result.impact = find_impact(text)
    said = " ".join(result.impact).lower()
    result.details = [_without(d, result.impact) for d in result.details if d.lower() not in said]
    result.details = [d for d in result.details if d and not _what_you_did(d)]
    # «ждёт договор 10 дней!!! 10 ДНЕЙ!»: a detail said twice (shouted the second time) is one detail
    result.details = [
        d
        for i, d in enumerate(result.details)
        if not any(
            _said_once(d) in _said_once(other) and (len(other) > len(d) or j < i)
            for j, other in enumerate(result.details)
            if j != i
        )
    ]
    # «…; потому что в четверг Лёша к ним едет договор продлевать»: a reason said in the details is the why
    reasons = [d for d in result.details if _REASON_OPENING.match(d)]
    if reasons and not result.impact:
        result.impact = [_REASON_OPENING.sub("", reasons[0]).strip()]
        result.details = [d for d in result.details if d is not reasons[0]]
    result.details += _lost_names(text, result)
    result.details += _lost_figures(body, result, finish)
    return result


_EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2764]+\ufe0f?")
_FIGURE = re.compile(r"\d+(?:[\s  ]\d{3})*(?:[.,:/]\d+)*|(?<![\w-])[A-Z][A-Za-z-]*\d\w*")
_TIME_OR_DATE = re.compile(r"\d{1,2}[:.]\d{2}(?:[.]\d{2,4})?")


_FIND_OUT = re.compile(r"^(?:уточнить|узнать|выяснить|запросить|спросить)(?![\w-])", re.I)
_REPORT = re.compile(r"^(?:дать(?:\s+[^;]*?)?\s+ответ|ответить|сообщить|написать|позвонить)(?![\w-])", re.I)


def _find_out_first(steps: list[str]) -> list[str]:
    """«Дайте им ответ сегодня, дату уточните у Евгения»: what is found out comes before the answer built on it."""
    for i in range(1, len(steps)):
        if _FIND_OUT.match(steps[i]) and _REPORT.match(steps[i - 1]):
            steps[i - 1], steps[i] = steps[i], steps[i - 1]
    return steps


# «Вы в карточке написали диаметр 26 см»: what the colleague did is the problem, not something ready for them
_YOU_DID = re.compile(r"\W*(?:вы|ты)(?![\w-])", re.I)


def _as_plain_fact(piece: str) -> str | None:
    """«Вы в карточке сковороды SK-28-GR написал диаметр 26 см» → «в карточке сковороды SK-28-GR — диаметр 26 см»:
    who did it goes, what is there stays."""
    rest = _YOU_DID.sub("", piece, count=1).strip()
    words = rest.split(" ")
    for i, word in enumerate(words):
        parse = morph().parse(word.lower().strip(",."))[0]
        if parse.tag.POS == "VERB" and "past" in parse.tag and 0 < i < len(words) - 1:
            return " ".join([*words[:i], "—", *words[i + 1 :]])
    return None


def _said_once(detail: str) -> str:
    return re.sub(r"\W+", " ", detail.lower().replace("ё", "е")).strip()


def _lost_figures(text: str, result: Extraction, finish: Finisher) -> list[str]:
    """«Чтоб к четвергу были, 10 штук HP 59A»: a figure or a model the brief would otherwise not carry goes into the
    details with the words around it, unless it is only said in talk around the task. Figures and names are kept.
    `text` has the address and the deadline blanked out: those are said in lines of their own."""
    said = _said_in_brief(result) + " " + (result.deadline_text or "")
    found: list[str] = []
    sentences = re.split(r"(?<=[.!?])\s+(?=[А-ЯЁA-Z«])", text)
    pieces = [p for s in sentences if not s.rstrip().endswith("?") for p in re.split(r"[,;!]+\s+", s)]
    for piece in pieces:  # a question in a jibe («Отсрочку 90 дней?») is no fact of the task
        piece = re.sub(r"^(?:а|и|но)\s+", "", piece.strip(" .!?"))
        missing = [
            m.group()
            for m in _FIGURE.finditer(piece)
            if m.group() not in said and not re.match(r"-?(?:го|е|ого)(?![\w-])", piece[m.end() :])  # «с 19-го»
        ]
        if not missing or all(_TIME_OR_DATE.fullmatch(f) for f in missing) or len(piece.split()) > 8:
            continue
        speaker = re.search(r"(?<![\w-])(?:я|мне|меня|мы|нам|нас)(?![\w-])", piece, re.I)
        if not re.search(r"[А-Яа-яЁёA-Za-z]{2}", piece) or speaker or relevance.is_chatter(piece):
            continue  # «860» alone says nothing; «я ему объясняла про снег на М7» is the speaker's story
        if cleaning.is_blame(piece) or tone.is_strong(piece):
            continue
        piece = finish(piece).strip(" .")
        if piece and ":" not in piece:
            found.append(piece)
            said += " " + piece
    return found


_DATE_WORD = re.compile(
    r"(?:понедельник\w*|вторник\w*|сред[уаые]|четверг\w*|пятниц[уаые]|суббот[уаые]|воскресень[еяю]|завтра|"
    r"сегодня|послезавтра|\d{1,2}(?:[.:/-]\d{1,2})*(?:-?го)?|числа|декабр[яе]|январ[яе]|ноябр[яе]|обеда|вечера|утра)",
    re.I,
)
_REASON_OPENING = re.compile(r"^(?:потому что|так как|т\.\s?к\.|поскольку)\s+", re.I)
_QUOTED_NAME = re.compile(r"«[А-ЯЁA-Z0-9][^«»]{1,60}»")


def _said_in_brief(result: Extraction) -> str:
    """Everything the brief will say of the task so far: what a lost name or figure is checked against."""
    return " ".join([result.deliverable or "", *result.details, *result.also, *result.prepared, *result.impact])


def _lost_names(text: str, result: Extraction) -> list[str]:
    """A name in quotes said only inside a jibe («сколько можно мариновать договор с «Фарм-Сервис Трейд»??») is
    still what the task is about: «речь о договоре с «Фарм-Сервис Трейд»», without the jibe."""
    said = _said_in_brief(result)
    found: list[str] = []
    for m in _QUOTED_NAME.finditer(text):
        name = m.group(0)
        if name.strip("«»").lower() in said.lower() or len(name.split()) > 5:
            continue
        sentence = _sentence_around(text, m.start())
        if relevance.is_aside(sentence) or relevance.is_digression(sentence):
            continue  # «Кстати, в столовой «Ромашка» теперь рыба»
        phrase = _noun_before(text, m.start())
        if abbreviation := re.search(r"(?<![\w-])([А-ЯЁA-Z]{2,})\s*$", text[: m.start()]):
            phrase = abbreviation.group(1)
        if re.fullmatch(r"[А-ЯЁA-Z]{2,}", phrase.strip()):  # «ЖК «…»», «ГБУЗ «…»»: an abbreviation does not inflect
            found.append(f"речь о {phrase.strip()} {name}")
            said += " " + name
            continue
        about = tc.inflect_head(phrase, "loct", "nomn") if phrase else ""
        if phrase and about == phrase and not _already_loct(phrase):
            continue  # a head that does not turn into «о …» reads badly: better no line than a broken one
        if not about and re.fullmatch(r"«[А-ЯЁA-Z][\w-]+»", name):
            # «по «АльфаСтрахованию»»: a one-word name in another case is a company's, said in the nominative
            name = f"компании «{_nominative_name(name.strip('«»'))}»"
        found.append(f"речь о {about} {name}".replace("  ", " ") if about else f"речь о {name}")
        said += " " + name
    return found


def _noun_before(text: str, at: int) -> str:
    """The noun and its preposition said right before a quoted name: «договор с» in «мариновать договор с «…»»."""
    words = [t for t in tokenize(text[:at]) if t.is_word][-3:]
    kept: list[Any] = []
    for token in reversed(words):
        if token.pos == "PREP" and not kept:
            kept.insert(0, token)
            continue
        if token.pos in ("NOUN", "ADJF") and not {"Name", "Patr", "Surn"} & set(
            grammemes(token.text).replace(" ", ",").split(",")
        ):
            kept.insert(0, token)
            if token.pos == "NOUN":
                break
            continue
        break
    if not kept or (kept[0].pos != "NOUN" and not any(t.pos == "NOUN" for t in kept)):
        return ""
    head = next(i for i, t in enumerate(kept) if t.pos == "NOUN")
    kept = kept[head:]
    return text[kept[0].start : kept[-1].stop]


def _already_loct(phrase: str) -> bool:
    head = phrase.split()[0]
    return "loct" in grammemes(head)


def _without(detail: str, impact: list[str]) -> str:
    """«CPL вырос до 1 450 ₽, клиент хочет не больше 900» with the why «клиент хочет не больше 900» said already:
    the detail keeps only what the why line does not say."""
    for reason in impact:
        at = detail.lower().find(reason.lower())
        if at >= 0 and len(reason) > 10:
            detail = (detail[:at] + detail[at + len(reason) :]).strip(" ,;")
            detail = re.sub(r"\s*,\s*,\s*", ", ", detail)
    return detail


def _sentence_around(text: str, at: int) -> str:
    start = max(text.rfind(".", 0, at), text.rfind("!", 0, at), text.rfind("?", 0, at)) + 1
    ends = [i for i in (text.find(".", at), text.find("!", at), text.find("?", at)) if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def _verb_actions(
    asked: list[predicates.Action], finish: Finisher, past: tuple[str, ...], text: str, also: list[str]
) -> list[tuple[int, str]]:
    """The actions read around their verbs, finished like every copied piece; a bare verb («подтвердите до
    15:00») joins the action before it."""
    out: list[tuple[int, str]] = []
    for item in asked:
        if relevance.not_a_task(text, item.start, item.end):
            continue  # «И не надо мне рассказывать…», «чтоб больше такого не было», «имей в виду, в столовой…»
        piece = relevance.trim_talk(finish(item.text, past))
        if not piece:
            continue
        if out and " " not in piece.strip():
            if condition := _CONDITION_BEFORE.search(text[: item.start]):
                # «повторить контроль, при повторном выходе — откалибровать»: a step of its own, with its condition
                said = condition.group("if").strip()
                out[-1] = (out[-1][0], re.sub(rf",?\s*{re.escape(said)}\s*$", "", out[-1][1]))
                out.append((item.start, f"{said} — {piece.strip()}"))
            elif _JOINED_STEP.search(text[: item.start]):
                # «Собрать все недостающие подписи и пересдать»: a verb joined by «и» is the next step on the same thing
                redone = _redone_object(text, piece.strip())
                out[-1] = (out[-1][0], f"{out[-1][1]} и {piece.strip()}{' ' + redone if redone else ''}")
            continue  # «хорошо бы до 18-го закрыть»: a verb alone adds nothing to the task before it
        if out and _GOAL_ON_THIS.match(piece):
            continue  # «надо это остановить до конца года»: the aim of the steps above, not another step
        if out and re.search(r"\s(?:или|и)$", out[-1][1]):
            out[-1] = (out[-1][0], f"{out[-1][1]} {piece}")  # «убрать или ограничить 10%»: one action
            continue
        if item.bare and out:
            if piece != item.verb:  # «подтвердите до 12:00» after the task: a step of its own, with its own time
                also.append(piece)
            continue  # a verb alone («проверь нормально») adds nothing to the task before it
        previous_object = _object_of(out[-1][1]) if out else ""
        out.append(
            (
                item.start,
                _pronoun_for_person(piece, text, item.start, finish, out[-1][0] if out else 0)  # named nearer
                or _pronoun_for_named(piece, text, item.start)
                or _pronoun_from_previous(piece, previous_object)
                or action.resolve_pronoun_after_preposition(
                    action.resolve_pronoun_object(piece, text, item.start), text, item.start
                ),
            )
        )
    return out


def _redone_object(text: str, verb: str) -> str:
    """«…сдало кассовые документы за ноябрь с дырами… пересдать»: a «пере-» verb redoes what the request says was done,
    so the thing done is its object («кассовые документы за ноябрь»)."""
    if not verb.lower().startswith("пере") or len(verb) < 8:
        return ""
    done = lemma(verb[4:])
    for m in re.finditer(r"[А-Яа-яЁё]+", text):
        word = m.group()
        if word.lower() == verb.lower() or lemma(word) != done or "past" not in grammemes(word):
            continue
        words: list[str] = []
        for w in re.split(r"\s+", text[m.end() :].lstrip()):
            bare = w.strip(",.;:!?")
            if not bare or bare.lower() in _OBJECT_ENDS:
                break
            words.append(bare)
            if w != bare or len(words) == 5:
                break  # a comma or the end of the sentence closes the object
        return " ".join(words)
    return ""


_OBJECT_ENDS = frozenset({"с", "со", "без", "и", "а", "но", "опять", "снова", "уже", "вчера", "сегодня", "не"})
_CONDITION_BEFORE = re.compile(r"(?:^|[,;.]\s*)(?P<if>(?:при|если|в случае)\s[^,;.—–]{1,40}?)\s*[—–-]\s*$", re.I)
_JOINED_STEP = re.compile(r"[\w»)]\s+(?:и|и затем|затем|потом|и потом|а потом|после чего)\s*$", re.I)
_GOAL_ON_THIS = re.compile(r"^\S+\s+(?:это|всё это|все это)(?:\s|$)", re.I)


def _pronoun_for_person(piece: str, text: str, at: int, finish: Finisher, after: int) -> str | None:
    """«Паша из CS в курсе, держи его в копии» → «держать Павла Смирнова в копии»: a person named just before, in
    the same sentence, is whom «его / её» stands for."""
    m = _PRONOUN_AFTER_VERB.match(piece)
    if not m or m.group(2).lower() == "их":
        return None
    sentence_start = max(text.rfind(".", 0, at), text.rfind("!", 0, at), text.rfind("?", 0, at)) + 1
    # named after the previous action began (the address «Шестаков, …» is the assignee, not «его»)
    named = [p for p in finish.people if max(sentence_start, after + 1) <= p.start and p.end <= at and p.unique]
    if not named or named[-1].keys[0] not in finish.colleague_names:
        return None
    person = cleaning.proper_name(finish.colleague_names[named[-1].keys[0]], "accs")
    return f"{m.group(1)} {person}{piece[m.end() :]}"


def _pronoun_for_named(piece: str, text: str, at: int) -> str | None:
    """«нашли гастроэнтеролога — Кириллова Анна Петровна, оформите её» → «оформить Кириллову Анну Петровну»: a person
    named by full name just before (natasha's NER), outside the directory, is whom «его / её» stands for."""
    m = _PRONOUN_AFTER_VERB.match(piece)
    if not m or m.group(2).lower() == "их":
        return None
    from bot.nlp import syntax

    sentence_start = max(text.rfind(".", 0, at), text.rfind("!", 0, at), text.rfind("?", 0, at)) + 1
    named = [e for e in syntax.parse(text).entities if e.kind == "PER" and sentence_start <= e.start and e.stop <= at]
    if not named or len(named[-1].text.split()) < 2:
        return None  # a bare first name could be anyone; a full name is the person
    person = cleaning.person_in_case(named[-1].text, "accs")
    return f"{m.group(1)} {person}{piece[m.end() :]}" if person else None


_PRONOUN_AFTER_VERB = re.compile(r"^(\S+)\s+(его|её|ее|их)(?=\s|$|[,.;])", re.I)


def _object_of(action_text: str) -> str:
    """«составить план догоняющих работ (интеграция …)» → «план догоняющих работ»."""
    parts = action_text.split(" ", 1)
    if len(parts) < 2:
        return ""
    return re.split(r"\s*[(,;:]|\s[—–-]\s|\s(?:и|с|со|для|к|в|на|по|до)\s", parts[1], maxsplit=1)[0].strip()


def _pronoun_from_previous(piece: str, previous_object: str) -> str | None:
    """«Составь план …, согласуй его с Ромой» → «согласовать план … с Романом»: the pronoun stands for the previous
    action's object when its number agrees."""
    m = _PRONOUN_AFTER_VERB.match(piece)
    if not m or not previous_object:
        return None
    from bot.services.tasks.done import head_of

    head = head_of(previous_object)
    if head is None or (head[0] == "plur") != (m.group(2).lower() == "их"):
        return None
    return f"{m.group(1)} {previous_object}{piece[m.end() :]}"


_CONDITION = re.compile(r"^\s*(?:и\s+|а\s+)?(?:если|когда|как только)\b", re.I)
_DEPENDENT = re.compile(r"^\s*(?:как|какие|какой|какая|какое|что|чтобы|чтоб|где|куда|кто|который|которые)\b", re.I)


def _another_action(clause: tc.Clause, previous: tc.Clause | None) -> bool:
    """A second requested action: a verb of its own, not a question word's clause («решить, какие стенды …»), not the
    answer to a condition («если сроки нереальны, дайте знать»), not «будем обсуждать»."""
    if clause.kind != tc.REQUEST or not clause.verb or clause.verb == "быть":
        return False
    if _DEPENDENT.match(clause.raw):
        return False
    return not (previous is not None and clause.sep == "," and _CONDITION.match(previous.raw))


_LET_US = re.compile(r"\bдавай(?:те)?,?\s+(?:ты|вы)\s+([а-яё]+)", re.I)
_AND_THEN = re.compile(r"\b(и|потом|затем)\s+([а-яё]+)", re.I)


def _future_you(word: str) -> str | None:
    for parse in morph().parse(word.lower()):
        if parse.tag.POS == "VERB" and "futr" in parse.tag and "2per" in parse.tag:
            return str(parse.normal_form)
    return None


def _let_us_as_request(text: str) -> str:
    """«давай ты составишь чек-лист … и выложишь в Confluence» asks in the future tense: read it as «нужно составить
    чек-лист … и выложить в Confluence»."""
    out = []
    for sentence in re.split(r"(?<=[.!?\n])", text):
        m = _LET_US.search(sentence)
        verb = _future_you(m.group(1)) if m else None
        if m is None or verb is None:
            out.append(sentence)
            continue
        rest = _AND_THEN.sub(lambda a: f"{a.group(1)} {_future_you(a.group(2)) or a.group(2)}", sentence[m.end() :])
        out.append(f"{sentence[: m.start()]}нужно {verb}{rest}")
    return "".join(out)


def _what_you_did(detail: str) -> bool:
    """«на планёрке с инвестором показала график с прошлогодними сроками»: a past deed with no subject of its own is
    the assignee's («ты показала»), told as a reproach; the brief does not bring up the past."""
    first_clause = re.split(r"[;,]\s", detail)[0]
    parses = [morph().parse(t.text.lower())[0] for t in tokenize(first_clause) if t.is_word]
    verb = next((p for p in parses if p.tag.POS == "VERB" and "past" in p.tag and "sing" in p.tag), None)
    if verb is None or verb.tag.gender not in ("masc", "femn") or re.search(r"[A-Z]{2}|\d", first_clause):
        return False  # «было 11», «CPL вырос до 1 450 ₽»: an impersonal verb or a figure tells a fact
    if any(p.tag.POS in ("NPRO",) and p.tag.case == "nomn" for p in parses):
        return False
    at = parses.index(verb)
    subjects = [
        p
        for i, p in enumerate(parses)
        if p.tag.POS == "NOUN"
        and any(q.tag.case == "nomn" and q.tag.gender == verb.tag.gender for q in morph().parse(p.word)[:3])
        # after a transitive verb a noun that may be in the accusative is its object: «показал график»
        and not (i > at and "tran" in verb.tag and any(q.tag.case == "accs" for q in morph().parse(p.word)[:3]))
    ]
    return not subjects


def _says_what(raw: str) -> bool:
    """A «что …» clause that reports what was said or happened, not a reproach."""
    return bool(re.match(r"\s*что\s+\S+", raw, re.I)) and not cleaning.is_blame(raw) and not tone.is_strong(raw)


def _is_list_item(piece: str) -> bool:
    return 0 < len([t for t in tokenize(piece) if t.is_word or t.text.isdigit()]) <= 3


def _list_follows(clauses: list[tc.Clause], clause: tc.Clause) -> bool:
    """The clause opens a sentence of short comma-separated items («Открытия, клики, отписки.»)."""
    index = clauses.index(clause)
    following = clauses[index + 1 : index + 3]
    return len(following) >= 1 and all(c.sep == "," and _is_list_item(c.raw) for c in following)


def _only_a_date(piece: str, today: date) -> bool:
    """«до завтра 15:00»: nothing but a date expression."""
    found = find_dates(piece, today)
    rest = piece
    for match in found:
        rest = rest.replace(match.text, " ")
    return bool(found) and not re.search(r"\w", rest)


# «Вове передай, …», «Ольке скажи: …»: said to the assistant, the head is still only the address.
_TO_THE_ASSISTANT = frozenset(
    {"передай", "передайте", "скажи", "скажите", "сообщи", "сообщите", "попроси", "попросите", "напомни",
     "напомните", "поручи", "поручите", "маякни", "черкни"}
)  # fmt: skip


def _resolve_addressee(
    text: str, people: list[PersonMention], directory: Directory, result: Extraction
) -> tuple[int, int] | None:
    """Who the request is for; returns the span of the address («Мельникову:», «логисты, алё!») to cut."""
    head = _HEAD_END.search(text)
    head_end = head.start() if head else len(text)
    words = [t for t in tokenize(text) if t.is_word]
    third = words[min(2, len(words) - 1)].start if words else 0
    short_head = head is not None and len([w for w in words if w.stop <= head_end]) <= 5

    def cut_for(start: int, end: int) -> tuple[int, int]:
        if short_head and head is not None:
            # «Оля позвони Громову, …»: a head that already asks is the task, only the name is cut
            asks = any(
                predicates.is_request_word(t) and t.text.lower() not in _TO_THE_ASSISTANT
                for t in tokenize(text[end:head_end])
                if t.is_word
            )
            return (start, end) if asks else (0, head.end())
        return (start, end)

    leading = [p for p in people if p.start <= third and p.start < head_end]
    if leading:
        mention = leading[0]
        if not mention.unique:  # «Жень (которая из кадров), привет»: the department after the name settles it
            narrowed = _narrow_by_department(text[mention.end : mention.end + 40], list(mention.keys), directory)
            mention = replace(mention, keys=tuple(narrowed))
        _set_people(result, mention, directory)
        return cut_for(leading[0].start, leading[0].end)
    named = addressed_department(text, {c.department for c in directory.colleagues.values()})
    if named is not None and head is not None:  # «ОТК, …»: the directory's own department, cut with its address
        result.department = named
        return (0, head.end())
    depts = [d for d in find_departments(text) if d.start <= third]
    if depts:
        result.department = depts[0].department
        return cut_for(depts[0].start, depts[0].end)
    for mention in people:
        before = text[: mention.start].split()
        if not before or before[-1].lower() not in _PREPOSITIONS:
            _set_people(result, mention, directory)
            return None
    anywhere = find_departments(text)
    if anywhere:
        result.department = anywhere[0].department
    return None


def _set_people(result: Extraction, mention: PersonMention, directory: Directory) -> None:
    if mention.unique:
        result.assignee_id = mention.keys[0]
        result.department = directory.colleagues[mention.keys[0]].department
    else:
        result.candidates = list(mention.keys)
        departments = {directory.colleagues[k].department for k in mention.keys}
        result.department = departments.pop() if len(departments) == 1 else None


def _co_executors(
    text: str, people: list[PersonMention], assignee: str | None, directory: Directory | None = None
) -> list[str]:
    """Everyone else the request names is someone the assignee works with («вместе с Петровичем», «Настя поможет»,
    «накладные отдать Рябову»); an ambiguous name is narrowed by «из снабжения / с производства»."""
    found: list[str] = []
    for mention in people:
        keys = list(mention.keys)
        if len(keys) > 1 and directory is not None:
            keys = _narrow_by_department(text[mention.end : mention.end + 40], keys, directory)
        if len(keys) != 1 or keys[0] == assignee or keys[0] in found:
            continue
        before = text[: mention.start].split()
        if before and before[-1].lower() in _OBJECT_PREPOSITIONS:
            continue  # «доверенность на Мельникова»: the person is what the task is about, not a helper
        if before and before[-1].lower().strip(",:") in _OUTSIDERS:
            continue  # «контакт Сергеев», «гостю Карпову»: someone outside the company, not a colleague
        if _only_mentioned(text, mention):
            continue
        found.append(keys[0])
    return found


_CLAUSE_EDGE = re.compile(r"[.;!?\n,—(]")
_REASON_OPENERS = ("потому что", "так как", "т.к.", "т. к.", "поскольку", "ведь", "раз ")


_DOCUMENT_DATE = re.compile(
    r"(?:№\s?[\w/-]+|(?:счёт|счет|счёту|счету|сч[её]та|договор\w*|акт\w*|письм\w*|приказ\w*|накладн\w*|допсоглашени\w*|"
    r"протокол\w*|заявк\w*|платёжк\w*|платежк\w*|п/п|УПД|ТТН|КП)(?:\s+№?\s?[\w/-]+)?)\s*$",
    re.I,
)


def _since_then(text: str, match: DateMatch, today: date) -> bool:
    """«висит с 19-го», «ждём с понедельника»: how long something has lasted, which the brief leaves out; «выход с 7
    декабря», «перезаключай поставку с 1 января» start something ahead and are a part of the task."""
    if _DOCUMENT_DATE.search(text[max(0, match.start - 40) : match.start]) and match.text.lower().startswith("от"):
        return False  # «по счёту №1847 от 01.12.2026», «договор от 15.11»: the date names the document
    if match.date <= today:
        return True
    start = max((m.end() for m in _CLAUSE_EDGE.finditer(text, 0, match.start)), default=0)
    edge = _CLAUSE_EDGE.search(text, match.end)
    clause = text[start : edge.start() if edge else len(text)]
    for token in tokenize(clause):
        if token.pos == "VERB":
            tag = grammemes(token.text)
            if "indc" in tag and ("pres" in tag or "past" in tag):
                return True
    return False


def _only_mentioned(text: str, mention: PersonMention) -> bool:
    """A person the request only tells about is no co-executor: what they did («ведомость Наталья Романовна ещё в
    пятницу отправляла») or why the date matters («потому что в четверг Лёша к ним едет договор продлевать»). Only
    a part in the work to come («Женька пусть проверит», «Саша даст переписку», «вместе с Ирой») makes one; the
    requester's own plans («это я сама потом с Пашей обсужу») do not."""
    before = text[: mention.start]
    start = max((m.end() for m in _CLAUSE_EDGE.finditer(before)), default=0)
    edge = _CLAUSE_EDGE.search(text, mention.end)
    clause = text[start : edge.start() if edge else len(text)]
    if clause.strip().lower().startswith(_REASON_OPENERS):
        return True
    verbs = [grammemes(t.text) for t in tokenize(clause) if t.pos in ("VERB", "INFN")]
    if verbs and all("1per" in g and "sing" in g for g in verbs):
        return True  # «я потом с Алиной поговорю»: the requester's own plan, not the assignee's helper
    return bool(verbs) and all("past" in g for g in verbs)


_OUTSIDERS = frozenset(
    {"контакт", "контакта", "контакту", "лицо", "клиент", "клиента", "клиенту", "гость", "гостя", "гостю", "гостей",
     "пациент", "пациента", "пациенту", "заказчик", "заказчика", "директор", "директора"}
)  # fmt: skip
_OBJECT_PREPOSITIONS = frozenset({"на", "для", "о", "об", "про", "за", "по"})
# «Вован из снабжения», «Жень (которая из кадров)», «Саша, который с производства»
_FROM_DEPARTMENT = re.compile(r"^[\s,(]*(?:(?:котор(?:ый|ая|ое)|что)\s+)?(?:из|с|со)\s+([\w-]+)", re.I)


_GENERIC_DEPARTMENT_WORDS = frozenset({"отдел", "служба", "группа", "департамент", "сектор", "управление", "филиал"})


def _narrow_by_topic(text: str, mention: PersonMention, directory: Directory) -> PersonMention:
    """«КАК это прошло тестирование?? … Женька пусть проверит»: of two Женей, the one in the department the request
    talks about. Only a single match narrows; otherwise the name stays ambiguous."""
    if mention.unique:
        return mention
    said = set(lemmas(text))
    matching = tuple(
        k for k in mention.keys if (set(lemmas(directory.colleagues[k].department)) - _GENERIC_DEPARTMENT_WORDS) & said
    )
    return replace(mention, keys=matching) if len(matching) == 1 else mention


def _narrow_by_department(after: str, keys: list[str], directory: Directory) -> list[str]:
    """«Вован из разработки»: keep the people whose department shares a lemma with the word after «из»."""
    m = _FROM_DEPARTMENT.match(after)
    if not m:
        return keys
    wanted = set(lemmas(m.group(1)))
    return [k for k in keys if wanted & set(lemmas(directory.colleagues[k].department))] or keys


def _plain_noun(word: str) -> bool:
    """A common noun, not a person's name or a place: «Северянку» may be a company, «Объездной» or «Москвы» not."""
    tag = morph().parse(word.lower())[0].tag
    return tag.POS == "NOUN" and not {"Name", "Surn", "Patr", "Geox"} & set(tag.grammemes)


def _nominative_name(name: str) -> str:
    """«Агроснабом» → «Агроснаб», «ДомТекстилем» → «ДомТекстиль»; a name of several words or one already in the
    nominative stays as written."""
    if " " in name or not re.fullmatch(r"[А-ЯЁа-яё]+", name):
        return name
    parses = morph().parse(name.lower())
    if any(p.tag.case == "nomn" for p in parses[:2]):
        return name
    normal = parses[0].normal_form
    return "".join(o if o.lower() == n else n for o, n in zip(name, normal, strict=False)) + normal[len(name) :]


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, min(end, len(chars))):
            chars[i] = " "
    return "".join(chars)


def pick_main(clauses: list[tc.Clause], deadline_at: int | None) -> tc.Clause | None:
    """The clause that is the request: an explicit action beats a bare noun phrase; the deadline's clause helps."""
    best, best_score = None, 0.0
    for clause in clauses:
        if clause.kind not in (tc.REQUEST, tc.NOUN_PHRASE, tc.MISSING):
            continue
        score = clause.priority
        if clause.kind == tc.NOUN_PHRASE:
            first = clause.text.split(" ", 1)[0].lower()
            if first in _PREPOSITIONS:
                score -= 1.5  # «по РЦ Подольск:», «в формате прошлого года»: a topic or a manner, not the thing
            elif predicates.names_an_action(clause.text):
                score += 2.0  # «инвентаризация ячеек …»: a noun that names the work is the task
        if deadline_at is not None and clause.start <= deadline_at <= clause.end + 1:
            score += 1.5
        nouns = _content_words(clause.text)
        if nouns >= 2:
            score += 1.0
        elif clause.kind != tc.REQUEST:
            score -= 2.0
        if score > best_score:
            best, best_score = clause, score
    candidates = [c for c in clauses if c.kind in (tc.REQUEST, tc.NOUN_PHRASE, tc.MISSING)]
    if best is None and len(candidates) == 1:
        best = candidates[0]  # a request of one short phrase («план отгрузок», «акт сверки») is the phrase
    verb_only = next((c for c in clauses if c.kind == tc.VERB_ONLY), None)
    if verb_only is None or verb_only.verb is None:
        return best
    # «нет закрывающих …, сделайте до среды» → «подготовить закрывающие …»; «где паллеты? к четвергу отгрузить» →
    # «отгрузить паллеты»: the action said on its own takes the thing named in the other clause.
    verb = "подготовить" if verb_only.verb in ("сделать", "делать") else verb_only.verb
    if best is None:  # «брони не падают в PMS. Исправить до конца дня!» → «исправить: брони не падают в PMS»
        problem = next(
            (c for c in clauses if c.kind == tc.STATEMENT and not c.prepared and c.start < verb_only.start), None
        )
        if problem is not None:
            problem.text = f"{verb}: {tc.strip_connectors(problem.text)}"
            return problem
    missing = next((c for c in clauses if c.kind == tc.MISSING), None)
    if missing is not None and (best is None or best is missing):
        missing.text = f"{verb} {tc.inflect_head(missing.text, 'accs', 'nomn')}"
        return missing
    if best is not None and best.object and verb != best.verb:
        best.text = f"{verb} {best.object}"
    return best


def _content_words(text: str) -> int:
    return sum(1 for t in tokenize(text) if (t.is_word and t.pos in ("NOUN", None)) or t.text.isdigit())


def _worth_keeping(piece: str, orgs: list[Any], people: list[PersonMention]) -> bool:
    """A detail says something beyond one word or a bare name («Медиаполе», «ответ»)."""
    words = [t for t in tokenize(piece) if t.is_word or t.text.isdigit()]
    if len(words) < 2 or {t.lemma for t in words} <= {"крайний", "срок", "дедлайн", "до", "к"}:
        return False  # «Крайний срок — завтра»: the date is the deadline line already
    said = {t.lemma for t in words if not _DATE_WORD.fullmatch(t.text)}
    asks = {"ответ", "результат", "нужный", "нужно", "надо", "нужен"}
    if said & asks and said <= asks | {"мне", "срочно", "до", "к", "край", "крайний"}:
        return False  # «Ответ нужен завтра», «надо до среды»: with the date gone, nothing the deadline does not say
    names = {o.text.lower() for o in orgs} | {p.text.lower() for p in people}
    return piece.lower().strip(" «»") not in names


class Finisher:
    """Last touches on every copied piece: pronouns → «клиент», client names in quotes, the tone guard."""

    def _quoted_company(self) -> str | None:
        """The single name in «…» the request gives, in the nominative («с «Агроснабом»» → «Агроснаб»)."""
        quoted = {_nominative_name(q) for q in re.findall(r"«([^«»]{2,40})»", self.text)}
        if not quoted:  # «Фура на Северянку ушла … отправь им ТТН»: a capitalised name after a preposition
            quoted = {
                _nominative_name(m.group(1))
                for m in re.finditer(r"(?<![.!?]\s)(?<=\s)(?:на|для|у|от|к|в)\s+([А-ЯЁ][а-яё]{3,})(?![\w-])", self.text)
                if _plain_noun(m.group(1)) and m.group(1).lower() not in self._people_words()
            }
        return quoted.pop() if len(quoted) == 1 else None

    def _people_words(self) -> set[str]:
        return {w.lower() for name in self.colleague_names.values() for w in name.split()}

    def __init__(
        self,
        text: str,
        orgs: list[Any],
        has_client: bool,
        people: list[PersonMention] | None = None,
        colleague_names: dict[str, str] | None = None,
    ) -> None:
        self.names = sorted({o.text for o in orgs if o.via == "name"}, key=len, reverse=True)
        self.has_client = has_client
        self.text, self.people, self.colleague_names = text, people or [], colleague_names or {}

    def __call__(self, piece: str, drop: tuple[str, ...] = ()) -> str:
        for fragment in drop:  # dates in the past inside the main clause («висит с 19-го»)
            piece = piece.replace(fragment, " ")
        piece = tone.remove_weak(tone.neutralize_words(piece))
        if self.has_client:
            piece = re.sub(r"^(?:он|она)(?![\w-])", "клиент", piece, flags=re.I)
            piece = re.sub(r"^они(?![\w-])", "на стороне клиента", piece, flags=re.I)
            piece = re.sub(r"(?<![\w-])у (?:них|него|неё|нее)(?![\w-])", "у клиента", piece, flags=re.I)
            piece = re.sub(r"(?<![\w-])(?:им|ему|ей)(?![\w-])", "клиенту", piece, flags=re.I)
        elif (named := self._quoted_company()) is not None:
            # «им в четверг нужна машина» after «с «Агроснабом»»: the one company the request names, not a bare «им»
            piece = re.sub(r"(?<![\w-])им(?![\w-])", f"компании «{named}»", piece, count=1, flags=re.I)
        piece = re.sub(r"^(?:а|и|но|да)\s+", "", piece, flags=re.I)
        for name in self.names:  # case-insensitive: «Волжская Ривьера» may have lost its capital at a clause start
            piece = re.sub(  # the request's own spelling stays («КАМАЗ», not the directory's «Камаз»)
                rf"(?<![«\w-]){re.escape(name)}(?![»\w-])", lambda m: f"«{m.group(0)}»", piece, count=1, flags=re.I
            )
        piece = cleaning.formal_names(piece, self.text, self.people, self.colleague_names)
        piece = _EMOJI.sub("", piece)  # «👏» after a sarcastic «браво»: no emoji reaches the colleague's brief
        piece = tone.tidy_punctuation(predicates.polite_you(piece)).strip()
        if tone.is_strong(piece) and not tone.is_incident(piece):
            return ""
        return piece
