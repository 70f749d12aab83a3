"""The admin's channels: names per language, other names (aliases), no longer offered;
and what every page and form does with them."""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from storyboard.channels import ChannelError, ChannelInput, match_key, save_channel
from storyboard.db import db
from storyboard.models import Channel, Role, SeededChannel, Story
from tests.conftest import Auth, post_form
from tests.factories import add_story

pytestmark = pytest.mark.usefixtures("users")


@pytest.fixture
def admin(auth: Auth) -> Auth:
    auth.login_as(Role.ADMIN)
    return auth


def channel_form(**changes: Any) -> dict[str, Any]:
    form = {"name_nl": "Videobellen", "name_en": "Video call", "aliases": "Teams\nZoom, Meet"}
    form.update(changes)
    return form


def channel(app: Flask, key: str) -> Channel | None:
    with app.app_context():
        found = db.session.scalar(select(Channel).where(Channel.key == key))
        if found is not None:
            db.session.expunge(found)
        return found


def channel_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Channel.id))) or 0


def text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_five_channels_are_there_with_both_names(app: Flask, client, admin) -> None:
    page = text(client.get("/admin/channels", headers={"Accept-Language": "en"}))
    for name_nl, name_en, alias in (
        ("Telefoon", "Phone", "Tel."),
        ("Chat", "Chat", "WhatsApp"),
        ("E-mail", "E-mail", "Mail"),
        ("Social media", "Social media", "Facebook"),
        ("Winkel", "Store", "Balie"),
    ):
        assert name_nl in page and name_en in page and alias in page
    assert channel_count(app) == 5


def test_admin_adds_a_channel_that_writers_then_choose(app: Flask, client, auth, admin) -> None:
    response = post_form(client, "/admin/channels/new", channel_form())
    assert response.status_code == 302 and response.headers["Location"] == "/admin/channels"
    made = channel(app, "video-call")
    assert made is not None
    assert (made.name_nl, made.name_en, made.alias_list) == (
        "Videobellen",
        "Video call",
        ["Teams", "Zoom", "Meet"],
    )
    assert made.position == 6  # after the five
    admin.logout()
    auth.login_as(Role.AGENT)
    english = text(client.get("/stories/new", headers={"Accept-Language": "en"}))
    dutch = text(client.get("/stories/new", headers={"Accept-Language": "nl"}))
    assert '<option value="video-call">Video call</option>' in english
    assert '<option value="video-call">Videobellen</option>' in dutch


def test_renaming_a_channel_renames_it_on_old_stories(app: Flask, client, auth, admin) -> None:
    story = add_story(app, "The balie that stayed open", channel=SeededChannel.STORE)
    store = channel(app, "store")
    assert store is not None
    response = post_form(
        client,
        f"/admin/channels/{store.id}/edit",
        channel_form(name_nl="Filiaal", name_en="Branch", aliases="Balie\nWinkel"),
    )
    assert response.status_code == 302
    renamed = channel(app, "store")
    assert renamed is not None and (renamed.name_nl, renamed.name_en) == ("Filiaal", "Branch")
    assert renamed.alias_list == ["Balie", "Winkel"]  # the old name stays a way to say it
    page = text(client.get(f"/stories/{story}", headers={"Accept-Language": "en"}))
    assert "Branch" in page and ">Store<" not in page
    with app.app_context():
        assert db.session.get(Story, story).channel == "store"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name_nl": ""}, "Give the channel a name in Dutch."),
        ({"name_en": "   "}, "Give the channel a name in English."),
        ({"name_nl": "\u200b"}, "Give the channel a name in Dutch."),
        ({"name_nl": "!!!"}, "Give the channel a name in Dutch."),
        ({"name_en": "x" * 81}, "Too long: 81 characters, at most 80 allowed."),
        ({"name_en": "x" * 8000}, "Too long: 8,000 characters, at most 80 allowed."),
        ({"aliases": "y" * 5000}, "Too long: 5,000 characters, at most 4,000 allowed."),
        ({"aliases": "z" * 81}, "Another name has at most 80 characters."),
        ({"aliases": ",".join(f"n{i}" for i in range(51))}, "at most 50 other names"),
        ({"aliases": "Teams\n???"}, "“???” has no letter or digit to match on."),
        # A name or alias another channel already answers to (without case or accents).
        ({"name_nl": "Telefoon"}, "“Telefoon” already means the channel “Telefoon / Phone”"),
        ({"name_en": "STORE"}, "“STORE” already means the channel “Winkel / Store”"),
        ({"aliases": "Teams\nWhatsApp"}, "“WhatsApp” already means the channel “Chat”"),
        ({"aliases": "bálie"}, "“bálie” already means the channel “Winkel / Store”"),
        ({"aliases": "e mail"}, "“e mail” already means the channel “E-mail”"),
        ({"position": "-1"}, "Number must be between 0 and 9999."),
        ({"position": "abc"}, "Not a valid integer value."),
    ],
)
def test_bad_channels_are_refused_with_a_message(
    app: Flask, client: FlaskClient, admin: Auth, changes: dict[str, str], message: str
) -> None:
    before = channel_count(app)
    response = post_form(client, "/admin/channels/new", channel_form(**changes))
    assert response.status_code == 400
    assert message in text(response)
    assert channel_count(app) == before


