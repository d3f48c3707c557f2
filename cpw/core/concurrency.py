from django.db import models


class EditConflict(Exception):
    """Someone else saved the record after this editor loaded it."""

    def __init__(self, current, attempted: dict, saved: dict | None = None):
        self.current = current
        self.attempted = attempted
        # What is saved now, for values that are not attributes of `current` (answers kept in
        # rows of their own); None: read them from `current`.
        self.saved = saved
        super().__init__(f"{type(current).__name__} {current.pk} was changed by someone else")


def save_if_unchanged(instance: models.Model, *, expected_version: int, changes: dict, user=None):
    """Apply `changes` to `instance` only if nobody has saved it since `expected_version` was
    read; otherwise raise EditConflict carrying the current record and the attempted values.
    Call inside transaction.atomic (the row stays locked until it commits). History (django-simple-history) is recorded by save()."""
    model = type(instance)
    current = model._default_manager.select_for_update().get(pk=instance.pk)
    if current.version != expected_version:
        raise EditConflict(current, changes)
    for field, value in changes.items():
        setattr(current, field, value)
    if user is not None:
        current._history_user = user  # django-simple-history records who made the change
    current.version = expected_version + 1  # safe: the row is locked until commit
    update_fields = [*changes, "version"]
    if any(f.name == "updated_at" for f in model._meta.fields):
        update_fields.append("updated_at")
    current.save(update_fields=update_fields)
    return current


def claim_version(instance: models.Model, *, expected_version: int | None, attempted: dict):
    """For a record a form has already changed in memory (a model form's instance): lock its
    row and raise EditConflict, carrying the saved record, when someone saved it after the
    editor loaded `expected_version`; otherwise set the next version on `instance` for the
    save that follows. A new record (no pk) or no expected version claims nothing. Call inside
    transaction.atomic."""
    if instance.pk is None or expected_version is None:
        return
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if current.version != expected_version:
        raise EditConflict(current, attempted)
    instance.version = current.version + 1
