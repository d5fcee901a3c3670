"""What of a request's remaining text belongs in the brief: the facts of the task, not the talk around it.

A request tells a story around the task: what the requester felt, what the client shouted, what happened at a meeting,
whether there will be a New Year party. The brief keeps a context clause only when it is a fact of this task and
nothing in it is chatter. Chatter is judged by kinds, not by phrases, so it holds for writers the lexicon never saw:
- the speaker's own story («я вчера до ночи сидела…», «мне уже третий человек звонит») — a first-person clause with
  no figure or code in it;
- remarks about the colleague («ты ж у нас…», «у вас годовой отчёт и всё горит») — a second-person clause with no
  figure and no place where material lies («инвойс у вас в почте» stays);
- rhetorical or side questions — a clause of a sentence that ends with «?»;
- emotions, judgements and digressions, by lemma (knowledge/lexicons/task_cleaning.yaml, section chatter);
- words the dictionary does not know and that look like slang (short, lower case: «хз»).
A clause that survives must still be about the task: a figure, a code, a name or quoted title, or a content word it
shares with the actions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlp.text import morph, tokenize
from bot.services.tasks.cleaning import CLEANING_FILE

_FIRST_PERSON = frozenset({"я", "мне", "меня", "мной", "мы", "нам", "нас", "нами"})
_SECOND_PERSON = frozenset({"ты", "тебе", "тебя", "тобой", "вы", "вам", "вас", "вами", "твой", "твоя", "твои", "ваш"})
# Where the colleague's material lies: «инвойс у вас в почте», «шаблон у тебя на диске».
_MATERIAL_PLACE = re.compile(r"(?<![\w-])(?:в|на)\s+(?:почте|почту|папке|диске|чате|crm|срм|jira|джире|трекере)", re.I)
_FACT_MARK = re.compile(r"\d|«|[A-Z]{2,}|№")
_DATE_WORD = re.compile(
    r"(?<![\w-])(?:понедельник|вторник|сред|четверг|пятниц|суббот|воскресень|январ|феврал|март|апрел|ма[йя]|июн|июл|"
    r"август|сентябр|октябр|ноябр|декабр|сегодня|завтра)\w*",
    re.I,
)
_CONTENT_POS = frozenset({"NOUN", "ADJF", "INFN", "VERB"})


@dataclass(frozen=True)
class Chatter:
    digressions: re.Pattern[str] | None
    lemmas: frozenset[str]
    asides: re.Pattern[str] | None = None


@lru_cache(maxsize=4)
def load(path: Path = CLEANING_FILE) -> Chatter:
    data = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}
    section = data.get("chatter") or {}
    digressions = _phrases(section.get("digressions", []))
    lemmas = frozenset(
        str(w).replace("ё", "е") for key in ("emotions", "judgements") for w in section.get(key, []) or []
    )
    return Chatter(digressions, lemmas, _phrases(section.get("asides", [])))


def _phrases(items: list[str]) -> re.Pattern[str] | None:
    phrases = [re.escape(str(p)).replace("е", "[её]") for p in items or []]
    return re.compile(rf"(?<![\w-])(?:{'|'.join(phrases)})(?![\w-])", re.I) if phrases else None


def _lemma(word: str) -> str:
    return str(morph().parse(word.lower())[0].normal_form).replace("ё", "е")


def _lemmas(word: str) -> set[str]:
    return {str(p.normal_form).replace("ё", "е") for p in morph().parse(word.lower())[:3]}


def _is_slang_shaped(word: str) -> bool:
    """«хз», «чё», «щя»: a short lower-case Cyrillic word the dictionary does not know."""
    if not re.fullmatch(r"[а-яё]{2,3}", word):
        return False
    return not any(p.is_known for p in morph().parse(word))


def _has_fact(piece: str) -> bool:
    """A figure, a code, a quoted title, a date word or a name inside the clause: it reports something."""
    return bool(_FACT_MARK.search(piece) or _DATE_WORD.search(piece) or re.search(r"(?<=[\w,] )[А-ЯЁ][а-яё]+", piece))


def _has_lemma(words: list[str], wanted: frozenset[str]) -> bool:
    return any(_lemmas(w) & wanted for w in words)


def has_emotion(piece: str, chatter: Chatter | None = None) -> bool:
    """An emotion or a judgement by lemma: «орёт», «бесятся», «нервничает»."""
    chatter = chatter or load()
    return _has_lemma([t.text.lower() for t in tokenize(piece) if t.is_word], chatter.lemmas)


_BLAMING_START = re.compile(r"^(?:(?:тогда|а|и|но|так)\s+)?(?:кто|почему|зачем|отчего)\s", re.I)


def is_digression(text: str, chatter: Chatter | None = None) -> bool:
    """«Кстати», «не суть», «имей в виду»: the speaker turns aside."""
    chatter = chatter or load()
    return bool(chatter.digressions and chatter.digressions.search(text))


def is_aside(sentence: str, chatter: Chatter | None = None) -> bool:
    """«Про корпоратив, кстати, он хочет в ресторане»: the whole sentence is an aside."""
    chatter = chatter or load()
    return bool(chatter.asides and chatter.asides.search(sentence))


def never_again(text: str) -> bool:
    """«чтоб больше такого не было»: a reproach dressed as a purpose."""
    return bool(_NEVER_AGAIN.match(text) or re.search(r"(?<![\w-])больше\s+(?:\w+\s+){0,3}не(?![\w-])", text, re.I))


def is_asked(text: str, start: int, end: int) -> bool:
    """The clause is asked: a «?» follows it («…, ты издеваешься?» asks only its last clause), or it opens with a
    question word a sentence that ends with «?» («КТО согласовал …, когда у них по 11,20?!»)."""
    if re.match(r"[\s!)»]*\?", text[end:]):
        return True
    if _BLAMING_START.match(text[start:end].strip()):
        return True  # «Тогда почему возвраты лежат без решения!!!» asks even without «?»
    sentence_end = re.search(r"[.!?]+", text[end:])
    if not sentence_end or "?" not in sentence_end.group(0):
        return False
    return bool(_ACCUSING.match(text[start:end].strip()))


def drop_chatter(piece: str, after_talk: bool = False) -> str:
    """The piece without its talk: comma parts that are chatter go, and so does a part that only continues them
    without a figure («мы тут полвечера разговаривали, у него люди уходят, один на второй день не вышел»)."""
    kept: list[str] = []
    talk = after_talk
    for part in re.split(r",\s+", piece):
        continues_talk = talk and not _FACT_MARK.search(part)  # a figure, a title or a code is news, not talk
        talk = continues_talk or is_chatter(part)
        if not talk:
            kept.append(part)
    return ", ".join(kept).strip(" ,")


_ACCUSING = re.compile(r"^(?:(?:тогда|а|и|но|так)\s+)?(?:кто|почему|зачем|отчего|что)\s+(.+)$", re.I | re.S)


_FACT_INSIDE = re.compile(r"^(?:когда|хотя|при том что|притом что)\s+\S", re.I)


def states_fact(clause: str) -> bool:
    """«…, когда у «Медтехснаба» они по 11,20?!»: a fact said inside a question stays as it is."""
    return bool(_FACT_INSIDE.match(clause.strip()))


def statement_of(question: str) -> str | None:
    """A question that accuses states a fact: «КТО отгрузил A вместо B» → «отгрузили A вместо B», «почему возвраты
    лежат без решения» → «возвраты лежат без решения». Nobody is named as the culprit: a singular past verb after
    «кто» becomes the impersonal plural. Any other question (to the colleague, about the future) gives None."""
    m = _ACCUSING.match(question.strip())
    if not m:
        return question.strip() if states_fact(question) else None
    rest = m.group(1).strip()
    words = rest.split(" ", 1)
    parses = morph().parse(words[0].lower())
    verb = next((p for p in parses if p.tag.POS == "VERB"), None)
    if question.strip().lower().split(" ")[0] in ("кто",) or (verb and "past" in verb.tag and "sing" in verb.tag):
        if verb is None:
            return None
        plural = verb.inflect({"plur", "past"}) if "past" in verb.tag else None
        if plural is not None:
            rest = " ".join([plural.word, *words[1:]])
    if any(w.lower() in _SECOND_PERSON for w in re.findall(r"[\wё]+", rest, re.I)):
        return None
    return rest


def is_chatter(piece: str, chatter: Chatter | None = None, persons: bool = True) -> bool:
    """True when the clause is talk around the task, not a fact of it. `persons=False` skips the first- and
    second-person rules (an action's own tail says «мне» and «Вы» by right)."""
    chatter = chatter or load()
    if chatter.digressions and chatter.digressions.search(piece):
        return True
    words = [t.text for t in tokenize(piece) if t.is_word]
    low = [w.lower() for w in words]
    if _has_lemma(low, chatter.lemmas):
        return True
    if any(_is_slang_shaped(m.group(0)) for m in re.finditer(r"(?<![\w-])[а-яё]{2,3}(?![\w.-])", piece)):
        return True
    has_figure = _has_fact(piece)
    if not persons:
        return False
    first_person = any(w in _FIRST_PERSON for w in low)
    story = bool(_STORY_TIME.search(piece)) and any(_is_past_verb(w) for w in low)
    if story and (first_person or not has_figure):
        return True  # «мы тут с Вовой вчера полвечера разговаривали», «вчера был разговор с главврачом»: a story
    if first_person and not _FACT_MARK.search(piece) and any(_own_activity(w) for w in low):
        return True  # «я тут разбираю жалобы за ноябрь»: what the speaker is busy with, not the colleague's task
    if first_person and not has_figure:
        return True  # «я устал», «мне уже третий человек звонит»; «у нас в Казани расхождение 12 шт» stays
    if not has_figure and any(_speaker_state(w) for w in low):
        return True  # «неделю жду», «не знаю», «думаю»: the speaker's state, said without «я»
    # «ты ж у нас главный по …»: a remark about the colleague; «инвойс у вас в почте» says where the material is
    return not has_figure and any(w in _SECOND_PERSON for w in low) and not _MATERIAL_PLACE.search(piece)


_STORY_TIME = re.compile(r"(?<![\w-])(?:вчера|позавчера|на днях|недавно|на прошлой неделе|тут)(?![\w-])", re.I)
_SPEAKER_STATES = frozenset({"ждать", "думать", "знать", "понимать", "считать", "надеяться", "устать", "сомневаться"})


def _speaker_state(word: str) -> bool:
    return any(
        p.tag.POS == "VERB" and "1per" in p.tag and p.normal_form in _SPEAKER_STATES for p in morph().parse(word)[:2]
    )


def _own_activity(word: str) -> bool:
    parse = morph().parse(word)[0]
    return parse.tag.POS == "VERB" and "1per" in parse.tag and "sing" in parse.tag and "pres" in parse.tag


def _is_past_verb(word: str) -> bool:
    parse = morph().parse(word)[0]
    return parse.tag.POS == "VERB" and "past" in parse.tag


_PROHIBITION = re.compile(r"(?<![\w-])не\s+(?:надо|нужно|стоит|смей|вздумай)(?![\w-])", re.I)
_NEVER_AGAIN = re.compile(
    r"^\W*(?:и\s+)?чтоб(?:ы)?\b(?=.*(?<![\w-])больше(?![\w-]))(?=.*(?<![\w-])не(?![\w-]))", re.I | re.S
)
_OWN_NEED = re.compile(r"(?<![\w-])(?:мне|нам)\s+(?:нужно|надо|необходимо)\s*$", re.I)
_OWN_NEED_START = re.compile(r"^\W*(?:мне|нам)\s+(?:нужно|надо|необходимо)\s", re.I)
_PURPOSE = re.compile(r"^\W*(?:и\s+)?чтоб(?:ы)?\s", re.I)


def not_a_task(text: str, start: int, end: int) -> bool:
    """A verb that asks nothing of the colleague: a prohibition that is an admonition («и не надо мне рассказывать
    про…»), a «never again» («чтоб больше такого не было»), a purpose («чтобы под пик успеть»), the speaker's doubt
    («не знаю, что с этим делать»), or a digression («имей в виду, в столовой…»)."""
    raw = text[start:end]
    sentence_start = max(text.rfind(".", 0, start), text.rfind("!", 0, start), text.rfind("?", 0, start)) + 1
    lead = text[sentence_start:start]
    if _PROHIBITION.search(lead + raw[:40]) or _NEVER_AGAIN.match(raw) or _NEVER_AGAIN.match(lead + raw):
        return True
    clause_lead = re.split(r"[,:;—]", lead)[-1]  # «…, чтобы под пик успеть»: the purpose opens the verb's clause
    if (_PURPOSE.match(raw) or _PURPOSE.match(clause_lead)) and any(
        p.tag.POS == "INFN" for w in re.findall(r"[\wё]+", raw) for p in morph().parse(w.lower())[:1]
    ):
        return True
    if any(_speaker_state(w.lower()) for w in re.findall(r"[\wё]+", lead, re.I)):
        return True
    if lead.strip() and (_OWN_NEED.search(clause_lead) or _OWN_NEED_START.match(raw)):
        return True  # «…, мне нужно ответить ей официально»: the requester's own step, the reason for the task
    chatter = load()
    return bool(chatter.digressions and chatter.digressions.search(raw))


def trim_talk(action: str) -> str:
    """«вернуть мне, край» → «вернуть мне»: the comma parts after the verb's own that are slang or judgement."""
    parts = re.split(r",\s+", action)
    kept = parts[:1] + [p for p in parts[1:] if not is_chatter(p, persons=False)]
    return _without_judgements(", ".join(kept))


def _without_judgements(text: str, chatter: Chatter | None = None) -> str:
    """«оформить эту стыдобу: приём …» → «оформить приём …»: a judgement word (and the «этот» pointing at it) inside
    an action goes, the action stays."""
    chatter = chatter or load()
    out, last = [], 0
    tokens = tokenize(text)
    quoted = [m.span() for m in re.finditer(r"«[^«»]*»", text)]  # «Молочный край» is a name, not slang
    for i, token in enumerate(tokens):
        if any(a <= token.start < b for a, b in quoted):
            continue
        if token.is_word and _lemmas(token.text.lower()) & chatter.lemmas:
            start = token.start
            before = tokens[i - 1] if i > 0 else None
            if before is not None and before.is_word and before.lemma in ("этот", "такой", "весь"):
                start = before.start
            out.append(text[last:start])
            last = token.stop
    out.append(text[last:])
    return re.sub(r"\s{2,}", " ", "".join(out)).replace(" ,", ",").strip(" ,:")


def content_lemmas(text: str) -> set[str]:
    """The content words of a text as lemmas (nouns, adjectives, verbs), for overlap with the actions."""
    out = set()
    for token in tokenize(text):
        if not token.is_word or len(token.text) < 3:
            continue
        parse = morph().parse(token.text.lower())[0]
        if parse.tag.POS in _CONTENT_POS:
            out.add(_lemma(token.text))
    return out


def is_task_fact(piece: str, action_lemmas: set[str]) -> bool:
    """A figure, code, number sign, quoted title or capitalised term — or a content word shared with the actions."""
    body = piece[1:] if piece else piece  # the first letter of a clause is capitalised anyway
    if _FACT_MARK.search(piece) or _DATE_WORD.search(piece) or _MATERIAL_PLACE.search(piece):
        return True
    if re.search(r"(?<=\s)[А-ЯЁ][а-яё]+", body):
        return True
    return bool(content_lemmas(piece) & action_lemmas)
