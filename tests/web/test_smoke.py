from storyboard.models import Role
from tests.conftest import post_form


def test_agent_writes_and_reads_a_story(client, users, auth):
    auth.login_as(Role.AGENT)
    response = post_form(
        client,
        "/stories/new",
        {
            "title": "Een cadeau voor vandaag",
            "body": "De klant vroeg **waar** zijn bestelling was.",
            "channel": "phone",
            "language": "nl",
            "team_id": "",
            "action": "publish",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"])
    assert "<strong>waar</strong>" in page.get_data(as_text=True)
