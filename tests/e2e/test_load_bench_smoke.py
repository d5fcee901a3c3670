"""The load benchmark still runs end to end with tiny numbers (the real bot in its own process, the suite's Bot API
server, both storage set-ups), so `python -m bot bench load` cannot rot. Its figures are not asserted: speed is
measured by the benchmark, not by tests; only that nothing was lost and every phase produced cards."""

from __future__ import annotations

import io
import sys

import pytest

from bot.config import PROJECT_ROOT
from tests.conftest import PG_ADMIN_DB, PG_HOST, PG_PORT, REDIS_URL, _port_open


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_load_bench_runs_on_a_tiny_crowd(backend: str) -> None:
    if backend == "postgres" and not (_port_open(PG_HOST, PG_PORT) and _port_open("127.0.0.1", 6379)):
        pytest.skip("PostgreSQL or Redis is not running; start them to run the PostgreSQL + Redis benchmark")
    sys.path.insert(0, str(PROJECT_ROOT))  # bench/ lives beside the packages, as `python -m bot bench` does
    from bench.load_bench import run_load_bench

    out = io.StringIO()
    (result,) = await run_load_bench(
        out,
        backends=(backend,),
        managers=3,
        seconds=2.0,
        saturation_seconds=1.0,
        pace=1.0,
        pg_url=f"postgresql://postgres@{PG_HOST}:{PG_PORT}/{PG_ADMIN_DB}",
        redis_url=REDIS_URL,
    )
    assert result["lost"] == 0, result["phases"]
    assert not result["bot_log_errors"], result["bot_log_errors"]
    burst = result["phases"]["cold burst"]
    assert burst["cards"] == 3 and burst["first_reply_ms"]["n"] == 3
    assert result["phases"]["steady"]["cards"] >= 3 and result["phases"]["saturation"]["cards"] >= 1
    assert "cards lost" in out.getvalue() and "| **0** |" in out.getvalue()
