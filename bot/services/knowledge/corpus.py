"""The retrieval corpus read from the project's files: scripts, knowledge articles and service commitments.

This module only parses and validates (Markdown with YAML front matter, YAML) and cuts documents into chunks with
stable ids and content hashes; it knows nothing about Chroma. The same parsed chunks feed the vector index
(ingestion) and the in-memory lexical index, so the two always describe the same text.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from bot.domain import SITUATION_NAMES_RU, TYPE_NAMES_RU, BehaviourType, Situation

log = logging.getLogger(__name__)

SCRIPTS_DIR = "scripts_library"
ARTICLES_DIR = "knowledge/articles"
COMMITMENTS_FILE = "knowledge/service_commitments.yaml"

SCRIPTS_COLLECTION = "mc_scripts"
KNOWLEDGE_COLLECTION = "mc_knowledge"

SCRIPT_KEYS = ("id", "title", "type", "situation", "channel", "goal", "keywords")
SECTION_OPENING = "Открытие"
SECTION_PHRASES = "Ключевые фразы"
SECTION_AVOID = "Чего избегать"
SECTION_NEXT_STEP = "Следующий шаг"
SECTION_NEEDS = "Как закрываем потребности типа"
SECTION_TEMPLATE = "Шаблон ответа"
REQUIRED_SECTIONS = (
    SECTION_OPENING,
    SECTION_PHRASES,
    SECTION_AVOID,
    SECTION_NEXT_STEP,
    SECTION_NEEDS,
    SECTION_TEMPLATE,
)
TEMPLATE_VARIABLES = frozenset({"deal", "next_date"})

_SECTION_RE = re.compile(r"^##[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
_FENCE_RE = re.compile(r"```[^\n]*\n(.*?)```", re.DOTALL)
_JINJA_RE = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_JINJA_VAR_RE = re.compile(r"\{\{\s*(.*?)\s*\}\}", re.DOTALL)

# One sandboxed environment for validation and rendering: templates come from admins over Telegram.
JINJA = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


class Blank(str):
    """An unknown template value: false in `{% if deal %}`, printed as a visible gap ("[сделка]") by `{{ deal }}`.

    Both variables are optional, yet many templates print them unguarded; a gap the manager fills in reads better
    than "None" and is impossible to overlook in a draft.
    """

    __slots__ = ()

    def __bool__(self) -> bool:
        return False


BLANK_VALUES = {"deal": Blank("[сделка]"), "next_date": Blank("[дата]")}


class ScriptFormatError(ValueError):
    """A script file that cannot go into the library; the message is a Russian reason for the admin."""


@dataclass(frozen=True, slots=True)
class Script:
    id: str  # "<situation>.<type>"
    title: str
    type: BehaviourType
    situation: Situation
    channel: str
    goal: str
    keywords: tuple[str, ...]
    sections: dict[str, str]  # heading → Markdown body, in file order
    reply_template: str  # Jinja2 source (variables deal, next_date)
    source: str = ""  # path relative to the project root


@dataclass(frozen=True, slots=True)
class Chunk:
    """One retrievable piece of text with everything needed to filter, cite and show it."""

    id: str  # "<doc_id>#<n>", stable while the document keeps its sections
    doc_id: str  # script id, "article:<id>" or "commitment:<id>"
    kind: str  # "script" | "article" | "commitment"
    title: str
    section: str
    body: str  # the section text as written (shown to people, cut into sentences for answers)
    source: str
    type: str = ""
    situation: str = ""
    extra: str = ""  # words that help find the chunk but are not part of the body (keywords, type names)

    @property
    def text(self) -> str:
        """What gets embedded and indexed lexically: the title and heading give a bare section its context."""
        head = f"{self.title}. {self.section}." if self.section and self.section != self.title else f"{self.title}."
        return "\n".join(part for part in (head, self.extra, self.body) if part)

    @property
    def content_hash(self) -> str:
        payload = "\x1f".join((self.text, self.doc_id, self.kind, self.source, self.type, self.situation))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]

    def metadata(self) -> dict[str, str | int | float | bool]:
        return {
            "doc_id": self.doc_id,
            "kind": self.kind,
            "type": self.type,
            "situation": self.situation,
            "title": self.title,
            "section": self.section,
            "source": self.source,
            "content_hash": self.content_hash,
        }


@dataclass
class Corpus:
    scripts: list[Script] = field(default_factory=list)
    chunks: dict[str, list[Chunk]] = field(default_factory=dict)  # collection name → chunks
    errors: list[str] = field(default_factory=list)  # files skipped, with the reason

    def all_chunks(self) -> list[Chunk]:
        return [c for chunks in self.chunks.values() for c in chunks]


# Markdown helpers ------------------------------------------------------------------------------------------------
def split_sections(markdown: str) -> tuple[str, list[tuple[str, str]]]:
    """(text before the first `##`, [(heading, body), ...]). `###` and deeper stay inside their section."""
    matches = list(_SECTION_RE.finditer(markdown))
    if not matches:
        return markdown.strip(), []
    intro = markdown[: matches[0].start()].strip()
    sections = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(markdown)
        sections.append((match.group(1).strip(), markdown[match.end() : end].strip()))
    return intro, sections


def template_source(section_body: str) -> str:
    """The Jinja2 snippet of a "Шаблон ответа" section: the fenced block if there is one, else the whole text."""
    fenced = _FENCE_RE.search(section_body)
    return (fenced.group(1) if fenced else section_body).strip()


def plain_template_text(source: str) -> str:
    """A template as searchable text: tags dropped, `{{ deal }}` kept as the bare variable name."""
    text = _JINJA_RE.sub(" ", source)
    return _JINJA_VAR_RE.sub(lambda m: m.group(1).split("|")[0].strip(), text)


def _as_str_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    if isinstance(value, Iterable):
        return [str(v).strip() for v in value if str(v).strip()]
    return [str(value)]


# Scripts ---------------------------------------------------------------------------------------------------------
def check_template(source: str) -> None:
    """Compile the reply template and render it with and without the optional variables."""
    try:
        parsed = JINJA.parse(source)
    except TemplateSyntaxError as exc:
        raise ScriptFormatError(f"шаблон ответа не компилируется (строка {exc.lineno}): {exc.message}") from exc
    unknown = sorted(meta.find_undeclared_variables(parsed) - TEMPLATE_VARIABLES)
    if unknown:
        raise ScriptFormatError(
            "шаблон ответа использует неизвестные переменные: "
            + ", ".join(unknown)
            + "; допустимы только deal и next_date"
        )
    try:
        template = JINJA.from_string(source)
        for values in (BLANK_VALUES, {"deal": "поставка №17", "next_date": "12 марта"}):
            template.render(**values)
    except TemplateError as exc:
        raise ScriptFormatError(f"шаблон ответа не отрисовывается: {exc}") from exc


def parse_script(text: str, source: str = "") -> Script:
    """A script from Markdown with front matter; raises ScriptFormatError with the first problem found."""
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError) as exc:
        raise ScriptFormatError(f"не удалось прочитать YAML-заголовок: {exc}") from exc
    data: Mapping[str, Any] = post.metadata
    if not data:
        raise ScriptFormatError("нет YAML-заголовка между строками «---» в начале файла")
    missing = [key for key in SCRIPT_KEYS if data.get(key) in (None, "", [])]
    if missing:
        raise ScriptFormatError("в заголовке не заполнены поля: " + ", ".join(missing))
    try:
        type_ = BehaviourType(str(data["type"]).strip())
    except ValueError:
        allowed = ", ".join(t.value for t in BehaviourType)
        raise ScriptFormatError(f"неизвестный тип «{data['type']}»; допустимы: {allowed}") from None
    try:
        situation = Situation(str(data["situation"]).strip())
    except ValueError:
        allowed = ", ".join(s.value for s in Situation)
        raise ScriptFormatError(f"неизвестная ситуация «{data['situation']}»; допустимы: {allowed}") from None
    expected_id = f"{situation.value}.{type_.value}"
    if str(data["id"]).strip() != expected_id:
        raise ScriptFormatError(f"id «{data['id']}» не совпадает с ситуацией и типом: ожидается «{expected_id}»")
    _, pairs = split_sections(post.content)
    sections: dict[str, str] = {}
    for heading, body in pairs:
        if heading in sections:
            raise ScriptFormatError(f"раздел «## {heading}» встречается дважды")
        sections[heading] = body
    absent = [name for name in REQUIRED_SECTIONS if not sections.get(name, "").strip()]
    if absent:
        raise ScriptFormatError("нет обязательных разделов (или они пустые): " + ", ".join(f"«## {a}»" for a in absent))
    reply_template = template_source(sections[SECTION_TEMPLATE])
    check_template(reply_template)
    return Script(
        id=expected_id,
        title=str(data["title"]).strip(),
        type=type_,
        situation=situation,
        channel=", ".join(_as_str_list(data["channel"])),
        goal=str(data["goal"]).strip(),
        keywords=tuple(_as_str_list(data["keywords"])),
        sections=sections,
        reply_template=reply_template,
        source=source,
    )


def script_chunks(script: Script) -> list[Chunk]:
    """A summary chunk (what the script is for) plus one chunk per section.

    Sections are short, so each fits the e5 window (512 tokens) whole; the summary carries the situation's and
    type's Russian names and the keywords, which is how people describe what they need.
    """
    common = {
        "doc_id": script.id,
        "kind": "script",
        "title": script.title,
        "source": script.source,
        "type": script.type.value,
        "situation": script.situation.value,
    }
    names = f"{SITUATION_NAMES_RU[script.situation]}; {TYPE_NAMES_RU[script.type]}"
    summary = "\n".join(
        part
        for part in (
            f"Цель: {script.goal}",
            f"Канал: {script.channel}" if script.channel else "",
            "Ключевые слова: " + ", ".join(script.keywords) if script.keywords else "",
        )
        if part
    )
    chunks = [Chunk(id=f"{script.id}#0", section="Назначение", body=summary, extra=names, **common)]
    for index, (heading, body) in enumerate(script.sections.items(), start=1):
        shown = plain_template_text(template_source(body)) if heading == SECTION_TEMPLATE else body
        chunks.append(Chunk(id=f"{script.id}#{index}", section=heading, body=shown, extra=names, **common))
    return chunks


def load_scripts(project_root: Path, errors: list[str] | None = None) -> list[Script]:
    """Every valid script under scripts_library/<situation>/<type>.md; invalid files are skipped and reported."""
    scripts = []
    for path in sorted((project_root / SCRIPTS_DIR).glob("*/*.md")):
        relative = path.relative_to(project_root).as_posix()
        try:
            script = parse_script(path.read_text(encoding="utf-8"), source=relative)
            if (path.parent.name, path.stem) != (script.situation.value, script.type.value):
                raise ScriptFormatError(
                    f"файл лежит не на своём месте: ожидается {script.situation.value}/{script.type.value}.md"
                )
        except (ScriptFormatError, OSError, UnicodeDecodeError) as exc:
            message = f"{relative}: {exc}"
            log.warning("скрипт пропущен: %s", message)
            if errors is not None:
                errors.append(message)
            continue
        scripts.append(script)
    return scripts


# Articles --------------------------------------------------------------------------------------------------------
def article_chunks(text: str, source: str, fallback_id: str) -> list[Chunk]:
    """One chunk per `##` section (plus the intro, if any). The article id comes from front matter or the file name."""
    post = frontmatter.loads(text)
    article_id = str(post.metadata.get("id") or fallback_id).strip()
    title = str(post.metadata.get("title") or article_id).strip()
    topics = ", ".join(_as_str_list(post.metadata.get("topics")))
    intro, sections = split_sections(post.content)
    pieces = ([(title, intro)] if intro else []) + sections
    doc_id = f"article:{article_id}"
    return [
        Chunk(
            id=f"{doc_id}#{index}",
            doc_id=doc_id,
            kind="article",
            title=title,
            section=heading,
            body=body,
            source=source,
            extra=f"Темы: {topics}" if topics and index == 0 else "",
        )
        for index, (heading, body) in enumerate(pieces)
        if body.strip()
    ]


def load_article_chunks(project_root: Path, errors: list[str] | None = None) -> list[Chunk]:
    chunks: list[Chunk] = []
    for path in sorted((project_root / ARTICLES_DIR).glob("*.md")):
        relative = path.relative_to(project_root).as_posix()
        try:
            chunks.extend(article_chunks(path.read_text(encoding="utf-8"), relative, path.stem))
        except (yaml.YAMLError, ValueError, OSError) as exc:
            log.warning("статья пропущена: %s: %s", relative, exc)
            if errors is not None:
                errors.append(f"{relative}: {exc}")
    return chunks


# Service commitments ---------------------------------------------------------------------------------------------
def _describe(value: Any, indent: str = "") -> list[str]:
    """A YAML value as readable lines ("ключ: значение", "- пункт"), whatever its exact shape."""
    if isinstance(value, Mapping):
        lines = []
        for key, item in value.items():
            if isinstance(item, Mapping | list):
                lines.append(f"{indent}{key}:")
                lines.extend(_describe(item, indent + "  "))
            else:
                lines.append(f"{indent}{key}: {item}")
        return lines
    if isinstance(value, list):
        lines = []
        for item in value:
            sub = _describe(item, indent + "  ")
            if sub:
                lines.append(f"{indent}- {sub[0].strip()}")
                lines.extend(sub[1:])
        return lines
    return [f"{indent}{value}"] if value not in (None, "") else []


def _commitment_body(entry: Mapping[str, Any]) -> str:
    """A commitment as the sentences a colleague would read: what, how fast, what "done" means, what to give."""
    lines = []
    if entry.get("lead_time"):
        lines.append(f"Срок: {entry['lead_time']}.")
    if entry.get("standard"):
        lines.append(f"Готово, когда: {str(entry['standard']).strip()}.")
    needs = _as_str_list(entry.get("needs_from_requester"))
    if needs:
        lines.append("Что нужно от запрашивающего: " + "; ".join(needs) + ".")
    known = {"id", "what", "lead_time", "lead_time_hours", "standard", "needs_from_requester", "keywords"}
    rest = {k: v for k, v in entry.items() if k not in known}
    lines.extend(_describe(rest))
    return "\n".join(lines)


def commitment_chunks(data: Any, source: str = COMMITMENTS_FILE) -> list[Chunk]:
    """One chunk per commitment of a department (departments → commitments, see the file's header).

    A commitment is what people ask about ("за сколько логистика подтверждает отгрузку?"), so it is the unit;
    its keywords are indexed but not shown.
    """
    departments = data.get("departments") if isinstance(data, Mapping) else data
    if not isinstance(departments, list):
        return []
    chunks = []
    for department in departments:
        if not isinstance(department, Mapping):
            continue
        department_name = str(department.get("name") or department.get("id") or "").strip()
        for index, entry in enumerate(department.get("commitments") or []):
            if not isinstance(entry, Mapping):
                continue
            entry_id = str(entry.get("id") or f"{department.get('id', 'dept')}.{index}")
            slug = re.sub(r"[^\w.-]+", "_", entry_id.lower()).strip("_")
            what = str(entry.get("what") or entry_id).strip()
            keywords = _as_str_list(entry.get("keywords"))
            doc_id = f"commitment:{slug}"
            chunks.append(
                Chunk(
                    id=f"{doc_id}#0",
                    doc_id=doc_id,
                    kind="commitment",
                    title=f"Сервисные обязательства: {department_name}",
                    section=what,
                    body=_commitment_body(entry),
                    source=source,
                    extra="Ключевые слова: " + ", ".join(keywords) if keywords else "",
                )
            )
    return chunks


def load_commitment_chunks(project_root: Path, errors: list[str] | None = None) -> list[Chunk]:
    path = project_root / COMMITMENTS_FILE
    if not path.exists():
        return []
    try:
        return commitment_chunks(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (yaml.YAMLError, OSError) as exc:
        log.warning("сервисные обязательства пропущены: %s", exc)
        if errors is not None:
            errors.append(f"{COMMITMENTS_FILE}: {exc}")
        return []


def load_corpus(project_root: Path) -> Corpus:
    corpus = Corpus()
    corpus.scripts = load_scripts(project_root, corpus.errors)
    corpus.chunks[SCRIPTS_COLLECTION] = [c for s in corpus.scripts for c in script_chunks(s)]
    corpus.chunks[KNOWLEDGE_COLLECTION] = load_article_chunks(project_root, corpus.errors) + load_commitment_chunks(
        project_root, corpus.errors
    )
    return corpus
