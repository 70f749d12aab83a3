"""Channels in the API: keys in and out as before; names and aliases accepted on input;
each channel's names in both languages next to its key."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storyboard.channels import ChannelInput, save_channel
from storyboard.db import db
from storyboard.models import Channel, Role, SeededChannel, Story, SurveyAnswer
from tests.api.conftest import Api
from tests.api.test_auth_and_errors import STORY, assert_problem
from tests.factories import add_story


@pytest.mark.parametrize(
    ("value", "key"),
    [("phone", "phone"), ("Telefoon", "phone"), ("TEL.", "phone"), ("Bálie", "store")],
)
def test_a_story_may_name_its_channel_by_alias(api: Api, value: str, key: str) -> None:
    response = api.call("POST", "/stories", Role.AGENT, json={**STORY, "channel": value})
    assert response.status_code == 201, response.get_json()
    story = response.get_json()
    assert story["channel"] == key  # the key, as before
    names = {"phone": {"nl": "Telefoon", "en": "Phone"}, "store": {"nl": "Winkel", "en": "Store"}}
    assert story["channel_names"] == names[key]
    with api.app.app_context():
        assert db.session.get(Story, story["id"]).channel == key


@pytest.mark.parametrize("value", ["fax", "", "   ", "x" * 81])
def test_an_unknown_channel_is_a_422_naming_the_field(api: Api, value: str) -> None:
    problem = assert_problem(
        api.call("POST", "/stories", Role.AGENT, json={**STORY, "channel": value}), 422
    )
    assert {error["field"] for error in problem["errors"]} == {"channel"}


def test_a_channel_no_longer_offered_is_refused_for_new_stories(api: Api) -> None:
    with api.app.app_context():
        social = db.session.scalar(select(Channel).where(Channel.key == "social"))
        assert social is not None
        social.active = False
        db.session.commit()
    problem = assert_problem(
        api.call("POST", "/stories", Role.AGENT, json={**STORY, "channel": "Facebook"}), 422
    )
    assert "no longer in use" in problem["errors"][0]["message"]


def test_survey_answers_take_aliases_and_a_renamed_channel_follows(api: Api) -> None:
    batch = [
        {
            "external_id": f"a-{value}",
            "answered_at": "2026-11-02T10:15:00+01:00",
            "score": 9,
            "team": "Retail",
            "channel": value,
        }
        for value in ("WhatsApp", "E-mail", "balie", "Postduif")
    ]
    response = api.call("POST", "/nps-responses", Role.MANAGER, json=batch)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["created", "created", "created", "rejected"]
    assert "unknown channel 'Postduif'" in results[3]["errors"][0]
    assert "an admin can add it as another name of a channel" in results[3]["errors"][0]
    with api.app.app_context():
        rows = db.session.execute(select(SurveyAnswer.external_id, SurveyAnswer.channel))
        stored = {external_id: channel for external_id, channel in rows}
        assert stored == {"a-WhatsApp": "chat", "a-E-mail": "email", "a-balie": "store"}
        store = db.session.scalar(select(Channel).where(Channel.key == "store"))
        save_channel(store, ChannelInput("Servicebalie", "Service desk", ("Balie",)))
        db.session.commit()
    # Filters take a key, a name or an alias; answers keep their key.
    for name in ("store", "Service desk", "Balie"):
        report = api.call("GET", f"/nps?channel={name}&from=2026-W45&to=2026-W45", Role.MANAGER)
        assert report.status_code == 200, report.get_json()
        assert (report.get_json()["channel"], report.get_json()["n"]) == ("store", 1)


def test_the_story_search_filters_by_a_channel_name(api: Api) -> None:
    add_story(api.app, "Called back the same evening", channel=SeededChannel.PHONE, index=True)
    add_story(api.app, "Answered in the shop", channel=SeededChannel.STORE, index=True)
    for name in ("phone", "Telefoon", "tel."):
        found = api.call("GET", f"/stories?channel={name}", Role.STAKEHOLDER).get_json()
        assert [hit["title"] for hit in found["items"]] == ["Called back the same evening"]
        assert found["items"][0]["channel_names"] == {"nl": "Telefoon", "en": "Phone"}
