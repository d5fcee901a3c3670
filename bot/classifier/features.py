"""From a client's message to what the model reads: style features, lexicon hits, lemma n-grams and cues.

Everything a person could point at in the text becomes a cue with its character span, so the explanation the
manager sees is always a verbatim quote. The numeric features are bounded (log counts, rates) so that one very
long or very shouty message cannot dominate a linear model.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import razdel
import yaml

from bot.classifier.lexicon import Hit, Lexicon, NeutralTerms
from bot.domain import Axis, Cue
from bot.nlp import syntax
from bot.nlp.text import Token, morph, sentences, tokenize

STYLE_FILE = "style.yaml"

# Symbols people use to lay out a list rather than to show feelings; they are counted as enumeration, not emoji.
_LIST_SYMBOLS = "✅✔☑➡▶•◾▪◽▫►→⬆⬇↗↘➖➕✳✴"
_EMOJI_RE = re.compile(
    "[\U0001f300-\U0001faff\U0001f000-\U0001f2ff\u2600-\u27bf\u2b50\u2b55\u2764\u203c\u2049\u263a\u2639]+"
)
_EMOJI_STRIP = str.maketrans("", "", _LIST_SYMBOLS + "\ufe0f\u200d")
_TEXT_EMOTICON_RE = re.compile(r"(?<!\w)[:;=8][-~^'o]?[)(DPpРр3*\]\[|/\\]+|(?<!\w)[xх][DД](?!\w)|\^_?\^|<3")
_NUMBER_RE = re.compile(r"(?<![\w.,])\d+(?:[ \u00a0.,]\d{3})*(?:[.,]\d+)?(?![\w])|\d+")
_PERCENT_RE = re.compile(r"\d+(?:[.,]\d+)?\s?%|(?<!\w)\d+(?:[.,]\d+)?\s*(?:процент\w*|п\.п\.)", re.IGNORECASE)
_DATE_RE = re.compile(
    r"(?<!\d)\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?(?!\d)|(?<!\d)\d{1,2}:\d{2}(?!\d)|(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"
)
_ELLIPSIS_RE = re.compile(r"\.{3,}|…")
_MULTI_PUNCT_RE = re.compile(r"[!?]*(?:!{2,}|\?{2,}|!\?|\?!)[!?]*")
_ELONGATION_RE = re.compile(r"([а-яёa-z])\1{2,}", re.IGNORECASE)
_LIST_LINE_RE = re.compile(rf"^\s*(?:\d{{1,2}}[.)]|[a-zа-я]\)|[-–—*{_LIST_SYMBOLS}])\s*\S", re.MULTILINE)
_INLINE_ITEM_RE = re.compile(r"(?:^|[\s;,:])\d{1,2}\)\s*\S")
_LIST_MARK_BEFORE_RE = re.compile(r"(?:^|[\s;,:(])(?:\d{1,2}|[a-zа-я])$", re.IGNORECASE)

# Data handed over rather than words said: requisites, contacts, addresses. Such messages rarely show a type.
_RECORD_RE = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.]+|(?:\+7|(?<!\d)8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]?\d{2}[\s-]?\d{2}|(?<!\d)\d{9,}(?!\d)"
    r"|(?<!\w)(?:ИНН|КПП|БИК|ОГРН|ОГРНИП|р/с|к/с|ул\.|д\.|стр\.|корп\.|тел\.?|e-mail|email)(?!\w)",
    re.IGNORECASE,
)
_QUOTED_RE = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]")
_FIRST_PERSON = frozenset({"я", "мне", "меня", "мной", "мой", "моя", "моё", "мое", "мои", "моего", "моей", "моих"})
_WE = frozenset({"мы", "нас", "нам", "нами", "наш", "наша", "наше", "наши", "нашего", "нашей", "наших"})
_YOU = frozenset({"вы", "вас", "вам", "вами", "ваш", "ваша", "ваше", "ваши", "вашего", "вашей", "ваших"})
_DIMINUTIVE_POS = frozenset({"NOUN", "ADJF", "ADVB", "ADJS"})


@dataclass(frozen=True, slots=True)
class StyleFeature:
    name: str
    axis: Axis
    direction: int
    weight: float
    label: str
    min_count: int


@dataclass(frozen=True, slots=True)
class CueSpan:
    """A cue together with where it sits in the text (for de-duplication and tests)."""

    cue: Cue
    start: int
    stop: int
    source: str  # the lexicon group or style feature that produced it


@dataclass(slots=True)
class Analysis:
    text: str
    n_words: int
    dense: dict[str, float]
    ngrams: list[str]
    cues: list[CueSpan] = field(default_factory=list)

    @property
    def evidence(self) -> float:
        """Total weight of everything we could quote: the raw amount of signal in the message."""
        return sum(c.cue.weight for c in self.cues)


@dataclass(frozen=True, slots=True)
class StyleLists:
    features: dict[str, StyleFeature]
    abbreviations: frozenset[str]
    unit_re: re.Pattern[str]
    currency_re: re.Pattern[str]
    months_re: re.Pattern[str]
    diminutive_suffixes: tuple[str, ...]
    diminutive_words: frozenset[str]
    politeness_re: re.Pattern[str]

    @classmethod
    def from_yaml(cls, data: dict[str, Any]) -> StyleLists:
        feats = {
            name: StyleFeature(
                name=name,
                axis=Axis(spec["axis"]),
                direction=int(spec["direction"]),
                weight=float(spec.get("weight", 1.0)),
                label=str(spec["label"]),
                min_count=int(spec.get("min", 1)),
            )
            for name, spec in (data.get("features") or {}).items()
        }

        def words_re(words: list[Any], after_number: bool) -> re.Pattern[str]:
            alts = "|".join(re.escape(str(w)) for w in sorted(words, key=lambda w: -len(str(w))))
            if after_number:
                return re.compile(rf"\d(?:[\d \u00a0.,]*\d)?\s?(?:{alts})(?![\w])\.?", re.IGNORECASE)
            return re.compile(rf"(?<![\w])(?:{alts})(?![\w])", re.IGNORECASE)

        currency = [str(c) for c in data.get("currency") or ()]
        symbols = [c for c in currency if not c[0].isalnum()]
        alts = "|".join(re.escape(s) for s in symbols)
        currency_re = re.compile(
            words_re(currency, after_number=True).pattern + (rf"|(?:{alts})\s?\d[\d \u00a0.,]*" if alts else ""),
            re.IGNORECASE,
        )
        return cls(
            features=feats,
            abbreviations=frozenset(str(a).upper() for a in data.get("abbreviations") or ()),
            unit_re=words_re(list(data.get("units") or ()), after_number=True),
            currency_re=currency_re,
            months_re=re.compile(
                r"(?<!\w)\d{1,2}(?:-?го)?(?:\s*(?:и|-|–|—)\s*\d{1,2}(?:-?го)?)?\s+(?:"
                + "|".join(re.escape(str(m)) for m in data.get("months") or ())
                + r")(?!\w)|(?<!\w)(?:в|во|к|до|с|по|на)\s+(?:"
                + "|".join(re.escape(str(m)) for m in data.get("months") or ())
                + r")(?!\w)",
                re.IGNORECASE,
            ),
            diminutive_suffixes=tuple(str(s) for s in data.get("diminutive_suffixes") or ()),
            diminutive_words=frozenset(str(w).replace("ё", "е") for w in data.get("diminutive_words") or ()),
            politeness_re=words_re(list(data.get("politeness") or ()), after_number=False),
        )


# Names of the numeric style features, in a fixed order (the model stores its own list and maps by name).
STYLE_NAMES = (
    "len_words",
    "short",
    "sentences",
    "avg_sentence",
    "exclamations",
    "multi_punct",
    "emoji",
    "emoticons",
    "caps",
    "elongation",
    "ellipsis",
    "diminutives",
    "numbers",
    "units",
    "currency",
    "percent",
    "dates",
    "enumeration",
    "questions",
    "imperatives",
    "politeness",
    "first_person",
    "we",
    "you",
    "record",
    "quoted",
)


class FeatureExtractor:
    """Turns a text into an `Analysis`. Built once from `knowledge/lexicons/`, then reused for every message."""

    def __init__(self, lexicon: Lexicon, style: StyleLists, neutral: NeutralTerms | None = None) -> None:
        self.lexicon = lexicon
        self.style = style
        self.neutral = neutral or NeutralTerms((), {})
        self.group_names = sorted(lexicon.groups)

    @classmethod
    def load(cls, lexicon_dir: Path) -> FeatureExtractor:
        style = StyleLists.from_yaml(yaml.safe_load((lexicon_dir / STYLE_FILE).read_text("utf-8")) or {})
        return cls(Lexicon.load(lexicon_dir), style, NeutralTerms.load(lexicon_dir))

    @property
    def dense_names(self) -> list[str]:
        axis_totals = ["axis.emo_pos", "axis.emo_neg", "axis.conf_pos", "axis.conf_neg", "axis.evidence"]
        return [f"style.{n}" for n in STYLE_NAMES] + [f"lex.{g}" for g in self.group_names] + axis_totals

    def analyse(self, text: str) -> Analysis:
        tokens = tokenize(text)
        words = [t for t in tokens if t.is_word]
        n_words = len(words)
        hits = self._true_hits(text, words, self.lexicon.find(words))
        cues = [_hit_cue(text, h) for h in hits]
        counts, style_cues = self._style(text, tokens, words, hits)
        cues.extend(style_cues)

        dense: dict[str, float] = {}
        n_sent = max(1, len(sentences(text)))
        dense["style.len_words"] = math.log1p(n_words) / 4.0
        dense["style.short"] = 1.0 if n_words <= 4 else 0.0
        dense["style.sentences"] = math.log1p(n_sent) / 2.0
        dense["style.avg_sentence"] = min(n_words / n_sent, 40.0) / 20.0
        for name in STYLE_NAMES[4:]:
            dense[f"style.{name}"] = math.log1p(counts.get(name, 0.0))
        dense["style.record"] = math.log1p(len(_RECORD_RE.findall(text)))
        # Share of the text inside quotation marks: a forwarded quote is someone else's words.
        dense["style.quoted"] = sum(len(m) for m in _QUOTED_RE.findall(text)) / max(len(text), 1)
        # Pronoun rates rather than counts: "я" four times in a long letter is not the same as in two lines.
        denom = max(n_words, 1)
        dense["style.first_person"] = min(counts.get("first_person", 0.0) / denom * 10, 3.0)
        dense["style.we"] = min(counts.get("we", 0.0) / denom * 10, 3.0)
        dense["style.you"] = min(counts.get("you", 0.0) / denom * 10, 3.0)

        group_sum: dict[str, float] = {}
        for h in hits:
            group_sum[h.entry.group] = group_sum.get(h.entry.group, 0.0) + h.entry.weight
        for g in self.group_names:
            dense[f"lex.{g}"] = math.log1p(group_sum.get(g, 0.0))
        pos_neg = {("emotionality", 1): 0.0, ("emotionality", -1): 0.0, ("confidence", 1): 0.0}
        pos_neg[("confidence", -1)] = 0.0
        for c in cues:
            pos_neg[(c.cue.axis.value, c.cue.direction)] += c.cue.weight
        dense["axis.emo_pos"] = math.log1p(pos_neg[("emotionality", 1)])
        dense["axis.emo_neg"] = math.log1p(pos_neg[("emotionality", -1)])
        dense["axis.conf_pos"] = math.log1p(pos_neg[("confidence", 1)])
        dense["axis.conf_neg"] = math.log1p(pos_neg[("confidence", -1)])
        dense["axis.evidence"] = math.log1p(sum(pos_neg.values()))
        return Analysis(text=text, n_words=n_words, dense=dense, ngrams=_ngrams(tokens), cues=cues)

    def _true_hits(self, text: str, words: list[Token], hits: list[Hit]) -> list[Hit]:
        """Lexicon hits that say something about the client, not about the thing discussed.

        Dropped: a hit inside the name of a product or service («банковская гарантия», «личный кабинет»), inside
        a short quoted name (the tariff «Оптимальный»), a homograph read the wrong way («плачу» as «плакать»), and
        an entry that does not count in questions when its sentence asks («Какие документы нужны?»).
        """
        blocked = self.neutral.spans(words) + _quoted_names(text)
        questions = [
            (s.start, s.stop) for s in razdel.sentenize(text) if "?" in s.text and not s.text.rstrip().endswith(".")
        ]
        kept: list[Hit] = []
        for h in hits:
            if any(a <= h.start and h.stop <= b for a, b in blocked):
                continue
            if self.neutral.misread(h, words):
                continue
            if re.search(r"\d", text[h.start : h.stop]) and not re.search(r"\d", h.entry.text):
                continue  # a phrase stretched over a number is two phrases («в 9:40, 2 490 в месяц»)
            if not h.entry.in_questions and any(a <= h.start < b for a, b in questions):
                continue
            kept.append(h)
        return kept

    # --- style -------------------------------------------------------------------------------------------------

    def _style(
        self, text: str, tokens: list[Token], words: list[Token], hits: list[Hit]
    ) -> tuple[dict[str, float], list[CueSpan]]:
        """Counts of each style feature and the cues quoting them."""
        st = self.style
        found: dict[str, list[tuple[int, int]]] = {}

        def add(name: str, start: int, stop: int) -> None:
            found.setdefault(name, []).append((start, stop))

        for m in re.finditer(r"!+", text):
            start, stop = _clause(text, m.start(), m.end())
            # "Здравствуйте!" / "Спасибо!" is etiquette, not emotion: a clause that is only a formula is skipped
            if m.end() - m.start() == 1 and _is_formula(st.politeness_re, text[start : m.start()]):
                continue
            add("exclamations", start, stop)
        for m in _MULTI_PUNCT_RE.finditer(text):
            add("multi_punct", *_clause(text, m.start(), m.end()))
        for m in re.finditer(r"\?+", text):
            add("questions", *_clause(text, m.start(), m.end()))
        for m in _EMOJI_RE.finditer(text):
            if m.group().translate(_EMOJI_STRIP):
                add("emoji", m.start(), m.end())
        for start, stop in _emoticons(text):
            add("emoticons", start, stop)
        for m in _ELLIPSIS_RE.finditer(text):
            add("ellipsis", *_word_before(text, m.start(), m.end()))
        date_spans = [m.span() for m in _DATE_RE.finditer(text) if _is_date(m.group())]
        date_spans += [m.span() for m in st.months_re.finditer(text)]
        number_spans = [
            m.span()
            for m in _NUMBER_RE.finditer(text)
            if not text.startswith(")", m.end())
            and not _is_identifier(text, m.start(), m.end())
            and not any(a <= m.start() < b for a, b in date_spans)  # «1 и 2 декабря», «9:40» are dates
        ]
        for start, stop in number_spans:
            add("numbers", start, stop)
        for m in st.unit_re.finditer(text):
            if _is_unit(m.group()):
                add("units", m.start(), m.end())
        for m in st.currency_re.finditer(text):
            add("currency", m.start(), m.end())
        for m in _PERCENT_RE.finditer(text):
            add("percent", m.start(), m.end())
        for start, stop in date_spans:
            add("dates", start, stop)
        lines = [m.span() for m in _LIST_LINE_RE.finditer(text)]
        inline = [m.span() for m in _INLINE_ITEM_RE.finditer(text)]
        for start, _ in lines if len(lines) >= len(inline) else inline:
            add("enumeration", *_line(text, start))
        for m in st.politeness_re.finditer(text):
            add("politeness", m.start(), m.end())

        # Imperatives that ask for help or forgiveness ("подскажите", "извините") are not commands: the
        # confidence lexicon already counts them the other way, so they are left out here.
        soft = [(h.start, h.stop) for h in hits if h.entry.axis is Axis.CONFIDENCE and h.entry.direction < 0]
        counts: dict[str, float] = {"first_person": 0.0, "we": 0.0, "you": 0.0}
        caps = _shouted(words, st.abbreviations)
        prev = ""
        for tok in words:
            low = tok.text.lower().replace("ё", "е")
            if low in _FIRST_PERSON:
                counts["first_person"] += 1
                add("first_person", tok.start, tok.stop)
            elif low in _WE:
                counts["we"] += 1
            elif low in _YOU:
                counts["you"] += 1
            if caps.get(tok.start):
                add("caps", tok.start, tok.stop)
            # «оооочень» stretches a word; «ООО», «ООО» in capitals is a company form, not a feeling
            if _ELONGATION_RE.search(tok.text) and not tok.text.isupper():
                add("elongation", tok.start, tok.stop)
            if self._is_diminutive(tok):
                add("diminutives", tok.start, tok.stop)
            reading = _imperative_reading(tok, prev)
            commands = reading == "yes" or (reading != "no" and _settle_imperative(text, tok, reading))
            if commands and not any(a <= tok.start < b for a, b in soft):
                add("imperatives", tok.start, tok.stop)
            prev = low

        for name, spans in found.items():
            if name not in ("first_person",):
                counts[name] = float(len(spans))
        cues: list[CueSpan] = []
        for name, spans in found.items():
            feat = st.features.get(name)
            if feat is None or len(spans) < feat.min_count:
                continue
            # A repeated feature is stronger evidence, but with diminishing returns.
            weight = feat.weight * min(1.5, 0.75 + 0.25 * len(spans))
            for start, stop in _dedupe(spans)[:2]:
                frag = text[start:stop]
                if not frag.strip():
                    continue
                cues.append(
                    CueSpan(Cue(frag, feat.axis, feat.direction, round(weight, 3), feat.label), start, stop, name)
                )
                weight *= 0.5  # the second quote of the same feature adds little
        return counts, cues

    def _is_diminutive(self, tok: Token) -> bool:
        low = tok.lemma
        if low in self.style.diminutive_words or tok.text.lower().replace("ё", "е") in self.style.diminutive_words:
            return True
        suffix = next((s for s in self.style.diminutive_suffixes if low.endswith(s)), None)
        if tok.pos not in _DIMINUTIVE_POS or len(low) < 6 or suffix is None:
            return False
        if suffix in ("очка", "ечка", "ичка", "ечко"):
            # «коробочка» is a small «коробка»; «рассрочка», «отсрочка» have no base word: they are terms
            stem = low[: -len(suffix)]
            return any(_known(stem + end) for end in ("ка", "а", "ко", "о", "", "ок"))
        return True


@lru_cache(maxsize=4096)
def _known(word: str) -> bool:
    return len(word) >= 3 and bool(morph().word_is_known(word))


# Parts of speech that an abbreviation or a brand never is: «СРОЧНО», «ВЫ», «НИКТО», «ПОЧЕМУ» in capitals shout.
_SHOUT_POS = frozenset({"VERB", "INFN", "ADVB", "NPRO", "ADJF", "ADJS", "PRTF", "PRTS", "GRND", "PRED", "CONJ", "PRCL"})


# Numbers that name something rather than measure it: a house, an order, a contract, a phone, a year.
_ID_BEFORE_RE = re.compile(
    r"(?:№|#|no\.?|дом|д\.|офис|оф\.|кв\.?|квартир\w*|ул\.?|стр\.?|корп\.?|заказ\w*|заявк\w*|сч[её]т\w*|"
    r"договор\w*|полис\w*|инн|кпп|огрн|бик|тел\.?|телефон\w*|артикул\w*|номер\w*|п\.|пункт\w*|тариф\w*|"
    r"версия|модел\w*)\s*[:№]?\s*$",
    re.IGNORECASE,
)


def _is_identifier(text: str, start: int, stop: int) -> bool:
    digits = re.sub(r"\D", "", text[start:stop])
    if len(digits) >= 6 or re.fullmatch(r"(?:19|20)\d{2}", digits):
        return True
    if (start > 0 and text[start - 1] in "/-–\\") or text[stop : stop + 1] in ("/", "-"):
        return True  # «45/24», «ЛД-2291/25», «16К20»
    if (start > 0 and text[start - 1].isalpha()) or text[stop : stop + 1].isalpha():
        return True  # «H3.0FT», «09Г2С»: part of a model or a grade
    return bool(_ID_BEFORE_RE.search(text[max(0, start - 16) : start]))


def _is_date(found: str) -> bool:
    """«15.12», «9:40», «2026-12-01» are dates and times; «3.0» (a version) and «45/24» (a number) are not."""
    if "-" in found:
        return True
    parts = [int(p) for p in re.split(r"[./:]", found)]
    if ":" in found:
        return parts[0] <= 23 and parts[1] <= 59
    return 1 <= parts[0] <= 31 and 1 <= parts[1] <= 12


_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL"})


def _is_unit(found: str) -> bool:
    """A number with its unit, but not «2 490 в месяц» (the preposition «в», not volts) nor «2027 год» (a year)."""
    m = re.search(r"[^\d \u00a0.,]+\.?$", found)
    unit = m.group().rstrip(".") if m else ""
    digits = re.sub(r"\D", "", found)
    if re.fullmatch(r"(?:19|20)\d{2}", digits) and unit.lower().startswith("год"):
        return False
    # a one-letter unit written in lower case that is also a preposition or conjunction is that word
    return not (len(unit) == 1 and unit.islower() and morph().parse(unit)[0].tag.POS in _FUNCTION_POS)


def _shouted(words: list[Token], abbreviations: frozenset[str]) -> dict[int, bool]:
    """Which all-capital words are shouting (by start offset), and which are abbreviations or names.

    A word in capitals is an abbreviation (ОСАГО, ДМС, ГИБДД, УПД) when the dictionary does not know it as an
    ordinary word or tags it as one; a known noun in capitals (КАСКО, КАМАЗ) is a product or a brand unless it
    stands next to another shouted word. Verbs, adverbs and pronouns in capitals are shouting.
    """
    kinds: list[str] = []
    for tok in words:
        letters = [ch for ch in tok.text if ch.isalpha()]
        kind = ""
        if (
            len(letters) >= 3
            and tok.text.isupper()
            and tok.text.upper() not in abbreviations
            and not re.fullmatch(r"[IVXLCDM]+", tok.text)
        ):
            low = tok.text.lower()
            parses = [p for p in morph().parse(low) if p.score >= 0.05]
            if morph().word_is_known(low) and parses and not any("Abbr" in p.tag for p in parses):
                kind = "strong" if parses[0].tag.POS in _SHOUT_POS else "weak"
        kinds.append(kind)
    result: dict[int, bool] = {}
    for i, tok in enumerate(words):
        neighbours = kinds[max(0, i - 1) : i] + kinds[i + 1 : i + 2]
        result[tok.start] = kinds[i] == "strong" or (kinds[i] == "weak" and any(neighbours))
    return result


def _imperative_reading(tok: Token, prev: str) -> str:
    """How a word reads as a command: "yes", "no", or which ambiguity the sentence must settle.

    Only the «вы/ты» imperative counts: «переводим», «обсудим» («let us») are the client's own plans. A word the
    dictionary does not know («здраствуйте») or that is more likely another part of speech («нибудь») is not a
    command. «Пришли» is also the past of «прийти» ("past"), «получите» also the future ("ambiguous"): the
    sentence decides those. After "вы" it is the future ("вы отгрузите").
    """
    if prev in _YOU or tok.pos != "VERB":
        return "no"
    low = tok.text.lower()
    if not morph().word_is_known(low):
        return "no"
    parses = [p for p in morph().parse(low) if p.score >= 0.05]
    if not any("impr" in p.tag and "excl" in p.tag for p in parses):
        return "no"
    if any(p.tag.POS not in ("VERB", "INFN") and p.score >= 0.3 for p in parses):
        return "no"
    if any(p.tag.POS == "VERB" and "past" in p.tag for p in parses):
        return "past"  # «пришли», «нашли», «перешли»: the «ты» command or the past
    if any(p.tag.POS == "VERB" and "impr" not in p.tag for p in parses):
        return "ambiguous"
    return "yes"


_YOU_RE = re.compile(r"(?<!\w)(?:вы|вас|вам|вами|ваш\w*)(?!\w)", re.IGNORECASE)


def _settle_imperative(text: str, tok: Token, reading: str) -> bool:
    """Settles an ambiguous form with the sentence's parse: the past or the future has its subject («мастера
    пришли», «вы получите»), a command has none («пришли счёт», «отгрузите сегодня»). A client who says «вы»
    does not command in the «ты» form, so there «пришли» is the past («деньги пришли в среду»)."""
    if reading == "past" and _YOU_RE.search(text):
        return False
    for sent in syntax.parse(text).sentences:
        for t in sent.tokens:
            if t.start == tok.start:
                return not any(c.rel.startswith("nsubj") for c in sent.children(t))
    return False


def _hit_cue(text: str, h: Hit) -> CueSpan:
    e = h.entry
    return CueSpan(
        Cue(text[h.start : h.stop], e.axis, e.direction, round(e.weight, 3), e.label), h.start, h.stop, e.group
    )


def _ngrams(tokens: list[Token]) -> list[str]:
    """Lemma unigrams and bigrams; numbers become one placeholder so "150 кг" and "20 кг" look alike."""
    seq: list[str] = []
    for t in tokens:
        if t.is_word:
            seq.append(t.lemma)
        elif t.text[:1].isdigit():
            seq.append("<num>")
    grams = list(seq)
    grams.extend(f"{a} {b}" for a, b in itertools.pairwise(seq))
    return grams


def _emoticons(text: str) -> list[tuple[int, int]]:
    """Text smileys: ":)", ":-(", "xD" and the Russian bracket smiles "))" or a lone ")" closing nothing."""
    spans = [m.span() for m in _TEXT_EMOTICON_RE.finditer(text)]
    covered = {i for s, e in spans for i in range(s, e)}
    depth = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if i in covered or ch not in "()":
            i += 1
            continue
        j = i
        while j < len(text) and text[j] == ch:
            j += 1
        run = j - i
        if ch == "(":
            # "((" or a "(" that nothing closes later is a sad smile; otherwise a real parenthesis opens
            if run >= 2 or ")" not in text[j:]:
                spans.append((i, j))
            else:
                depth += run
        elif run == 1 and _LIST_MARK_BEFORE_RE.search(text, 0, i):
            pass  # "1)" or "а)": a list marker, not a smile
        else:
            closing = min(depth, run)
            depth -= closing
            if run - closing >= 1:
                spans.append((i + closing, j))
        i = j
    return sorted(spans)


_QUOTED_NAME_RE = re.compile(r"«([^«»]{1,60})»|\"([^\"]{1,60})\"|“([^”]{1,60})”")


def _quoted_names(text: str) -> list[tuple[int, int]]:
    """Short quotes that start with a capital: a tariff, a product or a company («Оптимальный», «Бизнес Старт»)."""
    spans: list[tuple[int, int]] = []
    for m in _QUOTED_NAME_RE.finditer(text):
        inner = next(g for g in m.groups() if g is not None).strip()
        if inner[:1].isupper() and len(inner.split()) <= 4:
            spans.append(m.span())
    return spans


# "Добрый день, Олег Петрович!" / "Спасибо, коллеги!" / "Привет всем!": a formula followed by the people it is
# addressed to (one to three words) is still etiquette.
_ADDRESSEE_RE = re.compile(r"(?:,\s*|\s+)(?:[А-ЯЁA-Z][\w-]*|всем|коллеги|друзья)(?:\s+[А-ЯЁA-Z][\w-]*){0,2}\s*$")


def _is_formula(politeness_re: re.Pattern[str], clause: str) -> bool:
    """True when the clause before a single «!» is only a greeting or thanks, possibly with its addressee."""
    clause = clause.strip(" ,")
    return bool(politeness_re.fullmatch(clause) or politeness_re.fullmatch(_ADDRESSEE_RE.sub("", clause).strip(" ,")))


def _clause(text: str, start: int, stop: int, limit: int = 60) -> tuple[int, int]:
    """The clause that ends with the punctuation at [start, stop): enough words to show what was exclaimed."""
    left = start
    while left > 0 and text[left - 1] not in ".!?…\n" and start - left < limit:
        left -= 1
    if start - left >= limit:
        # too long: cut where a clause begins (after a comma, colon or dash), else at a word boundary — never on
        # a particle that only leans on what was cut («ли УПД через Диадок?»)
        window = text[left:start]
        cut = max(window.rfind(", "), window.rfind(": "), window.rfind(" — "))
        if cut > 0 and start - (left + cut) >= 25:
            left += cut + 2 if window[cut] in ",:" else cut + 3
        else:
            space = text.find(" ", left, start)
            left = space + 1 if space != -1 else left
        while (m := re.match(r"(?:ли|и|а|но|да|же|то)\s+", text[left:start], re.I)) is not None:
            left += m.end()
    while left < start and (text[left].isspace() or text[left] in "—–-"):
        left += 1
    return left, stop


def _word_before(text: str, start: int, stop: int) -> tuple[int, int]:
    left = start
    while left > 0 and not text[left - 1].isspace() and start - left < 30:
        left -= 1
    return left, stop


def _line(text: str, start: int, limit: int = 60) -> tuple[int, int]:
    while start < len(text) and text[start].isspace():
        start += 1
    end = text.find("\n", start)
    end = len(text) if end == -1 else end
    if end - start > limit:
        space = text.rfind(" ", start, start + limit)
        end = space if space > start else start + limit
    return start, end


def _dedupe(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(set(spans)):
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out
