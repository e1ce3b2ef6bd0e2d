"""Intake throughput: how fast the served API accepts reports, against a no-op baseline.

What it measures, against a real `baraza serve` (waitress, 8 threads, plus its Huey worker) on a
fresh SQLite database, over loopback only:

1. Closed loop (each of --concurrency keep-alive connections sends its next request as soon as
   the previous answer arrives) against the no-op ``GET /api/health``: requests/s, p50, p99.
2. The same against ``POST /api/reports`` (submit_report) with varied, multi-language reports.
   The ratio submit_report rps / no-op rps is the figure to watch (target >= 60%).
3. Open loop: submit_report at a fixed --rate (default 100 requests/s) for --open-duration
   seconds. Latency is measured from each request's *scheduled* send time, so a server that
   falls behind is not flattered (no coordinated omission). Target: p99 < 100 ms.

The public rate limit is turned off (BARAZA_RATELIMIT_ENABLE=false) and the data directory is a
fresh temporary folder, removed afterwards. The script prints figures; it does not pass or fail.

Run it (it takes about a minute) with ``make bench``, which runs
``uv run python bench/intake_throughput.py`` and ``uv run python bench/bulk_import.py``, or alone:

    uv run python bench/intake_throughput.py [--concurrency 6] [--duration 8] [--rate 100]

``--profile N`` additionally runs N submit_report requests in-process through the WSGI
application (no HTTP server) under cProfile and prints where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import itertools
import json
import os
import pstats
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sample_reports import make_reports, print_profile, warn_if_busy

HOST = "127.0.0.1"
HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


@dataclass
class Sample:
    start: float  # perf_counter when the request was sent (or scheduled, in the open loop)
    latency: float  # seconds
    status: int  # HTTP status, 0 for a connection error


@dataclass
class Result:
    name: str
    mode: str
    concurrency: int
    window: float
    samples: list[Sample] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> list[Sample]:
        return [s for s in self.samples if 200 <= s.status < 300]

    @property
    def errors(self) -> Counter[int]:
        return Counter(s.status for s in self.samples if not 200 <= s.status < 300)

    @property
    def rps(self) -> float:
        return len(self.ok) / self.window if self.window else 0.0

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile of successful requests' latency, in milliseconds."""
        latencies = sorted(s.latency for s in self.ok)
        if not latencies:
            return float("nan")
        rank = min(len(latencies) - 1, max(0, round(q / 100 * len(latencies) + 0.5) - 1))
        return latencies[rank] * 1000


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def bench_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("BARAZA_DATABASE_URL", "BARAZA_REDIS_URL", "BARAZA_HUEY_IMMEDIATE"):
        env.pop(name, None)  # always the embedded default: SQLite and a SQLite queue
    env.update(
        BARAZA_ENV="development",
        BARAZA_DATA_DIR=str(data_dir),
        BARAZA_RATELIMIT_ENABLE="false",
        BARAZA_LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="baraza.settings",
    )
    return env


def start_server(
    data_dir: Path, port: int, log_path: Path, extra: list[str]
) -> subprocess.Popen[bytes]:
    log = log_path.open("wb")
    command = [sys.executable, "-m", "baraza.cli", "serve", "--host", HOST, "--port", str(port)]
    return subprocess.Popen(
        [*command, "--no-demo", *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=bench_env(data_dir),
        start_new_session=True,  # its own process group, so the worker goes down with it
    )


def log_tail(log_path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log_path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_for_health(proc: subprocess.Popen[bytes], port: int, log_path: Path) -> float:
    started = time.perf_counter()
    deadline = started + 90
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}):\n{log_tail(log_path)}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                conn.close()
                return time.perf_counter() - started
            conn.close()
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer /api/health in 90 s:\n{log_tail(log_path)}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


# --- load generators --------------------------------------------------------------------------

Request = tuple[str, str, bytes | None]  # method, path, body


def send(conn: http.client.HTTPConnection, request: Request) -> int:
    method, path, body = request
    conn.request(method, path, body=body, headers=HEADERS)
    response = conn.getresponse()
    response.read()
    return response.status


def closed_loop(
    name: str,
    port: int,
    requests: Sequence[Request],
    *,
    concurrency: int,
    duration: float,
    warmup: float,
    max_requests: int,
) -> Result:
    """`concurrency` connections, each sending its next request as soon as it has an answer.

    Requests begun during the warm-up are not counted; none is begun after the deadline."""
    counter = itertools.count()
    begin = time.perf_counter()
    measure_from = begin + warmup
    deadline = measure_from + duration
    per_thread: list[list[Sample]] = [[] for _ in range(concurrency)]

    def worker(samples: list[Sample]) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while True:
            index = next(counter)
            start = time.perf_counter()
            if start >= deadline or index >= max_requests:
                break
            try:
                status = send(conn, requests[index % len(requests)])
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            if start >= measure_from:
                samples.append(Sample(start, time.perf_counter() - start, status))
        conn.close()

    threads = [threading.Thread(target=worker, args=(s,)) for s in per_thread]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples = [s for group in per_thread for s in group]
    last = max((s.start + s.latency for s in samples), default=measure_from)
    window = max(min(last, deadline), measure_from) - measure_from
    # A run cut short by max_requests ends at its last answer, not at the deadline.
    window = window if window > 0 else duration
    return Result(name, "closed", concurrency, window, samples)


