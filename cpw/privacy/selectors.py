"""Reads for the data protection officer's pages."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from cpw.core import personal_data

from .models import AccessLogEntry, ErasureLogEntry, RetentionRun, SubjectAccessRequest


def register_list() -> list[personal_data.Declaration]:
    """The register, grouped by app in the order the portal's layers run."""
    return personal_data.declarations()


def notice_sections() -> list[dict]:
    """The privacy notice's 'what we hold, why, how long', one row per kind of record."""
    return [
        {
            "title": d.verbose_name,
            "what": ", ".join(d.field_labels()) or "who made or changed the record",
            "why": d.purpose,
            "basis": d.basis_label,
            "how_long": "; ".join(rule.description for rule in d.retention),
        }
        for d in personal_data.declarations()
    ]


def access_log_list(*, now=None, days: int = 30, limit: int = 500) -> list[AccessLogEntry]:
    """The last `days` days of the access log, newest first, each entry flagged `unusual` when
    it handed out at least PRIVACY_UNUSUAL_ROWS rows, or when its user made more than
    PRIVACY_UNUSUAL_ACCESSES_PER_DAY accesses in the 24 hours up to it."""
    now = now or timezone.now()
    entries = list(
        AccessLogEntry.objects.filter(at__gte=now - timedelta(days=days))
        .select_related("user")
        .order_by("-at", "-pk")[:limit]
    )
    by_user = defaultdict(list)
    for entry in entries:
        by_user[entry.user_id].append(entry.at)
    window = timedelta(hours=24)
    for entry in entries:
        recent = sum(1 for at in by_user[entry.user_id] if entry.at - window < at <= entry.at)
        entry.unusual_reasons = []
        if entry.rows >= settings.PRIVACY_UNUSUAL_ROWS:
            entry.unusual_reasons.append(f"{entry.rows:,} rows in one go")
        if recent > settings.PRIVACY_UNUSUAL_ACCESSES_PER_DAY:
            entry.unusual_reasons.append(f"{recent} accesses by this person in 24 hours")
        entry.unusual = bool(entry.unusual_reasons)
    return entries


def retention_run_list(limit: int = 30):
    return RetentionRun.objects.prefetch_related("entries").order_by("-ran_at", "-pk")[:limit]


def erasure_log_list(limit: int = 100):
    return ErasureLogEntry.objects.select_related("erased_by").order_by("-erased_at", "-pk")[:limit]


def subject_access_request_list(limit: int = 20):
    return SubjectAccessRequest.objects.select_related("requested_by").order_by(
        "-created_at", "-pk"
    )[:limit]
