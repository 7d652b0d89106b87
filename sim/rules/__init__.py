"""Escalation rules, one module each; sim.rules.registry finds them.

A rule module exports one :class:`sim.rules.spec.RuleSpec` named ``SPEC``: its name, version,
typed parameters, the actions it owns (with their coding, precondition and effect), its
per-turn steps, what it needs from a scenario and the State fields it writes. Modules here that
export no ``SPEC`` are helpers: ``context`` (the turn being adjudicated), ``spec``,
``registry`` and ``lanchester`` (the integrator of Lanchester's equations).
"""
