"""The main action of a request, read with natasha's syntax tree: a pronoun object («сдай их в поверку») takes the
noun it stands for in an earlier clause, and several requested actions become one numbered list.

natasha's parser (bot.nlp.syntax, loaded once per process) gives the sentences, the relations and the nouns;
pymorphy3 confirms the part of speech, because on curt, comma-less requests the tagger sometimes reads a participle
as a verb or an imperative as a noun. Figures, names and product codes are copied from the request as written.
"""

from __future__ import annotations

import re

from bot.nlp import syntax
from bot.nlp.text import morph

# «сдать их в поверку», «проверить его»: the action's object is a pronoun right after the verb.
_PRONOUN_OBJECT = re.compile(r"^(\S+)\s+(их|его|её|ее|него|них|неё|нее)(?=\s|$|[,.;:])", re.I)
_PLURAL_PRONOUNS = frozenset({"их", "них"})
# Where a noun phrase ends: a comma, a dash, a verb or a short participle («просрочены»), a conjunction.
_PHRASE_STOP_POS = frozenset({"VERB", "INFN", "PRTS", "GRND", "CONJ", "ADVB", "PRED"})
_NOUN_RELS = frozenset({"nsubj", "nsubj:pass", "obj", "root", "conj", "appos", "obl"})


def _pymorphy_pos(word: str) -> str | None:
    parse = morph().parse(word.lower())[0]
    return str(parse.tag.POS) if parse.tag.POS else None


def _is_noun(token: syntax.SyntaxToken) -> bool:
    """A subject or object noun. natasha gives the relation; when it disagrees with pymorphy3 about the part of
    speech («калибры-пробки» read as a participle), pymorphy3's dictionary decides."""
    if not token.text[:1].isalpha() or len(token.text) < 3:
        return False
    tag = morph().parse(token.text.lower())[0].tag
    if tag.POS != "NOUN" or "Abbr" in tag:
        return False  # «шт», «руб» are units, not what a pronoun stands for
    return token.rel in _NOUN_RELS or token.pos not in ("NOUN", "PROPN")


def _has_number(token: syntax.SyntaxToken, plural: bool) -> bool:
    """Whether the noun can be plural (or singular): natasha's reading when it saw a noun, any of pymorphy3's noun
    readings otherwise («Кольца» is a plural subject as well as a genitive singular)."""
    wanted = "plur" if plural else "sing"
    if token.pos in ("NOUN", "PROPN") and token.feats.get("Number") and (token.feats["Number"] == "Plur") == plural:
        return True
    return any(p.tag.POS == "NOUN" and p.tag.number == wanted for p in morph().parse(token.text.lower()))


def noun_phrase(sentence: syntax.Sentence, head: syntax.SyntaxToken, text: str) -> str:
    """The noun with the words that follow and qualify it («калибры-пробки на Ø40 H7»), cut at a comma or a verb."""
    tokens = list(sentence.tokens)
    index = tokens.index(head)
    start = head.start
    # Adjectives and numerals right before it belong to it («запасного поставщика», «2 станины»).
    while (
        index > 0
        and tokens[index - 1].pos in ("ADJ", "NUM", "DET")
        and tokens[index - 1].rel
        in (
            "amod",
            "nummod",
            "det",
        )
    ):
        index -= 1
        start = tokens[index].start
    stop = head.stop
    for token in tokens[tokens.index(head) + 1 :]:
        if token.text in (",", ";", ":", "—", "–", ".", "!", "?") or token.text.lower() in ("и", "а", "но", "или"):
            break
        if token.text[:1].isalpha() and _pymorphy_pos(token.text) in _PHRASE_STOP_POS and token.pos != "PROPN":
            break
        if token.pos == "VERB" and token.text[:1].isalpha():
            break  # «центрифугу открытой на ночь»: a participle said of the thing is no part of its name
        stop = token.stop
    phrase = re.split(r"[,;:]\s|\s[—–-]\s", text[start:stop])[0]  # a token may carry the comma («045-050-30,»)
    from bot.services.tasks.clauses import lower_first

    return lower_first(phrase.rstrip(",;: "))


