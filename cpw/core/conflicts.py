"""Turning an EditConflict into what the conflict page shows."""


def conflict_context(conflict, form) -> dict:
    current = conflict.current
    rows = []
    for name, attempted in conflict.attempted.items():
        field = form.fields.get(name)
        label = field.label if field and field.label else name.replace("_", " ").capitalize()
        saved = getattr(current, f"get_{name}_display", lambda n=name: getattr(current, n))()
        yours = attempted
        if field is not None and hasattr(field, "choices"):
            yours = dict(field.choices).get(attempted, attempted)
        if saved != yours:
            rows.append((label, saved, yours))
    latest = current.history.first() if hasattr(current, "history") else None
    return {
        "conflict_rows": rows,
        "conflict_by": getattr(latest, "history_user", None),
        "conflict_at": getattr(latest, "history_date", None),
    }
