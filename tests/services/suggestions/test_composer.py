"""The offline reply follows the message: an escalation gets its substance, a deadline a blank, the closing fits the
situation, and nothing the client only said in passing («Смотрите.», «Это вообще как?») becomes a line of ours."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from bot.domain import BehaviourType
from bot.nlp.speech_acts import ActKind, load_lexicon, read_message
from bot.services.clients.playbook import load_client_knowledge
from bot.services.suggestions.composer import (
    Events,
    closing_for,
    compose,
    lexicon_path,
    situations_of,
)

ROOT = Path(__file__).resolve().parents[3]
NC = BehaviourType.NONEMOTIONAL_CONFIDENT
EC = BehaviourType.EMOTIONAL_CONFIDENT


def _reply(text: str, type_: BehaviourType = NC, broken: tuple[str, ...] = ()) -> str:
    lexicon = load_lexicon(lexicon_path(ROOT))
    reading = read_message(text, lexicon, date(2026, 12, 4))
    situations = situations_of(reading, Events())
    closing = closing_for(load_client_knowledge(ROOT).advice(type_), situations)
    return compose(reading, lexicon, type_, situations, closing=closing, broken_promises=broken).text


ESCALATION = (
    "Это уже ни в какие ворота. Выручка за 1 и 2 декабря до сих пор не пришла на счёт, а это почти 640 тысяч. "
    "Если до конца дня денег не будет, переводим терминалы в другой банк."
)


def test_an_escalation_is_answered_with_its_substance_and_no_promise() -> None:
    reply = _reply(ESCALATION, EC)
    assert reply.count("извинения") == 1
    assert "Что произошло: [причина]." in reply
    assert "Что делаем: [шаг и срок]." in reply
    assert "(1 и 2 декабря" not in reply  # the client's figures are not pasted back as a label
    assert "[когда]" in reply  # when we write back is the manager's to fill
    assert "оценк" not in reply  # an angry client is not asked for a rating


def test_the_clients_deadline_is_noted_as_a_blank_not_accepted() -> None:
    reply = _reply(ESCALATION)
    assert "до конца дня: [успеем" in reply
    assert "учитываем" not in reply


def test_a_demand_inside_a_complaint_is_not_our_promise() -> None:
    reply = _reply("В квитанции за ноябрь начислено 412 кубов вместо 7, это ошибка. Прошу сделать перерасчёт.")
    # the client's demand is the manager's decision: the whole promise is the choice in brackets
    assert "[Сделаем перерасчёт / предложим другое решение]." in reply


def test_a_need_said_before_a_threat_is_met() -> None:
    reply = _reply(
        "Торт на юбилей привезли помятый! Банкет в 18:00, мне нужна замена до 15:00, иначе требуем полный возврат."
    )
    assert "Замена до 15:00 — [решение и срок]." in reply


def test_crm_notes_stay_beside_the_reply_and_a_broken_promise_is_owned_in_a_blank() -> None:
    reply = _reply(ESCALATION, broken=("Зачислить выручку до 3 декабря",))
    assert "(CRM)" not in reply and "По нашим данным" not in reply
    assert "Признаём: мы обещали зачислить выручку до 3 декабря и не сделали этого — [причина и новый срок]." in reply
    assert "«Зачислить" not in reply  # the CRM's wording is not quoted at the client


def test_a_thanks_reply_does_not_say_its_thanks_twice() -> None:
    reply = _reply("Спасибо за книги! Тираж пришёл вчера, переплёт красивый, автор в восторге.", EC)
    sentences = re.split(r"(?<=[.!?])\s+", reply)
    assert len([x for x in sentences if re.search(r"приятн|спасибо|благодар", x, re.I)]) == 1, reply


def test_the_closing_follows_the_situation() -> None:
    routine = _reply("Пришлите, пожалуйста, счёт на оплату за декабрь и акт сверки.")
    assert "сравнение с цифрами" not in routine
    offer = _reply("Рассматриваем вас как поставщика. Пришлите коммерческое предложение на 40 станков.")
    assert "сравнение с цифрами" in offer


def test_calls_for_attention_and_reproaches_get_no_line() -> None:
    reply = _reply("Смотрите. Счёт за поставку от 27 ноября так и не пришёл. Это вообще как? Пришлите счёт.")
    assert "Смотрим" not in reply and "Смотрите" not in reply
    assert "вообще как" not in reply


def test_a_wrong_delivery_is_not_a_change_we_accept() -> None:
    reply = _reply("Третий раз за месяц. Сегодня привезли лосось 12 кг вместо 20. Срочно довезите 8 кг до 15:00.")
    assert "Приняли" not in reply
    assert "довезём недостающие" in reply.lower() or "довезём 8 кг" in reply.lower()


def test_the_clients_sentence_is_quoted_as_theirs_not_pasted_as_ours() -> None:
    reply = _reply("Здравствуйте! Можно всё сделать онлайн? И какие документы нужны, кроме паспорта?")
    assert "Документы нужны, кроме паспорта — [ответ]" not in reply
    assert "[Ответ на вопрос «И какие документы нужны, кроме паспорта?»]" in reply
    # a need that describes what they want priced is the question's context, named in its blank
    priced = _reply("Нужно ОСАГО на автопарк: 14 машин. Сколько будет стоить?")
    assert "ОСАГО на автопарк — [ответ]" not in priced
    assert "[Ответ на вопрос «Нужно ОСАГО на автопарк: 14 машин. Сколько будет стоить?»]" in priced, priced


def test_a_wish_followed_by_its_question_is_context_and_thanks_is_not_a_request() -> None:
    reply = _reply(
        "Во-первых, хочу сказать спасибо Ирине за помощь. В январе хотим отправить вторую группу. Какие есть даты?"
    )
    ours = re.sub(r"\[[^\]]*\]", "", reply)  # the blanks may quote the client; our own words may not
    assert "хотите отправить" not in ours and "хотим отправить" not in ours
    assert "Во-первых" not in reply
    assert "Какие есть даты?" in reply


def test_a_date_the_client_sets_for_themselves_is_not_a_deadline_for_us() -> None:
    reply = _reply("Счёт 4471 от 01.12 — 86 400. Сегодня платим 50 000, остаток 36 400 до 15.12. Ок?")
    assert "Срок, который Вы назвали" not in reply and "учитываем" not in reply


def test_a_refund_is_the_managers_decision_not_our_promise() -> None:
    reply = _reply("С карты списали дважды по 3 450 ₽. Прошу вернуть лишнее списание.")
    assert "Возврат денег — [вернём / предложим другое решение]." in reply
    assert "Вернём лишнее" not in reply


def test_listed_questions_after_a_colon_each_get_a_line() -> None:
    reply = _reply(
        "Система не работает с утра, никто даже не перезвонил.\nХочу понимать:\n1) кто занимается заявкой;\n"
        "2) когда починят;\n3) почему нарушен регламент."
    )
    for asked in ("кто занимается заявкой", "когда починят", "почему нарушен регламент"):
        assert f"«{asked}?»" in reply, reply


def test_a_confirmation_with_waiting_needs_no_answer() -> None:
    lexicon = load_lexicon(lexicon_path(ROOT))
    assert read_message("Принято, спасибо. Ждём мастера в 9:30.", lexicon).only_acknowledgement
    assert not read_message("Ждём счёт до пятницы.", lexicon).only_acknowledgement


def test_trouble_on_the_clients_side_is_their_reason_not_a_complaint() -> None:
    reply = _reply("Перенесите доставку на среду 9-е — во вторник у нас переезд, склад не работает. Скинь потом счёт.")
    assert "извинен" not in reply
    assert "Перенесём доставку на среду 9-е — [срок" in reply  # a date is the manager's to confirm
    assert "у нас переезд" not in reply and "у Вас переезд" not in reply  # their reason is not echoed
    assert "Пришлём счёт." in reply and "Скинем" not in reply and "потом" not in reply


def test_a_date_the_client_asks_about_is_not_their_deadline() -> None:
    reply = _reply("Скидка на сервис до конца года точно действует?")
    assert "Срок, который Вы назвали" not in reply


def test_a_sentence_turned_round_half_way_becomes_a_blank() -> None:
    reply = _reply("Мы с февраля переезжаем, и нам нужен склад побольше. Что у вас есть свободного?")
    assert "Вы с февраля переезжаем" not in reply
    assert "переезжаем" not in reply.split("[", 1)[0]


def test_a_request_after_an_address_with_abbreviations_is_read_as_a_request() -> None:
    reply = _reply("Новый адрес: Москва, ул. Лесная, д. 5, пом. 3. Прошу оформить допсоглашение к договору №12.")
    assert "Оформим допсоглашение к договору №12" in reply


def test_praise_for_a_named_colleague_is_passed_to_them() -> None:
    reply = _reply("Хотим отметить Андрея — за выходные перевёз всю серверную, всё заработало. Спасибо!", EC)
    assert "передадим их Андрею" in reply
    reply = _reply("Ирина, спасибо огромное, что выручили со сроками! Вы лучшие.", EC)
    assert "Ирин" not in reply.split("!", 1)[1]  # the manager addressed is not «passed on» to


def test_a_short_question_names_its_context_and_a_topic_is_not_a_question() -> None:
    reply = _reply("В субботу хотим провести тимбилдинг на 20 человек. Реально?")
    assert "[Ответ на вопрос «В субботу хотим провести тимбилдинг на 20 человек. Реально?»]" in reply
    reply = _reply("Интересует погрузчик Комацу FD30 — есть ли в наличии? И какая цена?")
    assert "«погрузчик Комацу FD30?»" not in reply and "Интересует" not in reply


def test_a_count_after_do_is_not_a_deadline() -> None:
    reply = _reply("Договор продлеваем, но хотим уменьшить с 60 до 45 карт. Пришлите допсоглашение.")
    assert "Срок, который Вы назвали" not in reply
    assert "уменьшить с 60 до 45 карт" in reply  # the wish is met, in its blank


def test_a_missed_date_a_statement_about_requisites_and_a_negated_past_are_not_asks() -> None:
    reply = _reply("Заказ должен был быть готов ко 2 декабря. Трека нет до сих пор. Скажите честно: заказ напечатан?")
    assert "Срок, который Вы назвали" not in reply  # the date that was missed is not a deadline set for us
    assert "[Ответ на вопрос «заказ напечатан?»]" in reply  # an explicit ask in an angry message is answered
    reply = _reply("Выставьте счёт на январь. Реквизиты не менялись.")
    assert "Реквизиты не менялись?" not in reply
    reply = _reply("Паспорта на русском в комплекте так и не нашли. Пришлите, пожалуйста, скан на почту.")
    assert "Ответ на просьбу «Паспорта" not in reply and "Пришлём скан на почту" in reply


def test_a_phone_number_is_not_read_back() -> None:
    reply = _reply("Есть ли объекты в области? Перезвоните после обеда: +7 916 204-37-58, Наталья")
    assert "204-37-58" not in reply


def test_a_demand_inside_a_threat_gets_its_blank_and_an_inclusive_we_stays_ours() -> None:
    reply = _reply("Если до 9 декабря техники не будет — требую вернуть деньги и неустойку по п. 7.2 договора.")
    assert "[Ответ на требование «вернуть деньги и неустойку по п. 7.2 договора»]" in reply
    reply = _reply("Обучение так и не провели. Давайте назначим на 10 или 11 декабря.")
    assert "Назначим на 10 или 11 декабря — [подходит" in reply and "Назначите" not in reply


def test_a_request_keeps_its_thing_and_drops_the_clients_explanation() -> None:
    reply = _reply("Пришлите копию договора № 12 с приложениями — оригинал потерялся при переезде. Нужен до среды.")
    assert "потерялся" not in reply.split("[", 1)[0] and "Пришлём копию договора № 12 с приложениями" in reply
    reply = _reply("Для бухгалтерии: нужен счёт на декабрь по договору 57/КБ и акт за ноябрь.")
    assert "Счёт на декабрь по договору 57/КБ и акт за ноябрь — [ответ]" in reply


def test_thanks_to_a_colleague_named_in_the_dative_reach_them() -> None:
    reply = _reply("Станция работает третий месяц. Спасибо Роману и монтажникам! Порекомендовали вас соседу Ивану.")
    assert "Роману" in reply and "Ивану" not in reply


def test_a_confirmation_of_what_was_agreed_needs_no_reply_and_reasons_are_not_read_back() -> None:
    lexicon = load_lexicon(lexicon_path(ROOT))
    assert read_message("Поняла, значит в среду в 10:00 на консультацию. Договорились 👍", lexicon).only_acknowledgement
    reply = _reply("И позвоните мне, пожалуйста, мне трудно писать, телефон 8 916 402-17-55.")
    assert "Позвоним Вам." in reply and "трудно" not in reply
    reply = _reply("Скинь мне договор ещё раз, я его потеряла где-то в почте.")
    assert "Пришлём Вам договор ещё раз." in reply and "потеряла" not in reply


def test_a_complaint_about_another_provider_is_no_apology_of_ours() -> None:
    reply = _reply("Сейчас у нас другая УК, и жители очень недовольны: заявки висят неделями. Какой у вас тариф?")
    assert "извинен" not in reply
    reply = _reply("Есть ли у вас медкнижки у персонала? И что вы делаете, если доставка опоздала?")
    assert "извинен" not in reply and "«что вы делаете, если доставка опоздала?»" in reply


def test_a_request_after_a_topic_and_a_numbered_list_inside_an_address() -> None:
    reply = _reply("По договору № 298 (корпоратив 19.12) прошу выставить счёт на вторые 50% — 412 500 руб.")
    assert reply.count("Выставим счёт на вторые 50%") == 1
    reply = _reply("Когда в нашем доме (ул. Лесная, 14, корп. 2) будет поверка счётчиков? И сколько это стоит?")
    assert "корп?»" not in reply and "корп. 2) будет поверка" in reply


def test_how_documents_go_is_said_once() -> None:
    reply = _reply("Для бухгалтерии нужны закрывающие документы за ноябрь — акт и счёт-фактура. Можно через СБИС, "
                   "оригиналы — на адрес: Москва, ул. Лесная, 5.")  # fmt: skip
    assert "Закрывающие документы за ноябрь" in reply
    assert "Ответ на просьбу «Можно через СБИС" not in reply
    assert reply.count("СБИС") == 1 and "оригиналы — на указанный адрес" in reply


def test_lowercase_questions_and_a_verb_asked_about_with_only_a_date() -> None:
    reply = _reply("здравствуйте а вы после потопа убираете? офис 60 кв м. сколько стоит и когда сможите")
    assert "Когда сможем: [дата]." in reply and "сколько стоит?»]" in reply
    reply = _reply(
        "Для банка нужны заверенные копии договора и актов. Сможете подготовить до 11 декабря? Заберём курьером."
    )
    assert "Подготовить заверенные копии договора и актов до 11 декабря — [можем" in reply
    assert "Заберём курьером" not in reply  # their own plan, not our promise


def test_a_note_to_take_into_account_says_what() -> None:
    reply = _reply(
        "У нас сменился директор, договоры теперь подписывает Кудрявцев Алексей Петрович, учтите, пожалуйста."
    )
    assert "Учтём: у Вас сменился директор, договоры теперь подписывает Кудрявцев Алексей Петрович." in reply


def test_requests_listed_after_prosbu_and_quoted_imperatives() -> None:
    reply = _reply("Акт до сих пор не составлен. Прошу:\n1) до 09.12 составить и выдать мне акт;\n2) сообщить, когда "
                   "отремонтируют кровлю.")  # fmt: skip
    assert "Составим и выдадим Вам акт до 09.12" in reply
    assert "Сообщим, когда отремонтируют кровлю" in reply
    reply = _reply("По телефону второй день отвечают «ожидайте». Прошу сегодня сообщить, где анализы.")
    assert "Ответ на просьбу «По телефону" not in reply
    reply = _reply("Подтвердите, что успеваете. Остаток хотим оплатить в понедельник.")
    assert "оплатить в понедельник" not in reply


def test_a_client_who_named_whom_they_thank_is_not_asked_whom_to_praise() -> None:
    lexicon = load_lexicon(lexicon_path(ROOT))
    move = "Ваша оценка для нас много значит. Подскажите, кого из команды Вы бы отметили особо?"
    for text, asked in (
        ("Ирина, спасибо огромное, что выручили с лекарством в среду! Вы лучшие.", False),
        ("Спасибо огромное, что выручили с лекарством в среду! Вы лучшие.", True),
    ):
        reading = read_message(text, lexicon, date(2026, 12, 4))
        reply = compose(reading, lexicon, EC, situations_of(reading, Events()), move=move).text
        assert ("кого из команды" in reply) is asked, reply


def test_a_question_announced_as_one_is_asked_however_it_is_worded() -> None:
    reply = _reply(
        "Можно перенести приём на четверг? И ещё вопросик: рука до сих пор побаливает, это нормально на пятый день?"
    )
    assert "рука до сих пор побаливает, это нормально на пятый день" in reply
    assert "извинения" not in reply  # a symptom asked about is no complaint about us


def test_a_question_asked_as_the_clients_doubt_is_met() -> None:
    reply = _reply("Не знаю, берёте ли вы объекты меньше 50 метров — у нас маленький офис. Есть ли отзывы?")
    assert "[Ответ на вопрос «берёте ли вы объекты меньше 50 метров" in reply


def test_a_channel_asked_about_is_no_promise_to_use_it() -> None:
    reply = _reply("Какая у вас отсрочка для новых клиентов? И принимаете ли счета через Диадок, без бумаги?")
    assert "Документы отправим" not in reply and "принимаете ли счета через Диадок" in reply


def test_a_call_asked_for_is_promised_once_without_the_clients_reason() -> None:
    reply = _reply(
        "Есть ли у вас отзывы от клиник? Если можно, перезвоните, голосом проще обсудить.",
        BehaviourType.EMOTIONAL_UNCONFIDENT,  # whose closing offers a call of its own
    )
    assert "Перезвоним." in reply and "проще" not in reply
    assert reply.count("звон") == 1  # no second offer to call in the closing


def test_a_manager_who_does_not_pick_up_is_a_complaint() -> None:
    lexicon = load_lexicon(lexicon_path(ROOT))
    reading = read_message("Менеджер Олег трубку не берёт уже третий день. Где погрузчик?", lexicon, date(2026, 12, 4))
    assert reading.has(ActKind.COMPLAINT)


def test_a_call_at_the_clients_time_is_one_line_with_that_time() -> None:
    reply = _reply("Есть ли у вас сертификаты? Удобнее всего созвониться в пятницу после 14:00.")
    assert "Созвонимся в пятницу после 14:00 — [подтверждаем / другое время]." in reply
    reply = _reply("Какие гарантии? Позвоните мне, пожалуйста, мне трудно писать. Звонить лучше после 11.")
    assert "Позвоним после 11 — [подтверждаем / другое время]." in reply and reply.count("Позвоним") == 1


def test_what_is_asked_after_a_lead_in_colon_is_the_question() -> None:
    reply = _reply("Рассматриваем вас для обедов. Перед договором хотелось бы попробовать: можно заказать пробный обед "
                   "на 3 человека?")  # fmt: skip
    assert "Заказать пробный обед на 3 человека — [можно / нельзя — условия]." in reply
    reply = _reply("Сколько стоит уборка после 19:00, пн–пт?")
    assert "после 19:00" in reply  # a time keeps its minutes


def test_originals_by_post_and_praise_with_a_patronymic() -> None:
    reply = _reply("Прошу выставить счёт за декабрь. После мероприятия нужны акт и УПД в оригинале, почтой.")
    assert "Оригиналы отправим почтой." in reply and "Документы отправим оригиналы" not in reply
    reply = _reply("Спасибо огромное за утренник! Отдельное спасибо Елене Павловне за роль снежинки.", EC)
    assert "Елене Павловне" in reply


def test_items_after_a_changes_header_are_taken_on_board_and_an_action_after_a_dash_leads() -> None:
    reply = _reply("По заказу № Б-12 на 18.12 изменения:\n— гостей будет 44;\n— десерт убираем, вместо него фрукты.")
    assert "Приняли: гостей будет 44." in reply
    reply = _reply("По банкету пара изменений:\n1) гостей теперь 60, а не 50 — добавь, пожалуйста, в смету (рассадка)")
    assert "Добавим в смету: гостей теперь 60, а не 50 — [срок" in reply


def test_a_question_that_opens_with_its_word_keeps_its_head_across_dashes() -> None:
    reply = _reply("Сколько будет стоить перевозка Казань — Уфа, 10 т, груз — мебель, не опасный. Сколько в пути?")
    assert "Стоимость перевозки Казань — Уфа" in reply and "«мебель, не опасный?»" not in reply


def test_a_demand_ends_where_the_threat_begins_and_a_reason_after_a_dash_hides_no_request() -> None:
    reply = _reply("Доступа нет неделю. Если до понедельника не откроете, требую полный возврат и напишу отзывы везде.")
    assert "[Ответ на требование «полный возврат»]" in reply
    reply = _reply("Пришлите акт сверки за 2026 год. И выставьте один счёт за декабрь и январь — хотим оплатить до "
                   "праздников.")  # fmt: skip
    assert "Выставим один счёт за декабрь и январь" in reply and "оплатить до праздников" not in reply


def test_take_this_into_account_says_what() -> None:
    reply = _reply("Пересчитайте смету до понедельника. Предоплату 50% мы уже внесли из расчёта на 120, учтите это.")
    assert "Учтём: предоплату 50% Вы уже внесли из расчёта на 120." in reply


def test_a_fine_the_client_got_is_their_trouble_and_what_they_demand() -> None:
    lexicon = load_lexicon(lexicon_path(ROOT))
    reading = read_message(
        "Вы там вообще работаете? Пришёл штраф 3 000 ₽ от ФНС за отчёт. Штраф оплачиваете вы.",
        lexicon,
        date(2026, 12, 4),
    )
    assert reading.has(ActKind.COMPLAINT) and not reading.has(ActKind.THREAT)
    assert any(ActKind.REQUEST in c.kinds for c in reading.clauses)
    threat = read_message("Иначе штраф по договору и уходим к другому поставщику.", lexicon, date(2026, 12, 4))
    assert threat.has(ActKind.THREAT)


def test_a_pronoun_cut_at_a_dash_is_no_line_and_a_channel_said_in_a_line_is_not_repeated() -> None:
    reply = _reply("Мы — отдел продаж, 12 человек, хотим поехать в горы. Хочется недорого)) Что посоветуете?")
    assert "Вы — [ответ]" not in reply
    reply = _reply("Просим с января указывать новые реквизиты в счетах и направить допсоглашение через ЭДО.")
    assert reply.count("ЭДО") == 1


def test_the_cause_the_crm_gives_is_said_as_what_happened() -> None:
    lexicon = load_lexicon(lexicon_path(ROOT))
    note = ("Завод перенёс отгрузку станка на 11.12",)
    reading = read_message("Станок обещали к 1 декабря, до сих пор нет! Безобразие.", lexicon, date(2026, 12, 4))
    reply = compose(reading, lexicon, NC, situations_of(reading, Events()), on_file=note).text
    assert "Что произошло: завод перенёс отгрузку станка на 11.12." in reply  # the CRM gives the cause
    reading = read_message("Запчасти по заказу 77 обещали к 27 ноября. Когда?", lexicon, date(2026, 12, 4))
    reply = compose(reading, lexicon, NC, situations_of(reading, Events()), on_file=note).text
    assert "; в CRM: «Завод перенёс отгрузку станка на 11.12»]" in reply
    assert "11.12" not in compose(reading, lexicon, NC, situations_of(reading, Events())).text  # nothing on file


def test_a_time_asked_about_names_what_for_and_a_decision_is_taken_on_board() -> None:
    reply = _reply("По проекту:\n1) директор хочет посмотреть ваш склад в Химках — можно в пятницу, 11-го?\n"
                   "2) решили увеличить объём с 20 до 30 паллет, место есть, схему пришлю сегодня.")  # fmt: skip
    assert "Посмотреть наш склад в Химках в пятницу, 11-го — [можно / нельзя — условия]." in reply
    assert "Приняли: решили увеличить объём с 20 до 30 паллет, место есть." in reply


def test_a_question_inside_the_clients_doubt_is_quoted_alone() -> None:
    reply = _reply("Я раньше не заказывал печать и не очень понимаю, какие файлы нужны. Макет в Canva подойдёт?")
    assert "[Ответ на вопрос «какие файлы нужны?»]" in reply
    reply = _reply("Пришёл штраф 5 000 ₽ от ФНС. Штраф оплачиваете вы, и я хочу понять, как такое получилось.")
    assert "Штраф оплачиваете вы" in reply  # the demand said first stays the line


def test_a_call_awaited_today_is_a_line_with_its_time() -> None:
    reply = _reply("Это уже третий раз!!! Сегодня жду звонка от директора, не от администратора.")
    assert "Звонок от директора — сегодня: [подтверждаем / другой срок]." in reply


def test_a_repair_asked_for_is_never_promised_without_its_blank() -> None:
    reply = _reply("Добрый день. Замените, пожалуйста, зеркало и отрегулируйте двери шкафа.")
    assert "Заменим зеркало и отрегулируем двери шкафа — [срок / другое решение]." in reply


def test_news_the_client_tells_is_noted_without_their_telling() -> None:
    reply = _reply("Также сообщаем, что сменился генеральный директор — теперь Гусейнов Руслан Алиевич.")
    assert "сообщаем" not in reply.lower()
    assert "Приняли: сменился генеральный директор — теперь Гусейнов Руслан Алиевич." in reply


def test_a_plain_problem_among_other_asks_gets_its_own_point() -> None:
    reply = _reply(
        "1. Камера на въезде (№7) опять с ночи показывает черный экран.\n"
        "2. Пришлите допсоглашение и новую стоимость.\n"
        "3. У нас сменился юр. адрес: 115054, Москва, ул. Дубининская, д. 57. Учтите в документах."
    )
    assert "Камера на въезде (№7) с ночи показывает черный экран — [причина и что делаем, срок]" in reply
    assert "Приняли новый юр. адрес: 115054, Москва, ул. Дубининская, д. 57." in reply


def test_a_question_about_the_time_is_answered_and_figures_name_a_short_question() -> None:
    reply = _reply("Во сколько можно подъехать? И вот что: в счете 67 300, а согласовывали 61 000. Откуда разница?")
    assert "вот что" not in reply
    assert "[Ответ на вопрос «Во сколько можно подъехать?»]" in reply
    assert "67 300" in reply and "Откуда разница?" in reply


def test_a_topic_before_the_dash_stays_in_the_line_and_a_discount_question_is_no_objection() -> None:
    reply = _reply("Подскажите, корм Monge, мешки 10 кг — есть в наличии? И какая цена от 20 мешков, скидка есть?")
    assert "Корм Monge, мешки 10 кг — в наличии: [есть / нет]." in reply


def test_a_reproach_about_reaching_us_is_not_restated_as_a_point() -> None:
    reply = _reply("НИКТО не связался. Пришлите акт сверки за ноябрь.")
    assert "НИКТО не связался —" not in reply


def test_impatience_stays_the_clients_and_their_own_trouble_is_not_our_point() -> None:
    reply = _reply("Третий день не могу провести платёж поставщику! Разберитесь уже наконец.")
    assert "наконец" not in reply and "не могу провести платёж поставщику —" not in reply
    assert "Разберёмся" in reply


def test_a_need_the_next_question_asks_for_is_met_once() -> None:
    reply = _reply(
        "Для субсидии нужны заверенные копии: договор № 118/26, УПД и акт. Сможете подготовить до 11 декабря?"
    )
    assert reply.count("аверенные копии") == 1


def test_asking_to_raise_a_limit_is_a_question_not_an_upsell() -> None:
    from bot.services.suggestions.composer import Situation

    lexicon = load_lexicon(lexicon_path(ROOT))
    day = date(2026, 12, 8)
    asking = read_message("Какой лимит на снятие наличных по карте? Можно ли его увеличить на декабрь?", lexicon, day)
    assert Situation.UPSELL not in situations_of(asking, Events())
    growing = read_message("С января хотим добавить мытьё окон раз в квартал — посчитайте.", lexicon, day)
    assert Situation.UPSELL in situations_of(growing, Events())


def test_what_the_client_handed_over_is_acknowledged_with_a_blank_in_message_order() -> None:
    reply = _reply(
        "Кратко:\n1. Выписку за ноябрь загрузили в облако.\n2. Доплату 25 000 отправила сегодня.\n"
        "3. Сколько стоит консультация?"
    )
    # one line of thanks in our words, with one blank for whether it arrived, before the answer to the question
    assert (
        "1. Спасибо за то, что загрузили выписку за ноябрь в облако и за доплату 25 000 — "
        "[получили / проверим и подтвердим]." in reply
    )
    assert "Выписку за ноябрь загрузили" not in reply  # the client's sentence is not read back as ours
    assert reply.index("доплату") < reply.index("консультации")


def test_how_the_client_sent_their_papers_is_no_channel_for_ours() -> None:
    reply = _reply("Подписанное допсоглашение отправил сегодня Почтой России. Платёж можно платить по новому графику?")
    assert "Оригиналы отправим почтой" not in reply


def test_a_listed_demand_and_an_awaited_answer_are_met() -> None:
    listed = _reply(
        "Второй день нет интернета! Требую:\n1) конкретный срок восстановления;\n2) перерасчёт абонплаты за простой."
        "\nЕсли до конца дня не заработает — расторгаем договор."
    )
    assert "Перерасчёт абонплаты за простой — [ответ]" in listed
    assert "Что делаем: [шаг" not in listed  # the client's demands are the steps
    awaited = _reply(
        "Пишу третий раз, груз не приняли. До 15:00 жду внятный ответ: где груз и кто компенсирует штраф. "
        "Если ответа не будет — переводим склад к другому оператору."
    )
    assert "[Ответ на вопрос «где груз и кто компенсирует штраф?»]" in awaited


def test_a_time_before_the_demanded_action_goes_after_it() -> None:
    reply = _reply("Требую до завтра, 11.12, наладить отопление.")
    assert "Наладим отопление до завтра, 11.12 — [" in reply


def test_a_count_that_will_change_is_a_change_not_a_mistake() -> None:
    reply = _reply("Мест будет 14 вместо 12 — добавили 2 короба. Сможете забрать сегодня до 16:00?")
    assert "Приняли: мест будет 14 вместо 12" in reply
    assert "извинения" not in reply


def test_listed_questions_without_question_marks_are_all_met() -> None:
    reply = _reply("Вопросы:\n1) можно ли увеличить скорость до 500 Мбит/с;\n2) с какого числа изменится абонплата.")
    assert "[Ответ на вопрос «с какого числа изменится абонплата?»]" in reply


def test_the_clients_reason_is_not_pasted_into_our_line() -> None:
    reply = _reply("Пожалуйста, подтвердите письменно, для нас это очень важно.")
    assert "важно" not in reply


def test_when_something_was_done_is_no_deadline_of_the_clients() -> None:
    reply = _reply(
        "Хочу передать благодарность вашей сервисной службе: мастер приехал в тот же день, экскаватор запустили "
        "к вечеру. Приятно с вами работать."
    )
    assert "[ответ]" not in reply and "Срок, который Вы назвали" not in reply
    schedule = _reply("Платёж ушёл 19-го, по графику до 20-го. Уберите пени и пришлите исправленный акт сверки.")
    assert "Срок, который Вы назвали" not in schedule


def test_a_needs_header_asks_nothing_and_its_list_runs_over_a_question_to_the_signature() -> None:
    reply = _reply(
        "Нам нужно:\n1) подключить ещё одного подписанта. Какие документы от неё нужны?\n"
        "2) выписку по счёту за ноябрь с печатью банка;\nМаксим Ершов, ООО «КоломнаДорСтрой»"
    )
    assert "«Нам нужно»" not in reply
    assert "Выписку по счёту за ноябрь с печатью банка — [ответ]" in reply
    assert "КоломнаДорСтрой" not in reply


def test_a_question_opened_by_a_preposition_is_asked_without_a_question_mark() -> None:
    reply = _reply("Минимальная сумма заказа какая? И до скольки принимаете заявку на завтра.")
    assert "[Ответ на вопрос «до скольки принимаете заявку на завтра?»]" in reply


def test_a_long_number_is_not_cut_in_a_blank() -> None:
    reply = _reply("И объясните, почему за ноябрь списали 3 900 за обслуживание, если по тарифу 2 490?")
    assert "2 490" in reply and "2…" not in reply


def test_a_change_list_runs_over_a_request_item_and_an_infinitive_item_is_a_request() -> None:
    reply = _reply(
        "Павел, по Новосибирску изменения:\n1) Кузнецова не летит — снимайте с брони билеты.\n"
        "2) Вместо неё летит Дмитрий Орлов.\n3) Отель всем продлить на ночь, выезд 19.12.\n"
        "4) Итоговая стоимость поездки — нужна цифра сегодня до 18:00.\nГаниев"
    )
    assert "Приняли: вместо неё летит Дмитрий Орлов." in reply
    assert "Отель всем продлим на ночь, выезд 19.12 — [" in reply
    assert "нужна цифра сегодня до 18:00" in reply and "Приняли: итоговая" not in reply
    assert "Ганиев" not in reply


def test_an_address_with_abbreviations_stays_one_sentence_and_its_request_is_ours() -> None:
    reply = _reply(
        "Напоминаем, что с 1 декабря у нас новый юридический адрес: 190020, г. Санкт-Петербург, "
        "наб. Обводного канала, д. 138, пом. 14-Н — просим указывать его во всех документах."
    )
    assert "наб. Обводного канала, д. 138, пом. 14-Н; будем указывать его во всех документах." in reply
    assert "просим" not in reply


def test_a_rhetorical_reproach_is_no_question_and_no_promise_is_made_under_it() -> None:
    reply = _reply(
        "Вы что творите? В акте сверки начислены пени за просрочку, которой не было! "
        "Требую убрать пени и прислать исправленный акт сверки."
    )
    assert "творите" not in reply
    assert "[Уберём пени и пришлём исправленный акт сверки / предложим другое решение]" in reply


def test_a_new_price_we_sent_is_the_context_of_the_question_not_a_mistake_or_a_change() -> None:
    reply = _reply(
        "Вы прислали КП с 1 января — хранение 22 ₽ за короб в сутки вместо 17. Это окончательная цифра? "
        "И подтвердите, пожалуйста, письменно, что до 31.12 работаем по старым ценам."
    )
    assert "извинения" not in reply and "Приняли" not in reply
    assert "[Ответ на вопрос «Вы прислали КП с 1 января — хранение 22 ₽ за короб" in reply
    assert "вместо 17. Это окончательная цифра?»]" in reply


def test_their_reason_for_asking_is_not_a_request_and_our_deed_is_in_our_person() -> None:
    reply = _reply(
        "До какого числа вы принимаете поставки? Нам надо понять, сможем ли отгружать заказы в январе. "
        "Вчера отправили вам 2 паллеты возвратов — напишите, пожалуйста, когда примете."
    )
    assert "Нам надо понять" not in reply
    assert "Напишем, когда примем" in reply


def test_broken_promises_are_owned_in_one_line_in_our_words() -> None:
    reply = _reply(ESCALATION, broken=("Направить клиенту график платежей", "Закрепить за клиентом утренний рейс"))
    assert "Признаём: мы обещали направить Вам график платежей и закрепить за Вами утренний рейс" in reply
    assert reply.count("Признаём") == 1
    noun = _reply(ESCALATION, broken=("Выдача ГАЗели после ремонта КПП",))
    assert "Признаём, что подвели Вас (выдача ГАЗели после ремонта КПП) — [причина и новый срок]." in noun


def test_asks_inside_lists_and_after_a_comma_are_met() -> None:
    listed = _reply("Интересует:\n— есть ли корпоративный формат;\n— выдаёте ли удостоверение о повышении.")
    assert "удостоверение" in listed
    fine = _reply("Если участников станет меньше, можно ли уменьшить количество номеров без штрафа?")
    assert "без штрафа" in fine and "извинения" not in fine
    need = _reply("Предупреждаю: в субботу 12.12 у нас завоз мебели, нужен пропуск на машину Р 417 КН 178.")
    assert "Пропуск на машину Р 417 КН 178 — [ответ]" in need


def test_an_account_number_is_never_cut_as_if_it_held_a_phone() -> None:
    reply = _reply("Пришлите, пожалуйста, справку об открытии счёта 40702810938000123456 с ЭП.")
    assert "40702810938000123456" in reply


def test_the_reply_greets_the_client_by_the_first_name_they_signed_with() -> None:
    lexicon = load_lexicon(lexicon_path(ROOT))

    def signed(text: str) -> str:
        return read_message(text, lexicon, date(2026, 12, 4)).introduced_as

    assert signed("Интеграция с ЕГАИС входит в тариф?\nОльга, управляющая «Хинкальная»") == "Ольга"
    assert signed("Сколько стоит?\nГусейнов А.Р., ООО «Азия Фуд»") == ""
    assert signed("Сколько стоит?\nФилиппов, ООО «Вектор»") == ""


def test_new_details_and_corrected_figures_are_taken_on_board() -> None:
    address = _reply("С 14.12 просим доставлять на новый адрес: Москва, ул. Большая Ордынка, д. 40, стр. 4.")
    assert "Приняли: с 14.12 будем доставлять на новый адрес: Москва, ул. Большая Ордынка, д. 40, стр. 4." in address
    assert "[срок" not in address
    entity = _reply("Также с 1 января просим выставлять счета на новое юрлицо — ООО «Медикал Групп Запад».")
    assert "будем выставлять счета на новое юрлицо — ООО «Медикал Групп Запад»" in entity
    figures = _reply(
        "По заказу:\n— лосось не 12, а 18 кг\n— участников 120, а не 110;\n— обед переносим с 13:00 на 13:30"
    )
    assert "Приняли: лосось не 12, а 18 кг." in figures
    assert "Приняли: участников 120, а не 110." in figures
    assert "с 13:00 на 13:30" in figures and "Приняли: 00" not in figures
    # two steps, ours to confirm, not a change to take note of
    steps = _reply("Прошу внести изменения в договор № ОХ-0317 и с января выставлять счета на новый адрес.")
    assert "Внесём изменения в договор № ОХ-0317" in steps and "[срок / другое решение]" in steps


def test_how_the_client_will_send_their_original_is_no_promise_of_ours() -> None:
    reply = _reply("Во вложении подписанный договор, оригинал отправим почтой. Выставьте счет на 1 квартал.")
    assert "Оригиналы отправим почтой" not in reply


def test_an_announced_complaint_is_no_request() -> None:
    reply = _reply("Хочу выразить недовольство. Уже второй раз преподаватель не приходит на занятие.")
    assert "недовольство" not in reply


def test_an_angry_message_gets_no_thanks_for_a_word_like_prekrasno() -> None:
    reply = _reply(
        "Я в бешенстве. Удержали 12 тысяч за царапину, у меня есть фото, там её прекрасно видно. "
        "Требую вернуть залог полностью до пятницы. Иначе претензия и суд."
    )
    assert "спасибо" not in reply.lower()


def test_this_is_what_reproaches() -> None:
    reply = _reply("Это вообще что такое?? Привезли завядшие букеты. Нужна замена до 16:00, иначе требуем возврат.")
    assert "[Ответ на вопрос «Это вообще что такое?»]" not in reply
    assert "извинения" in reply


def test_an_evening_greeting_gets_one_for_any_time_of_day() -> None:
    assert _reply("Добрый вечер! Сколько стоит доставка в Тверь?").startswith("Здравствуйте!")
    assert _reply("Добрый день! Сколько стоит доставка в Тверь?").startswith("Добрый день!")


def test_an_illness_gets_a_wish_before_business() -> None:
    reply = _reply("Саша заболел, у нас грипп(( Пропустим две недели занятий — сделаете перерасчёт?")
    assert reply.startswith("Добрый день! Желаем скорейшего выздоровления!")
    assert "перерасчёт" in reply


def test_thanks_to_a_group_is_thanks_and_a_child_told_about_is_not_the_one_thanked() -> None:
    reply = _reply(
        "Хотим сказать спасибо всем вожатым за вчерашний поход, дети в восторге, Петя до сих пор рассказывает про "
        "костёр. А когда будет следующий?",
        BehaviourType.EMOTIONAL_CONFIDENT,
    )
    assert "Спасибо за тёплые слова" in reply
    assert "передадим их Пет" not in reply


def test_the_clients_reason_is_not_pasted_into_our_promise() -> None:
    reply = _reply("Пришлите, пожалуйста, выписку по счёту за ноябрь — нужна для аудитора.")
    assert "Пришлём выписку по счёту за ноябрь" in reply
    assert "аудитор" not in reply
    told = _reply("Сообщите, когда будет готов ремонт крыши над складом.")
    assert "Сообщим, когда будет готов ремонт крыши над складом" in told  # what we tell is the promise's object


def test_what_they_ask_after_what_they_decided_is_met_without_their_remarks() -> None:
    reply = _reply(
        "По макету: вариант 3 утверждаем, но шрифт сделайте крупнее и уберите телефон, директор сказал так лучше. "
        "И сколько будет стоить печать 500 шт?"
    )
    assert "Шрифт сделаем крупнее и уберём телефон." in reply
    assert "директор" not in reply
    assert "Реквизиты" not in _reply("Реквизиты те же. Выставьте счёт на декабрь.")  # told, not asked


def test_when_the_client_is_ready_is_no_deadline_of_ours_and_a_named_edo_is_the_channel() -> None:
    reply = _reply("Какая сумма досрочного выкупа по договору 17/Л? Деньги готовы до конца года.")
    assert "Ваш срок" not in reply
    edo = _reply("Просьба прислать акт за ноябрь и продублировать через Диадок.")
    assert edo.count("Диадок") == 1


def test_a_thing_added_after_a_request_is_asked_too_and_a_lead_in_asks_nothing() -> None:
    reply = _reply("Пришлите, пожалуйста, акт за ноябрь. И ещё копию договора поставки — наш экземпляр потерялся.")
    assert "Пришлём копию договора поставки" in reply
    listed = _reply("У нас 3 склада. Подскажите:\n- сколько стоит уборка?\n- работаете ли по выходным?")
    assert "Подскажите" not in listed


def test_a_short_delivery_is_a_complaint_without_complaint_words() -> None:
    reply = _reply(
        "Пришла машина по заказу 512, плитки должно быть 12 поддонов, выгрузили 9. Когда довезёте остальное?"
    )
    assert reply.startswith("Добрый день! Приносим извинения")
    assert "Недовоз (должно быть 12 поддонов, выгрузили 9) — [причина и когда довезём]." in reply


def test_a_rave_that_mentions_a_hitch_stays_thanks() -> None:
    reply = _reply(
        "Девочки, спасибо вам огромное!!! Праздник прошёл волшебно, мы даже не заметили, что ведущий опоздал 😄",
        BehaviourType.EMOTIONAL_UNCONFIDENT,
    )
    assert "Спасибо за тёплые слова" in reply
    assert "извинени" not in reply


def test_a_yes_no_question_without_a_mark_and_an_ask_after_a_comma_are_met() -> None:
    reply = _reply(
        "Бронь на 20-е подтверждаю. И есть ли у вас где встать газели. Предоплату переведу вечером, напомните сумму"
    )
    assert "[Ответ на вопрос «есть ли у вас где встать газели?»]" in reply
    assert "сумму предоплаты" in reply


def test_a_real_question_in_a_complaint_is_met_and_a_liked_product_is_no_praise() -> None:
    reply = _reply(
        "Хотим заказать проект сада. Вы делаете проект зимой, по снегу? Понравились туи в вашем каталоге, хотим 5 шт. "
        "И телефон на сайте не работает, мы так и не дозвонились."
    )
    assert "[Ответ на вопрос «Вы делаете проект зимой, по снегу?»]" in reply
    assert "Спасибо за отзыв" not in reply
    assert "В среду — [подтверждаем / другой срок]." in _reply("ок, принято, ждем в среду")


def test_a_plain_is_it_ok_asks_and_a_demand_under_a_complaint_is_a_choice() -> None:
    asked = _reply("Детей будет не 10, а 14, это нормально, аниматор справится?")
    assert "Приносим извинения" not in asked
    demanded = _reply(
        "Оплатили размещение, а на щите чужая реклама! Требую немедленно повесить наш баннер. Иначе пишем претензию."
    )
    assert "[Немедленно повесим Ваш баннер / предложим другое решение]" in demanded
