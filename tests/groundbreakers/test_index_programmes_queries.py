import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpw.accounts.models import Role, RoleAssignment
from tests.accounts.factories import user_with_role
from tests.groundbreakers.factories import GroundbreakerFactory
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _queries_for_officer_in(programme_count, client_as):
    officer = user_with_role(Role.OFFICER, ProgrammeFactory())
    for _ in range(programme_count - 1):
        programme = ProgrammeFactory()
        RoleAssignment.objects.create(user=officer, role=Role.OFFICER, programme=programme)
        GroundbreakerFactory(programme=programme)
    client = client_as(officer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("groundbreakers:index")).status_code == 200
    return len(queries)


def test_index_query_count_does_not_grow_with_the_programmes_someone_works_in(client_as):
    assert _queries_for_officer_in(2, client_as) == _queries_for_officer_in(12, client_as)
