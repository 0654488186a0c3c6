"""``CrawlProgress``: live progress of a crawl that a person can follow.

Scrapy's LogStats says pages and items once a minute; an operator watching a long harvest, or
reading a cron log afterwards, also wants drops, errors, the pace and, when the spider knows
how much there is to do, how long is left. On a terminal that is a rich progress bar (log
lines keep scrolling above it); anywhere else (cron, CI, a pipe, a log file) plain log lines
every ``SCIENMAG_PROGRESS_INTERVAL`` seconds.

Figures are read from the crawl's stats, the same source as the end-of-run summary
(:mod:`scienmag_crawler.summary`), so the last progress line and the summary agree. A total,
and so an ETA, exists only when the spider publishes one: sitemap entries scheduled by a
harvest (``scienmag/progress/expected_articles``) or ``max_pages`` times the listings it was
started on (``scienmag/progress/expected_listing_pages``, an upper bound: a listing may end
sooner).
"""

from __future__ import annotations

import io
import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console, RenderableType
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn
from rich.text import Text
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from scienmag_crawler.summary import (
    SUMMARY_STATS_ATTR,
    RunSummary,
    dropped_counts,
    error_counts,
    prefix_total,
    summary_table,
)

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.utils.asyncio import AsyncioLoopingCall
    from twisted.internet.task import LoopingCall

logger = logging.getLogger(__name__)

