"""Retention of the framework's tables and the API's log, with frozen time: expired sessions,
old admin-log entries and API token uses past 12 months are deleted; newer ones stay."""

import datetime

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from freezegun import freeze_time

from api.models import ApiTokenUse
from api.services import api_token_create, api_token_use_record
from cpw.accounts.models import User
from cpw.privacy.services import retention_apply
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _session(expires: datetime.datetime) -> str:
    store = SessionStore()
    store["_auth_user_id"] = "1"
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=expires)
    return store.session_key


def test_expired_sessions_are_deleted_and_live_ones_kept():
    with freeze_time("2030-06-01 03:00"):
        expired = _session(datetime.datetime(2030, 5, 31, tzinfo=datetime.UTC))
        live = _session(datetime.datetime(2030, 6, 10, tzinfo=datetime.UTC))
        result = retention_apply()
    assert not Session.objects.filter(pk=expired).exists()
    assert Session.objects.filter(pk=live).exists()
    (entry,) = [e for e in result.entries if e.model_label == "sessions.Session"]
    assert entry.records == 1 and entry.council_id is None


def test_admin_log_entries_older_than_two_years_are_deleted():
    admin = UserFactory(is_staff=True, is_superuser=True)
    person = UserFactory(full_name="Robin Record")

    def logged(when: str) -> LogEntry:
        with freeze_time(when):
            return LogEntry.objects.create(
                user=admin,
                content_type=ContentType.objects.get_for_model(User),
                object_id=str(person.pk),
                object_repr=str(person),
                action_flag=ADDITION,
                change_message="[]",
            )

    old, recent = logged("2028-05-01"), logged("2029-06-01")
    with freeze_time("2030-06-01"):
        retention_apply()
    assert not LogEntry.objects.filter(pk=old.pk).exists()
    assert LogEntry.objects.filter(pk=recent.pk).exists()


def test_api_token_uses_are_deleted_after_twelve_months():
    with freeze_time("2029-01-10"):
        token, _ = api_token_create(user=UserFactory(), name="Dashboard", days=365)
        api_token_use_record(token=token, path="/api/v1/programmes/", status=200, rows=3)
    with freeze_time("2029-09-01"):
        api_token_use_record(token=token, path="/api/v1/funds/", status=200, rows=2)
    with freeze_time("2030-01-09"):  # 12 months less a day after the first use
        retention_apply()
        assert ApiTokenUse.objects.count() == 2
    with freeze_time("2030-01-12"):
        result = retention_apply()
    assert list(ApiTokenUse.objects.values_list("path", flat=True)) == ["/api/v1/funds/"]
    (entry,) = [e for e in result.entries if e.model_label == "api.ApiTokenUse"]
    assert entry.records == 1
    token.refresh_from_db()  # the token itself is kept until 12 months after it expires
