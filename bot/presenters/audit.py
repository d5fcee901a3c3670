"""The audit log as a readable list, newest first."""

from __future__ import annotations

from datetime import tzinfo

from bot.domain import ROLE_NAMES_RU, Role
from bot.presenters import esc
from bot.presenters.review import type_name
from bot.services.review.audit import AuditLine, AuditReport

AUDIT_USAGE = "Журнал действий: /audit [период] — week, month, 30d или 2026-11-01..2026-11-23 (по умолчанию 7 дней)."

ACTIONS = {
    "start": "открыл(а) бота",
    "viewed": "просмотрел(а)",
    "generated": "получил(а) черновик от бота",
    "submitted": "отправил(а) на проверку",
    "approved": "одобрил(а)",
    "edited": "одобрил(а) с правками",
    "rejected": "отклонил(а)",
    "type_corrected": "уточнил(а) тип клиента",
    "role_granted": "выдал(а) роль",
    "role_revoked": "отозвал(а) роль",
    "access_denied": "обратился(-ась) без доступа",
    "stats_viewed": "посмотрел(а) статистику",
    "audit_viewed": "открыл(а) журнал действий",
    "labels_exported": "выгрузил(а) метки классификатора",
    "weekly_digest": "разослана недельная сводка",
    "saved": "отметил(а) текст как отправленный клиенту",
    "edited_by_author": "поправил(а) свой черновик",
    "client_created": "завёл(завела) клиента",
    "call_logged": "записал(а) итог звонка",
    "promises_added": "записал(а) обещания",
    "promise_kept": "отметил(а) обещание выполненным",
    "promise_broken": "отметил(а) обещание невыполненным",
    "import": "загрузил(а) данные CRM",
    "digest_sent": "разослана утренняя сводка",
}


def _object(ref: str | None) -> str:
    if not ref:
        return ""
    kind, _, value = ref.partition(":")
    names = {"suggestion": "предложение №", "task": "задача ", "client": "клиент "}
    if kind in names and value:
        return names[kind] + value
    return ref


def _details(line: AuditLine) -> str:
    d = line.details
    if line.action in ("role_granted", "role_revoked") and d.get("role") in Role.__members__.values():
        return f"роль «{ROLE_NAMES_RU[Role(d['role'])]}» пользователю {line.object_ref}"
    if line.action == "type_corrected":
        return f"{type_name(d.get('from'))} → {type_name(d.get('to'))}"
    if line.action == "access_denied" and d.get("attempt"):
        return f"«{str(d['attempt'])[:60]}»"
    if line.action == "stats_viewed" and d.get("period"):
        return f"период {d['period']}"
    return ""


def line_text(line: AuditLine, tz: tzinfo) -> str:
    parts = [
        f"{line.at.astimezone(tz):%d.%m %H:%M}",
        f"{esc(line.actor)}: {esc(ACTIONS.get(line.action, line.action))}",
    ]
    extra = _details(line) if line.action in ("role_granted", "role_revoked") else _object(line.object_ref)
    if extra:
        parts.append(esc(extra))
    if line.client:
        parts.append(f"клиент «{esc(line.client)}»")
    if line.action not in ("role_granted", "role_revoked") and (detail := _details(line)):
        parts.append(esc(detail))
    return " · ".join(parts)


def report_html(report: AuditReport, tz: tzinfo) -> str:
    head = f"<b>Журнал действий: {esc(report.period.label)}</b>"
    if not report.lines:
        return head + "\nЗа этот период записей нет."
    lines = [head, f"Записей: {len(report.lines)}{' (показаны последние)' if report.truncated else ''}", ""]
    lines += [line_text(line, tz) for line in report.lines]
    if report.truncated:
        lines += ["", "Записей больше, чем помещается, — сузьте, пожалуйста, период."]
    return "\n".join(lines)
