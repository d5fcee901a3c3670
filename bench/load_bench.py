"""Load benchmark: many managers at once against the real bot, over the test suite's own Bot API server.

    .venv/bin/python -m bot bench load [--backend sqlite|postgres|all] [--managers 50] [--seconds 60]

The bot runs as it does in production, in a process of its own (`python -m bot run`, long polling), pointed at the
suite's fake Bot API server (tests/fake_telegram), which this process runs along with the simulated managers. Each
manager pastes a client message (texts of datasets/behaviour/dev.jsonl), gets the question «Чьё это сообщение?»,
presses «Без клиента» and waits for the suggestion card. Latency is taken at the Bot API server: from the moment the
button press is available to the bot to the moment the card is sent — what a manager waits for.

Phases, on a fresh database each time:
1. cold burst: N managers the bot has never seen send their first message at the same moment (first contact: the
   user row, the role, the FSM state); their first reply latency (max is the target), then the N presses at once;
2. steady: every manager at a busy pace — a new client message every `pace` seconds on average (±50 %), far more
   than a person handles — for `seconds`; card latency p50 / p95 (the target is on this phase);
3. saturation: every manager in a closed loop as fast as the bot answers (each keeps under the bot's per-person
   flood limit of 30 updates in 10 s); cards per second.

A card that does not come within `reply_timeout` seconds, or an apology instead of it, is a lost card. The bot's CPU
time per card is read from /proc: on a shared machine wall time includes waiting for a core, CPU time does not.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TextIO

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from tests.fake_telegram import FakeTelegram, TgUser  # noqa: E402  (the suite's own Bot API server)
from tests.fake_telegram.server import SentMessage  # noqa: E402

APOLOGY = "произошла ошибка"
TOO_FAST = "Сообщений слишком много подряд"
CARD_MARK = "Тип:"
NO_CLIENT = "Без клиента"
MIN_CYCLE = 0.7  # seconds per card per person at saturation: 2 updates a card stays under 30 updates in 10 s
BOT_COMMAND = [sys.executable, "-m", "bot", "run"]  # a profiler can be put in front of it
USER_BASE = 7_000_000_000  # Telegram ids of the simulated managers start here (plus a random offset per run)


# The Bot API server, with per-chat inboxes ------------------------------------------------------------------------
class LoadTelegram(FakeTelegram):
    """The suite's fake Bot API server, telling each simulated manager at once what was sent to them."""

    def __init__(self, bot_id: int) -> None:
        super().__init__(bot_id=bot_id)
        self.inbox: dict[int, asyncio.Queue[tuple[float, SentMessage]]] = defaultdict(asyncio.Queue)
        self.polls = 0

    def _record(
        self, method: str, chat_id: int, text: str, markup: dict[str, Any] | None, params: dict[str, Any]
    ) -> SentMessage:
        sent = super()._record(method, chat_id, text, markup, params)
        self.inbox[chat_id].put_nowait((time.perf_counter(), sent))
        return sent

    async def _m_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.polls += 1
        offset = int(params.get("offset", 0) or 0)
        if offset:  # confirmed updates are gone for good, as in Telegram: keeps every poll cheap
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        return await super()._m_getupdates(params)


# Measuring ------------------------------------------------------------------------------------------------------
@dataclass
class Phase:
    name: str
    first_reply_ms: list[float] = field(default_factory=list)  # message → question
    card_ms: list[float] = field(default_factory=list)  # button press → card
    lost: int = 0
    lost_why: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: float = 0.0
    bot_cpu_seconds: float = 0.0
    first_contacts_cpu_seconds: float = 0.0  # the bot's CPU for the burst's first messages alone

    @property
    def cards(self) -> int:
        return len(self.card_ms)

    def summary(self) -> dict[str, Any]:
        return {
            "cards": self.cards,
            "lost": self.lost,
            "lost_why": dict(self.lost_why),
            "card_ms": _stats(self.card_ms),
            "first_reply_ms": _stats(self.first_reply_ms),
            "seconds": round(self.seconds, 1),
            "cards_per_second": round(self.cards / self.seconds, 1) if self.seconds else 0.0,
            "bot_cpu_ms_per_card": round(1000 * self.bot_cpu_seconds / self.cards, 1) if self.cards else None,
            "first_contacts_bot_cpu_ms": round(1000 * self.first_contacts_cpu_seconds),
        }


