"""The quotes a card shows as cues (issue 14): whole clauses, true labels. Own examples."""

from __future__ import annotations

from pathlib import Path

from bot.classifier.features import FeatureExtractor

LEXICONS = Path(__file__).resolve().parents[2] / "knowledge" / "lexicons"


def _cues(text: str) -> list[tuple[str, str]]:
    analysis = FeatureExtractor.load(LEXICONS).analyse(text)
    return [(c.cue.text, c.cue.label) for c in analysis.cues]


def test_a_long_question_is_quoted_from_where_its_clause_begins_not_from_a_particle() -> None:
    text = "Какая отсрочка для новых точек? И второе: принимаете ли УПД с кодами маркировки через Диадок, без бумаги?"
    quotes = [q for q, label in _cues(text) if "вопрос" in label]
    assert quotes and not any(q.lower().startswith(("ли ", "и ", "— ")) for q in quotes)


def test_a_shower_and_a_choice_of_channel_are_no_feelings() -> None:
    cues = _cues("Душевые не работают неделю, я не для того плачу, чтобы ехать домой без душа. Лучше через Диадок.")
    assert not any(q.lower() in ("душа", "лучше") for q, _ in cues)
