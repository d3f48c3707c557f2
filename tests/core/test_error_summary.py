"""Every error-summary link goes to an element on the page: the first radio of a radio group,
the first checkbox, the day of a date, the text box of a text field (GOV.UK error summary)."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from cpw.accounts.models import Role
from cpw.core.forms import GovUKDateField
from cpw.forms import GovUKForm
from tests.accounts.factories import user_with_role
from tests.evaluation.factories import (
    FrameworkFactory,
    PracticeFactory,
    StatementFactory,
    SurveyLinkFactory,
    SurveyWaveFactory,
)
from tests.funds.factories import AssignmentFactory, FundFactory

pytestmark = pytest.mark.django_db


def summary_targets(html: str) -> list[str]:
    start = html.index('class="govuk-error-summary"')
    summary = html[start : html.index("</ul>", start)]
    return re.findall(r'href="#([^"]+)"', summary)


def assert_links_land(html: str) -> list[str]:
    targets = summary_targets(html)
    assert targets, "the error summary has no links"
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    for target in targets:
        assert target in ids, f"#{target} is not an element of the page"
        # It is an input, select or textarea, which takes the focus, not a wrapper.
        assert re.search(rf'<(input|select|textarea)[^>]*\sid="{re.escape(target)}"', html), target
    return targets


def test_register_links_the_organisation_type_to_its_first_radio(client):
    html = client.post(reverse("accounts:register"), {}).content.decode()
    targets = assert_links_land(html)
    assert "id_organisation_kind_1" in targets


def test_eligibility_links_radios_to_their_first_radio(programme, client):
    fund = FundFactory(programme=programme)
    # What a browser sends when nothing is chosen: the text box, empty.
    url = reverse("funds:eligibility", args=[fund.slug])
    html = client.post(url, {"amount": ""}).content.decode()
    targets = assert_links_land(html)
    assert "id_organisation_kind_1" in targets


def test_conflict_declaration_links_to_the_first_radio(programme, client_as):
    assessor = user_with_role(Role.ASSESSOR, programme)
    assignment = AssignmentFactory(application__round__fund__programme=programme, assessor=assessor)
    client = client_as(assessor)
    url = reverse("funds:assessment-declare", args=[assignment.pk])
    html = client.post(url, {"details": ""}).content.decode()
    assert "id_conflicted_1" in assert_links_land(html)


def test_public_survey_links_to_the_first_radio_of_the_first_statement(programme, client):
    framework = FrameworkFactory(programme=programme)
    statement = StatementFactory(practice=PracticeFactory(framework=framework))
    link = SurveyLinkFactory(wave=SurveyWaveFactory(framework=framework, statements=[statement]))
    html = client.post(reverse("evaluation:survey-public", args=[link.token]), {}).content
    assert assert_links_land(html.decode()) == [f"id_statement_{statement.pk}_1"]


class _Every(GovUKForm):
    name = forms.CharField(label="Name")
    colours = forms.MultipleChoiceField(
        label="Colours", choices=[("r", "Red"), ("g", "Green")], widget=forms.CheckboxSelectMultiple
    )
    on = GovUKDateField(label="Date")
    agree = forms.BooleanField(label="I agree")

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


def test_checkboxes_dates_single_checkboxes_and_form_errors_link_to_an_input():
    form = _Every({"on_0": "1", "on_1": "", "on_2": "2025"})
    html = Template("{% include 'includes/form.html' %}").render(Context({"form": form}))
    targets = assert_links_land(html)
    assert targets[0] == "id_name"  # the form's own error: the first question
    assert "id_colours_1" in targets and "id_agree" in targets
    assert "id_on_0" in targets  # the month is missing: the date's first box


def test_a_date_left_blank_links_to_the_day():
    form = _Every({})
    html = Template("{% include 'includes/form.html' %}").render(Context({"form": form}))
    assert "id_on_0" in assert_links_land(html)


@pytest.mark.parametrize(
    "typed, message",
    [("101", "Progress must be 100% or less"), ("-1", "Progress must be 0% or more")],
)
def test_a_percentage_out_of_range_is_worded_with_a_percent_sign(typed, message):
    from cpw.core.forms import percent_field

    class ProgressForm(GovUKForm):
        progress = percent_field("Progress", noun="progress")

    form = ProgressForm({"progress": typed})
    assert not form.is_valid()
    assert form.errors["progress"] == [message]
    html = Template("{% load portal %}{{ form|error_links }}").render(Context({"form": form}))
    assert message in html
