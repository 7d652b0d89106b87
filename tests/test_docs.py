"""The generated documentation is up to date with the code (scripts/gen_docs.py).

docs/actions.md and the generated sections of docs/model.md come from the code; when one of
these tests fails, run `python scripts/gen_docs.py` and commit the result.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import helpers
import pytest

from sim.rules.registry import REGISTRY
from sim.weights import W

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "gen_docs.py"
HOW = "run `python scripts/gen_docs.py`"


gen_docs = helpers.load_script("gen_docs")


@pytest.fixture(scope="module")
def model_md() -> str:
    return (ROOT / "docs" / "model.md").read_text(encoding="utf-8")


def test_actions_md_is_current() -> None:
    committed = (ROOT / "docs" / "actions.md").read_text(encoding="utf-8")
    assert committed == gen_docs.actions_markdown(), f"docs/actions.md is stale: {HOW}"


def test_every_section_is_present(model_md: str) -> None:
    found = gen_docs.read_sections(model_md)
    missing = [name for name in gen_docs.SECTION_NAMES if name not in found]
    assert not missing, (
        f"docs/model.md lacks generated sections {missing}: add their markers, {HOW}"
    )
    assert set(gen_docs.SECTION_NAMES) == set(gen_docs.SECTIONS)


@pytest.mark.parametrize("name", gen_docs.SECTION_NAMES)
def test_generated_section_is_current(model_md: str, name: str) -> None:
    committed = gen_docs.read_sections(model_md).get(name)
    expected = gen_docs.model_sections()[name]
    assert committed == expected, f"section {name!r} of docs/model.md is stale: {HOW}"


def test_every_weight_is_documented(model_md: str) -> None:
    missing = [w.key for w in W if f"`{w.key}`" not in model_md]
    assert not missing, f"weights missing from docs/model.md: {missing}; {HOW}"


def test_every_rule_is_documented(model_md: str) -> None:
    missing = [name for name in REGISTRY if f"### `{name}`" not in model_md]
    assert not missing, f"rules missing from docs/model.md: {missing}; {HOW}"


def test_limitations_are_hand_written(model_md: str) -> None:
    assert "<!-- BEGIN HANDWRITTEN: limitations -->" in model_md
    assert "<!-- END HANDWRITTEN: limitations -->" in model_md


def test_decisions_section_quotes_the_docstring(model_md: str) -> None:
    import sim.decisions

    section = gen_docs.read_sections(model_md)["decisions"]
    for block in gen_docs.paragraphs(sim.decisions.__doc__):
        assert gen_docs.block_markdown(block) in section, f"docs/model.md is stale: {HOW}"


def test_markdown_of_docstrings() -> None:
    assert gen_docs.inline("a ``b`` :func:`c`") == "a `b` `c`"
    assert gen_docs.inline("2**40 and k*y") == "2\\*\\*40 and k\\*y"
    assert gen_docs.inline("``x*y``") == "`x*y`"
    assert gen_docs.cell("``a | b``") == "`a \\| b`"
    assert gen_docs.block_markdown("lead\n* one\n  two\n* three") == "lead\n- one two\n- three"


def test_render_model_rejects_missing_markers() -> None:
    with pytest.raises(ValueError, match="generated sections"):
        gen_docs.render_model("# nothing generated here\n")


def test_check_names_stale_files_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "model.md"
    actions = tmp_path / "actions.md"
    old = "<!-- BEGIN GENERATED: {0} -->\nold\n<!-- END GENERATED: {0} -->\n"
    model.write_text("".join(old.format(n) for n in gen_docs.SECTION_NAMES), encoding="utf-8")
    actions.write_text(gen_docs.actions_markdown(), encoding="utf-8")
    monkeypatch.setattr(gen_docs, "MODEL_MD", model)
    monkeypatch.setattr(gen_docs, "ACTIONS_MD", actions)
    cli = tmp_path / "cli.md"
    cli.write_text(gen_docs.cli_markdown(), encoding="utf-8")
    monkeypatch.setattr(gen_docs, "CLI_MD", cli)
    monkeypatch.setattr(gen_docs, "ROOT", tmp_path)
    before = model.read_text(encoding="utf-8")
    assert gen_docs.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "model.md" in err and "actions.md" not in err and HOW in err
    assert model.read_text(encoding="utf-8") == before
    assert gen_docs.main([]) == 0
    assert gen_docs.main(["--check"]) == 0
    assert gen_docs.read_sections(model.read_text(encoding="utf-8")) == gen_docs.model_sections()


def test_check_flag_passes_on_committed_docs() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"stale generated docs ({HOW}):\n{done.stderr}"


def test_cli_md_is_current_and_lists_every_command() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == gen_docs.cli_markdown(), f"docs/cli.md is stale: {HOW}"
    for name in ("run", "play", "list", "validate", "schema", "sweep", "batch", "report"):
        assert f"\n## {name}\n" in committed
