"""Survey answers that inspire stories: a manager turns a comment into a draft customer
story with personal data masked, links stories to answers, and the story page shows the
score to everyone who may read the story."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from storyboard.db import db
from storyboard.models import AuthorKind, Language, Role, SeededChannel, Story, StoryStatus, User
from storyboard.models.nps import SurveyAnswer
from storyboard.nps import answer_stories
from tests.conftest import Auth, csrf_token, post_form
from tests.factories import add_answers

WHEN = datetime(2026, 11, 17, 10, 30, tzinfo=UTC)
COMMENT = (
    "Sanne called me back the same evening. My number is 06-12345678 and mail "
    "jan.jansen@example.nl if you need me."
)


def answer_id(app: Flask, comment: str) -> int:
    with app.app_context():
        return db.session.scalars(
            select(SurveyAnswer.id).where(SurveyAnswer.comment == comment)
        ).one()


@pytest.fixture
def answer(app: Flask, users: dict[Role, int]) -> int:
    add_answers(app, [(WHEN, 10, "Retail", SeededChannel.PHONE, COMMENT)])
    with app.app_context():
        row = db.session.scalars(select(SurveyAnswer)).one()
        row.language = Language.EN
        db.session.commit()
        return row.id


def stories(app: Flask) -> list[Story]:
    with app.app_context():
        return list(db.session.scalars(select(Story).order_by(Story.id)))


# -- the service ---------------------------------------------------------------------------
def test_a_comment_becomes_a_masked_draft_customer_story(
    app: Flask, answer: int, users: dict[Role, int]
) -> None:
    with app.app_context():
        manager = db.session.get(User, users[Role.MANAGER])
        row = db.session.get(SurveyAnswer, answer)
        result = answer_stories.draft_story_from_answer(row, manager)
        db.session.commit()
        story = result.story
        assert result.created and result.scrub is not None
        assert result.scrub.found == {"email": 1, "phone": 1}
        assert answer_stories.masked_summary(result.scrub) == "1 × [e-mail], 1 × [phone]"
        assert "06-12345678" not in story.body and "jan.jansen" not in story.body
        assert "[phone]" in story.body and "[e-mail]" in story.body
        assert "[phone]" in story.body_html
        assert story.title == "Sanne called me back the same evening."
        assert story.status is StoryStatus.DRAFT
        assert story.author_kind is AuthorKind.CUSTOMER and story.author_id == manager.id
        assert story.teller_name is None  # readers never see the manager as its teller
        assert (story.team.name, story.channel, story.language) == (
            "Retail",
            SeededChannel.PHONE,
            Language.EN,
        )
        assert story.survey_answer_id == answer
        # The answer itself keeps the customer's words: only managers read it.
        assert "06-12345678" in row.comment


def test_a_second_draft_for_the_same_answer_returns_the_first(
    app: Flask, answer: int, users: dict[Role, int]
) -> None:
    with app.app_context():
        manager = db.session.get(User, users[Role.MANAGER])
        row = db.session.get(SurveyAnswer, answer)
        first = answer_stories.draft_story_from_answer(row, manager)
        db.session.commit()
        again = answer_stories.draft_story_from_answer(row, manager)
        assert not again.created and again.story.id == first.story.id
        assert db.session.scalar(select(func.count(Story.id))) == 1


@pytest.mark.parametrize("comment", ["", "   \n  "])
def test_an_answer_without_a_comment_cannot_become_a_story(
    app: Flask, users: dict[Role, int], comment: str
) -> None:
    add_answers(app, [(WHEN, 3, "Retail", SeededChannel.CHAT, comment)])
    with app.app_context():
        row = db.session.scalars(select(SurveyAnswer)).one()
        manager = db.session.get(User, users[Role.MANAGER])
        with pytest.raises(answer_stories.AnswerStoryError, match="no comment"):
            answer_stories.draft_story_from_answer(row, manager)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Great! Thanks.", "Great!"),
        ("word " * 40, ("word " * 16).strip() + "…"),
        ("?", "?"),
        ("Eén lange zin zonder punt " + "x" * 100, "Eén lange zin zonder punt…"),
    ],
)
def test_proposed_titles_are_the_first_sentence_cut_at_a_word(text: str, title: str) -> None:
    assert answer_stories.proposed_title(text, 9) == title
    assert len(answer_stories.proposed_title(text, 9)) <= answer_stories.TITLE_WORDS_MAX + 1


@pytest.mark.parametrize(
    ("score", "kind"),
    [
        (0, "detractor"),
        (6, "detractor"),
        (7, "passive"),
        (8, "passive"),
        (9, "promoter"),
        (10, "promoter"),
    ],
)
def test_score_kinds_follow_the_nps_buckets(score: int, kind: str) -> None:
    assert answer_stories.score_kind(score) == kind


def test_find_answer_by_number(app: Flask, answer: int) -> None:
    with app.app_context():
        assert answer_stories.find_answer(f" #{answer} ").id == answer
        for bad in ("", "abc", "-1", "99999", "1 OR 1=1", "9" * 40):
            with pytest.raises(answer_stories.AnswerStoryError):
                answer_stories.find_answer(bad)


# -- the pages -----------------------------------------------------------------------------
def test_a_manager_turns_an_answer_into_a_draft_and_lands_on_its_edit_page(
    app: Flask, auth: Auth, answer: int
) -> None:
    auth.login_as(Role.MANAGER)
    response = post_form(auth.client, f"/nps/answers/{answer}/story", {}, token_from="/nps/answers")
    assert response.status_code == 302
    [story] = stories(app)
    assert response.headers["Location"] == f"/stories/{story.id}/edit"
    page = html.unescape(auth.client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Masked before anyone reads it: 1 × [e-mail], 1 × [phone]" in page
    assert "06-12345678" not in page

    # A double click (or a colleague) gets the same story, not a second one.
    again = post_form(auth.client, f"/nps/answers/{answer}/story", {}, token_from="/nps/answers")
    assert again.headers["Location"] == f"/stories/{story.id}"
    assert len(stories(app)) == 1


@pytest.mark.parametrize("role", [Role.AGENT, Role.STAKEHOLDER, Role.ADMIN])
def test_only_managers_make_stories_from_answers(
    app: Flask, auth: Auth, answer: int, role: Role
) -> None:
    auth.login_as(role)
    token = csrf_token(auth.client, "/stories/")
    response = auth.client.post(f"/nps/answers/{answer}/story", data={"csrf_token": token})
    assert response.status_code == 403
    assert stories(app) == []


def test_unknown_answers_and_missing_csrf_are_refused(app: Flask, auth: Auth, answer: int) -> None:
    auth.login_as(Role.MANAGER)
    assert (
        post_form(
            auth.client, "/nps/answers/987654/story", {}, token_from="/nps/answers"
        ).status_code
        == 404
    )
    assert auth.client.post(f"/nps/answers/{answer}/story").status_code == 400
    assert stories(app) == []


def test_a_comment_too_long_for_a_story_is_refused_with_a_message(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    huge = "Lang verhaal. " + "x" * 10_000_000
    add_answers(app, [(WHEN, 2, "Retail", SeededChannel.EMAIL, huge)])
    number = answer_id(app, huge)
    auth.login_as(Role.MANAGER)
    response = post_form(auth.client, f"/nps/answers/{number}/story", {}, token_from="/stories/")
    assert response.status_code == 302
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "too long for a story" in page
    assert stories(app) == []
    listing = auth.client.get("/nps/answers")
    assert listing.status_code == 200 and len(listing.data) < 200_000


def test_the_story_page_shows_the_score_to_readers_but_never_the_raw_comment(
    app: Flask, auth: Auth, answer: int, users: dict[Role, int]
) -> None:
    with app.app_context():
        manager = db.session.get(User, users[Role.MANAGER])
        story = answer_stories.draft_story_from_answer(
            db.session.get(SurveyAnswer, answer), manager
        ).story
        story.status, story.published_at = StoryStatus.PUBLISHED, WHEN
        db.session.commit()
        story_id = story.id
    auth.login_as(Role.STAKEHOLDER)
    page = auth.client.get(f"/stories/{story_id}").get_data(as_text=True)
    assert "Inspired by a survey answer: score 10 of 10 (a promoter)" in page
    assert "Told by a customer" in page and "Manager Tester" not in page
    assert "06-12345678" not in page and "jan.jansen" not in page
    assert "Survey answer behind this story" not in page  # the link form is for managers


def test_a_manager_links_and_unlinks_a_story_and_bad_numbers_say_so(
    app: Flask, auth: Auth, answer: int
) -> None:
    from tests.factories import add_story

    story_id = add_story(app, "The courier who waited")
    auth.login_as(Role.MANAGER)
    path = f"/nps/stories/{story_id}/answer"
    for bad in ("abc", "123456", "", "<script>"):
        response = post_form(auth.client, path, {"answer": bad}, token_from="/stories/")
        assert response.status_code == 302
        page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
        assert "There is no survey answer number" in page
    response = post_form(auth.client, path, {"answer": str(answer)}, token_from="/stories/")
    page = auth.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Linked to survey answer" in page and "score 10 of 10" in page
    with app.app_context():
        assert db.session.get(Story, story_id).survey_answer_id == answer

    post_form(auth.client, path, {"answer": "", "unlink": "1"}, token_from="/stories/")
    with app.app_context():
        assert db.session.get(Story, story_id).survey_answer_id is None
    assert (
        post_form(
            auth.client,
            "/nps/stories/99999/answer",
            {"answer": str(answer)},
            token_from="/stories/",
        ).status_code
        == 404
    )


def test_deleting_the_answer_keeps_the_story(
    app: Flask, answer: int, users: dict[Role, int]
) -> None:
    with app.app_context():
        manager = db.session.get(User, users[Role.MANAGER])
        story = answer_stories.draft_story_from_answer(
            db.session.get(SurveyAnswer, answer), manager
        ).story
        db.session.commit()
        story_id = story.id
        db.session.delete(db.session.get(SurveyAnswer, answer))
        db.session.commit()
        db.session.expire_all()
        kept = db.session.get(Story, story_id)
        assert kept is not None and kept.survey_answer_id is None


def test_the_answers_page_lists_filters_and_offers_drafts_to_managers_only(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    add_answers(
        app,
        [
            (WHEN, 10, "Retail", SeededChannel.PHONE, "Fantastic help with the <b>router</b>"),
            (WHEN, 2, "Online", SeededChannel.CHAT, "Waited an hour"),
            (WHEN, 8, "Retail", SeededChannel.PHONE, ""),
        ],
    )
    auth.login_as(Role.MANAGER)
    page = auth.client.get("/nps/answers").get_data(as_text=True)
    assert "Fantastic help with the &lt;b&gt;router&lt;/b&gt;" in page
    assert "Waited an hour" in page and page.count("Turn into a story") == 2
    detractors = auth.client.get("/nps/answers?kind=detractor&team=online").get_data(as_text=True)
    assert "Waited an hour" in detractors and "router" not in detractors
    everything = auth.client.get("/nps/answers?all=1").get_data(as_text=True)
    assert "3 answers" in everything
    for odd in ("?page=abc", "?page=-5", "?kind=nonsense&team=%00", "?page=99999999999"):
        assert auth.client.get("/nps/answers" + odd).status_code == 200

    auth.logout()
    auth.login_as(Role.ADMIN)
    admin_page = auth.client.get("/nps/answers").get_data(as_text=True)
    assert "Waited an hour" in admin_page and "Turn into a story" not in admin_page


def test_the_dashboard_offers_managers_a_story_from_each_comment(
    app: Flask, auth: Auth, users: dict[Role, int]
) -> None:
    from tests.dashboard.test_views import this_week

    start = this_week().start("Europe/Amsterdam")
    add_answers(app, [(start, 10, "Retail", SeededChannel.PHONE, "She called back herself")])
    number = answer_id(app, "She called back herself")
    auth.login_as(Role.MANAGER)
    page = auth.client.get("/dashboard/").get_data(as_text=True)
    assert f'action="/nps/answers/{number}/story"' in page
    auth.logout()
    auth.login_as(Role.STAKEHOLDER)
    page = auth.client.get("/dashboard/").get_data(as_text=True)
    assert "She called back herself" in page and '/story"' not in page
