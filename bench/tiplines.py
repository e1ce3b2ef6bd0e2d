"""Tiplines: how fast the Telegram webhook accepts messages, and how soon a reporter hears back.

What it measures, against a real `baraza serve` (waitress, 8 threads, plus its Huey worker) on a
fresh SQLite data dir, with a fake Telegram Bot API (`channels.tests.fake_telegram`) on loopback
inside this process, so every reply the worker sends is received and timed here:

1. Webhook throughput. Closed loop (each of --concurrency keep-alive connections sends its next
   request as soon as the previous answer arrives) against the no-op ``GET /api/health``, then
   against ``POST /channels/telegram/webhook`` with distinct valid updates, each from its own
   chat id (the per-sender limit never applies; BARAZA_CHANNEL_SENDER_RATE and
   BARAZA_CHANNEL_RATE are set to 100000/m and BARAZA_RATELIMIT_ENABLE=false): requests/s, p50,
   p99 and the ratio webhook rps / no-op rps. The worker handles the messages and sends replies
   meanwhile; afterwards the fake is polled until every accepted message was answered (or
   --drain-timeout passes): replies received, time to the first and the last, the worker's
   messages/s while polled and, when it did not finish, how long the rest would take at that
   rate (a full drain of an 8 s burst can take many minutes: raise --drain-timeout to see it).
2. Time from message to reply. A library of --library CLEF 2020 claims (every claim of the dev
   split's qrels, the rest drawn at random from verified_claims.docs.tsv) is loaded with
   `baraza import-factchecks` before the server starts; two train tweets warm the worker (the
   first builds the library's replica); then --messages dev tweets are sent strictly one at a
   time, each from its own chat id, and for each the time from sending the webhook POST to the
   fake receiving the `sendMessage` for that chat: p50, p99, how many replies were answers from
   a fact-check ("already been checked"; and whether it was the tweet's own claim) and how many
   tracking-code acknowledgements. In the same run, after the server stops, the in-process
   encoder (`default_encoder().encode_queries([text])`, fresh vector cache) on the same texts
   one at a time: p50, and the ratio reply p50 / encoder p50.
3. Peak resident memory of the serve process and its children (the worker), sampled from /proc
   every 0.2 s for the whole run, against the 1 GB budget of the embedded default.

Phase 2 runs before phase 1, so its worker is idle. The data dir is a temporary folder, removed
afterwards. The script prints figures; it does not pass or fail. It takes about 5-6 minutes on
a 2-core machine, two of them the first message's wait while the worker embeds the library.
Run it with

    uv run python bench/tiplines.py [--concurrency 6] [--duration 8] [--messages 100]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, overload

from footprint import children, rss_kb
from intake_throughput import (
    HEADERS,
    HOST,
    Request,
    Result,
    bench_env,
    closed_loop,
    describe,
    free_port,
    start_server,
    stop_server,
    wait_for_health,
)
from match_quality import DATA, read_qrels, read_tsv
from sample_reports import make_reports, warn_if_busy

from baraza.channels.tests.fake_telegram import SECRET, TOKEN, FakeTelegram, message_update
from baraza.channels.tests.upstream import Answer, Recorded

WEBHOOK = "/channels/telegram/webhook"
WEBHOOK_HEADERS = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
FACTCHECK_URL = "https://factcheck.example.org/clef2020/{}"
ANSWERED = "already been checked"
ANSWER_KIND, ACK_KIND = "fact-check answer", "tracking-code ack"
BUDGET_RSS_MB = 1024
# Chat ids of each phase, apart so no reply is counted twice.
WARM_CHATS, LATENCY_CHATS, LOAD_CHATS = 500_000_000, 600_000_000, 700_000_000


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile, as intake_throughput's Result computes it."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# --- the fake Telegram, timing each reply -----------------------------------------------------


@dataclass
class Reply:
    at: float  # perf_counter when the fake received the sendMessage
    text: str


class TimedTelegram(FakeTelegram):
    """FakeTelegram that notes when each sendMessage arrived, per chat id."""

    def __init__(self) -> None:
        super().__init__()
        self.replies: dict[int, list[Reply]] = {}
        self.arrived = threading.Condition()

    def answer(self, request: Recorded) -> Answer:
        at = time.perf_counter()
        if request.path.endswith("/sendMessage"):
            params = _params(request)
            with self.arrived:
                chat = int(params["chat_id"])
                self.replies.setdefault(chat, []).append(Reply(at, str(params["text"])))
                self.arrived.notify_all()
        return super().answer(request)

    def first_reply(self, chat_id: int, timeout: float) -> Reply | None:
        with self.arrived:
            self.arrived.wait_for(lambda: chat_id in self.replies, timeout)
            found = self.replies.get(chat_id)
        return found[0] if found else None

    def answered_in(self, chats: range) -> list[Reply]:
        with self.arrived:
            return [found[0] for chat, found in self.replies.items() if chat in chats]


def _params(request: Recorded) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        loaded: dict[str, Any] = request.json()
        return loaded
    return request.form()


# --- memory -----------------------------------------------------------------------------------


@dataclass
class MemorySampler:
    """Peak RSS of a process and its descendants, sampled in a thread."""

    root: int
    interval: float = 0.2
    peak_total_kb: int = 0
    peak_by_pid: dict[int, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> MemorySampler:
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _tree(self) -> list[int]:
        pids, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            with suppress(OSError):
                todo.extend(children(pid))
        return pids

    def sample(self) -> None:
        total = 0
        for pid in self._tree():
            try:
                kb = rss_kb(pid)
                if pid not in self.names:
                    self.names[pid] = _command_line(pid)
            except OSError:
                continue
            total += kb
            self.peak_by_pid[pid] = max(self.peak_by_pid.get(pid, 0), kb)
        self.peak_total_kb = max(self.peak_total_kb, total)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()


def _command_line(pid: int) -> str:
    words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    return " ".join(w.decode(errors="replace") for w in words[1:5] if w)


# --- data -------------------------------------------------------------------------------------


@dataclass
class Clef:
    claims: dict[str, str]  # claim id -> claim
    dev: list[tuple[str, str, set[str]]]  # tweet id, text, its claims
    train: list[str]


def read_clef() -> Clef:
    rows = read_tsv(DATA / "verified_claims.docs.tsv").items()
    # A few claims span lines; read without quoting (as match_quality does), their tails are
    # rows of their own, which are left out here.
    claims = {key: row["vclaim"] for key, row in rows if key.isdigit() and row["vclaim"]}

    def split(name: str) -> list[tuple[str, str, set[str]]]:
        tweets = read_tsv(DATA / name / "tweets.queries.tsv")
        qrels = read_qrels(DATA / name / "tweet-vclaim-pairs.qrels")
        return [(key, row["tweet_content"], qrels.get(key, set())) for key, row in tweets.items()]

    return Clef(claims, split("dev"), [text for _key, text, _ in split("train")])


def library(clef: Clef, size: int, seed: int = 2020) -> list[str]:
    """Claim ids: every claim a dev tweet is paired with, then random others up to `size`."""
    wanted = sorted({claim for _key, _text, found in clef.dev for claim in found}, key=int)
    rest = sorted(set(clef.claims) - set(wanted), key=int)
    random.Random(seed).shuffle(rest)
    return wanted + rest[: max(0, size - len(wanted))]


def write_library(clef: Clef, ids: list[str], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for claim_id in ids:
            record = {
                "claim": clef.claims[claim_id],
                "rating": "False",
                "url": FACTCHECK_URL.format(claim_id),
                "author": "CLEF CheckThat! 2020",
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def baraza(env: dict[str, str], *args: str) -> str:
    command = [sys.executable, "-m", "baraza.cli", *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"`baraza {' '.join(args)}` failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# --- requests ---------------------------------------------------------------------------------


def update_body(text: str, chat_id: int) -> bytes:
    return json.dumps(message_update(text, chat_id=chat_id), ensure_ascii=False).encode()


class Updates(Sequence[Request]):
    """Webhook requests made when asked for, each from its own chat (`first + index`)."""

    def __init__(self, texts: list[str], first: int, size: int) -> None:
        self.texts, self.first, self.size = texts, first, size
        self.highest = -1
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> Request: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Request]: ...
    def __getitem__(self, index: int | slice) -> Request | Sequence[Request]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.size))]
        with self._lock:
            self.highest = max(self.highest, index)
        body = update_body(self.texts[index % len(self.texts)], self.first + index)
        return ("POST", WEBHOOK, body)

    def __iter__(self) -> Iterator[Request]:
        return (self[i] for i in range(self.size))

    @property
    def chats(self) -> range:
        return range(self.first, self.first + self.highest + 1)


def post_update(port: int, body: bytes) -> tuple[float, int]:
    """POST one update on a new connection; (perf_counter just before sending, status)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.connect()
        sent = time.perf_counter()
        conn.request("POST", WEBHOOK, body=body, headers=WEBHOOK_HEADERS)
        response = conn.getresponse()
        response.read()
        return sent, response.status
    finally:
        conn.close()


