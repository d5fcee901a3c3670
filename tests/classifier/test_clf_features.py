"""Each style feature fires on the text it describes and stays quiet on plain text; cues quote the text."""

from __future__ import annotations

import pytest

from bot.classifier.features import FeatureExtractor
from bot.domain import Axis

PLAIN = "Добрый день прошу прислать счет на оплату"


def _count(fx: FeatureExtractor, text: str, name: str) -> float:
    return fx.analyse(text).dense[f"style.{name}"]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("exclamations", "Вы нас очень выручили!"),
        ("multi_punct", "Где машина?!"),
        ("multi_punct", "Это же ужас!!!"),
        ("emoji", "Спасибо большое 😍"),
        ("emoticons", "Договорились :)"),
        ("emoticons", "получили, спасибо)))"),
        ("emoticons", "опять задержка(("),
        ("caps", "Это СРОЧНО нужно сделать"),
        ("elongation", "Спасибооо вам"),
        ("ellipsis", "Не знаю... подумаю"),
        ("diminutives", "Пришлите документик на минуточку"),
        ("numbers", "Нужно 150 и ещё 20"),
        ("units", "Отгрузите 20 т щебня"),
        ("units", "Нужно 300 шт."),
        ("currency", "Бюджет 500 тыс. руб."),
        ("currency", "Цена 1 200 ₽"),
        ("percent", "Скидка 10% или 15 процентов"),
        ("dates", "Поставка 15.03.2025 к 10:00"),
        ("dates", "Оплатим до 5 апреля"),
        ("enumeration", "Нужно:\n1) цена\n2) срок\n3) гарантия"),
        ("enumeration", "Условия:\n- предоплата\n- доставка"),
        ("questions", "Когда будет? Кто везёт?"),
        ("imperatives", "Сделайте расчёт и пришлите"),
        ("politeness", "Здравствуйте, будьте добры, пришлите"),
        ("record", "ИНН 7703123456, тел. +7 916 000-11-42"),
    ],
)
def test_style_feature_fires(extractor: FeatureExtractor, name: str, text: str) -> None:
    assert _count(extractor, text, name) > 0
    assert _count(extractor, PLAIN, name) == 0 or name in ("politeness", "imperatives")


def test_plain_text_has_no_emotional_style(extractor: FeatureExtractor) -> None:
    a = extractor.analyse(PLAIN)
    for name in ("exclamations", "emoji", "emoticons", "caps", "elongation", "numbers", "questions"):
        assert a.dense[f"style.{name}"] == 0, name


def test_greeting_exclamation_is_etiquette_not_emotion(extractor: FeatureExtractor) -> None:
    assert _count(extractor, "Здравствуйте! Пришлите счёт.", "exclamations") == 0
    assert _count(extractor, "Здравствуйте! Как же я рада!", "exclamations") > 0


def test_abbreviations_are_not_shouting(extractor: FeatureExtractor) -> None:
    assert _count(extractor, "Пришлите КП и сертификат ГОСТ, ООО Ромашка", "caps") == 0


def test_list_markers_are_not_smiles(extractor: FeatureExtractor) -> None:
    assert _count(extractor, "Нужно: 1) цена; 2) срок", "emoticons") == 0
    assert _count(extractor, "Смотрите раздел (см. ниже)", "emoticons") == 0


def test_request_for_help_is_not_a_command(extractor: FeatureExtractor) -> None:
    # "подскажите" is grammatically imperative but asks for help: it must not count as a directive
    assert _count(extractor, "Подскажите, пожалуйста, как быть", "imperatives") == 0
    assert _count(extractor, "Отгрузите сегодня", "imperatives") > 0


def test_pronoun_rates_are_bounded(extractor: FeatureExtractor) -> None:
    a = extractor.analyse("я я я я я я я я")
    assert 0 < a.dense["style.first_person"] <= 3.0


def test_cues_are_verbatim_with_spans(extractor: FeatureExtractor) -> None:
    text = "Ой, я ТАК переживаю!!! Пришлите сертификаты и 20 т по 1 500 руб. до 5 мая 😟"
    a = extractor.analyse(text)
    assert a.cues
    for c in a.cues:
        assert text[c.start : c.stop] == c.cue.text
        assert c.cue.direction in (-1, 1)
        assert c.cue.weight > 0
        assert c.cue.label
    sources = {c.source for c in a.cues}
    assert {"emoji", "multi_punct", "currency", "units"} <= sources


def test_dense_vector_is_complete_and_finite(extractor: FeatureExtractor) -> None:
    for text in ("", "!", "😀" * 50, "Слово " * 2000):
        a = extractor.analyse(text)
        assert set(a.dense) == set(extractor.dense_names)
        assert all(v == v and abs(v) < 100 for v in a.dense.values())


def test_axis_totals_follow_the_cues(extractor: FeatureExtractor) -> None:
    a = extractor.analyse("Нужны гарантии и сертификаты, очень боимся рисков")
    assert a.dense["axis.conf_neg"] > a.dense["axis.conf_pos"]
    assert any(c.cue.axis is Axis.CONFIDENCE and c.cue.direction == -1 for c in a.cues)


@pytest.mark.parametrize(
    "text",
    [
        "Добрый день, Олег Петрович! Подскажите тариф.",
        "Здравствуйте, Марина! Пришлите счёт.",
        "Спасибо, коллеги! Всё получили.",
        "Привет всем! Ждём договор.",
    ],
)
def test_a_greeting_to_a_named_person_is_etiquette_not_emotion(extractor: FeatureExtractor, text: str) -> None:
    assert _count(extractor, text, "exclamations") == 0


