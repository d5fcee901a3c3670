"""One thread for native math libraries unless the environment says otherwise.

The bot answers many small requests on small machines (two cores here). A multi-threaded BLAS call on a
vector of a few thousand rows gains nothing, and its worker threads then spin waiting for the next call,
taking a core from the event loop and the embedder: measured here, the process CPU time of a retrieval
query doubled with OpenBLAS on two threads while its latency did not move. The embedder follows the same
rule for its OpenMP threads (bot/nlp/embeddings.py). OPENBLAS_NUM_THREADS / OMP_NUM_THREADS still win.
"""

from __future__ import annotations

import os

_applied = False


def limit_native_threads() -> None:
    """Cap BLAS thread pools at one thread (once per process), unless the environment sets a number."""
    global _applied
    if _applied or os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS"):
        return
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")
    _applied = True
