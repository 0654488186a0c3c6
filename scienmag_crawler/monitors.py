"""Spidermon monitors run when the spider closes: did this run produce a usable dataset?

A crawl can "succeed" while the site's layout change left every record without categories.
These monitors check the run's stats against thresholds in the settings (README
"Monitoring") and ``MonitorsReport`` turns failures into a log report naming each broken
field and threshold plus the stat ``scienmag/monitors/failed``, which the project's
``crawl`` command turns into a non-zero exit status.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any, ClassVar

from scrapy.exceptions import ScrapyDeprecationWarning
from spidermon import Monitor, MonitorSuite
from spidermon.core.actions import Action

from scienmag_crawler.coverage import ITEMS_STAT, coverage_stat
from scienmag_crawler.extract.layers import FALLBACK_LAYERS
from scienmag_crawler.summary import by_suffix, prefix_total

logger = logging.getLogger(__name__)

#: fields every record must have: a record without them is no article
REQUIRED_FIELDS = ("title", "published", "body")
FAILED_STAT = "scienmag/monitors/failed"
PASSED_STAT = "scienmag/monitors/passed"
#: drop reasons that mean "an article page whose extraction failed" (not an odd page)
EXTRACTION_FAILURES = ("no-title", "no-date", "empty-body")
#: records per body layer, counted by the spider: ``scienmag/extraction/body/<layer>``
BODY_LAYER_STAT = "scienmag/extraction/body/"

# spidermon's log writer still calls Spider.log(); its deprecation warning would be logged
# (as a WARNING) on every run and count against the warning monitor
warnings.filterwarnings(
    "ignore", message=r"Spider\.log\(\) is deprecated", category=ScrapyDeprecationWarning
)


def articles_known(stats: Any) -> int:
    """Harvest mode: articles not fetched or not delivered because they are known and
    unchanged (link sightings, so an upper bound); 0 outside harvest mode."""
    return (stats.get("scienmag/harvest/skipped_known", 0) or 0) + (
        stats.get("scienmag/harvest/skipped_unchanged", 0) or 0
    )


class ScienmagMonitor(Monitor):
    """Gives monitors the run's stats and settings; failures are one line each."""

    #: monitors are unittest cases run by spidermon, not tests for pytest to collect
    __test__ = False

    @property
    def stats(self) -> Any:
        return self.data.stats

    @property
    def settings(self) -> Any:
        return self.data.crawler.settings

    def stat(self, name: str) -> Any:
        return self.stats.get(name, 0) or 0


class ItemCountMonitor(ScienmagMonitor):
    """At least ``SCIENMAG_MIN_ITEMS`` articles."""

    def test_minimum_items(self) -> None:
        """Delivered items; in harvest mode known and unchanged articles count too (an
        unchanged site legitimately delivers nothing new)."""
        minimum = self.settings.getint("SCIENMAG_MIN_ITEMS", 1)
        items = self.stat("item_scraped_count") + articles_known(self.stats)
        if items < minimum:
            self.fail(f"item count {items} < {minimum} (SCIENMAG_MIN_ITEMS)")


class FieldCoverageMonitor(ScienmagMonitor):
    """Share of items with each field filled, from ``FieldCoveragePipeline``."""

    def test_field_coverage(self) -> None:
        """title, published and body on every item; others per
        ``SCIENMAG_COVERAGE_THRESHOLDS``."""
        items = self.stat(ITEMS_STAT)
        if not items:
            self.skipTest("no items to measure (see the item count monitor)")
        thresholds = dict.fromkeys(REQUIRED_FIELDS, 1.0)
        configured = self.settings.getdict("SCIENMAG_COVERAGE_THRESHOLDS")
        thresholds.update({f: float(t) for f, t in configured.items() if f not in thresholds})
        broken = []
        for field, threshold in thresholds.items():
            coverage = self.stat(coverage_stat(field)) / items
            if coverage < threshold:
                broken.append(f"coverage of {field} {coverage:.2f} < {threshold:.2f}")
        if broken:
            self.fail(f"{'; '.join(broken)} (over {items} items)")


