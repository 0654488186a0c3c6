"""Article extraction in worker processes, so that a crawl uses more than one core.

Scrapy runs the engine, middlewares, callbacks and pipelines on one thread. In an offline
crawl that thread is the bottleneck, and extraction (about 6.5 ms a page of pure Python) is
most of its work. With a pool, the spider hands each article page's bytes to a worker
process and awaits the record: Scrapy keeps reading, routing and exporting pages on its core
while the workers extract on the others. A worker runs the same
:func:`~scienmag_crawler.extract.extract_article` on the text Scrapy would have decoded, so
the records are those of in-process extraction.

Workers are plain child processes (:mod:`scienmag_crawler.extraction_worker`) fed over pipes
from the crawl's asyncio loop, not a ``ProcessPoolExecutor``: no threads pass pages to and
fro, competing with Scrapy for the interpreter, the program that started the crawl is not
run again in each worker, a worker ends by itself when the crawl's process is gone, and when
a worker dies the pool knows the page it was extracting. That page is tried once more in a
new worker; the pages queued behind it are sent again, to a live worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import pickle
import signal
import sys
from collections import deque
from dataclasses import dataclass, field

from scienmag_crawler.extraction_worker import HEADER, encode_message, size_of
from scienmag_crawler.items import Article

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

#: jobs sent ahead to one worker: the next page waits in its pipe while it extracts one, so
#: it never idles until the crawl's busy loop gets round to sending more
DEPTH = 4
#: bytes a pipe to a worker may hold (Linux's most for a user, by default)
PIPE_SIZE = 1 << 20
#: times a worker may die extracting one page before the page is given up
ATTEMPTS = 2
#: workers in a row that may end before their first result before the pool gives up
MAX_FAILED_STARTS = 5


class WorkerDied(Exception):  # noqa: N818 - reads as what happened: raise WorkerDied(url)
    """Worker processes died while extracting this page, :data:`ATTEMPTS` times."""

    def __init__(self, url: str, how: str) -> None:
        super().__init__(self.describe(how))
        self.url = url

    @staticmethod
    def describe(how: str) -> str:
        return f"extraction worker died on it {ATTEMPTS} times (last: {how})"


class WorkersFailing(WorkerDied):
    """Workers keep ending before their first result (a broken install, say): pages are
    given up at once instead of each starting workers that will die too."""

    @staticmethod
    def describe(how: str) -> str:
        return (
            f"{MAX_FAILED_STARTS} extraction workers in a row ended before any result (last: {how})"
        )


class _SendAgain(Exception):  # noqa: N818
    """The page was queued behind one that killed its worker: never extracted, send again."""


class _Died(Exception):  # noqa: N818
    """The worker died on this page (``how``: the signal, exit status or timeout)."""

    def __init__(self, how: str) -> None:
        super().__init__(how)
        self.how = how


@dataclass
class _Worker:
    process: asyncio.subprocess.Process
    #: (url, future) of the jobs sent, in the order their results will come
    sent: deque[tuple[str, asyncio.Future[Article]]] = field(default_factory=deque)
    #: the task reading its results (held here: the loop keeps only a weak reference)
    reader: asyncio.Task[None] | None = None
    #: stops the worker when its oldest page has taken too long
    timer: asyncio.TimerHandle | None = None
    timed_out: bool = False
    results: int = 0


def _death(returncode: int | None) -> str:
    """
    >>> _death(-9), _death(-40), _death(70)
    ('killed by SIGKILL', 'killed by signal 40', 'exit status 70')
    """
    if returncode is not None and returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:  # real-time signals have no name
            return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


class ExtractionPool:
    """Up to ``processes`` workers; :meth:`extract` awaits the record of one page.

    Workers start with :meth:`start` or the first page. Use from one asyncio event loop (the
    crawl's).
    """

    def __init__(
        self, processes: int, command: list[str] | None = None, timeout: float = 120.0
    ) -> None:
        if processes < 1:
            raise ValueError(f"an extraction pool needs at least 1 process, got {processes}")
        self.processes = processes
        #: how a worker is started (tests start workers that misbehave)
        self.command = command or [sys.executable, "-m", "scienmag_crawler.extraction_worker"]
        #: seconds a worker may spend on one page before it is stopped (and the page counted
        #: as one that killed its worker): a hung page cannot stall the crawl for ever
        self.timeout = timeout
        #: workers that died (and were replaced)
        self.deaths = 0
        #: live workers
        self._workers: list[_Worker] = []
        #: a page waits here only while every worker has DEPTH pages: one wake-up per page
        #: (each wake-up resumes Scrapy's whole chain of spider middlewares)
        self._slots = asyncio.Semaphore(processes * DEPTH)
        self._start_lock = asyncio.Lock()
        #: workers in a row that ended before their first result, and how the last ended
        self._failed_starts = 0
        self._last_failure = ""
        self._closing = False
        #: workers started, replacements included
        self.starts = 0

    async def extract(self, url: str, body: bytes, encoding: str) -> Article:
        """The record of the page; raises what extraction raised (``NotAnArticle``, or any
        error, with the worker's traceback as a note), or :class:`WorkerDied`."""
        job = encode_message((url, body, encoding))
        attempts = 0
        while True:
            async with self._slots:
                if self._failed_starts >= MAX_FAILED_STARTS:
                    raise WorkersFailing(url, self._last_failure)
                worker = await self._pick()
                future: asyncio.Future[Article] = asyncio.get_running_loop().create_future()
                worker.sent.append((url, future))
                if len(worker.sent) == 1:
                    self._time(worker)
                # no drain(): the slots bound what can wait in the pipes' buffers
                worker.process.stdin.write(job)  # type: ignore[union-attr]
                try:
                    return await future
                except _SendAgain:
                    continue
                except _Died as died:
                    attempts += 1
                    if attempts >= ATTEMPTS:
                        raise WorkerDied(url, died.how) from None

    async def _pick(self) -> _Worker:
        """The live worker with the fewest pages sent (after replacing any that died)."""
        if len(self._workers) < self.processes:
            await self.start()
        return min(self._workers, key=lambda w: len(w.sent))

    async def start(self) -> None:
        """Start the missing workers. The crawl calls this as it opens, so that the workers'
        own start (a second or so of imports) overlaps the first listing pages."""
        async with self._start_lock:
            while len(self._workers) < self.processes:
                await self._start()

    async def _start(self) -> _Worker:
        process = await asyncio.create_subprocess_exec(
            *self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            # a session of its own: Ctrl-C at a terminal, or a signal to the crawl's process
            # group, is the crawl's to handle, even during the worker's first second
            start_new_session=True,
        )
        self.starts += 1
        _widen(process.stdin)
        worker = _Worker(process)
        self._workers.append(worker)
        worker.reader = asyncio.get_running_loop().create_task(self._read_results(worker))
        return worker

    async def _read_results(self, worker: _Worker) -> None:
        stdout = worker.process.stdout
        assert stdout is not None
        try:
            while True:
                payload = await stdout.readexactly(size_of(await stdout.readexactly(HEADER.size)))
                url, future = worker.sent.popleft()
                worker.results += 1
                self._time(worker)
                try:
                    ok, *value = pickle.loads(payload)
                except Exception as exc:  # a result this process cannot rebuild: that page's
                    ok, value = False, [RuntimeError(f"unreadable result for {url}: {exc!r}"), ""]
                if future.done():  # cancelled: the crawl stopped waiting for this page
                    pass
                elif ok:
                    future.set_result(value[0])
                else:
                    exc, text = value
                    if text:
                        exc.add_note(f"in the extraction worker:\n{text}")
                    future.set_exception(exc)
        except asyncio.IncompleteReadError:
            pass
        except Exception:  # out of step with the worker (a result with no page): stop it
            logger.exception("Extraction worker %d broke the protocol", worker.process.pid)
            worker.process.kill()
        await self._lost(worker)

    def _time(self, worker: _Worker) -> None:
        """Time the page the worker is on now (its oldest), if any."""
        if worker.timer is not None:
            worker.timer.cancel()
            worker.timer = None
        if worker.sent:
            loop = asyncio.get_running_loop()
            worker.timer = loop.call_later(self.timeout, self._stop, worker, worker.sent[0][1])

    def _stop(self, worker: _Worker, page: asyncio.Future[Article]) -> None:
        if worker.sent and worker.sent[0][1] is page and worker.process.returncode is None:
            worker.timed_out = True
            worker.process.kill()

    async def _lost(self, worker: _Worker) -> None:
        """The worker's output ended: it died, or the pool is closing."""
        self._workers.remove(worker)
        returncode = await worker.process.wait()
        if worker.timer is not None:
            worker.timer.cancel()
        if self._closing and not worker.sent:
            return
        how = f"stopped after {self.timeout:g} s on it" if worker.timed_out else _death(returncode)
        if worker.results:
            self._failed_starts = 0
        else:
            self._failed_starts += 1
            self._last_failure = how
        if not worker.sent:
            logger.warning(
                "Extraction worker %d ended with no page in hand (%s)", worker.process.pid, how
            )
            return
        self.deaths += 1
        url, future = worker.sent.popleft()
        logger.warning(
            "Extraction worker %d died while extracting %s (%s); starting another",
            worker.process.pid,
            url,
            how,
        )
        if not future.done():
            future.set_exception(_Died(how))
        for _url, queued in worker.sent:
            if not queued.done():
                queued.set_exception(_SendAgain())
        worker.sent.clear()

    async def close(self) -> None:
        """End the workers (idle once the crawl has no page in flight) and wait for them."""
        self._closing = True
        workers = list(self._workers)
        for worker in workers:
            worker.process.stdin.close()  # type: ignore[union-attr]
        for worker in workers:
            await worker.process.wait()


def _widen(stream: asyncio.StreamWriter | None) -> None:
    """Let the pipe to a worker hold several pages (Linux: 64 KiB, under one page, by
    default), so that the worker finds its next page there while the crawl's loop is busy."""
    pipe = stream.get_extra_info("pipe") if stream is not None else None
    if pipe is not None and hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux
        with contextlib.suppress(OSError):  # above the system's limit: keep the default
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)
