"""The card says how clear the type's cues are in words, never as «уверенность 100%» from one message."""

from __future__ import annotations

from bot.presenters.card import certainty


def test_the_type_certainty_is_said_in_words_not_as_a_percentage() -> None:
    assert certainty(1.0) == "признаки выражены ясно"
    assert certainty(0.65) == "оценка предварительная"
    assert "проверьте" in certainty(0.4)
    assert "%" not in certainty(0.99)