def _pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _stats(values: Sequence[float]) -> dict[str, float] | None:
    if not values:
        return None
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 1),
        "p95": round(_pct(values, 0.95), 1),
        "max": round(max(values), 1),
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), 0.0 where /proc is not available."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# One simulated manager ----------------------------------------------------------------------------------------------
class Manager:
    def __init__(self, tg: LoadTelegram, user: TgUser, texts: list[str], timeout: float, rng: random.Random) -> None:
        self.tg, self.user, self.texts, self.timeout, self.rng = tg, user, texts, timeout, rng

    async def _next(self) -> tuple[float, SentMessage] | None:
        try:
            return await asyncio.wait_for(self.tg.inbox[self.user.id].get(), self.timeout)
        except TimeoutError:
            return None

    def paste(self) -> float:
        self.tg.send_text(self.user, self.rng.choice(self.texts))
        return time.perf_counter()

    async def question(self, phase: Phase, sent_at: float) -> SentMessage | None:
        got = await self._next()
        if got is None or NO_CLIENT not in json.dumps(got[1].reply_markup or {}, ensure_ascii=False):
            self._lose(phase, got, "no question")
            return None
        phase.first_reply_ms.append((got[0] - sent_at) * 1000)
        return got[1]

    def press(self, question: SentMessage) -> float:
        self.tg.press(self.user, question, question.button(NO_CLIENT)["callback_data"])
        return time.perf_counter()

    async def card(self, phase: Phase, pressed_at: float) -> bool:
        got = await self._next()
        if got is None or CARD_MARK not in got[1].text:
            self._lose(phase, got, "no card")
            return False
        phase.card_ms.append((got[0] - pressed_at) * 1000)
        return True

    async def cycle(self, phase: Phase) -> bool:
        question = await self.question(phase, self.paste())
        return question is not None and await self.card(phase, self.press(question))

    def _lose(self, phase: Phase, got: tuple[float, SentMessage] | None, what: str) -> None:
        phase.lost += 1
        if got is None:
            phase.lost_why[f"{what}: timeout"] += 1
        elif APOLOGY in got[1].text:
            phase.lost_why[f"{what}: apology"] += 1
        elif TOO_FAST in got[1].text:
            phase.lost_why[f"{what}: throttled"] += 1
        else:
            phase.lost_why[f"{what}: unexpected reply"] += 1
        self.tg.inbox[self.user.id] = asyncio.Queue()  # start the next cycle clean


# Phases ---------------------------------------------------------------------------------------------------------
async def cold_burst(managers: list[Manager], bot_cpu: Callable[[], float]) -> Phase:
    phase = Phase("cold burst")
    started, cpu = time.perf_counter(), bot_cpu()
    sent_at = [m.paste() for m in managers]  # all first contacts land in the same getUpdates
    questions = await asyncio.gather(*(m.question(phase, t) for m, t in zip(managers, sent_at, strict=True)))
    phase.first_contacts_cpu_seconds = bot_cpu() - cpu
    pressing = [(m, q) for m, q in zip(managers, questions, strict=True) if q is not None]
    pressed_at = [m.press(q) for m, q in pressing]
    await asyncio.gather(*(m.card(phase, t) for (m, _), t in zip(pressing, pressed_at, strict=True)))
    phase.seconds = time.perf_counter() - started
    return phase


async def steady(managers: list[Manager], seconds: float, pace: float) -> Phase:
    phase = Phase("steady")
    deadline = time.perf_counter() + seconds

    async def run(m: Manager) -> None:
        await asyncio.sleep(m.rng.uniform(0, pace))  # spread the starts over one pace
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            await m.cycle(phase)
            await asyncio.sleep(max(0.0, pace * m.rng.uniform(0.5, 1.5) - (time.perf_counter() - began)))

    started = time.perf_counter()
    await asyncio.gather(*(run(m) for m in managers))
    phase.seconds = time.perf_counter() - started
    return phase


async def saturation(managers: list[Manager], seconds: float) -> Phase:
    phase = Phase("saturation")
    deadline = time.perf_counter() + seconds

    async def run(m: Manager) -> None:
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            await m.cycle(phase)
            await asyncio.sleep(max(0.0, MIN_CYCLE - (time.perf_counter() - began)))

    started = time.perf_counter()
    await asyncio.gather(*(run(m) for m in managers))
    phase.seconds = time.perf_counter() - started
    return phase


