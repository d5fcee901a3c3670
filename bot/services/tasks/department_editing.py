"""Admins edit the department directory (knowledge/departments.yaml) from the bot: add a department or change its
name and synonyms, or replace the whole file (commitments and readiness criteria) by sending it.

Every change is validated by the same parser the task briefs use before the file is written, and written whole
(a temporary file renamed over the old one), so the directory is never left half-edited. The header comments of
the file are kept. The commitments' search index follows at the next `python -m bot index` or restart.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.services.tasks.commitments import COMMITMENTS_FILE, Commitments, load_commitments, parse_directory

ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,31}$")


class DepartmentError(ValueError):
    """A change that cannot be made; the message says how to put it right."""


@dataclass(frozen=True)
class DepartmentChange:
    department_id: str
    created: bool
    directory: Commitments


def _path(project_root: Path) -> Path:
    return project_root / COMMITMENTS_FILE


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        if line.startswith("#") or not line.strip():
            lines.append(line)
        else:
            break
    return "".join(lines)


def _write(project_root: Path, data: dict[str, Any], header: str) -> Commitments:
    try:
        checked = parse_directory(data)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise DepartmentError(f"справочник не сохранён: {exc}") from exc
    path = _path(project_root)
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    temporary = path.with_suffix(".yaml.tmp")
    temporary.write_text(header + body, encoding="utf-8")
    os.replace(temporary, path)
    return checked


def _load(project_root: Path) -> tuple[dict[str, Any], str]:
    path = _path(project_root)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise DepartmentError("справочник отделов повреждён: ожидается раздел departments")
    data.setdefault("departments", [])
    return data, _header(text)


def set_department(project_root: Path, department_id: str, name: str, synonyms: list[str]) -> DepartmentChange:
    """Add a department, or give an existing one a new name and synonyms (its commitments stay)."""
    department_id = department_id.strip().lower()
    if not ID_RE.match(department_id):
        raise DepartmentError("id отдела — латиницей, от 2 до 32 символов, например marketing или service")
    if not name.strip():
        raise DepartmentError("укажите название отдела по-русски, например «Отдел маркетинга»")
    data, header = _load(project_root)
    clean = [s.strip() for s in synonyms if s.strip()]
    existing = next((d for d in data["departments"] if str(d.get("id")) == department_id), None)
    taken = load_commitments(project_root)
    for synonym in clean:
        owner = taken.resolve(synonym)
        if owner and owner != department_id and synonym.lower() in {s.lower() for s in taken.synonyms.get(owner, ())}:
            raise DepartmentError(f"синоним «{synonym}» уже есть у отдела {owner}: один синоним — один отдел")
    if existing is None:
        data["departments"].append({"id": department_id, "name": name.strip(), "synonyms": clean, "commitments": []})
    else:
        existing["name"], existing["synonyms"] = name.strip(), clean
    directory = _write(project_root, data, header)
    return DepartmentChange(department_id, existing is None, directory)


def replace_directory(project_root: Path, content: bytes) -> Commitments:
    """Replace the whole directory with a file an admin sent (checked first; the old file stays on any error)."""
    try:
        text = content.decode("utf-8-sig")
        data = yaml.safe_load(text)
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DepartmentError(f"файл не читается как YAML в UTF-8: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("departments"), list) or not data["departments"]:
        raise DepartmentError("в файле нет списка departments — возьмите за основу текущий справочник (/departments)")
    for index, department in enumerate(data["departments"]):
        if not isinstance(department, dict) or not ID_RE.match(str(department.get("id", ""))):
            raise DepartmentError(f"отдел №{index + 1}: нужен id латиницей (например logistics)")
    return _write(project_root, data, _header(text))


@dataclass(frozen=True)
class DepartmentEditor:
    """The directory of one project, for the admins' commands in the bot."""

    project_root: Path

    def overview(self) -> tuple[str, bytes | None]:
        """What /departments shows, and the file itself to edit and send back."""
        path = _path(self.project_root)
        return describe(load_commitments(self.project_root)), path.read_bytes() if path.exists() else None

    def set(self, department_id: str, name: str, synonyms: list[str]) -> DepartmentChange:
        return set_department(self.project_root, department_id, name, synonyms)

    def replace(self, content: bytes) -> Commitments:
        return replace_directory(self.project_root, content)


def describe(directory: Commitments) -> str:
    lines = ["Справочник отделов:"]
    for dept_id, name in directory.department_names.items():
        synonyms = ", ".join(directory.synonyms.get(dept_id, ())) or "—"
        count = len(directory.by_department.get(dept_id, ()))
        lines.append(f"• {name} ({dept_id}): синонимы — {synonyms}; обязательств: {count}")
    lines += [
        "",
        "Изменить название и синонимы (или добавить отдел):",
        "/department id | Название | синоним, синоним",
        "например: /department marketing | Отдел маркетинга | Маркетинг, Реклама, PR",
        "Обязательства и критерии готовности — пришлите файл departments.yaml целиком (возьмите текущий за основу).",
    ]
    return "\n".join(lines)
