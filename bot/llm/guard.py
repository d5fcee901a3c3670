"""Defences around the model: clean what goes in, check what comes out.

Input: invisible characters (zero-width, bidi overrides, Unicode tags) hide instructions from people while the
model still reads them, so they are removed; angle brackets and their look-alikes are swapped for ‹ › so that
client text can never close its <client_message> block. Output: no links outside an allow-list (exfiltration
through a link or a Markdown image), no fragment of the system prompt, and no discount or amount that the trusted
context does not hold.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from typing import Any

# Hangul fillers are letters to Unicode but render as nothing; everything else here is category Cf or Cc.
_INVISIBLE_EXTRA = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u034f"}
_OPEN_LOOKALIKES = "<＜﹤〈⟨˂ᐸ"
_CLOSE_LOOKALIKES = ">＞﹥〉⟩˃ᐳ"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPEN_LOOKALIKES, "‹"), **dict.fromkeys(_CLOSE_LOOKALIKES, "›")})


def _visible(char: str) -> bool:
    if char in "\n\t":
        return True
    return unicodedata.category(char) not in ("Cf", "Cc") and char not in _INVISIBLE_EXTRA


def sanitize(text: str) -> str:
    """Untrusted text made safe to place between data delimiters; idempotent."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if _visible(c)).translate(_BRACKETS)


def escape_html(text: str) -> str:
    """Model output for Telegram's HTML parse mode: it is text, never markup."""
    return html.escape(text, quote=False)


