"""The working context of one turn's adjudication, shared by the rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from sim.rng import Purpose, uniform_at
from sim.weights import W
from sim.world import Params, State, Static

I64 = NDArray[np.int64]


@dataclass
class Note:
    """Something a rule did that the turn log should report (kept only when verbose)."""

    replicates: I64
    kind: str
    actor: I64
    target: I64
    amount: NDArray[np.float64]


@dataclass
class Turn:
    """Adjudication context: state being changed, and what this turn's actions did.

    Attributes:
        act_rung: (R, N, N) rung of the action i took against j this turn, -1 if none.
        act_mid: (R, N, N) MID action code of that action.
        success: (R, N) whether actor i's action had its effect (strikes can miss).
        amount: (R, N) size of the effect of actor i's action (items destroyed, cost...).
        econ_before: (R, N) each actor's economic cost at the start of the turn.
        pressure_push: (R, N) changes of domestic pressure this turn's actions call for; the
            domestic rule applies them (and nothing does when it is off).
        truce_day: (R, N, N) day of this turn's fighting on which an agreement reached this
            turn (a ceasefire both offered, or mediated talks both accepted) ends the war
            between i and j, -1 if none; the combat rule ends it that day.
        truce_mediated: (R, N, N) whether that agreement was mediated.
        backed_down: (R, N) actor i backed down this turn after a public threat (an audience
            cost, applied by the domestic rule).
        fought: (R, N, N) days of war between i and j this turn.
        skirmishes: (R, N, N) uses of force between i and j this turn outside war (strikes,
            clashes). Fighting reveals strength and corrects beliefs (sim.decisions.learn).
        attributed: (R, N, N) whether i's gray-zone action against j this turn was
            attributed to i (the cyber rule); kept in ``State.attributed`` for the next
            turn's choices.
        notes: rule events for the turn log (verbose runs only).
        war_day: the ``war_day`` hooks of the rules that are on, which the combat rule calls
            after each day of fighting with the replicates at war (set by the engine).
    """

    static: Static
    state: State
    params: Params
    turn: int
    verbose: bool
    act_rung: NDArray[np.int8]
    act_mid: NDArray[np.int8]
    success: NDArray[np.bool_]
    amount: NDArray[np.float64]
    econ_before: NDArray[np.float64]
    pressure_push: NDArray[np.float64]
    truce_day: NDArray[np.int64]
    truce_mediated: NDArray[np.bool_]
    backed_down: NDArray[np.bool_]
    fought: NDArray[np.float64]
    skirmishes: NDArray[np.float64]
    attributed: NDArray[np.bool_]
    notes: list[Note] = field(default_factory=list)
    war_day: tuple[Callable[[Turn, I64], None], ...] = ()

    @classmethod
    def fresh(
        cls, static: Static, state: State, params: Params, turn: int, verbose: bool = False
    ) -> Turn:
        """A context for a turn in which nothing has happened yet."""
        r, n = state.r, static.n
        return cls(
            static=static,
            state=state,
            params=params,
            turn=turn,
            verbose=verbose,
            act_rung=np.full((r, n, n), -1, dtype=np.int8),
            act_mid=np.zeros((r, n, n), dtype=np.int8),
            success=np.zeros((r, n), dtype=bool),
            amount=np.zeros((r, n)),
            econ_before=state.econ_cost.copy(),
            pressure_push=np.zeros((r, n)),
            truce_day=np.full((r, n, n), -1, dtype=np.int64),
            truce_mediated=np.zeros((r, n, n), dtype=bool),
            backed_down=np.zeros((r, n), dtype=bool),
            fought=np.zeros((r, n, n)),
            skirmishes=np.zeros((r, n, n)),
            attributed=np.zeros((r, n, n), dtype=bool),
        )

    @property
    def days(self) -> int:
        """Days in a turn."""
        return self.static.turn_days

    def w(self, weight: W) -> NDArray[np.float64]:
        """A weight of the model, one value per replicate: index it with the rows ``rr``."""
        return self.params[weight]

    def push_pressure(self, rr: I64, ii: I64, amount: float | NDArray[np.float64]) -> None:
        """Ask for a change of domestic pressure of ii (applied by the domestic rule)."""
        np.add.at(self.pressure_push, (rr, ii), amount)

    def skirmish(self, rr: I64, ii: I64, jj: I64) -> None:
        """Record a use of force between ii and jj (both ways)."""
        np.add.at(self.skirmishes, (rr, ii, jj), 1.0)
        np.add.at(self.skirmishes, (rr, jj, ii), 1.0)

    def agree(self, agreed: NDArray[np.bool_], mediated: bool) -> None:
        """Record agreements (R, N, N, symmetric) to end wars this turn: each takes effect on a
        day of the turn drawn per replicate and pair (negotiation and implementation), unless
        an earlier agreement of the turn already set one."""
        new = agreed & (self.truce_day < 0)
        if not new.any():
            return
        rr, ii, jj = np.nonzero(
            new & (np.arange(self.static.n)[:, None] < np.arange(self.static.n)[None, :])[None]
        )
        u = uniform_at(self.state.seeds[rr], self.turn, Purpose.TRUCE, ii * self.static.n + jj)
        day = np.minimum((u * self.days).astype(np.int64), self.days - 1)
        for a, b in ((ii, jj), (jj, ii)):
            self.truce_day[rr, a, b] = day
            self.truce_mediated[rr, a, b] = mediated

    def note(self, rr: I64, kind: str, ii: I64, jj: I64, amount: NDArray[np.float64]) -> None:
        """Record a rule event for the log."""
        if self.verbose and rr.size:
            self.notes.append(Note(rr.copy(), kind, ii.copy(), jj.copy(), np.asarray(amount)))

    def grieve(self, rr: I64, ii: I64, jj: I64, amount: float | NDArray[np.float64]) -> None:
        """Raise i's grievance against j (clipped to [0, 1]); duplicates add up.

        Only the dyads raised are clipped: every other grievance is in [0, 1] already (the
        scenario's, and every weight that changes one, are checked to keep it there)."""
        g = self.state.grievance
        np.add.at(g, (rr, ii, jj), amount)
        g[rr, ii, jj] = np.clip(g[rr, ii, jj], 0.0, 1.0)
