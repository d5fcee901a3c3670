"""Telegram transport (aiogram 3): thin handlers over the services."""
