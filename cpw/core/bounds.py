"""What the database can hold, applied to every GOV.UK form's fields that do not say so
themselves, so hostile input gets a clear error on the field instead of a 500 from the
database (PostgreSQL refuses an integer over 2,147,483,647 or a number with too many digits;
SQLite overflows past 2**63) and no unbounded text reaches a column.

A field's own, tighter limit always wins; these only fill in where a field has none."""

from decimal import Decimal

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import (
    DecimalValidator,
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)

# PostgreSQL `integer` (Django's IntegerField and PositiveIntegerField).
INTEGER_MAX = 2_147_483_647
INTEGER_MIN = -2_147_483_648
# The largest number a DecimalField with 14 digits, 2 after the point, can hold (MONEY).
DECIMAL_MAX = Decimal("999999999999.99")
# Free text with no length of its own (a TextField): about three pages of writing.
TEXT_MAX = 10_000


def _name(field) -> str:
    """The field's label as its messages name it, with any % doubled: Django fills in a limit
    message's placeholders with %, so a label like "Share (% of residents)" would break it."""
    name = (field.label or "this").strip().rstrip("?").lower() or "this"
    return name.replace("%", "%%")


def _has(field, validator_type) -> bool:
    return any(isinstance(v, validator_type) for v in field.validators)


def _column_limits(model, name):
    if model is None:
        return None, None, None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a form-only field
        return None, None, None
    if not getattr(model_field, "concrete", False):
        return None, None, None
    return model_field_limits(model_field)


