"""Dashboard pieces without a browser: the chart, the event log, the sidebar inputs, text seeds."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
import solara

from sim.model import CrisisModel
from sim.rng import seed_from_text
from sim.scenario import load_scenario
from sim.ui import event_log, event_log_rows, model_params, rung_chart, rung_figure
from sim.ui.components import EVENT_LOG_COLUMNS, MAX_DYADS_SHOWN
from sim.world import parameter_defaults, parameter_ranges


@pytest.fixture(scope="module")
def played() -> CrisisModel:
    model = CrisisModel(crisis="iran_azerbaijan", rng=7)
    for _ in range(6):
        model.step()
    return model


def test_rung_figure_draws_the_most_escalated_dyads(played: CrisisModel) -> None:
    fig = rung_figure(played.dyad_table())
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert 1 <= len(lines) <= MAX_DYADS_SHOWN
    for line in lines:
        xs, ys = line.get_data()
        assert list(xs) == list(range(1, played.turn + 1))
        # lines are nudged apart a little so overlapping dyads stay visible
        assert all(0 <= round(y) <= 8 and abs(y - round(y)) < 0.3 for y in ys)
    assert "war" in [t.get_text().split(" ", 1)[-1] for t in ax.get_yticklabels()]
    assert plt.get_fignums() == []  # not registered with pyplot: nothing to leak


def test_event_log_rows_are_newest_first_and_coded(played: CrisisModel) -> None:
    events = played.event_table()
    rows = event_log_rows(events)
    assert len(rows) == len(events)
    assert list(rows.columns[: len(EVENT_LOG_COLUMNS)]) == list(EVENT_LOG_COLUMNS)
    assert rows["Turn"].is_monotonic_decreasing
    assert rows["Turn"].iloc[0] == played.turn
    mid = rows["MID action"].str.split(" ", n=1).str[0].astype(int)
    assert set(mid) <= set(events["mid_action"])


def test_components_render_without_a_browser(played: CrisisModel) -> None:
    for component in (rung_chart, event_log):
        _box, rc = solara.render(component(played), handle_error=False)
        assert rc is not None
        rc.close()


def test_model_params_take_defaults_and_ranges_from_the_scenario() -> None:
    scenario = load_scenario("iran_azerbaijan")
    params = model_params("iran_azerbaijan", scenario, seed=42)
    defaults, ranges = parameter_defaults(scenario), parameter_ranges(scenario)
    assert params["rng"]["value"] == 42
    for name in ("temperature", "misperception"):
        assert params[name]["value"] == defaults[name]
        assert (params[name]["min"], params[name]["max"]) == ranges[name]


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, None), (7, 7), ("7", 7), (" 42 ", 42), ("", None), ("  ", None)],
)
def test_seed_from_text_reads_numbers(text: int | str | None, expected: int | None) -> None:
    assert seed_from_text(text) == expected


def test_seed_from_text_hashes_other_text_reproducibly() -> None:
    word = seed_from_text("karabakh")
    assert word is not None and 0 <= word < 2**64
    assert seed_from_text("karabakh") == word != seed_from_text("kapan")
    assert seed_from_text("-3") != -3 and seed_from_text(str(2**64)) is not None


def test_model_takes_a_text_seed() -> None:
    a = CrisisModel(rng="12")
    b = CrisisModel(rng=12)
    assert a.seed == b.seed == 12
    assert CrisisModel(rng="hello").seed == seed_from_text("hello")
