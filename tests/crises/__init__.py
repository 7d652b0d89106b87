"""Statistical tests of the founding crises (sim/crises/), one module per crisis, and their page."""
