"""The requested actions of a request, read around their verbs: «Фланцы ФЛ-160, 240 шт — переделать до пятницы,
допуск ±0,05 мм» → «переделать фланцы ФЛ-160, 240 шт, допуск ±0,05 мм».

A request is read sentence by sentence. The verbs that ask for something are found with pymorphy3: an imperative
(«исправь», «подготовьте»), an infinitive after a request word («прошу / нужно / надо … сделать») or opening a
clause («… — переделать до пятницы»), a verb after «пусть». Each verb takes the words that belong to it: the rest of
its clause, the clauses after it that add details without a verb of their own («240 шт», «допуск ±0,05 мм»), a list
after a colon, and the object said before it («смету на кровлю … пересчитать»). A clause with its own subject and
verb («клиент торопит»), a reason («иначе …», «чтобы …») or a reproach («а не как в прошлый раз») ends the action.

Figures, names, codes and Latin words are copied as written; only the verb becomes an infinitive, and slang verbs
become plain ones through the admin's lexicon (knowledge/lexicons/task_cleaning.yaml). The comma-level reading in
bot.services.tasks.clauses remains the fallback when no verb asks for anything («Где ППР?»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from bot.nlp.text import PAST_NOT_IMPERATIVE, Token, morph, tokenize
from bot.services.tasks import cleaning, tone
from bot.services.tasks.clauses import inflect_head, lower_first

# Words that ask for the infinitive after them.
_REQUEST_WORDS = frozenset(
    {
        "прошу", "просим", "просьба", "нужно", "надо", "необходимо", "требуется", "можешь", "можете", "сможешь",
        "сможете", "пора", "стоит", "давай", "давайте", "попрошу", "требую", "важно", "нужна", "нужен", "нужны",
    }
)  # fmt: skip
# Imperatives that only open or colour a sentence («слушай», «смотри»), not actions.
_NOT_ACTIONS = frozenset(
    {"слушай", "слушайте", "смотри", "смотрите", "давай", "давайте", "извини", "извините", "прости", "простите",
     "представь", "представьте", "погоди", "подожди", "пойми", "поймите", "знаешь", "знаете", "пожалуйста",
     "спасибо", "здравствуйте", "привет", "будь", "будьте", "учти", "учтите"}
) | PAST_NOT_IMPERATIVE  # fmt: skip
# Where an action ends inside a sentence: a reason, a threat or a condition starts.
_BOUNDARY_WORDS = re.compile(
    r"^(?:а\s+то|а\s+не|(?:(?:а|и)\s+)?(?:иначе|так\s+что|чтобы|чтоб|если|потому|поскольку|т\.\s?к\.|так\s+как|хотя|но|ведь|"
    r"как\s+в\s+прошлый|как\s+всегда|не\s+как|в\s+прошлый\s+раз|опять|снова|это(?=\s+\w)))(?![\w-])",
    re.I,
)
_CONNECTORS = re.compile(
    r"^\s*(?:(?:и|а|а также|также|тоже|заодно|ещё|еще|потом|затем|плюс|кроме того|а потом|и потом)(?:\s+|$))+", re.I
)
# Words that colour a request and carry nothing for the colleague.
_FILLERS = frozenset(
    {"пожалуйста", "плиз", "плз", "pls", "please", "срочно", "уже", "наконец", "наконец-то", "там", "опять",
     "снова", "вообще", "нормально", "быстренько", "быстро", "живо", "короче", "блин", "давай", "ну", "же",
     "заодно", "срочняк", "по-быстрому", "хоть", "хотя бы", "тупо", "просто"}
)  # fmt: skip
_SEGMENT_SPLIT = re.compile(r"(?<!\d)[,;](?!\d)|[,;](?=\s)|(?<!\d):(?!\d)|\s[—–-]\s|\s[—–](?=\S)")
# «ты» in a request → «Вы» in the brief.
_YOU = {
    "тебе": "Вам", "тебя": "Вас", "тобой": "Вами", "ты": "Вы", "твой": "Ваш", "твоя": "Ваша", "твои": "Ваши",
    "твоё": "Ваше", "твое": "Ваше", "твоих": "Ваших", "твоим": "Вашим", "твоему": "Вашему", "твою": "Вашу",
}  # fmt: skip


@dataclass(frozen=True)
class Action:
    verb: str  # the infinitive, slang replaced («отправить» for «скинь»)
    text: str  # the whole action: verb, object, details, in the request's words
    start: int  # its span in the request (the object said before the verb included)
    end: int
    bare: bool  # nothing but the verb and maybe a date («подтвердите до 15:00»): its object is another action's
    source: tuple[int, int] | None = None  # an earlier sentence the object was taken from (it is not a detail now)


@dataclass(frozen=True)
class _Segment:
    start: int
    end: int
    mark: str  # the punctuation that opened it: "" at a sentence start, "," ":" ";" "—"


def _segments(text: str, start: int, end: int) -> list[_Segment]:
    out, pos, mark = [], start, ""
    for m in _SEGMENT_SPLIT.finditer(text, start, end):
        if text.count("(", start, m.start()) > text.count(")", start, m.start()):
            continue  # «(арт. 4601234, 48 уп.)»: a comma inside brackets parts nothing
        if text[pos : m.start()].strip():
            out.append(_Segment(pos, m.start(), mark))
        mark = m.group(0).strip()[:1] or ","
        mark = "—" if mark in "—–-" else mark
        pos = m.end()
    if text[pos:end].strip():
        out.append(_Segment(pos, end, mark))
    return out


def _words(text: str, start: int, end: int) -> list[Token]:
    return [
        Token(t.text, t.start + start, t.stop + start, t.lemma, t.pos, t.is_word) for t in tokenize(text[start:end])
    ]


def _is_imperative(token: Token) -> bool:
    low = token.text.lower()
    if low in _NOT_ACTIONS or not token.is_word:
        return False
    if not morph().word_is_known(low):
        return _prefixed_imperative(low)  # «утка конфи»: a guessed imperative of an unknown word is a noun
    parses = morph().parse(low)
    best = parses[0]
    if best.tag.POS not in ("VERB",) and not any("impr" in p.tag and p.score >= best.score * 0.5 for p in parses):
        return False
    return any(p.tag.POS == "VERB" and "impr" in p.tag and "incl" not in p.tag for p in parses) and not (
        best.tag.POS == "NOUN" and best.score > 0.6
    )


def is_request_word(token: Token) -> bool:
    """An imperative or a slang verb that asks («отправь», «пофикси»)."""
    return _is_imperative(token) or _is_slang_verb(token)


def _is_slang_verb(token: Token) -> bool:
    """«пофикси», «закинь»: the admin's lexicon turns it into a verb that pymorphy3 does not know."""

    low = token.text.lower()
    replaced = cleaning.replace_phrases(low)
    return replaced != low and any(p.tag.POS == "INFN" for p in morph().parse(replaced.split()[0])[:1])


def _verb_parses(token: Token) -> list[Any]:
    """The word's parses, or none when it is no word or an unknown word that may as well be a noun: «флексопечать»
    is guessed as an infinitive by its ending, but a verb nobody knows is more likely a term."""
    if not token.is_word:
        return []
    low = token.text.lower()
    parses = morph().parse(low)
    if not morph().word_is_known(low) and any(p.tag.POS == "NOUN" for p in parses[:3]) and not _prefixed_verb(low):
        return []
    return list(parses)


_VERB_PREFIXES = ("от", "пере", "до", "за", "про", "пред", "по", "пре", "при", "вы", "пр", "об", "у", "на", "с", "из")


def _prefixed_verb(low: str) -> bool:
    """«откалибровать» is unknown to the dictionary but is «калибровать» with a prefix: a verb, not a term."""
    if not re.search(r"(?:ать|ять|ить|еть|овать)$", low):
        return False
    for prefix in sorted(set(_VERB_PREFIXES), key=len, reverse=True):
        stem = low[len(prefix) :]
        known = low.startswith(prefix) and len(stem) > 4 and morph().word_is_known(stem)
        if known and any(p.tag.POS == "INFN" for p in morph().parse(stem)[:1]):
            return True
    return False


def _prefixed_imperative(low: str) -> bool:
    """«перебронируй» is unknown to the dictionary but is «бронируй» with a prefix: a request, not a term."""
    if not re.search(r"(?:й|йте|и|ите|ь|ьте)$", low):
        return False
    for prefix in sorted(set(_VERB_PREFIXES), key=len, reverse=True):
        stem = low[len(prefix) :]
        if low.startswith(prefix) and len(stem) > 4 and morph().word_is_known(stem):
            parses = morph().parse(stem)
            if parses[0].tag.POS == "VERB" and "impr" in parses[0].tag:
                return True
    return False


def _is_infinitive(token: Token) -> bool:
    return any(p.tag.POS == "INFN" for p in _verb_parses(token)[:2])


def _is_verbal(token: Token) -> bool:
    parses = _verb_parses(token)
    return bool(parses) and parses[0].tag.POS in ("VERB", "INFN", "PRTS")


def _is_finite(token: Token) -> bool:
    """A finite verb or a short participle of a statement («поставщик обещал», «сборщики встали», «просрочены»)."""
    if not token.is_word:
        return False
    best = morph().parse(token.text.lower())[0]
    if token.text.lower() == "нет" or token.text.lower() in PAST_NOT_IMPERATIVE:
        return True  # «у клиента нет закрывающих»: a statement of what is missing; «нашли ведущего»: the past
    return best.tag.POS in ("VERB", "PRTS") and "impr" not in best.tag


def _infinitive(word: str) -> str:
    parses = morph().parse(word.lower())
    for parse in parses:
        if parse.tag.POS in ("VERB", "INFN"):
            infinitive = str(parse.normal_form).replace("ё", "е")
            # «Перезаключай», «ЧИНИТЕ» (an imperative as much as a present tense) ask for a result: «перезаключить»
            asks = any(p.tag.POS == "VERB" and "impr" in p.tag and "impf" in p.tag for p in parses)
            if asks and "impf" in parse.tag and parse.tag.POS == "VERB":
                return perfective(infinitive)
            return infinitive
    return word.lower()


# Pairs that no suffix rule finds; the rest are found by the suffix rules in `perfective`.
_PERFECTIVE = {
    "делать": "сделать", "готовить": "подготовить", "звонить": "позвонить", "искать": "найти", "писать": "написать",
    "считать": "посчитать", "смотреть": "посмотреть", "чинить": "починить", "ставить": "поставить",
    "выкладывать": "выложить", "брать": "взять", "присылать": "прислать", "выгружать": "выгрузить",
    "говорить": "сказать", "отдавать": "отдать", "давать": "дать",
}  # fmt: skip


