"""Command-line option types shared by the benchmark scripts."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """An ``argparse`` type for counts that must be 1 or more (runs, repeats): 0 would
    otherwise run nothing, or be quietly run as 1.

    >>> positive_int("3")
    3
    """
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value
