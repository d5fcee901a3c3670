"""Too vague to draft: placeholder, filled below."""

from __future__ import annotations

from bot.services.tasks.directory import Directory
from bot.services.tasks.extraction import Extraction


def vague_question(e: Extraction, directory: Directory) -> str | None:
    return None
