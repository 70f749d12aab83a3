"""Shared form pieces: the long select writes what WTForms' select writes."""

from __future__ import annotations

from typing import Any

import pytest
from wtforms import Form, SelectChoice, SelectField

from storyboard.forms import LongSelect

CHOICES: list[Any] = [
    SelectChoice("", "Nobody yet"),
    SelectChoice("7", 'Anna "Ann" <de Vries> & co'),
    SelectChoice("12", "Bram"),
    SelectChoice("x'y", "quote in the value"),
    SelectChoice("13", ""),  # no label: the value is shown
]


def _both(choices: Any, data: Any = None, **render: Any) -> tuple[str, str]:
    class Plain(Form):
        pick = SelectField("Pick", choices=choices, validate_choice=False)

    class Long(Form):
        pick = SelectField("Pick", choices=choices, validate_choice=False, widget=LongSelect())

    plain, long = Plain(data={"pick": data}), Long(data={"pick": data})
    return str(plain.pick(**render)), str(long.pick(**render))


@pytest.mark.parametrize("data", [None, "", "7", "x'y", "unknown"])
def test_the_same_markup_as_wtforms(data: str | None) -> None:
    plain, long = _both(CHOICES, data)
    assert long == plain


def test_extra_attributes_groups_and_other_values_go_through_wtforms() -> None:
    with_attributes = [
        SelectChoice("1", "One", render_kw={"disabled": True}),
        SelectChoice("2", "Two"),
    ]
    assert _both(with_attributes, "2")[1] == _both(with_attributes, "2")[0]
    groups = [
        SelectChoice("1", "One", optgroup="Team A"),
        SelectChoice("2", "Two", optgroup="Team B"),
    ]
    assert _both(groups, "2")[1] == _both(groups, "2")[0]
    numbers = [SelectChoice(1, "One"), SelectChoice(2, "Two")]  # type: ignore[arg-type]
    assert _both(numbers, 2)[1] == _both(numbers, 2)[0]
    plain, long = _both(CHOICES, "12", class_="wide", required=True)
    assert long == plain
    assert '<option selected value="12">Bram</option>' in long
    assert "&lt;de Vries&gt; &amp; co" in long
