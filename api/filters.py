"""The filters every list shares (programme, updated since) and those a list adds (period,
status, RAG, place), as django-filter filter sets the schema describes."""

import django_filters
from django.db.models import Q


class ProgrammeFilter(django_filters.CharFilter):
    """A programme by its slug or its id."""

    def __init__(self, path: str, **kwargs):
        self.path = path
        kwargs.setdefault("label", "Programme: its slug or its id")
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        prefix = f"{self.path}__" if self.path else ""
        if str(value).isdigit():
            return qs.filter(Q(**{f"{prefix}pk": int(value)}) | Q(**{f"{prefix}slug": value}))
        return qs.filter(**{f"{prefix}slug": value})


def filterset_for(model, *, programme: str, **extra) -> type[django_filters.FilterSet]:
    """A filter set for `model`: `programme` (the path to the programme, "" for a programme
    itself), `updated_since`, and any of `period` (path to the period), `status`, `rag`
    (field names), `place` (path to the place or places) given in `extra`."""
    attrs = {
        "programme": ProgrammeFilter(programme),
        "updated_since": django_filters.IsoDateTimeFilter(
            field_name="updated_at",
            lookup_expr="gte",
            label="Changed at or after this time (ISO 8601, like 2024-04-01T00:00:00Z)",
        ),
    }
    if "period" in extra:
        attrs["period"] = django_filters.CharFilter(
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
        attrs["place"] = django_filters.NumberFilter(
            field_name=extra.pop("place"), distinct=True, label="Place id"
        )
    for name, filter_ in extra.items():
        attrs[name] = filter_
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}FilterSet", (django_filters.FilterSet,), attrs)


def _choices(model, field_name):
    try:
        return model._meta.get_field(field_name).choices
    except Exception:  # an annotation, like a commitment's latest RAG
        return None
