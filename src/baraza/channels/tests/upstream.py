"""A fake provider API on loopback: a real HTTP server in a thread that records every request
and answers as the provider documents, or with scripted failures (429, 500, a hang).

Each provider's fake subclasses `FakeUpstream` and implements `answer`; tests point the
provider's BARAZA_*_API_BASE at `fake.base_url` and assert on `fake.requests`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {key: values[-1] for key, values in parse_qs(self.body.decode()).items()}


@dataclass
class Scripted:
    pattern: re.Pattern[str]
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    # Sent without a Content-Length, in parts, ending when the connection closes (HTTP/1.0):
    # a download whose size the client learns only by reading it.
    streamed: bool = False


class FakeUpstream:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        # Paths of streamed answers the client hung up on before their end.
        self.cut_off: list[str] = []
        self._scripted: list[Scripted] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeUpstream:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(
        self,
        path_pattern: str,
        status: int,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        times: int = 1,
        delay: float = 0.0,
    ) -> None:
        """The next `times` requests whose path matches answer `status` (after `delay`)."""
        raw = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
        with self._lock:
            for _ in range(times):
                self._scripted.append(
                    Scripted(re.compile(path_pattern), status, raw, headers or {}, delay)
                )

    def answer(self, request: Recorded) -> Answer:
        """The provider's documented answer to a request; subclasses say it."""
        raise NotImplementedError

    def sent_to(self, path_pattern: str) -> list[Recorded]:
        pattern = re.compile(path_pattern)
        return [r for r in list(self.requests) if pattern.search(r.path)]

    def was_cut_off(self, path_pattern: str, wait: float = 5.0) -> bool:
        """Whether the client hung up on a streamed answer to a matching path before its end
        (the server notices a moment after the client leaves)."""
        pattern = re.compile(path_pattern)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if any(pattern.search(path) for path in list(self.cut_off)):
                return True
            time.sleep(0.02)
        return False

    def _scripted_for(self, path: str) -> Scripted | None:
        with self._lock:
            for n, scripted in enumerate(self._scripted):
                if scripted.pattern.search(path):
                    return self._scripted.pop(n)
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                recorded = Recorded(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                upstream.requests.append(recorded)
                scripted = upstream._scripted_for(parts.path)
                if scripted is not None:
                    time.sleep(scripted.delay)
                    self._write(scripted.status, scripted.body, scripted.headers)
                    return
                answer = upstream.answer(recorded)
                body = answer.body
                raw = body if isinstance(body, bytes) else json.dumps(body).encode()
                headers = {"Content-Type": "application/json", **answer.headers}
                if answer.streamed:
                    self._stream(answer.status, raw, headers, parts.path)
                else:
                    self._write(answer.status, raw, headers)

            def _write(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                try:
                    self.send_response(status)
                    for name, value in {"Content-Type": "application/json", **headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def _stream(self, status: int, body: bytes, headers: dict[str, str], path: str) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    for start in range(0, len(body), 64 * 1024):
                        self.wfile.write(body[start : start + 64 * 1024])
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    upstream.cut_off.append(path)

            do_GET = do_POST = _serve

        return Handler


def running(upstream: FakeUpstream) -> Iterator[FakeUpstream]:
    """For fixtures: `yield from running(FakeTelegram())`."""
    upstream.start()
    try:
        yield upstream
    finally:
        upstream.stop()