# --- phase 2: time to reply -------------------------------------------------------------------


@dataclass
class Timed:
    latency: float | None  # seconds, None when no reply came
    status: int
    text: str
    right_claim: bool


def one_reply(fake: TimedTelegram, port: int, text: str, chat: int, timeout: float) -> Timed:
    sent, status = post_update(port, update_body(text, chat))
    reply = fake.first_reply(chat, timeout) if status == 200 else None
    if reply is None:
        return Timed(None, status, "", False)
    return Timed(reply.at - sent, status, reply.text, False)


def warm_up(fake: TimedTelegram, port: int, texts: list[str]) -> list[float | None]:
    """The first messages: the worker loads the encoder and embeds the whole library."""
    return [
        one_reply(fake, port, text, WARM_CHATS + n, 300).latency for n, text in enumerate(texts)
    ]


def time_replies(
    fake: TimedTelegram, port: int, tweets: list[tuple[str, str, set[str]]], timeout: float
) -> list[Timed]:
    results: list[Timed] = []
    for n, (_key, text, claims) in enumerate(tweets):
        timed = one_reply(fake, port, text, LATENCY_CHATS + n, timeout)
        urls = {FACTCHECK_URL.format(claim) for claim in claims}
        timed.right_claim = ANSWERED in timed.text and any(url in timed.text for url in urls)
        results.append(timed)
        if (n + 1) % 25 == 0:
            print(f"  {n + 1} sent, {sum(t.latency is not None for t in results)} replied")
        if len(results) >= 5 and all(t.latency is None for t in results[-5:]):
            print("!! five messages in a row got no reply: the timed phase stops here")
            break
    return results