def perfective(infinitive: str) -> str:
    """«перезаключать» → «перезаключить», «подписывать» → «подписать», «отправлять» → «отправить»: a task names the
    result to reach. A candidate counts only when the dictionary knows it as a perfective infinitive; otherwise the
    verb stays as said."""
    if infinitive in _PERFECTIVE:
        return _PERFECTIVE[infinitive]
    candidates = []
    for ending, replacements in (("ывать", ("ать",)), ("ивать", ("ать", "ить")), ("ять", ("ить",)), ("ать", ("ить",))):
        if infinitive.endswith(ending):
            stem = infinitive[: -len(ending)]
            candidates += [stem + r for r in replacements]
            if ending == "ять" and stem.endswith("л"):
                candidates.append(stem[:-1] + "ить")  # «отправлять» → «отправить»
            break
    for candidate in candidates:
        if morph().word_is_known(candidate) and any(
            p.tag.POS == "INFN" and "perf" in p.tag for p in morph().parse(candidate)
        ):
            return candidate
    return infinitive


def _adjacent(tokens: list[Token], left: int, right: int) -> bool:
    """No punctuation between two words."""
    return all(tokens[k].is_word for k in range(left + 1, right))


def segment_has_before(tokens: list[Token], index: int, segment_starts: set[int], word: str) -> bool:
    segment_start = max((s for s in segment_starts if s <= tokens[index].start), default=0)
    return any(t.text.lower() == word for t in tokens[:index] if t.start >= segment_start)


def _noun_in_context(text: str, token: Token) -> bool:
    """For a word that pymorphy3 reads both as a noun and as an imperative, natasha's tagger decides in context."""
    parses = morph().parse(token.text.lower())
    if not any(p.tag.POS == "NOUN" for p in parses):
        return False
    from bot.nlp import syntax

    for sentence in syntax.parse(text).sentences:
        for tagged in sentence.tokens:
            if tagged.start == token.start:
                return tagged.pos == "NOUN"
    return False


def _request_verbs(text: str, tokens: list[Token], segment_starts: set[int], question: bool) -> list[int]:
    """Indexes of the verbs that ask for something. In a question only «можете / сможете …» ask: «вы там спите?»
    is a reproach."""
    found: list[int] = []
    words = [i for i, t in enumerate(tokens) if t.is_word]
    if question:
        return [
            i
            for n, i in enumerate(words)
            if _is_infinitive(tokens[i])
            and n > 0
            and tokens[words[n - 1]].text.lower() in ("можешь", "можете", "сможешь", "сможете")
        ]
    for n, i in enumerate(words):
        token = tokens[i]
        before = [tokens[j] for j in words[max(0, n - 4) : n]]
        previous = before[-1].text.lower() if before else ""
        if previous == "не" and token.text.lower() not in ("забудь", "забудьте"):
            continue  # «не позорь нас»: a prohibition is a reproach here, not a task
        if token.text.lower() in ("забудь", "забудьте"):
            continue  # «не забудь отправить»: the action is the infinitive after it
        if token.lemma == "быть" or token.text.lower() in ("есть", "знай", "знайте"):
            continue  # «должна быть в прайсе»: a state to reach; «то есть», «так и знай»: figures of speech
        if token.text.lower() in _ASK_SOMEONE and any(
            _is_infinitive(tokens[j]) for j in words[n + 1 : n + 3] if _adjacent(tokens, i, j)
        ):
            continue  # «Ирку попроси сделать акт сверки»: said to the assistant; the task is the infinitive
        if _is_imperative(token) or _is_slang_verb(token):
            if _noun_in_context(text, token):
                continue  # «раскрой по дверям»: the plan of cutting, not «раскрыть»
            following = tokens[words[n + 1]] if n + 1 < len(words) else None
            if following is not None and _adjacent(tokens, i, words[n + 1]) and _is_imperative(following):
                continue  # «Раскрой согласуй с Вованом»: the first «imperative» is the noun the second one takes
            if segment_has_before(tokens, i, segment_starts, "хоть"):
                continue  # «хоть в выходные работайте»: a figure of speech
            found.append(i)
            continue
        # «Фотки пусть у Кирилла возьмёт», «Пусть Марина из ОКК сразу образцы проверит»
        let = any(t.text.lower() == "пусть" for t in before)
        let = let or segment_has_before(tokens, i, segment_starts, "пусть")
        # «Пусть позвонит Мальцевым, извинится и подберёт им аналог»: every verb after the one «пусть» asked for
        let_start = next((j for j in words[:n] if tokens[j].text.lower() == "пусть"), None)
        let = let or (let_start is not None and any(f > let_start for f in found))
        best = morph().parse(token.text.lower())[0] if token.is_word else None
        if let and best is not None and best.tag.POS == "VERB" and "3per" in best.tag and "past" not in best.tag:
            segment_start = max((s for s in segment_starts if s <= token.start), default=0)
            jibe = tone.is_strong(text[segment_start : token.stop])  # «Пусть хоть раз сработает заранее»
            if best.normal_form not in _STATIVE and not jibe:
                found.append(i)
            continue  # «пусть хоть одна живая душа там порядок знает»: a jibe, not a step
        if not _is_infinitive(token):
            continue
        if previous in ("нечего", "некого", "некому", "негде", "некуда", "незачем", "некогда"):
            continue  # «а продавать нечего»: what is lacking, not what to do
        if n + 1 < len(words) and tokens[words[n + 1]].text.lower() in ("нечего", "некого", "некому", "негде"):
            continue
        if any(t.text.lower() == "ли" for t in before[-3:]):
            continue  # «заключение, можно ли на это соглашаться»: what to find out, not what to do
        said_next = [tokens[j].text.lower() for j in words[n + 1 : n + 4]]
        if "не" in said_next and any(w in _CANNOT for w in said_next):
            continue  # «доказать ничего не можем»: what we cannot do, not what to do
        asked = any(
            t.text.lower() in _REQUEST_WORDS | _ASK_SOMEONE or t.text.lower() in ("забудь", "забудьте") for t in before
        )
        segment_start = max((s for s in segment_starts if s <= token.start), default=0)
        opens = not any(_is_verbal(t) for t in before if t.start >= segment_start)
        governed = (
            bool(before)
            and _adjacent(tokens, words[n - 1], i)  # «убрать, сложить на подкладки» are two requests
            and (_is_finite(before[-1]) or _is_infinitive(before[-1]) or previous == "можно")
        )
        after = tokens[words[n + 1]].text.lower() if n + 1 < len(words) else ""
        if after in ("будет", "будут", "буду", "будем", "будешь", "будете", "стал", "стала", "станет"):
            continue  # «закупку делать будет»: a plan, not a request
        if ((asked or opens) and not (governed and previous not in _REQUEST_WORDS)) or _coordinated(
            tokens, words, n, found
        ):
            found.append(i)
    return found


def _first_word_start(text: str, segment: _Segment) -> int:
    m = re.search(r"\w", text[segment.start : segment.end])
    return segment.start + m.start() if m else segment.start


def _has_statement(text: str, segment: _Segment) -> bool:
    """A clause with a verb of its own («клиент торопит»), or «нужен …», which says a need of its own."""
    return any(
        _is_finite(t) or t.text.lower() in _NEED_WORDS or _is_short_adjective(t)
        for t in _words(text, segment.start, segment.end)
    )


def _is_short_adjective(token: Token) -> bool:
    """«камри готова», «счёт неверен»: a short adjective says a state, as a verb would."""
    if not token.is_word:
        return False
    return morph().parse(token.text.lower())[0].tag.POS in ("ADJS", "PRTS")


_ASK_SOMEONE = frozenset({"попроси", "попросите", "поручи", "поручите"})
_STATIVE = frozenset({"знать", "понимать", "помнить", "видеть", "слышать", "думать", "чувствовать"})
_CANNOT = frozenset(
    {"можем", "могу", "может", "могут", "можно", "сможем", "смогу", "сможет", "получается", "успеваем", "успеем",
     "успеет", "успеют", "выходит"}
)  # fmt: skip
_NEED_WORDS = frozenset({"нужен", "нужна", "нужно", "нужны"})


def read(text: str, cut: list[tuple[int, int]], deadline: tuple[int, int] | None = None) -> list[Action]:
    """Every requested action of `text`, in order. `cut` holds spans that are not the task (the address, the
    deadline): they are blanked before reading."""
    chars = list(text)
    for start, end in cut:
        for i in range(max(0, start), min(end, len(chars))):
            chars[i] = " "
    body = "".join(chars)
    actions = _with_message(text, body, [_passed_need(a) for a in _read(text, body, needs=False)])
    ultimatum = _ultimatum(text, body)
    if ultimatum is not None:
        # «Скажи ему, что если к среде не будет счёта …, я иду к директору»: the message to pass on is the threat;
        # what it is about is the task
        kept = [a for a in actions if not (a.verb in _CONTACT_VERBS and a.start <= ultimatum.start < a.end + 80)]
        if not _same_thing(ultimatum, kept):
            actions = sorted([ultimatum, *kept], key=lambda a: a.start)
    if any(not a.bare for a in actions):
        # «К пятнице нужен пост … Фотки пусть у Кирилла возьмёт»: the thing needed by the deadline is the task,
        # the verbs are its steps.
        if deadline is not None:
            needed = _needed_by_deadline(text, body, deadline, actions)
            if (
                needed is not None
                and not needed.bare
                and _substantive(needed.text)
                and not _same_thing(needed, actions)
            ):
                return sorted([needed, *actions], key=lambda a: a.start)
        needed = _needed_elsewhere(text, body, actions)
        if needed is not None:  # «По тендеру … нужен сметный расчёт. … Обратите внимание на сети»: both are asked
            return sorted([needed, *actions], key=lambda a: a.start)
        return actions
    # No verb asks for anything: «Протоколы … нужны до среды», «Чтобы механик был на площадке».
    by_need = _read(text, body, needs=True)
    if any(not a.bare for a in by_need):
        return by_need
    if deadline is not None and (to_me := _to_me_by_deadline(text, body, deadline)) is not None:
        return [to_me]
    return [a for a in (_pass_on(text, body), _where_is(text, body)) if a][:1] or by_need


