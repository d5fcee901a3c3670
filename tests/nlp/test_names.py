"""People and departments in Russian text, matched to a directory in any case and form."""

from __future__ import annotations

import pytest

from bot.nlp.names import (
    FIRST,
    SURNAME,
    NameIndex,
    Person,
    address_name,
    department_from_word,
    find_departments,
    split_name,
)
from bot.nlp.org_names import Org, OrgIndex

PEOPLE = [
    Person("c02", "Сергей Мельников", "logistics"),
    Person("c03", "Анна Гончарова", "logistics"),
    Person("c05", "Людмила Петровна Соколова", "accounting"),
    Person("c07", "Алексей Шестаков", "legal"),
    Person("c09", "Роман Тихонов", "production"),
    Person("c12", "Анна Белова", "sales"),
]


@pytest.fixture(scope="module")
def index() -> NameIndex:
    return NameIndex(PEOPLE)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Мельникову: план отгрузок", "c02"),
        ("мельникову передайте", "c02"),  # lower case is fine for a surname the dictionary knows
        ("Гончаровой: отвезти образец", "c03"),
        ("попросите Гончарову", "c03"),
        ("Людмиле Петровне: проверить счёт", "c05"),
        ("юристу Шестакову: доверенность", "c07"),
        ("Алексею Шестакову, к четвергу", "c07"),
        ("Тихонов, до 2-го числа раскрой", "c09"),
        ("Роману: спецификация", "c09"),
        ("Сергей, план поправить", "c02"),
        ("Мельникофу срочно", "c02"),  # a typo in the surname
    ],
)
def test_a_name_in_any_form_finds_the_colleague(index: NameIndex, text: str, key: str) -> None:
    mentions = index.find(text)
    assert mentions and mentions[0].keys == (key,), mentions


def test_a_shared_first_name_is_ambiguous_and_a_diminutive_counts(index: NameIndex) -> None:
    (mention,) = index.find("Анна, подтвердите отгрузку")
    assert set(mention.keys) == {"c03", "c12"} and not mention.unique
    (dim,) = index.find("Ане из логистики: две машины")
    assert set(dim.keys) == {"c03", "c12"}
    (full,) = index.find("Анне Гончаровой")
    assert full.keys == ("c03",) and full.parts == frozenset({FIRST, SURNAME})


def test_common_words_are_not_names(index: NameIndex) -> None:
    assert index.find("роман о любви и вера в успех") == []


def test_lookup_takes_ids_names_and_typos(index: NameIndex) -> None:
    assert [p.key for p in index.lookup("c07")] == ["c07"]
    assert [p.key for p in index.lookup("Шестаков")] == ["c07"]
    assert [p.key for p in index.lookup("Анна Гончарова")] == ["c03"]
    assert {p.key for p in index.lookup("Анна")} == {"c03", "c12"}
    assert index.lookup("Иванов") == []


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("логисты, алё!", "logistics"),
        ("опять логистика тормозит", "logistics"),
        ("юристам: договор", "legal"),
        ("бухгалтерия, акт сверки", "accounting"),
        ("бухгалтерам: счёт", "accounting"),
        ("склад, зарезервируйте", "warehouse"),
        ("производство, что с дверями", "production"),
        ("в отдел продаж передайте", "sales"),
        ("ЛОГИСТИКА, ответьте", "logistics"),
    ],
)
def test_departments_by_their_words(text: str, department: str) -> None:
    assert find_departments(text)[0].department == department


def test_weak_department_words_count_only_at_the_head() -> None:
    assert find_departments("доставка на склад клиента в Домодедове") == []
    assert department_from_word("юристы") == "legal"
    assert department_from_word("Бухгалтерия") == "accounting"
    assert department_from_word("legal") == "legal"
    assert department_from_word("космос") is None


def test_names_split_into_parts_for_a_greeting() -> None:
    assert split_name("Людмила Петровна Соколова") == ("Людмила", "Петровна", "Соколова")
    assert split_name("Тихонов Роман") == ("Роман", None, "Тихонов")
    assert address_name("Людмила Петровна Соколова") == "Людмила Петровна"
    assert address_name("Роман Тихонов") == "Роман"


def test_clients_by_name_form_project_and_contact() -> None:
    orgs = OrgIndex(
        [
            Org("cl01", ("Стройдом", "ООО «Стройдом»"), ("Игорь Валентинович Ладыгин",)),
            Org("cl02", ("Вектор", "ООО «Вектор»")),
            Org("cl03", ("Альфа-Логистик", "ООО «Альфа-Логистик»")),
            Org("cl10", ("СеверТрансСервис", "ООО «СеверТрансСервис»")),
            Org("cl12", ("Дверной Двор", "ИП Захарова С. В., салон дверей «Дверной Двор»"), ("Светлана Захарова",)),
            Org("cl13", ("Гранит-Строй", "ООО «Гранит-Строй»", "Заречный")),
            Org("cl14", ("Волжская Ривьера", "Отель «Волжская Ривьера»")),
        ]
    )
    cases = {
        "отгрузка для Стройдома": "cl01",
        "КП для Ладыгина": "cl01",
        "акт сверки по ООО Вектор": "cl02",
        "договор с Альфой": "cl03",
        "полис для СеверТранса": "cl10",
        "счёт для Дверного Двора": "cl12",
        "50 полотен под Захарову": "cl12",
        "план по Заречному": "cl13",
        "двери для 3 этажа Ривьеры": "cl14",
    }
    for text, key in cases.items():
        found = orgs.find(text)
        assert found and found[0].key == key, text
    assert orgs.find("вектор движения и кедровые орехи") == []  # dictionary words count only with a capital
