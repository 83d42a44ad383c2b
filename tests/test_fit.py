"""The table-fitting engine on its own: which columns a table shows, and how wide.

Rules (followup.render.fit): columns keep their width but the flex one; text
that may be cut gives way first, then columns that may go, lowest `drop`
first; nothing else is ever cut, and the table is never wider than the
terminal unless the columns that cannot go do not fit in it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from followup.render.fit import FLEX_LEAST, FLEX_MIN, GAP, MEASURE, Column, fit, natural_widths

LIST = [
    Column("id"),
    Column(""),
    Column("company · role", least=12, drop=3),
    Column("date", drop=1),
    Column("done", right=True, drop=4),
    Column("!", right=True, drop=2),
    Column("next step", flex=True),
]
ROW = ["acme-corp-1124", "!", "Acme Corporation · Data analyst", "Fri 20 Nov", "12/15", "3", "in 2h Write a letter"]


def names(layout_shown: tuple[int, ...], columns: list[Column]) -> list[str]:
    return [columns[index].name for index in layout_shown]


def test_a_wide_terminal_shows_every_column_at_its_natural_width() -> None:
    natural = natural_widths(LIST, [ROW])
    layout = fit(LIST, natural, 200)
    assert layout.shown == tuple(range(len(LIST)))
    assert list(layout.widths) == natural
    assert layout.hidden == ()


def test_natural_widths_count_terminal_cells_and_the_widest_line() -> None:
    columns = [Column("a"), Column("step", flex=True)]
    assert natural_widths(columns, [["日本", "short\na much longer line"]]) == [4, 18]
    assert natural_widths(columns, [["x", "y"]], header=False) == [1, 1]


def test_cut_text_gives_way_before_any_column_goes() -> None:
    natural = natural_widths(LIST, [ROW])
    # Just too narrow for the flex column to keep FLEX_MIN: company · role shrinks, nothing goes.
    full = sum(natural) - natural[-1] + GAP * (len(LIST) - 1)
    layout = fit(LIST, natural, full + FLEX_MIN - 3)
    assert layout.hidden == ()
    assert layout.widths[2] == natural[2] - 3
    assert layout.widths[-1] == FLEX_MIN


def test_columns_go_lowest_drop_first_and_are_named() -> None:
    natural = natural_widths(LIST, [ROW])
    assert names(fit(LIST, natural, 60).hidden, LIST) == ["date"]
    assert names(fit(LIST, natural, 55).hidden, LIST) == ["date", "!"]
    assert names(fit(LIST, natural, 45).hidden, LIST) == ["date", "!", "company · role"]
    assert names(fit(LIST, natural, 30).shown, LIST) == ["id", "", "next step"]


def test_a_wrapped_flex_column_keeps_a_readable_measure() -> None:
    columns = [Column("#", right=True), Column("step", flex=True, wrap=True)]
    layout = fit(columns, [1, 300], 200)
    assert layout.widths == (1, MEASURE)


def test_only_the_columns_that_cannot_go_make_a_table_wider_than_the_terminal() -> None:
    layout = fit(LIST, natural_widths(LIST, [ROW]), 10)
    assert names(layout.shown, LIST) == ["id", "", "next step"]
    assert layout.widths[:2] == (14, 1)  # the id whole, to be typed
    assert layout.widths[2] == 1  # cut text keeps one cell: the ellipsis


# --- properties -------------------------------------------------------------------------------------

columns_strategy = st.lists(
    st.tuples(
        st.integers(0, 40),  # natural width
        st.sampled_from(["fixed", "cut", "drop"]),
        st.integers(0, 20),  # least, for cut columns
    ),
    min_size=0,
    max_size=6,
).flatmap(
    lambda specs: st.tuples(
        st.just(specs),
        st.permutations(range(len(specs))),  # the drop order
        st.integers(0, 200),  # the flex column's natural width
        st.booleans(),  # whether it wraps
        st.integers(1, 250),  # the terminal
    )
)


@given(columns_strategy)
def test_fitting_properties(case: tuple[list[tuple[int, str, int]], list[int], int, bool, int]) -> None:
    specs, order, flex_natural, wrap, width = case
    columns = [
        Column(
            f"c{n}",
            least=least if kind == "cut" else None,
            drop=order[n] if kind == "drop" else None,
        )
        for n, (_, kind, least) in enumerate(specs)
    ] + [Column("flex", flex=True, wrap=wrap)]
    natural = [spec[0] for spec in specs] + [flex_natural]
    layout = fit(columns, natural, width)
    shown = dict(zip(layout.shown, layout.widths, strict=True))
    flex = len(columns) - 1
    assert flex in shown
    # Never wider than the terminal, unless what cannot go does not fit in it.
    must = [n for n, column in enumerate(columns[:-1]) if column.drop is None]
    least_total = sum(min(natural[n], columns[n].least or natural[n]) for n in must)
    least_total += min(flex_natural, FLEX_LEAST if wrap else 1) + GAP * len(must)
    assert layout.total <= width or layout.total <= least_total or not flex_natural
    # A column that may not be cut (numbers, ids, times) is shown whole or not at all.
    for index, column_width in shown.items():
        column = columns[index]
        if index != flex and column.least is None:
            assert column_width == natural[index]
        assert column_width <= natural[index]
        if column.least is not None:
            assert column_width >= min(natural[index], column.least)
    # Columns go in their drop order, and only while the flex column has too little room.
    dropped = [columns[index].drop for index in layout.hidden]
    assert dropped == sorted(dropped)  # type: ignore[type-var]
    still = sorted(column.drop for index, column in enumerate(columns) if column.drop is not None and index in shown)
    assert not dropped or not still or max(dropped) < still[0]  # type: ignore[type-var, operator]
    if layout.hidden:
        before = [n for n in range(len(columns)) if n in shown or n == layout.hidden[-1]]
        room = width - sum(shown.get(n, natural[n]) for n in before if n != flex) - GAP * (len(before) - 1)
        assert room < FLEX_MIN
    # The flex column takes the room left, within its natural width (and the measure, wrapped).
    room = width - (layout.total - shown[flex])
    least = FLEX_LEAST if wrap else 1
    assert shown[flex] == min(flex_natural, max(least, min(room, MEASURE) if wrap else room))
