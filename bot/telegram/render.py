"""Turning service results into Telegram messages: HTML escaping and splitting under Telegram's limits."""

from __future__ import annotations

from bot.presenters import esc

__all__ = ["TELEGRAM_TEXT_LIMIT", "esc", "split_message"]

TELEGRAM_TEXT_LIMIT = 4096


def split_message(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split on paragraph, then line, then word boundaries so each part fits; never cut inside an HTML tag.

    Parts are built from whole lines, and every line we render keeps its tags balanced, so a part never leaves
    a tag open.
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        while len(line) > limit:  # a single over-long line: cut at the last space before the limit
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            parts.append(line[:cut])
            line = line[cut:].lstrip()
        current = line
    if current:
        parts.append(current)
    return parts
