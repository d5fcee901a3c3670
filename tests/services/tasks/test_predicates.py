"""The requested actions read around their verbs (bot.services.tasks.predicates) and «done» derived from them
(bot.services.tasks.done). Requests are our own, written apart from the blind sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services.tasks import predicates
from bot.services.tasks.directory import Directory
from bot.services.tasks.done import done_for
from bot.services.tasks.extraction import extract
from bot.services.tasks.impact import find_impact
from tests.services.tasks.support import TODAY, demo_app, directory_of


@pytest.fixture
async def directory(tmp_path: Path) -> Directory:
    app = await demo_app(tmp_path)
    try:
        return await directory_of(app)
    finally:
        await app.close()


def _texts(request: str, cut: list[tuple[int, int]] | None = None) -> list[str]:
    return [a.text for a in predicates.read(request, cut or []) if not a.bare]


def test_the_object_said_before_the_verb_comes_with_it() -> None:
    request = "Кронштейны КР-40, 120 шт для «Вектора» — перекрасить, цвет RAL 7016, а не как в прошлый раз."
    assert _texts(request) == ["перекрасить кронштейны КР-40, 120 шт для «Вектора», цвет RAL 7016"]


def test_several_verbs_are_several_actions_and_a_companion_goes_with_its_own_verb() -> None:
    request = "Составь протокол с замерами и вместе с Захаром проверьте стенд, потом отпишись мне."
    assert _texts(request) == ["составить протокол с замерами", "проверить вместе с Захаром стенд", "отписаться мне"]


def test_slang_verbs_become_plain_and_capitals_and_codes_stay() -> None:
    request = "Пофикси выгрузку в SAP по складу ЦС-2 и скинь мне лог."
    assert _texts(request) == ["исправить выгрузку в SAP по складу ЦС-2", "прислать мне лог"]


@pytest.mark.parametrize(
    "request_text",
    [
        "Вы там вообще спите?",  # a reproach in a question is no task
        "Если не выйдет — выезжай.",  # a contingency
        "По ней бухгалтерия потом сверку делать будет.",  # a plan of someone else
        "Не позорь нас перед заказчиком.",  # a prohibition used as a jibe
    ],
)
def test_what_is_not_a_request(request_text: str) -> None:
    assert _texts(request_text) == []


def test_a_thing_needed_becomes_the_action_only_when_no_verb_asks() -> None:
    request = "Паспорта на насосы НШ-32 нужны до среды, без них склад не примет."
    at = request.index("до среды")  # the deadline is cut before reading, as extraction does
    assert _texts(request, [(at, at + len("до среды"))]) == ["подготовить паспорта на насосы НШ-32"]
    request = "Где спецификация на щиты? Нужна к пятнице."
    at = request.index("к пятнице")
    assert _texts(request, [(at, at + len("к пятнице"))]) == ["прислать спецификацию на щиты"]
    # «нужны» beside a verb that asks is a fact, not a second task
    assert _texts("Двери нужны к 9 утра, а у вас в плане другое. График поправить.") == ["поправить график"]


def test_a_bare_verb_takes_the_thing_from_the_sentence_before() -> None:
    request = "Подрядчику «СтройЛайн» аванс 20% по договору 7/26. Провести до среды."
    cut_at = request.index("до среды")
    assert _texts(request, [(cut_at, cut_at + len("до среды"))]) == [
        "провести подрядчику «СтройЛайн» аванс 20% по договору 7/26"
    ]


def test_a_wish_with_a_subject_is_an_action_to_ensure() -> None:
    assert _texts("Чтобы завтра электрик был в зале «Волга», там мигает свет.") == [
        "обеспечить, чтобы завтра электрик был в зале «Волга»"
    ]


def test_done_is_derived_from_the_action() -> None:
    assert done_for(["пересчитать смету на фасад, корпус 2"]) == "смета на фасад пересчитана"
    assert done_for(["перекрасить кронштейны КР-40, 120 шт"]) == "кронштейны КР-40 перекрашены"
    # a person as the object: every part of the name moves to the nominative
    assert done_for(["предупредить Анну Семёнову, чтобы номер не ставили в уборку"]) == "Анна Семёнова предупреждена"
    assert done_for(["оповестить Ивана Петрова"]) == "Иван Петров оповещён"
    assert done_for(["оформить Кириллову Анну Петровну, выход с 7 декабря"]) == "Кириллова Анна Петровна оформлена"
    # an adjective used as a noun, a place and a recipient before the object, a state to bring about
    assert done_for(["подготовить объяснительную от водителя"]) == "объяснительная от водителя подготовлена"
    assert done_for(["завести в 1С:Медицина новую услугу"]) == "новая услуга заведена"
    assert done_for(["продлить всем медсёстрам сертификаты по НМО"]) == "сертификаты по НМО продлены"
    assert done_for(["передать Ольге Беловой данные для счёта"]) == "данные для счёта переданы"
    assert done_for(["прислать фото ценников по витрине 3"]) == "фото ценников по витрине 3 у меня"
    assert done_for(["обеспечить, чтобы стенд работал"]) == "стенд работает"
    assert done_for(["найти запасного поставщика"]) == "запасной поставщик найден"
    assert done_for(["подготовить три формата"]) == "три формата подготовлены"
    # a problem after a colon: done is the problem gone, said without naming what nobody said; a question after the
    # verb names no object, so nothing is made up
    assert done_for(["исправить: брони не падают в PMS"]) == "проблема устранена, причина и итог — у меня"
    assert done_for(["посмотреть, где задержался образец"]) is None
    assert done_for(["отправить мне лог"]) == "лог у меня"
    assert done_for(["проверить журналы, пломбы"]) == "журналы проверены, итог — у меня"
    assert done_for(["акт сверки за ноябрь"]) == "акт сверки за ноябрь — у меня"


def test_done_is_not_made_up_when_the_action_has_no_object() -> None:
    assert done_for(["подключиться удалённо"]) is None
    # the main action must give its result; a later step that gives none is left to the action line, not made up
    assert done_for(["подключиться удалённо", "переделать кронштейны"]) is None
    assert done_for(["переделать кронштейны", "подключиться удалённо"]) == "кронштейны переделаны"


def test_a_pronoun_stands_for_the_previous_actions_object(directory: Directory) -> None:
    e = extract(
        "Шестаков, составь план работ (монтаж и наладка по 12 точкам), согласуй его с Зуевым и отправь мне.",
        directory,
        TODAY,
    )
    assert e.deliverable is not None
    assert "2) согласовать план работ с" in e.deliverable


def test_what_our_people_say_to_clients_is_not_the_reason() -> None:
    assert find_impact("Твои операторы опять говорят клиентам про комиссию. Проведи инструктаж сегодня.") == []
    assert find_impact("Отправь клиенту письмо с извинениями до пятницы.") == []
    assert find_impact("Проверь расчёт, клиент торопит.") != []


def test_what_to_find_out_or_to_say_stays_with_its_verb() -> None:
    assert _texts("Созвонись с Кедром и узнай, устроит ли их поставка в среду.") == [
        "созвониться с Кедром",
        "узнать, устроит ли их поставка в среду",
    ]
    assert _texts("Скажи своим, чтобы витрину в холле оформили.") == ["сказать своим, чтобы витрину в холле оформили"]
    # after «проверь» a «чтобы» is the purpose, not what to check
    assert _texts("Проверь журналы, чтобы не было как в прошлый раз.") == ["проверить журналы"]


def test_a_noun_that_looks_like_an_imperative_is_read_in_context() -> None:
    assert _texts("Тихонов, к пятнице раскрой по дверям для «Кедра», пилотная секция 20 квартир.") == []
    assert _texts("Нужен раскрой по фасадам для «Кедра», пилотная секция.") == [
        "подготовить раскрой по фасадам для «Кедра»"
    ]


def test_a_thing_needed_is_put_in_the_accusative() -> None:
    assert _texts("Нужна машина 20 т под Заречный.") == ["обеспечить машину 20 т под Заречный"]


def test_where_is_and_pass_on_when_nothing_else_is_asked() -> None:
    request = "Где смета на фасад «Кедра»??? Чтоб была у меня."
    assert _texts(request) == ["прислать смету на фасад «Кедра»"]
    request = "Ане скажи: витрину в холле оформляем к празднику."
    assert _texts(request, [(0, len("Ане скажи:"))]) == ["передать: витрину в холле оформляем к празднику"]


def test_a_generic_need_by_the_deadline_is_not_a_second_task() -> None:
    request = "Прошу проверить договор с «Кедром». Обороты большие, поэтому результат нужен до четверга."
    at = request.index("до четверга")
    found = predicates.read(request, [(at, at + len("до четверга"))], (at, at + len("до четверга")))
    assert [a.text for a in found if not a.bare] == ["проверить договор с «Кедром»"]


def test_a_pronoun_after_a_named_colleague_is_that_colleague(directory: Directory) -> None:
    e = extract("Шестаков, проверь отгрузку для Кедра сегодня. Анна в курсе, держи её в копии.", directory, TODAY)
    assert e.deliverable is not None and "держать Анну Гончарову в копии" in e.deliverable


def test_a_noun_named_as_the_task_is_said_as_an_action() -> None:
    from bot.services.tasks.predicates import as_action

    assert as_action("инвентаризация стеллажей А-1…А-9") == "провести инвентаризацию стеллажей А-1…А-9"
    assert as_action("аудит склада и план закупок") == "провести аудит склада и подготовить план закупок"
    assert as_action("объяснительная от экспедитора") == "подготовить объяснительную от экспедитора"
    assert as_action("новая редакция регламента") == "подготовить новую редакцию регламента"


def test_a_need_said_before_the_verbs_is_the_task_they_serve() -> None:
    request = (
        "По конкурсу «Детсад на 220 мест» нужна смета в ГРАНД-Смете по ФСНБ-2022. "
        "Обратите внимание на кровлю, в прошлый раз там была ошибка."
    )
    texts = _texts(request)
    assert texts[0].startswith("подготовить смету в ГРАНД-Смете по ФСНБ-2022")
    assert texts[1] == "обратить внимание на кровлю"
    # the same need said with its own date beside a verb is a fact, not a second task
    assert _texts("Двери нужны к 9 утра, а у вас в плане другое. График поправить.") == ["поправить график"]


def test_the_past_of_a_common_verb_is_not_a_rare_imperative() -> None:
    texts = _texts("Нашли ведущего на корпоратив. Оформите с ним договор до пятницы.")
    assert not any(t.startswith("наслать") for t in texts)
    assert any(t.startswith("оформить с ним договор") for t in texts), texts


def test_a_need_passed_on_is_the_task_itself() -> None:
    texts = _texts("Лебедеву из дизайна передайте: нужен баннер для выставки, 2 варианта.")
    assert texts == ["подготовить баннер для выставки, 2 варианта"]


def test_an_imperative_read_as_a_noun_and_an_object_said_apart_take_their_forms() -> None:
    from bot.services.tasks.predicates import as_action

    assert as_action("Настрой резервное копирование базы") == "настроить резервное копирование базы"
    at = "Начислите до завтра, сумма по ведомости 120 000.".index("до завтра")
    assert _texts("Начислите до завтра, сумма по ведомости 120 000.", [(at, at + 9)]) == [
        "начислить сумму по ведомости 120 000"
    ]
