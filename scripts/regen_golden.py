#!/usr/bin/env python
"""Regenerate the golden playthroughs under tests/golden/ (or check them with --check).

A golden playthrough is the exact standard output of ``borderline run SCENARIO --seed N``.
tests/test_cli.py renders the same runs in memory and diffs them against these files, so any
change in the engine's behaviour shows up as a reviewable text diff. When a change is intended,
regenerate the files and commit them with the change:

    python scripts/regen_golden.py          # rewrite tests/golden/*.txt
    python scripts/regen_golden.py --check  # exit 1 and print a diff if any file is stale
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLDEN_DIR = REPO / "tests" / "golden"
COMMAND = "python scripts/regen_golden.py"

#: (scenario file relative to the repository, seed) of every golden playthrough.
GOLDENS: tuple[tuple[str, int], ...] = (("scenarios/iran_azerbaijan.yaml", 7),)


def golden_path(scenario: str, seed: int) -> Path:
    """Where the golden playthrough of (scenario, seed) is stored."""
    return GOLDEN_DIR / f"{Path(scenario).stem}_seed{seed}.txt"


def run_cli(argv: list[str]) -> tuple[int, bytes, bytes]:
    """Run the ``borderline`` entry point (``sim.cli.main``) in this process, from the repository.

    Returns:
        The exit code and the bytes written to standard output and standard error. Exceptions
        other than SystemExit propagate.
    """
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from typer.testing import CliRunner

    from sim.cli import main

    code = 0
    with contextlib.chdir(REPO), CliRunner().isolation() as (out, err, _):
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            stdout, stderr = out.getvalue(), err.getvalue()
    return code, stdout, stderr


def render(scenario: str, seed: int) -> str:
    """The standard output of ``borderline run SCENARIO --seed SEED``, run in this process.

    Raises:
        RuntimeError: if the command fails.
    """
    code, stdout, stderr = run_cli(["run", scenario, "--seed", str(seed)])
    if code != 0:
        raise RuntimeError(f"borderline run {scenario} --seed {seed} failed:\n{stderr.decode()}")
    return stdout.decode("utf-8")


def diff(expected: str, actual: str, name: str) -> str:
    """A unified diff of a golden file against a fresh rendering."""
    return "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{name} (committed)",
            tofile=f"{name} (this code)",
        )
    )


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) every golden playthrough; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 if stale")
    args = parser.parse_args(argv)
    stale = 0
    for scenario, seed in GOLDENS:
        path = golden_path(scenario, seed)
        text = render(scenario, seed)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        rel = path.relative_to(REPO)
        if old == text:
            print(f"{rel}: up to date")
            continue
        if args.check:
            stale += 1
            sys.stdout.write(diff(old, text, str(rel)))
            print(f"{rel}: stale; run `{COMMAND}` to regenerate")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(text.encode("utf-8"))
            print(f"{rel}: written")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