_ULTIMATUM = re.compile(
    r"(?<![\w-])если\s+(?:[^,.;!?—]*?\s)?не\s+будет\s+(?P<what>[^,.;!?—]+(?:,\s*\d[^,.;!?—]*)?)", re.I
)


def _ultimatum(text: str, body: str) -> Action | None:
    """«если до среды не будет дозаказа подушек PD-50-70, 800 шт, я иду к директору»: the threat is dropped, but the
    thing it is about is the task («обеспечить дозаказ подушек PD-50-70, 800 шт»)."""

    for start, end in _sentences(text):
        found = _ULTIMATUM.search(body, start, end)
        if found is None or not tone.is_threat(text[start:end]):
            continue
        what = re.sub(r"\s+", " ", found.group("what")).strip(" ,")
        head = inflect_head(what, "nomn", "gent", strict=True)
        if head == what or not _substantive(head):
            continue
        said = as_action(head)
        return Action(said.split()[0], said, found.start("what"), found.end("what"), False)
    return None


# Verbs of getting in touch: what follows them in the sentence may be the message itself.
_CONTACT_VERBS = frozenset({"позвонить", "написать", "сообщить", "набрать", "сказать", "передать"})


def _with_message(text: str, body: str, actions: list[Action]) -> list[Action]:
    """«позвони Громову, камри готова, пусть забирает сегодня до 19:00, бокс нужен под запись»: after a call to a
    person, the statements and the «пусть» that follow are what to tell them (the «пусть» is the person's own step,
    not the colleague's); a need or a reason ends the message."""

    out: list[Action] = []
    skip_until = -1
    for action in actions:
        if action.start < skip_until:
            continue
        words = [t for t in tokenize(action.text) if t.is_word]
        to_me = len(words) > 1 and words[1].text.lower() in ("мне", "нам")  # «напишите мне цифру»: the reply is ours
        # «позвони Громову»: a person in the dative; «передай в бухгалтерию» is a place, not someone to tell
        to_person = len(words) > 1 and any(
            p.tag.case == "datv" and p.tag.POS in ("NOUN", "NPRO") for p in morph().parse(words[1].text.lower())[:3]
        )
        short = 2 <= len(words) <= 3 and ":" not in action.text
        sentence_end = next((e for s, e in _sentences(text) if s <= action.start < e), len(text))
        role = _role_of_joined(text, body, action, sentence_end)
        if role is not None:  # «Женю из ОКК подключи, пусть оценит, чинить за наш счёт или нет»
            out.append(replace(action, text=f"{action.text}: {role[0]}", end=role[1]))
            skip_until = role[1]
            continue
        if action.verb not in _CONTACT_VERBS or not short or to_me or not to_person:
            out.append(action)
            continue
        message: list[str] = []
        end = action.end
        for segment in _segments(body, action.end, sentence_end):
            said = text[segment.start : segment.end].strip()
            if not said or _BOUNDARY_WORDS.match(said) or _NEEDED.search(said) or _blame(said) or tone.is_strong(said):
                break
            # «пусть забирает»: the person called is to act; «пусть Кирюха поможет» names someone else
            let = re.match(r"пусть\s+(\w+)", said, re.I)
            let = let if let and morph().parse(let.group(1).lower())[0].tag.POS == "VERB" else None
            if not let and any(segment.start <= other.start < segment.end for other in actions if not other.bare):
                break  # «позвонит Мальцевым, извинится и подберёт им аналог»: the next steps are steps
            statement = _has_statement(body, segment)
            if not (statement or let):
                break
            message.append(said)
            end = segment.end
        if not message:
            out.append(action)
            continue
        out.append(replace(action, text=f"{action.text} и сообщить: {', '.join(message)}", end=end))
        skip_until = end
    return out


_JOIN_VERBS = frozenset({"подключить", "привлечь", "позвать", "взять"})


def _role_of_joined(text: str, body: str, action: Action, sentence_end: int) -> tuple[str, int] | None:
    """After «подключи Женю из ОКК» a «пусть оценит, …» with no subject of its own says what Женя is to do: it stays
    with the person, up to the end of the sentence, instead of turning into the colleague's own steps."""
    if action.verb not in _JOIN_VERBS:
        return None

    segments = _segments(body, action.end, sentence_end)
    if not segments:
        return None
    first = text[segments[0].start : segments[0].end].strip()
    let = re.match(r"пусть\s+(\w+)", first, re.I)
    if not let or morph().parse(let.group(1).lower())[0].tag.POS != "VERB":
        return None
    said: list[str] = []
    end = action.end
    for segment in segments:
        piece = text[segment.start : segment.end].strip()
        if not piece or (said and _BOUNDARY_WORDS.match(piece)) or _blame(piece) or tone.is_strong(piece):
            break
        said.append(piece)
        end = segment.end
    return ", ".join(said).rstrip(" .!"), end


_PASS_ON = re.compile(r"(?<![\w-])(?:скажи|скажите|передай|передайте|сообщи|сообщите)\s*:\s*", re.I)


def _passed_need(action: Action) -> Action:
    """«передать Петрову из маркетинга: нужен макет листовки, 3 варианта» → «подготовить макет листовки, 3 варианта»:
    when what is passed on is a need, the need is the task (the brief goes to the one who does it)."""
    m = re.match(r"^(?:передать|сказать|сообщить)\b[^:]*:\s*(?:нужен|нужна|нужно|нужны)\s+(.+)$", action.text, re.I)
    if action.verb not in ("передать", "сказать", "сообщить") or not m:
        return action
    head, _, rest = m.group(1).partition(", ")
    said = as_action(head.strip())
    return replace(action, verb=said.split(" ", 1)[0], text=_tidy(f"{said}, {rest}" if rest else said))


def _pass_on(text: str, body: str) -> Action | None:
    """«Свете скажи: блок на 30 номеров держим до пятницы» (the address and the verb were cut as the address):
    what to pass on is the task."""
    m = _PASS_ON.search(text)
    if not m:
        return None
    end = next((e for s, e in _sentences(text) if s <= m.end() < e), len(text))
    said = re.sub(r"\s+", " ", _strip_fillers(body[m.end() : end])).strip(" ,;:.!")
    if len([t for t in tokenize(said) if t.is_word]) < 2:
        return None
    if need := re.match(r"(?:нужен|нужна|нужно|нужны)\s+(.+)$", said, re.I):
        # «Петрову передайте: нужен макет листовки, 3 варианта» — what is passed on is the task itself
        head, _, rest = need.group(1).partition(", ")
        action = as_action(head.strip())
        return Action(action.split(" ", 1)[0], _tidy(f"{action}, {rest}" if rest else action), m.start(), end, False)
    return Action("передать", _tidy(f"передать: {said}"), m.start(), end, False)


def _where_is(text: str, body: str) -> Action | None:
    """«Где рассадка на корпоратив?» with nothing else asked: the thing is to be sent."""
    for start, end in _sentences(text):
        where = _WHERE.match(body[start:end].strip())
        said = (where.group(1) or where.group(2)) if where else ""
        if where and not _blame(said):
            thing = _strip_fillers(said).strip(" ?!.")
            if any(t.is_word and t.pos == "NOUN" for t in tokenize(thing)):
                return Action("прислать", _tidy(f"прислать {lower_first(_to_accusative(thing))}"), start, end, False)
    return None


def _to_me_by_deadline(text: str, body: str, deadline: tuple[int, int]) -> Action | None:
    """«… — список просроченных и график переаттестации мне до вторника»: a thing, «мне» and the deadline ask for
    the thing to be sent to the requester."""
    for start, end in _sentences(text):
        if not start <= deadline[0] < end:
            continue
        segment = next((s for s in _segments(body, start, end) if s.start <= deadline[0] <= s.end + 1), None)
        if segment is None:
            return None
        said = re.sub(r"\s+", " ", _strip_fillers(body[segment.start : segment.end])).strip(" ,;:—–-.!")
        m = re.fullmatch(r"(?P<thing>[^,;]{3,80}?)\s+мне", said, re.I)
        if m is None or any(_is_verbal(t) for t in tokenize(m.group("thing"))) or names_an_action(m.group("thing")):
            return None  # «Аудит сайта … мне к среде»: work to be done is read by the clauses, not sent
        thing = lower_first(_to_accusative(m.group("thing")))
        return Action("прислать", f"прислать мне {thing}", segment.start, segment.end, False)
    return None


def _needed_by_deadline(text: str, body: str, deadline: tuple[int, int], actions: list[Action]) -> Action | None:
    for index, (start, end) in enumerate(_sentences(text)):
        if not start <= deadline[0] < end or any(start <= a.start < end for a in actions):
            continue
        first_segment = next(iter(_segments(body, start, end)), None)
        said_first = body[first_segment.start : first_segment.end] if first_segment else ""
        if index > 0 and not _NEEDED.search(body, start, end) and not _deliverable_said(said_first):
            return None  # a verbless sentence further on is a remark («Крайний срок — завтра»), not the task
        # «Белова, отчёт по рассылке за ноябрь к пятнице.», «Отчёт с выводами — до 04.12»: a thing due by the
        # deadline, said without a verb, is the result the steps lead to.
        needed = _needed(body, start, end, "")
        if needed is not None:
            return needed if _substantive(needed.text) else None
        if index > 0 and not _deliverable_said(said_first):
            return None
        phrase, phrase_end = _leading_noun_phrase(body, start, end)
        if phrase and any(t.is_word and t.pos == "NOUN" for t in tokenize(phrase)):
            verb = _verb_for(phrase)
            return Action(verb, _tidy(f"{verb} {lower_first(_to_accusative(phrase))}"), start, phrase_end, False)
    return None


def _same_thing(needed: Action, actions: list[Action]) -> bool:
    """«Перестройте маршрут М-07 … Новый маршрут нужен до конца дня»: the need names what a verb already asks for."""
    asked = {t.lemma for a in actions for t in tokenize(a.text) if t.is_word and t.pos == "NOUN"}
    return bool({t.lemma for t in tokenize(needed.text) if t.is_word and t.pos == "NOUN"} & asked)