def test_html_in_a_name_is_shown_as_text(app: Flask, client, admin) -> None:
    post_form(client, "/admin/channels/new", channel_form(name_en="<b>Video</b> call"))
    page = client.get("/admin/channels").get_data(as_text=True)
    assert "&lt;b&gt;Video&lt;/b&gt; call" in page and "<b>Video</b>" not in page


def test_an_edit_may_keep_its_own_names_and_moves_nothing_else(app: Flask, client, admin):
    chat = channel(app, "chat")
    assert chat is not None
    response = post_form(
        client,
        f"/admin/channels/{chat.id}/edit",
        channel_form(name_nl="Chat", name_en="Chat", aliases="whatsapp\nChat\nLivechat"),
    )
    assert response.status_code == 302
    saved = channel(app, "chat")
    # The channel's own name is no extra alias; aliases are kept as typed.
    assert saved is not None and saved.alias_list == ["whatsapp", "Livechat"]
    assert saved.position == chat.position


def test_a_channel_no_longer_offered_keeps_its_stories(
    app: Flask, client: FlaskClient, auth: Auth, admin: Auth
) -> None:
    social = channel(app, "social")
    assert social is not None
    story = add_story(app, "A tweet answered in person", channel=SeededChannel.SOCIAL)
    response = post_form(client, f"/admin/channels/{social.id}/deactivate", {}, "/admin/channels")
    assert response.status_code == 302
    listing = text(client.get("/admin/channels", headers={"Accept-Language": "en"}))
    assert "No longer offered" in listing
    assert channel(app, "social").active is False  # type: ignore[union-attr]

    admin.logout()
    auth.login_as(Role.MANAGER)
    new_form = text(client.get("/stories/new", headers={"Accept-Language": "en"}))
    assert 'value="social"' not in new_form
    # A new story with it gets a message, not a 500 and not a story.
    refused = post_form(
        client,
        "/stories/new",
        {"title": "Via Facebook", "body": "Hi", "channel": "social", "language": "en"},
    )
    assert refused.status_code == 400
    assert "The channel “Social media” is no longer in use." in text(refused)
    # The old story keeps it, and editing it keeps it too.
    edit_page = text(client.get(f"/stories/{story}/edit", headers={"Accept-Language": "en"}))
    assert '<option selected value="social">Social media</option>' in edit_page
    kept = post_form(
        client,
        f"/stories/{story}/edit",
        {"title": "A tweet answered", "body": "Hi", "channel": "social", "language": "en"},
    )
    assert kept.status_code == 302
    # Filters still offer it: old stories can be found.
    assert 'value="social"' in text(client.get("/stories/"))

    auth.logout()
    auth.login_as(Role.ADMIN)
    again = post_form(client, f"/admin/channels/{social.id}/activate", {}, "/admin/channels")
    assert again.status_code == 302
    assert channel(app, "social").active is True  # type: ignore[union-attr]


def test_the_last_channel_in_use_stays(app: Flask, client, admin) -> None:
    with app.app_context():
        ids = {key: id_ for key, id_ in db.session.execute(select(Channel.key, Channel.id))}
    for key in ("phone", "chat", "email", "social"):
        post_form(client, f"/admin/channels/{ids[key]}/deactivate", {}, "/admin/channels")
    response = post_form(
        client, f"/admin/channels/{ids['store']}/deactivate", {}, "/admin/channels"
    )
    assert response.status_code == 302
    follow = text(client.get("/admin/channels"))
    assert "At least one channel stays in use." in follow
    assert channel(app, "store").active is True  # type: ignore[union-attr]


def test_unknown_channel_ids_are_404(client, admin) -> None:
    assert client.get("/admin/channels/999999/edit").status_code == 404
    response = post_form(client, "/admin/channels/999999/deactivate", {}, "/admin/channels")
    assert response.status_code == 404


def test_keys_are_stable_unique_and_fit_the_columns(app: Flask) -> None:
    with app.app_context():
        ios = save_channel(None, ChannelInput("App voor iOS", "Customer care app for iOS"))
        android = save_channel(
            None, ChannelInput("App voor Android", "Customer care app for Android")
        )
        # Both slugs cut to the column's 20 characters are the same: the second is numbered.
        assert (ios.key, android.key) == ("customer-care-app-fo", "customer-care-app-2")
        with pytest.raises(ChannelError, match="already means the channel"):
            save_channel(None, ChannelInput("Iets anders", "customer-care APP for iOS"))
        save_channel(ios, ChannelInput("App", "App"))
        assert ios.key == "customer-care-app-fo"  # renaming never changes the key
        db.session.rollback()


def test_names_compare_without_case_accents_spaces_or_punctuation() -> None:
    assert match_key("Télé-foon ") == match_key("telefoon") == "telefoon"
    assert match_key("E-mail") == match_key("e mail") == match_key("EMAIL")
    assert match_key("café") == match_key("cafe\u0301")  # NFC and NFD
