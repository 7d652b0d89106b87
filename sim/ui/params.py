"""SolaraViz inputs for a crisis: the seed and engine parameters, with the scenario's own ranges.

The defaults and ranges come from the scenario (``sim.world.parameter_defaults`` and
``parameter_ranges``), so the dashboard's first run is the same run as ``borderline run`` with
the same seed, and a slider never offers a value the scenario rejects.

The seed is a text field, as in Mesa's examples, so SolaraViz hands it over as a string when the
user edits it; ``CrisisModel`` reads such text with ``sim.rng.seed_from_text``.
"""

from __future__ import annotations

from typing import Any

from sim.scenario import Scenario
from sim.world import parameter_defaults, parameter_ranges

#: Labels of the engine parameters offered in the sidebar.
PARAMETER_LABELS: dict[str, str] = {
    "temperature": "Temperature (choice noise)",
    "misperception": "Misperception",
    "reciprocity": "Reciprocity (tit for tat)",
    "restraint": "Restraint",
    "war_aversion": "War aversion",
}

#: Parameters shown by default.
DEFAULT_PARAMETERS: tuple[str, ...] = ("temperature", "misperception")

#: Slider positions between a parameter's minimum and maximum.
SLIDER_STEPS = 60


def _step(low: float, high: float) -> float:
    """A round slider step giving about ``SLIDER_STEPS`` positions."""
    raw = (high - low) / SLIDER_STEPS
    for step in (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0):
        if step >= raw:
            return step
    return round(raw)


def model_params(
    crisis: str,
    scenario: Scenario,
    *,
    seed: int,
    parameters: tuple[str, ...] = DEFAULT_PARAMETERS,
) -> dict[str, Any]:
    """``model_params`` for ``SolaraViz`` running ``CrisisModel`` on one crisis.

    Args:
        crisis: The crisis id passed to ``CrisisModel`` (fixed, not shown).
        scenario: The loaded scenario, for defaults and ranges.
        seed: Initial seed (``rng``), shown as an editable text field.
        parameters: Engine parameters to offer as sliders.

    Returns:
        A dict in Mesa's ``model_params`` format.
    """
    defaults = parameter_defaults(scenario)
    ranges = parameter_ranges(scenario)
    params: dict[str, Any] = {
        "crisis": crisis,
        "rng": {"type": "InputText", "value": seed, "label": "Seed"},
    }
    for name in parameters:
        low, high = ranges[name]
        params[name] = {
            "type": "SliderFloat",
            "value": defaults[name],
            "min": low,
            "max": high,
            "step": _step(low, high),
            "label": PARAMETER_LABELS.get(name, name.replace("_", " ").capitalize()),
        }
    return params