# The bot process ------------------------------------------------------------------------------------------------
@dataclass
class Backend:
    name: str
    database_url: str | None = None
    redis_url: str | None = None
    cleanup: list[Any] = field(default_factory=list)


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


async def _postgres_backend(pg_url: str, redis_url: str) -> Backend | str:
    from urllib.parse import urlparse

    import asyncpg

    parsed = urlparse(pg_url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 5432
    if not _port_open(host, port):
        return f"PostgreSQL is not running at {host}:{port}"
    redis = urlparse(redis_url)
    if not _port_open(redis.hostname or "127.0.0.1", redis.port or 6379):
        return f"Redis is not running at {redis.hostname}:{redis.port}"
    name = f"copilot_bench_{uuid.uuid4().hex[:8]}"
    admin = pg_url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()

    async def drop() -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    url = f"postgresql+asyncpg://{parsed.netloc}/{name}"
    return Backend("PostgreSQL + Redis", database_url=url, redis_url=redis_url, cleanup=[drop])


async def _forget_fsm_keys(redis_url: str, user_ids: set[int]) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(redis_url)
    try:
        wanted = {str(user_id).encode() for user_id in user_ids}
        # Keys are copilot:fsm:<chat>:<user>:<part>; in a private chat the chat is the person.
        found = client.scan_iter(match="copilot:fsm:*", count=1000)
        keys = [key async for key in found if key.split(b":")[2] in wanted]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


def _start_bot(tg: LoadTelegram, backend: Backend, data_dir: Path, managers: list[TgUser]) -> subprocess.Popen[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(data_dir)),
        "PYTHONPATH": str(PROJECT_ROOT),  # this checkout's bot, whatever is installed
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE": tg.base_url,
        "BOT_MANAGERS": ",".join(str(u.id) for u in managers),
        "DATA_DIR": str(data_dir),
        "LOG_LEVEL": "WARNING",
    }
    if backend.database_url:
        env["DATABASE_URL"] = backend.database_url
    if backend.redis_url:
        env["REDIS_URL"] = backend.redis_url
    # cwd is a fresh folder: no developer's .env is read (the settings above are the whole configuration)
    return subprocess.Popen(
        BOT_COMMAND,
        cwd=data_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


async def _wait_ready(tg: LoadTelegram, bot: subprocess.Popen[str], start_limit: float = 180.0) -> float:
    started = time.perf_counter()
    while tg.polls == 0:
        if bot.poll() is not None:
            raise RuntimeError(f"the bot stopped at start:\n{bot.stderr.read() if bot.stderr else ''}")
        if time.perf_counter() - started > start_limit:
            raise RuntimeError("the bot did not start polling in time")
        await asyncio.sleep(0.1)
    return time.perf_counter() - started


def _stop_bot(bot: subprocess.Popen[str]) -> str:
    if bot.poll() is None:
        bot.send_signal(signal.SIGINT)
        try:
            bot.wait(timeout=20)
        except subprocess.TimeoutExpired:
            bot.kill()
            bot.wait()
    return bot.stderr.read() if bot.stderr else ""


async def run_backend(
    backend: Backend,
    *,
    managers: int,
    seconds: float,
    saturation_seconds: float,
    pace: float,
    reply_timeout: float,
    seed: int,
) -> dict[str, Any]:
    rng = random.Random(seed)
    texts = [
        json.loads(line)["text"]
        for line in (PROJECT_ROOT / "datasets" / "behaviour" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    base = USER_BASE + rng.randrange(1_000_000) * 1000
    users = [TgUser(base + i, f"Менеджер{i}", f"bench_mgr_{base + i}") for i in range(managers)]
    tg = LoadTelegram(bot_id=rng.randrange(100_000, 999_999))
    await tg.start()
    result: dict[str, Any] = {"backend": backend.name, "managers": managers}
    with tempfile.TemporaryDirectory(prefix="copilot-load-") as tmp:
        bot = _start_bot(tg, backend, Path(tmp), users)
        log = ""
        try:
            result["start_seconds"] = round(await _wait_ready(tg, bot), 1)
            crowd = [Manager(tg, u, texts, reply_timeout, random.Random(rng.random())) for u in users]
            phases: list[Phase] = []
            bot_cpu = partial(_cpu_seconds, bot.pid)
            for make in (
                lambda: cold_burst(crowd, bot_cpu),
                lambda: steady(crowd, seconds, pace),
                lambda: saturation(crowd, saturation_seconds),
            ):
                cpu = bot_cpu()
                phase = await make()
                phase.bot_cpu_seconds = bot_cpu() - cpu
                phases.append(phase)
            result["phases"] = {p.name: p.summary() for p in phases}
            result["errors_at_api"] = len(tg.errors)
        finally:
            log = _stop_bot(bot)
            await tg.stop()
            if backend.redis_url:
                await _forget_fsm_keys(backend.redis_url, {u.id for u in users})
    result["bot_log_errors"] = [line for line in log.splitlines() if "ERROR" in line][:5]
    result["bot_log"] = log
    result["lost"] = sum(p["lost"] for p in result["phases"].values())
    return result


def _row(name: str, value: Any) -> str:
    return f"| {name} | {value} |"


def print_report(result: dict[str, Any], out: TextIO, *, pace: float) -> None:
    phases = result["phases"]
    burst, steady_, sat = phases["cold burst"], phases["steady"], phases["saturation"]

    def ms(stats: dict[str, float] | None, *keys: str) -> str:
        return " / ".join(f"{stats[k]:.0f}" for k in keys) + " ms" if stats else "—"

    lines = [
        f"\n### {result['backend']}: {result['managers']} managers (bot start {result['start_seconds']} s)\n",
        "| figure | value |",
        "| --- | --- |",
        _row("cards lost (all phases; must be 0)", f"**{result['lost']}**"),
        _row(
            f"steady: card p50 / p95 / max ({steady_['cards']} cards, a message every {pace:.0f} s per manager)",
            ms(steady_["card_ms"], "p50", "p95", "max"),
        ),
        _row(
            f"cold burst: first reply p50 / max ({result['managers']} first contacts at once; "
            f"bot CPU for them {burst['first_contacts_bot_cpu_ms']} ms)",
            ms(burst["first_reply_ms"], "p50", "max"),
        ),
        _row("cold burst: then all press at once, card p50 / max", ms(burst["card_ms"], "p50", "max")),
        _row(
            "saturation: cards per second (card p50 / p95)",
            f"{sat['cards_per_second']} ({ms(sat['card_ms'], 'p50', 'p95')})",
        ),
        _row(
            "bot CPU per card (steady / saturation)",
            f"{steady_['bot_cpu_ms_per_card']} / {sat['bot_cpu_ms_per_card']} ms",
        ),
    ]
    if result["lost"]:
        lines.append(_row("why lost", json.dumps({k: v["lost_why"] for k, v in phases.items()}, ensure_ascii=False)))
    if result["bot_log_errors"]:
        lines.append(_row("bot log errors", "; ".join(result["bot_log_errors"])))
    print("\n".join(lines), file=out, flush=True)


async def run_load_bench(
    out: TextIO,
    *,
    backends: Sequence[str] = ("postgres", "sqlite"),
    managers: int = 50,
    seconds: float = 60.0,
    saturation_seconds: float = 30.0,
    pace: float = 10.0,
    reply_timeout: float = 30.0,
    pg_url: str = "postgresql://postgres@127.0.0.1:5432/test",
    redis_url: str = "redis://127.0.0.1:6379/0",
    seed: int = 12,
) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load benchmark: {os.cpu_count()} CPUs, load average {load:.2f} at start", file=out, flush=True)
    for name in backends:
        backend: Backend | str = Backend("SQLite") if name == "sqlite" else await _postgres_backend(pg_url, redis_url)
        if isinstance(backend, str):
            print(f"\n### PostgreSQL + Redis: skipped ({backend})", file=out, flush=True)
            continue
        try:
            result = await run_backend(
                backend,
                managers=managers,
                seconds=seconds,
                saturation_seconds=saturation_seconds,
                pace=pace,
                reply_timeout=reply_timeout,
                seed=seed,
            )
        finally:
            for cleanup in backend.cleanup:
                await cleanup()
        print_report(result, out, pace=pace)
        results.append(result)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "all"], default="all")
    parser.add_argument("--managers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    backends = ("postgres", "sqlite") if args.backend == "all" else (args.backend,)
    results = asyncio.run(run_load_bench(sys.stdout, backends=backends, managers=args.managers, seconds=args.seconds))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return 1 if any(r["lost"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
