"""What an import did or would do: created / updated / unchanged per entity, warnings, the first errors.

The same report serves the command line, the bot (after a dry run, with a button to apply) and the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

ENTITY_NAMES_RU = {
    "clients": "клиенты",
    "deals": "сделки",
    "interactions": "взаимодействия",
    "promises": "обещания",
    "incidents": "инциденты",
    "colleagues": "сотрудники",
    "tasks": "задачи",
}
FIRST_ERRORS = 10
EXAMPLES_PER_WARNING = 3


@dataclass
class WarningGroup:
    count: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    source: str = ""
    kind: str = ""
    dry_run: bool = False
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    warnings: dict[str, WarningGroup] = field(default_factory=dict)
    error_count: int = 0
    _first_errors: list[tuple[int, str]] = field(default_factory=list)  # (position in the file, message)

    def count(self, bucket: str, kind: str, n: int = 1) -> None:
        if n:
            target: dict[str, int] = getattr(self, bucket)
            target[kind] = target.get(kind, 0) + n

    def warn(self, code: str, message: str) -> None:
        group = self.warnings.setdefault(code, WarningGroup())
        group.count += 1
        if len(group.examples) < EXAMPLES_PER_WARNING:
            group.examples.append(message)

    def error(self, message: str, count: int = 1, position: int = 0) -> None:
        """An error of the record at `position` (its order in the file): the report keeps the first ones by it."""
        self.error_count += count
        self._first_errors.append((position, message))
        self._first_errors.sort(key=lambda pm: pm[0])
        del self._first_errors[FIRST_ERRORS:]

    @property
    def errors(self) -> list[str]:
        return [message for _, message in self._first_errors]

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def warning_count(self) -> int:
        return sum(g.count for g in self.warnings.values())

    def summary(self) -> str:
        """One line per the whole file: «clients: +16 ~0 =0; deals: …» (for the audit log and scripts)."""
        kinds = [k for k in ENTITY_NAMES_RU if k in self.created or k in self.updated or k in self.unchanged]
        parts = [
            f"{kind}: +{self.created.get(kind, 0)} ~{self.updated.get(kind, 0)} ={self.unchanged.get(kind, 0)}"
            for kind in kinds
        ]
        return "; ".join(parts) or "файл пуст"

    def text(self) -> str:
        """The report a person reads: what changed (or would), warnings, the first errors."""
        name = f"«{self.source}»" + (f" ({self.kind})" if self.kind else "")
        if not self.ok:
            head = f"Файл {name} не загружен, ничего не изменено."
        elif self.dry_run:
            head = f"Проверка файла {name}: ничего не записано. Если применить, будет так:"
        else:
            head = f"Файл {name} загружен:"
        lines = [head]
        if self.ok:
            kinds = [k for k in ENTITY_NAMES_RU if k in self.created or k in self.updated or k in self.unchanged]
            for kind in kinds:
                lines.append(
                    f"  {ENTITY_NAMES_RU[kind]} ({kind}): новых {self.created.get(kind, 0)}, "
                    f"обновлено {self.updated.get(kind, 0)}, без изменений {self.unchanged.get(kind, 0)}"
                )
            if not kinds:
                lines.append("  в файле нет записей для загрузки")
        if self.warnings:
            lines.append(f"Предупреждения ({self.warning_count}):")
            for group in self.warnings.values():
                for example in group.examples:
                    lines.append(f"  • {example}")
                if group.count > len(group.examples):
                    lines.append(f"    …и ещё {group.count - len(group.examples)} таких же")
        if self.errors:
            more = f", первые {len(self.errors)}" if self.error_count > len(self.errors) else ""
            lines.append(f"Ошибки ({self.error_count}{more}):")
            lines += [f"  • {e}" for e in self.errors]
            lines.append("Исправьте файл и загрузите его снова — до тех пор в базе ничего не меняется.")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "warnings": {code: {"count": g.count, "examples": g.examples} for code, g in self.warnings.items()},
            "errors": self.errors,
            "error_count": self.error_count,
            "summary": self.summary(),
        }


_MESSAGES = {
    "missing": "обязательное поле",
    "string_too_short": "пустое значение",
    "int_parsing": "ожидается целое число",
    "int_type": "ожидается целое число",
    "decimal_parsing": "ожидается число",
    "bool_parsing": "ожидается да/нет (true/false)",
    "bool_type": "ожидается да/нет (true/false)",
    "list_type": "ожидается список",
    "model_type": "ожидается объект {…}",
    "dict_type": "ожидается объект {…}",
    "string_type": "ожидается текст",
}


def describe_validation(error: ValidationError) -> str:
    """«поле «at»: не понял дату …» for the first problem of a record."""
    first = error.errors(include_url=False)[0]
    loc = [str(p) for p in first.get("loc", ()) if not str(p).startswith("function-")]
    field_name = ".".join(loc) or "запись"
    kind = first["type"]
    if kind == "string_too_long":
        message = f"слишком длинное значение (не больше {first.get('ctx', {}).get('max_length')} символов)"
    elif kind == "literal_error":
        message = f"недопустимое значение, допустимы: {first.get('ctx', {}).get('expected', '')}"
    else:
        message = _MESSAGES.get(kind) or str(first.get("msg", "")).removeprefix("Value error, ")
    return f"поле «{field_name}»: {message}"
