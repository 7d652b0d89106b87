"""The Solara game page of Borderline (front end): screens, map, charts.

``sim.ui.game`` holds the screens and ``Game``, which ``app.py`` serves; ``sim.ui.map`` and
``sim.ui.charts`` turn a :class:`sim.session.Session` into figures; ``sim.ui.figures`` draws them
off the page's thread. Components only read a session and call its methods; every rule, choice
and number comes from the engine through the session.
"""
