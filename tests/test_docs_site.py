"""The documentation site builds strictly, offline, with every page in its navigation."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SKIP = ("proposals", "examples", "data", "assets")


def test_the_site_builds_strictly_and_loads_nothing_from_the_internet(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    pages = list(site.rglob("*.html"))
    assert len(pages) > 15
    external = re.compile(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//')
    for page in pages:
        assert not external.search(page.read_text(encoding="utf-8")), page


def _nav_files(nav: list[object]) -> set[str]:
    out: set[str] = set()
    for item in nav:
        values = item.values() if isinstance(item, dict) else [item]
        for v in values:
            out |= _nav_files(v) if isinstance(v, list) else {str(v)}
    return out


def test_every_page_is_in_the_navigation() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    listed = _nav_files(config["nav"])
    pages = {
        p.relative_to(ROOT / "docs").as_posix()
        for p in (ROOT / "docs").rglob("*.md")
        if p.relative_to(ROOT / "docs").parts[0] not in SKIP
    }
    assert pages - listed == set(), "pages missing from mkdocs.yml's nav"
    assert listed - pages == set(), "nav entries with no page"
