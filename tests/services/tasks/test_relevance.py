"""The talk around a task stays out of the brief (issue 15), judged by kinds rather than by phrases: the speaker's
story, remarks about the colleague, accusing questions, emotions and judgements by lemma, digressions; and verbs that
ask nothing (a prohibition, a «never again», a purpose). Own examples, written apart from any evaluation set."""

from __future__ import annotations

from datetime import date

from bot.services.tasks import relevance
from bot.services.tasks.directory import ColleagueInfo, Directory
from bot.services.tasks.extraction import extract

TODAY = date(2026, 12, 2)


def _directory() -> Directory:
    return Directory(
        [
            ColleagueInfo("b1", "Панова Вера Олеговна", "Бухгалтерия"),
            ColleagueInfo("b2", "Рыков Глеб Андреевич", "Отдел логистики"),
        ],
        [],
    )


def _everything(text: str) -> str:
    e = extract(text, _directory(), TODAY)
    return " ".join([e.deliverable or "", *e.details, *e.also, *e.prepared, *e.impact]).lower()


def test_the_speakers_story_and_feelings_stay_out_but_the_figures_stay() -> None:
    text = (
        "Вера, я вчера полдня просидел на планёрке, голова пухнет. Сверь, пожалуйста, платежи «Север-Трейда» за "
        "ноябрь, по нашим данным долг 412 300 руб. Кстати, обед в пятницу переносится."
    )
    said = _everything(text)
    assert "412 300" in said and "сверить платежи" in said
    for talk in ("планёрк", "голова", "обед"):
        assert talk not in said


def test_a_remark_about_the_colleague_is_not_context_but_where_the_file_lies_is() -> None:
    said = _everything("Глеб, ты ж у нас главный по маршрутам. Перестрой маршрут Р-12 до среды. Заявки у тебя в почте.")
    assert "главный по маршрутам" not in said
    assert "в почте" in said


def test_an_accusing_question_keeps_its_fact_without_a_culprit() -> None:
    assert relevance.statement_of("кто подписал акт без печати") == "подписали акт без печати"
    assert relevance.statement_of("почему заявки лежат без ответа") == "заявки лежат без ответа"
    assert relevance.statement_of("ты вообще проверяешь почту") is None
    said = _everything("Глеб, КТО отправил «Ромашке» 20 коробок вместо 30??? Довези 10 коробок сегодня.")
    assert "отправили «ромашке» 20 коробок вместо 30" in said
    assert "кто" not in said


def test_a_clients_emotion_becomes_a_fact_about_the_client() -> None:
    said = _everything("Глеб, клиент психует, груз третий день на таможне. Выясни сегодня, где застряли документы.")
    assert "психует" not in said
    assert "клиент недоволен" in said


def test_verbs_that_ask_nothing_are_not_actions() -> None:
    assert relevance.not_a_task("И не надо мне рассказывать про сбои.", 16, 36)
    assert relevance.not_a_task("И чтоб больше такого не было.", 2, 28)
    assert not relevance.not_a_task("Пересчитай остатки до обеда.", 0, 18)
    said = _everything(
        "Глеб, довези заказ до 15:00. И не надо мне рассказывать про пробки, чтоб больше такого не было."
    )
    assert "довезти заказ" in said
    assert "пробк" not in said and "больше" not in said


def test_slang_and_judgements_are_found_by_lemma_in_any_form() -> None:
    assert relevance.is_chatter("поставщики над нами ржали")
    assert relevance.is_chatter("они там все какие-то мутные")
    assert relevance.trim_talk("вернуть договор, край") == "вернуть договор"
    assert not relevance.is_chatter("18 паллет, 6 из них с холодом")


def test_a_purpose_is_why_only_when_it_is_ours_and_said_as_it_is() -> None:
    from bot.services.tasks.impact import find_impact

    assert find_impact("Сверьте остатки до пятницы, чтобы успеть к инвентаризации.") == [
        "чтобы успеть к инвентаризации"
    ]
    assert find_impact("Подготовьте ответ до 8-го, не хочу, чтобы мы пропустили срок.") == []
    assert find_impact("Предупредите Глеба, чтобы поставил машину на утро.") == []


def test_the_requesters_own_step_is_not_the_colleagues_task() -> None:
    said = _everything("Глеб, выясни, где застрял груз, и напиши мне до понедельника, мне нужно ответить клиенту.")
    assert "выяснить, где застрял груз" in said
    assert "ответить клиенту" not in said


def test_a_verb_inside_quotes_is_a_title_not_a_request() -> None:
    e = extract(
        "Глеб, запрос «заказать доставку» просел с 2 на 19 место. Подготовь отчёт к среде.", _directory(), TODAY
    )
    assert not any("заказать" in a.split("«")[0] for a in [*e.also, e.deliverable or ""])


