"""Logs never hold client text or personal data, at any level (LOG_LEVEL=DEBUG and `-v` included).

The bot's own log lines carry ids, counts, types and reasons only. Some libraries log payloads when their loggers
are at INFO or DEBUG: SQLAlchemy logs statement parameters (a client's message, a phone), the OpenAI client and
httpx log request bodies (a prompt with the client's text), chromadb logs queries. Those loggers are held at
WARNING whatever the level, and the database engine hides parameters even in its error messages
(storage/db.py, `hide_parameters`).
"""

from __future__ import annotations

import logging

PAYLOAD_LOGGERS = (
    "sqlalchemy.engine",
    "sqlalchemy.pool",
    "sqlalchemy.orm",
    "aiosqlite",
    "asyncpg",
    "openai",
    "httpx",
    "httpcore",
    "langchain",
    "langchain_core",
    "langchain_openai",
    "langsmith",
    "chromadb",
    "aiogram.scene",
    "aiogram.middlewares",
)


def keep_client_data_out_of_logs() -> None:
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
