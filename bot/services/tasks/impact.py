"""Why the task matters, in the request's own words: «иначе…», «а то…», «без него … не …», «чтобы…» and what the
request says about the client («клиент торопит», «они там злые»). Emotional wording becomes a fact through the
rules of knowledge/lexicons/impacts.yaml («клиент уйдёт к китайцам» → «есть риск потерять клиента»); a calm part is
kept as written; anything the tone guard rejects is left out. Nothing is said when the request gives no reason —
the brief never falls back to «это нужно для клиента».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from razdel import sentenize

from bot.nlp.text import morph
from bot.services.tasks import relevance, tone

IMPACTS_FILE = Path(__file__).resolve().parents[3] / "knowledge" / "lexicons" / "impacts.yaml"

_OTHERWISE = re.compile(r"(?<![\w-])(?:иначе|а то|не то)(?![\w-])[,\s]*(.+)$", re.I | re.S)
_WITHOUT = re.compile(r"(?<![\w-])без (?:него|неё|нее|них|этого)(?![\w-])(?=.*\sне\s)", re.I | re.S)
_WITHOUT_THING = re.compile(r"(?<![\w-])без\s+[а-яё]+(?:\s+[^,.;!?]{0,40}?)?\s+не\s+[а-яё]+[^.;!?]*", re.I)
_SO_THAT = re.compile(r",\s*(?:чтобы|чтоб)\s+(.+)$", re.I | re.S)
# The client as the one who acts or needs («клиент торопит», «клиенту нужен ответ»), not an object («нового клиента»).
_CLIENT = re.compile(r"(?<![\w-])(?:клиент|клиенты|клиенту|клиентам|заказчик|заказчику)(?![\w-])", re.I)
_CLAUSE_SPLIT = re.compile(r"[,;:]\s+|\s[—–-]\s")


def _clauses(sentence: str) -> list[str]:
    """The sentence's clauses; a comma inside brackets parts nothing («(заказ 120 комплектов, счёт № 7781)»)."""
    out, pos = [], 0
    for m in _CLAUSE_SPLIT.finditer(sentence):
        if sentence.count("(", 0, m.start()) > sentence.count(")", 0, m.start()):
            continue
        out.append(sentence[pos : m.start()])
        pos = m.end()
    out.append(sentence[pos:])
    return out


def _client_acts(clause: str) -> bool:
    """«клиент торопит», «клиенту нужен ответ»: the client is the subject or the one in need. Not a request to us
    («отправь клиенту письмо») and not what our people say to clients («говорят клиентам»)."""
    from bot.nlp.text import tokenize
    from bot.services.tasks.predicates import is_request_word

    words = [t for t in tokenize(clause) if t.is_word]
    if any(is_request_word(w) for w in words) or any(w.text.lower() in ("мне", "нам") for w in words):
        return False  # «мне нужно ответить клиенту»: the need is the requester's
    for word in words:
        low = word.text.lower()
        if low in ("клиент", "клиенты", "заказчик"):
            return True  # the subject
        if low in ("клиенту", "клиентам", "заказчику"):
            return any(w.text.lower() in ("нужен", "нужна", "нужно", "нужны", "важно", "важен") for w in words)
    return False


_TELLING_BEFORE = re.compile(r"(?<![\w-])(?:предупреди|скажи|попроси|передай|напомни|напиши)\w*[^.!?]*$", re.I | re.S)
_NOT_WANTED = re.compile(r"(?<![\w-])не\s+(?:хочу|хотим|хотелось бы|хочется)\s*$", re.I)


def _a_purpose(before: str, wished: str) -> bool:
    """«…, чтобы успеть под пик» is why; «не хочу, чтобы мы пропустили» says the opposite of its words, «скажи,
    чтобы поставила её в расписание» is what to tell, «чтоб больше такого не было» is a reproach."""
    if relevance.never_again(wished) or _NOT_WANTED.search(before.rstrip(" ,")):
        return False
    # «предупредите Иру, чтобы поставила её в расписание»: after a telling verb «чтобы» says what to tell
    return not _TELLING_BEFORE.search(before)


