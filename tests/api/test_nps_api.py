"""POST /nps-responses (the CSV importer's checks, per item, idempotent), GET /nps and
GET /digest/{iso_week}."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storyboard.db import db, utcnow
from storyboard.models import AuditEvent, Role, SurveyAnswer
from storyboard.weeks import IsoWeek
from tests.api.conftest import Api
from tests.api.test_auth_and_errors import assert_problem


def stored(api: Api) -> int:
    with api.app.app_context():
        return db.session.scalar(select(func.count(SurveyAnswer.id))) or 0


def answer(external_id: str, score: object = 9, **extra: object) -> dict[str, object]:
    return {
        "external_id": external_id,
        "answered_at": "2026-11-02T10:15:00+01:00",
        "score": score,
        "team": "Retail",
        **extra,
    }


def test_one_answer_is_stored(api: Api) -> None:
    response = api.call(
        "POST",
        "/nps-responses",
        Role.MANAGER,
        json=answer("q-1", comment="Very kind agent", channel="chat"),
    )
    assert response.status_code == 200
    assert response.get_json() == {
        "created": 1,
        "duplicates": 0,
        "rejected": 0,
        "results": [{"index": 0, "status": "created", "source": "api", "external_id": "q-1"}],
    }
    with api.app.app_context():
        row = db.session.scalar(select(SurveyAnswer))
        assert (row.score, row.comment, row.channel) == (9, "Very kind agent", "chat")


def test_a_mixed_batch_gets_a_result_per_item_and_a_replay_adds_nothing(api: Api) -> None:
    future = (utcnow() + timedelta(days=3)).date().isoformat()
    batch = [
        answer("b-1"),
        answer("b-2", score="10", source="qualtrics"),
        answer("b-3", score=11),
        answer("b-4", team="Nowhere"),
        {**answer("b-5"), "answered_at": future},
        answer("b-6", score=True),
        answer("b-7", colour="blue"),
        "not an object",
        answer("b-1"),  # the same answer twice in one batch
        answer("b-8", agent_email="nobody@example.nl"),
    ]
    first = api.call("POST", "/nps-responses", Role.MANAGER, json=batch).get_json()
    statuses = [item["status"] for item in first["results"]]
    assert statuses == [
        "created",
        "created",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "duplicate",
        "created",
    ]
    assert (first["created"], first["duplicates"], first["rejected"]) == (3, 1, 6)
    errors = {item["index"]: " ".join(item.get("errors", [])) for item in first["results"]}
    assert "0 to 10" in errors[2]
    assert "unknown team" in errors[3]
    assert "future" in errors[4]
    assert "whole number" in errors[5]
    assert "'colour' is not a known field" in errors[6]
    assert "JSON object" in errors[7]
    assert first["results"][9]["warnings"]  # unknown agent: stored without one
    assert stored(api) == 3

    again = api.call("POST", "/nps-responses", Role.MANAGER, json=batch).get_json()
    assert (again["created"], again["duplicates"], again["rejected"]) == (0, 4, 6)
    assert stored(api) == 3
    with api.app.app_context():
        assert (
            db.session.scalar(
                select(func.count(AuditEvent.id)).where(AuditEvent.action == "nps.api_push")
            )
            == 2
        )


@pytest.mark.parametrize(
    "field",
    [
        "external_id",
        "answered_at",
        "score",
        "team",
        "agent_email",
        "channel",
        "language",
        "comment",
        "source",
    ],
)
@pytest.mark.parametrize("value", [[1], {"a": 1}, 1.5])
def test_wrong_types_in_every_field_are_rejected_per_item(api: Api, field, value) -> None:
    body = api.call(
        "POST", "/nps-responses", Role.MANAGER, json={**answer("t-1"), field: value}
    ).get_json()
    assert body["results"][0]["status"] == "rejected"
    assert field in body["results"][0]["errors"][0]
    assert stored(api) == 0


def test_an_answer_of_nulls_is_rejected_with_every_reason(api: Api) -> None:
    body = api.call(
        "POST",
        "/nps-responses",
        Role.MANAGER,
        json={
            "external_id": None,
            "answered_at": None,
            "score": None,
            "team": None,
            "comment": None,
        },
    ).get_json()
    [result] = body["results"]
    assert result["status"] == "rejected" and len(result["errors"]) >= 4
    assert stored(api) == 0


def test_batch_limits(api: Api) -> None:
    assert_problem(api.call("POST", "/nps-responses", Role.MANAGER, json=[]), 422)
    too_many = [answer(f"m-{n}") for n in range(1_001)]
    problem = assert_problem(api.call("POST", "/nps-responses", Role.MANAGER, json=too_many), 422)
    assert "1,000" in problem["detail"]
    assert stored(api) == 0
    full = [answer(f"m-{n}", comment="x" * 200) for n in range(1_000)]
    assert (
        api.call("POST", "/nps-responses", Role.MANAGER, json=full).get_json()["created"] == 1_000
    )


def test_nps_for_a_filter_and_period(api: Api) -> None:
    week = IsoWeek.current()
    monday = week.start().isoformat()
    batch = [
        answer(f"n-{n}", score=score) | {"answered_at": monday}
        for n, score in enumerate([10, 10, 9, 8, 3])
    ]
    batch.append(answer("n-chat", score=0) | {"answered_at": monday, "channel": "chat"})
    api.call("POST", "/nps-responses", Role.MANAGER, json=batch)
    body = api.call("GET", f"/nps?from={week}&to={week}", Role.STAKEHOLDER).get_json()
    assert (body["n"], body["promoters"], body["passives"], body["detractors"]) == (6, 3, 1, 2)
    assert body["nps"] == pytest.approx(16.7) and body["margin"] > 0
    assert body["weeks"] == [
        {
            "week": str(week),
            **{
                key: body[key]
                for key in (
                    "nps",
                    "margin",
                    "n",
                    "promoters",
                    "passives",
                    "detractors",
                    "few_answers",
                )
            },
        }
    ]
    chat = api.call("GET", f"/nps?channel=chat&from={week}", Role.STAKEHOLDER).get_json()
    assert (chat["n"], chat["nps"]) == (1, -100.0)
    default = api.call("GET", "/nps?team=retail", Role.MANAGER).get_json()
    assert len(default["weeks"]) == 4 and default["n"] == 6
    nothing = api.call("GET", "/nps?from=2020-W01&to=2020-W02", Role.ADMIN).get_json()
    assert (nothing["n"], nothing["nps"], nothing["margin"]) == (0, None, None)


@pytest.mark.parametrize(
    "query",
    ["from=last-week", "to=2026-W60", "team=nowhere", "channel=fax", "from=2020-W01&to=2026-W01"],
)
def test_bad_nps_filters_get_422(api: Api, query: str) -> None:
    assert_problem(api.call("GET", f"/nps?{query}", Role.STAKEHOLDER), 422)


def test_the_digest_of_a_week(api: Api) -> None:
    week = IsoWeek.current()
    api.call(
        "POST",
        "/nps-responses",
        Role.MANAGER,
        json=[answer("d-1", score=10) | {"answered_at": week.start().isoformat()}],
    )
    body = api.call("GET", f"/digest/{week}", Role.STAKEHOLDER).get_json()
    assert body["week"] == str(week) and body["complete"] is False
    assert body["nps"]["n"] == 1 and body["url"].endswith(f"/digest/{week}")
    assert (
        api.call("GET", f"/digest/{week}?team=retail", Role.MANAGER).get_json()["team"] == "retail"
    )
    assert_problem(api.call("GET", f"/digest/{week.plus(2)}", Role.STAKEHOLDER), 404)
    assert_problem(api.call("GET", "/digest/last-week", Role.STAKEHOLDER), 404)
    assert_problem(api.call("GET", f"/digest/{week}?team=nowhere", Role.STAKEHOLDER), 422)


def test_an_answer_already_stored_under_another_source_is_stored_with_a_warning(
    api: Api,
) -> None:
    first = api.call("POST", "/nps-responses", Role.MANAGER, json=answer("s-1", source="import"))
    assert first.get_json()["created"] == 1
    again = api.call("POST", "/nps-responses", Role.MANAGER, json=[answer("s-1"), answer("s-2")])
    results = again.get_json()["results"]
    assert [r["status"] for r in results] == ["created", "created"]
    assert results[0]["warnings"] == [
        "external_id 's-1' is also stored under source import; this answer may now be counted twice"
    ]
    assert "warnings" not in results[1] and stored(api) == 3
