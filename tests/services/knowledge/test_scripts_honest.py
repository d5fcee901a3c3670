"""The scripts library never states a fact nobody gave (issue 14): every «Шаблон ответа» is the type's move, written
for any industry in one voice («мы»), with visible blanks «[срок]» where a fact is needed.

The composer puts the template after the answers to the client's questions, so a template that promises a date, a
price, an attachment or a past meeting would put words in the manager's mouth. These checks read the real
scripts_library, so an edit that brings such a phrase back fails here, with the script id and the phrase.
"""

from __future__ import annotations

import re

import pytest

from bot.config import PROJECT_ROOT
from bot.domain import BehaviourType, Situation
from bot.services.knowledge.corpus import BLANK_VALUES, Script, load_scripts
from bot.services.knowledge.scripts import ScriptLibrary

_ERRORS: list[str] = []
SCRIPTS = load_scripts(PROJECT_ROOT, _ERRORS)
LIBRARY = ScriptLibrary(SCRIPTS)
DEAL = "Тестовая сделка"

# Visible blanks are where the manager writes the fact in; everything outside them must hold no fact.
_BLANK_RE = re.compile(r"\[[^\[\]]*\]")

# (what it is, pattern) — searched case-insensitively in the rendered text with the blanks removed.
FORBIDDEN: tuple[tuple[str, str], ...] = (
    ("цифра (дата, сумма, срок, процент)", r"\d"),
    (
        "месяц",
        r"\b(январ[яьею]|феврал[яьею]|марта?|апрел[яьею]|ма[йяею]|июн[яьею]|июл[яьею]|августа?|сентябр[яьею]"
        r"|октябр[яьею]|ноябр[яьею]|декабр[яьею])\b",
    ),
    ("день недели", r"\b(понедельник\w*|вторник\w*|в среду|четверг\w*|пятниц\w*|суббот\w*|воскресень\w*)\b"),
    ("срок-обещание", r"\b(сегодня|завтра|послезавтра)\b|до конца дня|в течение|рабочего дня|через (час|день|неделю)"),
    ("валюта или процент", r"%|₽|\$|€|\bруб|процент"),
    ("вложение", r"прилага|прикладыва|в приложени|во вложени|в таблице|высылаем|направляем"),
    ("сделанное, о чём никто не сказал", r"\b(подготовили|записали|собрали|отправили|провели|уже)\b"),
    (
        "прошедшая встреча",
        r"за встречу|после (нашей |вчерашней )?встречи|прошл\w* встреч|(спасибо|благодар\w*)[^.!?]*встреч",
    ),
    ("голос «я» вместо «мы»", r"\b(я|мне|меня|мной|мой|моя|моё|мои|буду)\b"),
    ("отраслевое слово", r"отгрузк|накладн|\bпарти[яиюей]\b|по вашему заказу|\bсклад(а|е|у|ом|ы|ов|ах)?\b|производств"),
    ("человек, которого никто не назвал", r"руководител|директор"),
    ("стандарт или гарантия, которых никто не дал", r"\bгост\b|сертификат|гарантиру|гарантированн"),
    ("скидка", r"скидк"),
)
_FORBIDDEN_RE = [(label, re.compile(pattern, re.IGNORECASE)) for label, pattern in FORBIDDEN]
_TU_RE = re.compile(r"\bТУ\b")  # технические условия: case-sensitive, «ту» is an ordinary word
_SENTENCE_END_RE = re.compile(r"[.!?…]+(?=\s|$)")
_DEAL_USE_RE = re.compile(r"\{\{\s*deal\s*\}\}")
_DEAL_QUOTED_RE = re.compile(r"по сделке «\{\{ deal \}\}»")

# The type's move (PRODUCT.md). Situations where the move is deliberately absent: a congratulation sells nothing
# and asks nothing; a «no reply needed» line is one optional courtesy.
_QUIET = {Situation.CONGRATULATION, Situation.NO_REPLY}
TYPE_MOVES: dict[BehaviourType, tuple[str, frozenset[Situation]]] = {
    BehaviourType.EMOTIONAL_CONFIDENT: (
        r"мнени|оценк|посовет|Ваш взгляд|видение|как Вы смотрите|Вы считаете|как (Вам )?лучше|благодар|спасибо|цени",
        frozenset(_QUIET),
    ),
    BehaviourType.NONEMOTIONAL_CONFIDENT: (
        r"цифр|сравн|вариант|параметр|показател|расч|посчита|выгод|эконом|дороже",
        # a courtesy, a document hand-over and a bill are facts in blanks, not a comparison
        frozenset(_QUIET | {Situation.ROUTINE, Situation.PAYMENT_REMINDER}),
    ),
    BehaviourType.NONEMOTIONAL_UNCONFIDENT: (r"письменн|статус|подтверд|документ|этап|соглас", frozenset(_QUIET)),
    BehaviourType.EMOTIONAL_UNCONFIDENT: (r"созвон|звон|видео", frozenset(_QUIET)),
}


