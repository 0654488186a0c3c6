"""Scrapy settings for scienmag-crawler. Configuration only: no logic, no environment reads.

Defaults are polite towards the live site. Offline replay (``-s SNAPSHOT_DIR=fixtures/site``)
relaxes them through ``SnapshotReplayAddon``.
"""

BOT_NAME = "scienmag_crawler"
SPIDER_MODULES = ["scienmag_crawler.spiders"]
NEWSPIDER_MODULE = "scienmag_crawler.spiders"

# --- project settings ---------------------------------------------------------------------
#: Folder of the offline snapshot (``fixtures/site``); unset = crawl the network.
SNAPSHOT_DIR = None
#: Fetch these hosts from another origin (a local server); public URLs are kept.
SCIENMAG_MIRROR_URL = None
SCIENMAG_MIRROR_HOSTS = ["scienmag.com"]
#: Where operators of this crawler can be reached; part of the User-Agent.
SCIENMAG_CONTACT_URL = "https://github.com/scienmag-crawler/scienmag-crawler"
#: Honour robots.txt Crawl-delay (Scrapy itself does not), capped at this many seconds.
SCIENMAG_OBEY_CRAWL_DELAY = True
SCIENMAG_MAX_CRAWL_DELAY = 30.0

# --- harvest mode ---------------------------------------------------------------------
#: Folder of the harvest state (SQLite) and per-run outputs; unset = plain crawl.
HARVEST_STATE_DIR = None
#: fsync every delivered record (a power cut loses nothing); off only for throwaway runs.
HARVEST_FSYNC = True
#: Where a whole-site harvest finds changed posts and the newest ones.
SCIENMAG_SITEMAP_URLS = ["https://scienmag.com/sitemap_index.xml"]
SCIENMAG_SITEMAP_FOLLOW = [r"/post-sitemap\d*\.xml$"]
SCIENMAG_FEED_URLS = ["https://scienmag.com/feed/"]

ADDONS = {
    "scienmag_crawler.snapshot.SnapshotReplayAddon": 0,
    "scienmag_crawler.mirror.MirrorAddon": 0,
    "scienmag_crawler.harvest.addon.HarvestJobdirAddon": 0,
}

# --- politeness (live site) -----------------------------------------------------------
USER_AGENT = f"scienmag-crawler/0.1 (+{SCIENMAG_CONTACT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_TIMES = 3
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    "scienmag_crawler.middlewares.RobotsCrawlDelayMiddleware": 110,
}
ITEM_PIPELINES = {
    "scienmag_crawler.pipelines.ValidateArticlePipeline": 100,
    "scienmag_crawler.pipelines.DropDuplicateArticlesPipeline": 200,
    "scienmag_crawler.harvest.pipeline.HarvestPipeline": 300,
}

# --- output ---------------------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
