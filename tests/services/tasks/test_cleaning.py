"""Cleaning a request before it reaches a colleague (issue 15): slang verbs become neutral ones, jibes and blame
drop their own clause (not the fact next to it), a group's address is not part of the task, informal names become
the directory's proper name in the right case, and the lexicon is data an admin extends. Own examples."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.services.tasks import cleaning
from bot.services.tasks.blind_eval import _leaks
from bot.services.tasks.directory import ColleagueInfo, Directory
from bot.services.tasks.extraction import extract
from bot.services.tasks.tone import neutralize_words

TODAY = date(2026, 12, 2)


def _directory() -> Directory:
    return Directory(
        [
            ColleagueInfo("a1", "Осипов Владимир Андреевич", "Отдел разработки"),
            ColleagueInfo("a2", "Белкина Анастасия Игоревна", "Служба поддержки"),
            ColleagueInfo("a3", "Чернов Сергей Ильич", "Склад"),
        ],
        [],
    )


def test_slang_verbs_and_words_become_neutral() -> None:
    assert neutralize_words("Пофикси форму входа") == "исправить форму входа"
    assert "прерывается" in neutralize_words("VPN отваливается каждый час")
    assert "отключилось электричество" in neutralize_words("ночью свет вырубило")
    assert "вышел из строя" in neutralize_words("сервер навернулся")
    assert neutralize_words("закинь отчёт").startswith("отправить")
    assert "фотографии" in neutralize_words("фотки склада")


def test_a_jibe_drops_its_clause_but_not_the_fact_beside_it() -> None:
    text = "Наш гений опять залил релиз без проверки, и в приложении пропал раздел «Счета». Верните раздел до 17:00."
    e = extract(text, _directory(), TODAY)
    everything = " ".join([e.deliverable or "", *e.details, *e.also]).lower()
    assert "гений" not in everything
    assert "пропал раздел «счета»" in everything


def test_a_group_address_is_not_the_task() -> None:
    text = "Разрабы, опять спите? Отчёты из личного кабинета не выгружаются в Excel. Исправить сегодня."
    e = extract(text, _directory(), TODAY)
    assert e.deliverable is not None
    assert "разраб" not in e.deliverable.lower() and "спите" not in e.deliverable
    assert e.deliverable.startswith("исправить")
    assert "не выгружаются в Excel" in e.deliverable


def test_an_informal_name_becomes_the_proper_name_in_the_same_case() -> None:
    text = "Вова, настрой стенд для тестов вместе с Настей из поддержки до пятницы."
    e = extract(text, _directory(), TODAY)
    assert e.deliverable is not None
    assert "вместе с Анастасией Белкиной" in e.deliverable
    assert "Настей" not in e.deliverable


def test_another_persons_surname_is_not_taken_for_a_nickname() -> None:
    text = "Сергей, внеси в журнал приёмку от поставщика, контакт Сергеев, до пятницы."
    e = extract(text, _directory(), TODAY)
    assert "Сергеев" in " ".join([e.deliverable or "", *e.details])


def test_the_cleaning_lexicon_is_data(tmp_path: Path) -> None:
    path = tmp_path / "cleaning.yaml"
    path.write_text(
        "replace:\n  - {pattern: 'захардкодь', with: 'пропиши'}\nwords: {}\nblame: ['бездельники']\n"
        "vocatives: ['орлы']\n",
        encoding="utf-8",
    )
    lexicon = cleaning.load(path)
    assert cleaning.replace_phrases("захардкодь адрес", lexicon) == "пропиши адрес"
    assert cleaning.is_blame("эти бездельники снова", lexicon)
    assert cleaning.is_vocative("Орлы,", lexicon)


def test_a_leak_is_a_whole_word_not_part_of_a_proper_name() -> None:
    assert not _leaks("Марин", "Здравствуйте, Марина Юрьевна!")
    assert _leaks("Марин", "Марин, привет")


def test_a_greeting_is_not_a_detail_and_a_verb_keeps_its_date() -> None:
    text = (
        "Сергей, добрый день! Прошу принять на склад 40 коробок бумаги А4 в пятницу. Подтвердите, пожалуйста, до 12:00."
    )
    e = extract(text, _directory(), TODAY)
    assert not any("добрый день" in d.lower() for d in e.details)
    assert "подтвердить до 12:00" in e.also


def test_a_womans_name_that_looks_like_a_mans_genitive_keeps_her_gender() -> None:
    # «Евгения» is also «Евгений» in the genitive: the patronymic decides
    assert cleaning.proper_name("Захарова Евгения Николаевна", "ablt") == "Евгенией Захаровой"
    assert cleaning.proper_name("Шевченко Евгений Павлович", "ablt") == "Евгением Шевченко"
    assert cleaning.proper_name("Шевченко Александра Павловна", "datv") == "Александре Шевченко"


def test_a_full_name_outside_the_directory_takes_the_case_a_pronoun_stood_in() -> None:
    assert cleaning.person_in_case("Кириллова Анна Петровна", "accs") == "Кириллову Анну Петровну"
    e = extract(
        "Нашли бухгалтера — Лаврова Елена Сергеевна, оформите её до пятницы, выход с понедельника.",
        _directory(),
        TODAY,
    )
    assert (e.deliverable or "").startswith("оформить Лаврову Елену Сергеевну")


def test_hanging_is_said_plainly_and_the_sentence_stays_whole() -> None:
    assert cleaning.replace_phrases("у них приложение висит") == "у них приложение зависает"
    assert cleaning.replace_phrases("тикет ORB-1 висит три недели") == "тикет ORB-1 лежит без движения три недели"
    assert cleaning.replace_phrases("клиенты висят на линии") == "клиенты ждут на линии"
