"""GOV.UK question-page patterns every form gets: autocomplete on a person's own details
(WCAG 1.3.5), "(optional)" after optional questions, words instead of Django's "---------",
and dates as GOV.UK date inputs."""

import re

import pytest
from django import forms
from django.template import Context, Template

from cpw.accounts.forms import OrganisationForm, PartnerRegistrationForm
from cpw.forms import GovUKFilterForm, GovUKForm
from evaluation.forms import SurveyWaveForm
from funds.forms import DeclarationForm, FundingForm


def _render(form) -> str:
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def _input(html: str, name: str) -> str:
    return re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*>', html).group(0)


def test_registration_asks_the_browser_to_fill_in_the_partners_own_details():
    html = _render(PartnerRegistrationForm())
    expected = {
        "full_name": "name",
        "email": "email",
        "organisation_name": "organization",
        "address": "street-address",
        "postcode": "postal-code",
        "password1": "new-password",
    }
    for name, token in expected.items():
        assert f'autocomplete="{token}"' in _input(html, name), name


@pytest.mark.django_db
def test_the_organisation_form_and_the_declaration_autocomplete_too():
    from tests.accounts.factories import OrganisationFactory

    html = _render(OrganisationForm(instance=OrganisationFactory()))
    assert 'autocomplete="organization"' in _input(html, "name")
    assert 'autocomplete="street-address"' in _input(html, "address")
    assert 'autocomplete="postal-code"' in _input(html, "postcode")
    assert 'autocomplete="name"' in _input(_render(DeclarationForm()), "declaration_name")


class _Questions(GovUKForm):
    name = forms.CharField(label="Name")
    nickname = forms.CharField(label="Nickname", required=False)
    note = forms.CharField(label="Note (optional)", required=False)
    charity = forms.CharField(label="Charity number (if you have one)", required=False)
    agree = forms.BooleanField(label="Send me updates", required=False)
    colour = forms.ChoiceField(
        label="Colour", required=False, choices=[("", "---------"), ("r", "Red")]
    )


def test_optional_questions_say_so_once():
    html = _render(_Questions())
    assert re.search(r"Nickname \(optional\)\s*</label>", html)
    assert html.count("(optional)") == 3  # nickname, note (already said), colour
    assert "(if you have one) (optional)" not in html
    assert "Send me updates (optional)" not in html
    assert re.search(r"Name\s*</label>", html)


def test_a_form_says_which_blank_answers_are_not_optional():
    class _Later(_Questions):
        conditionally_required = ("nickname",)

    class _Filter(GovUKFilterForm):
        status = forms.CharField(label="Status", required=False)

    assert "Nickname (optional)" not in _render(_Later())
    assert "(optional)" not in _render(_Filter())


def test_the_funding_amounts_one_of_which_is_needed_are_not_called_optional():
    fund = type("F", (), {"allows_capital": True, "allows_revenue": True})
    assert "(optional)" not in _render(FundingForm(fund=fund))


def test_no_select_shows_djangos_dashes():
    html = _render(_Questions())
    assert "---------" not in html
    assert '<option value="" selected>Choose one</option>' in html


@pytest.mark.django_db
def test_survey_dates_are_govuk_date_inputs(programme):
    from tests.evaluation.factories import FrameworkFactory

    framework = FrameworkFactory(programme=programme)
    html = _render(SurveyWaveForm(framework=framework))
    for name in ("opens", "closes"):
        assert f'class="govuk-date-input" id="id_{name}"' in html
        for part in range(3):
            assert f'name="{name}_{part}"' in html
    form = SurveyWaveForm(
        {
            "name": "Wave",
            "audience": "citizens",
            "opens_0": "31",
            "opens_1": "2",
            "opens_2": "2025",
        },
        framework=framework,
    )
    assert not form.is_valid()
    assert form.errors["opens"] == ["The opening date must be a real date"]
    assert form.errors["closes"] == ["Enter the date the survey closes"]
