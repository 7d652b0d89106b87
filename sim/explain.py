"""What each action costs the country that takes it, in a sentence, for the game's action menu.

The coding of an action (rung, MID code) says how far up the ladder it goes; this says what the
player gives up for it in the model: money, stocks of drones or missiles, domestic approval,
standing with the target, or the risk of an answer in kind. Every line describes what the
action's rule does (sim/rules/; docs/actions.md), not a separate game mechanic.
"""

from __future__ import annotations

from sim.scenario.models import ActionId

A = ActionId

ACTION_COST: dict[ActionId, str] = {
    A.HOLD: "nothing; tension eases if everyone holds",
    A.PROTEST: "little: vents pressure at home, but the target's grievance grows",
    A.STATE_VISIT: "nothing material; your host's rivals resent it",
    A.OPEN_CONSULATE: "nothing material; the pair's rivals resent it",
    A.EXPEL_DIPLOMATS: "ties are downgraded; the target's grievance grows",
    A.SEVER_TIES: "a rupture: no more talks or visits until ties are restored",
    A.RESTORE_TIES: "nothing material; may look soft at home if grievance is high",
    A.REQUEST_MEDIATION: "you commit to talks if the other side accepts",
    A.ACCEPT_MEDIATION: "you commit to talks; backing down after a threat costs approval",
    A.OFFER_CONCESSION: "approval at home; eases the target's grievance",
    A.PROPOSE_CEASEFIRE: "nothing unless both sides offer; then the fighting stops",
    A.LEVY_TRANSIT: "earns levy revenue; the users' trade and grievance suffer",
    A.CLOSE_CORRIDOR: "the transit revenue; the users' grievance grows sharply",
    A.REOPEN_CORRIDOR: "the levy revenue or leverage you held",
    A.IMPOSE_SANCTIONS: "both sides lose a share of their trade every turn",
    A.BUY_ARMS: "money now; the arms arrive after the delivery time",
    A.SUPPLY_ARMS: "money and stocks; the client's rivals resent it",
    A.CYBER_ATTACK: "little if unattributed; if attributed, the target's grievance and tension",
    A.COVERT_OPERATION: "often discovered; then the target's grievance grows",
    A.ARREST_NETWORK: "vents pressure at home; the target's grievance grows",
    A.SUPPORT_PROXY: "arms to your proxy; the target's grievance grows",
    A.THREATEN: "a public commitment: backing down later costs approval",
    A.THREATEN_WAR: "a public commitment: backing down later costs approval",
    A.DRILLS: "raises tension; the target may answer in kind",
    A.ALERT: "a standing posture that keeps tension up until you stand down",
    A.MOBILIZE: "a share of GDP every turn while mobilized; raises tension",
    A.FORTIFY_BORDER: "raises tension; defends better against the target from now on",
    A.BORDER_VIOLATION: "a militarized incident: tension and grievance rise",
    A.DRONE_STRIKE: "drones lost to air defence; risks retaliation and a wider war",
    A.MISSILE_STRIKE: "missiles spent; risks retaliation and a wider war",
    A.BORDER_CLASH: "armour and lives on both sides; risks a wider war",
    A.SEIZE_CORRIDOR: "an occupation: the target and its allies may fight to take it back",
    A.BLOCKADE: "as a closure, with more grievance; risks a clash",
    A.LAUNCH_OFFENSIVE: "war: armour, lives and a share of GDP every day it lasts",
    A.JOIN_WAR: "war: armour, lives and a share of GDP every day it lasts",
    A.STAND_DOWN: "little; after a public threat, backing down costs approval",
}


#: The menu's wording of each action, as an order to give ("Hold military drills aimed at
#: Iran"); the engine's verbs are past tense, for the report of what happened.
ACTION_COMMAND: dict[ActionId, str] = {
    A.HOLD: "hold your course with",
    A.PROTEST: "protest publicly to",
    A.STATE_VISIT: "hold a state visit with",
    A.OPEN_CONSULATE: "open a consulate in",
    A.EXPEL_DIPLOMATS: "expel the diplomats of",
    A.SEVER_TIES: "sever diplomatic ties with",
    A.RESTORE_TIES: "restore diplomatic ties with",
    A.REQUEST_MEDIATION: "ask for mediation with",
    A.ACCEPT_MEDIATION: "accept mediated talks with",
    A.OFFER_CONCESSION: "offer a concession to",
    A.PROPOSE_CEASEFIRE: "propose a ceasefire to",
    A.LEVY_TRANSIT: "levy the transit of",
    A.CLOSE_CORRIDOR: "close a transit corridor to",
    A.REOPEN_CORRIDOR: "reopen a transit corridor to",
    A.IMPOSE_SANCTIONS: "impose sanctions on",
    A.BUY_ARMS: "order arms from",
    A.SUPPLY_ARMS: "ship arms to",
    A.CYBER_ATTACK: "launch a cyber attack on",
    A.COVERT_OPERATION: "run a covert operation against",
    A.ARREST_NETWORK: "arrest people linked to",
    A.SUPPORT_PROXY: "arm a proxy against",
    A.THREATEN: "threaten force against",
    A.THREATEN_WAR: "threaten war against",
    A.DRILLS: "hold military drills aimed at",
    A.ALERT: "put forces on alert against",
    A.MOBILIZE: "mobilize against",
    A.FORTIFY_BORDER: "fortify the border with",
    A.BORDER_VIOLATION: "violate the border of",
    A.DRONE_STRIKE: "launch a drone strike on",
    A.MISSILE_STRIKE: "fire missiles at",
    A.BORDER_CLASH: "clash at the border with",
    A.SEIZE_CORRIDOR: "seize a corridor controlled by",
    A.BLOCKADE: "blockade",
    A.LAUNCH_OFFENSIVE: "launch a war against",
    A.JOIN_WAR: "join the war against",
    A.STAND_DOWN: "stand down your forces facing",
}
