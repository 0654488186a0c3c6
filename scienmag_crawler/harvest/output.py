"""Crash-safe JSON lines: each record reaches the file in one ``write`` of a whole line."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class JsonLinesAppender:
    """Append-only JSON-lines file. A process killed at any instant leaves whole lines only:
    the line is encoded first and handed to the kernel in a single ``os.write`` on an
    ``O_APPEND`` descriptor, then flushed to disk with ``fsync`` (``durable=True``)."""

    def __init__(self, path: Path, *, durable: bool = True) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.durable = durable
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, record: dict[str, Any]) -> None:
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        written = os.write(self.fd, line)
        while written < len(line):  # a short write: keep going, the line stays whole
            written += os.write(self.fd, line[written:])
        if self.durable:
            os.fsync(self.fd)

    def close(self) -> None:
        os.close(self.fd)
