"""Files are written whole (sim.files), with the permissions of any new file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sim.files import write_atomic, write_text_atomic


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_a_file_gets_the_umask_s_permissions(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        write_text_atomic(tmp_path / "a" / "out.json", "{}\n")
    finally:
        os.umask(old)
    mode = stat.S_IMODE((tmp_path / "a" / "out.json").stat().st_mode)
    assert mode == 0o666 & ~umask
    assert (tmp_path / "a" / "out.json").read_text(encoding="utf-8") == "{}\n"


def test_a_failed_write_leaves_neither_file_nor_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    target.write_text("old", encoding="utf-8")

    def fail(p: Path) -> None:
        p.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, fail)
    assert target.read_text(encoding="utf-8") == "old"  # the old file is untouched
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]