@dataclass(frozen=True, slots=True)
class ImpactRule:
    pattern: re.Pattern[str]
    fact: str


@lru_cache(maxsize=4)
def load_rules(path: Path = IMPACTS_FILE) -> tuple[ImpactRule, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return tuple(ImpactRule(re.compile(r["pattern"], re.I), str(r["fact"])) for r in (data or {}).get("rules", []))


def _as_fact(piece: str, rules: tuple[ImpactRule, ...]) -> str | None:
    """A rule's fact when one fits; the calm piece itself otherwise; None when it is only emotion."""
    for rule in rules:
        if rule.pattern.search(piece):
            return rule.fact
    if _CLIENT.search(piece) and relevance.has_emotion(piece):
        return "клиент недоволен"  # «клиент орёт», «заказчик психует»: the emotion, said as a fact about the client
    if tone.starts_threat(piece):
        return None
    if tone.is_strong(piece):
        # «сорвётся новогодняя отгрузка и крайними сделают нас»: the calm first part is the impact, the fear goes
        parts = re.split(r",?\s+(?:и|а|да и)\s+|,\s+", piece)
        calm = [p for p in parts if not tone.is_strong(p)]
        if not calm or tone.is_strong(parts[0]) or len(calm) == len(parts):
            return None
        piece = " и ".join(calm[:1])
    from bot.services.tasks import cleaning  # the admin's lexicon: reproaches go, slang becomes plain words

    if cleaning.is_blame(piece):
        # «Монтажники из-за него стоят»: who is to blame goes, who is held up stays
        piece = re.sub(r"\s*(?<![\w-])из-за\s+(?:него|неё|нее|них|тебя|вас)(?![\w-])", "", piece, flags=re.I)
        if cleaning.is_blame(piece):
            return None
    cleaned = tone.remove_weak(tone.fix_caps(tone.neutralize_words(piece))).rstrip(".!? ")
    cleaned = re.sub(r"^(?:а|и|но|да)\s+", "", cleaned.strip(), flags=re.I)  # «а цех потом стоит»
    return cleaned if len(cleaned.split()) >= 2 else None


def find_impact(request: str, rules: tuple[ImpactRule, ...] | None = None) -> list[str]:
    rules = load_rules() if rules is None else rules
    found: list[str] = []

    def add(piece: str | None, prefix: str = "") -> None:
        if piece and not any(piece in f for f in found):
            found.append(prefix + piece if prefix and not any(r.fact == piece for r in rules) else piece)

    for sentence in (s.text for s in sentenize(request)):
        if m := _OTHERWISE.search(sentence):
            add(_as_fact(m.group(1), rules), "если не успеть, ")
            continue
        if (m := _WITHOUT_THING.search(sentence)) and not _WITHOUT.search(sentence):
            # «Без оценки на КК не выйдем»: what is blocked without the work is why it matters
            add(_as_fact(m.group().strip(" .!"), rules))
            continue
        if _WITHOUT.search(sentence):
            clause = next(c for c in _clauses(sentence) if _WITHOUT.search(c) or "без" in c.lower())
            add(_as_fact(_WITHOUT.sub("без этого", clause), rules))
            continue
        if (m := _SO_THAT.search(sentence)) and _a_purpose(sentence[: m.start()], m.group(1)):
            add(_as_fact(m.group(1), rules), "чтобы ")
        for clause in _clauses(sentence):
            if _CLIENT.search(clause) and not _OTHERWISE.search(clause) and _client_acts(clause):
                add(_as_fact(clause, rules))
    if not found:
        # «Отделения с утра не видят заявки клиентов», «пациенты уже в очереди»: who is held up now is why it matters
        for sentence in (s.text for s in sentenize(request)):
            for clause in _clauses(sentence):
                held = _HELD_UP.search(clause) or _event_ahead(clause)
                if held and len(clause.split()) >= 3 and not _OTHERWISE.search(clause) and "?" not in clause:
                    add(_as_fact(clause.strip(" .!"), rules))
                    break
            if found:
                break
    if not found:
        # «Нам штраф за неявку прилетит», «нам рейтинг снизят», «остатка на 5 дней, потом карточки обнулятся»: a loss
        # the request foresees is why it matters
        for sentence in (s.text for s in sentenize(request)):
            if "?" in sentence:
                continue
            whole = sentence.strip(" .!")
            if _LOSS.search(whole) and len(whole.split()) <= 12 and not _asks(whole):
                add(_as_fact(whole, rules))  # «Остатка на 5 дней, потом карточки обнулятся»: said whole
            for clause in _clauses(sentence) if not found else []:
                if _LOSS.search(clause) and len(clause.split()) >= 2 and not _asks(clause):
                    add(_as_fact(clause.strip(" .!"), rules))
            if found:
                break
    return found


_PENALTY = r"(?:штраф\w*|неустойк\w*|пени)"
_INCURRED = r"(?:прилет\w*|выстав\w*|выпиш\w*|выкат\w*|влеп\w*|получим|будет|будут|грозит|заплатим)"
# A loss the request foresees; a penalty only with a verb of incurring it — «пункт про штраф 0,1% в день» is the
# subject of the task, not its reason.
_LOSS = re.compile(
    rf"{_PENALTY}[^,.;]{{0,25}}{_INCURRED}|{_INCURRED}[^,.;]{{0,25}}{_PENALTY}|"
    r"рейтинг\w*[^,.;]{0,15}(?:снизят|понизят|упад\w*|просяд\w*)|(?:снизят|понизят)[^,.;]{0,15}рейтинг\w*|"
    r"(?<![\w-])(?:обнулятся|обнулится|потеряем|заблокируют|отзыв\w*|сорвётся|сорвется|сорвут|встанут|встанет|"
    r"остановится|закончится|кончится|уйдут|уйдёт|уйдет|уходят|к конкурентам)"
    r"(?![\w-])",
    re.I,
)


def _asks(clause: str) -> bool:
    from bot.nlp.text import tokenize
    from bot.services.tasks.predicates import is_request_word

    words = [t for t in tokenize(clause) if t.is_word]
    # «Сегодня до 18:00 заблокировать доступ …»: an infinitive said as a request asks too
    infinitive = any(p.tag.POS == "INFN" for w in words[:4] for p in morph().parse(w.text.lower())[:1])
    return infinitive or any(is_request_word(t) for t in words)


# «Кредитный комитет в четверг», «сверка у них в пятницу»: the event the work is needed for
_EVENT_AHEAD = re.compile(
    r"(?<![\w-])(?:комитет\w*|сверк\w*|проверк\w*|аудит\w*|совещани\w*|планёрк\w*|презентаци\w*|комисси\w*|"
    r"инвентаризаци\w*|ревизи\w*|банкет\w*|мероприяти\w*|конференци\w*|выставк\w*|запуск\w*|отчётност\w*)"
    r"\s+(?:у\s+(?:них|нас|клиента)\s+)?(?:в|во|на)?\s*(?:понедельник|вторник|среду|четверг|пятницу|субботу|"
    r"\d{1,2}\.\d{2}|\d{1,2}-?го|завтра|послезавтра)(?![\w-])",
    re.I,
)


def _event_ahead(clause: str) -> bool:
    """«Кредитный комитет в четверг» is the event the work is for; «проведи проверку 3-го этажа» asks for one."""
    m = _EVENT_AHEAD.search(clause)
    if m is None:
        return False
    word = m.group().split()[0].lower()
    return any(p.tag.case == "nomn" for p in morph().parse(word)[:1])


_HELD_UP = re.compile(
    r"(?<![\w-])(?:клиент\w*|пациент\w*|отделени[яе]|менеджеры|операторы|люди|покупател\w*|гости|сотрудники|"
    r"(?:ООО|АО|ПАО|ИП)\s+«[^»]+»|«[^»]+»|"
    r"водители|врачи|магазин\w*|склад|производство|линия|монтажник\w*|бригад\w*|рабочие|цех)(?![\w-])"
    r"[^,;.!?]{0,40}?(?<![\w-])(?:не\s+(?:могут|может|видят|видит|получают|получит|получат)|ждут|ждёт|ждет|стоят|стоит|"
    r"простаива\w*|уже в очереди|в очереди|висят на линии)(?![\w-])",
    re.I,
)
