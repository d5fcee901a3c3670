"""Requests as busy people type them: «давай ты …», a bare «им» for a company, the requester's own plans, paired
nouns («машина-рефрижератор»)."""

from __future__ import annotations

from datetime import date

from bot.services.tasks.directory import ColleagueInfo, Directory
from bot.services.tasks.done import done_for
from bot.services.tasks.extraction import extract
from bot.services.tasks.predicates import _to_accusative

TODAY = date(2026, 12, 8)


def _directory() -> Directory:
    return Directory(
        [
            ColleagueInfo("c1", "Шевченко Евгений Павлович", "Отдел тестирования"),
            ColleagueInfo("c2", "Ахметова Алина Ринатовна", "Мобильная разработка"),
            ColleagueInfo("c3", "Садыков Руслан Тимурович", "Диспетчерская служба"),
            ColleagueInfo("c4", "Романов Павел Игоревич", "Юридический отдел"),
        ],
        [],
    )


def test_a_future_tense_ask_after_davai_is_the_action() -> None:
    e = extract(
        "Евгений, давай ты составишь чек-лист смоук-тестов, пунктов на 20, и выложишь в Confluence до пятницы.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None
    assert "составить чек-лист смоук-тестов" in e.deliverable and "выложить в Confluence" in e.deliverable
    assert "давать" not in e.deliverable and "составишь" not in e.deliverable


def test_the_requesters_own_plan_makes_nobody_a_co_executor() -> None:
    e = extract(
        "Евгений, составь чек-лист смоук-тестов до пятницы. А я потом ещё с Алиной поговорю про код-ревью.",
        _directory(),
        TODAY,
    )
    assert e.co_executor_ids == []
    e = extract("Евгений, составь чек-лист смоук-тестов вместе с Алиной до пятницы.", _directory(), TODAY)
    assert e.co_executor_ids == ["c2"]


def test_a_bare_them_becomes_the_one_company_the_request_names() -> None:
    e = extract(
        "Руслан, я вчера с «Агроснабом» говорила. Им в четверг нужна машина-рефрижератор на 20 тонн.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None
    assert "компании «Агроснаб» машину-рефрижератор на 20 тонн" in e.deliverable
    assert " им " not in f" {e.deliverable} "


def test_the_first_noun_of_a_pair_takes_the_case() -> None:
    assert _to_accusative("машина-рефрижератор на 20 тонн") == "машину-рефрижератор на 20 тонн"
    assert _to_accusative("интернет-магазин") == "интернет-магазин"
    assert done_for(["обеспечить компании «Агроснаб» машину-рефрижератор"]) == "машина-рефрижератор обеспечена"


def test_every_step_of_a_wish_and_of_pusti_is_kept() -> None:
    directory = _directory()
    e = extract("Руслан, до среды чтоб выехал, составил акт осмотра и отписался мне.", directory, TODAY)
    assert e.deliverable == "выехать, составить акт осмотра и отписаться мне"
    e = extract(
        "Руслану передай: пусть сегодня же позвонит Мальцевым и до конца дня подберёт им аналог в той же секции.",
        directory,
        TODAY,
    )
    assert e.deliverable is not None and "позвонить" in e.deliverable
    assert "подобрать им аналог в той же секции" in e.deliverable


def test_a_threat_and_a_fear_stay_out_while_the_impact_stays() -> None:
    e = extract(
        "Руслан, переделай штамп под короб до 16.12, иначе у них сорвётся новогодняя отгрузка и крайними сделают "
        "нас. Не будет — иду к директору.",
        _directory(),
        TODAY,
    )
    said = " ".join([e.deliverable or "", *e.details, *e.impact])
    assert "сорвётся новогодняя отгрузка" in said
    assert "крайними" not in said and "директору" not in said


def test_names_and_abbreviations_survive_cleaning() -> None:
    e = extract(
        "Руслан, проведи сверку с ООО «Молочный край» по перекрытию корп. 1 до пятницы, край.", _directory(), TODAY
    )
    assert e.deliverable is not None and "«Молочный край»" in e.deliverable
    assert "корп. 1" in e.deliverable and "корп;" not in e.deliverable


def test_hanging_paper_lies_still_but_a_banner_hangs() -> None:
    from bot.services.tasks import tone

    assert (
        tone.neutralize_words("Баннер на Объездной висит с ценой 89 900") == "Баннер на Объездной висит с ценой 89 900"
    )
    assert "лежит без движения" in tone.neutralize_words("Счёт №1187 висит неоплаченный вторую неделю")
    assert "лежат без движения" in tone.neutralize_words("в CRM висят 23 сделки в статусе «Бронь»")


def test_a_date_with_do_and_a_time_is_the_deadline_and_a_noun_restating_a_step_goes() -> None:
    from bot.services.tasks.action import numbered
    from bot.services.tasks.deadline import choose

    chosen = choose("Поставка не позднее 21.12.2026. Заявку отправить сегодня до 14:00.", date(2026, 12, 9))
    assert chosen is not None and chosen.match.date == date(2026, 12, 9)
    assert numbered(["оплатить счёт № 1184", "подготовить оплату"]) == "оплатить счёт № 1184"
    assert done_for(["отправить заявку"]) == "заявка отправлена"
    assert done_for(["прислать отчёт"]) == "отчёт у меня"


def test_a_bare_pay_takes_the_thing_the_problem_sentence_opens_with() -> None:
    e = extract(
        "Руслан, счёт от «Гофросырья» №1187 висит неоплаченный вторую неделю. Оплатите сегодня, не завтра, СЕГОДНЯ. "
        "Вечно у вас всё «в реестре». Иначе квартиры заморожены, а продавать нечего.",
        _directory(),
        TODAY,
    )
    assert e.deliverable == "оплатить счёт от «Гофросырья» №1187"
    assert not any("реестре" in d for d in e.details)


def test_a_thing_needed_before_the_steps_is_the_task_even_beside_a_deadline_sentence() -> None:
    e = extract(
        "Руслан, нужна презентация по старту продаж корпуса 4 для агентств недвижимости. "
        "Планировки и цены возьми у Павла из продаж. К понедельнику.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None
    assert "подготовить презентацию по старту продаж корпуса 4" in e.deliverable
    assert "взять планировки и цены" in e.deliverable


def test_send_to_the_client_takes_the_offer_described_before() -> None:
    e = extract(
        "Руслан, КП для ИП Ахметов: ящик 380х280х250, тираж 12 000 шт, цена 38,50 руб/шт, флексопечать 1 цвет. "
        "Отправить клиенту сегодня до 16:00.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None
    assert e.deliverable.startswith("отправить клиенту КП для ИП Ахметов")
    assert "флексопечать 1 цвет" in e.deliverable and "12 000 шт" in e.deliverable


def test_a_bare_verb_takes_the_thing_not_the_people_reacting() -> None:
    e = extract(
        "Руслан, баннер на Объездной висит с ценой 89 900 за метр, а у нас 96 500. Люди звонят, орут. "
        "Срочно переклеивай, к завтрашнему обеду.",
        _directory(),
        TODAY,
    )
    assert e.deliverable == "переклеить баннер на Объездной"
    e = extract("Руслан, нужен повторный отбор кернов, 6 шт. До 16.12.", _directory(), TODAY)
    assert e.deliverable is not None and e.deliverable.startswith("провести повторный отбор кернов")


def test_a_bare_them_becomes_a_capitalised_company_said_without_quotes() -> None:
    e = extract("Руслан, фура на Северянку ушла без документов. Прямо сейчас отправь им ТТН.", _directory(), TODAY)
    assert e.deliverable is not None and "компании «Северянка»" in e.deliverable
    e = extract("Руслан, баннер на Объездной висит криво. Отправь им макет до пятницы.", _directory(), TODAY)
    assert e.deliverable is not None and "компании" not in e.deliverable


def test_a_normal_version_is_said_as_a_corrected_one() -> None:
    from bot.services.tasks import tone

    assert tone.neutralize_words("к 9:00 нормальную версию графика") == "к 9:00 исправленную версию графика"


def test_done_is_said_for_each_step_of_one_action() -> None:
    assert done_for(["выехать, составить акт осмотра и отписаться мне"]) == "акт осмотра составлен"
    assert done_for(["выехать"]) is None


def test_a_past_deed_of_the_assignee_is_not_brought_up() -> None:
    e = extract(
        "Руслан, на планёрке с инвестором показал график по ЖК «Академический парк» с прошлогодними сроками. "
        "В понедельник к 9:00 исправленную версию графика.",
        _directory(),
        TODAY,
    )
    assert not any("показал" in d for d in e.details)
    assert any("ЖК «Академический парк»" in d for d in e.details) or "Академический парк" in (e.deliverable or "")
    e = extract("Руслан, по Медицентру CPL вырос до 1 450 ₽. Почисти минус-слова до пятницы.", _directory(), TODAY)
    assert any("1 450" in d for d in e.details)


def test_a_need_said_before_its_steps_is_the_main_action() -> None:
    e = extract(
        "Руслан, нужен аудит поставщика по GDP — запроси у них досье и назначь выезд, если надо. До 18 декабря.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None and e.deliverable.startswith("1) провести аудит поставщика по GDP")