def kind_of(text: str) -> str:
    if not text:
        return "no reply"
    if ANSWERED in text:
        return ANSWER_KIND
    if "tracking code" in text:
        return ACK_KIND
    return "other"


def read_only(db_path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True))


def stages(db_path: Path, skip: int, replied: int) -> dict[str, tuple[list[float], list[float]]]:
    """Per reply kind, from the database: webhook stored -> reply written (handling) and reply
    written -> sent (waiting in the queue, then the send), in ms. Each sender of the timed
    phase sent one message; the first `skip` messages (the warm-up) are left out. The worker
    marks a reply sent after the provider answered, so this waits (up to 10 s) for `replied`
    rows."""
    query = """
        SELECT o.kind, i.received_at, o.created_at, o.sent_at
        FROM channels_outboundmessage o JOIN channels_inboundmessage i ON i.sender_id = o.sender_id
        WHERE o.sent_at IS NOT NULL
          AND i.id NOT IN (SELECT id FROM channels_inboundmessage ORDER BY id LIMIT ?)"""
    deadline = time.perf_counter() + 10
    while True:
        with read_only(db_path) as conn:
            rows = conn.execute(query, (skip,)).fetchall()
        if len(rows) >= replied or time.perf_counter() > deadline:
            break
        time.sleep(0.2)
    found: dict[str, tuple[list[float], list[float]]] = {}
    for kind, received, created, sent in rows:
        handling, sending = found.setdefault(kind, ([], []))
        handling.append(_ms_between(received, created))
        sending.append(_ms_between(created, sent))
    return found


