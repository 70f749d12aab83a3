"""A story's indexed text: one line per block, no markup, the same whether the story's
HTML is cleaned in one pass or block by block."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyboard.rendering import html_to_text, render_markdown
from storyboard.search.documents import _BLOCK_END, searchable_text

BODIES = [
    "# Kop\n\nTekst met *nadruk* en **vet**, een [link](https://example.org).",
    "- een\n- twee\n  - dieper\n\n1. eerste\n2. tweede",
    "> Een citaat\n> over twee regels\n\nen daarna tekst",
    "```\ncode <b>niet vet</b>\n```\n\nregel  \nbreuk",
    "Entiteiten: &amp; &lt;p&gt; &#x27; &nbsp;spatie en &#xe003; als teken",
    "Een teken uit het privégebied: \ue003 midden in de zin.",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\nna de tabel",
    "Term\n: Uitleg",
    "",
]
HTML = [
    "<div>rauw <p>niet gesloten <li>punt</div> tekst",
    "a<br>b<br/>c<BR />d</P>e",
    "<table><tr><td>a</td></tr>tussen<tr><td>b</td></tr></table>na",
    "<script>alert(1)</script>x</p>y",
]


def block_by_block(html: str) -> str:
    """The reference: every block cleaned on its own."""
    lines = (html_to_text(part) for part in _BLOCK_END.split(html))
    return "\n".join(line for line in lines if line)


@pytest.mark.parametrize("html", [render_markdown(body) for body in BODIES] + HTML)
def test_one_pass_gives_the_text_block_by_block_gives(html: str) -> None:
    assert searchable_text(html) == block_by_block(html)


def test_blocks_stay_on_lines_of_their_own() -> None:
    html = render_markdown("# Snel geholpen\n\nDe klant belde.\n\n- punt één\n- punt &amp; twee")
    assert searchable_text(html) == "Snel geholpen\nDe klant belde.\npunt één\npunt & twee"


MARKDOWN = st.lists(
    st.sampled_from(
        [
            *["# ", "## ", "- ", "1. ", "> ", "**", "*", "`", "\n", "\n\n", "  \n", "&amp;"],
            *["&#x27;", "klant ", "bestelling ", "café ", "<b>", "</p>", "<br>", "|", "---"],
            *["\ue003", "x"],
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(body=MARKDOWN)
def test_one_pass_equals_block_by_block_on_any_markdown(body: str) -> None:
    html = render_markdown(body)
    assert searchable_text(html) == block_by_block(html)
