"""aiogram's response models are built once per process, not again after each garbage collection.

pydantic caches a parametrised generic (`Response[Message]`) only weakly; rebuilding it costs a few milliseconds of
CPU, and under load the bot rebuilt one every few requests (102 in 200 cards). The production bot keeps them alive.
"""

from __future__ import annotations

import gc
import weakref

from aiogram.methods.base import Response
from aiogram.types import Message

from tests.fake_telegram import FakeTelegram
from tests.telegram.support import production_bot


async def test_the_model_of_a_sent_message_survives_a_garbage_collection() -> None:
    tg = FakeTelegram()
    await tg.start()
    bot = production_bot(tg)
    try:
        await bot.send_message(42, "Карточка")
        model = weakref.ref(Response[Message])
        gc.collect()
        assert model() is not None
        await bot.send_message(42, "Ещё одна")
        assert Response[Message] is model()  # the same class: nothing was rebuilt
    finally:
        await bot.session.close()
        await tg.stop()
