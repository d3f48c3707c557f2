"""Every GOV.UK form refuses, field by field, what the database could not hold: generated hostile
values (huge and negative numbers, exponents, long and odd unicode text, placeholders, bad
dates) either clean to values every column can take or come back as errors on their fields.
Never an exception."""

import datetime
import importlib
import inspect
from decimal import Decimal

import pytest
from django import forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpw.core.bounds import DECIMAL_MAX, INTEGER_MAX, INTEGER_MIN, TEXT_MAX
from cpw.forms import GovUKForm, GovUKFormMixin

FORM_MODULES = [
    "cpw.accounts.forms",
    "programmes.forms",
    "funds.forms",
    "groundbreakers.forms",
    "evaluation.forms",
]


def _forms_built_without_arguments():
    found = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if not (
                inspect.isclass(value)
                and issubclass(value, GovUKFormMixin)
                and value.__module__ == module_name
            ):
                continue
            required = [
                p
                for p in inspect.signature(value.__init__).parameters.values()
                if p.kind == p.KEYWORD_ONLY and p.default is p.empty
            ]
            if required or issubclass(value, forms.ModelForm):
                continue
            try:
                value()
            except TypeError:  # needs positional arguments (a user, a request)
                continue
            found.append(value)
    return found


FORMS = _forms_built_without_arguments()

hostile_text = st.one_of(
    st.text(min_size=0, max_size=40),
    st.sampled_from(
        [
            "1e400",
            "-1e400",
            "3000000000",
            "99999999999999999999999",
            "-2147483649",
            "NaN",
            "Infinity",
            "{}",
            "{0}",
            "{reference:>3000000}",
            "2026-13-45",
            "31/02/2025",
            "\u202e\u0000x",
            "x" * (TEXT_MAX + 1),
            "<script>alert(1)</script>",
        ]
    ),
)


def _fits(value) -> bool:
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return INTEGER_MIN <= value <= INTEGER_MAX
    if isinstance(value, Decimal):
        return value.is_finite() and -DECIMAL_MAX <= value <= DECIMAL_MAX
    if isinstance(value, float):
        return abs(value) <= float(DECIMAL_MAX)
    if isinstance(value, str):
        return len(value) <= TEXT_MAX
    if isinstance(value, datetime.date):
        return 1 <= value.year <= 9999
    return True


def test_there_are_forms_to_check():
    assert len(FORMS) >= 20, [f.__name__ for f in FORMS]


@pytest.mark.parametrize("form_class", FORMS, ids=lambda f: f.__name__)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_hostile_values_are_refused_on_their_field_or_fit_the_database(db, form_class, data):
    form = form_class()
    posted = {}
    for name, field in form.fields.items():
        widget = field.widget
        names = (
            [f"{name}_{i}" for i in range(len(widget.widgets))]
            if isinstance(widget, forms.MultiWidget)
            else [name]
        )
        for posted_name in names:
            posted[posted_name] = data.draw(hostile_text, label=posted_name)
    bound = form_class(posted)
    valid = bound.is_valid()  # must not raise
    if valid:
        for name, value in bound.cleaned_data.items():
            assert _fits(value), (name, value)
    else:
        assert set(bound.errors) <= set(bound.fields) | {"__all__"}


class Unbounded(GovUKForm):
    people = forms.IntegerField(label="Number of people reached")
    spend = forms.DecimalField(label="Spend")
    notes = forms.CharField(label="Notes", widget=forms.Textarea)
    code = forms.CharField(label="Code", max_length=9)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("people", "3000000000", "Enter number of people reached of 2,147,483,647 or less"),
        ("people", "-3000000000", "Enter number of people reached of -2,147,483,648 or more"),
        ("spend", "1e400", None),
        ("notes", "x" * (TEXT_MAX + 1), "Enter notes in 10,000 characters or fewer"),
        ("code", "E070002189", "Ensure this value has at most 9 characters"),
    ],
)
def test_each_unbounded_field_gets_the_databases_limit_with_a_clear_message(field, value, message):
    data = {"people": "1", "spend": "1", "notes": "n", "code": "c", field: value}
    form = Unbounded(data)
    assert not form.is_valid()
    assert list(form.errors) == [field]
    if message:
        assert message in form.errors[field][0]


def test_a_fields_own_tighter_limit_wins():
    class Tight(GovUKForm):
        people = forms.IntegerField(label="People", max_value=1_000_000)

    form = Tight({"people": "1000001"})
    assert not form.is_valid()
    assert form.fields["people"].max_value == 1_000_000


def test_a_label_with_a_percent_sign_keeps_its_limit_message_whole():
    class ThresholdForm(GovUKForm):
        green_from = forms.IntegerField(label="Green from (% of the way to target)")
        note = forms.CharField(label="Note (% done)")

    form = ThresholdForm({"green_from": str(INTEGER_MAX + 1), "note": "x" * (TEXT_MAX + 1)})
    assert not form.is_valid()
    assert form.errors["green_from"] == [
        f"Enter green from (% of the way to target) of {INTEGER_MAX:,} or less"
    ]
    assert form.errors["note"] == [f"Enter note (% done) in {TEXT_MAX:,} characters or fewer"]
