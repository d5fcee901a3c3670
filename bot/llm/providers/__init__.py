"""One module per provider family: how to build its LangChain chat model from settings and read its errors.

Each is imported only when chosen, so a missing optional extra (gigachat, yandex) matters only to its users.
"""

from __future__ import annotations

from bot.config import Settings
from bot.llm.backends import ChatBackend


def build_backend(settings: Settings) -> ChatBackend:
    """The backend LLM_PROVIDER names; a provider whose package is missing is a Russian start-up error."""
    if settings.llm_provider == "gigachat":
        from bot.llm.providers.gigachat import GigaChatBackend

        return GigaChatBackend(settings)
    if settings.llm_provider == "yandexgpt":
        from bot.llm.providers.yandexgpt import YandexGPTBackend

        return YandexGPTBackend(settings)
    from bot.llm.providers.openai_compatible import OpenAICompatibleBackend

    return OpenAICompatibleBackend(settings)
