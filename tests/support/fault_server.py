"""A local HTTP server serving the offline snapshot with faults injected per path.

Like :class:`tests.support.site_server.SiteServer` (127.0.0.1, port 0, the snapshot's URL →
file mapping), but a table given at construction makes chosen paths misbehave the way real
servers and networks do: error statuses (a given number of times, then the page), resets,
stalls, slow or truncated bodies, lying headers, redirect traps, huge pages, XML bombs::

    faults = {"/some-post/": Fault("status", 503, times=2, retry_after=1)}
    with FaultServer(SITE, faults) as server:
        crawl(..., f"SCIENMAG_MIRROR_URL={server.url}")
    server.hits("/some-post/")  # 3

Every wait and every loop is bounded, and waits end early when the server stops, so
``__exit__`` returns promptly and joins every handler thread. A second listening socket, the
*canary* (``server.canary_url``), stands for an internal service: redirects may point at it
(``{canary}`` in a ``location``) and ``server.canary_hits`` tells whether anything reached it.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import socket
import struct
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from scienmag_crawler.snapshot import SnapshotPathError, content_type, resolve_snapshot_path

PUBLIC_ORIGIN = "https://scienmag.com"

#: what a :class:`Fault` can do; see :meth:`_Handler.do_GET` for each
KINDS = frozenset(
    {
        "status",  # answer ``status`` (500, 503, 429...), with Retry-After if given
        "reset",  # close the connection (TCP RST) without any response
        "stall",  # send nothing for ``delay`` seconds (longer than the client's timeout)
        "drip",  # send the page in ``chunks`` pieces spread over ``delay`` seconds
        "truncate",  # declare the full Content-Length, send ``keep`` of the body, close
        "charset",  # the page with ``charset`` in Content-Type ("" = no charset at all)
        "bad_gzip",  # Content-Encoding: gzip over bytes that are not gzip
        "cut_gzip",  # Content-Encoding: gzip over a real gzip stream cut after ``keep`` of it
        "redirect",  # ``status`` (302) to ``location`` ({canary} = the canary's origin)
        "redirect_loop",  # redirect to the same path with ?hop=n+1 (capped at MAX_HOPS)
        "huge",  # ``size`` bytes of HTML made on the fly; Content-Length unless chunked-like
        "xml_bomb",  # a sitemap whose DTD expands to ~3 GB ("billion laughs")
    }
)
MAX_HOPS = 100
#: a handler never waits on a socket longer than this
SOCKET_TIMEOUT = 10.0


@dataclass(frozen=True)
class Fault:
    """How one path misbehaves. ``times`` = misbehave that often, then serve the page
    normally (``None`` = always)."""

    kind: str
    status: int = 0
    times: int | None = None
    retry_after: int | None = None
    location: str = ""
    delay: float = 0.0
    chunks: int = 20
    charset: str = ""
    size: int = 0
    declare_length: bool = True
    keep: float = 0.5

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {sorted(KINDS)}")


def billion_laughs(levels: int = 9, fan_out: int = 10) -> bytes:
    """A sitemap whose entities expand to ``3 * fan_out**levels`` bytes if a parser expands
    them (the classic 10 levels of 10 = ~3 GB), plus an external entity (XXE) that must not be
    read either."""
    refs = lambda n: "".join(f"&lol{n};" for _ in range(fan_out))  # noqa: E731
    entities = ['  <!ENTITY lol0 "lol">']
    entities += [f'  <!ENTITY lol{n} "{refs(n - 1)}">' for n in range(1, levels + 1)]
    entities.append('  <!ENTITY xxe SYSTEM "file:///etc/hostname">')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<!DOCTYPE urlset [\n" + "\n".join(entities) + "\n]>\n"
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"  <url><loc>https://scienmag.com/&lol{levels};/</loc></url>\n"
        "  <url><loc>https://scienmag.com/&xxe;/</loc></url>\n"
        "  <url><loc>https://scienmag.com/plain-post/</loc></url>\n"
        "</urlset>\n"
    ).encode()


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer._Server
    timeout = SOCKET_TIMEOUT

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        fault = self.server.faults.get(path)
        with self.server.lock:
            self.server.requests.append(self.path)
            self.server.counts[path] += 1
            self.server.arrivals[path].append(time.monotonic())
            served = self.server.counts[path]
        if fault is None or (fault.times is not None and served > fault.times):
            self._serve_page()
            return
        getattr(self, f"_fault_{fault.kind}")(fault)

    # --- the normal page --------------------------------------------------------------
    def _page(self) -> tuple[int, str, bytes]:
        try:
            file = resolve_snapshot_path(self.server.root, PUBLIC_ORIGIN + self.path)
        except SnapshotPathError:
            file = None
        if file is None:
            return 404, "text/plain", b"not found"
        return 200, content_type(file), file.read_bytes()

    def _serve_page(self) -> None:
        self._send(*self._page())

    def _send(self, status: int, kind: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self._write(body)

    def _write(self, data: bytes) -> bool:
        """Write, telling whether the client is still there (it may have given up)."""
        try:
            self.wfile.write(data)
        except OSError:
            self.close_connection = True
            return False
        return True

    # --- faults -----------------------------------------------------------------------
    def _fault_status(self, fault: Fault) -> None:
        headers = {"Retry_After": str(fault.retry_after)} if fault.retry_after is not None else {}
        self._send(fault.status, "text/html; charset=utf-8", b"<h1>try again later</h1>", **headers)

    def _fault_reset(self, fault: Fault) -> None:
        # SO_LINGER 0 turns close() into a TCP RST; the read buffer holds the only other
        # reference to the socket, so drop it first or close() would be deferred.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.rfile.close()
        self.connection.close()
        self.close_connection = True

    def _fault_stall(self, fault: Fault) -> None:
        self.server.stopping.wait(fault.delay or SOCKET_TIMEOUT)
        self.close_connection = True

    def _fault_drip(self, fault: Fault) -> None:
        status, kind, body = self._page()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        step = -(-len(body) // fault.chunks)
        for start in range(0, len(body), step):
            if not self._write(body[start : start + step]) or self.server.stopping.wait(
                fault.delay / fault.chunks
            ):
                return

    def _fault_truncate(self, fault: Fault) -> None:
        status, kind, body = self._page()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self._write(body[: int(len(body) * fault.keep)])
        self.close_connection = True

    def _fault_charset(self, fault: Fault) -> None:
        status, _, body = self._page()
        kind = f"text/html; charset={fault.charset}" if fault.charset else "text/html"
        self._send(status, kind, body)

    def _fault_bad_gzip(self, fault: Fault) -> None:
        garbage = b"this is not gzip at all " * 64
        self._send(200, "text/html; charset=utf-8", garbage, Content_Encoding="gzip")

    def _fault_cut_gzip(self, fault: Fault) -> None:
        _, kind, body = self._page()
        packed = gzip.compress(body)
        self._send(200, kind, packed[: int(len(packed) * fault.keep)], Content_Encoding="gzip")

    def _fault_redirect(self, fault: Fault) -> None:
        location = fault.location.replace("{canary}", self.server.canary_url)
        self._send(fault.status or 302, "text/html", b"", Location=location)

    def _fault_redirect_loop(self, fault: Fault) -> None:
        parts = urlsplit(self.path)
        hop = int(parse_qs(parts.query).get("hop", ["0"])[0] or 0) + 1
        if hop > MAX_HOPS:
            self._send(508, "text/plain", b"loop detected")
            return
        self._send(fault.status or 302, "text/html", b"", Location=f"{parts.path}?hop={hop}")

    def _fault_huge(self, fault: Fault) -> None:
        size = fault.size or 50 * 1024 * 1024
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if fault.declare_length:
            self.send_header("Content-Length", str(size))
        self.end_headers()
        chunk = b"<p>" + b"huge " * 13106 + b"</p>\n"  # 64 KiB
        sent = 0
        while sent < size and not self.server.stopping.is_set():
            piece = chunk[: size - sent]
            if not self._write(piece):
                return
            sent += len(piece)
        self.close_connection = True

    def _fault_xml_bomb(self, fault: Fault) -> None:
        self._send(200, "application/xml; charset=utf-8", billion_laughs())

    def finish(self) -> None:
        # the socket was reset on purpose, or the client left
        with contextlib.suppress(OSError, ValueError):
            super().finish()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _CanaryHandler(BaseHTTPRequestHandler):
    """An "internal service": counts whoever reaches it."""

    server: FaultServer._Canary
    timeout = SOCKET_TIMEOUT

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "7")
        self.end_headers()
        self.wfile.write(b"secrets")

    def log_message(self, format: str, *args: object) -> None:
        pass


class FaultServer:
    """``with FaultServer(root, {path: Fault(...)}) as server: server.url``."""

    class _Server(ThreadingHTTPServer):
        # handler threads are joined at server_close(); every one of them ends by itself
        daemon_threads = False
        block_on_close = True
        root: Path
        faults: dict[str, Fault]
        requests: list[str]
        counts: Counter[str]
        arrivals: defaultdict[str, list[float]]
        lock: threading.Lock
        stopping: threading.Event
        canary_url: str

    class _Canary(ThreadingHTTPServer):
        daemon_threads = False
        block_on_close = True
        hits: list[str]

    def __init__(self, root: Path, faults: dict[str, Fault] | None = None) -> None:
        self.canary = self._Canary(("127.0.0.1", 0), _CanaryHandler)
        self.canary.hits = []
        self.httpd = self._Server(("127.0.0.1", 0), _Handler)
        self.httpd.root = root
        self.httpd.faults = dict(faults or {})
        self.httpd.requests = []
        self.httpd.counts = Counter()
        self.httpd.arrivals = defaultdict(list)
        self.httpd.lock = threading.Lock()
        self.httpd.stopping = threading.Event()
        self.httpd.canary_url = self.canary_url
        self.threads = [
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
            for server in (self.httpd, self.canary)
        ]

    @staticmethod
    def _origin(server: ThreadingHTTPServer) -> str:
        host, port = server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return self._origin(self.httpd)

    @property
    def canary_url(self) -> str:
        """Origin of the stand-in internal service (another port on 127.0.0.1)."""
        return self._origin(self.canary)

    @property
    def canary_hits(self) -> list[str]:
        return self.canary.hits

    @property
    def requests(self) -> list[str]:
        return self.httpd.requests

    def hits(self, path: str) -> int:
        """How many requests reached ``path`` (any query string)."""
        return self.httpd.counts[path]

    def gaps(self, path: str) -> list[float]:
        """Seconds between successive requests to ``path`` (how long a client waited)."""
        times = self.httpd.arrivals[path]
        return [later - earlier for earlier, later in itertools.pairwise(times)]

    def __enter__(self) -> FaultServer:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.httpd.stopping.set()  # wakes stalled and dripping handlers
        for server in (self.httpd, self.canary):
            server.shutdown()
            server.server_close()
        for thread in self.threads:
            thread.join(timeout=SOCKET_TIMEOUT)