@pytest.mark.parametrize(
    "text",
    [
        "Нужен полис ОСАГО и КАСКО на КАМАЗ, справку из ГИБДД пришлю",
        "Сделайте МРТ по ДМС, ИНН и СНИЛС в анкете",
        "Подключите SMM и CRM, ЕГРЮЛ приложу",
    ],
)
def test_abbreviations_and_brands_in_capitals_are_not_shouting(extractor: FeatureExtractor, text: str) -> None:
    assert _count(extractor, text, "caps") == 0


@pytest.mark.parametrize("text", ["ВЫ ВООБЩЕ СОБИРАЕТЕСЬ ОТВЕЧАТЬ?", "Нужно СРОЧНО", "ГДЕ ДОКУМЕНТЫ"])
def test_ordinary_words_in_capitals_are_shouting(extractor: FeatureExtractor, text: str) -> None:
    assert _count(extractor, text, "caps") > 0


@pytest.mark.parametrize(
    "text",
    [
        "Переехали на ул. Баумана, дом 44, офис 12",
        "По договору ЛД-2291/25 и заказу № 3312",
        "Полис ХХХ 0384719265, ИНН 7714583920",
        "Отчёт за 2025 год",
    ],
)
def test_numbers_that_name_things_are_not_precision(extractor: FeatureExtractor, text: str) -> None:
    assert _count(extractor, text, "numbers") == 0


def test_quantities_still_count_as_numbers(extractor: FeatureExtractor) -> None:
    assert _count(extractor, "Нужно 150 штук и ещё 20 в резерв", "numbers") > 0


def _quotes(fx: FeatureExtractor, text: str) -> dict[str, str]:
    return {c.cue.text.lower(): c.source for c in fx.analyse(text).cues}


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Нужна банковская гарантия на исполнение контракта.", "банковская гарантия"),
        ("Не могу зайти в личный кабинет.", "личный кабинет"),
        ("Служба поддержки не отвечает второй день.", "служба поддержки"),
        ("Списали по тарифу «Оптимальный», хотя договаривались иначе.", "«оптимальный»"),
    ],
)
def test_names_of_products_and_services_are_not_the_clients_attitude(
    extractor: FeatureExtractor, text: str, term: str
) -> None:
    inside = [q for q in _quotes(extractor, text) if q in term]
    assert not inside


def test_paying_is_not_crying(extractor: FeatureExtractor) -> None:
    assert "emotionality.feelings" not in _quotes(extractor, "Я плачу вам каждый месяц вовремя.").values()
    assert "emotionality.feelings" in _quotes(extractor, "Я просто плакала, когда открыла коробку.").values()


def test_a_question_about_what_is_needed_is_not_a_demand(extractor: FeatureExtractor) -> None:
    assert "нужны" not in _quotes(extractor, "Какие документы нужны, кроме паспорта?")
    assert _quotes(extractor, "Нужны документы до пятницы.").get("нужны") == "confidence.directives"


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Если денег не будет, переводим терминалы в другой банк.", "переводим"),
        ("Здраствуйте, подключите нас.", "здраствуйте"),
        ("Спасибо вам, деньги пришли в среду.", "пришли"),
        ("Мастера пришли через час после заявки.", "пришли"),
    ],
)
def test_plans_greetings_and_past_forms_are_not_commands(extractor: FeatureExtractor, text: str, word: str) -> None:
    assert _quotes(extractor, text).get(word) != "imperatives"


@pytest.mark.parametrize(("text", "word"), [("Пришли мне счёт.", "пришли"), ("Отгрузите сегодня.", "отгрузите")])
def test_commands_in_ambiguous_forms_still_count(extractor: FeatureExtractor, text: str, word: str) -> None:
    assert _quotes(extractor, text).get(word) == "imperatives"


def test_dates_are_dates_not_figures(extractor: FeatureExtractor) -> None:
    quotes = _quotes(extractor, "Выручка за 1 и 2 декабря не пришла, звонила в 9:40.")
    assert quotes.get("1 и 2 декабря") == "dates"
    assert "1" not in quotes and "9" not in quotes and "40" not in quotes
    assert _count(extractor, "Погрузчик H3.0, договор 45/24", "dates") == 0
    assert _count(extractor, "Лист 09Г2С и погрузчик H3.0FT", "numbers") == 0


def test_prepositions_and_years_are_not_units(extractor: FeatureExtractor) -> None:
    assert _count(extractor, "Платим 2 490 в месяц", "units") == 0
    assert _count(extractor, "Договор до 2027 года", "units") == 0
    assert _count(extractor, "Мотор на 220 В и 15 кВт", "units") > 0


def test_a_term_ending_like_a_diminutive_is_not_one(extractor: FeatureExtractor) -> None:
    assert _count(extractor, "Можно оформить рассрочку или отсрочку платежа?", "diminutives") == 0
    assert _count(extractor, "Пришлите коробочку с образцами", "diminutives") > 0


def test_a_board_of_directors_is_not_a_request_for_advice(extractor: FeatureExtractor) -> None:
    cues = extractor.analyse("Отчёт нужно показать совету директоров в пятницу").cues
    assert not any("совет" in c.cue.text.lower() for c in cues)
