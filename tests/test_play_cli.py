"""``borderline play``: a whole game in a terminal, driven by typed lines.

The terminal game is a front end on sim.session: the same session as the page, so a game typed
here replays identically from its save file; bad input (a number off the menu, an unknown
command, an unreadable or tampered save, a missing role) gets a message, never a traceback, and
``--save`` keeps the game when input ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import helpers

from sim.play import run_terminal_game
from sim.session import Session

REPO = helpers.REPO


def play(lines: list[str], tmp_path: Path, **kw: object) -> tuple[int, str, dict[Path, str]]:
    """Run a terminal game in this process on the typed ``lines``."""
    feed = iter(lines)
    out: list[str] = []
    files: dict[Path, str] = {}

    def write_file(path: Path, text: str) -> None:
        files[path] = text
        path.write_text(text)

    args: dict[str, object] = {
        "scenario": "iran_azerbaijan",
        "role": "iran",
        "seed": 3,
        "load": None,
        "save": None,
        "futures": 10,
    }
    args.update(kw)
    code = run_terminal_game(
        read=lambda prompt: next(feed, None),
        write=out.append,
        write_file=write_file,
        **args,  # type: ignore[arg-type]
    )
    return code, "\n".join(out), files


def test_a_typed_game_replays_from_its_save(tmp_path: Path) -> None:
    save = tmp_path / "game.json"
    code, out, _ = play(["2", "38", "u", "1", "v", "q"], tmp_path, save=save)
    assert code == 0
    assert "Your objectives: Free your trucks" in out
    assert "Protest publicly to Azerbaijan" in out  # menu item 2
    assert "took back turn 2" in out
    assert "score" in out and "saved to" in out
    data = json.loads(save.read_text())
    assert data["moves"] == [["protest", "azerbaijan"], ["hold", "iran"]]
    s = Session.start("iran_azerbaijan", "iran", 3)
    s.play("protest", "azerbaijan")
    s.play("hold", "iran")
    assert Session.load(data).state_view() == s.state_view()


def test_the_advisor_prints_a_line_per_move(tmp_path: Path) -> None:
    _, out, _ = play(["a", "q"], tmp_path)
    assert "The advisor: 10 simulated futures of each move, 8 turns ahead" in out
    n_moves = len(Session.start("iran_azerbaijan", "iran", 3).legal_actions())
    advice = out.split("The advisor:")[1].split("your move")[0]
    lines = [x for x in advice.splitlines() if ": war " in x]
    assert len(lines) == n_moves


def test_bad_input_gets_a_message_and_the_game_goes_on(tmp_path: Path) -> None:
    code, out, _ = play(["999", "0", "fly", "s", "s nowhere.txt", "u", "1", "q"], tmp_path)
    assert code == 0
    assert "no move 999" in out and "no move 0" in out
    assert "unknown command 'fly'" in out
    assert "save where?" in out and "must end in .json" in out
    assert "nothing to undo" in out
    assert "Turn 1 (2021-09-12)" in out  # move 1 was still played


def test_input_ending_saves_the_game(tmp_path: Path) -> None:
    save = tmp_path / "kept.json"
    play(["1", "1"], tmp_path, save=save)  # input runs out mid-game
    assert json.loads(save.read_text())["moves"] == [["hold", "iran"]] * 2


def test_a_whole_game_ends_with_a_debrief(tmp_path: Path) -> None:
    code, out, _ = play(["1"] * 30, tmp_path)
    assert code == 0
    assert "Debrief" in out and "AI-played runs" in out and "Turning points" in out


def test_resume_from_a_save_and_refuse_a_tampered_one(tmp_path: Path) -> None:
    save = tmp_path / "g.json"
    play(["2", "q"], tmp_path, save=save)
    code, out, _ = play(["q"], tmp_path, load=save, role=None)
    assert code == 0 and "Turn 1 (2021-09-12)" in out  # the played turn is shown again
    data = json.loads(save.read_text())
    data["scenario_hash"] = "f" * 64
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    code, out, _ = play(["q"], tmp_path, load=bad, role=None)
    assert code == 2 and "has changed since the game was saved" in out
    code, out, _ = play(["q"], tmp_path, load=tmp_path / "missing.json")
    assert code == 2 and "cannot read" in out
    # the save names its crisis: --load needs no scenario argument
    code, out, _ = play(["q"], tmp_path, scenario=None, load=save, role=None)
    assert code == 0 and "Turn 1 (2021-09-12)" in out
    code, out, _ = play(["q"], tmp_path, scenario=None, role=None)
    assert code == 2 and "give a scenario" in out


def test_missing_or_unknown_role_names_the_roles(tmp_path: Path) -> None:
    code, out, _ = play([], tmp_path, role=None)
    assert code == 2 and "--role is required; roles of iran_azerbaijan: azerbaijan, iran" in out
    code, out, _ = play([], tmp_path, role="atlantis")
    assert code == 2 and "no role 'atlantis'" in out
    code, out, _ = play([], tmp_path, scenario="no_such_crisis")
    assert code == 2 and "error" in out and "Traceback" not in out


def test_python_m_sim_play_from_stdin(tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    save = tmp_path / "g.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "play",
            "iran_azerbaijan",
            "--role",
            "armenia",
            "--seed",
            "4",
            "--save",
            str(save),
        ],
        input=b"1\n2\nq\n",
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stderr == b""
    assert len(json.loads(save.read_text())["moves"]) == 2
    bad = subprocess.run(
        [sys.executable, "-m", "sim", "play", "iran_azerbaijan", "--seed", "-3"],
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and b"Traceback" not in bad.stderr
