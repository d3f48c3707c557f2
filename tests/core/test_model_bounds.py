"""One rule for what each column can hold, taken from the model: forms, imports and services
all refuse a value past it with the same GOV.UK message, on SQLite as on PostgreSQL, and a
save that would store one is refused before it reaches the database."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from cpw.accounts.models import Organisation
from cpw.core.bounds import TEXT_MAX, _is_project_model, model_field_limits, model_value_error
from cpw.core.models import OutboundEmail
from cpw.core.services import email_queue
from cpw.forms import GovUKModelForm
from groundbreakers.models import Activity

BOUNDED_FIELDS = [
    field
    for model in apps.get_models()
    if _is_project_model(model) and not model.__name__.startswith("Historical")
    for field in model._meta.concrete_fields
    if model_field_limits(field) != (None, None, None)
]


def _one_past(field):
    smallest, largest, longest = model_field_limits(field)
    if longest is not None:
        return "x" * longest, "x" * (longest + 1)
    step = (
        Decimal(1).scaleb(-field.decimal_places)
        if field.get_internal_type() == "DecimalField"
        else 1
    )
    return largest, largest + step


def test_every_typed_column_is_bounded():
    kinds = {f.get_internal_type() for f in BOUNDED_FIELDS}
    assert {"CharField", "TextField", "PositiveIntegerField", "DecimalField"} <= kinds
    assert len(BOUNDED_FIELDS) > 200


@pytest.mark.parametrize("field", BOUNDED_FIELDS, ids=lambda f: f"{f.model._meta.label}.{f.name}")
def test_each_column_takes_its_limit_and_refuses_one_past_it(field):
    at_limit, past = _one_past(field)
    assert model_value_error(field, at_limit) is None
    message = model_value_error(field, past)
    assert message and message.startswith("Enter ")
    with pytest.raises(ValidationError, match="Enter "):
        for validator in field.validators:
            validator(past)


def test_integer_columns_hold_what_postgresql_holds_on_every_database():
    attendees = Activity._meta.get_field("attendees")
    assert model_field_limits(attendees)[:2] == (0, 2_147_483_647)
    assert model_value_error(attendees, 3_000_000_000) == "Enter attendees of 2,147,483,647 or less"
    assert model_value_error(attendees, -1) == "Enter attendees of 0 or more"


def test_a_text_column_without_a_length_holds_about_three_pages():
    notes = Activity._meta.get_field("notes")
    assert model_field_limits(notes) == (None, None, TEXT_MAX)
    assert model_value_error(notes, "x" * (TEXT_MAX + 1), "the notes") == (
        "Enter the notes in 10,000 characters or fewer"
    )


def test_text_the_portal_writes_itself_is_not_cut_short():
    assert model_field_limits(OutboundEmail._meta.get_field("body")) == (None, None, None)


@pytest.mark.django_db
def test_a_save_past_a_column_is_refused_before_the_database_on_sqlite_too():
    with pytest.raises(ValidationError) as refused:
        Organisation.objects.create(name="x" * 201)
    assert refused.value.message_dict == {"name": ["Enter name in 200 characters or fewer"]}
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_full_clean_gives_the_govuk_message():
    organisation = Organisation(name="Fine", address="x" * (TEXT_MAX + 1))
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert "Enter address in 10,000 characters or fewer" in refused.value.message_dict["address"]


def test_a_model_form_takes_the_columns_own_limit():
    class ActivityCounts(GovUKModelForm):
        class Meta:
            model = Activity
            fields = ["attendees", "notes"]

    form = ActivityCounts({"attendees": "3000000000", "notes": "x" * (TEXT_MAX + 1)})
    assert form.fields["attendees"].max_value == 2_147_483_647
    assert not form.is_valid()
    assert form.errors["attendees"] == ["Enter attendees of 2,147,483,647 or less"]
    assert form.errors["notes"] == ["Enter notes in 10,000 characters or fewer"]


@pytest.mark.django_db
def test_an_email_subject_longer_than_its_column_is_shortened_not_an_error():
    email = email_queue(to="a@example.com", subject="Your application " + "x" * 300, body="b")
    email.refresh_from_db()
    assert len(email.subject) == 200 and email.subject.endswith("…")
