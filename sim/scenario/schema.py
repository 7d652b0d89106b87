"""Write or check the committed JSON Schema of scenario files.

Usage::

    python -m sim.scenario.schema          # writes schema/scenario.schema.json
    python -m sim.scenario.schema --check  # exits 1 if the committed copy is stale
    python -m sim.scenario.schema --out -  # prints it

The schema is generated from the models by :mod:`sim.scenario.schema_gen`; run this after
changing sim/scenario/models.py, and note the change in CHANGELOG.md.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sim.scenario.schema_gen import REGENERATE, SCHEMA_PATH, is_fresh, json_schema, schema_text

__all__ = ["REGENERATE", "SCHEMA_PATH", "is_fresh", "json_schema", "main", "schema_text"]


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or with --check, verify) the committed JSON Schema; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m sim.scenario.schema", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument("--out", default=str(SCHEMA_PATH), help="file to write, or - for stdout")
    args = parser.parse_args(argv)
    if args.out == "-":
        sys.stdout.write(schema_text())
        return 0
    out = Path(args.out)
    if args.check:
        if is_fresh(out):
            print(f"{out} is up to date")
            return 0
        print(f"{out} is stale; regenerate it with `{REGENERATE}`", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