def test_brackets_and_abbreviations_do_not_cut_an_action() -> None:
    said = _everything("Глеб, правильный товар (арт. 5512, 30 уп.) довези сегодня.")
    assert "правильный товар (арт. 5512, 30 уп.)" in said


def test_a_slang_verb_of_what_happened_keeps_its_tense() -> None:
    from bot.services.tasks.tone import neutralize_words

    assert neutralize_words("позиции улетели вниз") == "позиции опустились вниз"
    assert neutralize_words("сервер лёг ночью") == "сервер отказал ночью"


def test_a_greeting_is_nobodys_object_and_a_wish_may_name_a_site() -> None:
    said = _everything("Глеб, доброе утро. Запроси у них накладные и акт до среды.")
    assert "доброе утро" not in said and "запросить у них накладные" in said
    said = _everything("Глеб, сегодня до 18:00 чтоб shop.example.ru работал.")
    assert "обеспечить, чтобы shop.example.ru работал" in said


def test_an_unknown_short_word_in_capitals_is_an_abbreviation_and_conjuncts_agree() -> None:
    from bot.services.tasks.predicates import read
    from bot.services.tasks.tone import fix_caps, tidy_punctuation

    assert fix_caps("цены на ЖНВЛП проверить СЕГОДНЯ") == "цены на ЖНВЛП проверить сегодня"
    assert tidy_punctuation("сверить, акты за ноябрь") == "сверить акты за ноябрь"
    assert tidy_punctuation("узнать, когда придёт машина") == "узнать, когда придёт машина"
    texts = [a.text for a in read("Глеб, нужна накладная от перевозчика и выписка по счёту.", [(0, 5)])]
    assert texts == ["подготовить накладную от перевозчика и выписку по счёту"]


def test_the_date_of_what_happens_if_we_are_late_is_not_the_deadline() -> None:
    from bot.services.tasks.deadline import choose

    text = (
        "Глеб, добавь 2 точки в маршрут, иначе они без товара до пятницы останутся. "
        "Маршрут нужен до конца завтрашнего дня."
    )
    chosen = choose(text, TODAY)
    assert chosen is not None and chosen.match.date == date(2026, 12, 3)


def test_a_first_person_fact_with_a_name_stays_but_a_first_person_story_goes() -> None:
    assert not relevance.is_chatter("у нас в Казани пересорт по Нурофену")
    assert relevance.is_chatter("мы тут с Вовой вчера полвечера разговаривали")
    assert relevance.is_chatter("я устал")


def test_what_went_wrong_with_a_thing_and_its_figures_stays_as_a_fact() -> None:
    text = (
        "Вера, вы издеваетесь?? Фура в «Северный двор» опять опоздала на 5 часов, датчик показал +14 три часа подряд. "
        "Мне нужна выписка датчика по рейсу R-77 сегодня до 17:00."
    )
    e = extract(text, _directory(), TODAY)
    said = _everything(text)
    assert "опоздала на 5 часов" in said and "+14" in said and "опять" not in said and "издева" not in said
    assert e.deliverable == "подготовить выписку датчика по рейсу R-77"  # «мне нужна»: not «… мне»
    reproach = _everything("Вера, вы опять опоздали с отчётом на 2 дня. Сдайте отчёт по кассе до пятницы.")
    assert "опоздали" not in reproach  # said to a person, it stays a reproach


def test_a_name_said_only_inside_a_jibe_is_still_what_the_task_is_about() -> None:
    e = extract(
        "Вера, ну сколько можно мариновать договор с «Омега Трейд»?? Протокол разногласий по п. 4.2 согласуй "
        "до завтра.",
        _directory(),
        TODAY,
    )
    assert "речь о договоре с «Омега Трейд»" in e.details
    assert not any("мариновать" in d or "сколько можно" in d for d in e.details)


def test_a_start_date_ahead_stays_in_the_task_and_a_lasting_one_goes() -> None:
    ahead = extract(
        "Вера, оформите Глебову Ольгу Петровну до пятницы, выход с 14 декабря, 0,5 ставки.", _directory(), TODAY
    )
    assert ahead.deliverable is not None and "выход с 14 декабря" in ahead.deliverable
    lasting = extract("Вера, акт висит с 19-го, подпишите его до пятницы.", _directory(), TODAY)
    assert lasting.deliverable is not None and "19" not in lasting.deliverable


def test_an_imperfective_imperative_asks_for_a_result_and_a_unit_dot_ends_a_sentence() -> None:
    e = extract("Глеб, перезаключай договор с «Альфа-Тур» с 1 января до 25-го.", _directory(), TODAY)
    assert e.deliverable is not None and e.deliverable.startswith("перезаключить договор")
    priced = extract(
        "Вера, заведи в кассу тариф «Семейный», цена 900 р. Со вторника должен быть в меню.", _directory(), TODAY
    )
    assert priced.deliverable == "завести в кассу тариф «Семейный», цена 900 р"
    assert priced.deadline == date(2026, 12, 8)