class ErrorCountMonitor(ScienmagMonitor):
    """ERROR log lines at most ``SCIENMAG_MAX_ERRORS``."""

    def test_errors(self) -> None:
        """Errors in the log mean code or downloads broke."""
        maximum = self.settings.getint("SCIENMAG_MAX_ERRORS", 0)
        errors = self.stat("log_count/ERROR")
        if errors > maximum:
            self.fail(f"errors logged {errors} > {maximum} (SCIENMAG_MAX_ERRORS)")


class WarningCountMonitor(ScienmagMonitor):
    """WARNING log lines per item (harvest mode: per article accounted for) at most
    ``SCIENMAG_MAX_WARNINGS_PER_ITEM`` and, when set, in total at most
    ``SCIENMAG_MAX_WARNINGS``."""

    def test_warnings(self) -> None:
        """A few odd pages warn on every run; a flood of warnings means pages stopped
        looking like articles."""
        warnings = self.stat("log_count/WARNING")
        # no items: the ratio means nothing (the item count monitor reports that run)
        items = self.stat("item_scraped_count") + articles_known(self.stats)
        ratio_max = self.settings.getfloat("SCIENMAG_MAX_WARNINGS_PER_ITEM", 0.5)
        problems = []
        if items and warnings / items > ratio_max:
            problems.append(
                f"warnings per item {warnings / items:.2f} > {ratio_max:.2f} "
                f"({warnings} warnings; SCIENMAG_MAX_WARNINGS_PER_ITEM)"
            )
        count_max = self.settings.get("SCIENMAG_MAX_WARNINGS")
        if count_max is not None and warnings > int(count_max):
            problems.append(f"warnings {warnings} > {int(count_max)} (SCIENMAG_MAX_WARNINGS)")
        if problems:
            self.fail("; ".join(problems))


class DroppedItemsMonitor(ScienmagMonitor):
    """Invalid records at most ``SCIENMAG_MAX_INVALID_ITEMS``; pages dropped as "not an
    article" at most ``SCIENMAG_MAX_DROPPED_RATIO`` of the article pages read, and those
    dropped for a missing title, date or body at most ``SCIENMAG_MAX_EXTRACTION_FAILURES``
    of them."""

    def test_invalid_items(self) -> None:
        """A record failing the schema is an extraction bug."""
        maximum = self.settings.getint("SCIENMAG_MAX_INVALID_ITEMS", 0)
        invalid = self.stat("scienmag/validation/invalid")
        if invalid > maximum:
            fields = sorted(
                k.rsplit("/", 1)[-1]
                for k in self.stats
                if k.startswith("scienmag/validation/errors/")
            )
            self.fail(
                f"invalid items {invalid} > {maximum} (SCIENMAG_MAX_INVALID_ITEMS; "
                f"failing fields: {', '.join(fields) or '-'})"
            )

    def test_dropped_pages(self) -> None:
        """Some odd pages are dropped on every run; most of them means the article template
        is no longer recognised (no title, empty body ...)."""
        dropped = prefix_total(self.stats, "scienmag/dropped/")
        read = dropped + self.stat("scienmag/articles/extracted")
        read += self.stat("scienmag/harvest/skipped_known")
        if not read:
            return
        maximum = self.settings.getfloat("SCIENMAG_MAX_DROPPED_RATIO", 0.25)
        if dropped / read > maximum:
            reasons = ", ".join(
                f"{k.rsplit('/', 1)[-1]}={v}"
                for k, v in sorted(self.stats.items())
                if k.startswith("scienmag/dropped/")
            )
            self.fail(
                f"dropped pages {dropped / read:.2f} > {maximum:.2f} of {read} article pages "
                f"({reasons}; SCIENMAG_MAX_DROPPED_RATIO)"
            )

    def test_extraction_failures(self) -> None:
        """A post page without title, date or body is usually a selector that no longer
        matches: the record is lost, not just a field."""
        failed = {r: self.stat(f"scienmag/dropped/{r}") for r in EXTRACTION_FAILURES}
        read = prefix_total(self.stats, "scienmag/dropped/")
        read += self.stat("scienmag/articles/extracted")
        read += self.stat("scienmag/harvest/skipped_known")
        if not read:
            return
        maximum = self.settings.getfloat("SCIENMAG_MAX_EXTRACTION_FAILURES", 0.1)
        share = sum(failed.values()) / read
        if share > maximum:
            reasons = ", ".join(f"{r}={n}" for r, n in failed.items() if n)
            self.fail(
                f"extraction failures {share:.2f} > {maximum:.2f} of {read} article pages "
                f"({reasons}; SCIENMAG_MAX_EXTRACTION_FAILURES)"
            )


