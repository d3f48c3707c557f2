"""Reads for the data protection officer's pages."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from cpw.accounts.models import Role
from cpw.core import personal_data

from .models import (
    AccessLogEntry,
    ErasureLogEntry,
    RetentionLogEntry,
    RetentionRun,
    SubjectAccessRequest,
)


def privacy_council_ids(user) -> frozenset[int] | None:
    """The councils whose data protection records `user` may see: a data protection officer's
    own councils; None (every council, and the records of no one council) for staff admins."""
    if user.is_active and user.is_superuser:
        return None
    return user.dpo_council_ids


def privacy_council_list(council_ids) -> list:
    """The councils `council_ids` names (None: every council), by name. (The council model is
    reached through a link: the privacy app sits below the programmes app.)"""
    council_model = SubjectAccessRequest._meta.get_field("council").related_model
    councils = council_model._default_manager.order_by("name")
    if council_ids is not None:
        councils = councils.filter(pk__in=council_ids)
    return list(councils)


def council_dpos(council) -> list:
    """The accounts appointed data protection officer of `council` (active ones), by name: the
    privacy notice names them."""
    if council is None:
        return []
    return list(
        get_user_model()
        ._default_manager.filter(
            is_active=True, role_assignments__role=Role.DPO, role_assignments__council=council
        )
        .order_by("full_name")
        .distinct()
    )


def _scoped(queryset, council_ids):
    return queryset if council_ids is None else queryset.filter(council_id__in=council_ids)


def register_list() -> list[personal_data.Declaration]:
    """The register, grouped by app in the order the portal's layers run."""
    return personal_data.declarations()


def system_table_list() -> list[tuple[str, str]]:
    """(table, why it holds no personal data) of the tables the register marks as the system's."""
    return personal_data.system_tables()


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


def access_log_list(
    *, council_ids=None, now=None, days: int = 30, limit: int = 500
) -> list[AccessLogEntry]:
    """The last `days` days of the access log about `council_ids`' data (None: all of it),
    newest first, each entry flagged `unusual` when
    it handed out at least PRIVACY_UNUSUAL_ROWS rows, or when its user made more than
    PRIVACY_UNUSUAL_ACCESSES_PER_DAY accesses in the 24 hours up to it."""
    now = now or timezone.now()
    entries = list(
        _scoped(AccessLogEntry.objects.filter(at__gte=now - timedelta(days=days)), council_ids)
        .select_related("user", "council")
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


def retention_run_list(*, council_ids=None, limit: int = 30):
    """The last runs, each with `council_entries`: what it did to `council_ids`' records (None:
    everything it did)."""
    entries = _scoped(RetentionLogEntry.objects.select_related("council"), council_ids)
    return RetentionRun.objects.prefetch_related(
        Prefetch("entries", queryset=entries.order_by("pk"), to_attr="council_entries")
    ).order_by("-ran_at", "-pk")[:limit]


def erasure_log_list(*, council_ids=None, limit: int = 100):
    return _scoped(
        ErasureLogEntry.objects.select_related("erased_by", "council"), council_ids
    ).order_by("-erased_at", "-pk")[:limit]


def subject_access_request_list(*, council_ids=None, limit: int = 20):
    return _scoped(
        SubjectAccessRequest.objects.select_related("requested_by", "council"), council_ids
    ).order_by("-created_at", "-pk")[:limit]


def subject_access_request_get(*, pk: int, council_ids) -> SubjectAccessRequest:
    """One request, if it is about `council_ids`' data (None: any); DoesNotExist otherwise, so
    that another council's officer cannot tell it exists."""
    return _scoped(SubjectAccessRequest.objects.all(), council_ids).get(pk=pk)
