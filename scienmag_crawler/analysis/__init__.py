"""Turn crawl output (JSONL files of article records) into tables and a harvest report.

``records`` reads and merges JSONL files and reports bad lines, ``tables`` flattens records
into linked tables (CSV, Parquet), ``report`` aggregates them into one self-contained HTML
page with charts from ``charts``. The ``cli_*`` modules are the ``scienmag-tables`` and
``scienmag-report`` commands. Nothing here imports Scrapy, so the commands start quickly.
"""
