"""A curt request, clause by clause: what is asked, what is a useful fact, and what is only irritation.

The request is cut at sentence ends, commas, colons and dashes, and before «а то / иначе / так что / но». Each
clause is rewritten into neutral words: «пусть подтвердят отгрузку» → «подтвердить отгрузку», «почему до сих пор
не отгружены направляющие» → «отгрузить направляющие», «ГДЕ номера машин?» → «прислать номера машин», «у клиента
опять нет закрывающих» → «закрывающие» (what is missing). Reproach, threats and sarcasm (bot.services.tasks.tone)
are dropped, with the clauses that hang on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from bot.nlp.text import PAST_NOT_IMPERATIVE, Token, morph, tokenize
from bot.services.tasks import cleaning, tone

REQUEST, STATEMENT, NOUN_PHRASE, MISSING, THANKS, DROP = "request", "statement", "np", "missing", "thanks", "drop"
VERB_ONLY = "verb_only"  # «сделайте до среды»: an action whose object is said in another clause

_AFTER_ABBREVIATION = "|".join(
    rf"(?<=\b{a})"
    for a in ("тыс", "руб", "млн", "млрд", "шт", "ул", "коп", "т", "г", "д", "арт", "зав", "уп", "п", "стр", "кв")
)
# Sentence ends, commas and colons (not inside «2,5» or «17:00»), dashes, and before a threat or a contrast.
_SPLIT = re.compile(
    # not after an abbreviation: «350 тыс. на руки», «1 240 000 руб. до пятницы», «(арт. 4601234, 48 уп.)» — unless a
    # capital opens the next sentence («… 412 300 руб. Кстати, …»)
    # …but «арт. KPB-150-SAT» goes on: a code with a figure after the abbreviation is what it names
    rf"(?:{_AFTER_ABBREVIATION})\.(?=\s+(?-i:[А-ЯЁA-Z])(?![\w-]*\d))|"
    r"(?<!тыс)(?<!руб)(?<!млн)(?<!млрд)(?<!шт)(?<!ул)(?<!коп)(?<!\bт)(?<!\bг)(?<!\bд)(?<!\bарт)(?<!\bзав)(?<!\bуп)"
    r"(?<!\bп)(?<!\bстр)(?<!\bкв)(?<!\bкорп)(?<!\bпом)(?<!\bоф)(?<!\bлит)(?<!\bмкр)(?<!\bэт)(?<!\bпр)"
    r"(?<!\bсм)(?<!\bпп)(?<!\bч)[.!?…]+(?=\s|$)|"
    r"(?<!\d)[,:](?!\d)|[,:](?=\s)|;|\s[—–-]\s|\s(?=(?:а то|иначе|так что|но)\s)",
    re.IGNORECASE,
)
_SELF_WORDS = re.compile(r"(?<![\w-])(?:пусть|прошу|мне|срочно)(?![\w-])", re.I)
_REQUEST_WORDS = re.compile(
    r"(?<![\w-])(?:пусть|прошу|просьба|нужн[оаы]?|нужен|надо|необходимо|требуется|мне|нам|срочно)(?![\w-])", re.I
)
# «к нам заходить», «у нас»: «нам» after a preposition is a place, not «(дайте) нам»
_PLACE_PRONOUN = re.compile(r"(?<![\w-])(?:к|ко|у|для|от|о|обо|при|по|с|со)\s+(?:мне|нам)(?![\w-])", re.I)


def _asks_in_words(text: str) -> bool:
    return bool(_REQUEST_WORDS.search(_PLACE_PRONOUN.sub(" ", text)))


_WHY_NOT = re.compile(r"^(?:а\s+)?почему\s+(?:(?:до сих пор|ещё|еще|опять|снова|так и)\s+)*не\s+(\S+)\s+(.+)$", re.I)
# «Сколько ещё ждать номер машины?»: the exasperation goes, the thing awaited is the request.
_HOW_LONG = re.compile(r"^(?:ну\s+)?(?:и\s+)?сколько\s+(?:ещё|еще|можно)\s+(?:ждать|ждём|ждем)\s+(.+)$", re.I)
_WHERE = re.compile(r"^(?:ну\s+)?(?:и\s+)?где\s+(?:же\s+)?(.+)$", re.I)
_WHEN = re.compile(r"^(?:ну\s+)?(?:и\s+)?когда\s+(?:(?:уже|же)\s+)*(?:(?:будет|будут)\s+)?(.+)$", re.I)
_WHAT_WITH = re.compile(r"^(?:а\s+)?(?:ну\s+)?что\s+(?:там\s+)?со?\s+(.+)$", re.I)
_NOT_HAVE = re.compile(
    r"^(?:а\s+)?(?:у\s+(.+?)\s+)?(?:(?:опять|снова|ещё|еще|до сих пор|так и|всё ещё)\s+)*нет\s+(.+)$", re.I
)
_THANKS = re.compile(r"^(?:и\s+)?(?:спасибо|благодарю|благодарим)\b", re.I)
_SUBORDINATE = re.compile(r"^(?:что|чтобы|чтоб|как|когда|где|который|которая|которые|потому)\b", re.I)
_PREPARED = re.compile(
    # «заключение до сих пор не готово» says what is missing, not what is ready
    r"(?<![\w-])(?<!не )(?<!ещё не )(?<!еще не )(?<!сих пор не )"
    r"(?:во вложении|в заявке|в карточке|в приложении (?:к|письма|файл)|приложен(?:о|ы|а|ный|ные)?|"
    r"заказан\w*|утвержд\w*|утвердил\w*|"
    r"согласовал\w*|согласован\w*|отправил\w*|прислал\w*|готов[аоы]?)(?![\w-])",
    re.I,
)
_EMPTY_NOUNS = frozenset({"раз", "момент", "дело", "вещь", "штука", "тот", "это", "всё", "все", "что-то", "половина"})
_PRONOUNS = frozenset({"он", "она", "они", "оно", "вы", "ты", "я", "мы"})
# «Вы там заявки читаете?»: a question to «вы» inside a request is a reproach, not a question.
_YOU = re.compile(r"(?<![\w-])(?:вы|ты)(?![\w-])", re.I)
_DATIVE_PRONOUN = re.compile(r"^(?:им|ему|ей)\s", re.I)
# Words that only join an action to the one before it («и заодно найди», «а ещё проверь»).
_CONNECTORS = re.compile(
    r"^\s*(?:(?:и|а|а также|также|тоже|заодно|ещё|еще|потом|затем|плюс|кроме того|и ещё|и еще)(?:\s+|$))+", re.I
)


@dataclass
class Clause:
    raw: str
    start: int
    end: int
    sep: str  # the separator before it: "." (a new sentence), "," ":" "—" or "conj"
    question: bool = False  # it ended with «?»
    text: str = ""
    kind: str = DROP
    verb: str | None = None  # the request's verb in the infinitive
    asked: bool = False  # «пусть», «нужно», an imperative: the requester wants this
    prepared: bool = False  # «пропуска заказаны», «список во вложении»
    priority: float = 0.0  # how likely this clause is the request itself (see task_extraction._pick_main)
    fact: str = ""  # the clause as a fact for the brief's details (keeps «нужны»)
    object: str = ""  # what a question asked about («где паллеты?» → «паллеты»): another verb may take it


def strip_connectors(text: str) -> str:
    """«и в кабинете пропала кнопка» → «в кабинете пропала кнопка»."""
    return _CONNECTORS.sub("", text)


def split(text: str) -> list[Clause]:
    clauses: list[Clause] = []
    pos, sep = 0, "."
    for m in _SPLIT.finditer(text):
        if text.count("(", 0, m.start()) > text.count(")", 0, m.start()):
            continue  # «(заказ 120 комплектов, счёт № 7781 оплачен 10.12)»: a bracket parts nothing inside it
        if text[pos : m.start()].strip():
            clauses.append(Clause(text[pos : m.start()], pos, m.start(), sep, "?" in m.group(0)))
        mark = m.group(0).strip()
        sep = "." if mark and mark[0] in ".!?…" else mark[:1] if mark else "conj"
        if sep not in (".", ",", ":", ";"):
            sep = "—" if mark in ("—", "–", "-") else "conj" if not mark else sep
        pos = m.end() if mark else m.start()
    if text[pos:].strip():
        clauses.append(Clause(text[pos:], pos, len(text), sep))
    return clauses


def analyse(clauses: list[Clause]) -> list[Clause]:
    """Classify every clause; a clause hanging on a dropped threat or reproach is dropped too, and so is the condition
    a threat is said on («Не будет к обеду — иду к директору»)."""
    dropping = False
    conditions = {
        id(clause)
        for clause, following in pairwise(clauses)
        if clause.sep == "." and following.sep == "—" and tone.is_threat(following.raw) and not _asks(clause.raw)
    }
    for clause in clauses:
        if id(clause) in conditions:
            clause.kind = DROP
            dropping = True
            continue
        if clause.sep in (".", ":"):
            dropping = False
        raw = clause.raw.strip()
        if m := _HOW_LONG.match(raw):
            raw = f"где {m.group(1)}"
        if cleaning.is_blame(raw) or cleaning.is_vocative(raw):
            clause.kind = DROP  # a jibe or a group's address goes alone: the next clause may be the fact itself
            continue
        strong = (
            (tone.is_strong(raw) and not tone.is_incident(raw)) or tone.starts_threat(raw) or tone.is_admonition(raw)
        )
        hangs_on = dropping and ((clause.sep in (",", "conj") and not _asks(raw)) or _SUBORDINATE.match(raw))
        if strong or hangs_on or (clause.question and _YOU.search(raw)):
            clause.kind = DROP
            dropping = True
            continue
        _rewrite(clause, raw)
    return clauses


def _asks(raw: str) -> bool:
    return _asks_in_words(raw) or any(_is_request_verb(t) for t in tokenize(raw) if t.is_word)


def _rewrite(clause: Clause, raw: str) -> None:
    text = lower_first(tone.neutralize_words(tone.fix_caps(raw)).strip().rstrip("?! "))
    verb: str | None = None
    priority = 3.0
    if m := _WHY_NOT.match(text):
        verb, text = _infinitive(m.group(1)), m.group(2)
        clause.object = text
    elif m := _WHERE.match(text):
        verb, text = "прислать", m.group(1)
        clause.object = text
    elif m := _WHAT_WITH.match(text):
        verb, text, priority = "сообщить, как идёт работа:", inflect_head(m.group(1), "nomn", "ablt", strict=True), 1.0
    elif (m := _NOT_HAVE.match(text)) and not _THANKS.match(text):
        owner = f" для {m.group(1)}" if m.group(1) and m.group(1).lower() not in ("них", "него", "нее", "неё") else ""
        clause.text = tone.remove_weak(inflect_head(m.group(2), "nomn", "gent", strict=True)) + owner
        clause.kind, clause.priority = MISSING, 1.0
        return
    elif m := _WHEN.match(text):
        text, clause.asked = m.group(1), True
    if _THANKS.match(text):
        clause.kind = THANKS
        clause.text = re.sub(r"(?<![\w-])(?:ей|ему|им|тебе)(?![\w-])", "Вам", tone.remove_weak(text))
        return
    clause.asked = clause.asked or _asks_in_words(text) or verb is not None
    # As a fact the clause keeps «нужны» («Ривьере двери нужны 10 декабря»); as the request it loses it.
    fact = tone.remove_weak(_SELF_WORDS.sub(" ", text))
    text = tone.remove_weak(_REQUEST_WORDS.sub(" ", text))
    if _DATIVE_PRONOUN.match(text):  # «им шоурум согласовывать»: what the client has to do, a fact
        clause.text, clause.kind = text, STATEMENT
        return
    text, found_verb, imperative = _front_verb(text, clause.asked)
    clause.asked = clause.asked or imperative
    verb = verb or found_verb
    clause.prepared = bool(_PREPARED.search(text)) and not clause.asked
    content = _has_content(text)
    if verb and clause.asked:
        clause.verb = verb
        clause.text = f"{verb} {text}".strip() if content else verb
        clause.kind, clause.priority = (REQUEST, priority) if content else (VERB_ONLY, 0.0)
    elif not content:
        clause.kind = DROP
    elif found_verb or clause.prepared:
        clause.text, clause.kind = text, STATEMENT
    else:
        clause.text, clause.kind = inflect_head(text, "nomn", "accs"), NOUN_PHRASE
        clause.priority = 2.0 if clause.asked else 1.0
    clause.fact = fact if clause.kind in (STATEMENT, NOUN_PHRASE) and _has_content(fact) else clause.text


def lower_first(text: str) -> str:
    """«План поправить» → «план поправить»; names and abbreviations keep their capital."""
    tokens = [t for t in tokenize(text) if t.is_word]
    if not tokens or not text[:1].isupper() or tokens[0].start != 0:
        return text
    word = tokens[0].text
    if word.isupper() and len(word) > 1:
        return text
    tag = morph().parse(word.lower())[0].tag
    if any(t in tag for t in ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr")) or not morph().word_is_known(
        word.lower()
    ):
        return text
    return word.lower() + text[len(word) :]


def _is_request_verb(token: Token) -> bool:
    """An infinitive, an imperative or «подтвердите» (the second person plural, which asks the same way)."""
    if token.pos not in ("VERB", "INFN") or token.text.lower() in PAST_NOT_IMPERATIVE:
        return False  # «нашли гастроэнтеролога» is the past of «найти», not the imperative of «наслать»
    parses = morph().parse(token.text.lower())
    if any(p.tag.POS == "NOUN" for p in parses):
        return False  # «раскрой по дверям» is a noun, not «раскрыть»
    imperative = any("impr" in p.tag for p in parses if p.tag.POS == "VERB")
    return token.pos == "INFN" or imperative or "2per" in parses[0].tag


def _front_verb(text: str, asked: bool) -> tuple[str, str | None, bool]:
    """Put the request's verb first, in the infinitive: «спецификацию проверить» → «проверить спецификацию»."""
    tokens = tokenize(text)
    quoted = [(m.start(), m.end()) for m in re.finditer(r"«[^»]*»|\"[^\"]*\"", text)]
    for token in tokens:
        if not token.is_word or token.pos not in ("VERB", "INFN"):
            continue
        if any(start < token.start < end for start, end in quoted):
            continue  # «купить ламинат» is a search query, a title: not a request
        parses = morph().parse(token.text.lower())
        if any(p.tag.POS == "NOUN" for p in parses):
            continue
        # «пусть проверит», «нужно проверить»: the third person after a request word asks too
        request = _is_request_verb(token) or (asked and "3per" in parses[0].tag)
        if not request:
            return text, token.text, False  # a statement: «Горелов ждёт»
        after = text[token.stop :]
        pronoun = re.match(r"\s+(им|ему|ей|мне|нам)(?![\w-])", after, re.I)
        lead = ""
        if pronoun:  # «отправьте им подтверждение» keeps «им» next to the verb
            lead, after = pronoun.group(1) + " ", after[pronoun.end() :]
        before = _CONNECTORS.sub("", text[: token.start])  # «и заодно найди …» → «найти …», not «найти и заодно …»
        rest = re.sub(r"\s{2,}", " ", (before + " " + after).strip()).strip(" ,")
        return (lead + rest).strip(), _infinitive(token.text), True
    return text, None, False


