"""How a typed name names an interviewer: one rule for `letter --to` and `edit --remove-interviewer`."""

from __future__ import annotations

import pytest

from followup.people import matching_names

PANEL = ["Ana López", "Łukasz Nowak", "Bo Chen", "Bob Marley", "Дмитрий Орлов"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("Ana López", ["Ana López"]),
        ("ana", ["Ana López"]),
        ("lóp", ["Ana López"]),
        ("lop", ["Ana López"]),  # without the accent
        ("lukasz", ["Łukasz Nowak"]),  # Ł has no accent to drop, but an ASCII form
        ("luk", ["Łukasz Nowak"]),
        ("Łuk", ["Łukasz Nowak"]),
        ("bo", ["Bo Chen", "Bob Marley"]),  # ambiguous: both, for the caller to say so
        ("bo chen", ["Bo Chen"]),
        ("орл", ["Дмитрий Орлов"]),
        ("x", []),
        ("  ", []),
    ],
)
def test_a_typed_name_names_these_interviewers(typed: str, found: list[str]) -> None:
    assert matching_names(PANEL, typed) == found


def test_a_name_as_typed_wins_over_one_without_accents() -> None:
    assert matching_names(["José Ruiz", "Jose Ruiz"], "José") == ["José Ruiz"]
