"""Shared form pieces: a select's option written as WTForms' select writes it."""

from __future__ import annotations

import pytest
from wtforms import Form, SelectChoice, SelectField

from storyboard.forms import select_option

CHOICES = [
    SelectChoice("", "Nobody yet"),
    SelectChoice("7", 'Anna "Ann" <de Vries> & co'),
    SelectChoice("12", "Bram"),
    SelectChoice("x'y", "quote in the value"),
    SelectChoice("13", ""),  # no label: the value is shown
]


@pytest.mark.parametrize("data", [None, "", "7", "x'y", "unknown"])
def test_the_same_markup_as_wtforms(data: str | None) -> None:
    class Plain(Form):
        pick = SelectField("Pick", choices=CHOICES, validate_choice=False)

    wtforms = str(Plain(data={"pick": data}).pick())
    ours = "".join(
        select_option(choice.value, choice.label, selected=choice.value == data)
        for choice in CHOICES
    )
    assert wtforms == f'<select id="pick" name="pick">{ours}</select>'


def test_labels_and_values_are_escaped() -> None:
    option = select_option("12", 'Anna "Ann" <de Vries> & co', selected=True)
    assert option == (
        '<option selected value="12">Anna &#34;Ann&#34; &lt;de Vries&gt; &amp; co</option>'
    )
