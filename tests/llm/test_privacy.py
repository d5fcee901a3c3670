"""Masking of personal data: every kind, checksums, names from three sources, round trip, log filter."""

from __future__ import annotations

import logging

import pytest

from bot.llm.privacy import (
    Masker,
    PersonalDataLogFilter,
    UnknownPlaceholderError,
    contains_personal_data,
    inn_valid,
    luhn_valid,
    snils_valid,
)


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("Звоните: +7 (916) 123-45-67.", "+7 (916) 123-45-67", "PHONE"),
        ("Звоните: 8 916 123 45 67.", "8 916 123 45 67", "PHONE"),
        ("Звоните: 8-800-555-35-35.", "8-800-555-35-35", "PHONE"),
        ("Звоните: +79161234567.", "+79161234567", "PHONE"),
        ("Звоните: 916 123-45-67.", "916 123-45-67", "PHONE"),
        ("Звоните: (495) 123-45-67.", "(495) 123-45-67", "PHONE"),
        ("Пишите: ivan.petrov@example.ru.", "ivan.petrov@example.ru", "EMAIL"),
        ("Пишите: продажи@ромашка.рф.", "продажи@ромашка.рф", "EMAIL"),
        ("ИНН 7707083893, спасибо", "7707083893", "INN"),
        ("ИНН ИП 500100732259, спасибо", "500100732259", "INN"),
        ("СНИЛС 112-233-445 95, спасибо", "112-233-445 95", "SNILS"),
        ("Карта 4111 1111 1111 1111, спасибо", "4111 1111 1111 1111", "CARD"),
        ("Карта 5500000000000004, спасибо", "5500000000000004", "CARD"),
        ("паспорт 4506 123456, выдан", "4506 123456", "PASSPORT"),
        ("серия 45 06 номер 123456, выдан", "45 06 номер 123456", "PASSPORT"),
        ("Везите в г. Москва, ул. Тверская, д. 7, кв. 15.", "г. Москва, ул. Тверская, д. 7, кв. 15", "ADDRESS"),
        ("Офис: Ленинский проспект, д. 32, корп. 2.", "Ленинский проспект, д. 32, корп. 2", "ADDRESS"),
        ("Забрать: д. 5, кв. 12.", "д. 5, кв. 12", "ADDRESS"),
    ],
)
def test_each_kind_is_masked_and_restored(text: str, value: str, kind: str) -> None:
    masker = Masker()
    masked = masker.mask(text)
    assert value not in masked
    assert f"⟦{kind}_1⟧" in masked
    assert masker.issued[f"⟦{kind}_1⟧"] == value
    assert masker.unmask(masked) == text


@pytest.mark.parametrize(
    "text",
    [
        "ИНН 7707083894, спасибо",  # wrong control digit
        "ИНН 500100732258, спасибо",
        "СНИЛС 112-233-445 96, спасибо",
        "номер 4111 1111 1111 1112, спасибо",  # fails Luhn
        "Сумма 1 200 000 руб., заказ от 2026-11-30, ГОСТ 12345-2020, 40 паллет, скидка 5%",
    ],
)
def test_numbers_failing_checksums_and_ordinary_numbers_stay(text: str) -> None:
    masker = Masker()
    assert masker.mask(text) == text
    assert masker.issued == {}


def test_checksums() -> None:
    assert inn_valid("7707083893") and not inn_valid("7707083894")
    assert inn_valid("500100732259") and not inn_valid("500100732258") and not inn_valid("12345")
    assert snils_valid("112-233-445 95") and not snils_valid("112-233-445 96")
    assert not snils_valid("001-001-998 00")  # below the range where the checksum is defined
    assert luhn_valid("4111 1111 1111 1111") and not luhn_valid("4111 1111 1111 1112")


def test_same_value_gets_the_same_placeholder() -> None:
    masker = Masker()
    first = masker.mask("Звоните +7 916 123-45-67")
    second = masker.mask("или 8 (916) 1234567, это тот же номер; а жена — +7 903 765-43-21")
    assert first.endswith("⟦PHONE_1⟧")
    assert "⟦PHONE_1⟧" in second and "⟦PHONE_2⟧" in second


def test_names_from_ner_dictionary_and_signature() -> None:
    masker = Masker()
    masked = masker.mask(
        "Передайте Марии Сергеевне документы, подпишет Сидоров А.В. "
        "здравствуйте это ольга смирнова. С уважением, Пётр Иванов"
    )
    for name in ("Марии Сергеевне", "Сидоров А.В.", "ольга смирнова", "Пётр Иванов"):
        assert name not in masked
    assert set(masker.issued.values()) >= {"Марии Сергеевне", "Сидоров А.В.", "ольга смирнова", "Пётр Иванов"}
    assert "Передайте ⟦PERSON_1⟧ документы" in masked  # numbered left to right


def test_known_names_in_any_case_form() -> None:
    masker = Masker()
    masked = masker.mask("Передайте Кузнецовой Алле, что Аллу ждут", known_names=["Кузнецова Алла"])
    assert "Кузнецов" not in masked and "Алл" not in masked


def test_words_that_only_look_like_names_stay() -> None:
    text = "ИНН не нужен. Надеюсь на понимание: поставка, цена, Москва, ООО Ромашка."
    masker = Masker()
    assert masker.mask(text) == text


def test_round_trip_of_a_whole_message() -> None:
    text = (
        "Добрый день! Я Иван Петров, ИНН 7707083893, тел. +7 (916) 123-45-67, почта ivan@example.ru, "
        "адрес: ул. Ленина, д. 5, кв. 12. Карта 4111 1111 1111 1111."
    )
    masker = Masker()
    masked = masker.mask(text)
    for raw in ("Иван", "Петров", "7707083893", "916", "ivan@", "Ленина", "4111"):
        assert raw not in masked
    assert masker.unmask(masked) == text


@pytest.mark.parametrize(
    "answer",
    ["Позвоните ⟦PHONE_2⟧", "Позвоните ⟦phone_1⟧", "Позвоните PHONE_1", "Позвоните [[PHONE_1]]", "Позвоните ⟦PHONE_1"],
)
def test_unknown_or_mangled_placeholders_are_rejected(answer: str) -> None:
    masker = Masker()
    masker.mask("Звоните +7 916 123-45-67")
    with pytest.raises(UnknownPlaceholderError):
        masker.unmask(answer)


def test_contains_personal_data() -> None:
    assert contains_personal_data("мой номер 8 916 123 45 67")
    assert contains_personal_data("передайте Алле", known_names=["Алла Кузнецова"])
    assert not contains_personal_data("Когда будет поставка 40 паллет?")


def test_log_filter_masks_message_arguments_and_traceback() -> None:
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Collect()
    handler.addFilter(PersonalDataLogFilter())
    logger = logging.getLogger("tests.llm.privacy")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("client %s wrote from %s", "Иван Петров", "ivan.petrov@example.ru")
        try:
            raise ValueError("bad phone +7 916 123-45-67")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    text = "\n".join(records)
    assert "⟦EMAIL_1⟧" in text and "⟦PHONE_1⟧" in text and "⟦PERSON_1⟧" in text
    for raw in ("Иван", "Петров", "ivan.petrov", "916 123"):
        assert raw not in text
