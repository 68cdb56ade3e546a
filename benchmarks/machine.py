"""What machine a benchmark ran on: recorded beside every result JSON."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

import numpy as np


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def machine_info(packages: Iterable[str] = ()) -> dict[str, object]:
    """Platform, CPUs, memory, Python, numpy, muhasasa and the given packages' versions."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        memory = None
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "memory_bytes": memory,
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "numpy": np.__version__,
        "muhasasa": _version("muhasasa"),
        **{name: _version(name) for name in packages},
        "date_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }
