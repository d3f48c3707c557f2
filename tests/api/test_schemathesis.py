"""Schemathesis against the live API (through Django's WSGI handler, inside the test's
transaction): every operation of /api/v1/, with a staff admin's token (who sees every row), with
values the schema allows and values it does not: hostile filters, cursors, page sizes, formats
and ids (real ones too, so that objects' bodies are checked). No answer is a server error, and
every answer is what the schema says: its status code, content type, headers and body.

`EXAMPLES` cases an operation and mode keep the run near half a minute; raise it (or set
SCHEMATHESIS_EXAMPLES) for a deeper search."""

import os

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.access import STAFF
from tests.api.access import ACTIONS, RESOURCES

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "6"))


def _real_ids(world) -> dict[str, int]:
    """The id of a real object for each collection path, like /api/v1/plan-groups/."""
    return {reverse(f"api:{name}-list"): getter(world).pk for name, _, getter, _ in RESOURCES}


def _strategy(operation, ids):
    strategies = [operation.as_strategy(mode) for mode in GenerationMode]
    collection = operation.path.split("{id}")[0]
    if collection in ids:  # an object that exists, as well as made-up ids
        strategies += [
            operation.as_strategy(mode, path_parameters={"id": ids[collection]})
            for mode in GenerationMode
        ]
    return st.one_of(strategies)


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, which keeps the test's database connection (and so its
    transaction) between requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.schemathesis
@pytest.mark.django_db
def test_every_operation_answers_as_the_schema_says(world, token_for, wsgi_app):
    headers = {"Authorization": f"Bearer {token_for(world.users[STAFF])}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    ids = _real_ids(world)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @hypothesis.given(case=_strategy(operation, ids))
        @hypothesis.settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=False,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        def check(case):
            # Any string is a cursor to the schema, but only the ones in a page's links are
            # valid: a made-up cursor is rightly answered 400 (tested in test_api_errors.py).
            excluded = [positive_data_acceptance] if "cursor" in (case.query or {}) else []
            case.call_and_validate(headers=headers, excluded_checks=excluded)

        try:
            check()
        except BaseException as exc:  # noqa: BLE001 - every operation's failure, not the first's
            failures.append(f"{operation.label}: {exc}")
    assert operations == 2 * len(RESOURCES) + len(ACTIONS)
    assert not failures, "\n\n".join(failures)
