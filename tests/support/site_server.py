"""A local HTTP server serving the offline snapshot, for end-to-end crawls over real HTTP.

It binds port 0 and reports the real port (no race), serves the files of
``fixtures/site/scienmag.com`` with the same URL → file mapping as the snapshot download
handler, and answers 404 for anything else. Crawls reach it through
``SCIENMAG_MIRROR_URL``, so they keep requesting the public ``https://scienmag.com`` URLs.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType

from scienmag_crawler.snapshot import SnapshotPathError, content_type, resolve_snapshot_path

PUBLIC_ORIGIN = "https://scienmag.com"


class _Handler(BaseHTTPRequestHandler):
    server: SiteServer._Server

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        if self.server.delay:
            time.sleep(self.server.delay)
        try:
            path = resolve_snapshot_path(self.server.root, PUBLIC_ORIGIN + self.path)
        except SnapshotPathError:
            path = None
        if path is None:
            self._send(404, "text/plain", b"not found")
            return
        self._send(200, content_type(path), path.read_bytes())

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class SiteServer:
    """``with SiteServer(root) as site: site.url`` → ``http://127.0.0.1:<port>``."""

    class _Server(ThreadingHTTPServer):
        daemon_threads = True
        root: Path
        requests: list[str]
        delay: float

    def __init__(self, root: Path, delay: float = 0.0) -> None:
        """``delay``: seconds to wait before each response (to make runs long enough to kill)."""
        self.httpd = self._Server(("127.0.0.1", 0), _Handler)
        self.httpd.root = root
        self.httpd.delay = delay
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[str]:
        return self.httpd.requests

    def __enter__(self) -> SiteServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: tuple[type[BaseException], BaseException, TracebackType]) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
