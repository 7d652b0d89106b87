"""The C allocator, set for the engine's many large, short-lived numpy arrays (glibc only).

A turn of a batch allocates and frees arrays of up to a few megabytes dozens of times. glibc's
defaults (and, worse, Dask's workers, which start with ``MALLOC_TRIM_THRESHOLD_=65536`` to give
memory back eagerly) hand such blocks back to the kernel as soon as they are freed, so the next
turn takes page faults to get them again: a chunk of a sweep ran at half speed on a Dask worker
(benchmarks/bench_sweep.py). :func:`tune` keeps blocks under :data:`MMAP_THRESHOLD` in the heap
and trims the heap only when :data:`TRIM_THRESHOLD` of it is free, at run time, in whatever
process runs the engine (a Dask worker included, whose environment is not ours to set).

Only speed and the process's resident memory change: results are the same bit for bit.
``BORDERLINE_MALLOC=default`` leaves the allocator as it is.
"""

from __future__ import annotations

import ctypes
import os
import sys

#: Blocks at least this large come from mmap and go back to the kernel when freed (glibc's
#: largest dynamic threshold on 64-bit systems).
MMAP_THRESHOLD = 32 * 2**20
#: The heap is trimmed when this much of its top is free.
TRIM_THRESHOLD = 256 * 2**20

_M_TRIM_THRESHOLD = -1  # glibc's malloc.h
_M_MMAP_THRESHOLD = -3

_tuned: bool | None = None


def tune() -> bool:
    """Set the allocator's thresholds once per process; True if they were set.

    Nothing is done (False) off Linux, on a C library without ``mallopt``, or with
    ``BORDERLINE_MALLOC=default``.
    """
    global _tuned
    if _tuned is None:
        _tuned = _set()
    return _tuned


def _set() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("BORDERLINE_MALLOC") == "default":
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    # both, in this order: setting one turns off glibc's dynamic adjustment of the other
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
