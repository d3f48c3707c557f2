"""The register of personal data: every model with a personal-looking field is declared."""

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from cpw.core import personal_data
from cpw.core.personal_data import Basis, Rule

# The portal's own apps, and django-axes's sign-in records (other third-party apps hold
# sessions, which expire, and the admin site's own log).
PROJECT_APPS = {
    "axes",
    "core",
    "accounts",
    "privacy",
    "programmes",
    "groundbreakers",
    "funds",
    "evaluation",
    "reporting",
    "site",
}


def project_models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]


def test_every_personal_looking_field_is_declared():
    assert personal_data.undeclared(project_models()) == {}


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