def rendered(script: Script, library: ScriptLibrary = LIBRARY) -> list[str]:
    """The template as the client would read it, with a deal on file and without one."""
    return [library.render_reply(script), library.render_reply(script, deal=DEAL)]


def outside_blanks(text: str) -> str:
    return _BLANK_RE.sub(" ", text)


def test_the_library_loads_whole_and_covers_every_situation_and_type() -> None:
    assert _ERRORS == []
    have = {(s.situation, s.type) for s in SCRIPTS}
    missing = [f"{sit.value}.{t.value}" for sit in Situation for t in BehaviourType if (sit, t) not in have]
    assert missing == []


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.id)
def test_template_states_no_fact_nobody_gave(script: Script) -> None:
    assert "next_date" not in script.reply_template, "даты не вычисляются в шаблоне: только пропуск «[дата]»"
    for text in rendered(script):
        plain = outside_blanks(text)
        found = [(label, m.group(0)) for label, pattern in _FORBIDDEN_RE if (m := pattern.search(plain))]
        if _TU_RE.search(plain):
            found.append(("стандарт или гарантия, которых никто не дал", "ТУ"))
        assert found == [], f"{script.id}: {found} в «{text}»"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.id)
def test_template_is_a_short_move(script: Script) -> None:
    text = outside_blanks(LIBRARY.render_reply(script, deal=DEAL))
    assert text.strip(), f"{script.id}: пустой шаблон"
    assert len(_SENTENCE_END_RE.findall(text)) <= 3, f"{script.id}: больше трёх предложений: «{text}»"
    assert not text.lstrip().lower().startswith(("добрый", "здравствуйте")), "приветствие ставит композитор"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.id)
def test_deal_is_optional_and_named_in_the_nominative(script: Script) -> None:
    uses = len(_DEAL_USE_RE.findall(script.reply_template))
    assert uses == len(_DEAL_QUOTED_RE.findall(script.reply_template)), (
        f"{script.id}: сделка только как «по сделке «{{{{ deal }}}}»» — название остаётся в именительном падеже"
    )
    without, with_deal = rendered(script)
    assert BLANK_VALUES["deal"] not in without, f"{script.id}: {{{{ deal }}}} вне {{% if deal %}}"
    assert "  " not in without and " ," not in without and " ." not in without, f"{script.id}: шов «{without}»"
    assert with_deal.count(f"«{DEAL}»") == uses


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.id)
def test_template_makes_the_types_move(script: Script) -> None:
    text = outside_blanks(LIBRARY.render_reply(script))
    if script.type is BehaviourType.UNDETERMINED:
        if script.situation not in _QUIET:
            assert "?" in text, f"{script.id}: нужен вопрос, который покажет тип"
        return
    pattern, exempt = TYPE_MOVES[script.type]
    if script.situation not in exempt:
        assert re.search(pattern, text, re.IGNORECASE), f"{script.id}: нет хода типа ({pattern}) в «{text}»"


@pytest.mark.parametrize(
    "bad",
    [
        "Новая дата — {{ next_date }}.",
        "Прилагаем акт сверки.",
        "Ещё раз благодарим за встречу.",
        "Ответим сегодня до конца дня.",
        "Скидка 5% действует до 12 марта.",
        "Буду рад помочь.",
        "Отгрузка по Вашему заказу на личном контроле руководителя.",
        "Вопрос по «{{ deal }}» решим.",
    ],
)
def test_the_checks_catch_what_issue_14_saw(bad: str) -> None:
    """The guard itself can fail: each phrase the issue quoted trips at least one check."""
    script = Script(
        id="complaint.undetermined",
        title="t",
        type=BehaviourType.UNDETERMINED,
        situation=Situation.COMPLAINT,
        channel="email",
        goal="g",
        keywords=("k",),
        sections={},
        reply_template=bad,
    )
    tripped = "next_date" in bad
    for text in rendered(script, ScriptLibrary([])):
        plain = outside_blanks(text)
        tripped |= any(pattern.search(plain) for _, pattern in _FORBIDDEN_RE)
        tripped |= BLANK_VALUES["deal"] in text
    assert tripped, bad
