"""The allocator settings (sim.malloc): set once per process, and they change no result."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sim import malloc

#: Whether a 10 MB block comes from mmap (glibc's mallinfo2: bytes in mmapped regions).
PROBE = """
import ctypes, sys
from sim import malloc
libc = ctypes.CDLL(None)
class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in (
        "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split())]
libc.mallinfo2.restype = Info
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
tuned = malloc.tune()
before = libc.mallinfo2().hblkhd
block = libc.malloc(10 * 2**20)
mapped = libc.mallinfo2().hblkhd - before >= 10 * 2**20
sys.stdout.write(f"{tuned} {mapped}")
"""

RUN = (
    "import sys; from sim import malloc; from sim.batch import run_batch; "
    "r = run_batch('iran_azerbaijan', seeds=range(40)); "
    "sys.stdout.write(str(malloc.tune()) + '\\n' + r.outcomes.to_csv(float_format='%.17g'))"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_tune_sets_the_thresholds_once() -> None:
    if os.environ.get("BORDERLINE_MALLOC") == "default":
        pytest.skip("turned off in this environment")
    assert malloc.tune() is True  # mallopt accepted both settings
    assert malloc.tune() is True  # and a second call is a no-op


def _python(code: str, env: dict[str, str]) -> str:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_large_block_stays_in_the_heap() -> None:
    # glibc's default sends a fresh 10 MB block to mmap, to be unmapped again when freed
    assert _python(PROBE, {"BORDERLINE_MALLOC": "default"}) == "False True"
    assert _python(PROBE, {"BORDERLINE_MALLOC": ""}) == "True False"


def _run(env: dict[str, str]) -> tuple[str, str]:
    flag, _, table = _python(RUN, env).partition("\n")
    return flag, table


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_the_settings_change_no_result() -> None:
    # as in a Dask worker (which trims eagerly) with the settings, and with glibc's defaults
    tuned_flag, tuned = _run({"MALLOC_TRIM_THRESHOLD_": "65536", "BORDERLINE_MALLOC": ""})
    plain_flag, plain = _run({"BORDERLINE_MALLOC": "default"})
    assert (tuned_flag, plain_flag) == ("True", "False")
    assert tuned == plain
    assert tuned.count("\n") == 41  # header and 40 runs
