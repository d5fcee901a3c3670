"""Files an admin sent to the bot for import, kept between the check (a dry run) and «Применить».

A staged file lives under DATA_DIR/imports/<token>/ with its own name (the name tells the reader its format), so a
restart between the two steps loses nothing, and applying twice is impossible: applying removes it.
"""

from __future__ import annotations

import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ACCEPTED_SUFFIXES = (".json", ".csv", ".zip", ".xlsx", ".xlsm")
MAX_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download
KEEP_SECONDS = 24 * 3600


@dataclass(frozen=True)
class StagedImport:
    token: str
    path: Path

    @property
    def name(self) -> str:
        return self.path.name


def accepts(file_name: str | None) -> bool:
    return bool(file_name) and str(file_name).lower().endswith(ACCEPTED_SUFFIXES)


def _root(data_dir: Path) -> Path:
    return data_dir / "imports"


def stage(data_dir: Path, file_name: str, content: bytes) -> StagedImport:
    """Keep an uploaded file under a fresh token; stale uploads of earlier days are cleared on the way."""
    _clear_stale(data_dir)
    token = uuid.uuid4().hex[:12]
    safe = re.sub(r"[^\w.() -]+", "_", Path(file_name).name).strip() or "import"
    folder = _root(data_dir) / token
    folder.mkdir(parents=True)
    path = folder / safe
    path.write_bytes(content)
    return StagedImport(token, path)


def find(data_dir: Path, token: str) -> StagedImport | None:
    if not re.fullmatch(r"[0-9a-f]{12}", token):
        return None
    folder = _root(data_dir) / token
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    return StagedImport(token, files[0]) if files else None


def discard(data_dir: Path, token: str) -> None:
    if re.fullmatch(r"[0-9a-f]{12}", token):
        shutil.rmtree(_root(data_dir) / token, ignore_errors=True)


def _clear_stale(data_dir: Path) -> None:
    root = _root(data_dir)
    if not root.is_dir():
        return
    cutoff = time.time() - KEEP_SECONDS
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
