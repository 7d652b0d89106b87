"""A chunk function whose worker process dies the first time it is called (for the test that
a dead worker's chunk is retried). Spawned workers import it from here."""

from __future__ import annotations

import os
from pathlib import Path

from sim.research.sweep import ChunkResult, ChunkTask, run_chunk

#: The file whose absence makes the next call die (set by the test, read by the workers).
MARKER = "BORDERLINE_TEST_CRASH_MARKER"


def crash_once(task: ChunkTask) -> ChunkResult:
    marker = Path(os.environ[MARKER])
    if task.index == 1 and not marker.exists():
        marker.write_text("died once\n")
        os._exit(1)  # the worker dies without a word, as an out-of-memory kill would
    return run_chunk(task)
