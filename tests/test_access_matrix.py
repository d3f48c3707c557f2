"""Walks every URL for every role and asserts who may see it."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import ANONYMOUS, all_access_rows
from tests.conftest import ROLE_NAMES

IGNORED_NAMESPACES = {"admin"}


def _named_urls(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in IGNORED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


ROWS = all_access_rows()


def test_every_url_has_an_access_row():
    covered = {row.url_name for row in ROWS}
    missing = sorted(set(_named_urls()) - covered)
    assert not missing, f"URLs with no row in the access matrix: {missing}"


def test_no_access_row_names_a_url_that_does_not_exist():
    unknown = sorted({row.url_name for row in ROWS} - set(_named_urls()))
    assert not unknown, f"Access rows for URLs that do not exist: {unknown}"


@pytest.mark.parametrize("row", ROWS, ids=[row.url_name for row in ROWS])
def test_access_matrix(row, world, client_as):
    url = reverse(row.url_name, kwargs=row.kwargs(world) if row.kwargs else None) + row.query
    failures = []
    for role in ROLE_NAMES:
        client = client_as(None if role == ANONYMOUS else world.users[role])
        response = getattr(client, row.method)(url)
        if role == ANONYMOUS and row.anonymous_ok_status is not None:
            expected = row.anonymous_ok_status
        elif role in row.allowed:
            expected = row.ok_status
        elif role == ANONYMOUS and not row.public:
            expected = 302
        else:
            expected = row.denied_status
        if response.status_code != expected:
            failures.append(f"{role}: got {response.status_code}, expected {expected}")
        elif (
            role == ANONYMOUS
            and expected == 302
            and not row.public
            and not response["Location"].startswith(reverse("accounts:sign-in"))
        ):
            failures.append(f"{role}: redirected to {response['Location']}, not to sign in")
    assert not failures, f"{row.url_name} ({url}): " + "; ".join(failures)
