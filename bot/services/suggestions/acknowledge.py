"""What the client handed over, acknowledged in our words: «Счёт по прошлой поставке оплатили вчера» → «Спасибо за
оплату счёта по прошлой поставке — [деньги получили / поступление проверим и подтвердим]»; «выписку за ноябрь
загрузила в облако» → «Спасибо, что загрузили выписку за ноябрь в облако — [получили / проверим и подтвердим]»;
«платёжку скину» → «Спасибо, ждём платёжку».

The client's sentence is never read back as ours («Оплатили январь, чек скинули в чат» under our name reads as if we
had paid). Whether the thing arrived is not known to the bot: it stays a blank for the manager.
"""

from __future__ import annotations

import re

from bot.nlp import syntax
from bot.nlp.text import morph

PAID_BLANK = "[деньги получили / поступление проверим и подтвердим]"
SENT_BLANK = "[получили / проверим и подтвердим]"

_PAYMENT = re.compile(r"^(?:оплатил|оплачен|перевел|перевёл|перечислил|внесл|внес|заплатил)", re.I)
_MONEY = re.compile(r"\d[\d\s  ]*(?:[.,]\d+)?\s?(?:₽|руб\.?|рублей|р\.)", re.I)
# «скину», «пришлю», «отправлю»: the client will send it; nothing has arrived yet
_WILL_SEND = re.compile(
    r"(?<![\w-])(?:скину|пришлю|отправлю|вышлю|перешлю|занесу|передам|пришлём|пришлем|отправим|вышлем|скинем|"
    r"направлю|направим|подвезу|подвезём|подвезем|довезу)(?![\w-])",
    re.I,
)
# the client's own words about themselves and their chat that mean nothing in our reply
_DROP_WORDS = frozenset(
    {"я", "мы", "вам", "нам", "уже", "вот", "кстати", "тоже", "также", "ещё", "еще", "сегодня", "вчера", "и", "а"}
)
_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF☀-➿]+")


def acknowledgement(texts: list[str]) -> str | None:
    """One line of thanks for everything the client handed over in the message, with one blank for whether it arrived:
    «Спасибо за оплату января и за то, что скинули чек в чат группы — [получили / проверим и подтвердим]»."""
    thanks: list[str] = []
    awaited: list[str] = []
    paid_only = True
    for text in texts:
        text = _EMOJI.sub("", text).strip(" .!,;")
        last_sent = False  # the previous part thanked for something sent, not paid
        for part in re.split(r",\s+(?=[^,]*(?:\w))", text):
            if _WILL_SEND.search(part):
                if thing := _object_after(part, _WILL_SEND):
                    awaited.append(thing)
                last_sent = False
                continue
            said = _thanks_for(part)
            if said is None and last_sent and re.search(r"\d", part) and len(part.split()) <= 4:
                thanks[-1] += f", {part.strip()}"  # «…Почтой России, трек 14300191234567»: the detail goes with it
                continue
            last_sent = said is not None and not said[1]
            if said is not None:
                line, paid = said
                if paid:  # «…отправили вчера, 52 800 ₽, п/п № 784»: the sum and the order said beside it
                    extra = [m.group(0).strip() for m in (_MONEY.search(text), _ORDER.search(text)) if m]
                    line += "".join(f" {e}" if e[0].isdigit() else f" ({e})" for e in extra if e not in line)
                thanks.append(line)
                paid_only = paid_only and paid
    if not thanks and not awaited:
        return None
    line = ""
    if thanks:
        joined = thanks[0] + "".join(f" и {t}" for t in thanks[1:])
        if len(thanks) == 1 and joined.startswith("за то, что "):
            joined = ", " + joined[len("за то, ") :]  # «Спасибо, что загрузили …»
        line = f"Спасибо{'' if joined.startswith(',') else ' '}{joined} — {PAID_BLANK if paid_only else SENT_BLANK}"
    if awaited:
        wait = f"ждём {' и '.join(awaited)}"
        line = f"{line}; {wait}" if line else f"Спасибо, {wait}"
    return f"{line}."


_ATTACHED = re.compile(
    r"\s*(?:во вложении|в приложении|прилагаю|прикладываю|прикрепил\w*|прилагаем|прикладываем)\s*", re.I
)


def _thanks_for(text: str) -> tuple[str, bool] | None:
    """«за оплату счёта по прошлой поставке» (a payment), «за то, что загрузили выписку за ноябрь в облако», «за
    новые реквизиты» (attached)."""
    text = text.strip(" .!,;")
    if not text:
        return None
    attached = _ATTACHED.search(text)
    if attached:
        thing = " ".join(
            _inflect(w, "accs") if _nominative(w) else w
            for w in re.sub(r"^(?:и|а)\s+", "", text[: attached.start()]).split()
        ) or " ".join(text[attached.end() :].split())
        return (f"за {_as_said_word(thing)}", False) if thing and len(thing.split()) <= 6 else None
    for sentence in syntax.parse(text).sentences:
        verb = next((t for t in sentence.tokens if t.pos == "VERB" and _is_handed(t.text)), None)
        if verb is None:
            continue
        obj = next((t for t in sentence.children(verb) if t.rel in ("obj", "nsubj:pass")), None)
        if obj is None:  # «Акт сверки я вчера отправила»: a thing read as the subject is what was sent
            obj = next((t for t in sentence.children(verb) if t.rel == "nsubj" and _inanimate(t.text)), None)
        if obj is not None and _lemma(obj.text) in _MONEY_WORDS:
            # «Доплату 25 000 за срочность отправили сегодня»: the payment as the client named it
            said = _phrase_from(text, sentence, obj, verb)
            return f"за {said[:1].lower()}{said[1:]}", True
        if _PAYMENT.match(verb.text.lower()):
            what = _in_case(sentence, obj, "gent") if obj is not None and obj.pos in ("NOUN", "PROPN") else ""
            return f"за оплату{' ' + what if what else ''}", True
        if obj is None or obj.pos not in ("NOUN", "PROPN"):
            return None
        told = _told(sentence, verb)
        words = [_past_plural(t.text) if t.id == verb.id else _as_said(t, t is sentence.tokens[0]) for t in told]
        said = re.sub(r"\s+([,.;:!?)»])", r"\1", " ".join(words)).strip(" ,.;")
        return f"за то, что {said}", False
    return None


