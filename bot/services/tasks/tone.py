"""The tone guard of task briefs: whatever the request said, the brief carries no rudeness, sarcasm, caps, threats
or reproach for past delays.

Two levels. Strong markers (a threat, a reproach, slang, a judgement of a person) condemn the whole clause; weak
words («опять», «срочно», «вообще», «как всегда») are cut out and the rest of the clause is kept if it still says
something. The same guard checks the LLM's text, sentence by sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.nlp.text import morph, tokenize


def _rx(*patterns: str) -> re.Pattern[str]:
    # Written with «е»; «ё» in people's text is matched too. \b does not suit Cyrillic edges with hyphens.
    joined = "|".join(patterns).replace("е", "[её]")
    return re.compile(rf"(?<![\w-])(?:{joined})(?![\w-])", re.IGNORECASE)


# A threat or an ultimatum: the verbs said after one in the same sentence are its consequence, not the task
# («иначе пусть сама объясняется с директором»).
_THREATS = (
    r"иначе", r"а то", r"сами будете", r"пеняйте", r"пожалеете", r"пойду разбираться", r"будем разбираться",
    r"оштрафу\w*", r"лишу премии", r"лишим премии", r"уволю", r"накажу", r"съест", r"съедят", r"убьет",
    r"не подведите", r"не облажайтесь", r"последнее предупреждение",
    r"(?:иду|пойду|пойдем|пойдём|схожу|пожалуюсь) (?:\w+ )?к (?:директору|генеральному|руководству|начальству|"
    r"предправления|председателю|собственнику|учредителю|главврачу|ректору)",
    r"(?:сам|сама|сами) (?:\w+ )?(?:будешь|будете) \w+", r"(?:сам|сама|сами) \w+ (?:будешь|будете)",
    r"(?:сам|сама|сами) повез\w*", r"(?:еще|ещё) раз такое", r"так и знай\w*", r"пусть (?:сам|сама|сами)",
    r"(?:иду|пойду|пойдем|пойдём|схожу|пожалуюсь)\s+к\s+\w+\s+\w+(?:ичу|вне|чне)",  # «иду к Сергею Петровичу»
)  # fmt: skip
# A clause with any of these is reproach, sarcasm, a threat, slang or a judgement of a person: it is dropped.
STRONG = _rx(
    # reproach for the past and for slowness
    r"в прошл\w* раз\w*", r"как (?:в|с) прошл\w*", r"как прошл\w+ \w+", r"не как в \w+", r"тормоз\w*", r"тянете",
    r"тянет(?! время)",
    r"тянут", r"не тяни\w*", r"затягива\w*", r"затянул\w*", r"проспа\w*", r"проспи\w*", r"опоздал\w*",
    r"просрочил\w*", r"сорвал\w*", r"завалил\w*", r"облажа\w*", r"накосяч\w*", r"косяч\w*", r"косяк\w*",
    r"профука\w*", r"проворон\w*", r"прошляпи\w*", r"забыли", r"опять забыл\w*", r"растащ\w*", r"потеряли",
    r"пусть не \w+", r"не теря\w*", r"хвост(?:ы|ов|ами)",
    # exasperation and sarcasm
    r"сколько можно", r"сколько (?:раз|еще) (?:можно|повторять|ждать|просить)", r"ничему не удивля\w*",
    r"не удивлюсь", r"надоел\w*", r"достало", r"достали уже", r"задолбал\w*", r"хоть раз", r"хоть в этот раз",
    r"в кои-то веки", r"если,? конечно", r"не нанимал\w*", r"за вас бега\w*", r"бегать за вами", r"вместо вас",
    r"мне не нуж(?:ен|на|но|ны)", r"расслабля\w*", r"мертвым грузом", r"как будто", r"видимо,? (?:опять|снова)",
    r"ну-ну", r"спасибо,? что хоть", r"без сюрпризов", r"без фокусов", r"без приключений",
    r"надеюсь,? (?:в|на) этот раз", r"(?:в|на) этот раз без \w+", r"(?:прошу|жду|ждем) уже",
    r"уже \d+ (?:дня|дней|недел\w*|раз\w*)", r"\d+ (?:дня|дней|недел\w*) (?:уже )?(?:прошу|жду|ждем)",
    *_THREATS, r"крайн\w+ сдела\w*", r"толпой", r"за (?:вас|тебя) красне\w*", r"чай пь\w*", r"чаи гоня\w*",
    r"ну ты даешь", r"ты где вообще",
    # admonitions and distrust
    r"не говорите", r"не говори", r"не рассказывай\w*", r"без отмазок", r"отмаз\w*", r"отговорк\w*",
    r"без оправданий", r"самодеятельн\w*", r"без воды", r"красивост\w*", r"приукрашива\w*", r"по диагонали",
    r"спустя рукава", r"на отвали", r"тяп-ляп", r"халтур\w*", r"для галочки", r"без вот этого", r"вот этого",
    # slang, swearing, judgements of people
    r"капец\w*", r"блин", r"кошмар\w*", r"бардак\w*", r"дурдом\w*", r"цирк", r"позор\w*", r"стыдно", r"безобрази\w*",
    r"хрен\w*", r"фиг(?:а|ня|ню|ней)?", r"нафиг", r"черт(?:и|ей)?", r"чертовщин\w*", r"офигел\w*", r"капризн\w*",
    r"ленив\w*", r"туп(?:ой|ая|ые|ица|ит|ят)", r"неадекват\w*", r"истери\w*", r"придур\w*", r"идиот\w*", r"дебил\w*",
    r"бестолоч\w*", r"бестолков\w*", r"криворук\w*", r"безрук\w*", r"живые", r"живы ли", r"алле?", r"алло", r"ау",
    r"эй",
)  # fmt: skip
# Cut out, the rest of the clause stays.
WEAK = _rx(
    r"опять", r"снова", r"вечно", r"как всегда", r"как обычно", r"в очередной раз", r"в последний момент",
    r"до сих пор", r"в общем(?:-то)?", r"короче", r"хорошо бы", r"слушай(?:те)?", r"так вот(?:,? по делу)?",
    r"(?:уже )?(?:второй|третий|четвертый|пятый|десятый|сотый|\d+-?й) раз", r"вообще", r"ну",
    r"срочно", r"срочняк\w*", r"кто-нибудь", r"кто-то", r"лично", r"нормально", r"кстати", r"конечно", r"хоть",
    r"там", r"наконец(?:-то)?", r"какие-то", r"какой-то", r"какая-то", r"кровь из носу", r"кровь из носа",
    r"плиз", r"плз", r"пжлст", r"без вариантов", r"браво",
)  # fmt: skip
# A clause that starts like this is a condition or a warning: dropped, and the clauses hanging on it too.
_THREAT_START = re.compile(r"^(?:и\s+|а\s+|но\s+|только\s+)?(?:если|а то|иначе|не как|пока|чтоб\b|чтобы без)", re.I)
# Case matters here: «без НДС» is a term, «без отмазок» is an admonition.
_ADMONITION = re.compile(
    r"^(?:[Ии]\s+|[Тт]ак что\s+|[Чч]тоб(?:ы)?\s+|[Тт]олько\s+|[Нн]о\s+)?[Бб]ез\s+(?![A-ZА-ЯЁ]{2,}|\d)"
)
# Hyperbole → a plain word of the same meaning («штрафы зверские» → «штрафы высокие»).
NEUTRAL_LEMMAS = {
    "зверский": "высокий", "дикий": "большой", "жуткий": "большой", "адский": "большой", "бешеный": "большой",
    "конский": "высокий", "безумный": "большой", "космический": "высокий", "грабительский": "высокий",
    "глянуть": "проверить", "глядеть": "проверить", "скинуть": "прислать", "кинуть": "прислать",
    "подогнать": "подготовить", "накидать": "подготовить", "сварганить": "подготовить", "пробить": "уточнить",
    "замутить": "организовать",
}  # fmt: skip
# Abbreviations that stay in capitals.
ABBREVIATIONS = frozenset({
    "ООО", "ОАО", "ЗАО", "ПАО", "АО", "ИП", "ГК", "КП", "ТТН", "УПД", "НДС", "ЭДО", "ГКЛ", "ТО", "ЖК", "ИНН", "КПП",
    "БИК", "ОГРН", "ГОСТ", "ТУ", "МОП", "CRM", "SLA", "PDF", "ТЗ", "ТМЦ", "ПВХ", "МДФ", "ЛДСП", "ДСП", "ОСБ", "СМР",
    "ПНР", "ТК", "ДС",
})  # fmt: skip
_CAPS_WORD = re.compile(r"(?<![\w-])[A-ZА-ЯЁ]{2,}(?:-[A-ZА-ЯЁ]+)?(?![\w-])")


THREAT = _rx(*_THREATS)


def is_threat(text: str) -> bool:
    return bool(THREAT.search(text))


def is_strong(text: str) -> bool:
    return bool(STRONG.search(text))


# What went wrong, said of a thing with its figures («машина опоздала на 4 часа», «поставку задержали на 2 дня»), is
# the incident the task is about; the same words said to a person («вы опять опоздали») stay a reproach.
_INCIDENT = _rx(r"опоздал\w*", r"просрочил\w*", r"сорвал\w*", r"задержал\w*", r"потеряли")
_SECOND_PERSON = _rx(r"вы", r"ты", r"вас", r"тебя", r"вам", r"тебе", r"ваш\w*", r"тво\w*")


def is_incident(text: str) -> bool:
    if not _INCIDENT.search(text) or _SECOND_PERSON.search(text) or not re.search(r"\d", text):
        return False
    return not STRONG.search(_INCIDENT.sub(" ", text))


def _reproachful(sentence: str) -> bool:
    return is_strong(sentence) and not is_incident(sentence)


def starts_threat(text: str) -> bool:
    return bool(_THREAT_START.match(text.strip()))


def is_admonition(text: str) -> bool:
    return bool(_ADMONITION.match(text.strip()))


@lru_cache(maxsize=20_000)
def _known(word: str) -> bool:
    return bool(morph().word_is_known(word.lower()))


@lru_cache(maxsize=20_000)
def _shouted(word: str) -> bool:
    """A word in capitals that is an ordinary word («НОРМАЛЬНО», «ГДЕ»), not an abbreviation or a name («РБК»,
    «КАМАЗ», «SAP»): pymorphy3 tags those Abbr, Orgn, Geox or does not know them."""
    if word in ABBREVIATIONS or (len(word) <= 6 and not _known(word)):
        return False  # «ЖНВЛП», «ОТК»: a short word the dictionary does not know is an abbreviation, not shouting
    if not re.search(r"[А-ЯЁ]", word):
        return len(word) > 4 and word.lower() in _ENGLISH_SHOUTS
    parses = morph().parse(word.lower())[:3]
    return not any(
        {"Abbr", "Orgn", "Geox", "Name", "Surn"} & set(str(p.tag).replace(" ", ",").split(",")) for p in parses
    )


_ENGLISH_SHOUTS = frozenset({"asap", "urgent", "please"})


def fix_caps(text: str) -> str:
    """Shouting → lower case; abbreviations («ООО», «КП», «ГКЛ») stay."""

    def lower(m: re.Match[str]) -> str:
        word = m.group(0)
        return word.lower() if _shouted(word) else word

    return _CAPS_WORD.sub(lower, text)


def _rejoin(m: re.Match[str]) -> str:
    """«выехать, составить акт»: two steps keep their comma; a verb and its object meet again."""
    word = m.group(2)
    if word and any(p.tag.POS == "INFN" for p in morph().parse(word.lower())[:1]):
        return m.group(0)
    return f"{m.group(1)} {word}"


def tidy_punctuation(text: str) -> str:
    text = re.sub(r"[!?]*\?[!?]*", "?", text)
    text = re.sub(r"!+", "!", text)
    text = re.sub(r"\.{4,}", "…", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"\(\s*\)|«\s*»", "", text)
    # «сверить, взаиморасчёты …» (a «пожалуйста» or «в общем» was cut): the verb and its object meet again
    text = re.sub(r"^(\w+(?:ть|ти|чь)(?:ся)?),\s+(?!(?:что|как|где|когда|почему|ли|чтобы|чтоб|кто|какой|какая|какие|"
                  r"сколько|устроит|если)(?![\w-]))(\w*)", _rejoin, text)  # fmt: skip
    # «они пишут что 2 960 000»: a clause after a verb of saying takes its comma
    text = re.sub(
        r"(?<![\w-])(пишут|пишет|говорят|говорит|сказали|сказал|сказала|считают|утверждают|думают|уверяют)\s+что(?![\w-])",
        r"\1, что",
        text,
        flags=re.I,
    )
    return re.sub(r"[ \t]{2,}", " ", text).strip(" ,;:—–-")


def remove_weak(text: str) -> str:
    return tidy_punctuation(WEAK.sub(" ", text))


def neutralize_words(text: str) -> str:
    """Hyperbole and slang verbs → plain words, inflected like the original."""
    from bot.services.tasks import cleaning  # the admin's lexicon: phrases first, then single words

    lexicon = cleaning.load()
    text = cleaning.replace_phrases(text, lexicon)
    out: list[str] = []
    last = 0
    for token in tokenize(text):
        target = (NEUTRAL_LEMMAS.get(token.lemma) or lexicon.words.get(token.lemma)) if token.is_word else None
        if target is None:
            continue
        replacement = _inflect_like(token.text, target)
        if replacement:
            out.append(text[last : token.start] + replacement)
            last = token.stop
    out.append(text[last:])
    return "".join(out)


def _inflect_like(word: str, target: str) -> str | None:
    parse = morph().parse(word.lower())[0]
    wanted = {g for g in ("sing", "plur", "masc", "femn", "neut", "nomn", "gent", "datv", "accs", "ablt", "loct")
              if g in parse.tag}  # fmt: skip
    if parse.tag.POS == "INFN" or (parse.tag.POS == "VERB" and "impr" in parse.tag):
        return target  # the request wants an action: the infinitive reads naturally
    if parse.tag.POS == "VERB":  # a report of what happened keeps its tense: «позиции улетели» → «опустились»
        verbal = {g for g in ("sing", "plur", "masc", "femn", "neut", "past", "pres", "futr", "1per", "2per", "3per",
                              "indc") if g in parse.tag}  # fmt: skip
        base = next((p for p in morph().parse(target) if p.tag.POS == "INFN"), None)
        found = base.inflect(verbal) if base else None
        if found is None and base is not None and "pres" in verbal:
            found = base.inflect((verbal - {"pres"}) | {"futr"})  # a perfective verb has no present
        return found.word if found else target
    base = morph().parse(target)[0]
    inflected = base.inflect(wanted) or base.inflect(wanted - {"masc", "femn", "neut"})
    return inflected.word if inflected else None


def has_rudeness(text: str) -> bool:
    """True when a finished text still shows anything the guard removes (used by tests and the LLM check)."""
    if re.search(r"[!?]{2,}", text) or any(_reproachful(s) for s in re.split(r"(?<=[.!?…;])\s+", text)):
        return True
    return any(_shouted(w) for w in _CAPS_WORD.findall(text))


def sanitize_text(text: str) -> str:
    """The guard over a whole text (an LLM's brief): sentences with strong markers go, the rest is cleaned."""
    kept_lines = []
    for line in text.splitlines():
        sentences = re.split(r"(?<=[.!?…])\s+", line)
        clean = [c for c in (remove_weak(fix_caps(neutralize_words(s))) for s in sentences if not _reproachful(s)) if c]
        if clean or not line.strip():
            kept_lines.append(" ".join(clean))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept_lines)).strip()
