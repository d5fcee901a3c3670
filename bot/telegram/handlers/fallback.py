"""The last routers: what no feature took gets a short polite answer instead of silence or a traceback.

- In a group the bot shows no client data; it says once per chat where to write.
- Stickers, photos without a caption, voice and video notes, locations, contacts and files nobody handled: what the
  bot can do with them.
- An edited message: a clear note that the card stays as it was and how to get a fresh one.
- A button nobody handled (outdated, forged or too long data): answered, so the spinner stops.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType, ContentType
from aiogram.types import CallbackQuery, Message

from bot import texts
from bot.telegram.render import esc

_MEDIA_TEXTS = {
    ContentType.STICKER: texts.MEDIA_STICKER,
    ContentType.PHOTO: texts.MEDIA_PHOTO,
    ContentType.VOICE: texts.MEDIA_VOICE,
    ContentType.VIDEO_NOTE: texts.MEDIA_VOICE,
    ContentType.VIDEO: texts.MEDIA_VOICE,
    ContentType.AUDIO: texts.MEDIA_VOICE,
    ContentType.ANIMATION: texts.MEDIA_STICKER,
    ContentType.LOCATION: texts.MEDIA_LOCATION,
    ContentType.VENUE: texts.MEDIA_LOCATION,
    ContentType.CONTACT: texts.MEDIA_LOCATION,
    ContentType.DOCUMENT: texts.MEDIA_DOCUMENT,
}
_GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


class GroupNotice:
    """Says once per group chat (per process) that client work happens in private."""

    def __init__(self) -> None:
        self.told: set[int] = set()

    async def say_once(self, message: Message) -> None:
        if message.chat.id in self.told:
            return
        self.told.add(message.chat.id)
        await message.answer(esc(texts.GROUP_NOTICE))


async def on_media(message: Message) -> None:
    await message.answer(esc(_MEDIA_TEXTS.get(ContentType(message.content_type), texts.MEDIA_OTHER)))


async def on_edited(message: Message) -> None:
    await message.answer(esc(texts.EDITED))


async def on_stale_button(callback: CallbackQuery) -> None:
    await callback.answer(texts.STALE_BUTTON, show_alert=True)


def build_router() -> Router:
    router = Router(name="fallback")
    router.message.register(GroupNotice().say_once, F.chat.type.in_(_GROUPS))
    router.message.register(on_media, F.chat.type == ChatType.PRIVATE, ~F.text)
    router.edited_message.register(on_edited, F.chat.type == ChatType.PRIVATE)
    router.callback_query.register(on_stale_button)
    return router
