"""Figures drawn off the page's thread: the last image stays up while the next one is drawn.

Drawing a map or a chart takes a few hundred milliseconds; drawn while the page renders, it
would hold up the turn's report and menu. :class:`FigurePng` draws in a background task and
shows the PNG when it is ready, keeping the previous image meanwhile, so a turn's text and
menu answer at once and the pictures follow.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Hashable

import solara
from matplotlib.figure import Figure

#: PNG compression: level 1 is several times faster to write than the default and barely larger.
PNG_OPTIONS = {"compress_level": 1}


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes (the figure is not registered with pyplot: nothing to close)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", pil_kwargs=PNG_OPTIONS)
    return buf.getvalue()


@solara.component
def FigurePng(build: Callable[[], Figure], dependencies: list[Hashable]) -> None:
    """The figure ``build`` returns, drawn in the background whenever ``dependencies`` change,
    shown as a PNG image; the last image stays up while the next is drawn."""
    task = solara.lab.use_task(lambda: png_bytes(build()), dependencies=dependencies)
    image = task.latest
    if task.error:
        solara.Error(f"This view could not be drawn: {task.exception}")
    elif image is None:
        solara.ProgressLinear(True)
    else:
        solara.Image(image, format="png", classes=["figure"])
