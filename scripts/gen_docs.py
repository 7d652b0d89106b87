"""Regenerate the generated parts of docs/ from the code (run: python scripts/gen_docs.py).

* docs/actions.md is the action catalogue (sim.actions.CATALOGUE) and the rules table, whole.
* docs/model.md is hand-written around sections generated from the code, each between
  ``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->``: the decision model
  (sim.decisions' docstring), the table of utilities (sim.decisions.utility_table), the order
  of a turn (sim.engine and the rules' per-turn pipeline), the rules (their specs, docstrings
  and parameter models) and the weights table (sim.weights). Text outside the markers is never
  touched.

``python scripts/gen_docs.py --check`` writes nothing, names the stale files and exits 1 if any
is stale; tests/test_docs.py runs it, so the documentation cannot drift from the code.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import pkgutil
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import sim.decisions  # noqa: E402
import sim.engine  # noqa: E402
import sim.rules  # noqa: E402
import sim.rules.spec  # noqa: E402
from sim.actions import CATALOGUE  # noqa: E402
from sim.actionspec import Phase  # noqa: E402
from sim.ladder import MID_ACTION_NAMES, MID_LEVEL_NAMES, RUNG_NAMES, SCORE_WEIGHTS  # noqa: E402
from sim.rules.registry import REGISTRY, SPECS, pipeline  # noqa: E402
from sim.rules.spec import RuleSpec, Stage  # noqa: E402
from sim.scenario.models import ActionId  # noqa: E402
from sim.weights import TABLE, Group, W  # noqa: E402

ACTIONS_MD = ROOT / "docs" / "actions.md"
MODEL_MD = ROOT / "docs" / "model.md"
REGENERATE = "run `python scripts/gen_docs.py`"

#: The generated sections of docs/model.md, in the order they appear.
SECTION_NAMES: tuple[str, ...] = ("turn", "decisions", "utilities", "weights", "rules")

_BEGIN = "<!-- BEGIN GENERATED: {name} -->"
_END = "<!-- END GENERATED: {name} -->"
_SECTION = re.compile(
    r"<!-- BEGIN GENERATED: (?P<name>[a-z_]+) -->\n(?P<body>.*?)<!-- END GENERATED: (?P=name) -->",
    re.DOTALL,
)

# ----------------------------------------------------------------------------------------------
# Docstrings to markdown

_ROLE = re.compile(r":(?:func|data|class|meth|attr|mod|obj|exc|const):`~?\.?([^`]+)`")
_DOUBLE = re.compile(r"``(.+?)``", re.DOTALL)
_CODE = re.compile(r"(`[^`]*`)")
_BULLET = re.compile(r"^(?:[*+-]|\d+[.)])\s+")


def _escape_prose(text: str) -> str:
    """Escape what markdown would misread in prose (outside code spans)."""
    text = re.sub(r"(?<=\w)(\*+)(?=\w)", lambda m: "\\*" * len(m.group(1)), text)
    text = re.sub(r"<(?=[A-Za-z/!])", "&lt;", text)
    return text


def inline(text: str) -> str:
    """One line of docstring text as markdown: reST roles and ````code```` become code spans."""
    text = _ROLE.sub(r"``\1``", " ".join(text.split()))
    text = _DOUBLE.sub(lambda m: f"`{m.group(1)}`", text)
    parts = _CODE.split(text)
    return "".join(p if p.startswith("`") else _escape_prose(p) for p in parts)


def cell(text: str) -> str:
    """Text for a markdown table cell (pipes escaped, also inside code spans)."""
    return inline(text).replace("|", "\\|")


def paragraphs(doc: str | None) -> list[str]:
    """A docstring's paragraphs (blocks separated by blank lines), dedented."""
    text = inspect.cleandoc(doc or "")
    return [block for block in re.split(r"\n\s*\n", text) if block.strip()]


def first_paragraph(doc: str | None) -> str:
    """The first paragraph of a docstring, as one line of markdown."""
    blocks = paragraphs(doc)
    return inline(blocks[0]) if blocks else ""


