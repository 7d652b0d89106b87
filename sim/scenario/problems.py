"""Problems found in scenario files, and the exception that carries them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sim.scenario.codes import CODES

if TYPE_CHECKING:
    from sim.scenario.models import Scenario


def display_path(path: Path) -> str:
    """Name a file for messages: relative to the working directory when inside it."""
    absolute = path.absolute()
    try:
        return str(absolute.relative_to(Path.cwd().absolute()))
    except ValueError:
        return str(path)


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in one scenario file.

    ``str()`` gives the one-line form
    ``scenarios/x.yaml:41: actors[id=armenia].drones[0].range_km: expected ... [E203 wrong-type]``.

    Attributes:
        path: The file, as it should be shown (relative to the working directory when inside it).
        line: 1-based line number, or None for problems of the whole file.
        field: Path of the field, e.g. ``actors[id=armenia].drones[0].range_km``; "" if none.
        message: What is wrong and how to fix it.
        code: Stable error code (see :mod:`sim.scenario.codes`).
    """

    path: str
    line: int | None
    field: str
    message: str
    code: str

    @property
    def name(self) -> str:
        """The short name of the error code, e.g. ``unknown-actor``."""
        return CODES[self.code].name

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what} [{self.code} {self.name}]"


@dataclass(slots=True)
class FileReport:
    """The result of validating one file.

    Attributes:
        path: The file as given.
        problems: Every problem found, in line order; empty when the file is valid.
        scenario: The validated scenario, when there were no problems.
        seconds: Wall time taken to load and validate the file.
    """

    path: Path
    problems: list[Problem] = field(default_factory=list)
    scenario: Scenario | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the file is a valid scenario."""
        return not self.problems


class ScenarioError(Exception):
    """A scenario could not be found, read or validated.

    ``str()`` is the readable message, one line per problem; ``problems`` holds them.
    """

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            message = problems
        else:
            self.problems = list(problems)
            message = "\n".join(str(p) for p in self.problems)
        super().__init__(message)
