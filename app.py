"""Borderline dashboard: a free run of the Iran–Azerbaijan border crisis.

Serve it with ``make play`` (or ``solara run app.py``) and open http://127.0.0.1:8765. Step plays
one turn, ▶ plays on, Reset starts again with the seed and parameters in the sidebar.

As in Mesa's examples, this file only holds the parameters, the chart components and the page;
the model lives in ``sim/`` and the components in ``sim/ui/``.
"""

import solara
import solara.settings
from mesa.visualization import SolaraViz

from sim.model import CrisisModel
from sim.ui import event_log, model_params, rung_chart

if not solara.settings.assets.proxy:
    # Without the proxy the page loads Vue/Vuetify from a public CDN and stays blank offline.
    # Solara turns it off by itself inside VS Code, and it must be set before solara starts.
    print(
        "Borderline: Solara's asset proxy is off, so the page will load its scripts from a CDN."
        " To play offline, use `make play` or `SOLARA_ASSETS_PROXY=true solara run app.py`."
    )

CRISIS = "iran_azerbaijan"
SEED = 42
TITLE = "Borderline — Iran–Azerbaijan border tension"


@solara.component
def Page() -> None:
    """The dashboard; each browser session gets its own run.

    (A model made at module level, as in Mesa's examples, would be one run shared by every
    visitor until someone pressed Reset.)
    """
    # one model per browser session; CrisisModel reads the seed field's text itself
    model = solara.use_memo(lambda: CrisisModel(crisis=CRISIS, rng=SEED), dependencies=[])
    SolaraViz(
        model,
        components=[rung_chart, event_log],
        model_params=model_params(CRISIS, model.prepared.scenario, seed=SEED),
        name=TITLE,
    )
