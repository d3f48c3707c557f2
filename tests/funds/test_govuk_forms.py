"""The funds forms as the GOV.UK Design System has them: the eligibility checker's result, the
conflict declaration's conditional reveal, the assessor picker's blank choice, places grouped
by kind."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from cpw.accounts.models import OrganisationType, Role
from funds import services
from funds.forms import AssignAssessorForm, ConflictForm, PlacesForm
from programmes.models import PlaceKind
from tests.accounts.factories import OrganisationFactory, user_with_role
from tests.funds.factories import FundFactory, RoundFactory
from tests.programmes.factories import PlaceFactory

pytestmark = pytest.mark.django_db


def _render(form) -> str:
    return Template("{% include 'includes/form.html' %}").render(Context({"form": form}))


# Eligibility ----------------------------------------------------------------------------------


def test_you_cannot_apply_uses_a_pattern_the_stylesheet_has(programme, client):
    fund = FundFactory(programme=programme, eligible_organisation_types=[OrganisationType.CIO])
    url = reverse("funds:eligibility", args=[fund.slug])
    html = client.post(url, {"organisation_kind": "cic", "amount": "900"}).content.decode()
    assert "govuk-panel--interruption" not in html
    assert re.search(r'<h2 class="govuk-heading-m">\s*You cannot apply\s*</h2>', html)
    # The acronym keeps its capitals.
    assert "open only to: charitable incorporated organisation (CIO)." in html


def test_reasons_keep_acronyms_and_lower_case_the_rest():
    fund = FundFactory(
        eligible_organisation_types=[OrganisationType.CIC, OrganisationType.REGISTERED_CHARITY]
    )
    (reason,) = services.eligibility_reasons(
        fund=fund, organisation_kind="other", in_priority_place=None, amount=None
    )
    assert "community interest company (CIC), registered charity." in reason


def test_a_signed_in_partners_organisation_type_is_chosen_for_them(programme, client_as):
    fund = FundFactory(programme=programme)
    partner = user_with_role(Role.PARTNER, organisation=OrganisationFactory(kind="cic"))
    html = client_as(partner).get(reverse("funds:eligibility", args=[fund.slug])).content.decode()
    checked = re.findall(r'<input[^>]*name="organisation_kind"[^>]*>', html)
    assert [tag for tag in checked if "checked" in tag] == [
        next(tag for tag in checked if 'value="cic"' in tag)
    ]


def test_you_can_apply_leads_to_start_for_the_open_round(programme, client):
    fund = FundFactory(programme=programme)
    RoundFactory(fund=fund, closed=True)
    open_round = RoundFactory(fund=fund)
    url = reverse("funds:eligibility", args=[fund.slug])
    html = client.post(url, {"organisation_kind": "cic", "amount": "£1,000"}).content.decode()
    assert "You can apply" in html
    start = reverse("funds:application-start", args=[fund.slug, open_round.pk])
    assert f'href="{start}"' in html and "Start now" in html


def test_you_can_apply_with_no_open_round_says_so(programme, client):
    fund = FundFactory(programme=programme)
    url = reverse("funds:eligibility", args=[fund.slug])
    html = client.post(url, {"organisation_kind": "cic", "amount": "1000"}).content.decode()
    assert "not taking applications at the moment" in html


# Conflict of interest -------------------------------------------------------------------------


def test_the_conflict_description_is_its_own_question_under_the_radios():
    """No conditional reveal: GOV.UK Frontend would put aria-expanded on the "Yes" radio,
    which axe refuses."""
    html = _render(ConflictForm())
    yes = re.search(r'<input[^>]*value="yes"[^>]*>', html).group(0)
    assert "aria-controls" not in yes and 'id="id_conflicted_2"' in yes
    assert "govuk-radios__conditional" not in html
    assert html.index("</fieldset>") < html.index('name="details"')
    assert "If you have a conflict, describe it" in html and "(optional)" not in html


def test_a_yes_without_a_description_links_its_error_to_the_description():
    form = ConflictForm({"conflicted": "yes", "details": ""})
    assert not form.is_valid()
    html = _render(form)
    assert 'href="#id_details"' in html
    assert "Describe your conflict of interest" in html


# Selects and places ---------------------------------------------------------------------------


def test_the_assessor_picker_asks_in_words(programme):
    user_with_role(Role.ASSESSOR, programme, full_name="Asha Assessor")
    html = _render(AssignAssessorForm(programme_id=programme.pk))
    assert "---------" not in html
    assert '<option value="" selected>Choose an assessor</option>' in html


def test_places_are_grouped_by_kind_with_a_hint(programme):
    council = programme.council
    ward = PlaceFactory(council=council, kind=PlaceKind.WARD, name="Abbey")
    parish = PlaceFactory(council=council, kind=PlaceKind.PARISH, name="Bishop's Tachbrook")
    second_ward = PlaceFactory(council=council, kind=PlaceKind.WARD, name="Brunswick")
    form = PlacesForm(places=council.places.all())
    html = _render(form)
    assert "Select all the places where people will benefit." in html
    wards, parishes = html.index(">Wards</h3>"), html.index(">Parishes and towns</h3>")
    assert wards < html.index(ward.name) < html.index(second_ward.name) < parishes
    assert parishes < html.index(parish.name.replace("'", "&#x27;"))
    ids = re.findall(r'id="(id_places_\d+)"', html)
    assert ids == [f"id_places_{n}" for n in range(1, len(ids) + 1)]


def test_a_chosen_place_stays_ticked_and_is_saved(programme):
    council = programme.council
    ward = PlaceFactory(council=council, kind=PlaceKind.WARD, name="Abbey")
    form = PlacesForm(
        {"places": [str(ward.pk)], "beneficiaries": "Older people", "version": "1"},
        places=council.places.all(),
    )
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["places"]) == [ward]
    assert re.search(rf'value="{ward.pk}" checked', _render(form))


def test_a_money_amount_with_a_pound_sign_passes_the_eligibility_checker(programme, client):
    fund = FundFactory(programme=programme, maximum_grant=Decimal("50000"))
    url = reverse("funds:eligibility", args=[fund.slug])
    html = client.post(url, {"organisation_kind": "cic", "amount": "£20,000"}).content.decode()
    assert "You can apply" in html
