"""Mediation: a third party offers talks; when both sides accept, tension falls or war ends.

Each turn, for every pair whose tension is at least ``offer_tension`` (or at war), a listed
mediator with full diplomatic ties to both sides offers talks (Qatar after the Soleimani strike,
Russia in Karabakh). Either side may also ask for mediation. Acceptance is a decision of each
side (sim.decisions). When both have accepted, the talks succeed: tension drops by
``success_tension_drop``, grievances ease, and a war between them ends in a compromise, within
the same turn (this step runs before the turn's fighting; the combat rule ends the war on a day
of the turn drawn for the pair, so a war can end on any day). ICB
studies find that mediated crises more often end in compromise and in longer-lasting tension
reduction (Wilkenfeld et al. 2005).
"""

from __future__ import annotations

import numpy as np

from sim import pairs
from sim.actionspec import ActionSpec, B, Phase, others
from sim.ladder import Category, MidAction, Rung
from sim.rules.context import Turn
from sim.rules.spec import RuleSpec, Stage, Step
from sim.scenario.models import ActionId, MediationParams
from sim.weights import W
from sim.world import I64, State, Static, Ties

A, P, M, C = ActionId, Phase, MidAction, Category

#: Tension from which either side of a pair may ask for mediation.
REQUEST_MIN_TENSION = 0.3


def mediator_available(s: Static, w: State) -> B:
    """(R, N, N): some mediator other than the pair has full ties with both sides."""
    return pairs.mediated(w.diplo == Ties.FULL.value, np.flatnonzero(s.mediators)) & others(s, w)


def effect_request_mediation(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Ask for mediation with the target: an offer to both, accepted by the actor."""
    w = t.state
    new = ~w.mediation_offer[rr, ii, jj]
    np.add.at(w.mediation_offers, rr[new], 1)
    w.mediation_offer[rr, ii, jj] = True
    w.mediation_offer[rr, jj, ii] = True
    w.mediation_accept[rr, ii, jj] = True
    t.success[rr, ii] = True


def effect_accept_mediation(t: Turn, rr: I64, ii: I64, jj: I64) -> None:
    """Accept pending mediated talks with the target."""
    t.state.mediation_accept[rr, ii, jj] = True
    t.success[rr, ii] = True


def resolve(t: Turn) -> None:
    """Settle talks both sides accepted, then make new offers for the next turn."""
    s, w = t.static, t.state
    p = SPEC.of(s)
    if p is None:
        return
    upper = np.triu(np.ones((s.n, s.n), dtype=bool), k=1)
    both = w.mediation_accept & np.swapaxes(w.mediation_accept, 1, 2) & w.mediation_offer
    if both.any():
        pairs = both & upper[None]
        w.mediation_successes += np.count_nonzero(pairs.reshape(w.r, -1), axis=1)
        w.tension = np.where(both, np.maximum(w.tension - p.success_tension_drop, 0.0), w.tension)
        kept = t.params.col(W.MEDIATION_FORGIVE)
        w.grievance = np.where(both, w.grievance * kept, w.grievance)
        w.threatened &= ~both
        if t.verbose:
            rr, ii, jj = np.nonzero(pairs)
            t.note(rr, "mediation_success", ii, jj, np.zeros(rr.size))
        t.agree(both & w.at_war, mediated=True)  # the combat rule ends the war within the turn
        w.mediation_offer &= ~both
        w.mediation_accept &= ~both
    # offers expire after a turn unaccepted by both; mediators offer anew to tense pairs
    w.mediation_accept &= w.mediation_offer
    hot = (w.tension >= p.offer_tension) | w.at_war
    offer = hot & mediator_available(s, w) & ~w.mediation_offer
    if offer.any():
        pairs = offer & upper[None]
        w.mediation_offers += np.count_nonzero(pairs.reshape(w.r, -1), axis=1)
        if t.verbose:
            rr, ii, jj = np.nonzero(pairs)
            t.note(rr, "mediation_offer", ii, jj, np.zeros(rr.size))
        w.mediation_offer |= offer


# ----------------------------------------------------------------------------------------------
# Preconditions


def _request_mediation(s: Static, w: State) -> B:
    hot = (w.tension >= REQUEST_MIN_TENSION) | w.at_war
    return mediator_available(s, w) & hot & ~w.mediation_offer


def _accept_mediation(s: Static, w: State) -> B:
    return w.mediation_offer & ~w.mediation_accept & others(s, w)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        A.REQUEST_MEDIATION,
        verb="asked for mediation with",
        phase=P.DIPLOMACY,
        rung=Rung.NORMAL,
        mid=M.NONE,
        category=C.DEESCALATION,
        hostile=False,
        requires="tension or war, and a mediator with ties to both sides",
        legal=_request_mediation,
        effect=effect_request_mediation,
    ),
    ActionSpec(
        A.ACCEPT_MEDIATION,
        verb="accepted mediated talks with",
        phase=P.DIPLOMACY,
        rung=Rung.NORMAL,
        mid=M.NONE,
        category=C.DEESCALATION,
        hostile=False,
        requires="a pending offer of mediation",
        legal=_accept_mediation,
        effect=effect_accept_mediation,
    ),
)

SPEC = RuleSpec(
    name="mediation",
    version=2,
    params=MediationParams,
    summary="Mediators offer talks to tense pairs; both accepting lowers tension or ends war.",
    needs="mediators listed among the actors, with ties to both sides",
    source="ICB findings on mediated crises (Wilkenfeld et al. 2005)",
    actions=ACTIONS,
    steps=(Step(Stage.AFTER_ACTIONS, 15, resolve),),
    writes=frozenset(
        {
            "mediation_offer",
            "mediation_accept",
            "mediation_offers",
            "mediation_successes",
            "tension",
            "grievance",
            "threatened",
        }
    ),
)
