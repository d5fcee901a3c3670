"""The import benchmark runs end to end on a tiny company (its figures are in docs/BENCHMARKS.md, not asserted)."""

from __future__ import annotations

import io

from bench.import_bench import run_import_bench


def test_the_import_benchmark_loads_what_it_generates() -> None:
    out = io.StringIO()
    run_import_bench(out, n_clients=20)
    text = out.getvalue()
    expected = "clients: +20 ~0 =0; deals: +40 ~0 =0; interactions: +100 ~0 =0; promises: +4 ~0 =0; incidents: +4 ~0 =0"
    assert text.count(expected) == 2  # JSON and the .zip of Windows-1251 CSV load the same company
    assert text.count("повторная (всё без изменений)") == 2
