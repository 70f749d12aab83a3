"""NUL characters never reach the views: PostgreSQL refuses them in text."""

from __future__ import annotations

from flask import Flask, request

from storyboard.request import WithoutNul


def test_query_and_form_values_lose_their_nul_characters(app: Flask) -> None:
    with app.test_request_context(
        "/search?q=bi%00rthday&th%00eme=a&theme=%00",
        method="POST",
        data={"title": "A\x00B", "x": ["1\x00", "2"]},
    ):
        assert request.args["q"] == "birthday"
        assert request.args.getlist("theme") == ["a", ""]
        assert request.form["title"] == "AB"
        assert request.form.getlist("x") == ["1", "2"]
        assert request.values["q"] == "birthday"


def test_the_storage_class_takes_every_shape_werkzeug_gives_it() -> None:
    assert WithoutNul() == {}
    assert WithoutNul({"a\x00": "b\x00"}).to_dict() == {"a": "b"}
    assert WithoutNul({"a": ["1\x00", "2"]}).getlist("a") == ["1", "2"]
    assert WithoutNul([("k", "v\x00"), ("k", "w")]).getlist("k") == ["v", "w"]


def test_password_fields_keep_their_nul_so_the_form_can_refuse_it(app: Flask) -> None:
    with app.test_request_context(
        "/auth/login",
        method="POST",
        data={"email": "a\x00@example.nl", "password": "abc\x00def", "new_password": "x\x00y"},
    ):
        assert request.form["email"] == "a@example.nl"
        assert request.form["password"] == "abc\x00def"
        assert request.form["new_password"] == "x\x00y"
    assert WithoutNul({"Password": "a\x00"})["Password"] == "a\x00"
