"""Seeds given as text (a URL or a form sends text): numbers are read, other text is hashed."""

from __future__ import annotations

import pytest

from sim.model import CrisisModel
from sim.rng import seed_from_text


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