def test_a_company_coming_to_us_is_a_fact_not_a_request() -> None:
    said = _everything(
        "Вера, АО «Гелиос» хотят к нам заходить с линейкой фильтров, 12 SKU. Запроси у них сертификаты до пятницы."
    )
    assert "«Гелиос» хотят к нам заходить с линейкой фильтров" in said.replace("ао ", "").replace(
        "«гелиос»", "«Гелиос»"
    )


def test_their_stands_for_the_things_not_for_a_count_or_how_long() -> None:
    e = extract(
        "Вера, почему счета от поставщиков третью неделю лежат без оплаты, 12 штук!!! Разбери их до четверга: что "
        "в оплату, что на возврат.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None and e.deliverable.startswith("разобрать счета от поставщиков:")


def test_a_goal_on_this_is_no_step_and_a_figure_after_a_dash_stays_with_its_fact() -> None:
    e = extract(
        "Вера, подготовьте программу тренинга к 16.12. Ошибок в ноябре было 9, в октябре — 3, надо это остановить "
        "до конца года.",
        _directory(),
        TODAY,
    )
    assert e.deliverable == "подготовить программу тренинга"
    assert "ошибок в ноябре было 9, в октябре — 3" in [d.lower() for d in e.details]
    answer = extract("Вера, посмотрите договор № 12 с «Альфой». Ответ нужен завтра.", _directory(), TODAY)
    assert answer.deadline is not None and not any("ответ нужен" in d.lower() for d in answer.details)


def test_an_adjective_in_the_accusative_turns_its_noun_into_the_nominative() -> None:
    from bot.services.tasks.clauses import inflect_head

    assert inflect_head("таможенную стоимость по партии", "nomn", "accs") == "таможенная стоимость по партии"
    assert inflect_head("красные двери", "nomn", "accs") == "красные двери"


def test_what_the_speaker_is_busy_with_and_a_redirect_are_talk() -> None:
    said = _everything(
        "Вера, добрый день. Я тут разбираю претензии за ноябрь, их много, в основном про парковку — это к охране, "
        "не к вам, — но одна по бухгалтерии. Клиент «Орион» оплатил счёт № 45 дважды. Верните переплату до пятницы."
    )
    assert "разбираю" not in said and "парковку" not in said and "охране" not in said
    assert "«орион» оплатил счёт № 45 дважды" in said


def test_pleas_shame_and_jibes_about_the_colleague_stay_out() -> None:
    said = _everything(
        "Вера, это стыдоба, акт сверки с «Альфой» до сих пор не готов. Сделай плиз до пятницы, без вариантов. "
        "Меня в копию, раз сама не справляешься. Клиент в шоке."
    )
    for word in ("стыдоба", "плиз", "без вариантов", "справляешься", "в шоке"):
        assert word not in said, word
    assert "клиент недоволен" in said


def test_to_whom_goes_next_to_the_verb_and_telling_has_a_plain_done() -> None:
    from bot.services.tasks.done import done_for

    e = extract("Глеб, отправь смету на монтаж им до пятницы.", _directory(), TODAY)
    assert e.deliverable == "отправить им смету на монтаж"
    assert done_for(["сообщить мне, сколько отгрузили"]) == "ответ у меня"


def test_a_pronoun_after_a_preposition_and_a_reason_in_the_details() -> None:
    e = extract(
        "Глеб, пришла от «Орбиты» официальная претензия № 12 на 40 000 руб. Подготовь ответ на неё до пятницы.",
        _directory(),
        TODAY,
    )
    assert e.deliverable is not None and e.deliverable.startswith("подготовить ответ на официальную претензию № 12")
    why = extract(
        "Вера, сверь расчёты с «Альтаиром» до среды, они пишут что долг 90 000. Надо до среды, потому что в "
        "четверг менеджер к ним едет продлевать договор.",
        _directory(),
        TODAY,
    )
    assert why.impact and why.impact[0].startswith("в четверг")
    assert any("пишут, что" in d for d in why.details)
    assert not any(d.lower().startswith("надо до") for d in why.details)


def test_a_judgement_inside_an_action_and_a_plea_inside_a_question_back_go() -> None:
    from bot.services.tasks.vague import vague_question

    e = extract("Вера, оформи эту стыдобу — возврат «Орбите» 12 000 до пятницы.", _directory(), TODAY)
    assert e.deliverable is not None and "стыдоб" not in e.deliverable
    vague = extract("Вера, глянь там по договору плиз", _directory(), TODAY)
    question = vague_question(vague, _directory())
    assert question is not None and "плиз" not in question and "по договору" in question
