"""Reading rude and curt requests the way a colleague would: the threat and what hangs on it stay out, the thing an
ultimatum is about becomes the task, a call carries its message, «попроси Катю сделать …» asks Катя to do it, and
a bracket or a date inside a title does not break the reading."""

from __future__ import annotations

from datetime import date

from bot.services.tasks.directory import ColleagueInfo, Directory
from bot.services.tasks.extraction import extract

TODAY = date(2026, 12, 8)  # a Tuesday


def _directory() -> Directory:
    return Directory(
        [
            ColleagueInfo("s1", "Гордеева Екатерина Павловна", "Отдел снабжения"),
            ColleagueInfo("s2", "Ершов Сергей Викторович", "Склад"),
            ColleagueInfo("s3", "Лунёв Игорь Андреевич", "Отдел продаж"),
            ColleagueInfo("s4", "Зимина Дарья Олеговна", "Бухгалтерия"),
            ColleagueInfo("s5", "Орлов Павел Ильич", "ИТ-отдел"),
        ],
        [],
    )


def _steps(request: str) -> str:
    e = extract(request, _directory(), TODAY)
    assert e.deliverable is not None
    return e.deliverable


def test_an_unknown_prefixed_imperative_is_still_the_request() -> None:
    steps = _steps("Игорь, перебронируйте зал на 20-е и до вечера пришлите мне подтверждение")
    assert "перебронировать зал на 20-е" in steps
    assert "пришлите" not in steps.lower().replace("прислать", "")


