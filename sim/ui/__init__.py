"""Solara user interface of Borderline: components and inputs for ``app.py``.

Components only read from a model (its tidy tables) and never change it; all game logic stays in
the engine. ``rung_chart`` and ``event_log`` plug straight into Mesa's ``SolaraViz``, and
``model_params`` builds its sidebar inputs from a scenario.
"""

from sim.ui.components import (
    EventLog,
    RungChart,
    dyad_label,
    event_log,
    event_log_html,
    event_log_rows,
    rung_chart,
    rung_figure,
)
from sim.ui.params import model_params

__all__ = [
    "EventLog",
    "RungChart",
    "dyad_label",
    "event_log",
    "event_log_html",
    "event_log_rows",
    "model_params",
    "rung_chart",
    "rung_figure",
]
