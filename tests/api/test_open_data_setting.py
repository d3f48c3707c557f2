from django.urls import reverse

from cpw.accounts.models import Role
from tests.accounts.factories import user_with_role


def test_a_manager_marks_the_programme_as_publishing_open_data(programme, client_as):
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    url = reverse("programmes:programme-settings", args=[programme.slug])
    client = client_as(manager)
    assert "Publish reports and grants as open data" in client.get(url).text
    assert client.post(url, {"publishes_open_data": "on"}).status_code == 302
    programme.refresh_from_db()
    assert programme.publishes_open_data
    assert client.post(url, {}).status_code == 302
    programme.refresh_from_db()
    assert not programme.publishes_open_data
