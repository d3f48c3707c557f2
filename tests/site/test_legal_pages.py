"""The accessibility statement and privacy notice give the page's council's own contacts; on the
portal's own pages (no council) they speak for the portal and list every council's contacts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpw.accounts.models import Role
from tests.accounts.factories import user_with_role
from tests.programmes.factories import CouncilFactory, ProgrammeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_smoke]


@pytest.fixture
def councils():
    county = CouncilFactory(
        contact_email="communitypower@county.example", dpo_email="dpo@county.example"
    )
    unitary = CouncilFactory(unitary=True, contact_email="hello@unitary.example", dpo_email="")
    CouncilFactory(name="Quiet Council", slug="quiet", contact_email="")
    return county, unitary


def test_signed_out_the_pages_speak_for_the_portal_and_list_each_council(client, councils):
    county, unitary = councils
    accessibility = client.get(reverse("accessibility")).content.decode()
    assert "Each council is responsible for its own pages" in accessibility
    assert 'href="mailto:communitypower@county.example"' in accessibility
    assert 'href="mailto:hello@unitary.example"' in accessibility
    assert "Quiet Council" not in accessibility
    assert "dpo@county.example" not in accessibility
    privacy = client.get(reverse("privacy")).content.decode()
    assert "Each council that uses the" in privacy
    assert f"{county.name} is the data controller" not in privacy
    assert 'href="mailto:dpo@county.example"' in privacy
    assert 'href="mailto:hello@unitary.example"' in privacy
    assert '<th scope="col" class="govuk-table__header">Data protection officer</th>' in privacy


def test_a_councils_staff_see_their_own_councils_contacts(client_as, councils):
    county, unitary = councils
    officer = user_with_role(Role.OFFICER, ProgrammeFactory(council=unitary, slug="wf"))
    client = client_as(officer)
    accessibility = client.get(reverse("accessibility")).content.decode()
    assert f"{unitary.name} runs this service" in accessibility
    assert 'href="mailto:hello@unitary.example"' in accessibility
    assert "county.example" not in accessibility
    privacy = client.get(reverse("privacy")).content.decode()
    assert f"{unitary.name} is the data controller" in privacy
    # No DPO address: the council's contact address, asking for its DPO.
    assert 'href="mailto:hello@unitary.example"' in privacy
    assert "asking for its data protection officer" in privacy
    assert "county.example" not in privacy


def test_a_councils_dpo_email_is_given_on_the_privacy_notice(client_as, councils):
    county, _ = councils
    officer = user_with_role(Role.OFFICER, ProgrammeFactory(council=county, slug="cpw"))
    privacy = client_as(officer).get(reverse("privacy")).content.decode()
    assert f"the data protection officer of {county.name} at" in privacy
    assert 'href="mailto:dpo@county.example"' in privacy
    assert "unitary.example" not in privacy


def test_the_accessibility_statement_has_the_model_statements_sections(client_as, councils):
    county, _ = councils
    officer = user_with_role(Role.OFFICER, ProgrammeFactory(council=county, slug="cpw"))
    html = client_as(officer).get(reverse("accessibility")).content.decode()
    for section in [
        "Compliance status",
        "partially compliant with the",
        "Non-accessible content",
        "Non-compliance with the accessibility regulations",
        "Content that’s not within the scope of the accessibility regulations",
        "Preparation of this accessibility statement",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
    ]:
        assert section in html, section
    assert "This statement was prepared on 30 November 2026" in html
    assert "This service was last tested on 30 November 2026" in html
    assert "Equality Commission for Northern Ireland (ECNI)" in html
    assert 'href="https://www.equalityadvisoryservice.com/"' in html
    # How to reach the council about a problem.
    assert html.count('href="mailto:communitypower@county.example"') >= 2


def test_the_privacy_notice_names_the_dpo_and_links_to_the_ico(client_as, client, councils):
    county, _ = councils
    officer = user_with_role(Role.OFFICER, ProgrammeFactory(council=county, slug="cpw"))
    privacy = client_as(officer).get(reverse("privacy")).content.decode()
    complaints = privacy[privacy.index('id="complaints"') :]
    assert (
        'our data protection officer at <a class="govuk-link" href="mailto:dpo@county.example">'
        in (complaints)
    )
    assert 'href="https://ico.org.uk/make-a-complaint/"' in complaints
    client.logout()
    assert (
        'href="https://ico.org.uk/make-a-complaint/"'
        in client.get(reverse("privacy")).content.decode()
    )


def test_the_pages_council_is_read_once_however_often_the_page_asks(client_as, councils):
    """The layout, the notice's contacts and its DPOs each ask which council the page speaks
    for; the council is read from the database once."""
    county, _ = councils
    officer = user_with_role(Role.OFFICER, ProgrammeFactory(council=county, slug="cpw"))
    client = client_as(officer)
    client.get(reverse("privacy"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("privacy")).status_code == 200
    council_reads = [q for q in queries if 'FROM "programmes_council"' in q["sql"]]
    assert len(council_reads) == 1
