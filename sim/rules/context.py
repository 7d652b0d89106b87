"""The working context of one turn's adjudication, shared by the rules."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

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
        notes: rule events for the turn log (verbose runs only).
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
    notes: list[Note] = field(default_factory=list)

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
        )

    @property
    def days(self) -> int:
        """Days in a turn."""
        return self.static.turn_days

    def note(self, rr: I64, kind: str, ii: I64, jj: I64, amount: NDArray[np.float64]) -> None:
        """Record a rule event for the log."""
        if self.verbose and rr.size:
            self.notes.append(Note(rr.copy(), kind, ii.copy(), jj.copy(), np.asarray(amount)))

    def grieve(self, rr: I64, ii: I64, jj: I64, amount: float | NDArray[np.float64]) -> None:
        """Raise i's grievance against j (clipped to [0, 1]); duplicates add up."""
        g = self.state.grievance
        np.add.at(g, (rr, ii, jj), amount)
        np.clip(g, 0.0, 1.0, out=g)
