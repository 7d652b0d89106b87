"""The calibration objective: the facts of the calibration crises, measured on seeded batches.

The calibration (scripts/calibrate.py) fits hand-set weights to the facts of the crises marked
``calibration`` in :mod:`sim.crises` -- the Iran-Azerbaijan tension of autumn 2021 and the 2020
Nagorno-Karabakh war -- and leaves the other crises as an out-of-sample check. Each fact is
measured on what the AI chooses (each scenario scripts only its opening trigger), over fixed
seeds (common random numbers across points), and scored by how far it falls outside its band
(0 inside). ``loss`` adds the scores up. A fact is named ``<scenario>.<fact>``.
"""

from __future__ import annotations

from collections.abc import Mapping

from sim.crises import Fact, calibration_crises

#: Every calibration fact, named ``<scenario>.<fact>``.
TARGETS: tuple[Fact, ...] = tuple(
    Fact(f"{c.scenario}.{f.name}", f.lo, f.hi, f.meaning, f.unit, f.weight)
    for c in calibration_crises()
    for f in c.facts
)


def measure(params: Mapping[str, float], seeds: int = 300) -> dict[str, float]:
    """Every calibration fact at these weights, on seeds 0..seeds-1."""
    out: dict[str, float] = {}
    for crisis in calibration_crises():
        for name, value in crisis.measure(params, range(seeds)).items():
            out[f"{crisis.scenario}.{name}"] = value
    return out


def loss(facts: Mapping[str, float]) -> float:
    """Sum of the targets' misses (0 when every fact is inside its band)."""
    return float(sum(t.miss(facts[t.name]) for t in TARGETS))


#: The searched weights as they were hand-set before the fit (Borderline 0.2, issue 7), kept so
#: docs/calibration.md can set the fitted model beside the one it replaced, crisis by crisis.
HAND_SET: dict[str, float] = {
    "grievance_decay": 0.95,
    "grievance_per_rung": 0.08,
    "reciprocity": 0.8,
    "deter_signal": 0.0,
    "learning_war": 0.08,
    "fight_on": 6.0,
    "accept_mediation_tension": 0.8,
    "desire_grievance": 0.6,
}
