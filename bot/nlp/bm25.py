"""BM25 over lemmas, in memory, with numpy postings.

Why our own: the corpus is small (hundreds of chunks) and rebuilt at start from the same parsed files as the
vector index, so a persistent full-text engine would only add a second copy to keep in sync. Lemmas (not word
forms) make "скидку"/"скидки"/"скидка" one term, which matters a lot in Russian.

Postings are stored column-wise (term → doc indices, precomputed BM25 term weights), so a query costs one numpy
slice-add per query term; 100k chunks stay in the low milliseconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from bot.nlp.text import tokenize

# Function words carry no topic and are in every chunk; they would only add noise to the scores.
_SKIP_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})
_SKIP_LEMMAS = frozenset({"быть", "этот", "тот", "весь", "свой", "который", "мочь", "такой", "это", "как", "так"})


def content_lemmas(text: str) -> list[str]:
    """Lemmas of the words that can carry meaning, in order (repeats kept: BM25 needs term frequencies).

    Numbers of three or more digits are kept too: standard, contract and article numbers ("ГОСТ 30772") are
    exactly what people search for verbatim and what the dense model cannot see.
    """
    out = []
    for token in tokenize(text):
        if token.text.isdigit() and len(token.text) >= 3:
            out.append(token.text)
            continue
        if not token.is_word or token.pos in _SKIP_POS:
            continue
        if len(token.lemma) < 2 or token.lemma in _SKIP_LEMMAS:
            continue
        out.append(token.lemma)
    return out


STEM_PREFIX = 5  # letters


def index_terms(text: str) -> list[str]:
    """Lemmas plus a short prefix ("~удерж") of each longer lemma.

    Lemmas do not join derived words: "удержать" and "удержание", "подтвердить" and "подтверждение" are different
    lemmas, yet a question uses one and the article the other. The shared prefix catches those; an exact lemma
    match still scores higher because it matches both terms. Unrelated words that share five letters exist, but
    they are rare and idf keeps common prefixes cheap.
    """
    terms = []
    for lemma in content_lemmas(text):
        terms.append(lemma)
        if len(lemma) > STEM_PREFIX + 1 and lemma.isalpha():
            terms.append("~" + lemma[:STEM_PREFIX])
    return terms


class BM25Index:
    """Okapi BM25 over documents given as lemma lists. Document order = the indices returned by queries."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(documents)
        self.vocabulary: dict[str, int] = {}
        term_ids: list[int] = []
        doc_ids: list[int] = []
        freqs: list[int] = []
        lengths = np.zeros(self.size, dtype=np.float32)
        for doc_index, lemmas in enumerate(documents):
            lengths[doc_index] = len(lemmas)
            for lemma, count in Counter(lemmas).items():
                term = self.vocabulary.setdefault(lemma, len(self.vocabulary))
                term_ids.append(term)
                doc_ids.append(doc_index)
                freqs.append(count)
        terms = np.asarray(term_ids, dtype=np.int64)
        docs = np.asarray(doc_ids, dtype=np.int64)
        tf = np.asarray(freqs, dtype=np.float32)
        order = np.argsort(terms, kind="stable")
        self._docs = docs[order].astype(np.int32)
        average = float(lengths.mean()) if self.size else 1.0
        norm = k1 * (1.0 - b + b * lengths / (average or 1.0))
        tf_sorted = tf[order]
        # The length-normalised term weight does not depend on the query: precompute it once.
        self._weights = (tf_sorted * (k1 + 1.0) / (tf_sorted + norm[self._docs])).astype(np.float32)
        df = np.bincount(terms, minlength=len(self.vocabulary)).astype(np.float64)
        self._indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
        # Lucene's idf: always positive, so a term in most documents still helps a little instead of hurting.
        self._idf = np.log(1.0 + (self.size - df + 0.5) / (df + 0.5)).astype(np.float32)

    def idf(self, lemma: str) -> float:
        term = self.vocabulary.get(lemma)
        return float(self._idf[term]) if term is not None else 0.0

    def scores(self, query_lemmas: Iterable[str], mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every document (0 where no query term occurs, or where `mask` is False)."""
        scores = np.zeros(self.size, dtype=np.float32)
        for lemma in set(query_lemmas):
            term = self.vocabulary.get(lemma)
            if term is None:
                continue
            start, stop = self._indptr[term], self._indptr[term + 1]
            # Doc indices are unique within one term's postings, so fancy-index += is exact.
            scores[self._docs[start:stop]] += self._idf[term] * self._weights[start:stop]
        if mask is not None:
            scores[~mask] = 0.0
        return scores

    def top(self, query_lemmas: Iterable[str], k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """The k best (document index, score) pairs with a positive score, best first."""
        scores = self.scores(query_lemmas, mask)
        positive = int(np.count_nonzero(scores))
        if positive == 0 or k <= 0:
            return []
        k = min(k, positive)
        best = np.argpartition(-scores, k - 1)[:k] if k < self.size else np.arange(self.size)
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(i), float(scores[i])) for i in best if scores[i] > 0][:k]
