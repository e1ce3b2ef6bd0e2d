"""Footprint of the embedded default: resident memory and public page weight.

Starts `baraza serve` (web + worker, demo coalition, fresh SQLite) on a free loopback port, sends
a few hundred reports so the worker has work (it detects their languages), imports fact-checks
and searches them (which loads the encoder into the web process), fetches every public page
and file (which loads matplotlib, reportlab and pyarrow into it), then prints:

- resident memory (VmRSS) of the web process and of the worker process, and their sum, against
  the 1 GB budget for web + worker + encoder on a small machine;
- bytes transferred for each public page (the body as served; no compression is applied), against
  the 50 KB budget.

Run: `uv run python bench/footprint.py` (also part of `make bench`).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPORTS = 300
BUDGET_RSS_MB = 1024
BUDGET_PAGE_KB = 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(child) for child in text)
    return found


def fetch(
    url: str, body: dict[str, str] | None = None, token: str = "", raw: bytes | None = None
) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body else raw
    headers = {"Content-Type": "application/json"} if body else {}
    if raw is not None:
        headers = {"Content-Type": "multipart/form-data; boundary=BOUNDARY"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def main() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "BARAZA_DATA_DIR": tempfile.mkdtemp(prefix="baraza-footprint-"),
        "BARAZA_RATELIMIT_ENABLE": "false",
    }
    log_path = Path(env["BARAZA_DATA_DIR"]) / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "baraza.cli", "serve", "--port", str(port)],
        env=env,
        stdout=log_path.open("wb"),
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        for _ in range(120):
            try:
                fetch(f"{base}/api/health")
                break
            except OSError:
                time.sleep(0.5)
        code = ""
        for number in range(REPORTS):
            _, body = fetch(
                f"{base}/api/reports",
                {
                    "text": f"Rumour number {number}: polling station {number % 40} closes early.",
                    "platform": "whatsapp",
                    "country": "KE",
                    "category": "voter_suppression",
                },
            )
            code = json.loads(body)["tracking_code"]
        token = next(
            line.split()[-1]
            for line in log_path.read_text().splitlines()
            if line.strip().startswith("secretariat@")
        )
        claims = [
            {
                "claim": f"Claim {n}: polling station {n} closes at noon.",
                "rating": "False",
                "url": f"https://factcheck.example/{n}",
            }
            for n in range(50)
        ]
        upload = (
            b'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="f.jsonl"\r\n'
            b"Content-Type: application/octet-stream\r\n\r\n"
            + "\n".join(json.dumps(c) for c in claims).encode()
            + b"\r\n--BOUNDARY--\r\n"
        )
        fetch(f"{base}/api/factchecks/import", token=token, raw=upload)
        fetch(f"{base}/api/factchecks/search?q=polling+station+closes", token=token)
        time.sleep(3)  # let the worker place them
        pages = {
            "report form /": "/",
            "status page /status/?code=…": f"/status/?code={code}",
            "log-in page /login/": "/login/",
            "status API": f"/api/reports/{code}/status",
            "transparency report /transparency/": "/transparency/",
            "dashboard /dashboard/": "/dashboard/",
            "open data /open-data/": "/open-data/",
            "report PDF (a file)": "/transparency/report.pdf",
            "open data Parquet (a file)": "/open-data/cases.parquet",
        }
        print(f"{'public page':<32}{'bytes':>8}{'KB':>8}  budget {BUDGET_PAGE_KB} KB")
        for name, path in pages.items():
            _, content = fetch(base + path)
            print(f"{name:<32}{len(content):>8}{len(content) / 1024:>8.1f}")
        web = rss_kb(server.pid)
        workers = children(server.pid)
        worker = sum(rss_kb(pid) for pid in workers)
        total = (web + worker) / 1024
        print()
        print(f"{'process':<32}{'RSS MB':>8}")
        print(f"{'web (8 threads, with encoder)':<32}{web / 1024:>8.1f}")
        print(f"{'worker (huey, with encoder)':<32}{worker / 1024:>8.1f}")
        print(
            f"{'total':<32}{total:>8.1f}  budget {BUDGET_RSS_MB} MB ({total / BUDGET_RSS_MB:.0%})"
        )
        print("(the web process holds the encoder after a fact-check search, and matplotlib,")
        print(" reportlab and pyarrow after serving the report, its PDF and the Parquet file; the")
        print(" worker holds the encoder, the language identifier and its replica of the index)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
