"""A small Telegram Bot API server on 127.0.0.1 for end-to-end tests.

The real bot (aiogram) is pointed at it through TELEGRAM_API_BASE. It implements the methods the bot uses and
enforces the limits Telegram enforces (4096 characters of text, 64 bytes of callback data, well-formed HTML), so
a test fails the way production would. Tests push updates (messages, forwards, button presses, documents) and
read what the bot sent; they can also make the next requests fail the way Telegram and networks do: flood control
(429 with `retry_after`) or a connection dropped before any answer (`flood`, `drop`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "code",
    "pre",
    "a",
    "tg-spoiler",
    "blockquote",
    "span",
    "tg-emoji",
}


@dataclass
class TgUser:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.last_name:
            data["last_name"] = self.last_name
        return data


@dataclass
class SentMessage:
    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None
    method: str
    raw: dict[str, Any] = field(default_factory=dict)

    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, text_part: str) -> dict[str, Any]:
        for b in self.buttons():
            if text_part.lower() in b.get("text", "").lower():
                return b
        raise AssertionError(f"no button with {text_part!r} in {[b.get('text') for b in self.buttons()]}")


class _HtmlChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.error: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.error = f'Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.error = f'Unexpected end tag "{tag}"'
        else:
            self.stack.pop()


def _html_error(text: str) -> str | None:
    checker = _HtmlChecker()
    checker.feed(text)
    checker.close()
    if checker.error:
        return checker.error
    if checker.stack:
        return f'Can\'t find end tag corresponding to start tag "{checker.stack[-1]}"'
    return None


@dataclass
class Fault:
    """The next `times` requests of `method` (to `chat_id`, if given) fail: "flood" answers 429 with `retry_after`,
    "drop" closes the connection without an answer (the request is not carried out)."""

    kind: str
    method: str
    chat_id: int | None = None
    times: int = 1
    retry_after: int = 1

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.times <= 0 or method.lower() != self.method.lower():
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)


class TelegramError(Exception):
    def __init__(self, code: int, description: str) -> None:
        self.code = code
        self.description = description


class FakeTelegram:
    def __init__(self, bot_id: int = 123456, bot_username: str = "copilot_test_bot") -> None:
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.token = f"{bot_id}:TEST-token"
        self.updates: list[dict[str, Any]] = []
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.chat_actions: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}
        self.errors: list[tuple[str, str]] = []
        self.faults: list[Fault] = []
        self.faults_served: list[tuple[str, str, int | None]] = []  # (kind, method, chat_id) of each failed request
        self._messages: dict[tuple[int, int], SentMessage] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Event()
        self._new_sent = asyncio.Event()
        self._offset = 0
        self._again: list[dict[str, Any]] = []  # updates to hand out once more whatever the offset
        self._poll_generation = 0  # a newer getUpdates ends an older one with 409, as Telegram does
        self.conflicts = 0
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    # Server lifecycle ------------------------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    # What tests do -------------------------------------------------------------------------------------------
    def _push(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, kind: payload})
        self._new_update.set()
        return update_id

    def send_text(
        self,
        user: TgUser,
        text: str,
        *,
        forward_from: TgUser | None = None,
        forward_sender_name: str | None = None,
        forward_date: int | None = None,
        group_id: int | None = None,
    ) -> int:
        chat: dict[str, Any] = {"id": user.id, "type": "private", "first_name": user.first_name}
        if group_id is not None:  # a message the user writes in a group the bot is in
            chat = {"id": group_id, "type": "group", "title": "Рабочая группа"}
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user.as_dict(),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if forward_from is not None:
            message["forward_origin"] = {
                "type": "user",
                "date": forward_date or int(time.time()) - 60,
                "sender_user": forward_from.as_dict(),
            }
        elif forward_sender_name is not None:
            message["forward_origin"] = {
                "type": "hidden_user",
                "date": forward_date or int(time.time()) - 60,
                "sender_user_name": forward_sender_name,
            }
        self._push("message", message)
        return int(message["message_id"])

    def send_content(self, user: TgUser, content: dict[str, Any], *, group_id: int | None = None) -> int:
        """A message of any other kind: {"sticker": {...}}, {"photo": [...]}, {"voice": {...}}, {"location": {...}}."""
        chat: dict[str, Any] = {"id": user.id, "type": "private", "first_name": user.first_name}
        if group_id is not None:
            chat = {"id": group_id, "type": "group", "title": "Рабочая группа"}
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user.as_dict(),
            **content,
        }
        self._push("message", message)
        return int(message["message_id"])

    def edit_text(self, user: TgUser, message_id: int, text: str) -> None:
        """The user edits a message they sent earlier (Telegram sends an `edited_message` update)."""
        self._push(
            "edited_message",
            {
                "message_id": message_id,
                "date": int(time.time()) - 30,
                "edit_date": int(time.time()),
                "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
                "from": user.as_dict(),
                "text": text,
            },
        )

    def press_raw(self, user: TgUser, message: SentMessage, callback_data: str) -> None:
        """A button press with any data (outdated, forged, too long), as a client could send it."""
        self.press(user, message, callback_data)

    def deliver_again(self, update_id: int) -> None:
        """Hand this update out once more, as Telegram does when the bot's confirmation never reached it."""
        update = next(u for u in self.updates if u["update_id"] == update_id)
        self._again.append(update)
        self._new_update.set()

    @property
    def confirmed(self) -> int:
        """Updates below this id are confirmed: Telegram will not hand them out again."""
        return self._offset

    def send_document(self, user: TgUser, file_name: str, content: bytes, caption: str | None = None) -> None:
        file_id = f"file{len(self.files) + 1}"
        self.files[file_id] = content
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": user.as_dict(),
            "document": {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": file_name,
                "file_size": len(content),
                "mime_type": "text/markdown",
            },
        }
        if caption:
            message["caption"] = caption
        self._push("message", message)

    def press(self, user: TgUser, message: SentMessage, callback_data: str) -> None:
        self._push(
            "callback_query",
            {
                "id": str(next(self._update_ids)),
                "from": user.as_dict(),
                "chat_instance": str(user.id),
                "data": callback_data,
                "message": self._message_payload(message),
            },
        )

    async def wait_sent(self, chat_id: int, count: int = 1, timeout: float = 15.0, after: int = 0) -> list[SentMessage]:
        """Messages sent to `chat_id` (index > after in the global log) once at least `count` have arrived."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            found = [m for m in self.sent[after:] if m.chat_id == chat_id and m.method.startswith("send")]
            if len(found) >= count:
                return found
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                texts = [m.text[:80] for m in self.sent[after:] if m.chat_id == chat_id]
                raise AssertionError(
                    f"expected {count} messages to {chat_id}, got {texts}; errors={self.errors}; "
                    f"calls={[c[0] for c in self.calls][-8:]}"
                )
            self._new_sent.clear()
            try:
                await asyncio.wait_for(self._new_sent.wait(), timeout=min(remaining, 0.5))
            except TimeoutError:
                pass

    async def wait_callback_answer(self, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.callback_answers) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no callback answer; errors={self.errors}")
            await asyncio.sleep(0.05)
        return self.callback_answers

    def flood(
        self, method: str = "sendMessage", *, retry_after: int = 1, times: int = 1, chat_id: int | None = None
    ) -> None:
        """The next `times` matching requests get 429 Too Many Requests with `retry_after` seconds."""
        self.faults.append(Fault("flood", method, chat_id, times, retry_after))

    def drop(self, method: str = "sendMessage", *, times: int = 1, chat_id: int | None = None) -> None:
        """The next `times` matching requests lose their connection before any answer (and are not carried out)."""
        self.faults.append(Fault("drop", method, chat_id, times))

    def mark(self) -> int:
        """A position in the log of sent messages; pass it as `after` to wait only for newer ones."""
        return len(self.sent)

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        return self._messages[(chat_id, message_id)]

    # Bot API ---------------------------------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        params: dict[str, Any] = {}
        if request.method == "POST":
            data = await request.post()
            for key, value in data.items():
                params[key] = value if isinstance(value, str) else getattr(value, "file", value)
        params.update(request.query)
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        fault = next((f for f in self.faults if f.matches(method, params)), None)
        if fault is not None:
            return self._serve_fault(fault, method, params, request)
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return web.json_response({"ok": True, "result": True})
        try:
            result = await handler(params)
        except TelegramError as exc:
            self.errors.append((method, exc.description))
            return web.json_response(
                {"ok": False, "error_code": exc.code, "description": exc.description}, status=exc.code
            )
        return web.json_response({"ok": True, "result": result})

    def _serve_fault(self, fault: Fault, method: str, params: dict[str, Any], request: web.Request) -> web.Response:
        fault.times -= 1
        chat = params.get("chat_id")
        self.faults_served.append((fault.kind, method, int(chat) if chat is not None else None))
        if fault.kind == "drop":
            assert request.transport is not None
            request.transport.abort()  # the client sees the connection reset with no answer
            raise web.HTTPInternalServerError  # never reaches the client: the socket is gone
        description = f"Too Many Requests: retry after {fault.retry_after}"
        body = {
            "ok": False,
            "error_code": 429,
            "description": description,
            "parameters": {"retry_after": fault.retry_after},
        }
        return web.json_response(body, status=429)

    async def _file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        content = self.files.get(path)
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content)

    async def _m_getme(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Copilot",
            "username": self.bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        if offset:
            self._offset = max(self._offset, offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._new_update.set()  # wake an older poll: it ends with 409
        deadline = time.monotonic() + min(timeout, 0.5)  # short polls keep test shutdown quick
        while True:
            if generation != self._poll_generation:
                self.conflicts += 1
                raise TelegramError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                )
            pending = [u for u in self.updates if u["update_id"] >= self._offset]
            if self._again:
                pending = sorted([*self._again, *pending], key=lambda u: int(u["update_id"]))
                self._again = []
            if pending or time.monotonic() >= deadline:
                return pending[:100]
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout=max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                pass

    def _check_text(self, text: str, parse_mode: str | None) -> None:
        if not text.strip():
            raise TelegramError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise TelegramError(400, "Bad Request: message is too long")
        if parse_mode and parse_mode.upper() == "HTML":
            error = _html_error(text)
            if error:
                raise TelegramError(400, f"Bad Request: can't parse entities: {error}")

    def _check_markup(self, raw: Any) -> dict[str, Any] | None:
        if not raw:
            return None
        markup = json.loads(raw) if isinstance(raw, str) else raw
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    raise TelegramError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise TelegramError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        return dict(markup)

    def _message_payload(self, sent: SentMessage) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": {"id": sent.chat_id, "type": "private"},
            "from": {"id": self.bot_id, "is_bot": True, "first_name": "Copilot"},
            "text": sent.text,
        }
        if sent.reply_markup:
            payload["reply_markup"] = sent.reply_markup
        return payload

    def _record(
        self, method: str, chat_id: int, text: str, markup: dict[str, Any] | None, params: dict[str, Any]
    ) -> SentMessage:
        sent = SentMessage(chat_id, next(self._message_ids), text, markup, method, params)
        self.sent.append(sent)
        self._messages[(chat_id, sent.message_id)] = sent
        self._new_sent.set()
        return sent

    async def _m_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        text = str(params.get("text", ""))
        self._check_text(text, params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        sent = self._record("sendMessage", int(params["chat_id"]), text, markup, params)
        return self._message_payload(sent)

    async def _m_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        caption = str(params.get("caption", "") or "")
        if len(caption) > 1024:
            raise TelegramError(400, "Bad Request: message caption is too long")
        photo = params.get("photo")
        if isinstance(photo, str) and photo.startswith("attach://"):  # aiogram uploads the file as its own field
            photo = params.get(photo.removeprefix("attach://"))
        read = getattr(photo, "read", None)
        data = read() if callable(read) else b""
        if not data.startswith(b"\x89PNG"):
            raise TelegramError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        markup = self._check_markup(params.get("reply_markup"))
        sent = self._record("sendPhoto", int(params["chat_id"]), caption, markup, params | {"photo_bytes": data})
        return self._message_payload(sent) | {
            "photo": [{"file_id": "p1", "file_unique_id": "p1", "width": 800, "height": 600}]
        }

    async def _m_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        sent = self._record(
            "sendDocument",
            int(params["chat_id"]),
            str(params.get("caption", "") or ""),
            self._check_markup(params.get("reply_markup")),
            params,
        )
        return self._message_payload(sent)

    async def _m_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        text = str(params.get("text", ""))
        self._check_text(text, params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        original = self._messages.get((chat_id, message_id))
        if original is None:
            raise TelegramError(400, "Bad Request: message to edit not found")
        if original.text == text and original.reply_markup == markup:
            raise TelegramError(400, "Bad Request: message is not modified")
        original.text, original.reply_markup = text, markup
        self.sent.append(SentMessage(chat_id, message_id, text, markup, "editMessageText", params))
        self._new_sent.set()
        return self._message_payload(original)

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        original = self._messages.get((chat_id, message_id))
        if original is None:
            raise TelegramError(400, "Bad Request: message to edit not found")
        original.reply_markup = self._check_markup(params.get("reply_markup"))
        self.sent.append(
            SentMessage(chat_id, message_id, original.text, original.reply_markup, "editMessageReplyMarkup", params)
        )
        return self._message_payload(original)

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> bool:
        text = str(params.get("text", "") or "")
        if len(text) > 200:
            raise TelegramError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.callback_answers.append(params)
        return True

    async def _m_sendchataction(self, params: dict[str, Any]) -> bool:
        self.chat_actions.append(params)
        return True

    async def _m_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        self.commands = json.loads(commands) if isinstance(commands, str) else list(commands or [])
        return True

    async def _m_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise TelegramError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(self.files[file_id]),
            "file_path": file_id,
        }

    async def _m_deletewebhook(self, _: dict[str, Any]) -> bool:
        return True