MODES = ("auto", "bar", "log", "off")
#: stats a spider sets when it knows how much work a run holds
EXPECTED_ARTICLES = "scienmag/progress/expected_articles"
EXPECTED_LISTING_PAGES = "scienmag/progress/expected_listing_pages"
#: seconds between redraws of the bar (log lines have their own, slower interval)
BAR_REFRESH = 0.5
#: log-record attribute of progress lines: the bar already shows them on the terminal
PROGRESS_ATTR = "scienmag_progress"
#: the logger the run summary comes from
SUMMARY_LOGGER = RunSummary.__module__


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@dataclass(frozen=True)
class Figures:
    """What the display shows at one moment of a crawl."""

    elapsed: float
    pages: int = 0
    items: int = 0
    dropped: int = 0
    errors: int = 0
    #: work done towards ``total`` and the unit both are counted in, when a total is known
    done: int = 0
    total: int | None = None
    unit: str = ""
    #: the total is an estimate (from a listing bound), shown as "~N"
    estimated: bool = False

    def per_minute(self, count: int) -> float:
        return count / self.elapsed * 60 if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the run's average pace so far; None without a total or before
        anything is done (no pace yet).

        >>> Figures(elapsed=60.0, done=50, total=200, unit="articles").eta
        180.0
        >>> Figures(elapsed=60.0, done=50).eta is None
        True
        """
        if self.total is None or self.done <= 0 or self.elapsed <= 0:
            return None
        return max(self.total - self.done, 0) * self.elapsed / self.done


def figures_from_stats(stats: Mapping[str, Any], elapsed: float) -> Figures:
    """The figures for a crawl's stats after ``elapsed`` seconds (pure, for tests).

    Sitemap total: an article scheduled from a sitemap is done once extracted, dropped,
    skipped or failed. Listing bound: the pages still to come are estimated from the requests
    the listing pages fetched so far brought in (``scheduler/enqueued``: listing, its articles
    and its next page), scaled to the bound; without it the ETA would reach zero when the last
    listing page is in, with its articles still queued. Each part is capped at its own size, so
    an article found outside the sitemaps cannot hide work still left elsewhere.
    """
    errors = sum(error_counts(stats).values())
    pages = int(stats.get("response_received_count") or 0)
    parts: list[tuple[int, int, str]] = []
    expected = int(stats.get(EXPECTED_ARTICLES) or 0)
    if expected:
        done = (
            int(stats.get("scienmag/articles/extracted") or 0)
            + prefix_total(stats, "scienmag/dropped/")
            + int(stats.get("scienmag/skipped/older_than_since") or 0)
            + errors
        )
        parts.append((min(done, expected), expected, "articles"))
    bound = int(stats.get(EXPECTED_LISTING_PAGES) or 0)
    listed = int(stats.get("scienmag/listing/pages") or 0)
    if bound and listed:
        enqueued = int(stats.get("scheduler/enqueued") or 0)
        estimate = max(round(enqueued * bound / min(listed, bound)), pages, 1)
        parts.append((min(pages, estimate), estimate, "pages"))
    return Figures(
        elapsed=elapsed,
        pages=pages,
        items=int(stats.get("item_scraped_count") or 0),
        dropped=sum(dropped_counts(stats).values()),
        errors=errors,
        done=sum(p[0] for p in parts),
        total=sum(p[1] for p in parts) if parts else None,
        unit=parts[0][2] if len(parts) == 1 else "pages" if parts else "",
        estimated=bool(bound and listed),
    )


def format_duration(seconds: float) -> str:
    """Short and fixed-format, so successive lines line up.

    >>> format_duration(42.4), format_duration(200), format_duration(3725)
    ('42s', '3m20s', '1h02m')
    """
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def format_counts(f: Figures, sep: str = ", ") -> str:
    """The counts, in the words the run summary uses.

    >>> format_counts(Figures(elapsed=1, pages=120, items=1, dropped=3, errors=1))
    '120 pages, 1 item, 3 dropped, 1 error'
    """
    return sep.join(
        [
            _plural(f.pages, "page"),
            _plural(f.items, "item"),
            f"{f.dropped} dropped",
            _plural(f.errors, "error"),
        ]
    )


def format_rates(f: Figures, sep: str = ", ") -> str:
    """Average pace since the start (steadier than the last interval's under AutoThrottle).

    >>> format_rates(Figures(elapsed=30.0, pages=90, items=36))
    '180.0 pages/min, 72.0 items/min'
    """
    return f"{f.per_minute(f.pages):.1f} pages/min{sep}{f.per_minute(f.items):.1f} items/min"


def format_total(f: Figures) -> str:
    """Progress towards the known total with the ETA; empty without a total.

    >>> format_total(Figures(elapsed=60.0, done=50, total=200, unit="articles"))
    '50/200 articles (25%), ETA 3m00s'
    >>> format_total(Figures(elapsed=0.0, total=80, unit="pages", estimated=True))
    '0/~80 pages (0%), ETA -'
    """
    if f.total is None:
        return ""
    share = 100 * f.done // f.total if f.total else 100
    eta = f.eta
    return (
        f"{f.done}/{'~' if f.estimated else ''}{f.total} {f.unit} ({share}%), "
        f"ETA {format_duration(eta) if eta is not None else '-'}"
    )


def format_line(f: Figures, closed: str | None = None) -> str:
    """One progress log line; ``closed`` is the close reason for the last line of a run, e.g.
    ``Progress at 1m05s: 120 pages, 48 items, 3 dropped, 1 error; 110.8 pages/min, 44.3
    items/min; 48/200 articles (24%), ETA 3m26s``."""
    duration = format_duration(f.elapsed)
    if closed is None:
        head = f"Progress at {duration}"
    elif closed == "finished":
        head = f"Progress: finished in {duration}"
    else:
        head = f"Progress: closed ({closed}) after {duration}"
    parts = [format_counts(f), format_rates(f)]
    # a closed run has nothing left: no total, no ETA (the summary follows)
    total = format_total(f) if closed is None else ""
    if total:
        parts.append(total)
    return f"{head}: " + "; ".join(parts)


def stderr_is_terminal() -> bool:
    """``auto`` mode's test: a bar only for a person at a terminal; cron, CI, pipes and log
    files get plain lines."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False
    return tty and os.environ.get("TERM") != "dumb"


# --- the terminal bar -------------------------------------------------------------------
class _ConsoleStream(io.TextIOBase):
    """A stream for logging handlers: whole lines go out through the console, so rich prints
    them above the live bar instead of over it. Lines are not re-wrapped (URLs stay whole)."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console
        self._partial = ""

    def write(self, text: str) -> int:
        *lines, self._partial = (self._partial + text).split("\n")
        for line in lines:
            self.console.out(line, highlight=False)
        return len(text)

    def flush(self) -> None:
        if self._partial:
            self.console.out(self._partial, highlight=False)
            self._partial = ""


class _SummaryTable(logging.Filter):
    """On the summary's logger: print the run summary as a table on the bar's terminal, where
    the bar was (whether or not the log itself goes to that terminal)."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def filter(self, record: logging.LogRecord) -> bool:
        stats = getattr(record, SUMMARY_STATS_ATTR, None)
        if stats is not None:
            self.console.print(summary_table(stats))
        return True


class _NotOnTerminal(logging.Filter):
    """On handlers writing to the bar's terminal: progress lines and the summary text are
    left out, the bar and the table show them; other handlers (``LOG_FILE``) keep them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (getattr(record, PROGRESS_ATTR, False) or hasattr(record, SUMMARY_STATS_ATTR))


class _TwoLineProgress(Progress):
    """The bar on one line, the counts and rates on the next (one line would not fit 80
    columns)."""

    figures_line = ""

    def get_renderables(self) -> Iterator[RenderableType]:
        yield self.make_tasks_table(self.tasks)
        yield Text(self.figures_line, style="dim", no_wrap=True, overflow="ellipsis")


class TerminalBar:
    """The rich progress bar, and the log handlers routed through its console meanwhile."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.progress = _TwoLineProgress(
            SpinnerColumn(finished_text="✓"),
            TextColumn("{task.description}", markup=False),
            BarColumn(bar_width=30),
            TextColumn("{task.fields[total_text]}", markup=False),
            TextColumn("{task.fields[elapsed]}", markup=False),
            console=console,
            auto_refresh=False,  # redrawn from the reactor: stats are not read from a thread
            redirect_stdout=False,  # `-O -` writes the records to stdout
            transient=False,  # the last state stays on screen as the run's final line
        )
        self.task = self.progress.add_task("crawling", total=None, total_text="", elapsed="")
        self._not_on_terminal = _NotOnTerminal()
        self._summary_table = _SummaryTable(console)
        self._routed: list[tuple[logging.StreamHandler[Any], IO[str]]] = []

    def start(self, terminal: Iterable[IO[str] | None]) -> None:
        """Show the bar; handlers of the root logger writing to one of the ``terminal``
        streams print through the console until :meth:`release`."""
        targets = [s for s in terminal if s is not None]
        self.progress.start()
        logging.getLogger(SUMMARY_LOGGER).addFilter(self._summary_table)
        stream = _ConsoleStream(self.console)
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and any(
                handler.stream is t for t in targets
            ):
                old = handler.setStream(stream)
                if old is not None:
                    self._routed.append((handler, old))
                    handler.addFilter(self._not_on_terminal)

    def update(self, f: Figures, closed: str | None = None) -> None:
        """Redraw with ``f``; ``closed`` (the close reason) for the last state."""
        total = "" if closed else format_total(f)
        if closed:  # a full bar: the run is over, whatever the estimate said
            self.progress.update(self.task, total=max(f.done, 1), completed=max(f.done, 1))
        else:
            self.progress.update(self.task, total=f.total, completed=f.done)
        self.progress.update(
            self.task,
            description=closed or "crawling",
            total_text=total,
            elapsed=f"{format_duration(f.elapsed)} elapsed",
        )
        self.progress.figures_line = f"  {format_counts(f, ' · ')} · {format_rates(f, ' · ')}"
        self.progress.refresh()

    def stop(self) -> None:
        self.progress.stop()

    def release(self) -> None:
        """Give the log handlers their streams back (idempotent)."""
        logging.getLogger(SUMMARY_LOGGER).removeFilter(self._summary_table)
        for handler, old in self._routed:
            handler.setStream(old)
            handler.removeFilter(self._not_on_terminal)
        self._routed.clear()