def _needed_elsewhere(text: str, body: str, actions: list[Action]) -> Action | None:
    """The first verbless sentence that says what is needed («нужен сметный расчёт …»), besides the verbs."""
    first_action = min((a.start for a in actions), default=len(text))
    asked = {t.lemma for a in actions for t in tokenize(a.text) if t.is_word and t.pos == "NOUN"}
    for start, end in _sentences(text):
        if start >= first_action:
            break  # only the need said before the verbs is the task they serve; one said after is a step of theirs
        said = body[start:end]
        need_at = _NEEDED.search(said)
        if need_at and any(start <= a.start < start + need_at.start() for a in actions):
            continue  # «проверьте договор, нужна новая редакция»: a need said after the verb is its detail
        if not need_at or re.search(r"(?<![\w-])(?:не\s+нуж|если\s+(?:\S+\s+)?нуж|мне\s+нуж|нам\s+нуж)", said, re.I):
            continue  # «штраф нам не нужен», «если нужна помощь»: not a thing to make
        if re.search(
            r"(?<![\w-])(?:к|до)\s+(?:\d|завтр|сегодн|понедельник|вторник|сред|четверг|пятниц|суббот)", said, re.I
        ):
            continue  # «двери нужны 10 декабря к 9 утра, а у вас в плане 11-е»: a need with its own date is a fact
        needed = _needed(body, start, end, "")
        if needed is None or needed.bare or not _substantive(needed.text):
            continue
        head = next((t.lemma for t in tokenize(needed.text) if t.is_word and t.pos == "NOUN"), None)
        if head in asked:
            continue  # «нужен поздний выезд … Оформи сегодня»: the verbs already ask for it
        return needed
    return None


def _leading_noun_phrase(text: str, start: int, end: int) -> tuple[str, int]:
    """The verbless clauses opening a sentence, up to one with a verb, a reason or a statement of what is ready:
    «бетон B25 W8, 60 кубов, на ТЦ «Ривьера» — заливаем плиту» → «бетон B25 W8, 60 кубов, на ТЦ «Ривьера»»."""
    pieces: list[str] = []
    stop = start
    for segment in _segments(text, start, end):
        piece = text[segment.start : segment.end]
        if (
            _has_statement(text, segment)
            or _blame(piece)
            or _BOUNDARY_WORDS.match(piece.strip())
            or _PREPARED_WORDS.search(piece)
            or (pieces and segment.mark == "—")
        ):
            break
        cleaned = re.sub(r"\s+", " ", _strip_fillers(piece)).strip(" ,.;:—–-")
        if cleaned:
            pieces.append(cleaned)
        stop = segment.end
    return ", ".join(pieces), stop


# «пропуска заказаны», «список во вложении»: what is ready is a fact beside the task, not a part of it
_PREPARED_WORDS = re.compile(
    r"(?<![\w-])(?:заказан\w*|готов[аоы]?|во вложении|приложен\w*|утвержд\w*|согласован\w*)(?![\w-])", re.I
)


_NOT_DELIVERABLES = re.compile(
    r"(?<![\w-])(?:у меня|у нас|встреч\w*|совещани\w*|срок\w*|дедлайн\w*|подача|подачи|запуск\w*)(?![\w-])", re.I
)


_DOCUMENT_FIRST = re.compile(
    r"\s*(?:КП|коммерческое предложение|смет\w*|договор\w*|счёт|счет|акт\w*|отчёт\w*|отчет\w*|презентаци\w*|"
    r"расчёт\w*|расчет\w*|макет\w*|график\w*|спецификаци\w*|допсоглашени\w*|письм\w*)(?![\w-])",
    re.I,
)


def _deliverable_said(sentence: str) -> bool:
    """«Отчёт с выводами — до 04.12»: a short verbless sentence naming a thing by the deadline (not «в понедельник у
    меня с ними встреча», not «Крайний срок — завтра»)."""
    words = [t for t in tokenize(sentence) if t.is_word]
    if not words or len(words) > 8 or _NOT_DELIVERABLES.search(sentence):
        return False
    if any(_is_verbal(t) for t in words):
        return False
    return _substantive(" ".join(t.text for t in words))


def _read(text: str, body: str, *, needs: bool) -> list[Action]:
    actions: list[Action] = []
    previous = ""
    problem = ""
    previous_start, previous_end = 0, 0
    for start, end in _sentences(text):  # the original's sentences: a blanked date must not join two of them
        found = _sentence_actions(
            body,
            start,
            end,
            previous,
            first=needs and not actions,
            problem=problem,
            previous_span=(previous_start, previous_end),
        )
        if not found and (state := _BARE_WISH.search(body, start, end)):
            found = [a for a in (_wished_state(text, body, state, problem, start),) if a is not None]
        actions += found
        if found:
            previous, problem = "", ""
        else:  # «Прошу закрывающие … Без них клиент не платит. Отправь через ЭДО»: the thing carries over
            phrase = _noun_phrase_of(body, start, end)
            # «КП для завода: зал на 120 чел. … Цена не выше 3 850 руб. Отправить им до пятницы»: a document named
            # first stays the thing to send; a condition on it said later does not replace it
            keeps = bool(previous) and bool(_DOCUMENT_FIRST.match(previous)) and not _DOCUMENT_FIRST.match(phrase or "")
            if phrase and not keeps:
                previous, previous_start, previous_end = phrase, start, end
            # «Выгрузка на Озон легла!!! С 6 утра остатки не обновляются. ЧИНИТЕ»: the first problem said is the one
            # to fix; what follows it is its effect
            problem = problem or _problem_of(body, start, end)
    return actions


# «Сегодня до 16:00 чтоб было оплачено», «к обеду чтоб работало»: a state wished with nothing said of what
_BARE_WISH = re.compile(
    r"(?<![\w-])(?:чтобы|чтоб)\s+(?:уже\s+|всё\s+|все\s+)?(?:было\s+|были\s+|был\s+|была\s+)?"
    r"(?P<state>[а-яё]+(?:но|ны|на|н|ло|ли|ла))(?=\s*(?:[,.!?]|$))",
    re.I,
)


def _wished_state(text: str, body: str, state: re.Match[str], problem: str, start: int) -> Action | None:
    """What the wished state is about, from what the request said was wrong: «Ирка не оплатила аванс 450 000 руб. …
    чтоб было оплачено» → «оплатить аванс 450 000 руб. …»; «касса №2 не принимает карты … чтоб работало» →
    «починить: касса №2 не принимает карты»."""
    word = state.group("state").lower()
    if word.startswith("работал"):
        return Action("починить", f"починить: {problem}", state.start(), state.end(), False) if problem else None
    parse = next((p for p in morph().parse(word) if p.tag.POS == "PRTS"), None)
    if parse is None:
        return None
    infinitive = str(parse.normal_form)
    stem = infinitive[: max(4, len(infinitive) - 4)]
    done_wrong = re.search(rf"(?<![\w-])не\s+{re.escape(stem)}\w*\s+", body[:start], re.I)
    if done_wrong is None:
        return None
    # what was not done, to the end of its sentence («аванс 450 000 руб. по счёту №1187 от 08.12 для …»)
    sentence_end = next((e for s, e in _sentences(text) if s <= done_wrong.start() < e), start)
    what = _strip_fillers(body[done_wrong.end() : sentence_end]).strip(" ,;.!")
    if not what:
        return None
    return Action(infinitive, _tidy(f"{infinitive} {what}"), done_wrong.start(), sentence_end, False)


def _sentences(text: str) -> list[tuple[int, int]]:
    """razdel's sentences («350–420 тыс. на руки» stays one), split again at line breaks."""
    from razdel import sentenize

    out: list[tuple[int, int]] = []
    for sentence in sentenize(text):
        pos = sentence.start
        # «ГДЕ номера? нужны сегодня»: a question mark ends a sentence whatever case follows it
        for part in _UNIT_THEN_SENTENCE.split(sentence.text):
            at = text.find(part, pos)
            if part.strip():
                previous = text[out[-1][0] : out[-1][1]] if out else ""
                if _ABBREVIATION_END.search(previous) and re.match(r"\s*(?:[\d(a-zа-яё]|[A-ZА-ЯЁ][\w-]*\d)", part):
                    out[-1] = (out[-1][0], at + len(part))  # «(арт. 4601234, 48 уп.)»: razdel cut after «арт.»
                else:
                    out.append((at, at + len(part)))
            pos = at + len(part)
    return out


# «ГДЕ номера? нужны сегодня»: a question mark ends a sentence whatever case follows it; so does a unit's dot before
# a capital («цена 2400 р. С понедельника …»), which razdel reads as an abbreviation inside one sentence.
_UNIT_THEN_SENTENCE = re.compile(
    # «…на стеллаже Б-4. в 1с висит 36 шт»: a lowercase writer's sentence still ends at its full stop
    r"(?:(?<=[а-яё]{4}\.)|(?<=[а-яёА-ЯЁa-zA-Z]-\d\.)|(?<=[а-яёА-ЯЁa-zA-Z]-\d\d\.))\s+(?=[а-яё])|"
    # «договор № 47/26-М. Они хотят …»: a code ending in a capital is no initial, the sentence ends there
    r"(?<=[\d/-][А-ЯЁA-Z]\.)\s+(?=[А-ЯЁ][а-яё])|"
    r"(?<=[?!])\s+|\n|(?:(?<=\sр\.)|(?<=\sруб\.)|(?<=\sшт\.)|(?<=\sтыс\.)|(?<=\sкоп\.)|(?<=\sкг\.))\s+(?=[А-ЯЁA-Z])"
)
_UNIT_END = re.compile(r"\d\s*(?:руб|тыс|млн|млрд|шт|уп|коп|ед)\.$", re.I)
_ABBREVIATION_END = re.compile(
    r"(?<![\w-])(?:арт|зав|уп|п|стр|кв|тел|д|г|т|руб|тыс|шт|см|им|ул|пр|рис|табл|доп|корп|прим|соотв|мес|ориент)\.$",
    re.I,
)


