"""Steps the request chains («собрать подписи и пересдать», «при повторном выходе — откалибровать»), a range of
hours that is no deadline, and figures the brief must not drop («10 штук HP 59A», «таб. №3381»)."""

from __future__ import annotations

from datetime import date

from bot.nlp.dates import find_deadline
from bot.services.tasks.directory import ColleagueInfo, Directory
from bot.services.tasks.done import done_for, with_handoff
from bot.services.tasks.extraction import extract
from bot.services.tasks.impact import find_impact

TODAY = date(2026, 12, 10)


def _directory() -> Directory:
    return Directory(
        [
            ColleagueInfo("c1", "Никитина Наталья Геннадьевна", "Дополнительный офис"),
            ColleagueInfo("c2", "Соколов Артём Николаевич", "Лаборатория"),
            ColleagueInfo("c3", "Кузнецов Руслан Маратович", "Служба безопасности"),
        ],
        [],
    )


def test_a_joined_redo_verb_takes_what_was_done_as_its_object() -> None:
    e = extract(
        "Наталья Геннадьевна, ваше отделение опять сдало кассовые документы за ноябрь с дырами. "
        "Собрать все недостающие подписи и пересдать в понедельник до обеда.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None
    assert "собрать все недостающие подписи и пересдать кассовые документы за ноябрь" in e.deliverable
    assert not any("дыр" in d for d in e.details)  # the jibe stays out


def test_a_conditional_step_is_kept_with_its_condition() -> None:
    e = extract(
        "Артём, контроль по глюкозе ушёл за 2SD. Повторить контроль, при повторном выходе — откалибровать, "
        "результаты пациентов с 8:00 до 11:00 перепроверить. До 14:00.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None
    assert "при повторном выходе — откалибровать" in e.deliverable  # an unknown but prefixed verb is a verb
    assert "с 8:00 до 11:00" in e.deliverable
    assert e.deadline_time is not None and e.deadline_time.hour == 14


def test_a_span_of_hours_is_no_deadline() -> None:
    match = find_deadline("Перепроверить результаты с 8:00 до 11:00.", TODAY)
    assert match is None


def test_figures_said_beside_the_action_are_kept_and_questions_in_a_jibe_are_not() -> None:
    e = extract(
        "Руслан Маратович, сегодня до 18:00 заблокировать доступ в АБС уволенному Бочкарёву П.А., таб. №3381.",
        _directory(),
        TODAY,
    )
    said = " ".join([e.deliverable or "", *e.details])
    assert "3381" in said
    e = extract(
        "Руслан Маратович, ты что наобещал? Отсрочку 90 дней? Оформи допсоглашение на 45 дней до пятницы.",
        _directory(),
        TODAY,
    )
    assert not any("90" in d for d in e.details)


def test_figures_of_speech_are_not_steps() -> None:
    e = extract(
        "Артём, в среду, то есть сегодня, пришли отчёт по пропущенным звонкам. Не будет — так и знай.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None
    assert "есть" not in e.deliverable.split() and "знать" not in e.deliverable


def test_a_paper_not_ready_is_prepared_not_carried_out() -> None:
    e = extract(
        "Наталья Геннадьевна, кредитный комитет в четверг, а заключение по ООО «Агрохолдинг Исеть» до сих пор не "
        "готово. Заключение на 45 млн, срок 36 мес, мне на почту до среды 18:00.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None
    assert "подготовить заключение по ООО «Агрохолдинг Исеть»" in e.deliverable
    assert "не готово" not in e.deliverable and "провести" not in e.deliverable
    assert not e.prepared  # «не готово» is what is missing, not what is ready


def test_a_detail_said_twice_is_said_once_and_slang_is_plain() -> None:
    e = extract(
        "Наталья Геннадьевна, ООО «Малахит-Трейд» ждёт договор с правками 10 дней!!! 10 ДНЕЙ! "
        "Правки по пунктам 7.3 и 9.1 согласовать к понедельнику, колл-центр захлёбывается.",
        _directory(),
        TODAY,
    )
    said = " ".join([*e.details, *e.impact]).lower()
    assert said.count("10 дней") == 1
    assert e.impact == ["ООО «Малахит-Трейд» ждёт договор с правками 10 дней"]  # the one waiting is why it matters
    assert "захлёбыва" not in said


def test_a_familiar_ha_form_finds_the_colleague() -> None:
    directory = Directory([ColleagueInfo("k1", "Орлова Екатерина Юрьевна", "Колл-центр")], [])
    e = extract("Катюхе из колл-центра: обнови скрипты до 16:00.", directory, TODAY)
    assert e.assignee_id == "k1"


def test_who_is_held_up_now_is_why_it_matters_when_no_reason_is_given() -> None:
    e = extract(
        "Руслан Маратович, выгрузка из АБС в CRM снова легла. Отделения с утра не видят заявки клиентов. "
        "Поднять выгрузку до обеда.",
        _directory(),
        TODAY,
    )
    assert e.impact == ["Отделения с утра не видят заявки клиентов"]


def test_a_company_named_in_another_case_is_said_in_the_nominative() -> None:
    e = extract(
        "Артём, по «АльфаСтрахованию» задержка результатов ПЦР уже 3 дня. Надо до конца дня выдать все зависшие "
        "результаты.",
        _directory(),
        TODAY,
    )
    assert "речь о компании «АльфаСтрахование»" in e.details


def test_done_says_where_the_result_goes_when_the_request_says_it() -> None:
    request = "Заключение на 45 млн, мне на почту до среды 18:00."
    assert with_handoff("заключение подготовлено", request) == "заключение подготовлено — у меня на почте"
    assert with_handoff("договор отправлен", "отправить договор клиенту") == "договор отправлен"  # said already
    assert with_handoff("акт подписан", "подпиши акт сегодня") == "акт подписан"  # the request says nothing of it


def test_done_finds_the_object_after_a_place_a_count_or_a_system_name() -> None:
    assert done_for(["перенести в холодильник №3 (+2…+8 °C) партию калибраторов"]) == "партия калибраторов перенесена"
    assert done_for(["заказать у Хеликса хотя бы 5 наборов"]) == "5 наборов заказаны"
    assert done_for(["переключить с 10.12 IVR: пункт 3 на группу МСБ"]) == "IVR переключён"
    assert done_for(["проверить 15 декабря журналы"]) != "15 декабря проверены"  # a date is no counted thing


def test_an_event_ahead_is_why_but_an_asked_check_is_not() -> None:
    assert find_impact("Кредитный комитет в четверг, а заключение не готово. Пришли заключение.") == [
        "Кредитный комитет в четверг"
    ]
    assert find_impact("Проведи нормальную проверку 3-го этажа и отчёт мне.") == []


def test_a_document_date_stays_and_without_it_is_why() -> None:
    e = extract(
        "Руслан Маратович, проведи до четверга платёж по счёту №1847 от 01.12.2026 на 386 450,00 руб. "
        "Без оплаты поставку не отгрузят.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None and "№1847 от 01.12.2026" in e.deliverable
    assert e.impact == ["Без оплаты поставку не отгрузят"]


def test_a_person_as_the_object_is_named_in_the_nominative_with_the_right_gender() -> None:
    assert done_for(["оформить Нуриеву Алину Рашидовну"]) == "Нуриева Алина Рашидовна оформлена"
    assert done_for(["принять на работу Нуриеву"]) == "Нуриева принята"
    assert done_for(["показать Ярославу Петровичу график"]) == "график показан"  # to whom, not whom


def test_a_thing_asked_after_with_where_at_the_end_is_to_be_sent() -> None:
    e = extract(
        "Руслан Маратович, платёжный календарь на следующую неделю где?? Прислать сегодня до конца дня, "
        "каждую неделю одно и то же.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None and "платёжный календарь на следующую неделю" in e.deliverable
    assert "где" not in e.deliverable
    assert not any("одно и то же" in d for d in e.details)


def test_a_pronoun_of_a_thing_verb_skips_the_person_said_in_between() -> None:
    e = extract(
        "Артём, ты опять оставил центрифугу открытой на ночь, санитарка в шоке. Сколько раз говорить?! "
        "Сегодня же продезинфицируй её по СОП-ЛАБ-017.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None and "продезинфицировать центрифугу по СОП-ЛАБ-017" in e.deliverable


def test_a_threat_to_go_to_the_board_is_no_reason() -> None:
    e = extract(
        "Руслан Маратович, клиент ждёт одобрения вторую неделю. Заключение СБ мне на стол завтра до 12, "
        "иначе я иду к предправления.",
        _directory(),
        TODAY,
    )
    assert not any("предправления" in i for i in e.impact)


def test_an_article_code_after_art_stays_in_the_action() -> None:
    e = extract(
        "Руслан Маратович, прошу до среды запросить у поставщика подтверждение отгрузки: 1 200 комплектов "
        "арт. KPB-150-SAT по цене 1 480 ₽ за комплект.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None and "арт. KPB-150-SAT по цене 1 480 ₽" in e.deliverable


def test_more_reproaches_and_slang_stay_out() -> None:
    e = extract(
        "Руслан Маратович, сегодня до 15:00 снять баннер с ценой 1 990 ₽ с сайта, клиенты уже звонят. "
        "Если не успеть — пусть сама объясняется с директором и разницу из своего кармана платит. "
        "Я заявку ещё в среду кидал. Покупатели возвраты пачками оформляют.",
        _directory(),
        TODAY,
    )
    said = " ".join([e.deliverable or "", *e.details, *e.impact, *e.also]).lower()
    assert "кармана" not in said and "объясняется" not in said and "кидал" not in said
    assert "пачками" not in said


def test_a_loss_the_request_foresees_is_why_it_matters() -> None:
    assert find_impact("Поставка опять сорвалась. Нам штраф за неявку прилетит. Перебронируй слот на среду") == [
        "есть риск претензий и штрафов"
    ]
    assert find_impact("Выгрузка цен легла, нам рейтинг снизят. Почините до обеда") == ["под угрозой рейтинг магазина"]
    assert find_impact("Дозакажи чехлы до пятницы. Остатка на 3 дня, потом карточки обнулятся.") == [
        "Остатка на 3 дня, потом карточки обнулятся"
    ]
    assert find_impact("Покупатель уже влепил нам отзыв на одну звезду. Свяжитесь с ним сегодня") == [
        "клиент уже оставил плохой отзыв"
    ]


def test_a_penalty_that_is_the_subject_of_the_task_is_no_reason() -> None:
    assert find_impact("Проверь договор поставки: там пункт про штраф 0,2% в день кривой. Замечания до среды") == []
    assert find_impact("Сегодня до 18:00 заблокировать доступ в CRM уволенному Петрову") == []


def test_a_colleague_brought_in_is_named_in_the_nominative_in_done() -> None:
    assert done_for(["подключить Евгения Захарова из ОКК"]) == "Евгений Захаров из ОКК подключён"
    assert done_for(["подключить Марину Фёдорову"]) == "Марина Фёдорова подключена"


def test_a_fix_or_a_sort_out_of_a_problem_has_its_own_done() -> None:
    assert done_for(["починить: касса не печатает чеки"]) == "проблема устранена, причина и итог — у меня"
    assert done_for(["разобраться: карточку товара заблокировали"]) == "причина найдена, итог и следующий шаг — у меня"


def test_a_client_who_will_leave_is_why_it_matters() -> None:
    assert find_impact("Пришли им смету до 12. Бюджет утверждают в пятницу — не успеем, уйдут к конкурентам.") == [
        "есть риск потерять клиента"
    ]