def _infinitive(word: str) -> str:
    for parse in morph().parse(word.lower()):
        if parse.tag.POS in ("VERB", "INFN", "PRTS", "PRTF", "GRND"):
            return str(parse.normal_form)
    return word.lower()


def _has_content(text: str) -> bool:
    for token in tokenize(text):
        if not token.is_word:
            if token.text.isdigit():
                return True
            continue
        if token.lemma in _EMPTY_NOUNS or token.lemma in _PRONOUNS:
            continue
        if token.pos in ("NOUN", None) or "Abbr" in morph().parse(token.text.lower())[0].tag:
            return True
        if token.pos in ("ADJF", "PRTF") and re.fullmatch(r"[а-яё]+их|[а-яё]+ие", token.text.lower()):
            return True  # substantivised: «закрывающие»
    return False


def inflect_head(text: str, case: str, source: str = "accs", *, strict: bool = False) -> str:
    """The phrase with its head noun (and the adjectives before it) moved from case `source` to `case`.

    Left alone when the head cannot be in `source` («Ривьере двери» is not an object) or, unless `strict` (the
    grammar says it is in `source`, as after «нет»), when it may already be in `case`.
    """
    tokens = [t for t in tokenize(text) if t.is_word]
    head_index = None
    for i, token in enumerate(tokens):
        if token.pos == "PREP":
            return text
        if (
            token.pos == "NOUN"
            and i + 1 < len(tokens)
            and tokens[i + 1].pos == "NOUN"
            and any(p.tag.POS == "ADJF" for p in morph().parse(token.text.lower()))
        ):
            continue  # «запасного поставщика»: «запасной» may be a noun, but before a noun it is its adjective
        if token.pos in ("NOUN",) or (token.pos == "PRTF" and i == len(tokens) - 1) or _substantive(token, tokens, i):
            head_index = i
            break
        if token.pos not in ("ADJF", "PRTF", "NUMR"):
            return text
    if head_index is None:
        return text
    head = tokens[head_index]
    parses = morph().parse(head.text.lower())
    # a rare surname reading («Машин» for «машина») does not make the noun «already in that case»
    parses = [p for i, p in enumerate(parses) if i == 0 or not {"Surn", "Name", "Patr"} & set(p.tag.grammemes)]
    sources = [p for p in parses if p.tag.case == source]
    # «таможенную стоимость»: the noun may be either case, the adjective in front says which one it is
    adjective_says = any(
        {str(p.tag.case) for p in morph().parse(t.text.lower()) if p.tag.POS in ("ADJF", "PRTF")} == {source}
        for t in tokens[:head_index]
    )
    ambiguous = any(p.tag.case == case for p in parses if p.tag.POS == parses[0].tag.POS)
    if not sources or (not strict and ambiguous and not adjective_says):
        return text
    # The number comes from an adjective in front when there is one («подтверждённой спецификации» is singular).
    adjective = next((morph().parse(t.text.lower()) for t in tokens[:head_index]), None)
    numbers = {str(p.tag.number) for p in adjective or [] if p.tag.case == source}
    found = next((p for p in sources if str(p.tag.number) in numbers), sources[0])
    target = found.inflect({case, found.tag.number or "sing"}) or found.inflect({case})
    if target is None:
        return text
    words = {head.start: (head.stop, _same_case(head.text, target.word))}
    for token in tokens[:head_index]:
        adj = morph().parse(token.text.lower())[0]
        wanted = {case, target.tag.number or "sing"}
        if target.tag.number == "sing" and target.tag.gender:
            wanted.add(target.tag.gender)
        new = adj.inflect(wanted)
        if new:
            words[token.start] = (token.stop, _same_case(token.text, new.word))
    out, last = [], 0
    for start in sorted(words):
        stop, word = words[start]
        out.append(text[last:start] + word)
        last = stop
    return "".join(out) + text[last:]


def _substantive(token: Token, tokens: list[Token], i: int) -> bool:
    """A participle used as a noun («закрывающих по Заречному»): the next word is not a noun it could agree with."""
    if token.pos != "PRTF":
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return nxt is None or nxt.pos in ("PREP", None) or nxt.text[:1].isupper()


def _same_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if original[:1].isupper() else word
