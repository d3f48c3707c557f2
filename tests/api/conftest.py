import pytest
from django.test import Client

from api.services import api_token_create


@pytest.fixture
def token_for(db):
    """token_for(user) -> a fresh personal token's key for that user (None: no token)."""

    def make(user, days=30):
        if user is None:
            return None
        return api_token_create(user=user, name="Test", days=days)[1]

    return make


@pytest.fixture
def api():
    """api(key, url, **params) -> the response to a GET with `Authorization: Bearer key`
    (no header when key is None)."""
    client = Client()

    def get(key, url, **params):
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return client.get(url, params, headers=headers)

    return get
