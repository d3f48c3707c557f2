"""Model history that records changes, not saves.

django-simple-history (3.13) writes a history row on every save, changed or not, and offers
only an all-or-nothing switch (`skip_history_when_saving`, `save_without_historical_record`).
`HistoricalRecords` here is a drop-in replacement that skips the row when nothing it tracks
has changed since the record's latest history row: the fields it keeps (less those excluded,
such as `updated_at` and `version`, and those set on every save), compared after each field's own conversion, so "10" and
Decimal("10.00") are one value. Adding and removing many-to-many links that change nothing
(an empty set) writes nothing either. A new record, a deletion and every real change are
recorded as before.
"""

from simple_history.models import HistoricalRecords as SimpleHistoricalRecords


class HistoricalRecords(SimpleHistoricalRecords):
    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not kwargs.get("raw", False) and self.unchanged(instance):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if action in ("post_add", "post_remove") and not pk_set:
            return
        super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)

    def unchanged(self, instance) -> bool:
        """True when every tracked field equals the record's latest history row."""
        # A field set on every save (`auto_now`) is not a change of its own.
        fields = [f for f in self.fields_included(instance) if not getattr(f, "auto_now", False)]
        latest = (
            getattr(instance, self.manager_name)
            .order_by("-history_date", "-history_id")
            .values(*[field.attname for field in fields])
            .first()
        )
        if latest is None:
            return False
        return all(
            _same(field, getattr(instance, field.attname), latest[field.attname])
            for field in fields
        )


def _same(field, current, recorded) -> bool:
    if current == recorded:
        return True
    try:
        return field.to_python(current) == field.to_python(recorded)
    except Exception:  # noqa: BLE001 - a value the field cannot read is a change
        return False
