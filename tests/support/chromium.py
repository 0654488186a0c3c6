"""Load a local page in headless Chromium and report what a person would see go wrong.

Talks the Chrome DevTools protocol over ``--remote-debugging-pipe`` (file descriptors 3 and 4,
NUL-separated JSON), so no port is opened and nothing races for one. It records console
errors, uncaught exceptions, browser log errors and every network request, evaluates a
script in the loaded page and takes a screenshot.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
]


def find_chromium() -> str | None:
    """The Chromium executable, or None when none is installed."""
    for candidate in CHROMIUM_CANDIDATES:
        path = shutil.which(candidate)
        if path:
            return path
    return None


@dataclass
class PageResult:
    """What happened while loading the page."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    value: Any = None
    screenshot: bytes = b""


class _Pipe:
    """CDP over the two pipes: send commands, collect events, wait for replies."""

    def __init__(self, to_browser: int, from_browser: int) -> None:
        self.out = os.fdopen(to_browser, "wb", buffering=0)
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.events: list[dict[str, Any]] = []
        self.next_id = 0
        self.reader = threading.Thread(target=self._read, args=(from_browser,), daemon=True)
        self.reader.start()

    def _read(self, fd: int) -> None:
        buf = b""
        with os.fdopen(fd, "rb", buffering=0) as fh:
            while chunk := fh.read(65536):
                buf += chunk
                *complete, buf = buf.split(b"\0")
                for raw in complete:
                    self.messages.put(json.loads(raw))
        self.messages.put(None)

    def call(
        self, method: str, session: str | None = None, timeout: float = 30, **params: Any
    ) -> Any:
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        self.out.write(json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._next(deadline, method)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, event: str, timeout: float = 30) -> dict[str, Any]:
        for seen in self.events:
            if seen.get("method") == event:
                return seen
        deadline = time.monotonic() + timeout
        while True:
            msg = self._next(deadline, event)
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == event:
                    return msg

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = self.messages.get(timeout=left)
            except queue.Empty:
                return
            if msg is None:
                return
            if "method" in msg:
                self.events.append(msg)

    def _next(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        try:
            msg = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError(f"no answer from Chromium for {waiting_for}") from None
        if msg is None:
            raise RuntimeError(f"Chromium closed the pipe while waiting for {waiting_for}")
        return msg


def _high_fd(fd: int) -> int:
    """A close-on-exec copy of ``fd`` at 10 or above, so that placing the pipes on 3 and 4 in
    the child can never overwrite one with the other."""
    copy = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return copy


def load_page(
    chromium: str,
    url: str,
    profile_dir: Path,
    *,
    width: int = 1280,
    height: int = 2000,
    script: str = "true",
    settle: float = 0.5,
) -> PageResult:
    """Open ``url``, wait for ``load``, evaluate ``script`` (awaiting a promise), screenshot."""
    cmd_r, cmd_w = (_high_fd(fd) for fd in os.pipe())
    res_r, res_w = (_high_fd(fd) for fd in os.pipe())

    def place_pipes() -> None:
        os.dup2(cmd_r, 3)
        os.dup2(res_w, 4)

    proc = subprocess.Popen(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={profile_dir}",
            f"--window-size={width},{height}",
            "about:blank",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=False,
        preexec_fn=place_pipes,
    )
    os.close(cmd_r)
    os.close(res_w)
    pipe = _Pipe(cmd_w, res_r)
    result = PageResult()
    try:
        target = pipe.call("Target.createTarget", url="about:blank")["targetId"]
        session = pipe.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            pipe.call(f"{domain}.enable", session)
        pipe.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        pipe.call("Page.navigate", session, url=url)
        pipe.wait_for("Page.loadEventFired")
        evaluated = pipe.call(
            "Runtime.evaluate", session, expression=script, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in evaluated:
            result.errors.append(f"check script failed: {evaluated['exceptionDetails']}")
        result.value = evaluated.get("result", {}).get("value")
        pipe.drain(settle)
        shot = pipe.call("Page.captureScreenshot", session, format="png")
        result.screenshot = base64.b64decode(shot["data"])
        pipe.drain(0.1)
        with contextlib.suppress(RuntimeError, TimeoutError):
            pipe.call("Browser.close", timeout=5)
    finally:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        pipe.out.close()
    for event in pipe.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            texts = [str(a.get("value", a.get("description", ""))) for a in params["args"]]
            result.errors.append("console: " + " ".join(texts))
        elif method == "Runtime.exceptionThrown":
            result.errors.append(f"exception: {params['exceptionDetails']}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            result.errors.append(f"log: {entry.get('text')} {entry.get('url', '')}".strip())
        elif method == "Network.requestWillBeSent":
            result.requests.append(params["request"]["url"])
    return result
