"""What a crisis is for the tests, the calibration and the docs: a scenario and its facts."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.batch import BatchResult, Prepared, run_batch
from sim.scenario import Scenario, load_scenario


@dataclass(frozen=True)
class Fact:
    """A fact of the real crisis as a band [lo, hi] for a quantity measured over seeds.

    ``weight`` is the weight of a miss in the calibration loss.
    """

    name: str
    lo: float
    hi: float
    meaning: str
    unit: str = "share of runs"
    weight: float = 1.0

    def holds(self, value: float) -> bool:
        return bool(self.lo <= value <= self.hi)

    def miss(self, value: float) -> float:
        """How far ``value`` lies outside the band, relative to the band's width (0 inside);
        an unmeasurable fact (NaN) counts as a whole miss."""
        if np.isnan(value):
            return self.weight
        scale = max(self.hi - self.lo, 0.05)
        gap = max(self.lo - value, value - self.hi, 0.0)
        return float(self.weight * gap / scale)

    def band(self) -> str:
        return f"[{self.lo:g}, {self.hi:g}]"


#: The measured facts of one batch: fact name -> value.
Measured = dict[str, float]
#: Measures the facts on one batch result (the batch is run with ``record=True``).
Measure = Callable[[BatchResult, Scenario], Measured]


@dataclass(frozen=True)
class Crisis:
    """A founding crisis: its scenario id, its facts, and how to measure them on a batch."""

    scenario: str
    order: int
    facts: tuple[Fact, ...]
    measure_batch: Measure
    calibration: bool = False
    #: the one scripted event, in a sentence (for the docs)
    trigger: str = ""
    #: what happened and what the scenario models, a paragraph of Markdown for docs/scenarios.md
    about: str = ""

    def load(self) -> Scenario:
        return load_scenario(self.scenario)

    def run(
        self,
        params: Mapping[str, float] | None = None,
        seeds: Sequence[int] | range = range(500),
        scenario: Scenario | None = None,
    ) -> tuple[BatchResult, Scenario]:
        """One recorded batch of the crisis (or of a changed copy of its scenario)."""
        scen = scenario if scenario is not None else self.load()
        res = run_batch(
            Prepared.from_ref(scen), seeds=list(seeds), params=dict(params or {}), record=True
        )
        return res, scen

    def measure(
        self,
        params: Mapping[str, float] | None = None,
        seeds: Sequence[int] | range = range(500),
        scenario: Scenario | None = None,
    ) -> Measured:
        """Every fact of the crisis measured on ``seeds`` at ``params`` (defaults if None)."""
        res, scen = self.run(params, seeds, scenario)
        values = self.measure_batch(res, scen)
        missing = {f.name for f in self.facts} - set(values)
        if missing:
            raise RuntimeError(f"{self.scenario}: facts not measured: {sorted(missing)}")
        return values

    def misses(self, values: Mapping[str, float]) -> list[str]:
        """The facts outside their band, as sentences (empty when every fact holds)."""
        return [
            f"{f.name} = {values[f.name]:.3f}, outside {f.band()} ({f.meaning})"
            for f in self.facts
            if not f.holds(values[f.name])
        ]

    def loss(self, values: Mapping[str, float]) -> float:
        return float(sum(f.miss(values[f.name]) for f in self.facts))


def ai_events(
    res: BatchResult, actor: str | None = None, target: str | None = None
) -> pd.DataFrame:
    """The events the AI chose (scripted and player moves left out), optionally of one actor
    against one target."""
    ev = res.events
    if ev is None:
        raise RuntimeError("the batch was not recorded")
    ev = ev[ev.source == "ai"]
    if actor is not None:
        ev = ev[ev.actor == actor]
    if target is not None:
        ev = ev[ev.target == target]
    return ev


def share_of_runs(res: BatchResult, seeds_with: pd.Series) -> float:
    """The share of the batch's runs whose seed is among ``seeds_with`` (a Series of seeds)."""
    return float(seeds_with.nunique() / len(res.outcomes))