# Walking nested variables and outputs ----------------------------------------------------------------------------
def map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """`value` with `fn` applied to every string inside dicts, lists and tuples (keys are left alone)."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {k: map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [map_strings(v, fn) for v in value]
    return value


def iter_strings(value: Any, skip_keys: frozenset[str] = frozenset()) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            if k not in skip_keys:
                yield from iter_strings(v, skip_keys)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from iter_strings(v, skip_keys)


# Links -----------------------------------------------------------------------------------------------------------
_TLDS = (
    "ru|su|рф|com|net|org|info|biz|io|me|co|app|dev|xyz|top|site|online|ly|gl|to|cc|uk|de|us|ai|tk|ml|ga|cf|"
    "gq|link|click|store|shop|pro|tech|cloud|space|website|live|fun|win|icu|club|page|in|kz|by|ua|eu|tv|ws|sh"
)
_LINK_RE = re.compile(
    rf"(?i)\b(?:https?|hxxps?|ftp|file|tg|data|javascript|vbscript):\S*"
    rf"|\bwww\.\S+"
    rf"|(?<![\w\-.])(?:[\w\-]+\.)+(?:{_TLDS})\b(?:[/:?#]\S*)?"
    rf"|\b[\w\-]+\s*(?:\[\.\]|\(\.\)|\[dot\]|\(dot\))\s*[a-z]{{2,}}"
    rf"|!\[[^\]]*\]\("
)


def _host(link: str) -> str:
    rest = re.sub(r"(?i)^[a-z]+:(//)?", "", link)
    return re.split(r"[/:?#\s)\]]", rest, maxsplit=1)[0].lower().removeprefix("www.")


def find_forbidden_links(text: str, allowed_domains: Iterable[str] = ()) -> list[str]:
    """Links (and link-like tricks) in `text` whose host is not an allowed domain or its subdomain."""
    allowed = [d.lower().removeprefix("www.") for d in allowed_domains]
    bad = []
    for match in _LINK_RE.finditer(text):
        link = match.group(0)
        host = _host(link)
        if link.startswith("![") or not any(host == d or host.endswith("." + d) for d in allowed):
            bad.append(link)
    return bad


# System prompt leaks ---------------------------------------------------------------------------------------------
LEAK_NGRAM = 8  # words in a row shared with the system prompt; long enough that ordinary replies never match


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower().replace("ё", "е"))


def leaks_prompt(output: str, system_prompt: str, canary: str) -> bool:
    if canary and canary in output:
        return True
    words = _words(output)
    prompt = _words(system_prompt)
    grams = {tuple(prompt[i : i + LEAK_NGRAM]) for i in range(len(prompt) - LEAK_NGRAM + 1)}
    return any(tuple(words[i : i + LEAK_NGRAM]) in grams for i in range(len(words) - LEAK_NGRAM + 1))


# Commitments -----------------------------------------------------------------------------------------------------
_PERCENT_RE = re.compile(r"(?i)(\d+(?:[.,]\d+)?)\s*(?:%|проц\w*|percent)")
_MONEY_RE = re.compile(r"(?i)(\d[\d\s]*(?:[.,]\d+)?)\s*(?:₽|руб\w*|р\.|usd|\$|€|eur\w*|евро|долл\w*)")
_FREE_RE = re.compile(r"(?i)бесплатн\w*|free of charge|for free|за наш сч[её]т")
_DISCOUNT_RE = re.compile(r"(?i)скидк\w*|дисконт\w*|discount\w*|компенсац\w*")


def _numbers(pattern: re.Pattern[str], text: str) -> set[str]:
    return {re.sub(r"\s", "", m.group(1)).replace(",", ".") for m in pattern.finditer(text)}


def unapproved_commitments(output: str, trusted: str) -> list[str]:
    """Percentages, amounts and 'free' offers in `output` that the trusted context does not contain."""
    found = [f"{p}%" for p in sorted(_numbers(_PERCENT_RE, output) - _numbers(_PERCENT_RE, trusted))]
    trusted_amounts = _numbers(_MONEY_RE, trusted) | set(re.findall(r"\d+", re.sub(r"(?<=\d)\s(?=\d)", "", trusted)))
    found += [a for a in sorted(_numbers(_MONEY_RE, output)) if a not in trusted_amounts]
    if _FREE_RE.search(output) and not _FREE_RE.search(trusted):
        found.append("бесплатно")
    return found


def mentions_unbacked_discount(output: str, trusted: str) -> bool:
    """A discount or compensation mentioned without a number: worth a warning, not a rejection."""
    return bool(_DISCOUNT_RE.search(output)) and not _DISCOUNT_RE.search(trusted)


# Invented facts --------------------------------------------------------------------------------------------------
# A date, a time or a duration in an answer must come from the data the model was given (any variable: a client
# may name the date they want). What no input holds is replaced by a visible blank for the manager to fill in;
# amounts and percentages are stricter and handled above (only trusted data backs them, else the answer is refused).
_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
_DATE_WORDS_RE = re.compile(
    r"(?i)(?<![\d.,])(\d{1,2})(?:-?(?:го|е|ое))?\s+"
    r"(январ[яеь]|феврал[яеь]|марта?|апрел[яеь]|ма[яйе]|июн[яеь]|июл[яеь]|августа?|сентябр[яеь]|октябр[яеь]"
    r"|ноябр[яеь]|декабр[яеь])\b(?:\s+\d{4}(?:\s*(?:г\.|года?\b))?)?"
)
_DATE_DOTS_RE = re.compile(r"(?<![\d.,])(\d{1,2})[./](\d{2})(?:[./](?:\d{4}|\d{2}))?(?![\d%]|[.,/]\d)")
_DATE_ISO_RE = re.compile(r"(?<![\d.])\d{4}-(\d{2})-(\d{2})(?![\d])")
_TIME_RE = re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
_DURATION_RE = re.compile(
    r"(?i)(?<![\d.,])(\d+)\s*(?:(?:рабоч|календарн)\w*\s+)?(дн[яеи]\w*|день|сут\w*|недел\w*|час\w*|месяц\w*|минут\w*)"
)
_UNIT_FAMILIES = (("дн", "day"), ("ден", "day"), ("сут", "day"), ("недел", "week"), ("час", "hour"),
                  ("месяц", "month"), ("минут", "minute"))  # fmt: skip
BLANKS = {"date": "[дата]", "time": "[время]", "duration": "[срок]"}


def _month(word: str) -> int:
    word = word.lower()  # "март" comes before "ма" in _MONTHS, so «марта» is March and «мая» is May
    return next(number for stem, number in _MONTHS.items() if word.startswith(stem))


def _facts(text: str) -> list[tuple[int, int, str, tuple[Any, ...]]]:
    """(start, end, kind, key) of every date, time and duration in `text`; keys compare across wordings."""
    found: list[tuple[int, int, str, tuple[Any, ...]]] = []
    for m in _DATE_WORDS_RE.finditer(text):
        found.append((m.start(), m.end(), "date", (int(m.group(1)), _month(m.group(2)))))
    for m in _DATE_DOTS_RE.finditer(text):
        day, month = int(m.group(1)), int(m.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            found.append((m.start(), m.end(), "date", (day, month)))
    for m in _DATE_ISO_RE.finditer(text):
        found.append((m.start(), m.end(), "date", (int(m.group(2)), int(m.group(1)))))
    for m in _TIME_RE.finditer(text):
        found.append((m.start(), m.end(), "time", (int(m.group(1)), int(m.group(2)))))
    for m in _DURATION_RE.finditer(text):
        unit = m.group(2).lower()
        family = next(name for stem, name in _UNIT_FAMILIES if unit.startswith(stem))
        found.append((m.start(), m.end(), "duration", (int(m.group(1)), family)))
    return found


def blank_invented_facts(output: str, inputs: str) -> tuple[str, int]:
    """`output` with every date, time and duration that `inputs` does not hold replaced by a visible blank."""
    known = {(kind, key) for _, _, kind, key in _facts(inputs)}
    invented = [f for f in _facts(output) if (f[2], f[3]) not in known]
    text, last_start, blanked = output, len(output) + 1, 0
    for start, end, kind, _ in sorted(invented, key=lambda f: f[0], reverse=True):
        if end > last_start:  # overlaps a span already blanked
            continue
        text = text[:start] + BLANKS[kind] + text[end:]
        last_start, blanked = start, blanked + 1
    return text, blanked
