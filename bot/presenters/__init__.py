"""Service results → text for people. One renderer per result, written as Telegram-flavoured HTML.

The terminal chat and `--json` "text" fields use `html_to_plain` on the same output, so every transport shows the
same words.
"""

from __future__ import annotations

import html
import re

_TAG_RE = re.compile(r"</?(?:b|i|u|s|code|pre|a|blockquote|tg-spoiler)(?:\s[^>]*)?>")


def esc(text: object) -> str:
    """Escape anything that came from people or models before it goes into HTML."""
    return html.escape(str(text), quote=False)


def bold(text: object) -> str:
    return f"<b>{esc(text)}</b>"


def italic(text: object) -> str:
    return f"<i>{esc(text)}</i>"


def quote(text: object) -> str:
    return f"«{esc(text)}»"


def html_to_plain(text: str) -> str:
    return html.unescape(_TAG_RE.sub("", text))
