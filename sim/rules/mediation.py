"""Mediation: a third party offers talks; when both sides accept, tension falls or war ends.

Each turn, for every pair whose tension is at least ``offer_tension`` (or at war), a listed
mediator with full diplomatic ties to both sides offers talks (Qatar after the Soleimani strike,
Russia in Karabakh). Either side may also ask for mediation. Acceptance is a decision of each
side (sim.decisions). When both have accepted, the talks succeed: tension drops by
``success_tension_drop``, grievances ease, and a war between them ends in a compromise. ICB
studies find that mediated crises more often end in compromise and in longer-lasting tension
reduction (Wilkenfeld et al. 2005).
"""

from __future__ import annotations

import numpy as np

from sim.actions import mediator_available
from sim.rules import combat
from sim.rules.context import Turn
from sim.world import I64


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
    p = s.rule("mediation")
    if p is None:
        return
    both = w.mediation_accept & np.swapaxes(w.mediation_accept, 1, 2) & w.mediation_offer
    if both.any():
        upper = np.triu(np.ones((s.n, s.n), dtype=bool), k=1)
        pairs = both & upper[None]
        np.add.at(w.mediation_successes, np.nonzero(pairs)[0], 1)
        w.tension = np.where(both, np.maximum(w.tension - p.success_tension_drop, 0.0), w.tension)
        w.grievance = np.where(both, w.grievance * 0.7, w.grievance)
        w.threatened &= ~both
        rr, ii, jj = np.nonzero(pairs)
        t.note(rr, "mediation_success", ii, jj, np.zeros(rr.size))
        combat.end_by_agreement(t, both & w.at_war, mediated=True)
        w.mediation_offer &= ~both
        w.mediation_accept &= ~both
    # offers expire after a turn unaccepted by both; mediators offer anew to tense pairs
    w.mediation_accept &= w.mediation_offer
    hot = (w.tension >= p.offer_tension) | w.at_war
    offer = hot & mediator_available(s, w) & ~w.mediation_offer
    if offer.any():
        upper = np.triu(np.ones((s.n, s.n), dtype=bool), k=1)
        np.add.at(w.mediation_offers, np.nonzero(offer & upper[None])[0], 1)
        rr, ii, jj = np.nonzero(offer & upper[None])
        t.note(rr, "mediation_offer", ii, jj, np.zeros(rr.size))
        w.mediation_offer |= offer