class FallbackBodyMonitor(ScienmagMonitor):
    """Records whose body came from a fallback layer (WordPress conventions or the generic
    extractor, not the JNews layout) at most ``SCIENMAG_MAX_FALLBACK_SHARE`` of them."""

    def test_fallback_bodies(self) -> None:
        """The fallbacks keep records coming when the theme changes, but their bodies are
        less clean: the run must say that the JNews selectors need updating."""
        layers = by_suffix(self.stats, BODY_LAYER_STAT)
        records = sum(layers.values())
        if not records:
            return
        fallback = {layer: n for layer, n in layers.items() if layer in FALLBACK_LAYERS}
        share = sum(fallback.values()) / records
        maximum = self.settings.getfloat("SCIENMAG_MAX_FALLBACK_SHARE", 0.0)
        if share > maximum:
            counts = ", ".join(f"{layer}={n}" for layer, n in fallback.items())
            self.fail(
                f"bodies from fallback layers {share:.2f} > {maximum:.2f} of {records} records "
                f"({counts}; SCIENMAG_MAX_FALLBACK_SHARE)"
            )


class FinishReasonMonitor(ScienmagMonitor):
    """The spider finished on its own (not shut down, timed out or out of memory)."""

    def test_finish_reason(self) -> None:
        """Anything but ``SCIENMAG_EXPECTED_FINISH_REASONS`` means an incomplete run."""
        expected = self.settings.getlist("SCIENMAG_EXPECTED_FINISH_REASONS", ["finished"])
        reason = self.stats.get("finish_reason")
        if reason not in expected:
            self.fail(f"finish reason {reason!r} not in {expected}")


def failure_lines(result: Any) -> list[str]:
    """``<monitor>: <message>`` for every failed or crashed monitor of a spidermon result."""
    lines = []
    for failed in result.monitors_failed_results:
        error = (failed.error or "").strip()
        marker = "AssertionError: "
        message = error.rsplit(marker, 1)[-1] if marker in error else error.splitlines()[-1:]
        if isinstance(message, list):
            message = message[0] if message else failed.status
        lines.append(f"{failed.item.monitor_name}: {message}")
    return lines


class MonitorsReport(Action):
    """Record the outcome in the stats (``scienmag/monitors/passed``/``failed``: number of
    monitors) and, on failure, log one ERROR report naming every broken threshold."""

    def run_action(self) -> None:
        stats = self.data.crawler.stats
        failures = failure_lines(self.result)
        passed = len(self.result.monitors_passed_results)
        stats.set_value(PASSED_STAT, passed)
        stats.set_value(FAILED_STAT, len(failures))
        if failures:
            logger.error(
                "Monitors FAILED (%d of %d): the run's output is not trustworthy\n%s",
                len(failures),
                len(failures) + passed,
                "\n".join(f"  - {line}" for line in failures),
            )
        else:
            logger.info("Monitors passed (%d)", passed)


class SpiderCloseMonitorSuite(MonitorSuite):
    """Everything checked when the spider closes (``SPIDERMON_SPIDER_CLOSE_MONITORS``)."""

    monitors: ClassVar[list[Any]] = [
        ItemCountMonitor,
        FieldCoverageMonitor,
        ErrorCountMonitor,
        WarningCountMonitor,
        DroppedItemsMonitor,
        FallbackBodyMonitor,
        FinishReasonMonitor,
    ]
    monitors_finished_actions: ClassVar[list[Any]] = [MonitorsReport]
