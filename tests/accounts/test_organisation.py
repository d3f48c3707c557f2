import pytest
from django.urls import reverse

from cpw.accounts.models import Role
from tests.accounts.factories import user_with_role

pytestmark = pytest.mark.django_db


def _form(organisation, **overrides):
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "charity_number": "",
        "company_number": "",
        "address": organisation.address,
        "postcode": organisation.postcode,
        "version": organisation.version,
        **overrides,
    }


def test_partner_changes_their_organisation_and_the_change_is_audited(client, client_as):
    partner = user_with_role(Role.PARTNER)
    organisation = partner.organisation
    client_as(partner)
    response = client.post(
        reverse("accounts:organisation-change"), _form(organisation, postcode="cv11 4aa")
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.postcode == "CV11 4AA"
    assert organisation.version == 2
    latest = organisation.history.first()
    assert latest.history_user == partner
    assert latest.diff_against(latest.prev_record).changed_fields == ["postcode"]


def test_two_people_editing_the_same_organisation_do_not_overwrite_each_other(client, client_as):
    first = user_with_role(Role.PARTNER)
    organisation = first.organisation
    second = user_with_role(Role.PARTNER, organisation=organisation)
    stale = _form(organisation)

    client_as(first)
    client.post(reverse("accounts:organisation-change"), {**stale, "address": "2 New Street"})
    client_as(second)
    response = client.post(
        reverse("accounts:organisation-change"), {**stale, "address": "3 Other Road"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this while you were editing" in page
    assert "2 New Street" in page and "3 Other Road" in page  # both versions shown
    organisation.refresh_from_db()
    assert organisation.address == "2 New Street"
    # Resubmitting from the conflict page (which carries the new version) saves.
    response = client.post(
        reverse("accounts:organisation-change"),
        {**stale, "address": "3 Other Road", "version": organisation.version},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.address == "3 Other Road"


def test_partner_sees_only_their_own_organisation(client, client_as, world):
    client_as(world.users["partner"])
    page = client.get(reverse("accounts:organisation")).content.decode()
    assert world.partner_organisation.name in page
    assert world.other_organisation.name not in page
    assert world.other_partner.email not in page


def test_a_staff_admin_has_no_organisation_page(client_as, world):
    client = client_as(world.users["staff"])
    assert client.get(reverse("accounts:organisation")).status_code == 403
    assert client.get(reverse("accounts:organisation-change")).status_code == 403