_MONEY_WORDS = frozenset({"оплата", "доплата", "предоплата", "платёж", "платеж", "аванс", "деньги", "сумма", "взнос"})
_ORDER = re.compile(r"(?:п/п|платёжн\w*\s+поручени\w*|платежн\w*\s+поручени\w*)\s*№\s*\d+", re.I)


def _inanimate(word: str) -> bool:
    parse = morph().parse(word.lower())[0]
    return parse.tag.POS == "NOUN" and parse.tag.animacy == "inan"


def _lemma(word: str) -> str:
    return str(morph().parse(word.lower())[0].normal_form)


def _phrase_from(text: str, sentence: syntax.Sentence, obj: syntax.SyntaxToken, verb: syntax.SyntaxToken) -> str:
    """The object as said, from its first word up to the verb (or to the end when the verb comes first)."""
    start, stop = obj.start, (verb.start if verb.start > obj.start else len(text))
    words = [w for w in text[start:stop].split() if w.lower() not in _DROP_WORDS]
    return " ".join(words).strip(" ,.;")


def _nominative(word: str) -> bool:
    parse = morph().parse(word.lower())[0]
    return parse.tag.POS in ("NOUN", "ADJF") and parse.tag.case == "nomn"


def _as_said_word(phrase: str) -> str:
    first, _, rest = phrase.partition(" ")
    keep = first.isupper() or any(
        {"Name", "Surn", "Geox", "Orgn", "Abbr"} & set(str(p.tag).replace(" ", ",").split(","))
        for p in morph().parse(first.lower())[:1]
    )
    return phrase if keep else f"{first.lower()} {rest}".strip()


def _as_said(token: syntax.SyntaxToken, opens: bool) -> str:
    """«Выписку» opening the client's sentence is an ordinary word inside ours; names and abbreviations keep capitals,
    and so does a capital inside the sentence («Почтой России»)."""
    if not opens or token.text.isupper() or not token.text[:1].isupper():
        return token.text
    proper = {"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"}
    if any(proper & set(str(p.tag).replace(" ", ",").split(",")) for p in morph().parse(token.text.lower())[:2]):
        return token.text
    return token.text.lower() if morph().word_is_known(token.text.lower()) else token.text


def _is_handed(word: str) -> bool:
    low = word.lower()
    return bool(_PAYMENT.match(low)) or bool(
        re.match(r"(?:отправил|выслал|направил|загрузил|скинул|выложил|передал|подписал|прислал|переслал)", low)
    )


def _told(sentence: syntax.Sentence, verb: syntax.SyntaxToken) -> list[syntax.SyntaxToken]:
    """The clause with the verb first, the client's «я/мы/вам» and time words left out: «выписку за ноябрь загрузила в
    облако» → «загрузили выписку за ноябрь в облако»."""
    kept = [
        t
        for t in sentence.tokens
        if t.text.lower() not in _DROP_WORDS and not (t.pos == "PRON" and t.head_id == verb.id)
    ]
    kept = [t for t in kept if not (t.pos == "PUNCT" and t is kept[0])]
    before = [t for t in kept if t.start < verb.start and t.id != verb.id]
    after = [t for t in kept if t.start > verb.start]
    return [verb, *before, *after]


def _past_plural(word: str) -> str:
    """«загрузила» → «загрузили»: said back to the client, who is «Вы»."""
    parse = morph().parse(word.lower())[0]
    if {"VERB", "past"} <= parse.tag.grammemes and (plural := parse.inflect({"plur", "past"})) is not None:
        return str(plural.word)
    return word.lower()


def _in_case(sentence: syntax.Sentence, head: syntax.SyntaxToken, case: str) -> str:
    """The object's phrase with its head noun and the adjectives on it put in `case`: «счёт по прошлой поставке» →
    «счёта по прошлой поставке»."""
    out = []
    for token in sentence.subtree(head):
        if token.id == head.id or (token.rel == "amod" and token.head_id == head.id):
            out.append(_inflect(token.text, case))
        else:
            out.append(token.text)
    return re.sub(r"\s+([,.;:!?)»])", r"\1", " ".join(out)).strip(" ,.;")


def _inflect(word: str, case: str) -> str:
    for parse in morph().parse(word.lower()):
        if parse.tag.POS not in ("NOUN", "ADJF", "PRTF"):
            continue
        # things, not people: «новые реквизиты», not «новых»
        wanted = {case, "inan"} if parse.tag.POS != "NOUN" and case == "accs" else {case}
        if (found := parse.inflect(wanted) or parse.inflect({case})) is not None:
            return str(found.word)
    return word


def _object_after(text: str, verb: re.Pattern[str]) -> str:
    """«платёжку скину», «скину акт завтра»: the thing said with the verb, in the accusative as the client said it."""
    m = verb.search(text)
    if m is None:
        return ""
    words = re.findall(r"[\wЁё-]+", text[: m.start()] + " " + text[m.end() :])
    nouns = [
        w
        for w in words
        if w.lower() not in _DROP_WORDS
        and any(p.tag.POS == "NOUN" and p.tag.case in ("accs", "nomn") for p in morph().parse(w.lower())[:2])
    ]
    return nouns[0].lower() if nouns else ""
