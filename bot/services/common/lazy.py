"""Heavy parts (the classifier, the retrieval stack) reach services as loaders: awaited on first use, loaded once.

The composition root (bot.app) owns the loading; a service only says which part it needs, by name.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

Loader = Callable[[], Awaitable[T]]
