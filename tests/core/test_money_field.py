"""One money field for every amount: typed as people write it, shown with a £ prefix, and a
saved amount reopens as it was typed."""

from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template

from cpw.core.forms import MoneyField
from cpw.forms import GovUKForm
from funds.forms import EligibilityForm


class _Form(GovUKForm):
    amount = MoneyField(label="How much do you want to ask for, in pounds?", noun="the amount")


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("£20,000.50", Decimal("20000.50")),
        ("20000", Decimal("20000")),
        ("20,000", Decimal("20000")),
        (" £ 1,000 ", Decimal("1000")),
        ("£20000", Decimal("20000")),
        ("150.5", Decimal("150.5")),
    ],
)
def test_amounts_are_read_as_people_type_them(typed, amount):
    form = _Form({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("lots", "Enter the amount as an amount of money, like £20,000 or £150.50"),
        ("£12.345", "Enter the amount in pounds and pence, like £150.50"),
        ("-5", "The amount must be £0 or more"),
        ("99999999999", "The amount must be £9,999,999,999.99 or less"),
        ("", "Enter the amount"),
    ],
)
def test_other_input_gets_a_govuk_message_naming_the_amount(typed, message):
    form = _Form({"amount": typed})
    assert not form.is_valid()
    assert form.errors["amount"] == [message]


def test_a_message_never_repeats_the_question():
    form = EligibilityForm({"amount": "a lot"}, fund=type("F", (), {"priority_places_only": False}))
    form.is_valid()
    (message,) = form.errors["amount"]
    assert "?" not in message and "in pounds" not in message
    assert message.startswith("Enter how much you want to ask for as an amount of money")


def _render(form) -> str:
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def test_the_input_has_a_pound_prefix():
    html = _render(_Form())
    assert (
        '<div class="govuk-input__wrapper"><div class="govuk-input__prefix" aria-hidden="true">£</div>'
        in html
    )
    assert 'inputmode="decimal"' in html and 'type="text"' in html


@pytest.mark.parametrize(
    ("saved", "shown"),
    [(Decimal("15000.00"), "15,000"), (Decimal("150.50"), "150.50"), ("15000.00", "15,000")],
)
def test_a_saved_amount_reopens_as_it_was_typed(saved, shown):
    html = _render(_Form(initial={"amount": saved}))
    assert f'value="{shown}"' in html


def test_an_amount_in_error_is_marked_as_in_error():
    form = _Form({"amount": "lots"})
    form.is_valid()
    html = _render(form)
    assert "govuk-input--error" in html and 'value="lots"' in html


def test_every_money_input_of_the_funds_forms_is_a_money_field():
    from funds import forms as funds_forms

    found = []
    for name in dir(funds_forms):
        form_class = getattr(funds_forms, name)
        if isinstance(form_class, type) and issubclass(form_class, forms.Form):
            for field_name, field in form_class.base_fields.items():
                if isinstance(field, forms.DecimalField):
                    found.append((name, field_name))
                    assert isinstance(field, MoneyField), (name, field_name)
    assert ("RoundAddForm", "budget") in found and ("PaymentForm", "amount") in found