def open_loop(
    name: str, port: int, requests: Sequence[Request], *, rate: float, duration: float
) -> Result:
    """Requests sent on a fixed schedule (rate per second), whatever the answers' pace.

    Latency counts from the scheduled send time; a pool of connections large enough for the
    rate carries them, so a slow answer delays no later request's sending."""
    total = int(rate * duration)
    local = threading.local()
    samples: list[Sample] = []
    lock = threading.Lock()
    late = 0

    def one(scheduled: float, request: Request) -> None:
        conn: http.client.HTTPConnection | None = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            status = send(conn, request)
        except (OSError, http.client.HTTPException):
            status = 0
            conn.close()
            local.conn = None
        sample = Sample(scheduled, time.perf_counter() - scheduled, status)
        with lock:
            samples.append(sample)

    pool_size = max(16, int(rate * 0.25))  # enough to absorb 250 ms answers at this rate
    with ThreadPoolExecutor(max_workers=pool_size) as pool:
        # Open the connections before the clock starts, as a steady client would have them.
        list(pool.map(lambda _: None, range(pool_size)))
        begin = time.perf_counter() + 0.05
        for index in range(total):
            scheduled = begin + index / rate
            pause = scheduled - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            elif pause < -0.005:
                late += 1
            pool.submit(one, scheduled, requests[index % len(requests)])
    note = f"{late} sends > 5 ms behind schedule" if late else ""
    return Result(name, f"open@{rate:g}/s", pool_size, duration, samples, note)


# --- in-process profile -----------------------------------------------------------------------


def profile_submit(count: int, bodies: Sequence[bytes], top: int = 30) -> None:
    """`count` submit_report calls through the WSGI app in this process, under cProfile."""
    data_dir = Path(tempfile.mkdtemp(prefix="baraza-bench-profile-"))
    try:
        os.environ.update(bench_env(data_dir))
        os.environ["BARAZA_HUEY_IMMEDIATE"] = "false"  # queue placement, as the server does
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from baraza.wsgi import application

        def call(body: bytes) -> str:
            environ = {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": "/api/reports",
                "SERVER_NAME": HOST,
                "SERVER_PORT": "8000",
                "HTTP_HOST": HOST,
                "REMOTE_ADDR": HOST,
                "CONTENT_TYPE": "application/json",
                "CONTENT_LENGTH": str(len(body)),
                "SERVER_PROTOCOL": "HTTP/1.1",
                "wsgi.input": io.BytesIO(body),
                "wsgi.url_scheme": "http",
                "wsgi.errors": sys.stderr,
                "wsgi.multithread": True,
                "wsgi.multiprocess": False,
                "wsgi.run_once": False,
                "wsgi.version": (1, 0),
            }
            status: list[str] = []

            def start_response(line: str, headers: Any, exc_info: Any = None) -> Callable[..., Any]:
                status.append(line)
                return lambda _data: None

            b"".join(application(environ, start_response))
            return status[0]

        for body in bodies[:50]:  # warm up: imports, first connection, caches
            call(body)
        started = time.perf_counter()
        for i in range(count):
            call(bodies[i % len(bodies)])
        plain = count / (time.perf_counter() - started)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        statuses = Counter(call(bodies[i % len(bodies)]) for i in range(count))
        profiler.disable()
        elapsed = time.perf_counter() - started
        print(f"\n== cProfile: {count} submit_report calls in-process (no HTTP server) ==")
        print(f"statuses: {dict(statuses)}; {plain:.0f} calls/s in one thread without the")
        print(f"profiler, {count / elapsed:.0f} calls/s under it")
        print_profile(profiler, top)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_callers(6)
        print("\n-- who calls the 6 most expensive functions --")
        print(out.getvalue().strip())
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


# --- reporting --------------------------------------------------------------------------------


def describe(result: Result) -> str:
    errors = result.errors
    parts = [
        f"{result.name:<14} {result.mode:<10} conc={result.concurrency:<3}",
        f"ok={len(result.ok):<6} rps={result.rps:8.1f}",
        f"p50={result.percentile(50):7.2f} ms p99={result.percentile(99):7.2f} ms",
        f"max={result.percentile(100):7.2f} ms",
    ]
    if errors:
        parts.append(f"errors={dict(errors)}")
    if result.note:
        parts.append(result.note)
    return "  ".join(parts)


