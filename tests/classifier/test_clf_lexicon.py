"""Lexicons load from YAML and match by lemma: every word form of an entry is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.classifier.lexicon import Lexicon
from bot.domain import Axis
from bot.nlp.text import tokenize


def _hits(lex: Lexicon, text: str) -> list[tuple[str, str]]:
    words = [t for t in tokenize(text) if t.is_word]
    return [(h.entry.text, text[h.start : h.stop]) for h in lex.find(words)]


@pytest.fixture(scope="module")
def lexicon(project_root: Path) -> Lexicon:
    return Lexicon.load(project_root / "knowledge" / "lexicons")


def test_shipped_lexicons_are_broad(lexicon: Lexicon) -> None:
    assert len(lexicon.entries) > 800
    for axis in Axis:
        for direction in (-1, 1):
            groups = [g for g in lexicon.groups.values() if g.axis is axis and g.direction == direction]
            assert groups, (axis, direction)
    assert all(e.label for e in lexicon.entries)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Какие у вас гарантии?", "гарантия"),
        ("Вы гарантируете сроки?", "вы гарантируете"),
        ("с гарантией на два года", "гарантия"),
        ("Мы очень переживаем", "переживать"),
        ("она переживала", "переживать"),
        ("Я не уверена, что это подойдёт", "не уверена"),
        ("Я не уверен", "не уверен"),
        ("пришлите сертификаты", "сертификат"),
        ("Мы с восторгом", "восторг"),
    ],
)
def test_word_forms_match(lexicon: Lexicon, text: str, entry: str) -> None:
    found = [e for e, _ in _hits(lexicon, text)]
    # "не уверен" and "не уверена" are both entries and both match either form; one of them is kept
    assert entry in found or (entry.startswith("не уверен") and any(e.startswith("не уверен") for e in found))


def test_phrase_allows_one_inserted_word_but_not_a_negation(lexicon: Lexicon) -> None:
    assert ("в восторге", "в полном восторге") in _hits(lexicon, "Мы в полном восторге")
    assert "я решил" in [e for e, _ in _hits(lexicon, "я решил так")]
    assert "я решил" not in [e for e, _ in _hits(lexicon, "я не решил")]


def test_longest_match_wins_within_an_axis(lexicon: Lexicon) -> None:
    hits = _hits(lexicon, "Я не уверен в этом")
    assert ("не уверен", "не уверен") in hits
    assert all(e != "уверенный" for e, _ in hits)  # "уверен" alone (confident) is not also counted


def test_exact_entries_do_not_match_other_forms(lexicon: Lexicon) -> None:
    # "подскажите" (a request) is an exact entry; the past form thanks someone and is not a request
    assert "=подскажите" in [e for e, _ in _hits(lexicon, "Подскажите, как быть")]
    assert "=подскажите" not in [e for e, _ in _hits(lexicon, "Спасибо, что подсказали")]
    # "ТУ" as a standard is matched by its capitals only, not the pronoun "ту"
    assert "=ТУ" in [e for e, _ in _hits(lexicon, "по ТУ производителя")]
    assert "=ТУ" not in [e for e, _ in _hits(lexicon, "ту самую модель")]


def test_participles_do_not_leak_into_entries(lexicon: Lexicon) -> None:
    # the entry "данные" must not match the verb "дать" ("дали")
    assert "данные" not in [e for e, _ in _hits(lexicon, "нам дали скидку")]


def test_admin_yaml_syntax(tmp_path: Path) -> None:
    (tmp_path / "emotionality.yaml").write_text(
        "axis: emotionality\n"
        "groups:\n"
        "  joy:\n"
        "    direction: 1\n"
        "    weight: 2.0\n"
        "    label: радость\n"
        "    entries:\n"
        "      - ликовать\n"
        "      - {text: вот это да, weight: 1.5, label: удивление}\n"
        "      - восхитит*\n",
        "utf-8",
    )
    (tmp_path / "confidence.yaml").write_text("axis: confidence\ngroups: {}\n", "utf-8")
    lex = Lexicon.load(tmp_path)
    words = [t for t in tokenize("Мы ликуем! Вот это да, восхитительно") if t.is_word]
    hits = lex.find(words)
    assert [h.entry.text for h in hits] == ["ликовать", "вот это да", "восхитит*"]
    assert hits[0].entry.weight == 2.0
    assert hits[1].entry.weight == 3.0 and hits[1].entry.label == "удивление"
    assert hits[0].entry.group == "emotionality.joy"


def test_bad_yaml_is_rejected_with_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "emotionality.yaml").write_text("axis: sideways\n", "utf-8")
    (tmp_path / "confidence.yaml").write_text("axis: confidence\n", "utf-8")
    with pytest.raises(ValueError, match=r"emotionality\.yaml"):
        Lexicon.load(tmp_path)
    (tmp_path / "emotionality.yaml").write_text("axis: emotionality\ngroups:\n  g: {direction: 0}\n", "utf-8")
    with pytest.raises(ValueError, match="direction"):
        Lexicon.load(tmp_path)
