"""Fixtures for retrieval tests: one embedding model per session, a small project tree per test, Chroma in temp
folders. The small corpus is written here (not taken from scripts_library/knowledge) so the tests do not move when
the content is edited; only the evaluation test reads the real project."""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from pathlib import Path

import numpy as np
import pytest

from bot.config import PROJECT_ROOT
from bot.nlp.embeddings import Embedder, load_embedder
from bot.nlp.text import lemmas
from bot.services.knowledge.stack import COLLECTIONS, RetrievalStack
from storage.vectors import VectorStore


class CachingEmbedder:
    """The real model with a memo: every test builds its own index from the same few texts, and embedding them
    again each time would dominate the suite's run time. Same name and vectors as the model it wraps."""

    def __init__(self, inner: Embedder) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self._documents: dict[str, list[float]] = {}
        self._queries: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._documents]
        for text, vector in zip(missing, self.inner.embed_documents(missing), strict=True):
            self._documents[text] = vector
        return [self._documents[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        if text not in self._queries:
            self._queries[text] = self.inner.embed_query(text)
        return self._queries[text]


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return CachingEmbedder(load_embedder("auto"))


class HashEmbedder:
    """A tiny deterministic stand-in model (lemma hashing), used where only the model's identity matters."""

    def __init__(self, name: str = "test-hash-v1", dim: int = 64) -> None:
        self.name, self.dim = name, dim

    def _vector(self, text: str) -> list[float]:
        vec = np.zeros(self.dim, dtype=np.float32)
        for lemma in lemmas(text) or ["пусто"]:
            vec[int(hashlib.md5(lemma.encode()).hexdigest(), 16) % self.dim] += 1.0
        return (vec / np.linalg.norm(vec)).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def script_md(
    situation: str,
    type_: str,
    title: str,
    opening: str,
    phrases: str = "- «Спасибо, что сказали прямо».",
    template: str = "Здравствуйте!{% if deal %} По сделке «{{ deal }}»:{% endif %} предлагаем созвониться"
    "{% if next_date %} {{ next_date }}{% endif %}.",
    keywords: str = "[пример]",
) -> str:
    return (
        textwrap.dedent(
            f"""\
        ---
        id: {situation}.{type_}
        title: {title}
        type: {type_}
        situation: {situation}
        channel: звонок
        goal: {title}
        keywords: {keywords}
        ---
        ## Открытие
        {opening}

        ## Ключевые фразы
        {phrases}

        ## Чего избегать
        - Спорить и оправдываться.

        ## Следующий шаг
        - Договориться о звонке.

        ## Как закрываем потребности типа
        - Даём то, что клиенту важно.

        ## Шаблон ответа
        """
        )
        + template
        + "\n"
    )


ARTICLE_RETENTION = """\
---
id: retention
title: Удержание клиентов
topics: [удержание, лояльность]
source: [seed.txt]
---

## Почему удерживать выгоднее

Удержание действующих клиентов обходится дешевле, чем привлечение новых. Постоянный клиент покупает чаще и больше.

## Ядро клиентской базы

Ядро — клиенты, которые дают основную выручку. С ними регулярно встречаются, просят рекомендации и проводят интервью.
"""

ARTICLE_GOST = """\
---
id: standards
title: Стандарты и документы
topics: [документы]
source: [seed.txt]
---

## Ссылки на стандарты

Для неуверенных клиентов в договоре указывают ГОСТ 30772 и номер технических условий ТУ 5772-001.
Сертификаты прикладывают к каждому коммерческому предложению.

## Как вести переписку с поставщиком сырья

Письма поставщику сырья пишут коротко и по делу: что нужно, в каком объёме и к какой дате.
"""

COMMITMENTS = """\
working_day_hours: 8
departments:
  - id: logistics
    name: Отдел логистики
    commitments:
      - id: logistics.shipping_date
        what: Подтверждение даты отгрузки клиенту
        lead_time: 4 рабочих часа
        standard: письменное подтверждение даты и окна доставки
        needs_from_requester: [номер заказа, адрес доставки]
        keywords: [отгрузка, дата, доставка]
"""


def write_project(root: Path) -> Path:
    """A small but complete project tree: 5 scripts, 2 articles, 1 commitment, the real situation cues."""
    scripts = {
        ("price_objection", "nonemotional_confident"): script_md(
            "price_objection",
            "nonemotional_confident",
            "Возражение по цене — неэмоциональный уверенный",
            "Покажите расчёт экономии в цифрах: таблица сравнения с конкурентом по полной стоимости владения.",
            keywords="[дорого, скидка, конкурент, экономия]",
        ),
        ("price_objection", "undetermined"): script_md(
            "price_objection",
            "undetermined",
            "Возражение по цене — общий",
            "Спросите, с чем клиент сравнивает цену, и объясните, из чего она складывается.",
            keywords="[дорого, цена, сравнение]",
        ),
        ("delay_notice", "undetermined"): script_md(
            "delay_notice",
            "undetermined",
            "Задержка поставки — общий",
            "Первым сообщите о переносе срока, назовите новую дату и что делаете, чтобы не повторилось.",
            keywords="[задержка, срок, груз]",
        ),
        ("delay_notice", "nonemotional_unconfident"): script_md(
            "delay_notice",
            "nonemotional_unconfident",
            "Задержка поставки — неэмоциональный неуверенный",
            "Дайте письменное подтверждение новой даты и план контроля: кто и когда сообщит о статусе.",
            keywords="[задержка, гарантия, подтверждение]",
        ),
        ("congratulation", "emotional_confident"): script_md(
            "congratulation",
            "emotional_confident",
            "Поздравление — эмоциональный уверенный",
            "Поздравьте лично первое лицо с юбилеем компании и отметьте его вклад в общий успех.",
            keywords="[юбилей, праздник, поздравление]",
        ),
    }
    for (situation, type_), text in scripts.items():
        path = root / "scripts_library" / situation / f"{type_}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    articles = root / "knowledge" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    (articles / "retention.md").write_text(ARTICLE_RETENTION, encoding="utf-8")
    (articles / "standards.md").write_text(ARTICLE_GOST, encoding="utf-8")
    (root / "knowledge" / "service_commitments.yaml").write_text(COMMITMENTS, encoding="utf-8")
    shutil.copy(PROJECT_ROOT / "knowledge" / "situation_cues.yaml", root / "knowledge" / "situation_cues.yaml")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


@pytest.fixture
def store(tmp_path: Path) -> VectorStore:
    """For ingestion mechanics only the model's identity matters: the hashing stand-in is instant."""
    return VectorStore.open(HashEmbedder(), COLLECTIONS, path=tmp_path / "chroma")


@pytest.fixture
def stack(project: Path, tmp_path: Path, embedder: Embedder) -> RetrievalStack:
    return RetrievalStack.open(project, chroma_path=tmp_path / "chroma", embedder=embedder)


@pytest.fixture(scope="session")
def real_stack(
    embedder: Embedder, pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> RetrievalStack:
    """The real project's corpus, indexed in pytest's cache folder: ingestion is incremental, so only the first
    run (or changed files) pays for embedding. With the cache plugin off (`-p no:cacheprovider`) the config has no
    `cache` at all; a session temp folder then does (the shipped vectors keep that cheap), so the guard still runs."""
    cache = getattr(pytestconfig, "cache", None)
    folder = (
        Path(cache.mkdir("retrieval-chroma")) if cache is not None else tmp_path_factory.mktemp("retrieval-chroma")
    )
    return RetrievalStack.open(PROJECT_ROOT, chroma_path=folder, embedder=load_embedder("auto"))
