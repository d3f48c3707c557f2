"""The filters every list shares (programme, updated since) and those a list adds (period,
status, RAG, place), as django-filter filter sets the schema describes."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field
from rest_framework.filters import OrderingFilter

# Ids are 64-bit (BigAutoField): a larger number names nothing, and never reaches the database.
MAX_ID = 2**63 - 1


class Documented:
    """A filter whose OpenAPI schema says which values it takes (`schema`), with its label as the
    parameter's description: a value outside it is answered 400, naming the filter."""

    schema: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        description = {"description": self.label} if self.label else {}
        extend_schema_field({**self.schema, **description})(self)


class ApiFilterSet(django_filters.FilterSet):
    """A filter given with no value (`?status=`) is answered 400 as any other value that is not
    valid, rather than ignored: the schema says which values each filter takes."""

    def is_valid(self):
        super().is_valid()
        for name in self.filters:
            if name in self.data and self.data.get(name) == "":
                self.form.add_error(name, "Give a value, or leave the parameter out")
        return self.form.is_valid()


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, turned into UTC before it reaches the database (PostgreSQL refuses an
    offset beyond 15:59, which ISO 8601 allows)."""

    def to_python(self, value):
        try:
            parsed = super().to_python(value)
            return parsed.astimezone(datetime.UTC) if parsed is not None else None
        except OverflowError as exc:
            raise forms.ValidationError(
                "Enter a time from the year 1 to the year 9999", code="invalid"
            ) from exc


class SinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class IdFilter(Documented, django_filters.NumberFilter):
    """An object by its id: a whole number."""

    field_class = forms.IntegerField
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return None  # the form field's own max_value holds


class ProgrammeFilter(Documented, django_filters.CharFilter):
    """A programme by its slug or its id."""

    field_class = forms.SlugField
    schema = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 60}

    def __init__(self, path: str, **kwargs):
        self.path = path
        kwargs.setdefault("label", "Programme: its slug (like cpw) or its id")
        kwargs.setdefault("max_length", 60)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        prefix = f"{self.path}__" if self.path else ""
        if value.isascii() and value.isdigit() and int(value) <= MAX_ID:
            return qs.filter(Q(**{f"{prefix}pk": int(value)}) | Q(**{f"{prefix}slug": value}))
        return qs.filter(**{f"{prefix}slug": value})


class PeriodFilter(Documented, django_filters.CharFilter):
    """A reporting period by its label (at most 20 characters, as the label's column)."""

    schema = {"type": "string", "minLength": 1, "maxLength": 20, "pattern": "^[^\\u0000]*$"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)


def filterset_for(model, *, programme: str, **extra) -> type[django_filters.FilterSet]:
    """A filter set for `model`: `programme` (the path to the programme, "" for a programme
    itself), `updated_since`, and any of `period` (path to the period), `status`, `rag`
    (field names), `place` (path to the place or places) given in `extra`."""
    attrs = {
        "programme": ProgrammeFilter(programme),
        "updated_since": SinceFilter(
            field_name="updated_at",
            lookup_expr="gte",
            label="Changed at or after this time (ISO 8601, like 2024-04-01T00:00:00Z)",
        ),
    }
    if "period" in extra:
        attrs["period"] = PeriodFilter(
            field_name=f"{extra.pop('period')}__label", label="Reporting period, like 2024-Q1"
        )
    for name in ("status", "rag"):
        if isinstance(extra.get(name), str):
            field_name = extra.pop(name)
            choices = _choices(model, field_name)
            attrs[name] = (
                django_filters.ChoiceFilter(field_name=field_name, choices=choices)
                if choices
                else django_filters.CharFilter(field_name=field_name)
            )
    if "place" in extra:
        attrs["place"] = IdFilter(field_name=extra.pop("place"), distinct=True, label="Place id")
    for name, filter_ in extra.items():
        attrs[name] = filter_
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}FilterSet", (ApiFilterSet,), attrs)


def _choices(model, field_name):
    try:
        return model._meta.get_field(field_name).choices
    except Exception:  # an annotation, like a commitment's latest RAG
        return None


class ApiOrderingFilter(OrderingFilter):
    """DRF's `ordering`, with the fields a list orders by named in the schema."""

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = ", ".join(f"`{name}`" for name in getattr(view, "ordering_fields", None) or [])
        for parameter in parameters:
            parameter["description"] = (
                f"Order by {fields}; a leading `-` for descending (`-updated_at`), a comma "
                "between fields. Any other field is ignored: the order stays by `id`."
            )
        return parameters
