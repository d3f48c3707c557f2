import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Requests for emailed links to vote are counted in the cache, which outlives a test (and
    a rolled-back vote's id is used again by the next test's vote)."""
    cache.clear()
    yield
    cache.clear()
