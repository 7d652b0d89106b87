"""SolaraViz inputs for a crisis: the seed and engine parameters, with the scenario's own ranges.

The defaults and ranges come from the scenario (``sim.world.parameter_defaults`` and
``parameter_ranges``), so the dashboard's first run is the same run as ``borderline run`` with
the same seed, and a slider never offers a value the scenario rejects.

The seed is a text field, as in Mesa's examples, so SolaraViz hands it over as a string when the
user edits it. :class:`DashboardModel` turns that text into the integer seed ``CrisisModel``
takes; it is the only place where the dashboard touches how a model is built.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sim.model import CrisisModel
from sim.scenario import Scenario
from sim.world import parameter_defaults, parameter_ranges

#: Seeds are unsigned 64-bit integers.
_SEED_LIMIT = 2**64

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


def seed_from_text(text: int | str | None) -> int | None:
    """The integer seed for what was typed in the seed field.

    A whole number in range is used as it is; any other text (a word, "-3", "1e6") is hashed to a
    seed, so every entry gives a valid, reproducible run; empty text gives ``None`` (a fresh
    random seed, recorded by the model).

    Args:
        text: The field's value: an int before the first edit, a str after.

    Returns:
        A seed in ``[0, 2**64)``, or None.
    """
    if text is None or isinstance(text, int):
        return text
    stripped = text.strip()
    if not stripped:
        return None
    if stripped.isdigit() and int(stripped) < _SEED_LIMIT:
        return int(stripped)
    digest = hashlib.sha256(stripped.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "little")


class DashboardModel(CrisisModel):
    """``CrisisModel`` that also accepts its seed as text, as the dashboard's seed field sends it.

    SolaraViz rebuilds the model on Reset with ``type(model)(**params)``, so this subclass is the
    hook where the text is read; the model itself is unchanged. The signature is spelled out
    (no ``**kwargs``) because SolaraViz checks parameter names against it, and would otherwise
    also pass a Mesa ``scenario`` object.
    """

    def __init__(
        self,
        crisis: str = "iran_azerbaijan",
        temperature: float | None = None,
        misperception: float | None = None,
        reciprocity: float | None = None,
        restraint: float | None = None,
        war_aversion: float | None = None,
        turns: int | None = None,
        rng: int | str | None = None,
    ) -> None:
        """Build the model; ``rng`` may be text (see :func:`seed_from_text`)."""
        super().__init__(
            crisis=crisis,
            temperature=temperature,
            misperception=misperception,
            reciprocity=reciprocity,
            restraint=restraint,
            war_aversion=war_aversion,
            turns=turns,
            rng=seed_from_text(rng),
        )