def test_what_follows_a_threat_is_no_step() -> None:
    e = extract(
        "Дарья, закройте сверку с поставщиком до пятницы, иначе пусть сама объясняется с главбухом и пени платит",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None and "закрыть сверку с поставщиком" in e.deliverable
    assert "плат" not in e.deliverable and "объясня" not in e.deliverable
    assert e.deadline == date(2026, 12, 11)


def test_the_condition_a_threat_hangs_on_is_dropped_too() -> None:
    e = extract(
        "Серёга, пересчитайте паллеты в третьем ряду и напишите мне итог. Не будет к обеду — иду к директору",
        _directory(),
        TODAY,
    )
    said = " ".join([e.deliverable or "", *e.details]).lower()
    assert "пересчитать паллеты в третьем ряду" in said
    assert "не будет" not in said and "директор" not in said


def test_the_thing_an_ultimatum_is_about_becomes_the_task() -> None:
    steps = _steps(
        "Катя из снабжения, если до пятницы не будет замены картриджей, 6 шт, я иду к Анне Сергеевне, так и знай."
    )
    assert "замена картриджей" in steps or "замену картриджей" in steps
    assert "6 шт" in steps
    assert "Анн" not in steps


def test_a_call_carries_its_message_and_the_other_persons_step_is_not_the_colleagues() -> None:
    e = extract(
        "Игорь позвони Лаптеву, заказ собран, пусть приезжает завтра после 10, склад нужен под новую партию",
        _directory(),
        TODAY,
    )
    assert e.assignee_id == "s3"
    assert e.deliverable is not None
    assert e.deliverable.startswith("позвонить Лаптеву")
    assert "заказ собран" in e.deliverable
    assert "приезжать" not in e.deliverable  # the client's own step is no task of Игорь


def test_asking_the_assistant_to_ask_someone_gives_that_persons_task() -> None:
    e = extract("Катю из снабжения попроси заказать бумагу А4, 20 пачек, к четвергу", _directory(), TODAY)
    assert e.assignee_id == "s1"
    assert e.deliverable is not None and e.deliverable.startswith("заказать бумагу А4, 20 пачек")
    assert "попрос" not in e.deliverable


def test_a_helper_named_by_a_nickname_is_asked_to_help_not_helped() -> None:
    e = extract("Павел, перенесите базу на новый сервер до среды, пусть Серёга поможет", _directory(), TODAY)
    assert e.deliverable is not None
    assert "помочь Серг" not in e.deliverable  # «помочь Сергея» turns the roles round
    assert "s2" in e.co_executor_ids


def test_a_comma_inside_brackets_parts_nothing() -> None:
    e = extract(
        "Дарья Олеговна, клиент ООО «Вектор» (заказ 40 стульев, счёт № 512 оплачен 01.12) третий день ждёт "
        "закрывающие документы. Отправьте им сегодня до 17:00.",
        _directory(),
        TODAY,
    )
    said = " | ".join([*e.details, *e.impact])
    assert "(заказ 40 стульев, счёт № 512 оплачен 01.12)" in said


def test_what_is_found_out_comes_before_the_answer_built_on_it() -> None:
    steps = _steps("Игорь Андреевич, дайте клиенту ответ сегодня до 16:00, дату отгрузки уточните у Сергея со склада.")
    assert steps.index("уточнить дату отгрузки") < steps.index("ответ")


def test_a_bare_sort_it_out_takes_the_problem_said_before() -> None:
    steps = _steps("Павел, у нас на сайте заблокировали оплату картой. Разберись сегодня, это половина выручки")
    assert steps.startswith("разобраться")
    assert "заблокировали оплату картой" in steps
    assert "выручки" not in steps


def test_a_date_inside_a_quoted_title_is_not_the_deadline() -> None:
    e = extract(
        "Игорь, кто разместил баннер «скидки до конца года»? Уберите его с сайта сегодня до 15:00",
        _directory(),
        TODAY,
    )
    assert e.deadline == TODAY
    assert e.deadline_time is not None and e.deadline_time.hour == 15


def test_what_we_cannot_do_is_no_step() -> None:
    steps = _steps(
        "Сергей, в накладной пусто в графе веса, доказать ничего не можем. Исправьте сегодня же и проверьте "
        "накладные за декабрь"
    )
    assert "доказать" not in steps
    assert "проверить накладные за декабрь" in steps


def test_the_dot_of_a_unit_stays_at_the_end_of_an_action() -> None:
    steps = _steps("Дарья, оплатите счёт № 77 на 12 500 руб., это аренда склада. До пятницы.")
    assert "на 12 500 руб." in steps


def test_a_verb_without_its_object_takes_the_thing_pointed_at_before() -> None:
    steps = _steps(
        "Павел, кто повесил эту плашку «Бесплатная доставка» на главную??? Мы такое не обещали. "
        "Убрать с сайта сегодня до 15:00"
    )
    assert steps.startswith("убрать эту плашку «Бесплатная доставка» с сайта")


def test_what_a_joined_colleague_is_to_do_stays_with_them() -> None:
    steps = _steps(
        "Катя, подготовь претензию поставщику до пятницы. Дашу из бухгалтерии подключи, пусть проверит, "
        "были ли переплаты в ноябре."
    )
    assert "подключить Дарью Зимину из бухгалтерии: пусть проверит, были ли переплаты в ноябре" in steps
    assert "3)" not in steps  # the joined colleague's check is not a third step of Катя's


def test_a_relative_clause_stays_with_its_noun_and_the_list_goes_on() -> None:
    steps = _steps("Сергей, мне нужна накладная от водителя, который привёз паллеты, и фото пломбы до завтра 12:00.")
    assert "накладную от водителя, который привёз паллеты, и фото пломбы" in steps


def test_what_the_colleague_did_wrong_is_a_plain_fact_not_something_ready() -> None:
    e = extract(
        "Павел, ты опять в карточке чайника KT-17 написал объём 1,5 л, а он 1,7!!! Исправь на всех площадках сегодня",
        _directory(),
        TODAY,
    )
    assert not e.prepared
    said = " ".join(e.details)
    assert "в карточке чайника KT-17 — объём 1,5 л" in said
    assert "написал" not in said and "Вы " not in said


def test_names_after_a_dash_spell_out_the_action() -> None:
    steps = _steps("Павел, обновите цены на всех площадках — ВБ, Озон, Яндекс Маркет. Сегодня до 18:00")
    assert "обновить цены на всех площадках — ВБ, Озон, Яндекс Маркет" in steps


def test_a_lowercase_writers_sentences_and_a_colloquial_department_are_read() -> None:
    e = extract(
        "айтишникам: с понедельника выходит новый кладовщик. нужна учётка в WMS, почта и пропуск.", _directory(), TODAY
    )
    assert e.department == "ИТ-отдел"
    assert e.deliverable is not None and "учётку в WMS, почта и пропуск" in e.deliverable
    counted = extract("серёга пересчитай коробки на стеллаже Б-4. в базе висит 36 шт", _directory(), TODAY)
    assert counted.deliverable == "пересчитать коробки на стеллаже Б-4"
    assert any("в базе висит 36 шт" in d for d in counted.details)  # listed, not frozen: no «зависает»


def test_sarcasm_and_emoji_stay_out_and_a_document_named_first_is_what_to_send() -> None:
    e = extract(
        "Павел, браво 👏 третий раз за месяц сайт падает ночью, заказы теряются. Найди причину до пятницы.",
        _directory(),
        TODAY,
    )
    said = " ".join([e.deliverable or "", *e.details])
    assert "браво" not in said.lower() and "👏" not in said
    sent = extract(
        "Игорь, КП для ООО «Север»: 40 стульев ИЗО, доставка до склада. Цена не выше 2 100 руб. за штуку. "
        "Отправить им до пятницы.",
        _directory(),
        TODAY,
    )
    assert sent.deliverable is not None and sent.deliverable.startswith("отправить")
    assert "КП для ООО «Север»" in sent.deliverable


def test_a_wished_state_takes_what_was_not_done_and_a_threat_to_pass_on_is_not_the_task() -> None:
    paid = _steps(
        "Дарья ДО СИХ ПОР не оплатила счёт № 77 от 01.12 на 12 500 руб. для ООО «Север». "
        "Сегодня до 16:00 чтоб было оплачено, иначе пусть сама объясняет поставщику!!"
    )
    assert paid == "оплатить счёт № 77 от 01.12 на 12 500 руб. для ООО «Север»"
    e = extract(
        "Катя из снабжения тянет с бумагой!!! Скажи ей, что если к среде не будет счёта на бумагу А4, 20 пачек, "
        "я иду к директору. Бухгалтерия из-за неё стоит.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None and "счёт на бумагу А4, 20 пачек" in e.deliverable
    assert not e.deliverable.startswith("сказать")
    assert not any("тянет" in d for d in e.details)


def test_a_conclusion_asked_for_a_question_is_one_step_and_a_code_ends_a_sentence() -> None:
    steps = _steps(
        "Дарья Олеговна, посмотрите, пожалуйста, договор поставки № 12/26-К. Они хотят отсрочку 60 дней вместо 30. "
        "Нужно ваше заключение, можно ли на это соглашаться, до пятницы."
    )
    assert "посмотреть договор поставки № 12/26-К" in steps
    assert "подготовить заключение, можно ли на это соглашаться" in steps
    assert "соглашаться ли" not in steps


def test_a_jibe_let_is_no_step_and_a_thing_to_me_by_a_date_is_sent_to_me() -> None:
    steps = _steps(
        "Сергею передай: в среду проверка пожарной инспекции, а огнетушители не перезаряжены. "
        "Пусть хоть раз сработает заранее — список огнетушителей и график перезарядки мне до вторника."
    )
    assert steps == "прислать мне список огнетушителей и график перезарядки"
