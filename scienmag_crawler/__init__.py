"""Crawler and structured extractor for scienmag.com science news."""

__version__ = "0.1.0"
