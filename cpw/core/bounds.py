"""What the database can hold, applied to every GOV.UK form's fields that do not say so
themselves, so hostile input gets a clear error on the field instead of a 500 from the
database (PostgreSQL refuses an integer over 2,147,483,647 or a number with too many digits;
SQLite overflows past 2**63) and no unbounded text reaches a column.

A field's own, tighter limit always wins; these only fill in where a field has none."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator

# PostgreSQL `integer` (Django's IntegerField and PositiveIntegerField).
INTEGER_MAX = 2_147_483_647
INTEGER_MIN = -2_147_483_648
# The largest number a DecimalField with 14 digits, 2 after the point, can hold (MONEY).
DECIMAL_MAX = Decimal("999999999999.99")
# Free text with no length of its own (a TextField): about three pages of writing.
TEXT_MAX = 10_000


def _name(field) -> str:
    return (field.label or "this").strip().rstrip("?").lower() or "this"


def _has(field, validator_type) -> bool:
    return any(isinstance(v, validator_type) for v in field.validators)


def bound_form_fields(form) -> None:
    """Give every field of `form` without its own limits the database's ones, with messages
    in the GOV.UK style."""
    for field in form.fields.values():
        if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            largest = INTEGER_MAX if isinstance(field, forms.IntegerField) else DECIMAL_MAX
            smallest = INTEGER_MIN if isinstance(field, forms.IntegerField) else -DECIMAL_MAX
            if field.max_value is None and not _has(field, MaxValueValidator):
                field.max_value = largest
                field.validators.append(MaxValueValidator(largest))
                field.error_messages.setdefault(
                    "max_value", f"Enter {_name(field)} of {largest:,} or less"
                )
            if field.min_value is None and not _has(field, MinValueValidator):
                field.min_value = smallest
                field.validators.append(MinValueValidator(smallest))
                field.error_messages.setdefault(
                    "min_value", f"Enter {_name(field)} of {smallest:,} or more"
                )
        elif (
            isinstance(field, forms.CharField)
            and not isinstance(field.widget, forms.HiddenInput)
            and field.max_length is None
        ):
            field.max_length = TEXT_MAX
            field.validators.append(
                MaxLengthValidator(
                    TEXT_MAX, message=f"Enter {_name(field)} in {TEXT_MAX:,} characters or fewer"
                )
            )
            field.widget.attrs.setdefault("maxlength", str(TEXT_MAX))
