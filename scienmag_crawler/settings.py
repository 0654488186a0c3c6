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
#: Refuse requests and redirects to private/loopback/link-local/reserved IPs and localhost
#: (a crawler in a cloud must not be steerable into internal services); the mirror origin
#: and SCIENMAG_ALLOWED_PRIVATE_HOSTS (host names, addresses or networks) are exempt.
SCIENMAG_REFUSE_PRIVATE_ADDRESSES = True
SCIENMAG_ALLOWED_PRIVATE_HOSTS: list[str] = []

#: Worker processes extracting article pages beside Scrapy's own (README "Performance"); 0 =
#: extract in the crawl's process. A live crawl waits on the site, not on extraction: off.
#: Offline replay (SNAPSHOT_DIR) is CPU-bound and sets it to one worker per CPU.
SCIENMAG_EXTRACTION_PROCESSES = 0
#: Seconds a worker may spend on one page before it is stopped and replaced (the page is
#: tried once more, then dropped as worker-died): a hung page cannot stall the crawl.
SCIENMAG_EXTRACTION_TIMEOUT = 120.0

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
#: items (and requests) of one response processed at once. Scrapy starts this many tasks for
#: every response, whatever it yields (an article page yields one record, a listing about a
#: dozen requests); its default of 100 cost the offline crawl a millisecond a page, and the
#: pipelines here are synchronous: more would run nothing in parallel
CONCURRENT_ITEMS = 8
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_TIMES = 3
#: longest wait a Retry-After header may impose before a retry (seconds)
SCIENMAG_MAX_RETRY_AFTER = 60.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    # Scrapy's offsite filter, plus a warning for redirects it or the dupefilter drops
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scienmag_crawler.middlewares.LostRedirectMiddleware": 50,
    "scienmag_crawler.safety.PrivateAddressGuardMiddleware": 50,
    "scienmag_crawler.middlewares.RobotsCrawlDelayMiddleware": 110,
    # retries that wait as long as a 429/503 Retry-After asks (Scrapy's retry at once)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scienmag_crawler.middlewares.RetryAfterMiddleware": 550,
    # after decompression (590): a UTF-8 page declared as Latin-1 is read as UTF-8
    "scienmag_crawler.middlewares.Utf8CharsetMiddleware": 580,
    # before decompression: a cut gzip stream is refused, not emitted as a short article
    "scienmag_crawler.middlewares.TruncatedGzipMiddleware": 595,
}
ITEM_PIPELINES = {
    "scienmag_crawler.pipelines.ValidateArticlePipeline": 100,
    "scienmag_crawler.pipelines.DropDuplicateArticlesPipeline": 200,
    "scienmag_crawler.coverage.FieldCoveragePipeline": 250,
    "scienmag_crawler.harvest.pipeline.HarvestPipeline": 300,
}

# --- monitoring (spidermon; README "Monitoring") -----------------------------------------
#: Checks at spider close; a failure logs a report naming each broken threshold, sets the
#: stat scienmag/monitors/failed and makes `scrapy crawl` exit with status 2.
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["scienmag_crawler.monitors.SpiderCloseMonitorSuite"]
EXTENSIONS = {
    "spidermon.contrib.scrapy.extensions.Spidermon": 500,
    # its last line closes the run just before the summary (README "Progress")
    "scienmag_crawler.progress.CrawlProgress": 550,
    "scienmag_crawler.summary.RunSummary": 600,  # after spidermon: reports its outcome
}
COMMANDS_MODULE = "scienmag_crawler.commands"
#: Fewest items a run must deliver (in harvest mode known/unchanged articles count too).
SCIENMAG_MIN_ITEMS = 1
#: Least share of items with the field non-empty. title, published and body are always
#: 1.0; fields the site often leaves out (no byline, no tags, no contacts) have low floors.
SCIENMAG_COVERAGE_THRESHOLDS = {
    "url": 1.0,
    "published_date": 1.0,
    "categories": 0.95,
    "tags": 0.5,
    "summary": 0.5,
    "language": 0.9,
    "word_count": 1.0,
    "authors": 0.0,
    "quotes": 0.0,
    "contacts": 0.0,
    "organisations": 0.0,
}
#: Most ERROR log lines, warnings per delivered item, and (None = off) warnings in total.
SCIENMAG_MAX_ERRORS = 0
SCIENMAG_MAX_WARNINGS_PER_ITEM = 0.5
SCIENMAG_MAX_WARNINGS = None
#: Most records failing the JSON Schema, and most share of article pages dropped as
#: "not an article" (soft-404, empty body, no title ...).
SCIENMAG_MAX_INVALID_ITEMS = 0
SCIENMAG_MAX_DROPPED_RATIO = 0.25
#: Most share of article pages lost to a missing title, date or body (selector drift).
SCIENMAG_MAX_EXTRACTION_FAILURES = 0.1
#: Most share of records whose body came from a fallback layer (``wordpress``, ``generic``)
#: instead of the JNews layout: on Scienmag any such record means the layout has drifted.
SCIENMAG_MAX_FALLBACK_SHARE = 0.0
SCIENMAG_EXPECTED_FINISH_REASONS = ["finished"]

# --- progress (README "Progress") ----------------------------------------------------
#: Live progress during a crawl: "auto" = a rich bar when stderr is a terminal, plain log
#: lines otherwise (cron, CI, pipes); "bar", "log", or "off".
SCIENMAG_PROGRESS = "auto"
#: Seconds between progress log lines (in bar mode they go to log files only).
SCIENMAG_PROGRESS_INTERVAL = 30.0

# --- output ---------------------------------------------------------------------------
FEED_EXPORT_ENCODING = "utf-8"
#: Scrapy's JSON exporters, with each record's nested values made plain dicts and lists before
#: encoding (same text; see scienmag_crawler/exporters.py)
FEED_EXPORTERS = {
    "json": "scienmag_crawler.exporters.PlainJsonItemExporter",
    "jsonlines": "scienmag_crawler.exporters.PlainJsonLinesItemExporter",
    "jsonl": "scienmag_crawler.exporters.PlainJsonLinesItemExporter",
    "jl": "scienmag_crawler.exporters.PlainJsonLinesItemExporter",
}
LOG_LEVEL = "INFO"
