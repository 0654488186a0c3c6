"""Which Python ran a benchmark: its figures depend on how the interpreter was built.

The ratios against the lxml parse compare Python code with C code, so they move with the
interpreter's build as much as with the project's code: on the benchmark machine, the same
Python 3.11 built by pyenv (no profile-guided optimisation, no link-time optimisation, the
interpreter in a shared ``libpython``) runs the extraction about a tenth slower than the
distribution's build, while lxml's parse takes the same time under both. Every script prints
this line above its table and writes it into its JSON.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

_MAPS = Path("/proc/self/maps")


def libpython_shared() -> bool | None:
    """Whether this process runs the interpreter from a shared ``libpython`` (calls into it
    go through the PLT and cannot be inlined across it); ``None`` where the process's
    mappings cannot be read (not Linux)."""
    try:
        maps = _MAPS.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return "/libpython3" in maps


def describe() -> dict[str, object]:
    """The running interpreter: version, executable, compiler, build and libpython."""
    return {
        "version": platform.python_version(),
        "executable": sys.executable,
        "compiler": platform.python_compiler(),
        "build": " ".join(platform.python_build()),
        "libpython_shared": libpython_shared(),
    }


def summary_line(info: dict[str, object] | None = None) -> str:
    """One line for the top of a benchmark's table.

    >>> summary_line({"version": "3.11.2", "executable": "/usr/bin/python3.11",
    ...     "compiler": "GCC 12.2.0", "build": "main Mar 13 2023", "libpython_shared": False})
    'Python 3.11.2 (/usr/bin/python3.11; GCC 12.2.0; main Mar 13 2023; libpython static)'
    """
    info = info or describe()
    shared = {True: "libpython shared", False: "libpython static", None: "libpython unknown"}
    return (
        f"Python {info['version']} ({info['executable']}; {info['compiler']}; "
        f"{info['build']}; {shared[info['libpython_shared']]})"  # type: ignore[index]
    )
