"""The words a snippet marks are worked out once per query text and kept, with the
answer for each word asked; what is kept stays bounded."""

from __future__ import annotations

import pytest

from storyboard.search import snippets
from storyboard.search.snippets import make_snippet, query_words


def test_a_query_text_is_parsed_once_and_its_answers_kept() -> None:
    first = query_words('bezorging "op tijd" -boete')
    assert query_words('bezorging "op tijd" -boete') is first
    assert first.matches("bezorgingen") and not first.matches("boete")
    assert "bezorgingen" in first._known  # asked once, remembered for the next story


def test_the_answers_a_kept_query_remembers_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snippets, "KNOWN_WORDS", 3)
    words = query_words("pakket")
    words._known.clear()
    text = "Het pakket kwam. Een ander pakketje, een doos, een brief en een kaart."
    snippet = make_snippet(text, words)
    assert "<mark>pakket</mark>" in snippet
    assert len(words._known) <= 3