def count_rows(db_path: Path) -> tuple[int, int]:
    """Reports stored, and how many the worker has already placed in a case."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        reports = conn.execute("SELECT count(*) FROM intake_report").fetchone()[0]
        try:
            placed = conn.execute("SELECT count(*) FROM cases_casereport").fetchone()[0]
        except sqlite3.Error:
            placed = -1
    return int(reports), int(placed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--concurrency", type=int, default=6, help="closed-loop connections")
    parser.add_argument("--duration", type=float, default=8.0, help="closed-loop seconds each")
    parser.add_argument("--warmup", type=float, default=2.0, help="uncounted seconds first")
    parser.add_argument("--max-requests", type=int, default=50_000, help="closed-loop cap each")
    parser.add_argument("--rate", type=float, default=100.0, help="open-loop requests/s")
    parser.add_argument("--open-duration", type=float, default=10.0, help="open-loop seconds")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N calls")
    parser.add_argument("--keep", action="store_true", help="keep the data dir and server log")
    parser.add_argument(
        "--serve-arg",
        action="append",
        default=[],
        help="extra argument for `baraza serve`, e.g. --serve-arg=--threads=4 (repeatable)",
    )
    args = parser.parse_args()

    reports = make_reports(2000)
    bodies = [json.dumps(r, ensure_ascii=False).encode() for r in reports]
    health: list[Request] = [("GET", "/api/health", None)]
    submits: list[Request] = [("POST", "/api/reports", body) for body in bodies]

    data_dir = Path(tempfile.mkdtemp(prefix="baraza-bench-"))
    log_path = data_dir / "server.log"
    port = free_port()
    print(f"cpus={os.cpu_count()}  python={sys.version.split()[0]}  data dir={data_dir}")
    warn_if_busy()
    print(f"starting `baraza serve --no-demo` on {HOST}:{port} (waitress 8 threads + worker)")
    proc = start_server(data_dir, port, log_path, args.serve_arg)
    results: list[Result] = []
    try:
        ready = wait_for_health(proc, port, log_path)
        print(f"server answered /api/health after {ready:.1f} s (migrations included)")
        closed = {
            "concurrency": args.concurrency,
            "duration": args.duration,
            "warmup": args.warmup,
            "max_requests": args.max_requests,
        }
        for name, requests in (("health (no-op)", health), ("submit_report", submits)):
            print(f"closed loop: {name}, {args.concurrency} connections, {args.duration:g} s ...")
            results.append(closed_loop(name, port, requests, **closed))  # type: ignore[arg-type]
            print("  " + describe(results[-1]))
        time.sleep(1)  # let the worker catch up a little before the paced run
        print(f"open loop: submit_report at {args.rate:g}/s for {args.open_duration:g} s ...")
        paced = open_loop(
            "submit_report", port, submits, rate=args.rate, duration=args.open_duration
        )
        results.append(paced)
        print("  " + describe(paced))
        stored, placed = count_rows(data_dir / "baraza.sqlite3")
        if proc.poll() is not None:
            print(f"!! the server exited during the run ({proc.returncode})")
    finally:
        stop_server(proc)

    noop, submit = results[0], results[1]
    ratio = submit.rps / noop.rps if noop.rps else float("nan")
    accepted = sum(len(r.ok) for r in results[1:])
    print("\n" + "=" * 78)
    print("Intake throughput summary (loopback, closed loop unless noted)")
    print("=" * 78)
    print(f"{'run':<30}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'errors':>8}")
    for r in results:
        label = f"{r.name} [{r.mode}, c={r.concurrency}]"
        print(
            f"{label:<30}{r.rps:>10.1f}{r.percentile(50):>10.2f}{r.percentile(99):>10.2f}"
            f"{r.percentile(100):>10.2f}{sum(r.errors.values()):>8}"
        )
    print("-" * 78)
    print(f"submit_report rps / no-op rps = {ratio:.1%}   (target >= 60%)")
    print(
        f"open loop @ {args.rate:g}/s: p99 = {paced.percentile(99):.2f} ms   (target < 100 ms), "
        f"achieved {paced.rps:.1f} ok/s"
    )
    print(
        f"reports stored: {stored} (counted 201s, warm-up excluded: {accepted}); placed in "
        f"cases by the worker by the end: {placed}"
    )
    log_text = log_path.read_text(errors="replace") if log_path.exists() else ""
    if "Traceback" in log_text or any(r.errors for r in results):
        print("\n!! the server logged errors or answered non-2xx; server log tail:")
        print(log_tail(log_path, 60))
    if args.keep:
        print(f"kept {data_dir} (server log: {log_path})")
    else:
        shutil.rmtree(data_dir, ignore_errors=True)

    if args.profile:
        profile_submit(args.profile, bodies)


if __name__ == "__main__":
    main()
