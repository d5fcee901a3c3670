"""A small Telegram Bot API server for end-to-end tests (see server.py)."""

from tests.fake_telegram.server import FakeTelegram, TgUser

__all__ = ["FakeTelegram", "TgUser"]
