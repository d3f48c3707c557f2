"""What a page shows when someone else saved the record after the editor opened it: the form
again, with what they typed, against the version now saved, and a table of what differs. The
answer is 409 Conflict; nothing was saved."""

from django.shortcuts import render

CONFLICT_STATUS = 409


def conflict_context(conflict, form) -> dict:
    current = conflict.current
    rows = []
    for name, attempted in conflict.attempted.items():
        field = form.fields.get(name)
        label = field.label if field and field.label else name.replace("_", " ").capitalize()
        if conflict.saved is not None and name in conflict.saved:
            saved = conflict.saved[name]
        else:
            saved = getattr(current, f"get_{name}_display", lambda n=name: getattr(current, n))()
        yours = attempted
        if field is not None and hasattr(field, "choices"):
            yours = dict(field.choices).get(attempted, attempted)
        if saved != yours:
            rows.append((label, saved, yours))
    latest = current.history.first() if hasattr(current, "history") else None
    return {
        "conflict": True,
        "conflict_rows": rows,
        "conflict_by": getattr(latest, "history_user", None),
        "conflict_at": getattr(latest, "history_date", None),
    }


def conflict_form_and_context(conflict, form, build_form) -> tuple[object, dict]:
    """`build_form(data)` makes the page's form from posted data; the fresh form carries what
    the editor typed with the saved record's version, so saving again is a deliberate choice."""
    # The differences first: validating a model form writes its data onto its instance, which
    # may be the saved record itself.
    details = conflict_context(conflict, form)
    data = form.data.copy()
    data["version"] = conflict.current.version
    fresh = build_form(data)
    fresh.is_valid()
    return fresh, details


def edit_conflict_response(
    request, template_name: str, context: dict, *, conflict, form, build_form
):
    """The edit-conflict page for function views."""
    fresh, details = conflict_form_and_context(conflict, form, build_form)
    return render(
        request, template_name, {**context, "form": fresh, **details}, status=CONFLICT_STATUS
    )


class EditConflictMixin:
    """The edit-conflict page for form views."""

    def edit_conflict_response(self, conflict, form, build_form):
        fresh, details = conflict_form_and_context(conflict, form, build_form)
        return self.render_to_response(
            self.get_context_data(form=fresh, **details), status=CONFLICT_STATUS
        )
