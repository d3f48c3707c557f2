"""An assessor who has scored in a round may see the panel's scores for the applications they
assessed (issue 14: the panel page answered 403 to the assessor)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cpw.accounts.models import Role
from tests.accounts.factories import user_with_role
from tests.funds.factories import ApplicationFactory, AssignmentFactory, RoundFactory
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _round_with_assessor():
    programme = ProgrammeFactory()
    round = RoundFactory(fund__programme=programme)
    assessor = user_with_role(Role.ASSESSOR, programme)
    mine = ApplicationFactory(round=round, in_assessment=True, project_title="Assessed by me")
    other = ApplicationFactory(round=round, in_assessment=True, project_title="Not assessed by me")
    return round, assessor, mine, other


def test_an_assessor_who_has_scored_sees_the_panel_for_their_applications_only(client):
    round, assessor, mine, other = _round_with_assessor()
    AssignmentFactory(
        application=mine, assessor=assessor, declared=True, completed_at=timezone.now()
    )
    client.force_login(assessor)
    assessments = client.get(reverse("funds:assessments")).content.decode()
    assert reverse("funds:panel", args=[round.pk]) in assessments
    response = client.get(reverse("funds:panel", args=[round.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Assessed by me" in page
    assert "Not assessed by me" not in page
    assert reverse("funds:panel-export", args=[round.pk]) not in page
    assert reverse("funds:application-review", args=[mine.pk]) not in page


def test_an_assessor_who_has_not_scored_or_is_conflicted_gets_403(client):
    round, assessor, mine, _ = _round_with_assessor()
    AssignmentFactory(application=mine, assessor=assessor, declared=True)
    client.force_login(assessor)
    assert client.get(reverse("funds:panel", args=[round.pk])).status_code == 403
    conflicted = user_with_role(Role.ASSESSOR, round.fund.programme)
    AssignmentFactory(
        application=mine, assessor=conflicted, conflicted=True, completed_at=timezone.now()
    )
    client.force_login(conflicted)
    assert client.get(reverse("funds:panel", args=[round.pk])).status_code == 403
