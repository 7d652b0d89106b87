"""Borderline: play a border crisis as one of its leaders, in the browser.

Serve it with ``make play`` (or ``SOLARA_ASSETS_PROXY=true solara run app.py``) and open
http://127.0.0.1:8765. The start screen lists every crisis under scenarios/; pick one and a
country, and play it turn by turn. A link ``?scenario=ID&role=ID&seed=N`` starts that game
directly (``&mode=teacher`` for a free run the computer plays). Each browser tab is its own game.
``/experiments`` is the experiments page: a small sweep of two parameters with a heat map.

This file only hands the page to sim/ui/game.py; the game itself is sim/session.py.
"""

import solara
import solara.server.settings
import solara.settings

from sim import fastchoice
from sim.ui.experiments import Experiments
from sim.ui.game import Game

# Load the compiled decisions (numba's cache; `make play` compiled them) as the server starts,
# so that the first player's first turn does not wait for it.
fastchoice.warm()

if not solara.settings.assets.proxy:
    # Without the proxy the page loads Vue/Vuetify from a public CDN and stays blank offline.
    # Solara turns it off by itself inside VS Code, and it must be set before solara starts.
    print(
        "Borderline: Solara's asset proxy is off, so the page will load its scripts from a CDN."
        " To play offline, use `make play` or `SOLARA_ASSETS_PROXY=true solara run app.py`."
    )

TITLE = "Borderline"

# Solara's "This website runs on Solara" banner sits over the bottom of the move menu.
solara.server.settings.theme.show_banner = False


@solara.component
def Page() -> None:
    """The game; each browser tab renders its own (Solara gives every tab its own state)."""
    router = solara.use_router()
    solara.Title(TITLE)
    with solara.Column(style={"padding": "12px", "max-width": "1600px", "margin": "0 auto"}):
        with solara.Row(justify="end"):
            solara.Button(
                "Experiments: sweep two parameters →",
                text=True,
                classes=["experiments-link"],
                on_click=lambda: router.push("/experiments"),
            )
        Game(search=router.search)


@solara.component
def ExperimentsPage() -> None:
    """The experiments page: a small sweep of two parameters, with a heat map."""
    router = solara.use_router()
    solara.Title(f"{TITLE}: experiments")
    with solara.Column(style={"padding": "12px", "max-width": "1600px", "margin": "0 auto"}):
        with solara.Row(justify="end"):
            solara.Button("← Back to the game", text=True, on_click=lambda: router.push("/"))
        Experiments()


@solara.component
def Layout(children: list[solara.Element] | None = None) -> None:
    """No navigation bar: each page has its own way back."""
    solara.Column(children=children or [], style={"padding": "0"})


routes = [
    solara.Route(path="/", component=Page, label="Game", layout=Layout),
    solara.Route(path="experiments", component=ExperimentsPage, label="Experiments"),
]