def block_markdown(block: str) -> str:
    """One docstring paragraph as markdown: prose joined to one line, bullets one per line."""
    lead: list[str] = []
    items: list[list[str]] = []
    for line in block.splitlines():
        stripped = line.strip()
        if _BULLET.match(stripped):
            items.append([_BULLET.sub("", stripped)])
        elif items:
            items[-1].append(stripped)
        else:
            lead.append(stripped)
    out = [inline(" ".join(lead))] if lead else []
    out += [f"- {inline(' '.join(item))}" for item in items]
    return "\n".join(out)


def docstring_markdown(doc: str | None, skip_first: bool = False) -> str:
    """A whole docstring as markdown paragraphs (optionally without its summary line)."""
    blocks = paragraphs(doc)
    if skip_first and blocks:
        rest = blocks[0].split("\n", 1)
        blocks = ([rest[1]] if len(rest) > 1 and rest[1].strip() else []) + blocks[1:]
    return "\n\n".join(block_markdown(b) for b in blocks)


def _lower_first(text: str) -> str:
    """A sentence to quote after a colon: its first letter in lower case."""
    return text[:1].lower() + text[1:]


def _number(x: float) -> str:
    return f"{x:g}"


# ----------------------------------------------------------------------------------------------
# docs/actions.md


def actions_markdown() -> str:
    """The text of docs/actions.md."""
    lines = [
        "# Action catalogue",
        "",
        "<!-- Generated by scripts/gen_docs.py from sim/actions.py; do not edit by hand. -->",
        "",
        "Every action an actor can take, in the engine's order. Each is coded on Borderline's",
        "escalation ladder (rung), on the Correlates of War MID scale (action code and hostility",
        "level) and in the escalation-score categories of Rivera et al. (2024). An action is legal",
        "only when its precondition holds (`sim.actions.legal_actions`) and the rule that owns it",
        "is on in the scenario; the engine resolves the turn's actions phase by phase in the order",
        "of the *phase* column. The rules are described in [model.md](model.md#submodels).",
        "",
        "| action | phase | rung | MID action | MID level | score category | precondition "
        "| owner rule |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for a in CATALOGUE:
        mid = f"{a.mid_action} {MID_ACTION_NAMES[a.mid_action]}"
        level = f"{a.mid_level} {MID_LEVEL_NAMES[a.mid_level]}"
        owner = f"`{a.rule}`" if a.rule else "engine"
        lines.append(
            f"| `{a.id.value}` | {a.phase.name.lower()} | {a.rung} {RUNG_NAMES[a.rung]} | {mid} "
            f"| {level} | {a.category.value} ({SCORE_WEIGHTS[a.category]:+g}) "
            f"| {cell(a.requires)} | {owner} |"
        )
    lines += [
        "",
        "## Rules",
        "",
        "| rule | version | what it does | needs | source | actions owned | per-turn steps |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for spec in REGISTRY.values():
        owned = ", ".join(f"`{a.id.value}`" for a in spec.actions) or "none"
        steps = ", ".join(_step_label(spec, st) for st in spec.steps) or "none"
        lines.append(
            f"| `{spec.name}` | {spec.version} | {cell(spec.summary)} | {cell(spec.needs)} "
            f"| {cell(spec.source)} | {owned} | {steps} |"
        )
    return "\n".join(lines) + "\n"


def _stage_name(stage: Stage) -> str:
    return stage.name.lower().replace("_", " ")


def _step_label(spec: RuleSpec[Any], st: sim.rules.spec.Step) -> str:
    return f"`{spec.name}.{st.name}` ({_stage_name(st.stage)}, {st.order})"


# ----------------------------------------------------------------------------------------------
# docs/model.md: the sections


def _module_of(spec: RuleSpec[Any]) -> Any:
    """The module under sim/rules/ whose ``SPEC`` is ``spec``."""
    for info in pkgutil.iter_modules(sim.rules.__path__):
        module = importlib.import_module(f"sim.rules.{info.name}")
        if getattr(module, "SPEC", None) is spec:
            return module
    raise LookupError(f"no module under sim/rules/ exports the SPEC of rule {spec.name!r}")


def decisions_section() -> str:
    """The decision model: sim.decisions' module docstring, as markdown."""
    intro = "*From the docstring of `sim/decisions.py`.*"
    return f"{intro}\n\n{docstring_markdown(sim.decisions.__doc__)}"


_WEIGHT_CALL = re.compile(r"\b(?:P|params\.col|t\.w|t\.params\.col)\(\s*W\.([A-Z0-9_]+)\s*\)")
_WEIGHT_INDEX = re.compile(r"\bparams\[W\.([A-Z0-9_]+)\]")


def _weights_by_name(code: str) -> str:
    """Source with every read of a weight (``P(W.STATUS_QUO)``) written as its name."""
    code = _WEIGHT_CALL.sub(lambda m: m.group(1).lower(), code)
    return _WEIGHT_INDEX.sub(lambda m: m.group(1).lower(), code)


def _utility_table_parts() -> tuple[str, dict[str, str]]:
    """The definitions before the table in ``utility_table``, and each action's expression."""
    source = textwrap.dedent(inspect.getsource(sim.decisions.utility_table))
    fn = ast.parse(source).body[0]
    assert isinstance(fn, ast.FunctionDef)
    lines = source.splitlines()
    body = fn.body[1:] if ast.get_docstring(fn) is not None else fn.body
    table: ast.Dict | None = None
    start = body[0].lineno
    end = start
    for node in body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(value, ast.Dict) and value.keys:  # the first non-empty dict literal
            table, end = value, node.lineno
            break
    if table is None:
        raise LookupError("sim.decisions.utility_table builds no dict literal of utilities")
    preamble = textwrap.dedent("\n".join(lines[start - 1 : end - 1])).strip()
    entries: dict[str, str] = {}
    for key, value in zip(table.keys, table.values, strict=True):
        if not isinstance(key, ast.Attribute):
            raise LookupError("a key of the utility table is not an ActionId member (A.NAME)")
        expr = ast.get_source_segment(source, value) or ast.unparse(value)
        entries[ActionId[key.attr].value] = _weights_by_name(" ".join(expr.split()))
    return _weights_by_name(preamble), entries


def utilities_section() -> str:
    """The table of utilities, one line per action, from the source of ``utility_table``."""
    preamble, entries = _utility_table_parts()
    missing = [a.id.value for a in CATALOGUE if a.id.value not in entries]
    if missing:
        raise LookupError(f"actions without a utility in sim.decisions.utility_table: {missing}")
    lines = [
        "*From the source of `sim.decisions.utility_table`:* "
        + first_paragraph(sim.decisions.utility_table.__doc__),
        "",
        "The utility of each action against each target; a weight's name stands for its value in",
        "the run (`status_quo` for `params.col(W.STATUS_QUO)`), `-inf` rules an option out. "
        "Arrays are (replicate, actor, target).",
        "",
        "| action | rung | utility |",
        "| --- | --- | --- |",
    ]
    for a in CATALOGUE:
        lines.append(f"| `{a.id.value}` | {a.rung} | `{entries[a.id.value].replace('|', '\\|')}` |")
    lines += [
        "",
        "The terms, as the code defines them:",
        "",
        "```text",
        preamble,
        "```",
    ]
    return "\n".join(lines)


def _phase_actions() -> dict[Phase, list[str]]:
    out: dict[Phase, list[str]] = {p: [] for p in Phase}
    for k in sim.engine.ORDER:
        out[CATALOGUE[k].phase].append(f"`{CATALOGUE[k].id.value}`")
    return out


def _steps_table(stage: Stage) -> list[str]:
    lines = ["| order | rule | step | what it does |", "| --- | --- | --- | --- |"]
    for spec, st in pipeline(stage):
        doc = first_paragraph(getattr(st.run, "__doc__", None))
        lines.append(f"| {st.order} | `{spec.name}` | `{st.name}` | {doc.replace('|', '\\|')} |")
    return lines


def turn_section() -> str:
    """The order of a turn, from the engine, the adjudication phases and the rules' pipeline."""
    phases = ", ".join(p.name.lower().replace("_", " ") for p in Phase)
    calm = sim.engine.CALM_RUNG
    lines = [
        "`sim.engine.step` advances every replicate by one turn of `turn_days` days (a scenario's "
        "`time:`), in this order. A step of a rule runs only when the rule is on.",
        "",
        "**1. Before the choices** (stage `before_choices`):",
        "",
        *_steps_table(Stage.BEFORE_CHOICES),
        "",
        "**2. Choices.** Every actor chooses one action and one target (`sim.decisions.choose`: "
        + _lower_first(first_paragraph(sim.decisions.choose.__doc__)).rstrip(".")
        + "). A scripted event due this turn overrides the AI's choice, and a player's move "
        "overrides both; a player's move that is not legal is refused before the turn "
        "(`sim.engine.check_moves`).",
        "",
        f"**3. Adjudication.** The chosen actions take effect phase by phase ({phases}; "
        "`sim.actionspec.Phase`), within a phase in catalogue order, all replicates at once. "
        "Legality is checked again against the state of the moment: an action made illegal "
        "earlier in the turn becomes `hold`.",
        "",
        "| phase | actions, in the order they take effect |",
        "| --- | --- |",
    ]
    for phase, names in _phase_actions().items():
        label = phase.name.lower().replace("_", " ")
        lines.append(f"| {phase.value + 1}. {label} | {', '.join(names)} |")
    lines += [
        "",
        "**4. The per-turn steps of the rules** (stage `after_actions`), in pipeline order "
        "(`sim.rules.registry.pipeline`):",
        "",
        *_steps_table(Stage.AFTER_ACTIONS),
    ]
    hooks = [spec for spec in SPECS if spec.war_day is not None]
    if hooks:
        lines += [
            "",
            "Within the combat step, after each day of ground fighting, the rules' `war_day` "
            "hooks run: "
            + "; ".join(
                f"`{spec.name}`: {first_paragraph(getattr(spec.war_day, '__doc__', None))}"
                for spec in hooks
            ),
        ]
    lines += [
        "",
        "**5. Belief learning** (`sim.decisions.learn`, always on): "
        + first_paragraph(sim.decisions.learn.__doc__),
        "",
        "**6. Coding** (`sim/engine.py`, always on): "
        + first_paragraph(sim.engine._code_dyads.__doc__)
        + " Then the settlement check ("
        + _lower_first(first_paragraph(sim.engine._settle.__doc__)).rstrip(".")
        + f"): a turn is calm when no action above rung {int(calm)} ({RUNG_NAMES[calm]}) was "
        "taken, the tension of every pair is below `calm_tension` and no pair is at war; the "
        "crisis is settled after `settle_turns` calm turns in a row, and the run ends then or at "
        "the scenario's horizon.",
    ]
    return "\n".join(lines)


def _bounds(info: Any) -> str:
    """The bounds of a pydantic field, from its metadata (``ge``, ``le``, ...)."""
    lo = hi = ""
    extra: list[str] = []
    for m in info.metadata:
        for attr, sign in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
            v = getattr(m, attr, None)
            if v is not None:
                if attr in ("ge", "gt"):
                    lo = f"{sign} {_number(v)}"
                else:
                    hi = f"{sign} {_number(v)}"
        for attr, word in (("min_length", "at least"), ("max_length", "at most")):
            v = getattr(m, attr, None)
            if v is not None:
                extra.append(f"{word} {v} item{'s' if v != 1 else ''}")
    if lo.startswith("≥") and hi.startswith("≤"):
        return f"{lo[2:]}–{hi[2:]}"
    return ", ".join(x for x in (lo, hi, *extra) if x) or "any"


def _default(info: Any) -> str:
    if info.is_required():
        return "required"
    value = info.get_default(call_default_factory=True)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return _number(value)
    return f"`{value!r}`"


def _rule_subsection(spec: RuleSpec[Any]) -> list[str]:
    module = _module_of(spec)
    path = f"sim/rules/{module.__name__.rsplit('.', 1)[1]}.py"
    doc = getattr(module, "__doc__", None)
    lines = [
        f"### `{spec.name}`",
        "",
        f"*{inline(spec.summary)}* Version {spec.version}; module `{path}`.",
        "",
        docstring_markdown(doc, skip_first=True),
        "",
    ]
    fields = [(n, f) for n, f in spec.params.model_fields.items() if n != "enabled"]
    if fields:
        lines += [
            f"Parameters (`rules: {spec.name}:` in a scenario; model `{spec.params.__name__}`):",
            "",
            "| parameter | default | bounds | meaning |",
            "| --- | --- | --- | --- |",
        ]
        for name, info in fields:
            meaning = cell(info.description or "")
            lines.append(f"| `{name}` | {_default(info)} | {_bounds(info)} | {meaning} |")
        lines.append("")
    else:
        lines += ["Parameters: none besides `enabled`; its coefficients are named weights.", ""]
    owned = ", ".join(f"`{a.id.value}`" for a in spec.actions) or "none"
    steps = ", ".join(_step_label(spec, st) for st in spec.steps) or "none"
    if spec.war_day is not None:
        steps += "; a `war_day` hook after each day of war"
    writes = ", ".join(f"`{w}`" for w in sorted(spec.writes)) or "nothing"
    lines += [
        f"- **Actions owned:** {owned}",
        f"- **Per-turn steps:** {steps}",
        f"- **Writes:** {writes}",
        f"- **Needs:** {inline(spec.needs)}",
        f"- **Source:** {inline(spec.source)}",
    ]
    return lines


def rules_section() -> str:
    """One subsection per rule: summary, docstring, parameters, actions, steps, writes, source."""
    lines = [
        docstring_markdown(sim.rules.spec.__doc__, skip_first=True),
        "",
        "Every rule's parameter model also has `enabled` (default true), which switches the rule "
        "off without deleting it.",
        "",
    ]
    for spec in SPECS:
        lines += [*_rule_subsection(spec), ""]
    return "\n".join(lines).rstrip()


def weights_section() -> str:
    """The weights table, a subsection per :class:`sim.weights.Group`."""
    lines = [
        f"The model has {len(W)} named weights (`sim/weights.py`): every coefficient of the "
        "decisions, the engine and the rules. Every weight can be set per run or swept like any "
        'other parameter (`run_batch(..., params={"status_quo": 0.5})`), and a scenario\'s '
        "`parameters:` section may give any of them its own default and range, within the range "
        "below. Source *calibrated* marks a hand-set value that the calibration against the "
        "founding crises is to fit.",
    ]
    for group in Group:
        members = [w for w in W if TABLE[w].group is group]
        if not members:
            continue
        lines += [
            "",
            f"### Weights: {group.value.replace('_', ' ')}",
            "",
            "| weight | default | range | meaning | source |",
            "| --- | --- | --- | --- | --- |",
        ]
        for w in members:
            t = TABLE[w]
            lines.append(
                f"| `{w.key}` | {_number(t.value)} | {_number(t.lo)}–{_number(t.hi)} "
                f"| {cell(t.meaning)} | {cell(t.source)} |"
            )
    return "\n".join(lines)


#: Each generated section of docs/model.md and the function that writes it.
SECTIONS: dict[str, Callable[[], str]] = {
    "turn": turn_section,
    "decisions": decisions_section,
    "utilities": utilities_section,
    "weights": weights_section,
    "rules": rules_section,
}


def model_sections() -> dict[str, str]:
    """The text of every generated section of docs/model.md, by name."""
    return {name: fn().rstrip() + "\n" for name, fn in SECTIONS.items()}


def read_sections(text: str) -> dict[str, str]:
    """The generated sections found in a document, by name."""
    return {m.group("name"): m.group("body") for m in _SECTION.finditer(text)}


def render_model(text: str) -> str:
    """docs/model.md with every generated section replaced by what the code says now.

    Raises:
        ValueError: if a section's markers are missing or duplicated.
    """
    sections = model_sections()
    found = [m.group("name") for m in _SECTION.finditer(text)]
    missing = [n for n in sections if found.count(n) != 1]
    if missing:
        raise ValueError(
            f"docs/model.md: each of these generated sections must appear exactly once, between "
            f"{_BEGIN.format(name='NAME')} and {_END.format(name='NAME')}: {missing}"
        )
    unknown = sorted(set(found) - set(sections))
    if unknown:
        raise ValueError(f"docs/model.md: unknown generated sections {unknown}")

    def replace(m: re.Match[str]) -> str:
        name = m.group("name")
        return f"{_BEGIN.format(name=name)}\n{sections[name]}{_END.format(name=name)}"

    return _SECTION.sub(replace, text)


# ----------------------------------------------------------------------------------------------
# Command line


CLI_MD = ROOT / "docs" / "cli.md"


def cli_markdown() -> str:
    """docs/cli.md: every command of ``borderline`` (sim.cli.app) with its arguments and
    options, their help and defaults, as click sees them."""
    import importlib

    import typer

    from sim.cli import app

    group: Any = typer.main.get_command(app)
    # typer may bring its own copy of click: use the Context of the module its commands are in
    context = importlib.import_module(type(group).__mro__[1].__module__).Context
    ctx = context(group, info_name="borderline")
    out = [
        "<!-- Generated by scripts/gen_docs.py from sim/cli.py; do not edit by hand. -->",
        "",
        "# Command line",
        "",
        f"{inline(group.help or '')}",
        "",
        "After `make venv` (or the first `make play` or `make test`) the command is "
        "`.venv/bin/borderline`; `python -m sim` is the same. Every command answers `--help`. "
        "Bad input gets a one-line error (`borderline: error: ...`) and exit code 2.",
        "",
        "| command | what it does |",
        "| --- | --- |",
    ]
    names = group.list_commands(ctx)
    commands = [(n, group.get_command(ctx, n)) for n in names]
    for name, cmd in commands:
        assert cmd is not None
        out.append(f"| [`{name}`](#{name}) | {cell(first_paragraph(cmd.help))} |")
    for name, cmd in commands:
        assert cmd is not None
        usage = " ".join(
            ["[OPTIONS]"]
            + [
                (p.metavar or p.name.upper()) + ("" if p.required else "?")
                for p in cmd.params
                if p.param_type_name == "argument"
            ]
        )
        out += ["", f"## {name}", "", "```text", f"borderline {name} {usage}".rstrip(), "```", ""]
        out += [docstring_markdown(cmd.help).rstrip(), ""]
        args = [p for p in cmd.params if p.param_type_name == "argument"]
        opts = [p for p in cmd.params if p.param_type_name == "option" and p.name != "help"]
        if args:
            out += ["| argument | what |", "| --- | --- |"]
            for a in args:
                what = getattr(a, "help", None) or ""
                req = "" if a.required else " (optional)"
                out.append(f"| `{(a.metavar or a.name).upper()}`{req} | {cell(what)} |")
            out.append("")
        if opts:
            out += ["| option | what | default |", "| --- | --- | --- |"]
            for o in opts:
                flags = ", ".join(f"`{f}`" for f in [*o.opts, *o.secondary_opts])
                if not o.is_flag:
                    flags += f" `{o.metavar or o.name.upper()}`"
                default = o.default
                hidden = default is None or default is False or callable(default)
                shown = "" if hidden or default in ((), []) else default
                out.append(f"| {flags} | {cell(o.help or '')} | {cell(str(shown))} |")
            out.append("")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).rstrip() + "\n"


def outputs() -> dict[Path, str]:
    """Every generated file and the text it should have now."""
    return {
        ACTIONS_MD: actions_markdown(),
        MODEL_MD: render_model(MODEL_MD.read_text(encoding="utf-8")),
        CLI_MD: cli_markdown(),
    }


def stale() -> list[Path]:
    """The generated files whose committed text differs from what the code gives now."""
    return [
        path
        for path, text in outputs().items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Write the generated docs, or with ``--check`` only report the stale ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and name the stale files if any is stale",
    )
    args = parser.parse_args(argv)
    if args.check:
        old = stale()
        for path in old:
            print(f"stale: {path.relative_to(ROOT)} ({REGENERATE})", file=sys.stderr)
        return 1 if old else 0
    for path, text in outputs().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
        else:
            print(f"up to date: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
