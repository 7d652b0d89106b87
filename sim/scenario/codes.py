"""Stable error codes of scenario validation.

Every problem `borderline validate` reports carries one of these codes. Codes never change
meaning and are never reused; a retired code stays in the table with "(retired)" in its summary.
docs/reference.md lists them (generated from this table by ``python -m sim.scenario.docgen``).

Ranges: E0xx reading the file (size, encoding, YAML), E1xx references between fields, E2xx a
field's own type or value, E3xx consistency of the scenario as a whole, E4xx ``extends``,
E5xx sweep files (sim.research.spec).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Code:
    """An error code: its number, a short name and how to fix the problem.

    Attributes:
        code: The stable code, e.g. ``E101``.
        name: A short kebab-case name, e.g. ``unknown-actor``.
        summary: What the problem is, one sentence.
        fix: How to fix it, one sentence.
    """

    code: str
    name: str
    summary: str
    fix: str


_TABLE: tuple[Code, ...] = (
    # -- reading the file ------------------------------------------------------------------------
    Code("E001", "file-not-found", "The file does not exist.", "Check the path or scenario id."),
    Code(
        "E002",
        "not-a-file",
        "The path is a directory or a special file, not a regular file.",
        "Name .yaml files, or give no path to validate every file in scenarios/.",
    ),
    Code(
        "E003",
        "file-too-large",
        "The file is larger than the 1 MB limit; it is refused before it is parsed.",
        "A scenario is a few kilobytes; split out or remove generated data.",
    ),
    Code(
        "E004",
        "not-utf8",
        "The file is not valid UTF-8 text.",
        "Save the file as UTF-8 (most editors: 'Save with encoding').",
    ),
    Code(
        "E005",
        "yaml-syntax",
        "The file is not valid YAML.",
        "Fix the syntax at the line given: indentation, a missing space after ':', quotes.",
    ),
    Code(
        "E006",
        "tab-indent",
        "A line is indented with a tab; YAML allows only spaces.",
        "Replace the tabs with spaces (2 per level is the convention).",
    ),
    Code(
        "E007",
        "alias-limit",
        "Anchors and aliases (&name / *name) expand to too much data, or refer to themselves.",
        "Write the values out, or use fewer nested aliases.",
    ),
    Code(
        "E008",
        "unsafe-tag",
        "A value has a YAML tag (!!python/..., !custom) other than the plain YAML types.",
        "Remove the tag; scenario files hold only text, numbers, dates, lists and mappings.",
    ),
    Code(
        "E009",
        "empty-file",
        "The file holds no YAML document (it is empty or only comments).",
        "Start from docs/examples/tutorial.yaml or an existing scenario.",
    ),
    Code(
        "E010",
        "not-a-mapping",
        "The top level of the file, or a mapping key, is not a plain 'key: value' entry.",
        "The file must be a mapping of keys (schema_version:, metadata:, ...) to values.",
    ),
    Code(
        "E011",
        "duplicate-key",
        "A key appears twice in the same mapping; YAML would silently keep only the last.",
        "Delete or merge one of the two entries.",
    ),
    Code(
        "E012",
        "too-deep",
        "Lists and mappings are nested deeper than 64 levels.",
        "Scenario files need only a few levels of nesting; check the brackets.",
    ),
    Code(
        "E013",
        "too-many-problems",
        "More problems than are worth listing; only the first ones are shown.",
        "Fix the problems shown (often the first few cause the rest) and validate again.",
    ),
    Code(
        "E014",
        "internal-error",
        "Borderline itself failed while checking the file (a bug, not a problem of the file).",
        "Please report it with the file; the message names the error.",
    ),
    # -- references between fields ---------------------------------------------------------------
    Code(
        "E101",
        "unknown-actor",
        "An actor id is used that no entry in actors: defines.",
        "Use the id of an actor listed under actors:, or add that actor.",
    ),
    Code(
        "E102",
        "unknown-corridor",
        "A corridor id is used that no entry in corridors: defines.",
        "Use the id of a corridor listed under corridors:, or add that corridor.",
    ),
    Code(
        "E103",
        "unknown-source",
        "A source id is cited that metadata.sources does not define.",
        "Add the source to metadata.sources, or fix the id.",
    ),
    Code(
        "E104",
        "duplicate-id",
        "Two entries have the same id (or the same pair of actors, drone type or role).",
        "Give each entry its own id, or merge the two entries.",
    ),
    Code(
        "E105",
        "self-reference",
        "An entry relates an actor (or corridor) to itself: an alliance with itself, a "
        "relation between an actor and itself, an event targeting its own actor.",
        "Name two different actors (or corridors).",
    ),
    Code(
        "E106",
        "not-in-pair",
        "A grievance or rung of a relation is keyed by an actor that is not one of the pair.",
        "Key it by one of the two actors in between:.",
    ),
    Code(
        "E107",
        "unknown-drone-type",
        "An alliance delivers drones to a type the client does not have.",
        "Use the type name of one of the client's drones:, or add that drone type to it.",
    ),
    # -- a field's own type or value -------------------------------------------------------------
    Code(
        "E201",
        "missing-field",
        "A required field is missing.",
        "Add the field; the message says what it holds.",
    ),
    Code(
        "E202",
        "unknown-field",
        "A key is not a field of this part of the scenario (often a typo).",
        "Use the suggested field name, or remove the key.",
    ),
    Code(
        "E203",
        "wrong-type",
        "A value has the wrong type: text where a number belongs, a list where a mapping "
        "belongs, and so on.",
        "Write a value of the type the message names (quote text that looks like a number).",
    ),
    Code(
        "E204",
        "out-of-range",
        "A number is outside its allowed range (for example a negative range or force).",
        "Use a value within the range the message gives.",
    ),
    Code(
        "E205",
        "invalid-choice",
        "A value is not one of the allowed choices.",
        "Use one of the choices listed (the message suggests the closest).",
    ),
    Code(
        "E206",
        "invalid-format",
        "Text does not have the required format (an id, or a date).",
        "Ids are lower-case letters, digits and underscores; dates are YYYY-MM-DD.",
    ),
    Code(
        "E207",
        "wrong-length",
        "Text or a list is too short or too long (an empty title, a pair of three actors).",
        "Use a length within the limits the message gives.",
    ),
    Code(
        "E208",
        "schema-version",
        "The file's schema_version is not the one this version of Borderline reads.",
        "Set schema_version to the current version, migrating as CHANGELOG.md describes.",
    ),
    Code(
        "E209",
        "invalid-value",
        "A value is invalid for another reason.",
        "Read the message; it comes from the field's validator.",
    ),
    # -- consistency of the whole ----------------------------------------------------------------
    Code(
        "E301",
        "after-horizon",
        "A scripted event is scheduled after the last turn of the run.",
        "Schedule it at or before time.horizon_turns, or raise the horizon.",
    ),
    Code(
        "E302",
        "rule-needs-data",
        "A rule is switched on but the data it works on is missing (transit without "
        "corridors, drone parity without drones, ...).",
        "Add the data the message names, or switch the rule off (enabled: false).",
    ),
    Code(
        "E303",
        "event-trigger",
        "A scripted event needs exactly one trigger: at_turn or when.",
        "Give the event either at_turn: N or a when: condition, not both and not neither.",
    ),
    Code(
        "E304",
        "parameter-range",
        "A parameter's range is empty, or its default lies outside it.",
        "Make min <= default <= max.",
    ),
    Code(
        "E305",
        "levy-without-rate",
        "A corridor is levied at the start but its levy_rate is 0.",
        "Give levy_rate a value above 0, or make the status open.",
    ),
    Code(
        "E306",
        "id-mismatch",
        "A file in scenarios/ has a metadata.id different from its file name.",
        "Make metadata.id the file name without .yaml (scenarios are looked up by id).",
    ),
    Code(
        "E307",
        "supply-without-type",
        "An alliance supplies drones but does not say which of the client's drone types "
        "they add to.",
        "Add drone_type: with the name of one of the client's drone types.",
    ),
    Code(
        "E308",
        "event-impossible",
        "A scripted event's action cannot happen with the scenario's data (a levy on a "
        "corridor the actor does not control, a drone strike without drones, ...).",
        "Add the data the action needs (the message says what), or change the event.",
    ),
    Code(
        "E309",
        "objective-needs-data",
        "A role's objective lacks what it is scored on: keep_corridor_open without a corridor "
        "the role's actor uses or controls, calm_with without a counterpart, partners for an "
        "actor with no alliances.",
        "Add the field the message names (corridor:, counterpart:), or pick another kind.",
    ),
    # -- extends ---------------------------------------------------------------------------------
    Code(
        "E401",
        "extends-not-found",
        "extends: names a scenario that does not exist.",
        "Name the id of a scenario in scenarios/ (the file name without .yaml).",
    ),
    Code(
        "E402",
        "extends-cycle",
        "Scenarios extend each other in a cycle, or the chain of extends is too long.",
        "Make the chain end in a complete scenario that extends nothing.",
    ),
    Code(
        "E403",
        "extends-outside",
        "extends: points outside the scenarios folder (an absolute path, '..', or a link).",
        "Name a scenario by its id; a parent must live in scenarios/.",
    ),
    Code(
        "E404",
        "remove-unmatched",
        "An entry with remove: true matches nothing in the parent scenario.",
        "Use the id (or pair, or type) of an entry the parent has, or drop the entry.",
    ),
    Code(
        "E405",
        "bad-extends",
        "extends: is not a scenario id.",
        "Write extends: followed by a scenario id, e.g. extends: iran_azerbaijan.",
    ),
    # -- sweep files -----------------------------------------------------------------------------
    Code(
        "E501",
        "sweep-scenario-invalid",
        "The scenario a sweep names does not validate.",
        "Run `borderline validate` on the scenario and fix it first.",
    ),
    Code(
        "E502",
        "not-sweepable",
        "A sweep varies a name that is neither a weight of the model nor a numeric parameter "
        "of a rule the scenario switches on.",
        "Use a weight from docs/model.md or rules.<rule>.<field> of a rule in the scenario.",
    ),
    Code(
        "E503",
        "out-of-bounds",
        "A sweep's value or range goes outside what the parameter allows in this scenario.",
        "Keep within the scenario's parameters: range (or the model's) or the rule's schema.",
    ),
    Code(
        "E504",
        "bad-design",
        "The design and the parameters do not fit (a grid without values, a sampled design "
        "with values, a Sobol design without a power-of-2 sample size...).",
        "Give each parameter what the design needs; docs/research.md shows each design.",
    ),
    Code(
        "E505",
        "too-many-runs",
        "The sweep asks for more runs or design points than the limit.",
        "Use fewer points or replicates, or split the study into several sweeps.",
    ),
)

#: Every error code, by code.
CODES: dict[str, Code] = {c.code: c for c in _TABLE}


def code_name(code: str) -> str:
    """Return the short name of an error code (``E101`` -> ``unknown-actor``)."""
    return CODES[code].name