def _sentence_actions(
    text: str,
    start: int,
    end: int,
    previous: str = "",
    *,
    first: bool = True,
    problem: str = "",
    previous_span: tuple[int, int] = (0, 0),
) -> list[Action]:
    segments = _segments(text, start, end)
    if not segments:
        return []
    tokens = _words(text, start, end)
    question = bool(re.search(r"\?[!?]*\s*$", text[start:end]))
    verbs = _request_verbs(text, tokens, {_first_word_start(text, s) for s in segments}, question)
    verbs = [i for i in verbs if not _after_condition(text, segments, tokens[i])]
    verbs = [i for i in verbs if not _after_threat(text, start, tokens[i])]
    quoted = [(m.start(), m.end()) for m in re.finditer(r"«[^»]*»", text)]
    verbs = [i for i in verbs if not any(a < tokens[i].start < b for a, b in quoted)]  # «купить ламинат»: a title
    if not verbs:
        wish = _wish(text, start, end)  # «Надо, чтобы Гусева ответила на претензию» asks as plainly as a verb
        needed = _needed(text, start, end, previous) if first and wish is None else None
        return [a for a in (wish, needed) if a]
    out: list[Action] = []
    claimed_until = start
    for n, index in enumerate(verbs):
        verb = tokens[index]
        next_verb_at = tokens[verbs[n + 1]].start if n + 1 < len(verbs) else end
        # «Сделай акт и вместе с Петровичем разберите причину»: «вместе с Петровичем» belongs to the next verb.
        joint = (
            re.search(r"(?<![\w-])(?:и|а)\s+[^,;:—]*$", text[verb.stop : next_verb_at]) if n + 1 < len(verbs) else None
        )
        limit = verb.stop + joint.start() if joint else next_verb_at
        seg_index = next(i for i, s in enumerate(segments) if s.start <= verb.start < s.end + 1)
        seg = segments[seg_index]
        if n + 1 < len(verbs):
            # «Заблокируй учётку, диск сотри»: the words opening the next verb's segment are that verb's object.
            next_seg = next(s for s in segments if s.start <= next_verb_at < s.end + 1)
            if next_seg is not seg and joint is None:
                limit = min(limit, next_seg.start)
        # Forward: the verb's own segment, then segments that only add details, up to the next asking verb.
        stop = min(seg.end, limit)
        after_colon = False
        for follower in segments[seg_index + 1 :]:
            if follower.start >= limit:
                break
            lead = text[follower.start : follower.end].strip()
            after_colon = after_colon or follower.mark == ":"
            said_verb = _verb_text(verb.text)  # «скинь» → «прислать»: the slang verb tells as the plain one would
            what_is_said = (said_verb in _TELLING or _infinitive(verb.text) in _TELLING) and (
                re.match(r"(?:что|когда|где|как|какой|какая|какие|сколько|почему|кто)(?![\w-])", lead, re.I)
                or re.match(r"\S+\s+ли(?![\w-])", lead, re.I)  # «узнай, устроит ли их поставка …»
                # «скажи своим, чтобы нарядили ёлку»; after «проверь» a «чтобы» is the purpose, not the object
                or (said_verb in _SAYING and re.match(r"(?:чтобы|чтоб)(?![\w-])", lead, re.I))
            )
            if (_BOUNDARY_WORDS.match(lead) and not what_is_said) or _blame(lead):
                break
            own = _Segment(follower.start, min(follower.end, limit), follower.mark)
            # «Исправь на всех площадках — ВБ, Озон, Яндекс Маркет»: names after a dash spell out what was said
            spelled = follower.mark == "—" and _names_listed(lead)
            after_colon = after_colon or spelled
            if not after_colon and not what_is_said and (_has_statement(text, own) or follower.mark == "—"):
                break
            stop = min(follower.end, limit)
        rest = text[verb.stop : stop]
        # Backward: the object said before the verb («смету …, пересчитать»), unless a pronoun after it stands for
        # it («Паша в курсе, держи его в копии»).
        left = ""
        source: tuple[int, int] | None = None
        begin = verb.start
        lead_from = max(seg.start, claimed_until)
        lead_text = text[lead_from : verb.start]
        asked_of = re.search(r"(?<![\w-])(?:попроси|попросите|поручи|поручите)(?![\w-])", lead_text, re.I)
        if asked_of:  # «Ирку из бухгалтерии попроси сделать …»: who is asked is the addressee, not the object
            lead_from += asked_of.end()
            lead_text = text[lead_from : verb.start]
        pronoun_object = re.match(r"\s*(?:его|её|ее|их|это)(?![\w-])", rest, re.I)
        if pronoun_object:
            pass
        elif not re.search(r"\w", _strip_fillers(_strip_request_words(lead_text))) and seg_index > 0 and n == 0:
            pieces: list[str] = []
            for back in reversed(segments[:seg_index]):
                if back.start < claimed_until:
                    break
                piece = text[back.start : back.end]
                if _has_statement(text, back) or _blame(piece) or _BOUNDARY_WORDS.match(piece.strip()):
                    break
                if _is_request_segment(piece) or _predicative(piece):
                    break
                pieces.insert(0, piece.strip())
                begin = back.start
            left = ", ".join(p for p in pieces if p)
        elif re.search(r"\w", _strip_fillers(_strip_request_words(lead_text))):
            left = _strip_request_words(_CONNECTORS.sub("", lead_text))  # «Пересчёт скинь мне»
            begin = lead_from
        rest = _strip_request_words(_CONNECTORS.sub("", _trim_connector_tail(rest)))
        infinitive = _verb_text(verb.text)
        object_text = _to_accusative(_strip_fillers(left)) if left else ""
        # «Отправить клиенту сегодня до 16:00» after «КП для ИП Ахметов …»: to whom and when, the thing said before
        to_whom = _RECIPIENT.match(_strip_fillers(rest)) if not object_text else None
        after_whom = _strip_fillers(rest)[to_whom.end() :] if to_whom else _strip_fillers(rest)
        bare = not object_text and _only_when(after_whom) and not _whole_alone(infinitive)
        dative = re.match(r"\s*(им|ему|ей|мне|нам)(?![\w-])", rest, re.I)
        if dative and object_text:  # «подтверждение … отправьте им» → «отправить им подтверждение …»
            object_text, rest = f"{dative.group(1)} {object_text}", rest[dative.end() :]
        fix_alone = infinitive in _FIX_VERBS and not object_text and _only_when(after_whom)
        wants_object = (
            not object_text
            and _transitive(verb.text)
            and _starts_with_preposition(_strip_fillers(rest))
            and not _object_after_preposition(_strip_fillers(rest))
        )
        if previous and _GREETING.match(previous):
            previous = ""  # «Ирина, доброе утро.»: a greeting is nobody's object
        pointed = _pointed_at(text, verb.start) if wants_object and not out else ""
        if pointed:  # «кто придумал этот баннер «…»??? … Снять с сайта»: the thing pointed at is the object
            object_text = pointed
        elif wants_object and not out and previous:  # «Отправь через ЭДО»: what to send was said before
            object_text, source = _to_accusative(previous), previous_span
        elif bare and not out and previous:
            object_text = _to_accusative(previous)  # «Аванс 30% … — 1 240 000 руб. Провести до пятницы.»
            if to_whom:
                object_text = f"{to_whom.group(1)} {object_text}"
            bare = False
            rest = ""  # what was left after the verb was only a time
            source = previous_span  # that sentence is the action's object now, not a detail beside it
        elif (bare or fix_alone) and not out and problem:
            # «Разберись сегодня»: what to sort out is the problem said before
            fixing = infinitive in _FIX_VERBS  # «исправить»: what is wrong is the object, not only the thing
            subject = _subject_before_verb(problem) if _transitive(verb.text) and not fixing else ""
            # «Счёт №1187 висит неоплаченный. Оплатите сегодня.» → «оплатить счёт №1187»
            object_text = _to_accusative(subject) if subject else f"\x00{lower_first(problem)}"
            if subject:
                rest = ""  # what was left after the verb was only a time («сегодня, не завтра»)
            bare = False  # «В 412-м течёт кондиционер. Почините сегодня.» → «починить: в 412-м течёт кондиционер»
        said_after = _strip_fillers(rest)
        after_comma = bool(
            re.match(r"\s*,", said_after)
        )  # «начислите, сумма …»: an object said apart, in the nominative
        if not object_text:  # «Подтвердите, пожалуйста, до 12:00»: no comma right after the verb
            said_after = re.sub(r"^[\s,;]+", "", said_after)
            if _CLAUSE_OBJECT.match(said_after):  # but «узнать, устроит ли …», «сказать, что …» keep theirs
                said_after = f", {said_after}"
        if not object_text and after_comma and _transitive(verb.text) and re.match(r"[\s,]*[а-яё]", said_after):
            # «Начислите до завтра, сумма по ведомости 386 500» → «начислить сумму по ведомости 386 500»
            moved = inflect_head(said_after.lstrip(" ,"), "accs", "nomn", strict=True)
            if moved != said_after.lstrip(" ,"):
                said_after = moved
        if object_text.startswith("\x00"):  # the problem goes last, after a colon: «починить к утру: дашборд …»
            said = " ".join(p for p in (infinitive, said_after.strip(" ,;.")) if p.strip())
            action_text = _tidy(f"{said}: {object_text[1:]}")
        else:
            action_text = _tidy(" ".join(p for p in (infinitive, object_text, said_after) if p.strip()))
        # «…, пусть Кирюха поможет»: a capital inside the sentence marks a name; «Черновик пусть покажет» opens it
        first_word = re.search(r"\w+", left)
        at = text.find(first_word.group(0), begin) if first_word else begin
        capital_is_name = bool(re.search(r"\w", text[start : max(at, start)]))
        arranged = _someone_else(left, verb.text, said_after, capital_is_name=capital_is_name)
        if arranged is not None:  # «пусть поставщик привезёт во вторник» → «договориться, чтобы поставщик привёз …»
            action_text, infinitive = arranged, "договориться"
        out.append(Action(infinitive, action_text, begin, stop, bare, source))
        claimed_until = stop
    return out


_POINTED = re.compile(r"(?<![\w-])(?:этот|эту|эти)\s+([а-яё]+)(\s+«[^«»]{1,60}»)?", re.I)


def _pointed_at(text: str, before: int) -> str:
    """«этот баннер «-30% на всё ТО»» said before a verb that lacks its object: the thing, in the accusative."""
    for m in reversed(list(_POINTED.finditer(text, 0, before))):
        parses = morph().parse(m.group(1).lower())
        if parses and parses[0].tag.POS == "NOUN" and parses[0].tag.animacy != "anim":
            return _to_accusative(m.group(0))
    return ""


def _names_listed(lead: str) -> bool:
    """«ВБ», «Яндекс Маркет», «R17 и R18»: a short run of names or codes, no verb of its own."""
    words = lead.split()
    return 0 < len(words) <= 4 and all(w[:1].isupper() or w[:1].isdigit() or w in ("и", "или") for w in words)


def _after_threat(text: str, sentence_start: int, verb: Token) -> bool:
    """«…, иначе пусть сама объясняется с директором и разницу платит», «Не закажет до вечера — иду к директору, пусть
    он с ним разговаривает»: what follows a threat is its consequence, not the task."""

    return tone.is_threat(text[sentence_start : verb.start])