def bound_form_fields(form) -> None:
    """Give every field of `form` without its own limits the database's ones, with messages
    in the GOV.UK style."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, field in form.fields.items():
        if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
            largest = INTEGER_MAX if isinstance(field, forms.IntegerField) else DECIMAL_MAX
            smallest = INTEGER_MIN if isinstance(field, forms.IntegerField) else -DECIMAL_MAX
            column_smallest, column_largest, _ = _column_limits(model, name)
            if column_largest is not None:
                largest, smallest = min(largest, column_largest), max(smallest, column_smallest)
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
            longest = _column_limits(model, name)[2] or TEXT_MAX
            field.max_length = longest
            field.validators.append(
                MaxLengthValidator(
                    longest, message=f"Enter {_name(field)} in {longest:,} characters or fewer"
                )
            )
            field.widget.attrs.setdefault("maxlength", str(longest))


# --- Model fields: one rule for forms, imports and services ---------------------------------

# What PostgreSQL's columns hold for Django's integer fields; SQLite would take any 64-bit
# number, so the same limits apply on both.
INTEGER_RANGES = {
    "SmallIntegerField": (-32_768, 32_767),
    "PositiveSmallIntegerField": (0, 32_767),
    "IntegerField": (INTEGER_MIN, INTEGER_MAX),
    "PositiveIntegerField": (0, INTEGER_MAX),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}


def _field_name(field) -> str:
    return str(field.verbose_name or field.name).strip().rstrip("?").lower()


def model_field_limits(
    model_field,
) -> tuple[int | Decimal | None, int | Decimal | None, int | None]:
    """(smallest, largest, longest) a model field's column can hold, None where unbounded.
    A TextField with no `max_length` of its own holds TEXT_MAX characters, unless its model
    lists it in `unbounded_text_fields` (text the portal writes itself, such as an email)."""
    kind = model_field.get_internal_type()
    if kind in INTEGER_RANGES:
        return (*INTEGER_RANGES[kind], None)
    if kind == "DecimalField":
        whole_digits = model_field.max_digits - model_field.decimal_places
        largest = Decimal(10) ** whole_digits - Decimal(1).scaleb(-model_field.decimal_places)
        return -largest, largest, None
    if kind in ("CharField", "SlugField", "EmailField", "URLField"):
        return None, None, model_field.max_length
    if kind == "TextField":
        exempt = getattr(model_field.model, "unbounded_text_fields", ())
        if model_field.name in exempt:
            return None, None, None
        return None, None, model_field.max_length or TEXT_MAX
    return None, None, None


def model_value_error(
    model_field, value, name: str | None = None, *, places: bool = True
) -> str | None:
    """The GOV.UK message for a value the model field's column cannot hold, or None. `name`
    is what the message calls the value (the field's verbose name unless given). With
    `places`, a number with more decimal places than the column keeps is refused too (the
    database would round it: fine for a calculated figure, not for one a person typed)."""
    if value is None:
        return None
    smallest, largest, longest = model_field_limits(model_field)
    name_given = name is not None
    name = name or _field_name(model_field)
    if longest is not None and isinstance(value, str) and len(value) > longest:
        # A field that words its own length message (error_messages["max_length"]) keeps it.
        own = getattr(model_field, "error_messages", {}).get("max_length")
        if own and not name_given:
            return str(own)
        return f"Enter {name} in {longest:,} characters or fewer"
    if isinstance(value, Decimal):
        if not value.is_finite():
            return f"Enter {name} as a number"
        kept = getattr(model_field, "decimal_places", None)
        if places and kept is not None and value.as_tuple().exponent < -kept:
            return f"Enter {name} with no more than {kept} decimal places"
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        if largest is not None and value > largest:
            return f"Enter {name} of {largest:,} or less"
        if smallest is not None and value < smallest:
            return f"Enter {name} of {smallest:,} or more"
    return None


def model_bounds_errors(instance) -> dict[str, list[str]]:
    """Every field of `instance` holding a value its column cannot hold, with its message."""
    errors = {}
    for model_field in instance._meta.concrete_fields:
        value = getattr(instance, model_field.attname, None)
        message = model_value_error(model_field, value, places=False)
        if message:
            errors[model_field.name] = [message]
    return errors


def values_errors(model, values: dict, labels: dict | None = None) -> list[str]:
    """Messages for `values` (field name → value) that `model`'s columns cannot hold: what an
    import checks for each row before anything is saved. `labels` names the values as the
    file does (field name → e.g. "the commitment in column commitment")."""
    labels = labels or {}
    messages = []
    for name, value in values.items():
        message = model_value_error(model._meta.get_field(name), value, labels.get(name))
        if message:
            messages.append(message)
    return messages


_DJANGO_LIMIT_VALIDATORS = (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    DecimalValidator,
)


class _BoundValidator:
    """A model field validator raising the GOV.UK message from `model_value_error`."""

    def __init__(self, model_field):
        self.model_field = model_field

    def __call__(self, value):
        message = model_value_error(self.model_field, value)
        if message:
            raise ValidationError(message, code="bounds")

    def __eq__(self, other):
        return isinstance(other, _BoundValidator) and other.model_field is self.model_field


def _is_project_model(model) -> bool:
    from django.conf import settings

    path = str(model._meta.app_config.path)
    return path.startswith(str(settings.BASE_DIR)) and ".venv" not in path


def _refuse_unbounded_values(sender, instance, raw=False, **kwargs):
    if raw:
        return
    errors = model_bounds_errors(instance)
    if errors:
        raise ValidationError(errors)


def install_model_bounds() -> None:
    """Give every project model's fields the column limits as validators (so `full_clean`
    and ModelForms refuse what the database cannot hold) and refuse any save that would
    store such a value, on SQLite as on PostgreSQL. History models copy checked values."""
    from django.apps import apps
    from django.db.models.signals import pre_save

    for model in apps.get_models():
        if not _is_project_model(model) or model.__name__.startswith("Historical"):
            continue
        for model_field in model._meta.concrete_fields:
            if model_field_limits(model_field) == (None, None, None):
                continue
            # Django's own limit validators say the same in other words: ours replace them;
            # validators the field declares itself stay.
            kept = [
                v
                for v in model_field.validators
                if v in model_field._validators or not isinstance(v, _DJANGO_LIMIT_VALIDATORS)
            ]
            model_field.__dict__["validators"] = [_BoundValidator(model_field), *kept]
        pre_save.connect(
            _refuse_unbounded_values, sender=model, dispatch_uid=f"bounds:{model._meta.label}"
        )