def _ms_between(earlier: str, later: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds() * 1000


# --- phase 1: throughput and drain ------------------------------------------------------------


@dataclass
class Drain:
    expected: int  # messages stored during the closed loop
    replied: int  # of them, answered at the fake by the end
    first: float | None  # seconds after the closed loop ended
    last: float | None
    waited: float  # seconds polled
    handled: int  # messages the worker handled while polled (the whole database)
    left: int  # messages still waiting for the worker at the end
    queued: int  # replies written but not sent yet at the end


def drain(fake: TimedTelegram, chats: range, expected: int, db_path: Path, timeout: float) -> Drain:
    """Wait until `expected` chats in `chats` have a reply (or the timeout); report when."""
    since = time.perf_counter()
    waiting_before = channel_counts(db_path)[0]["received"]
    while time.perf_counter() < since + timeout:
        if len(fake.answered_in(chats)) >= expected:
            break
        time.sleep(0.5)
    waited = time.perf_counter() - since
    inbound, outbound = channel_counts(db_path)
    left = inbound["received"]
    replies = fake.answered_in(chats)
    times = sorted(reply.at - since for reply in replies)
    first, last = (times[0], times[-1]) if times else (None, None)
    handled = waiting_before - left
    return Drain(expected, len(replies), first, last, waited, handled, left, outbound["queued"])


def channel_counts(db_path: Path) -> tuple[Counter[str], Counter[str]]:
    """Inbound messages by status, outbound replies by status, as the database has them."""
    with read_only(db_path) as conn:
        inbound = conn.execute("SELECT status, count(*) FROM channels_inboundmessage GROUP BY 1")
        inbound_counts = Counter(dict(inbound.fetchall()))
        outbound = conn.execute("SELECT status, count(*) FROM channels_outboundmessage GROUP BY 1")
        return inbound_counts, Counter(dict(outbound.fetchall()))


# --- the in-process encoder -------------------------------------------------------------------


def encoder_times(texts: list[str], warm: list[str]) -> list[float]:
    """`default_encoder().encode_queries([text])` per text, in this process, on a fresh cache."""
    data_dir = Path(tempfile.mkdtemp(prefix="baraza-bench-encoder-"))
    try:
        os.environ.update(bench_env(data_dir))
        import django

        django.setup()
        from baraza.matching.encoders import default_encoder

        encoder = default_encoder()
        for text in warm:
            encoder.encode_queries([text])
        times = []
        for text in texts:
            started = time.perf_counter()
            encoder.encode_queries([text])
            times.append(time.perf_counter() - started)
        return times
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


# --- the run ----------------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--concurrency", type=int, default=6, help="closed-loop connections")
    parser.add_argument("--duration", type=float, default=8.0, help="closed-loop seconds each")
    parser.add_argument("--warmup", type=float, default=2.0, help="uncounted seconds first")
    parser.add_argument("--max-requests", type=int, default=50_000, help="closed-loop cap each")
    parser.add_argument("--library", type=int, default=2000, help="fact-checks in the library")
    parser.add_argument("--messages", type=int, default=100, help="dev tweets timed one by one")
    parser.add_argument("--reply-timeout", type=float, default=30.0, help="seconds per reply")
    parser.add_argument("--drain-timeout", type=float, default=60.0, help="seconds to drain")
    parser.add_argument("--keep", action="store_true", help="keep the data dir and server log")
    return parser.parse_args()


def tipline_settings(fake: TimedTelegram) -> dict[str, str]:
    return {
        "BARAZA_TELEGRAM_BOT_TOKEN": TOKEN,
        "BARAZA_TELEGRAM_WEBHOOK_SECRET": SECRET,
        "BARAZA_TELEGRAM_API_BASE": fake.base_url,
        "BARAZA_CHANNEL_SENDER_RATE": "100000/m",
        "BARAZA_CHANNEL_RATE": "100000/m",
    }


def load_library(clef: Clef, size: int, data_dir: Path) -> tuple[list[str], dict[str, Any], float]:
    ids = library(clef, size)
    path = data_dir / "library.jsonl"
    write_library(clef, ids, path)
    env = bench_env(data_dir)
    started = time.perf_counter()
    baraza(env, "migrate", "--verbosity", "0")
    summary = json.loads(baraza(env, "import-factchecks", str(path)).strip().splitlines()[-1])
    return ids, summary, time.perf_counter() - started


def main() -> None:
    began = time.perf_counter()
    args = arguments()
    clef = read_clef()
    data_dir = Path(tempfile.mkdtemp(prefix="baraza-bench-tiplines-"))
    fake = TimedTelegram()
    fake.start()
    os.environ.update(tipline_settings(fake))  # start_server's bench_env copies os.environ
    print(f"cpus={os.cpu_count()}  python={sys.version.split()[0]}  data dir={data_dir}")
    print(f"fake Telegram Bot API at {fake.base_url}")
    warn_if_busy()
    try:
        tweets, figures, memory = run_server(args, clef, data_dir, fake)
    finally:
        fake.stop()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(f"in-process encoder: {len(tweets)} texts one at a time (fresh cache) ...")
    encoder = encoder_times([text for _key, text, _ in tweets], clef.train[10:20])
    summarise(figures, encoder, memory)
    print(f"\nwhole run: {time.perf_counter() - began:.0f} s")
    log_text = figures["log"]
    if "Traceback" in log_text or "ERROR" in log_text:
        print("\n!! the server logged errors; server log tail:")
        print("\n".join(log_text.splitlines()[-60:]))
    if args.keep:
        print(f"kept {data_dir} (server log: {data_dir / 'server.log'})")


def run_server(
    args: argparse.Namespace, clef: Clef, data_dir: Path, fake: TimedTelegram
) -> tuple[list[tuple[str, str, set[str]]], dict[str, Any], MemorySampler]:
    """Load the library, start the server, run phases 2 and 1 against it, stop it."""
    ids, summary, import_s = load_library(clef, args.library, data_dir)
    print(
        f"library: {len(ids)} CLEF claims written, import-factchecks created "
        f"{summary['created']}, rejected {summary['rejected_count']} "
        f"({import_s:.1f} s with migrate)"
    )
    in_library = set(ids)
    tweets = [t for t in clef.dev if t[2] and t[2] <= in_library][: args.messages]
    log_path, port, db_path = data_dir / "server.log", free_port(), data_dir / "baraza.sqlite3"
    print(f"starting `baraza serve --no-demo` on {HOST}:{port} (waitress 8 threads + worker)")
    proc = start_server(data_dir, port, log_path, [])
    memory = MemorySampler(proc.pid).start()
    figures: dict[str, Any] = {}
    try:
        ready = wait_for_health(proc, port, log_path)
        print(f"server answered /api/health after {ready:.1f} s (migrations included)")
        figures |= run_latency(fake, port, clef, tweets, args, db_path)
        figures |= run_throughput(fake, port, args, data_dir)
        memory.sample()
        figures["counts"] = channel_counts(db_path)
        if proc.poll() is not None:
            print(f"!! the server exited during the run ({proc.returncode})")
    finally:
        memory.stop()
        stop_server(proc)
    figures["log"] = log_path.read_text(errors="replace") if log_path.exists() else ""
    return tweets, figures, memory


def run_latency(
    fake: TimedTelegram,
    port: int,
    clef: Clef,
    tweets: list[tuple[str, str, set[str]]],
    args: argparse.Namespace,
    db_path: Path,
) -> dict[str, Any]:
    print("warm-up: 2 train tweets, each waiting for its reply ...")
    cold = warm_up(fake, port, clef.train[:2])
    print("  first replies after " + ", ".join(_seconds(c) for c in cold))
    print(f"time to reply: {len(tweets)} dev tweets, one at a time ...")
    started = time.perf_counter()
    timed = time_replies(fake, port, tweets, args.reply_timeout)
    print(f"  done in {time.perf_counter() - started:.1f} s")
    replied = sum(t.latency is not None for t in timed)
    return {"cold": cold, "timed": timed, "stages": stages(db_path, len(cold), replied)}


def run_throughput(
    fake: TimedTelegram, port: int, args: argparse.Namespace, data_dir: Path
) -> dict[str, Any]:
    closed = {
        "concurrency": args.concurrency,
        "duration": args.duration,
        "warmup": args.warmup,
        "max_requests": args.max_requests,
    }
    health: list[Request] = [("GET", "/api/health", None)]
    texts = [report["text"] for report in make_reports(2000)]
    updates = Updates(texts, LOAD_CHATS, args.max_requests)
    results: list[Result] = []
    before = sum(channel_counts(data_dir / "baraza.sqlite3")[0].values())
    for name, requests in (("health (no-op)", health), ("telegram webhook", updates)):
        print(f"closed loop: {name}, {args.concurrency} connections, {args.duration:g} s ...")
        with webhook_headers():
            results.append(closed_loop(name, port, requests, **closed))  # type: ignore[arg-type]
        print("  " + describe(results[-1]))
    stored = sum(channel_counts(data_dir / "baraza.sqlite3")[0].values()) - before
    print(f"draining: waiting up to {args.drain_timeout:g} s for a reply to each of {stored} ...")
    drained = drain(fake, updates.chats, stored, data_dir / "baraza.sqlite3", args.drain_timeout)
    return {"results": results, "drain": drained, "sent": updates.highest + 1}


@contextmanager
def webhook_headers() -> Iterator[None]:
    """closed_loop sends intake_throughput.HEADERS; the webhook also needs Telegram's secret."""
    saved = dict(HEADERS)
    HEADERS.update(WEBHOOK_HEADERS)
    try:
        yield
    finally:
        HEADERS.clear()
        HEADERS.update(saved)


def _seconds(value: float | None) -> str:
    return "no reply" if value is None else f"{value:.2f} s"


def summarise(figures: dict[str, Any], encoder: list[float], memory: MemorySampler) -> None:
    print("\n" + "=" * 78)
    print("Tiplines summary (loopback, fake Telegram in the bench process)")
    print("=" * 78)
    summarise_throughput(figures)
    summarise_latency(figures, encoder)
    inbound, outbound = figures["counts"]
    print(f"\ninbound messages by status: {dict(inbound)}")
    print(f"outbound replies by status: {dict(outbound)}")
    print("\n-- 3. peak resident memory (serve + children, sampled every 0.2 s) --")
    for pid, kb in sorted(memory.peak_by_pid.items()):
        print(f"  pid {pid:<8} {memory.names.get(pid, ''):<40} peak {kb / 1024:7.1f} MB")
    total = memory.peak_total_kb / 1024
    print(
        f"  peak of the sum: {total:.1f} MB   "
        f"(budget {BUDGET_RSS_MB} MB: {total / BUDGET_RSS_MB:.0%})"
    )


def summarise_throughput(figures: dict[str, Any]) -> None:
    noop, hook = figures["results"]
    print("-- 1. webhook throughput (closed loop) --")
    print(f"{'run':<34}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}")
    for r in (noop, hook):
        label = f"{r.name} [c={r.concurrency}]"
        print(
            f"{label:<34}{r.rps:>9.1f}{r.percentile(50):>9.2f}{r.percentile(99):>9.2f}"
            f"{r.percentile(100):>9.2f}{sum(r.errors.values()):>8}"
        )
    ratio = hook.rps / noop.rps if noop.rps else float("nan")
    print(f"webhook rps / no-op rps = {ratio:.1%}")
    d: Drain = figures["drain"]
    print(
        f"webhook updates sent (warm-up included): {figures['sent']}; stored as messages: "
        f"{d.expected}; replies the fake received for them: {d.replied} in {d.waited:.0f} s"
    )
    if d.first is not None and d.last is not None:
        print(f"after the loop ended: first reply at {d.first:.1f} s, last at {d.last:.1f} s")
    rate = d.handled / d.waited if d.waited else float("nan")
    print(
        f"worker while draining: {d.handled} messages handled ({rate:.2f}/s); at the end "
        f"{d.left} not yet handled, {d.queued} replies written but not yet sent"
    )
    if d.replied < d.expected:
        estimate = d.left / rate if rate else float("inf")
        print(
            f"!! not drained: {d.expected - d.replied} messages without a reply after "
            f"{d.waited:.0f} s (the worker would need about {estimate:.0f} s more to handle "
            f"the rest at that rate, then to send the replies)"
        )


def summarise_latency(figures: dict[str, Any], encoder: list[float]) -> None:
    timed: list[Timed] = figures["timed"]
    print("\n-- 2. time from message to reply (dev tweets, one at a time) --")
    print("warm-up (first replies, cold worker): " + ", ".join(map(_seconds, figures["cold"])))
    latencies = [t.latency * 1000 for t in timed if t.latency is not None]
    kinds = Counter(kind_of(t.text) for t in timed)
    statuses = Counter(t.status for t in timed)
    print(f"webhook statuses: {dict(statuses)}; replies: {dict(kinds)}")
    right = sum(t.right_claim for t in timed)
    print(f"fact-check answers naming the tweet's own claim: {right} of {kinds[ANSWER_KIND]}")
    reply_p50 = percentile(latencies, 50)
    print(
        f"reply latency: p50={reply_p50:.0f} ms  p99={percentile(latencies, 99):.0f} ms  "
        f"max={percentile(latencies, 100):.0f} ms  mean={_mean(latencies):.0f} ms"
    )
    for kind in (ANSWER_KIND, ACK_KIND):
        some = [
            t.latency * 1000 for t in timed if t.latency is not None and kind_of(t.text) == kind
        ]
        if some:
            print(f"  {kind:<18} n={len(some):<4} p50={percentile(some, 50):.0f} ms")
    for kind, (handling, sending) in sorted(figures["stages"].items()):
        print(
            f"  server side, {kind:<8} n={len(handling):<4} webhook stored -> reply written "
            f"p50={percentile(handling, 50):.0f} ms; written -> sent p50="
            f"{percentile(sending, 50):.0f} ms"
        )
    enc = [t * 1000 for t in encoder]
    encoder_p50 = percentile(enc, 50)
    print(
        f"in-process encoder, one text: p50={encoder_p50:.1f} ms  p99={percentile(enc, 99):.1f} ms"
    )
    print(f"reply p50 / encoder p50 = {reply_p50 / encoder_p50:.1f}x")


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


if __name__ == "__main__":
    main()