def _after_condition(text: str, segments: list[_Segment], verb: Token) -> bool:
    """«если не выйдет — выезжай», «если сроки нереальны, дайте знать»: a contingency, not the task."""
    before = [s for s in segments if s.end <= verb.start]
    return bool(before) and bool(
        re.match(r"\s*(?:а\s+|и\s+)?если(?![\w-])", text[before[-1].start : before[-1].end], re.I)
    )


# Verbs whose object may be a clause: what to say or what to find out.
_TELLING = frozenset(
    {"сказать", "сообщить", "передать", "предупредить", "написать", "объяснить", "уточнить", "узнать", "выяснить",
     "спросить", "проверить", "посмотреть", "решить", "определить", "прислать", "отправить"}
)  # fmt: skip
_SAYING = frozenset({"сказать", "передать", "написать", "попросить", "предупредить", "объяснить"})
_NEEDED = re.compile(r"(?<![\w-])(?:нужн[аоы]?|нужен|требуются|требуется|прошу)(?![\w-])", re.I)


_WISH = re.compile(r"^\s*(?:(?:надо|нужно)\s*,?\s*)?(.*?)\s*(?<![\w-])(?:чтобы|чтоб)\s+(.+?)\s*[.!]*\s*$", re.I | re.S)


_GREETING = re.compile(
    r"^\W*(?:доброе утро|добрый день|добрый вечер|привет\w*|здравствуй\w*|доброго времени суток|салют)\W*$", re.I
)


def _object_after_preposition(rest: str) -> bool:
    """«у них досье, сертификаты GMP»: after the first prepositional phrase the verb's own object follows."""
    words = [t for t in tokenize(rest) if t.is_word]
    if len(words) < 3:
        return False
    for token in words[2:5]:
        parses = morph().parse(token.text.lower())[:2]
        if any(p.tag.POS == "NOUN" and ("accs" in p.tag or "nomn" in p.tag) for p in parses):
            return True
        if any(p.tag.POS == "PREP" for p in parses):
            return False
    return False


def _past_as_infinitive(piece: str) -> str:
    """«составил акт осмотра и отписался мне» → «составить акт осмотра и отписаться мне»."""
    return re.sub(
        r"(?<![\w-])[а-яё]+(?:л|ла|ли|лся|лась|лись)(?![\w-])",
        lambda w: _infinitive(w.group(0)) if "past" in morph().parse(w.group(0))[0].tag else w.group(0),
        piece,
    )


def _wish(text: str, start: int, end: int) -> Action | None:
    """«Чтобы в пятницу до 16:00 механик был на площадке» → «обеспечить, чтобы механик был на площадке»."""
    segments = _segments(text, start, end)
    if not segments:
        return None
    # Only a sentence that opens with the wish («Чтобы …», «Надо, чтобы …»): «…, чтобы лиды падали» is a purpose.
    first = segments[0]
    if re.fullmatch(r"\s*(?:надо|нужно)\s*", text[first.start : first.end], re.I) and len(segments) > 1:
        first = segments[1]
    m = _WISH.match(text[first.start : first.end])
    if not m or (m.group(1).strip() and any(_is_verbal(t) for t in tokenize(m.group(1)))):
        return None  # «проверь, чтобы не было как в октябре»: a purpose of another verb, not a wish
    said_first = m.group(1).strip()
    clause = f"{said_first} {m.group(2)}".strip()  # «Все 6 штук чтобы были на испытаниях»
    if not re.search(r"(?<![\w-])(?:был|была|были|было|стоял\w*|работал\w*)(?![\w-])", clause, re.I):
        # «Надо, чтобы Зайцев проверил генератор»: the past-tense verb is the action, its subject the assignee
        said = _words(m.group(2), 0, len(m.group(2)))
        verb = next((t for t in said if _is_finite(t) and "past" in morph().parse(t.text.lower())[0].tag), None)
        if verb is None:
            return None
        infinitive = _infinitive(verb.text)
        steps = [f"{infinitive} {_past_as_infinitive(_strip_fillers(m.group(2)[verb.stop :]))}".strip()]
        end_at = first.end
        for later in segments[segments.index(first) + 1 :]:  # «чтоб выехал, составил акт и отписался мне»
            piece = text[later.start : later.end].strip()
            head = re.sub(r"^(?:и|а также)\s+", "", piece, flags=re.I).split(" ", 1)[0]
            if later.mark != "," or not head or "past" not in morph().parse(head.lower())[0].tag:
                break
            steps.append(_past_as_infinitive(_strip_fillers(piece)))
            end_at = later.end
        body_start = first.start + m.start(2)
        return Action(infinitive, _tidy(", ".join(steps)), body_start + verb.start, end_at, False)
    wished = lower_first(_strip_fillers(clause).strip())
    if not any((t.is_word and t.pos == "NOUN") or re.search(r"[A-Za-z]{2}", t.text) for t in tokenize(wished)):
        return None  # «чтоб была»: nothing to say what
    return Action("обеспечить", _tidy(f"обеспечить, чтобы {wished}"), first.start, first.end, False)


# Goods counted in units are provided, not prepared («3,5 тонны листа нужны в цеху»).
_QUANTITY = re.compile(
    r"^\d|\d\s*(?:т|тонн\w*|шт|штук\w*|кг|м|м2|м3|м²|м³|куб\w*|паллет\w*|л|литр\w*|ящик\w*|коробок|упаковок)(?![\w-])",
    re.I,
)


_ACTION_NOUN = re.compile(r"(?:ка|ция|ние|аж|ёж|еж)$", re.I)


def _verb_for(phrase: str) -> str:
    """The verb a thing needed takes: goods counted in units are provided, an action named by a noun
    («служебная проверка», «доставка», «инвентаризация») is organised, a document is prepared."""
    if _QUANTITY.search(phrase):
        return "обеспечить"
    head = next((t for t in tokenize(phrase) if t.is_word and t.pos == "NOUN"), None)
    if head is not None and head.lemma in _WORK_NOUNS:
        return "провести"  # «нужен повторный отбор кернов» → «провести повторный отбор кернов»
    if head is not None and _ACTION_NOUN.search(head.lemma) and head.lemma not in _DOCUMENT_NOUNS | _WRITTEN_NOUNS:
        return "организовать"
    return "подготовить"


def names_an_action(phrase: str) -> bool:
    """«инвентаризация ячеек», «аудит сайта», «сверка остатков»: the head noun names work to be done."""
    head = next((t for t in tokenize(phrase) if t.is_word and t.pos == "NOUN"), None)
    return (
        head is not None
        and (bool(_ACTION_NOUN.search(head.lemma)) or head.lemma in _WORK_NOUNS)
        and (head.lemma not in _DOCUMENT_NOUNS)
    )


_WORK_NOUNS = frozenset(
    {"аудит", "ремонт", "анализ", "расчёт", "расчет", "пересчёт", "пересчет", "обзор", "монтаж", "демонтаж", "отбор",
     "осмотр", "замер", "обход", "выезд", "обзвон", "прозвон", "перерасчёт", "перерасчет", "тест", "инструктаж"}
)  # fmt: skip
_DOCUMENT_NOUNS = frozenset(
    {"техкарта", "справка", "выписка", "накладная", "заявка", "сводка", "распечатка", "редакция", "презентация",
     "документация", "спецификация", "калькуляция", "публикация", "расшифровка"}
)  # fmt: skip
# Papers named by an «-ние» noun: written, not organised («нужно заключение» → «подготовить заключение»).
_WRITTEN_NOUNS = frozenset({"заключение", "пояснение", "объяснение", "обоснование", "предложение"})


def as_action(phrase: str) -> str:
    """A noun phrase named as the task, said as an action with the verb it takes: «инвентаризация ячеек» →
    «провести инвентаризацию ячеек», «график отпусков» → «подготовить график отпусков»."""
    # «заключение по ООО «Исеть» до сих пор не готово»: what is not ready is the thing to prepare
    phrase = re.sub(r"\s+(?:(?:до сих пор|ещё|еще|пока|так и)\s+)?не\s+(?:готов\w*|сделан\w*)\s*$", "", phrase)
    first, _, rest = phrase.partition(" ")
    imperative = next((p for p in morph().parse(first.lower()) if p.tag.POS == "VERB" and "impr" in p.tag), None)
    if imperative is not None and rest:
        return f"{imperative.normal_form} {rest}"  # «Настрой ежедневный бэкап»: the verb «настроить», not «настрой»
    parts = re.split(r"\s+и\s+(?=[а-яёА-ЯЁ])", phrase, maxsplit=1)
    if len(parts) == 2 and _opens_noun_phrase(parts[1]):  # «аудит сайта и план восстановления»: a verb for each
        first, second = as_action(parts[0]), as_action(parts[1])
        verb, _, rest = second.partition(" ")
        return f"{first} и {rest}" if first.startswith(verb + " ") else f"{first} и {second}"
    verb = _verb_for(phrase)
    if verb == "организовать" or names_an_action(phrase):
        verb = "провести"
    head = next((t for t in tokenize(phrase) if t.is_word and t.pos == "NOUN"), None)
    if head is not None and head.lemma in _PAPERS:
        verb = "подготовить"  # «заключение на 45 млн» is a paper to write, not a deed to carry out
    return f"{verb} {_to_accusative(phrase)}"


# Nouns in «-ение/-ание» that name a paper, not an action
_PAPERS = frozenset(
    {"заключение", "предложение", "уведомление", "соглашение", "распоряжение", "обоснование", "задание"}
)


def _opens_noun_phrase(text: str) -> bool:
    word = next((t for t in tokenize(text) if t.is_word), None)
    return word is not None and any(
        p.tag.POS in ("NOUN", "ADJF") and "nomn" in p.tag for p in morph().parse(word.text.lower())[:2]
    )


def _adjective_as_noun(phrase: str) -> str:
    """«объяснительная от водителя»: a substantivised feminine adjective takes the accusative as a noun would."""
    words = phrase.split(" ", 1)
    parse = next((p for p in morph().parse(words[0].lower()) if p.tag.POS == "ADJF" and "nomn" in p.tag), None)
    if parse is None or "femn" not in parse.tag or "sing" not in parse.tag:
        return phrase
    nouns_after = [t for t in tokenize(words[1] if len(words) > 1 else "") if t.is_word][:1]
    if nouns_after and nouns_after[0].pos == "NOUN" and "nomn" in str(morph().parse(nouns_after[0].text)[0].tag):
        return phrase  # «новая редакция»: an adjective of a noun, which inflect_head moves
    found = parse.inflect({"accs"})
    return " ".join([found.word, *words[1:]]) if found else phrase


