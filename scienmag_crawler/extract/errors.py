"""Why a page yields no record. The reason codes are stable: they name crawl stats."""

from __future__ import annotations


class NotAnArticle(Exception):  # noqa: N818 - reads as a verdict: raise NotAnArticle(...)
    """The page is not an article, or lacks what every record must have.

    ``reason`` is a short stable code (``soft-404``, ``listing``, ``no-title``, ``empty-body``,
    ...) used in stats keys; ``detail`` is for people.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type[NotAnArticle], tuple[str, str]]:
        """Pickled as its two parts: it crosses from extraction worker processes.

        >>> import pickle; pickle.loads(pickle.dumps(NotAnArticle("soft-404", "Page not found")))
        NotAnArticle('soft-404: Page not found')
        """
        return type(self), (self.reason, self.detail)
