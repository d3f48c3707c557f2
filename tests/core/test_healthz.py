from unittest import mock

import pytest
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_healthz_reports_in_process_tasks_when_no_broker_is_configured(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "in-process", "worker": "in-process"}


@pytest.mark.django_db
def test_healthz_says_when_the_broker_is_down(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "unreachable"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_unreachable(client):
    with mock.patch("cpw.site.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
