"""What a rule declares about itself: :class:`RuleSpec`.

Every module under sim/rules/ that is a rule exports one ``SPEC``: its name (the key under
``rules:`` in a scenario), version, typed parameter model, the actions it owns, its per-turn
steps and their place in the turn, what it needs from the scenario, the State fields it writes,
and its source. sim.rules.registry collects the specs; the engine builds its action table and
its per-turn pipeline from them, and nothing else lists rules.

A rule that is off (absent from the scenario's ``rules:``, or ``enabled: false``) does nothing:
its actions are illegal, its steps do not run, and the State fields only it writes never change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from sim.actionspec import ActionSpec
from sim.rules.context import Turn
from sim.scenario.models import RuleParams
from sim.world import I64, Static


class Stage(IntEnum):
    """When in a turn a per-turn step runs."""

    BEFORE_CHOICES = 0  # before the actors choose (arms deliveries)
    AFTER_ACTIONS = 1  # after every action of the turn has taken effect


@dataclass(frozen=True)
class Step:
    """A per-turn step of a rule.

    Attributes:
        stage: when in the turn it runs.
        order: its place among the steps of the same stage (lower first); the orders of all
            rules together give the pipeline of docs/model.md.
        run: the step, changing ``turn.state`` in place.
    """

    stage: Stage
    order: int
    run: Callable[[Turn], None]

    @property
    def name(self) -> str:
        """The step function's name."""
        return getattr(self.run, "__name__", repr(self.run))


@dataclass(frozen=True)
class RuleSpec[P: RuleParams]:
    """A rule's declaration of itself.

    Attributes:
        name: key of the rule under ``rules:`` in a scenario file.
        version: bumped whenever the rule's behaviour changes.
        params: the typed parameter model (sim.scenario.models).
        summary: one sentence: what the rule does.
        needs: what the rule needs from a scenario, in words.
        source: the theory or facts it rests on.
        actions: the actions it owns.
        steps: its per-turn steps.
        writes: names of the State fields it writes (its actions, steps and hooks together).
        war_day: optional hook the combat rule calls after each day of fighting, with the
            replicates at war (drone strikes during a war).
    """

    name: str
    version: int
    params: type[P]
    summary: str
    needs: str
    source: str
    actions: tuple[ActionSpec, ...] = ()
    steps: tuple[Step, ...] = ()
    writes: frozenset[str] = frozenset()
    war_day: Callable[[Turn, I64], None] | None = None

    def of(self, static: Static) -> P | None:
        """The rule's parameters in this scenario, or None when the rule is off."""
        p = static.rules.get(self.name)
        if isinstance(p, self.params) and p.enabled:
            return p
        return None

    def on(self, static: Static) -> bool:
        """Whether the rule is on in this scenario."""
        return self.of(static) is not None

    def or_default(self, static: Static) -> P:
        """The rule's parameters, or the model's defaults when the rule is off.

        For another rule's use of a constant of this one (battle deaths per item lost, say);
        never to run this rule's own behaviour when it is off.
        """
        p = self.of(static)
        return p if p is not None else self.params.model_validate(self._defaults())

    def _defaults(self) -> dict[str, object]:
        # required fields (the mediation rule's list of mediators) get a neutral value
        out: dict[str, object] = {}
        for field_name, info in self.params.model_fields.items():
            if info.is_required():
                out[field_name] = []
        return out
