"""All settings of the application, read once from the environment and `.env` in the entry point.

The names are a contract (PRODUCT.md), so fields map one-to-one to flat environment variables; a few derived
values (database URL, Chroma folder) are computed from DATA_DIR when unset.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

IdList = Annotated[list[int], NoDecode]


class Settings(BaseSettings):
    # Empty values (as in a copied .env.example) mean "use the default", not "an empty string".
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    # Telegram
    telegram_bot_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen_host: str = "0.0.0.0"
    webhook_listen_port: int = Field(default=8080, ge=1, le=65535)

    # Roles given at start (database roles are added on top)
    bot_admins: IdList = Field(default_factory=list)
    bot_supervisors: IdList = Field(default_factory=list)
    bot_managers: IdList = Field(default_factory=list)
    bot_staff: IdList = Field(default_factory=list)

    # Storage
    data_dir: Path = Path("./var")
    database_url: str | None = None
    redis_url: str | None = None
    chroma_path: Path | None = None
    chroma_url: str | None = None

    # LLM; neither key nor base URL → offline engine. The key and the address serve every provider: an
    # OpenAI-compatible endpoint, GigaChat (authorization key, API address) or YandexGPT (API key, gRPC address).
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    llm_model: str = "gpt-4o-mini"
    llm_provider: Literal["openai", "gigachat", "yandexgpt"] = "openai"
    gigachat_scope: str = "GIGACHAT_API_PERS"
    gigachat_auth_url: str | None = None
    gigachat_verify_ssl_certs: bool = True
    yandex_folder_id: str | None = None
    llm_timeout_seconds: float = Field(default=20.0, gt=0, le=20)
    llm_max_retries: int = Field(default=1, ge=0, le=1)
    llm_breaker_failures: int = Field(default=3, ge=1)
    llm_breaker_cooldown_seconds: float = Field(default=60.0, ge=0)
    llm_daily_budget_usd: float = Field(default=5.0, ge=0)
    llm_price_input_per_1k: float = Field(default=0.00015, ge=0)
    llm_price_output_per_1k: float = Field(default=0.0006, ge=0)
    llm_block_personal_data: bool = False

    # Behaviour of the product
    timezone: str = "Europe/Moscow"
    digest_hour: int = Field(default=9, ge=0, le=23)
    review_reminder_hours: float = Field(default=4.0, gt=0)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Observability: /healthz and /metrics (Prometheus) on METRICS_HOST:METRICS_PORT, in polling and webhook mode.
    # Off unless a port is given: a default install (one bot on a laptop, polling) opens no port it was not asked
    # to, and a second instance on the same host (a standby) cannot collide with the first over a default port.
    metrics_port: int | None = Field(default=None, ge=0, le=65535)  # 0: any free port (it is logged)
    metrics_host: str = "127.0.0.1"

    @field_validator("bot_admins", "bot_supervisors", "bot_managers", "bot_staff", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return [int(p) for p in parts]
            except ValueError as exc:
                raise ValueError("ожидаются числовые Telegram id через запятую") from exc
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        left, sep, right = value.get_secret_value().partition(":")
        if not sep or not left.isdigit() or not right:
            raise ValueError("токен бота должен выглядеть как 123456:ABC-DEF (его выдаёт @BotFather)")
        return value

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            value = "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not (value.startswith("sqlite+aiosqlite://") or value.startswith("postgresql+asyncpg://")):
            raise ValueError("поддерживаются sqlite+aiosqlite:///путь и postgresql+asyncpg://… (или postgresql://…)")
        return value

    @field_validator(
        "telegram_api_base", "openai_base_url", "gigachat_auth_url", "chroma_url", "webhook_url", "redis_url"
    )
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        allowed = ("http://", "https://", "redis://", "rediss://", "unix://")
        if not value.startswith(allowed):
            raise ValueError("адрес должен начинаться с http:// или https:// (для Redis — redis://)")
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("неизвестный часовой пояс, пример: Europe/Moscow") from exc
        return value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("WEBHOOK_SECRET обязателен вместе с WEBHOOK_URL")
        if self.webhook_url and self.metrics_port == self.webhook_listen_port:
            raise ValueError("METRICS_PORT должен отличаться от WEBHOOK_LISTEN_PORT")
        return self

    @model_validator(mode="after")
    def _provider_needs(self) -> Settings:
        if self.llm_provider in ("gigachat", "yandexgpt") and self.llm_enabled and not self.openai_api_key:
            raise ValueError(f"для LLM_PROVIDER={self.llm_provider} укажите ключ в OPENAI_API_KEY")
        if self.llm_provider == "yandexgpt" and self.llm_enabled and not self.yandex_folder_id:
            raise ValueError("для LLM_PROVIDER=yandexgpt укажите каталог Yandex Cloud в YANDEX_FOLDER_ID")
        return self

    # Derived values -------------------------------------------------------------------------------------------
    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{(self.data_dir / 'copilot.db').resolve()}"

    @property
    def resolved_chroma_path(self) -> Path:
        return self.chroma_path or self.data_dir / "chroma"

    @property
    def llm_enabled(self) -> bool:
        return bool(self.openai_base_url or self.openai_api_key)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def project_root(self) -> Path:
        return PROJECT_ROOT


def describe_error(error: ValidationError) -> str:
    """One line naming the first wrong setting and why, for the start-up message."""
    first = error.errors()[0]
    name = ".".join(str(p) for p in first.get("loc", ()) if p != "__root__").upper() or "настройки"
    message = str(first.get("msg", "неверное значение")).removeprefix("Value error, ")
    return f"Неверная настройка {name}: {message}"
