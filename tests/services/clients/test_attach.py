"""Which client a message belongs to: the step Telegram and the terminal chat share (bot/services/clients/attach.py)."""

from __future__ import annotations

from pathlib import Path

from bot.services.clients import attach
from bot.services.clients.lookup import ForwardOrigin
from tests.services.clients.support import M1, M2, NOW, demo_app, principal


async def test_a_forward_from_a_known_contact_is_settled_at_once_and_remembers_the_id(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        message = attach.PendingMessage("Когда отгрузка?", NOW, ForwardOrigin(777, "LADYGIN_SD", "Игорь Л."))
        async with app.uow() as uow:
            step = await attach.start(uow, m1, message)
            assert step.settled and step.client is not None and step.client.id == "cl01"
            assert step.contact is not None and step.contact.telegram_user_id == 777  # kept for the next forward
        async with app.uow() as uow:  # the next forward is matched by the id alone
            again = await attach.start(uow, m1, attach.PendingMessage("Ну что?", NOW, ForwardOrigin(user_id=777)))
            assert again.settled and again.client is not None and again.client.id == "cl01"
            other = await attach.start(uow, await principal(app, M2), message)
            assert not other.settled and other.client is None  # not their client: asked, nothing revealed
    finally:
        await app.close()


async def test_an_unknown_sender_is_asked_about_with_candidates_and_the_choice_settles_it(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1, m2 = await principal(app, M1), await principal(app, M2)
        stranger = attach.PendingMessage("Добрый день!", NOW, ForwardOrigin(name="Пётр Незнакомов", hidden=True))
        # A hidden account whose display name is one of the client's contacts, picked by hand.
        message = attach.PendingMessage("Добрый день!", NOW, ForwardOrigin(name="Вера Кочеткова", hidden=True))
        async with app.uow() as uow:
            step = await attach.start(uow, m1, stranger)
            assert not step.settled and step.reason == "named" and step.candidates
            assert all(c.manager_key == "m1" or c.manager_id == M1 for c in step.candidates)
            picked = await attach.pick(uow, m1, message, "cl01")
            assert picked is not None and picked.settled and picked.contact is not None
            assert picked.contact.name == "Вера Кочеткова"  # the hidden sender is the client's contact
            assert await attach.pick(uow, m2, message, "cl01") is None  # not visible to another manager
            plain = await attach.start(uow, m1, attach.PendingMessage("Добрый день!", NOW))
            assert plain.reason == "unknown" and not plain.settled
    finally:
        await app.close()


async def test_a_new_client_takes_the_sender_as_its_contact_and_the_message_survives_storage(tmp_path: Path) -> None:
    app = await demo_app(tmp_path)
    try:
        m1 = await principal(app, M1)
        message = attach.PendingMessage("Нужны двери", NOW, ForwardOrigin(555, "marina", "Марина Белова"))
        restored = attach.PendingMessage.from_dict(message.to_dict())
        assert restored == message
        async with app.uow() as uow:
            step = await attach.create(uow, m1, restored, "Коттедж Беловой")
            assert step.settled and step.client is not None and step.client.name == "Коттедж Беловой"
            assert step.contact is not None and step.contact.telegram_user_id == 555
        assert attach.without_client(message).settled and attach.without_client(message).client is None
    finally:
        await app.close()
