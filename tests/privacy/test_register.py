"""The register of personal data: every model with a personal-looking field is declared."""

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import models
from django.test.utils import isolate_apps

from api.models import ApiTokenUse
from cpw.core import personal_data
from cpw.core.personal_data import Action, Basis, Rule

# Every installed app's tables: the portal's own, django-axes's sign-in records, and the
# framework's (sessions, the admin site's log, django-celery-beat's schedules, auth).
FRAMEWORK_APPS = {"sessions", "admin", "django_celery_beat", "auth", "contenttypes", "axes"}


def project_models():
    return list(apps.get_models())


def test_every_personal_looking_field_is_declared():
    assert personal_data.undeclared(project_models()) == {}


def test_the_register_covers_every_app_with_tables():
    """No app is left out of the scan: the framework's and the API's are in it too."""
    labels = {m._meta.app_label for m in project_models()}
    assert labels >= {*FRAMEWORK_APPS, "api", "accounts", "funds", "privacy"}


def test_every_framework_table_is_declared_or_marked_as_holding_no_one():
    """Sessions, the admin site's log and the background-work schedules are each declared or
    marked `system` with a reason, even where no field name looks personal (a session's data is
    an encoded account id)."""
    silent = [
        m._meta.label
        for m in project_models()
        if m._meta.app_label in FRAMEWORK_APPS and not personal_data.is_accounted_for(m)
    ]
    assert silent == []
    assert personal_data.declaration_for(Session) is not None
    assert personal_data.declaration_for(LogEntry).people == ("user",)
    reasons = dict(personal_data.system_tables())
    assert "django-celery-beat" in reasons["django_celery_beat.PeriodicTask"]


def test_a_system_table_needs_a_reason():
    with pytest.raises(ValueError):
        personal_data.system(Session, reason="")


def test_sessions_and_the_admin_log_have_retention_rules():
    for model in (Session, LogEntry, ApiTokenUse):
        (rule,) = personal_data.declaration_for(model).retention
        assert rule.automatic and rule.action == Action.DELETE, model


@isolate_apps("cpw.privacy")
def test_an_undeclared_personal_field_fails_the_register_check():
    class Volunteer(models.Model):
        phone = models.CharField(max_length=20)
        date_of_birth = models.DateField(null=True)
        home_address = models.TextField()
        hours = models.PositiveIntegerField()

        class Meta:
            app_label = "privacy"

    found = personal_data.undeclared([*project_models(), Volunteer])
    assert found == {"privacy.Volunteer": ["phone", "date_of_birth", "home_address"]}

    personal_data.register(
        Volunteer,
        fields=["phone", "date_of_birth"],
        basis=Basis.CONSENT,
        purpose="test",
        retention=Rule("test"),
    )
    try:
        assert personal_data.undeclared([Volunteer]) == {"privacy.Volunteer": ["home_address"]}
    finally:
        personal_data._declarations.pop("privacy.Volunteer")


def test_every_declared_field_and_lookup_exists():
    """A declaration naming a lookup that does not resolve would break subject access."""
    for declaration in personal_data.declarations():
        manager = declaration.model._default_manager
        for path in [*declaration.people, *declaration.emails, *declaration.names]:
            str(manager.filter(**{f"{path}__isnull": True}).query)
        for rule in declaration.retention:
            if rule.anchor:
                str(manager.filter(**{f"{rule.anchor}__isnull": True}).query)


def test_owners_are_links_the_declaration_lists():
    for declaration in personal_data.declarations():
        assert set(declaration.owners) <= {*declaration.people, "pk"}, declaration.label


@pytest.mark.parametrize(
    "name",
    ["email", "full_name", "phone", "postcode", "home_address", "notes", "respondent_ref"],
)
def test_the_scan_recognises_personal_names(name):
    assert personal_data.PERSONAL_NAME.search(name)


@pytest.mark.parametrize("name", ["status", "to_status", "amount", "email_verified_at"])
def test_the_scan_passes_by_other_names(name):
    assert not personal_data.PERSONAL_NAME.search(name)
