"""Prompt templates: prompts/<task>.j2, each rendering a system part and a user part.

Undefined variables fail loudly (StrictUndefined): a prompt silently missing the client's message would still
produce a confident answer. Autoescape is off because the output is plain text for a model, not HTML; instead
every string variable is passed through `guard.sanitize`, so data can never close its own delimiter tag.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.config import PROJECT_ROOT
from bot.domain import SITUATION_NAMES_RU, TYPE_NAMES_RU
from bot.llm.guard import map_strings, sanitize

PROMPTS_DIR = PROJECT_ROOT / "prompts"
USER_MARKER = "<<<USER>>>"
TASKS = ("classification", "situation", "reply", "suggestion", "brief", "task_brief", "knowledge_answer")
RESERVED = frozenset({"output_schema", "canary"})

# Variables holding words of clients (or anyone outside the company's trusted records). They are data for the
# model like every other variable, and in addition nothing they say backs a discount or an amount in the answer.
UNTRUSTED_VARIABLES = frozenset({"client_message", "history", "question"})


@dataclass(frozen=True, slots=True)
class RenderedPrompt:
    system: str
    user: str


@lru_cache(maxsize=4)
def environment(directory: Path = PROMPTS_DIR) -> Environment:
    env = Environment(
        loader=FileSystemLoader(directory),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["TYPES"] = {str(k): v for k, v in TYPE_NAMES_RU.items()}
    env.globals["SITUATIONS"] = {str(k): v for k, v in SITUATION_NAMES_RU.items()}
    return env


def render_prompt(
    task: str,
    variables: Mapping[str, Any],
    *,
    output_schema: str,
    canary: str,
    directory: Path = PROMPTS_DIR,
) -> RenderedPrompt:
    if not re.fullmatch(r"[a-z_]+", task):
        raise ValueError(f"bad task name {task!r}")
    clashing = RESERVED & set(variables)
    if clashing:
        raise ValueError(f"reserved prompt variables: {sorted(clashing)}")
    clean = map_strings(dict(variables), sanitize)
    text = environment(directory).get_template(f"{task}.j2").render(**clean, output_schema=output_schema, canary=canary)
    system, marker, user = text.partition(USER_MARKER)
    if not marker or USER_MARKER in user:  # sanitize() turns '<' into '‹', so data cannot forge the marker
        raise ValueError(f"template {task}.j2 must contain {USER_MARKER} exactly once")
    return RenderedPrompt(_tidy(system), _tidy(user))


def _tidy(text: str) -> str:
    """Collapse the blank lines left by template tags; models do not need them and tests read better."""
    return re.sub(r"\n{3,}", "\n\n", text).strip()