def _drop_address(text: str) -> str:
    """«Тёма, металл на корпуса …»: a name the directory did not know still opens the request as an address."""
    m = re.match(r"^\s*([А-ЯЁ][а-яё]+)\s*,\s*", text)
    if not m:
        return text
    parse = morph().parse(m.group(1).lower())[0]
    is_name = "Name" in parse.tag or "Surn" in parse.tag or "Patr" in parse.tag or not morph().word_is_known(m.group(1))
    return text[m.end() :] if is_name else text


_GENERIC_NOUNS = frozenset({"результат", "ответ", "решение", "информация", "это", "срок", "всё", "все", "инфа"})


def _substantive(action_text: str) -> bool:
    """«подготовить результат» says nothing: some noun must name a thing."""
    nouns = [t.lemma for t in tokenize(action_text) if t.is_word and t.pos == "NOUN"]
    return any(n not in _GENERIC_NOUNS for n in nouns)


def _starts_with_preposition(phrase: str) -> bool:
    words = [t for t in tokenize(phrase) if t.is_word]
    return bool(words) and words[0].pos == "PREP"


def _needed(text: str, start: int, end: int, previous: str) -> Action | None:
    """«Протоколы … нужны до среды» → «подготовить протоколы …»; «Нужен к вторнику» after «Где ППР …?» takes the
    thing asked about. A sentence with another verb of its own («нужен ответ, клиент ждёт») is left to the clauses."""
    m = _NEEDED.search(text, start, end)
    if not m or re.search(r"\?[!?]*\s*$", text[start:end]):
        return None
    segments = _segments(text, start, end)
    segment = next((s for s in segments if s.start <= m.start() < s.end), None)
    if segment is None:
        return None
    segment = _with_question(text, segments, _with_list(text, segments, _with_relative(text, segments, segment)))
    said_before = re.sub(r"\s+", " ", _strip_fillers(text[segment.start : m.start()])).strip(" ,;:—–-")
    said_after = re.sub(r"\s+", " ", _strip_fillers(text[m.end() : segment.end])).strip(" ,;:—–-.")
    said_after = re.sub(r"^(?:ваш[аеи]?|тво[йяеи])\s+", "", said_after, flags=re.I)  # «нужно ваше заключение»
    if m.group(0).lower() == "прошу":  # «Третью неделю прошу график работ»: what is asked follows the verb
        said_before = ""
    elif not said_before or _starts_with_preposition(said_after):
        # «металл на корпуса — лист 09Г2С … — нужен в цеху»: the thing is said earlier in the sentence
        earlier = _drop_address(re.sub(r"\s[—–-]\s", ", ", text[start : m.start()]))
        said_before = re.sub(r"\s+", " ", _strip_fillers(earlier)).strip(" ,;:—–-")
        if _starts_with_preposition(said_after):
            said_before, said_after = f"{said_before} {said_after}".strip(), ""
    said_before = lower_first(said_before)
    if said_before.lower() in ("мне", "нам"):
        said_before = ""  # «Мне нужна объяснительная»: the requester is who asks, not a part of the thing
    if re.search(r"\w", said_after):  # «для клиента нужна техкарта» → «техкарту … для клиента»
        said = f"{said_after} {said_before}".strip()
        phrase = _to_accusative(said_after) + (f" {said_before}" if said_before else "")
    else:
        said = phrase = said_before or previous
    # the words as said: «учётку», made from an unknown «учётка», is no verb
    if not phrase or any(_is_finite(t) for t in tokenize(_RELATIVE_CLAUSE.sub(" ", said))):
        return None
    asked_where = not re.search(r"\w", said_after) and not said_before and bool(previous)
    verb = "прислать" if asked_where else _verb_for(phrase)
    phrase = lower_first(_to_accusative(phrase))
    return Action(verb, _tidy(f"{verb} {phrase}"), segment.start, segment.end, False)


_RELATIVE_START = re.compile(r"\s*(?:который|которая|которое|которые|которого|которой|которому|которым)(?![\w-])", re.I)
# «от мастера, который делал (ЗН-10533), и фото диска»: the relative clause, up to the next comma
_RELATIVE_CLAUSE = re.compile(r",\s*(?:котор\w+)[^,]*(?:,|$)", re.I)


def _with_relative(text: str, segments: list[_Segment], segment: _Segment) -> _Segment:
    """«нужна объяснительная от мастера, который делал (ЗН-10533), и фото диска»: a relative clause belongs to the
    noun before it, and «и …» after it goes on with the same list."""
    index = segments.index(segment)
    end = segment.end
    if index + 1 < len(segments) and _RELATIVE_START.match(text[segments[index + 1].start : segments[index + 1].end]):
        end = segments[index + 1].end
        if index + 2 < len(segments):
            after = segments[index + 2]
            piece = text[after.start : after.end]
            if re.match(r"\s*и\s", piece) and not _has_statement(text, after):
                end = after.end
    return _Segment(segment.start, end, segment.mark)


def _with_question(text: str, segments: list[_Segment], segment: _Segment) -> _Segment:
    """«нужно ваше заключение, можно ли на это соглашаться»: the question the thing answers belongs to it."""
    follower = next((f for f in segments if f.start >= segment.end), None)
    if follower is not None and re.match(r"\s*(?:[а-яё]+\s+)?ли(?![\w-])", text[follower.start : follower.end], re.I):
        return _Segment(segment.start, follower.end, segment.mark)
    return segment


def _with_list(text: str, segments: list[_Segment], segment: _Segment) -> _Segment:
    """«нужна учётка в 1С (роль приёмщика), почта и доступ к онлайн-записи»: the things listed after the need are
    needed too, up to a clause with a verb of its own or a reason."""
    end = segment.end
    for follower in segments:
        if follower.start < segment.end:
            continue
        piece = text[follower.start : follower.end].strip()
        if follower.mark != "," or not piece or len(piece.split()) > 6 or _BOUNDARY_WORDS.match(piece):
            break
        if not re.search(r"(?:^|\s)и\s", piece):
            break  # «, 6 шт», «, пилотная секция»: a detail of the thing, not another thing needed
        if _has_statement(text, follower) or any(is_request_word(t) for t in tokenize(piece) if t.is_word):
            break
        end = follower.end
    return _Segment(segment.start, end, segment.mark)


def _coordinated(tokens: list[Token], words: list[int], n: int, found: list[int]) -> bool:
    """«проверить и поставить точку доступа»: an infinitive joined by «и» to a requested verb is requested too."""
    if n < 2 or tokens[words[n - 1]].text.lower() not in ("и", "а также", "также"):
        return False
    return words[n - 2] in found


# «Где рассадка?», «платёжный календарь на следующую неделю где??»
_WHERE = re.compile(r"^(?:ну\s+)?(?:и\s+)?где\s+(?:же\s+)?(.+?)[?!.]*$|^(?!.*\s(?:и|а)\s)(.+?)\s+где\s*[?!.]*$", re.I)
# «ООО «Меридиан-Тур» просит акт сверки …»: what a third party asks for is what the next verb takes.
_ASKS_FOR = re.compile(r"(?<![\w-])(?:прошу|просит|просят|запросил\w*|ждёт|ждет|ждут|хочет|хотят)(?![\w-])", re.I)


def _noun_phrase_of(text: str, start: int, end: int) -> str:
    """A sentence said without a verb («Где ППР на демонтаж …?», «Субподрядчику аванс 30% …», «гостю нужен
    поздний выезд …») as a phrase the next sentence's bare verb can take; empty when it has a verb or a reproach
    of its own."""
    sentence = text[start:end].strip()
    if _blame(sentence):
        return ""
    where = _WHERE.match(sentence)
    if where:
        return _strip_fillers(where.group(1) or where.group(2)).strip()
    if sentence.endswith("?"):
        return ""
    segments = _segments(text, start, end)
    first = text[segments[0].start : segments[0].end] if segments else sentence
    asks = _ASKS_FOR.search(first)
    whole = text[segments[0].start if segments else start : end]
    if asks and not any(_is_verbal(t) for t in tokenize(whole[asks.end() :])):
        # the whole rest of the sentence: «прошу закрывающие по X — акт и счёт-фактуру за ноябрь на 1 248 600 руб.»
        wanted = re.sub(r"\s[—–-]\s", ": ", _strip_fillers(whole[asks.end() :])).strip(" .!")
        who = re.sub(r"\s+", " ", _strip_fillers(first[: asks.start()])).strip(" ,;:—–-")
        if who and asks.group(0).lower() != "прошу":  # who asks stays with it: «(ЦБ запросил)»
            return f"{wanted} ({who} {asks.group(0)})"
        return wanted
    if any(_is_verbal(t) for t in tokenize(sentence)):
        return ""
    words = [t for t in tokenize(first) if t.is_word]
    if len(words) < 2 or not any(t.pos == "NOUN" and "Name" not in morph().parse(t.text.lower())[0].tag for t in words):
        return ""  # «Геныч»: an address, not a thing
    needed = _needed(text, segments[0].start, segments[0].end, "") if segments else None
    if needed is not None:
        return needed.text.split(" ", 1)[1]
    # «Интеграция с 1С для СтройМаркета, выгрузка остатков каждые 15 минут.»: every verbless clause is the thing
    leading, _ = _leading_noun_phrase(text, start, end)
    return leading.strip(" .!") or _strip_fillers(first).strip(" .!")


_FIX_VERBS = frozenset(
    {"исправить", "починить", "наладить", "устранить", "поправить", "отремонтировать", "разобраться", "решить"}
)


def _opens_with_people(clause: str) -> bool:
    first = next((t for t in tokenize(clause) if t.is_word), None)
    if first is None:
        return False
    parse = morph().parse(first.text.lower())[0]
    return parse.tag.POS == "NOUN" and parse.tag.animacy == "anim" and not {"Name", "Surn"} & set(parse.tag.grammemes)


