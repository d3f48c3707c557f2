from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from cpw.accounts.models import Organisation, Role, RoleAssignment, User
from cpw.accounts.tasks import remove_unverified_accounts
from tests.accounts.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _registration(days_ago, organisation=None, **fields):
    """A self-registered partner, as partner_register leaves them, `days_ago` days old."""
    fields.setdefault("is_active", False)
    user = UserFactory(
        organisation=organisation or OrganisationFactory(),
        date_joined=timezone.now() - timedelta(days=days_ago),
        **fields,
    )
    RoleAssignment.objects.create(user=user, role=Role.PARTNER)
    return user


def test_registrations_never_confirmed_in_7_days_go_with_their_empty_organisations():
    stale = _registration(8)
    recent = _registration(6)
    confirmed = _registration(30, is_active=True, email_verified_at=timezone.now())
    shared = OrganisationFactory()
    colleague = UserFactory(organisation=shared, email_verified_at=timezone.now())
    stale_in_shared = _registration(8, organisation=shared)
    invited = UserFactory(
        is_active=False,
        invited_by=colleague,
        date_joined=timezone.now() - timedelta(days=10),
    )

    assert remove_unverified_accounts.delay().get() == 2

    remaining = set(User.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, confirmed.pk, colleague.pk, invited.pk}
    assert stale_in_shared.pk not in remaining
    assert not Organisation.objects.filter(pk=stale.organisation_id).exists()
    assert Organisation.objects.filter(pk=shared.pk).exists()
    assert not RoleAssignment.objects.filter(user_id=stale.pk).exists()
    # Idempotent: the next run finds nothing.
    assert remove_unverified_accounts() == 0


def test_the_task_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["remove-unverified-accounts"]
    assert entry["task"] == remove_unverified_accounts.name
