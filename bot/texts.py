"""Russian texts shared by the transports (Telegram and the terminal chat). Plain text, no markup."""

from __future__ import annotations

from bot.domain import Role

NO_ROLE = (
    "Здравствуйте! Этот бот — рабочий помощник сотрудников компании, и для Вас пока не настроен доступ.\n"
    "Передайте, пожалуйста, администратору Ваш Telegram id: {user_id} — после этого бот заработает."
)

WELCOME = "Здравствуйте, {name}! Я — Manager Copilot, помощник для работы с клиентами и коллегами.\nВаши роли: {roles}."

HELP_INTRO = "Что я умею:"

COMMANDS: list[tuple[str, str, frozenset[Role]]] = [
    ("start", "начало работы", frozenset(Role)),
    ("help", "что умеет бот", frozenset(Role)),
    ("client", "найти клиента и открыть карточку", frozenset({Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})),
    ("brief", "справка перед звонком клиенту", frozenset({Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})),
    ("log", "записать итог звонка и обещания", frozenset({Role.MANAGER, Role.SUPERVISOR, Role.ADMIN})),
    ("task", "сформулировать задачу коллеге", frozenset(Role)),
    ("tasks", "мои задачи коллегам и их статусы", frozenset(Role)),
    ("overdue", "частые причины просрочек по отделам", frozenset({Role.SUPERVISOR, Role.ADMIN})),
    ("colleagues", "справочник коллег (для администратора)", frozenset({Role.ADMIN})),
    ("departments", "справочник отделов и их обязательств (для администратора)", frozenset({Role.ADMIN})),
    ("ask", "вопрос по методике и базе знаний", frozenset(Role)),
    ("review", "очередь предложений на проверку", frozenset({Role.SUPERVISOR, Role.ADMIN})),
    ("stats", "статистика качества", frozenset({Role.SUPERVISOR, Role.ADMIN})),
    ("survey", "опрос о зрелости клиентоцентричности", frozenset(Role)),
    ("audit", "журнал действий за период", frozenset({Role.SUPERVISOR, Role.ADMIN})),
    ("roles", "роли пользователей (для администратора)", frozenset({Role.ADMIN})),
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

NOT_ALLOWED = "Эта команда доступна ролям: {roles}. Если она нужна Вам для работы, обратитесь к администратору."


def help_text(roles: frozenset[Role]) -> str:
    lines = [HELP_INTRO]
    for command, description, allowed in COMMANDS:
        if roles & allowed:
            lines.append(f"/{command} — {description}")
    if roles & {Role.MANAGER, Role.SUPERVISOR, Role.ADMIN}:
        lines += ["", HELP_FORWARD]
    if Role.ADMIN in roles:
        lines += ["", HELP_IMPORT]
    return "\n".join(lines)


UNKNOWN_COMMAND = "Команда /{command} мне незнакома. Список команд — /help."

CHAT_INTRO = "Manager Copilot — терминальный чат. Команды те же, что в Telegram:"

CHAT_EXIT = "Выход — /exit или Ctrl+D."
