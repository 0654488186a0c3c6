"""Make a Scrapy job folder safe to reuse after a run that was killed outright.

Scrapy's JOBDIR survives a clean stop only (scrapy#2399): after ``kill -9`` its queue may miss
requests that its seen-request file already lists, and those pages would never be fetched.
A harvest knows when its last run died (the state store has a run that never finished), so
it discards the job folder's request state before the crawl opens: discovery starts over,
and the state store makes the repeat free of duplicates.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from scienmag_crawler.harvest.state import STATE_FILE, HarvestState

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

#: what Scrapy keeps in JOBDIR for the scheduler (the spider's own state is kept)
REQUEST_STATE = ("requests.queue", "requests.seen")


class HarvestJobdirAddon:
    """Reset JOBDIR's request state when the previous harvest run died."""

    def update_settings(self, settings: BaseSettings) -> None:
        state_dir, jobdir = settings.get("HARVEST_STATE_DIR"), settings.get("JOBDIR")
        if not state_dir or not jobdir or not (Path(state_dir) / STATE_FILE).exists():
            return
        state = HarvestState(state_dir)
        try:
            died = state.unfinished_runs()
        finally:
            state.close()
        if not died:
            return
        for name in REQUEST_STATE:
            path = Path(jobdir) / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        logger.warning(
            "Harvest run %s did not finish: request state in %s discarded, discovery restarts "
            "(delivered records are known and will not repeat)",
            died[-1][0],
            jobdir,
        )
