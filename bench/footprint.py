"""Footprint of the embedded default: resident memory and public page weight.

Starts `baraza serve` (web + worker, demo coalition, fresh SQLite) on a free loopback port, sends
a few hundred reports so the worker has work (it detects their languages), then reports with
media (photos of 12 megapixels, short videos, voice notes: the worker decodes, re-encodes,
hashes and reads them, OCR included), imports fact-checks and searches them (which loads the
encoder into the web process), fetches every public page and file (which loads matplotlib,
reportlab and pyarrow into it), then prints:

- resident memory (VmRSS, and its peak VmHWM) of the web process and of the worker process, and
  their sum, against the 1 GB budget for web + worker + encoder on a small machine; and the peak
  of the whole process tree sampled every 0.1 s while the media are processed, the programs the
  worker runs for them (ffmpeg, tesseract, fpcalc) included, with each program's own peak;
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
import threading
import time
import urllib.request
from pathlib import Path

REPORTS = 300
MEDIA_REPORTS = 8
BUDGET_RSS_MB = 1024
BUDGET_PAGE_KB = 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def multipart(payload: dict[str, str], files: list[tuple[str, bytes]]) -> bytes:
    parts = [
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="payload"\r\n\r\n'
        + json.dumps(payload).encode()
        + b"\r\n"
    ]
    for name, data in files:
        parts.append(
            b'--BOUNDARY\r\nContent-Disposition: form-data; name="media"; filename="'
            + name.encode()
            + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
            + data
            + b"\r\n"
        )
    return b"".join(parts) + b"--BOUNDARY--\r\n"


def media_samples(folder: Path) -> list[tuple[str, bytes]]:
    """Photos of 12 megapixels, a 30-second 720p video and a minute of voice note."""
    from baraza.media.tests import files

    samples = []
    for seed in range(MEDIA_REPORTS):
        path = files.make_jpeg(folder / f"photo{seed}.jpg", (4000, 3000), seed=seed)
        samples.append((path.name, path.read_bytes()))
    video = files.make_video(folder / "clip.mp4", "mp4", 30, size=(1280, 720))
    samples.append((video.name, video.read_bytes()))
    voice = files.make_audio(folder / "voice.ogg", "ogg-opus", 60)
    samples.append((voice.name, voice.read_bytes()))
    return samples


class TreeSampler(threading.Thread):
    """The largest resident memory of the whole process tree, and of each program in it."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb = 0
        self.by_program: dict[str, int] = {}
        self.running = True

    def _tree(self, pid: int) -> list[int]:
        try:
            return [pid] + [p for child in children(pid) for p in self._tree(child)]
        except OSError:
            return []

    def run(self) -> None:
        while self.running:
            total = 0
            for pid in self._tree(self.root):
                try:
                    name = Path(f"/proc/{pid}/comm").read_text().strip()
                    resident = rss_kb(pid)
                except OSError:
                    continue
                total += resident
                self.by_program[name] = max(self.by_program.get(name, 0), resident)
            self.peak_kb = max(self.peak_kb, total)
            time.sleep(0.1)


def wait_until_processed(base: str, token: str, codes: list[str], limit_s: float = 600) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        statuses = []
        for code in codes:
            _, body = fetch(f"{base}/api/reports/{code}", token=token)
            statuses += [m["status"] for m in json.loads(body)["media"]]
        if statuses and all(status != "pending" for status in statuses):
            return time.monotonic() - started
        time.sleep(2)
    return float("nan")


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
        media_codes = []
        sampler = TreeSampler(server.pid)
        sampler.start()
        for name, data in media_samples(Path(env["BARAZA_DATA_DIR"])):
            payload = {"text": "", "platform": "whatsapp", "country": "KE", "category": "other"}
            _, body = fetch(
                f"{base}/api/reports", token=token, raw=multipart(payload, [(name, data)])
            )
            media_codes.append(json.loads(body)["tracking_code"])
        took = wait_until_processed(base, token, media_codes)
        sampler.running = False
        print(f"{len(media_codes)} reports with media processed by the worker in {took:.0f} s")
        print(
            f"peak of the whole process tree meanwhile: {sampler.peak_kb / 1024:.0f} MB "
            f"(budget {BUDGET_RSS_MB} MB); programs' own peaks: "
            + ", ".join(
                f"{name} {kb / 1024:.0f} MB"
                for name, kb in sorted(sampler.by_program.items())
                if name in ("ffmpeg", "ffprobe", "tesseract", "fpcalc")
            )
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
        web_peak = rss_kb(server.pid, "VmHWM")
        worker_peak = sum(rss_kb(pid, "VmHWM") for pid in workers)
        total = (web + worker) / 1024
        peak = (web_peak + worker_peak) / 1024
        print()
        print(f"{'process':<32}{'RSS MB':>8}{'peak MB':>9}")
        print(f"{'web (8 threads, with encoder)':<32}{web / 1024:>8.1f}{web_peak / 1024:>9.1f}")
        print(
            f"{'worker (huey, encoder, media)':<32}{worker / 1024:>8.1f}{worker_peak / 1024:>9.1f}"
        )
        print(
            f"{'total':<32}{total:>8.1f}{peak:>9.1f}  budget {BUDGET_RSS_MB} MB "
            f"({total / BUDGET_RSS_MB:.0%} now, {peak / BUDGET_RSS_MB:.0%} at the peaks)"
        )
        print("(the web process holds the encoder after a fact-check search, and matplotlib,")
        print(" reportlab and pyarrow after serving the report, its PDF and the Parquet file; the")
        print(" worker holds the encoder, the language identifier and its replica of the index)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
