"""Slugs for ids and file names: ASCII, from names in any Latin script."""

from __future__ import annotations

import pytest

from followup.ids import slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Łukasz Żółw", "lukasz-zolw"),
        ("Søren Ødegård", "soren-odegard"),
        ("Đặng Thị", "dang-thi"),
        ("Weiß", "weiss"),
        ("Þóra Ærø", "thora-aero"),
        ("Zoë", "zoe"),
        ("Дмитрий", ""),  # no Latin form: callers fall back to "person" or "interview"
    ],
)
def test_slugs_keep_latin_letters_that_have_no_accent_to_drop(name: str, slug: str) -> None:
    assert slugify(name, 20) == slug


def test_a_slug_is_cut_at_a_dash_near_its_limit() -> None:
    assert slugify("Acme Widgets International", 12) == "acme-widgets"
