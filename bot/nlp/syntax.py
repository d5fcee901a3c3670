"""natasha's syntax parser, morphology tagger and NER over one shared embedding, loaded once per process.

The models ship inside the natasha wheel (navec news embeddings and slovnet taggers, ~0.9 s to load, no download).
razdel splits sentences first: the parser works sentence by sentence and a long message parsed whole loses its
structure. Every token keeps its character offsets in the original text, so callers quote the client exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

# The matrices are tiny: one BLAS thread parses a 20-word request in ~4 ms, while OpenBLAS's thread pool spins
# against other work on a busy two-core machine.
_BLAS_THREADS = 1


@dataclass(frozen=True, slots=True)
class SyntaxToken:
    id: str  # natasha's "<sentence>_<token>" id
    text: str
    start: int
    stop: int
    pos: str  # universal POS (NOUN, VERB, PROPN, ADJ, NUM, …)
    rel: str  # universal dependency relation to the head (root, obj, nsubj, obl, nmod, …)
    head_id: str
    feats: dict[str, str]

    @property
    def imperative(self) -> bool:
        return self.feats.get("Mood") == "Imp"


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    stop: int
    tokens: tuple[SyntaxToken, ...]

    def children(self, token: SyntaxToken) -> list[SyntaxToken]:
        return [t for t in self.tokens if t.head_id == token.id and t.id != token.id]

    def subtree(self, token: SyntaxToken) -> list[SyntaxToken]:
        """The token and everything that depends on it, in text order."""
        found = {token.id}
        changed = True
        while changed:
            changed = False
            for t in self.tokens:
                if t.id not in found and t.head_id in found:
                    found.add(t.id)
                    changed = True
        return [t for t in self.tokens if t.id in found]


@dataclass(frozen=True, slots=True)
class Entity:
    kind: str  # PER, ORG, LOC
    text: str
    start: int
    stop: int


@dataclass(frozen=True, slots=True)
class Parsed:
    text: str
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]


@lru_cache(maxsize=1)
def _models() -> tuple[Any, Any, Any, Any, Any]:
    from natasha import NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter
    from threadpoolctl import ThreadpoolController

    embedding = NewsEmbedding()
    return (
        Segmenter(),
        NewsMorphTagger(embedding),
        NewsSyntaxParser(embedding),
        NewsNERTagger(embedding),
        ThreadpoolController(),
    )


def load() -> None:
    """Load the models now (at start-up or warm-up) rather than inside the first message."""
    _models()


def ner_models() -> tuple[Any, Any, Any]:
    """(segmenter, NER tagger, thread controller) over the same embedding: masking names before an LLM call uses
    these rather than loading the 130 MB of navec vectors a second time."""
    segmenter, _, _, ner_tagger, threads = _models()
    return segmenter, ner_tagger, threads


@lru_cache(maxsize=256)  # a card is re-rendered (another type, another script) from the same message
def parse(text: str) -> Parsed:
    from natasha import Doc

    segmenter, morph_tagger, syntax_parser, ner_tagger, threads = _models()
    with threads.limit(limits=_BLAS_THREADS, user_api="blas"):
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph_tagger)
        doc.parse_syntax(syntax_parser)
        doc.tag_ner(ner_tagger)
    sentences = tuple(
        Sentence(
            sent.text,
            sent.start,
            sent.stop,
            tuple(
                SyntaxToken(
                    t.id, t.text, t.start, t.stop, t.pos or "", t.rel or "", t.head_id or "", dict(t.feats or {})
                )
                for t in sent.tokens
            ),
        )
        for sent in doc.sents
    )
    entities = tuple(Entity(span.type, span.text, span.start, span.stop) for span in doc.spans)
    return Parsed(text, sentences, entities)