# --- the extension ----------------------------------------------------------------------
class CrawlProgress:
    """Progress during a crawl (``SCIENMAG_PROGRESS``: auto | bar | log | off) and its last
    line at the end, just before :class:`~scienmag_crawler.summary.RunSummary`."""

    def __init__(
        self, crawler: Crawler, mode: str, interval: float, console: Console | None = None
    ) -> None:
        self.crawler = crawler
        self.mode = mode
        self.interval = interval
        self.console = console
        self.bar: TerminalBar | None = None
        self.started = time.monotonic()
        self._loops: list[AsyncioLoopingCall | LoopingCall] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        mode = str(crawler.settings.get("SCIENMAG_PROGRESS", "auto")).strip().lower()
        if mode not in MODES:
            raise ValueError(f"SCIENMAG_PROGRESS must be one of {', '.join(MODES)}, got {mode!r}")
        if mode == "off":
            raise NotConfigured("SCIENMAG_PROGRESS is off")
        interval = crawler.settings.getfloat("SCIENMAG_PROGRESS_INTERVAL", 30.0)
        if interval <= 0:
            raise ValueError(f"SCIENMAG_PROGRESS_INTERVAL must be above 0, got {interval!r}")
        ext = cls(crawler, mode, interval)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def figures(self) -> Figures:
        assert self.crawler.stats is not None
        stats = self.crawler.stats.get_stats()
        # at the end, the same elapsed time as the summary
        elapsed = stats.get("elapsed_time_seconds") or time.monotonic() - self.started
        return figures_from_stats(stats, float(elapsed))

    def open_display(self) -> None:
        """Start the clock and, in bar mode, the bar."""
        self.started = time.monotonic()
        if self.mode == "bar" or (self.mode == "auto" and stderr_is_terminal()):
            terminal = (sys.stderr, sys.__stderr__)  # read before rich redirects sys.stderr
            self.bar = TerminalBar(self.console or Console(stderr=True))
            self.bar.start(terminal)
            self.bar.update(self.figures())

    def spider_opened(self, spider: Spider) -> None:
        self.open_display()
        log_loop = create_looping_call(self.log_line)
        log_loop.start(self.interval, now=False)
        self._loops.append(log_loop)
        if self.bar is not None:
            bar_loop = create_looping_call(self.redraw)
            bar_loop.start(BAR_REFRESH, now=False)
            self._loops.append(bar_loop)

    def log_line(self) -> None:
        logger.info(format_line(self.figures()), extra={PROGRESS_ATTR: True})

    def redraw(self) -> None:
        if self.bar is not None:
            self.bar.update(self.figures())

    def spider_closed(self, spider: Spider, reason: str) -> None:
        for loop in self._loops:
            if loop.running:
                loop.stop()
        self._loops.clear()
        figures = self.figures()
        if self.bar is not None:
            self.bar.update(figures, closed=reason)
            self.bar.stop()
        logger.info(format_line(figures, closed=reason), extra={PROGRESS_ATTR: True})

    def engine_stopped(self) -> None:
        """After Scrapy's own end-of-run logging (the stats dump), hand the log back."""
        if self.bar is not None:
            self.bar.release()
