"""Russian texts shared by the transports (Telegram and the terminal chat). Plain text, no markup."""

from __future__ import annotations

from bot.domain import ROLE_NAMES_RU, Role
from bot.services.common.access import ROLE_TABLE, Feature

NO_ROLE = (
    "Здравствуйте! Этот бот — рабочий помощник сотрудников компании, и для Вас пока не настроен доступ.\n"
    "Передайте, пожалуйста, администратору Ваш Telegram id: {user_id} — после этого бот заработает."
)

WELCOME = "Здравствуйте, {name}! Я — Manager Copilot, помощник для работы с клиентами и коллегами.\nВаши роли: {roles}."

HELP_INTRO = "Что я умею:"

_CLIENTS, _REVIEW, _ADMIN, _TEAM = (
    ROLE_TABLE[f] for f in (Feature.CLIENTS, Feature.REVIEW, Feature.ADMIN, Feature.TEAM)
)
COMMANDS: list[tuple[str, str, frozenset[Role]]] = [
    ("start", "начало работы", _TEAM),
    ("help", "что умеет бот", _TEAM),
    ("client", "найти клиента и открыть карточку", _CLIENTS),
    ("brief", "справка перед звонком клиенту", _CLIENTS),
    ("log", "записать итог звонка и обещания", _CLIENTS),
    ("task", "сформулировать задачу коллеге", _TEAM),
    ("tasks", "мои задачи коллегам и их статусы", _TEAM),
    ("overdue", "частые причины просрочек по отделам", _REVIEW),
    ("colleagues", "справочник коллег (для администратора)", _ADMIN),
    ("departments", "справочник отделов и их обязательств (для администратора)", _ADMIN),
    ("ask", "вопрос по методике и базе знаний", _TEAM),
    ("review", "очередь предложений на проверку", _REVIEW),
    ("stats", "статистика качества", _REVIEW),
    ("survey", "опрос о зрелости клиентоцентричности", _TEAM),
    ("audit", "журнал действий за период", _REVIEW),
    ("roles", "роли пользователей (для администратора)", _ADMIN),
]

HELP_FORWARD = (
    "Перешлите мне сообщение клиента или вставьте его текст — я определю тип поведения клиента, покажу признаки, "
    "подберу сценарий и предложу ответ."
)

HELP_IMPORT = (
    "Загрузка данных CRM: пришлите файл — JSON, CSV, XLSX или .zip с CSV (подойдут и выгрузки amoCRM и Битрикс24). "
    "Я проверю его, ничего не записывая, покажу, что изменится, и загружу по кнопке «Применить»."
)

ROLES_USAGE = (
    "Управление ролями:\n"
    "/grant ID РОЛЬ [ключ_менеджера_в_CRM] — выдать роль\n"
    "/revoke ID РОЛЬ — отозвать роль\n"
    "/roles — список ролей в базе\n"
    "Роли: admin, supervisor, manager, staff."
)

ERROR_GENERIC = (
    "Извините, при обработке запроса произошла ошибка. Ваши данные сохранены; попробуйте ещё раз через минуту. "
    "Если ошибка повторится, сообщите администратору."
)

TOO_FAST = "Сообщений слишком много подряд — я обработаю следующие через несколько секунд."

ROLES_ADMIN_ONLY = "Выдавать, отзывать и смотреть роли может только администратор. Если нужен доступ, напишите ему."

NOT_ALLOWED = "Эта команда доступна ролям: {roles}. Если она нужна Вам для работы, обратитесь к администратору."


def help_text(roles: frozenset[Role]) -> str:
    lines = [HELP_INTRO]
    for command, description, allowed in COMMANDS:
        if roles & allowed:
            lines.append(f"/{command} — {description}")
    if roles & _CLIENTS:
        lines += ["", HELP_FORWARD]
    if Role.ADMIN in roles:
        lines += ["", HELP_IMPORT]
    return "\n".join(lines)


UNKNOWN_COMMAND = "Команда /{command} мне незнакома. Список команд — /help."

CHAT_INTRO = "Manager Copilot — терминальный чат. Команды те же, что в Telegram:"

CHAT_EXIT = "Выход — /exit или Ctrl+D."


def not_allowed(feature: Feature) -> str:
    """The refusal of a command the person's roles do not cover, naming the roles that do."""
    order = [Role.SUPERVISOR, Role.ADMIN, Role.MANAGER, Role.STAFF]
    return NOT_ALLOWED.format(roles=", ".join(ROLE_NAMES_RU[r] for r in order if r in ROLE_TABLE[feature]))


# What people actually send ----------------------------------------------------------------------------------------
MEDIA_STICKER = (
    "Стикер получил 🙂 Я работаю с текстом: перешлите или вставьте сообщение клиента — подскажу тип и ответ."
)
MEDIA_PHOTO = (
    "Фото без подписи я прочитать не могу. Если на нём переписка с клиентом, вставьте её текстом "
    "или добавьте подпись — подготовлю карточку."
)
MEDIA_VOICE = (
    "Голосовые и видеосообщения я пока не расшифровываю. Перескажите или вставьте текст клиента — "
    "подскажу, как ответить."
)
MEDIA_LOCATION = "Геопозицию и контакты я не обрабатываю. Для работы с клиентом пришлите текст его сообщения."
MEDIA_DOCUMENT = (
    "Этот файл я не обрабатываю. Администратор может прислать выгрузку CRM (JSON, CSV, XLSX, ZIP) или сценарий "
    "(.md); для карточки пришлите текст сообщения клиента."
)
MEDIA_OTHER = "Такое сообщение я не обрабатываю. Пришлите текст клиента или команду — список в /help."
EDITED = (
    "Вижу, что сообщение изменено. Карточка по старому тексту осталась как была; чтобы получить новую, "
    "отправьте исправленный текст ещё раз."
)
STALE_BUTTON = "Эта кнопка устарела. Откройте карточку или команду заново."
GROUP_NOTICE = (
    "В групповых чатах я не показываю данные клиентов, карточки и задачи. Напишите мне в личные сообщения — "
    "там я отвечу."
)
