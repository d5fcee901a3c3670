"""Client search results and the client card."""

from __future__ import annotations

from datetime import tzinfo

from bot.presenters import esc
from bot.presenters.dates import day
from bot.services.clients.profile import ClientProfile
from bot.services.clients.search import ClientHit

SEARCH_HINT = "Поиск понимает названия, компании, имена контактов в любом падеже, @username, телефон и e-mail."


def search_results(query: str, hits: list[ClientHit]) -> str:
    if not hits:
        return (
            f"По запросу «{esc(query)}» среди Ваших клиентов никого не нашлось. Проверьте написание или "
            f"попробуйте часть названия.\n{esc(SEARCH_HINT)}"
        )
    lines = [f"🔎 По запросу «{esc(query)}» нашлось:"]
    for hit in hits:
        extra = f" — {esc(hit.field)}: {esc(hit.matched)}" if hit.field not in {"название", "id"} else ""
        lines.append(f"• <b>{esc(hit.client.name)}</b>{extra}")
    lines.append("Выберите клиента кнопкой.")
    return "\n".join(lines)


def card(profile: ClientProfile, tz: tzinfo) -> str:
    c = profile.context
    client = profile.client
    head = f"🗂 <b>{esc(client.name)}</b>"
    if client.company and client.company != client.name:
        head += f" ({esc(client.company)})"
    lines = [head, f"Ответственный: {esc(profile.manager)}"]
    for ct in client.contacts:
        ways = [w for w in (f"@{ct.telegram_username}" if ct.telegram_username else "", ct.phone, ct.email) if w]
        lines.append(f"👤 {esc(ct.name or 'контакт')}" + (f" — {esc(', '.join(ways))}" if ways else ""))
    lines.append(f"📈 Уровень: {esc(profile.level.name)} ({esc(profile.level.reason)})")
    if profile.segment is not None:
        lines.append(f"🗂 Сегмент: {esc(profile.segment.name)} — стратегия «{esc(profile.segment.strategy)}»")
    won = sum(1 for d in c.deals if d.status == "won")
    lines.append(f"💼 Сделки: выиграно {won}, в работе {len(c.open_deals)}")
    lines.append(
        f"🤝 Обещания: открыто {len(c.open_promises)}, просрочено {len(c.overdue_promises)}, "
        f"не выполнено раньше {len(c.broken_promises)}"
    )
    if c.incidents:
        lines.append(f"⚠️ Инцидентов в истории: {len(c.incidents)}")
    last = day(profile.last_contact, c.today, tz) if profile.last_contact else "контактов ещё не было"
    lines.append(f"🕑 Последний контакт: {last}")
    return "\n".join(lines)