def _subject_before_verb(clause: str) -> str:
    """«счёт от «Гофросырья» №1187 лежит без движения» → «счёт от «Гофросырья» №1187»: the thing the problem is
    about, when the clause opens with it (a noun in the nominative, then its verb)."""
    tokens = tokenize(clause)
    words = [t for t in tokens if t.is_word]
    if not words or not any(
        p.tag.POS == "NOUN" and p.tag.case == "nomn" for p in morph().parse(words[0].text.lower())[:2]
    ):
        return ""
    verb = next((t for t in words[1:] if _is_finite(t)), None)
    if verb is None:
        return ""
    subject = re.sub(r"\s+не$", "", clause[: verb.start].strip(" ,;:—–-"))
    return subject if len(subject.split()) >= 2 else ""


def _problem_of(text: str, start: int, end: int) -> str:
    """The first clause of a sentence that states a problem («в 412-м опять кондей течёт»), cleaned: what a bare
    «почините» in the next sentence is about."""
    segments = _segments(text, start, end)
    if not segments or re.search(r"\?[!?]*\s*$", text[start:end]):
        return ""
    stated = [
        text[seg.start : seg.end]
        for seg in segments
        if any(_is_finite(t) for t in tokenize(text[seg.start : seg.end])) and not _blame(text[seg.start : seg.end])
    ]
    # «Люди звонят, орут»: people reacting are the consequence; the problem is said of a thing
    stated = [
        c
        for c in stated
        if not _opens_with_people(c)
        and any(t.is_word and t.pos == "NOUN" for t in tokenize(c))
        and len(c.split()) >= 2
        and not re.match(r"\W*(?:вы|ты)(?![\w-])", c, re.I)  # «вы не указали пробег»: a reproach, not the problem
    ]
    if not stated:
        return ""
    clause = _CONNECTORS.sub("", stated[0])

    cleaned = re.sub(r"\s+", " ", _strip_fillers(tone.remove_weak(tone.neutralize_words(clause)))).strip(" ,;:—–-")
    return "" if tone.is_strong(cleaned) else cleaned


_WHEN_WORDS = re.compile(
    r"(?<![\w-])(?:до|к|в|на|по|с|после|не|а|прямо|сейчас|срочно|немедленно|сразу|же|сегодня|завтра|послезавтра|утра|"
    r"утром|утру|вечера|вечером|вечеру|обеда|обеду|дня|"
    r"конца|концу|недели|начала|началу|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|"
    r"ноября|декабря|"
    r"числа|часов|понедельник\w*|вторник\w*|сред\w*|четверг\w*|пятниц\w*|суббот\w*|воскресень\w*|"
    r"\d{1,2}(?::\d{2})?(?:-?го)?|\d{1,2}\.\d{1,2}(?:\.\d{2,4})?)(?![\w-])",
    re.I,
)


def _only_when(rest: str) -> bool:
    """Nothing but a time is left after the verb («подтвердите до 12:00»): its object is another action's."""
    return not re.search(r"\w", _WHEN_WORDS.sub(" ", rest))


def _predicative(piece: str) -> bool:
    """«Штрафы там зверские»: a noun and then the adjective said of it is a statement, not an object."""
    words = [t for t in tokenize(piece) if t.is_word]
    if len(words) < 2 or words[-1].pos not in ("ADJF", "ADJS", "PRTS") or not words[-1].text.islower():
        return False  # «ЖК «Северный»» is a name
    return any(w.pos == "NOUN" for w in words[:-1])


_CLAUSE_OBJECT = re.compile(
    r"(?:что|чтобы|чтоб|когда|где|как|какой|какая|какие|сколько|почему|кто)(?![\w-])|\S+\s+ли(?![\w-])", re.I
)


def _transitive(verb: str) -> bool:
    return "tran" in morph().parse(verb.lower())[0].tag


def _someone_else(left: str, verb: str, rest: str, *, capital_is_name: bool = True) -> str | None:
    """A verb in the third person whose subject is a person named before it: the assignee arranges it."""
    if "3per" not in morph().parse(verb.lower())[0].tag:
        return None
    for token in tokenize(left):
        if not token.is_word:
            continue
        parses = morph().parse(token.text.lower())
        # «Марина» is a seascape to the dictionary before it is a name: a name's parse counts wherever it stands
        parse = next((p for p in parses[:4] if "Name" in p.tag and p.tag.case == "nomn"), parses[0])
        # «Кирюха»: a nickname the dictionary takes for a thing, but said with a capital it is a person
        nickname = capital_is_name and token.text[:1].isupper() and parse.tag.POS == "NOUN" and parse.tag.case == "nomn"
        if nickname and parse.tag.animacy != "anim":
            # its gender is unknown, so no past tense to agree: «попросить Кирюху помочь»
            whom = inflect_head(_strip_fillers(left).strip(), "accs", "nomn")
            return _tidy(f"попросить {whom} {_infinitive(verb)} {rest}")
        if parse.tag.POS == "NOUN" and parse.tag.case == "nomn" and parse.tag.animacy == "anim":
            wanted = {"past", str(parse.tag.number or "sing")}
            if parse.tag.number != "plur" and parse.tag.gender:
                wanted.add(str(parse.tag.gender))
            past = morph().parse(verb.lower())[0].inflect(wanted)
            if past is None:
                return None
            said = _tidy(f"{_strip_fillers(left)} {past.word} {rest}")
            return f"договориться, чтобы {lower_first(said)}"
    return None


def _blame(piece: str) -> bool:

    return cleaning.is_blame(piece)


def _is_request_segment(piece: str) -> bool:
    words = [t for t in tokenize(piece) if t.is_word]
    return any(w.text.lower() in _REQUEST_WORDS or _is_imperative(w) for w in words)


def _strip_request_words(piece: str) -> str:
    piece = re.sub(r"^\s*(?:так что|а то|поэтому|потому|и|а)(?![\w-])", " ", piece, flags=re.I)
    return re.sub(
        r"(?<![\w-])(?:прошу|просим|просьба|нужно|надо|необходимо|пусть|можно)(?![\w-])", " ", piece, flags=re.I
    )


_RECIPIENT = re.compile(r"\s*(клиенту|заказчику|поставщику|партнёру|партнеру|им|ему|ей|мне|нам)(?![\w-])", re.I)


def _whole_alone(infinitive: str) -> bool:
    """«извиниться», «выехать», «перезвонить»: a verb that takes no object is a whole step by itself."""
    parses = [p for p in morph().parse(infinitive) if p.tag.POS == "INFN"]
    return bool(parses) and "intr" in parses[0].tag and infinitive.endswith(("ся", "сь"))


def _strip_fillers(piece: str) -> str:

    piece = cleaning.replace_phrases(piece)  # «хоть у кого» means something: the lexicon says it plainly first
    out, last = [], 0
    tokens = tokenize(piece)
    for n, token in enumerate(tokens):
        if token.text.lower() == "же" and n and tokens[n - 1].lemma in ("тот", "такой", "тут", "там", "туда"):
            continue  # «в той же секции»: the same one, not a filler
        if token.is_word and token.text.lower() in _FILLERS:
            out.append(piece[last : token.start])
            last = token.stop
    out.append(piece[last:])
    # «им, пожалуйста, ответ»: the commas around a dropped filler go with it
    return re.sub(r"[!?]{2,}|!+", " ", re.sub(r",\s*,", " ", "".join(out)))


def _trim_connector_tail(rest: str) -> str:
    """«… трек-номер, и заодно» before the next verb: the joining words go."""
    return re.sub(
        r"(?:[,;]?\s*(?<![\w-])(?:и|а|а также|и заодно|заодно|а потом|потом|затем)\s*)+$", "", rest.rstrip(" ,;—–-")
    )


def _verb_text(word: str) -> str:

    infinitive = _infinitive(word)
    replaced = cleaning.replace_phrases(word.lower())
    if replaced != word.lower():
        return replaced
    lexicon = cleaning.load()
    return lexicon.words.get(infinitive, infinitive)


def _to_accusative(phrase: str) -> str:
    """«Фланцы ФЛ-160, 240 шт» said as a subject becomes the verb's object; «смету» already is one."""
    from bot.services.tasks.clauses import lower_first

    phrase = phrase.strip(" ,;—–-")
    parts = re.split(r"\s+и\s+(?=[а-яёА-ЯЁ])", phrase, maxsplit=1)
    if len(parts) == 2 and _opens_noun_phrase(parts[1]):  # «объяснительная … и распечатка …»: each conjunct moves
        return f"{_to_accusative(parts[0])} и {lower_first(_to_accusative(parts[1]))}"
    compound = re.match(r"^([А-ЯЁа-яё]+)(-[а-яё]+)(?=\s|$)", phrase)
    if compound and all(morph().parse(w.lower())[0].tag.POS == "NOUN" for w in (compound[1], compound[2][1:])):
        # «машина-рефрижератор на 20 тонн»: the first noun of the pair is the one that takes the case
        moved = inflect_head(compound[1] + phrase[compound.end() :], "accs", "nomn")
        first = moved.split(" ", 1)
        return lower_first(" ".join([first[0] + compound[2], *first[1:]]))
    moved = inflect_head(phrase, "accs", "nomn")
    if moved == phrase and (slang := re.match(r"([а-яё]+к)а(?=\s|$)", phrase)) and not morph().word_is_known(slang[0]):
        moved = f"{slang[1]}у{phrase[slang.end() :]}"  # «учётка», «выгрузка» unknown to the dictionary: «учётку»
    return lower_first(moved if moved != phrase else _adjective_as_noun(phrase))


def polite_you(text: str) -> str:
    """«тебе всё покажет» → «Вам всё покажет»: the brief says «Вы» whatever the request said."""
    return re.sub(r"(?<![\w-])(" + "|".join(_YOU) + r")(?![\w-])", lambda m: _YOU[m.group(1).lower()], text, flags=re.I)


def _tidy(text: str) -> str:
    text = re.sub(r"(?:^|(?<=\s))\d\)\s+", " ", text)  # «1) подтверди …; 2) передай …»: the requester's numbering
    text = re.sub(r"\s+", " ", text)
    text = polite_you(text)

    text = tone.neutralize_words(text)
    text = re.sub(r"\s+([,.;:!?)»])", r"\1", text)
    text = re.sub(r"([(«])\s+", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = text.strip(" ,;:—–-")
    if not _UNIT_END.search(text):  # «на 250 000 руб.»: the dot of a unit stays
        text = text.rstrip(" .")
    # «организовать КП на продвижение на январь–март им» → «организовать им КП …»: to whom goes next to the verb
    return re.sub(r"^(\S+)\s+(.*\S)\s+(им|ему|ей)$", r"\1 \3 \2", text)
