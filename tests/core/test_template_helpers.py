from storyboard.rendering import render_markdown
from storyboard.template_helpers import excerpt


def test_excerpt_leaves_out_the_story_frame_headings():
    html = render_markdown(
        "## What I did\n\nI called the courier.\n\n## What we learned\n\nAsk why."
    )
    assert excerpt(html) == "I called the courier. Ask why."


def test_excerpt_cuts_long_text_at_a_word_boundary():
    html = render_markdown("word " * 100)
    text = excerpt(html, length=23)
    assert text == "word word word word…"