def antecedent(text: str, before: int, plural: bool, gender: str | None = None, *, thing: bool = False) -> str | None:
    """The noun phrase a pronoun at offset `before` stands for: the nearest earlier subject or object noun of the
    same number, in the request's own words. `thing`: the verb acts on things («продезинфицируй её»), so a person
    said in between («санитарка в шоке») is not what the pronoun stands for."""
    parsed = syntax.parse(text)
    best: tuple[int, str] | None = None
    for sentence in parsed.sentences:
        for token in sentence.tokens:
            if token.stop > before or not _is_noun(token):
                continue
            if not _has_number(token, plural):
                continue
            if gender and not any(
                p.tag.POS == "NOUN" and p.tag.gender == gender for p in morph().parse(token.text.lower())[:2]
            ):
                continue  # «ответ на неё» stands for a feminine noun: «претензия», not «руб»
            if any(child.rel == "case" for child in sentence.children(token)):
                continue  # «на линии 3» is where, not what: a pronoun stands for a bare noun phrase
            if re.fullmatch(r"[\d\s.,]+", text[max(0, token.start - 8) : token.start].split(",")[-1].strip() or "x"):
                continue  # «37 коробок»: what is counted is a figure beside the thing, not what «их» stands for
            if best is None or token.start > best[0]:
                pymorphy_animacy = morph().parse(token.text.lower())[0].tag.animacy
                animate = token.feats.get("Animacy") == "Anim" or pymorphy_animacy == "anim"
                if animate and thing:
                    continue
                # A person («Паша …, держи его в копии») stays a pronoun: the brief does not guess who it is.
                best = (token.start, "" if animate else noun_phrase(sentence, token, text))
    if not best or not best[1]:
        return None
    # «возвраты из аптек третью неделю»: how long it has lasted is not part of the thing
    return re.sub(r"\s+(?:\S+\s+)?(?:недел[юиь]|дн[яей]|день|месяц\w*|час\w*|сутки|суток)$", "", best[1]) or None


def resolve_pronoun_object(action: str, text: str, action_start: int) -> str:
    """«сдать их в поверку» → «сдать калибры-пробки на Ø40 H7 в поверку» when an earlier clause names them."""
    m = _PRONOUN_OBJECT.match(action)
    if not m:
        return action
    pronoun = m.group(2).lower()
    # «продезинфицируй её»: a feminine pronoun stands for a feminine noun («центрифугу»), not «раз»
    gender = "femn" if pronoun in ("её", "ее") else None
    verb = morph().parse(m.group(1).lower())[0].normal_form
    phrase = antecedent(
        text, action_start, plural=pronoun in _PLURAL_PRONOUNS, gender=gender, thing=verb in _THING_VERBS
    )
    if not phrase:
        return action
    from bot.services.tasks.clauses import inflect_head  # the clause module imports nothing from here

    return f"{m.group(1)} {inflect_head(phrase, 'accs', 'nomn')}{action[m.end() :]}"


# verbs that act on things, never on people: their pronoun object is no person said in between
_THING_VERBS = frozenset(
    {"продезинфицировать", "помыть", "вымыть", "почистить", "починить", "отремонтировать", "заменить", "поменять",
     "проверить", "откалибровать", "перенести", "убрать", "выбросить", "списать", "упаковать", "отгрузить",
     "отправить", "прислать", "распечатать", "подписать", "заполнить", "оплатить", "перевести", "пересчитать"}
)  # fmt: skip


# «ответ на неё», «по нему»; not «у них», «к ним», «с ними», which speak of people
_PRONOUN_AFTER_PREPOSITION = re.compile(r"(?<![\w-])(на|по|о|об|за)\s+(неё|нее|него|них)(?![\w-])", re.I)
_PREPOSITION_CASE = {"на": "accs", "по": "datv", "для": "gent", "к": "datv", "о": "loct", "об": "loct",
                     "от": "gent", "с": "ablt", "у": "gent", "за": "accs"}  # fmt: skip


def resolve_pronoun_after_preposition(action: str, text: str, action_start: int) -> str:
    """«подготовить ответ на неё» → «подготовить ответ на претензию № 47»: the pronoun after a preposition stands for
    the nearest earlier noun of its gender and number."""
    m = _PRONOUN_AFTER_PREPOSITION.search(action)
    if not m:
        return action
    pronoun = m.group(2).lower()
    plural = pronoun == "них"
    gender = None if plural else ("femn" if pronoun in ("неё", "нее") else "masc")
    phrase = antecedent(text, action_start, plural=plural, gender=gender)
    if not phrase:
        return action
    from bot.services.tasks.clauses import inflect_head  # the clause module imports nothing from here

    moved = inflect_head(phrase, _PREPOSITION_CASE[m.group(1).lower()], "nomn", strict=True)
    return f"{action[: m.start(2)]}{moved}{action[m.end(2) :]}"


def _restates_another(action: str, others: list[str]) -> bool:
    """«подготовить оплату» beside «оплатить счёт № 1184»: the noun names the other action's own verb."""
    words = action.split()
    if len(words) != 2 or words[0] not in ("подготовить", "провести", "организовать", "обеспечить"):
        return False
    stem = words[1].lower()[:5]
    return len(stem) == 5 and any(o != action and o.split(" ", 1)[0].lower().startswith(stem) for o in others)


def numbered(actions: list[str]) -> str:
    """One action as it is; several as «1) …; 2) …» in the order the request gives them."""
    unique = list(dict.fromkeys(a for a in actions if a))
    unique = [a for a in unique if not _restates_another(a, unique)]
    if len(unique) <= 1:
        return unique[0] if unique else ""
    return "; ".join(f"{i}) {a}" for i, a in enumerate(unique, 1))
