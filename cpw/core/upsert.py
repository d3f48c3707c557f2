"""Idempotent loading (the demo, fixtures): write a row only when it is new or differs."""

from django.db import models


def update_or_create_if_changed(manager, defaults: dict | None = None, **lookup):
    """Like `update_or_create`, but an existing row is saved only when one of `defaults`
    differs from what is stored, and then only the fields that differ (with `updated_at`).
    Django's own always saves, so loading the same data twice would write every row again
    (and, with history, a history row each). Returns (object, created)."""
    defaults = {k: (v() if callable(v) else v) for k, v in (defaults or {}).items()}
    obj, created = manager.get_or_create(defaults=defaults, **lookup)
    if created:
        return obj, True
    save_if_changed(obj, **defaults)
    return obj, False


def _same(field, obj, value) -> bool:
    if field.is_relation:
        current = getattr(obj, field.attname)
        return current == (value.pk if isinstance(value, models.Model) else value)
    current = getattr(obj, field.attname)
    if current == value:
        return True
    try:
        return field.to_python(current) == field.to_python(value)
    except Exception:  # noqa: BLE001 - a value the field cannot read is a change
        return False


def save_if_changed(obj, **values) -> list[str]:
    """Set `values` on `obj` and save only the fields that differ (nothing when none does).
    Returns the names of the fields saved."""
    changed = []
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if not _same(field, obj, value):
            setattr(obj, name, value)
            changed.append(field.name)
    if changed:
        if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
            changed.append("updated_at")
        obj.save(update_fields=changed)
    return changed
