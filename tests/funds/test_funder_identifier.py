"""A fund's funder is its programme's council unless someone else is named: no council's org-id is
fixed in code."""

import json

import pytest
from django.urls import reverse

from funds import opendata, services
from funds.models import Fund
from tests.accounts.factories import UserFactory
from tests.funds.factories import AwardFactory, FundFactory, RoundFactory
from tests.programmes.factories import CouncilFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unitary_programme():
    return ProgrammeFactory(council=CouncilFactory(unitary=True), slug="wf")


def test_a_fund_has_no_fixed_funder_id():
    assert Fund().funder_identifier == ""


def test_a_new_fund_takes_its_councils_org_id(unitary_programme):
    fund = services.fund_create(
        programme=unitary_programme,
        user=None,
        data={"name": "Eden Community Fund", "slug": "eden-fund", "reference_prefix": "ECF"},
    )
    assert fund.funder_identifier == unitary_programme.council.org_id_prefix
    assert fund.funder_identifier != "GB-LAE-WAR"
    named = services.fund_create(
        programme=unitary_programme,
        user=None,
        data={
            "name": "Foundation Fund",
            "slug": "foundation-fund",
            "reference_prefix": "FF",
            "funder_identifier": "GB-CHC-1234567",
        },
    )
    assert named.funder_identifier == "GB-CHC-1234567"


def test_the_admin_add_form_starts_with_the_councils_org_id(unitary_programme, client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("admin:funds_fund_add") + f"?programme={unitary_programme.pk}"
    html = client.get(url).content.decode()
    assert f'value="{unitary_programme.council.org_id_prefix}"' in html


def test_360giving_names_the_council_when_the_fund_names_no_funder(unitary_programme):
    fund = FundFactory(
        programme=unitary_programme, funder_identifier="", funder_name="", open_data_prefix="wf"
    )
    AwardFactory(application__round=RoundFactory(fund=fund))
    grant = json.loads(opendata.as_json(fund))["grants"][0]
    council = unitary_programme.council
    assert grant["fundingOrganization"] == [{"id": council.org_id_prefix, "name": council.name}]
