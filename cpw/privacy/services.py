"""Retention, subject access, erasure and the access log, all driven by the register of
personal data (cpw.core.personal_data) that each app fills from its `privacy.py`."""

import io
import json
import logging
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone

from cpw.core import personal_data
from cpw.core.personal_data import Action, Declaration, Rule
from cpw.core.queueing import enqueue_on_commit, require_queue

from .models import (
    AccessKind,
    AccessLogEntry,
    AnonymisedRecord,
    ErasureLogEntry,
    RequestStatus,
    RetentionLogEntry,
    RetentionRun,
    SubjectAccessRequest,
)

logger = logging.getLogger(__name__)

REMOVED = "[removed]"
ANONYMISED_DOMAIN = "anonymised.invalid"


# --- the access log ------------------------------------------------------------------------


def council_expression(paths: tuple[str, ...]):
    """An expression for the council id of a record, from its declaration's council lookups."""
    fields = [F(path) for path in paths]
    return fields[0] if len(fields) == 1 else Coalesce(*fields)


def council_id_for(obj) -> int | None:
    """The id of the council `obj` belongs to (through the links `council_paths` finds), or
    None for a record of no one council."""
    if obj is None:
        return None
    paths = personal_data.council_paths(type(obj))
    if not paths:
        return None
    if paths == ("pk",):
        return obj.pk
    return (
        type(obj)
        ._default_manager.filter(pk=obj.pk)
        .annotate(_council=council_expression(paths))
        .values_list("_council", flat=True)
        .first()
    )


def _council_pk(council) -> int | None:
    return getattr(council, "pk", council)


def record_access(
    *,
    user,
    what: str,
    rows: int,
    kind: str = AccessKind.EXPORT,
    council=None,
    about=None,
) -> AccessLogEntry:
    """Record that `user` exported, downloaded or read through the API `rows` rows of personal
    data described by `what` (e.g. "Applications to Community Fund (CSV)"), of `council` (a
    council or its id) or of the council that `about` (any record) belongs to; that council's
    data protection officer sees the entry. Call it from every view, task or API endpoint that
    hands personal data out of the portal."""
    council_id = _council_pk(council) if council is not None else council_id_for(about)
    return AccessLogEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        kind=kind,
        what=what[:200],
        rows=max(int(rows), 0),
        at=timezone.now(),
        council_id=council_id,
    )


def record_access_by_council(
    *, user, what: str, model, pks, kind: str = AccessKind.EXPORT
) -> list[AccessLogEntry]:
    """Record one access to the records of `model` with these `pks`: one entry per council
    whose records they are (so each council's data protection officer sees what of theirs was
    handed out), with that council's row count. Two queries, however many councils."""
    now = timezone.now()
    user = user if getattr(user, "is_authenticated", False) else None
    return AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                user=user, kind=kind, what=what[:200], rows=len(ids), at=now, council_id=council_id
            )
            for council_id, ids in records_by_council(model, list(pks)).items()
        ]
    )


def logged_rows(rows, *, user, what: str, kind: str = AccessKind.EXPORT, council=None, about=None):
    """Yield `rows` (a streamed export's rows) and record the access once they have all been
    handed out, with how many there were: no counting query first."""
    count = 0
    for row in rows:
        count += 1
        yield row
    record_access(user=user, what=what, rows=count, kind=kind, council=council, about=about)


# --- anonymising and deleting records, with their history --------------------------------


def _history_model(model):
    manager = getattr(model, "history", None)
    return getattr(manager, "model", None)


def _has_field(model, name: str) -> bool:
    if model is None:
        return False
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def anonymised_value(model_field, value):
    """What replaces `value` in `model_field`: a stable pseudonym for names and email addresses
    (the same person gives the same pseudonym everywhere), a marker for free text, nothing for
    files, dates and links."""
    if value in (None, ""):
        return value
    if isinstance(model_field, models.EmailField):
        return f"person-{personal_data.pseudonym(str(value))}@{ANONYMISED_DOMAIN}"
    if isinstance(model_field, models.TextField):
        return REMOVED
    if isinstance(model_field, models.FileField):
        return ""
    if isinstance(model_field, models.JSONField):
        return {}
    if isinstance(model_field, models.CharField):
        if str(value).startswith("Person ") or str(value) == REMOVED:
            return value  # already anonymised (a history row, or a second run)
        return f"Person {personal_data.pseudonym(str(value))}"[: model_field.max_length]
    if model_field.null:
        return None
    return value


def _anonymise_rows(model, queryset, field_names) -> int:
    """Anonymise `field_names` in every row of `queryset` (records or history rows) with
    queryset updates, so no save() runs, no history row is added and no `updated_at` moves."""
    fields = [model._meta.get_field(name) for name in field_names]
    count = 0
    pk_name = model._meta.pk.attname
    for row in queryset.values(pk_name, *[f.attname for f in fields]).iterator():
        changes = {}
        for f in fields:
            value = row[f.attname]
            if isinstance(f, models.FileField) and value:
                f.storage.delete(value)
            new = anonymised_value(f, value)
            if new != value:
                changes[f.attname] = new
        if changes:
            model._default_manager.filter(**{pk_name: row[pk_name]}).update(**changes)
        count += 1
    return count


def anonymise_records(declaration: Declaration, pks: list[int]) -> tuple[int, int]:
    """Anonymise the declared fields of these records and of every history row of them.
    Returns (records, history rows)."""
    model = declaration.model
    records = _anonymise_rows(model, model._default_manager.filter(pk__in=pks), declaration.fields)
    history_rows = 0
    history = _history_model(model)
    tracked = [name for name in declaration.fields if _has_field(history, name)]
    if history is not None and tracked:
        history_rows = _anonymise_rows(
            history, history._default_manager.filter(id__in=pks), tracked
        )
    return records, history_rows


def delete_records(declaration: Declaration, pks: list[int]) -> tuple[int, int]:
    """Delete these records (their files too) and every history row of them, including the one
    django-simple-history writes for the deletion itself."""
    model = declaration.model
    queryset = model._default_manager.filter(pk__in=pks)
    file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    for f in file_fields:
        for name in queryset.exclude(**{f.name: ""}).values_list(f.name, flat=True):
            f.storage.delete(name)
    records = queryset.count()
    queryset.delete()
    history_rows = 0
    history = _history_model(model)
    if history is not None:
        history_rows, _ = history._default_manager.filter(id__in=pks).delete()
    return records, history_rows


# --- retention ------------------------------------------------------------------------------


def _field_at(model, path: str):
    f = None
    for part in path.split("__"):
        f = model._meta.get_field(part)
        model = f.related_model
    return f


def due_for_retention(declaration: Declaration, rule: Rule, *, now: datetime):
    """The records `rule` applies to now: past their period, matching its condition, and not
    anonymised already."""
    model = declaration.model
    cutoff = now - rule.period
    anchor_field = _field_at(model, rule.anchor)
    if isinstance(anchor_field, models.DateField) and not isinstance(
        anchor_field, models.DateTimeField
    ):
        cutoff = timezone.localtime(cutoff).date()
    queryset = model._default_manager.all()
    if rule.where is not None:
        queryset = queryset.filter(rule.where)
    queryset = queryset.annotate(_retention_from=Max(rule.anchor)).filter(
        _retention_from__lt=cutoff
    )
    if rule.action == Action.ANONYMISE:
        done = AnonymisedRecord.objects.filter(model_label=declaration.label).values("object_id")
        queryset = queryset.exclude(pk__in=done)
    return queryset


@dataclass
class RetentionResult:
    run: RetentionRun
    entries: list = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "would be" if self.run.dry_run else "were"
        return [
            f"{e.model_label}: {e.records} {verb} {e.action} ({e.rule}); "
            f"{e.history_rows} history rows"
            for e in self.entries
        ]


def records_by_council(model, pks) -> dict[int | None, list[int]]:
    """{council id (None: no one council's): the pks among `pks` that belong to it} (one
    query)."""
    if not pks:
        return {}
    paths = personal_data.council_paths(model)
    if not paths:
        return {None: list(pks)}
    grouped: dict[int | None, list[int]] = {}
    rows = (
        model._default_manager.filter(pk__in=pks)
        .annotate(_council=council_expression(paths))
        .values_list("pk", "_council")
        .order_by("pk")
    )
    for pk, council_id in rows:
        grouped.setdefault(council_id, []).append(pk)
    return grouped


def _apply_rule(declaration, rule, pks, *, now, dry_run) -> tuple[int, int]:
    if not pks:
        return 0, 0
    if dry_run:
        history = _history_model(declaration.model)
        history_rows = history._default_manager.filter(id__in=pks).count() if history else 0
        return len(pks), history_rows
    if rule.action == Action.DELETE:
        return delete_records(declaration, pks)
    records, history_rows = anonymise_records(declaration, pks)
    AnonymisedRecord.objects.bulk_create(
        [
            AnonymisedRecord(model_label=declaration.label, object_id=pk, anonymised_at=now)
            for pk in pks
        ],
        ignore_conflicts=True,
    )
    return records, history_rows


def retention_apply(*, now: datetime | None = None, dry_run: bool = False) -> RetentionResult:
    """Apply every automatic retention rule of the register: delete or anonymise the records
    past their period, with their history, and log how many (not which) in the retention log.
    A dry run changes nothing but the log, which says what would change. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        run = RetentionRun.objects.create(ran_at=now, dry_run=dry_run)
        result = RetentionResult(run=run)
        for declaration in personal_data.declarations():
            for rule in declaration.retention:
                if not rule.automatic:
                    continue
                pks = list(
                    due_for_retention(declaration, rule, now=now).values_list("pk", flat=True)
                )
                # one log entry per council whose records the rule reached (each council's
                # data protection officer sees their own), or one saying it reached none
                by_council = records_by_council(declaration.model, pks) or {None: []}
                for council_id, council_pks in by_council.items():
                    records, history_rows = _apply_rule(
                        declaration, rule, council_pks, now=now, dry_run=dry_run
                    )
                    result.entries.append(
                        RetentionLogEntry.objects.create(
                            run=run,
                            model_label=declaration.label,
                            rule=rule.description[:300],
                            action=rule.action,
                            records=records,
                            history_rows=history_rows,
                            council_id=council_id,
                        )
                    )
    return result


# --- finding everything about one person ----------------------------------------------------


@dataclass
class Subject:
    email: str = ""
    name: str = ""

    def __post_init__(self):
        self.email = (self.email or "").strip()
        self.name = (self.name or "").strip()

    def __bool__(self):
        return bool(self.email or self.name)

    @property
    def ref(self) -> str:
        return personal_data.pseudonym(self.email or self.name)


def subject_users(subject: Subject):
    users = get_user_model()._default_manager.none()
    query = Q()
    if subject.email:
        query |= Q(email__iexact=subject.email)
    if subject.name:
        query |= Q(full_name__iexact=subject.name)
    if query:
        users = get_user_model()._default_manager.filter(query)
    return users


def subject_query(
    declaration: Declaration, subject: Subject, user_ids: list[int], *, owned: bool = False
) -> Q | None:
    """Matches the records about `subject`; with `owned`, only those that are theirs."""
    query = Q()
    if user_ids:
        for path in declaration.owners if owned else declaration.people:
            query |= Q(**{f"{path}__in": user_ids})
    if subject.email:
        for path in declaration.emails:
            query |= Q(**{f"{path}__iexact": subject.email})
    if subject.name:
        for path in declaration.names:
            query |= Q(**{f"{path}__iexact": subject.name})
    return query or None


@dataclass
class Found:
    declaration: Declaration
    pks: list[int]

    @property
    def count(self) -> int:
        return len(self.pks)

    def records(self):
        return self.declaration.model._default_manager.filter(pk__in=self.pks).order_by("pk")


class Findings(list):
    """The records found about a person (a list of `Found`). `held_back`: records of no one
    council (their account, emails sent, sign-ins) that a council's search left out because the
    person also has ties to another council."""

    held_back: list

    def __init__(self, items=(), held_back=()):
        super().__init__(items)
        self.held_back = list(held_back)


def subject_find(subject: Subject, *, council_id: int | None = None) -> Findings:
    """Every declared record about `subject`: linked to their account, or naming their email
    address or name, across every app.

    With `council_id` (a council's data protection officer), only what that council answers
    for: the records of its programmes (funds, groundbreakers, evaluation, programmes), and the
    records of no one council (the person's account, their sign-ins, emails sent to them,
    their organisation) only when the person has no ties to any other council: no role in, and
    no record in, another council's programmes. Someone who works with two councils is every
    council's business only in part; their account is left to the portal's staff admins, who
    search without a council."""
    if not subject:
        return Findings()
    user_ids = list(subject_users(subject).values_list("pk", flat=True))
    found, unscoped = [], []
    other_councils = False
    for declaration in personal_data.declarations():
        query = subject_query(declaration, subject, user_ids)
        if query is None:
            continue
        records = declaration.model._default_manager.filter(query)
        paths = personal_data.council_paths(declaration.model)
        if council_id is None or not paths:
            pks = list(records.order_by("pk").values_list("pk", flat=True).distinct())
            if pks:
                (found if council_id is None else unscoped).append(Found(declaration, pks))
            continue
        own, none = set(), set()
        for pk, record_council in (
            records.annotate(_council=council_expression(paths))
            .values_list("pk", "_council")
            .distinct()
        ):
            if record_council == council_id:
                own.add(pk)
            elif record_council is None:
                none.add(pk)
            else:
                other_councils = True
        if own:
            found.append(Found(declaration, sorted(own)))
        if none:
            unscoped.append(Found(declaration, sorted(none)))
    if council_id is None:
        return Findings(found)
    if other_councils:
        return Findings(found, held_back=unscoped)
    merged = {item.declaration.label: item for item in found}
    for item in unscoped:
        if item.declaration.label in merged:
            merged[item.declaration.label].pks = sorted(
                {*merged[item.declaration.label].pks, *item.pks}
            )
        else:
            merged[item.declaration.label] = item
    return Findings(sorted(merged.values(), key=lambda item: item.declaration.label))


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | bool | str | type(None) | dict | list):
        return value
    return str(value)


def _record_data(obj) -> dict:
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name == "password":
            continue
        value = getattr(obj, f.attname)
        if isinstance(f, models.FileField):
            value = value.name if value else ""
        data[f.name] = _plain(value)
    return data


def subject_records(
    subject: Subject, *, council_id: int | None = None, progress=None
) -> list[dict]:
    """The subject-access export: every record about `subject` (of `council_id`'s, see
    `subject_find`) with its history."""
    found = subject_find(subject, council_id=council_id)
    sections = []
    for index, item in enumerate(found, start=1):
        history = _history_model(item.declaration.model)
        records = []
        for obj in item.records():
            entry = {"id": obj.pk, "fields": _record_data(obj), "history": []}
            if history is not None:
                for row in history._default_manager.filter(id=obj.pk).order_by("history_date"):
                    entry["history"].append(
                        {
                            "changed_at": _plain(row.history_date),
                            "change": {"+": "created", "~": "changed", "-": "deleted"}.get(
                                row.history_type, row.history_type
                            ),
                            "fields": {
                                f.name: _plain(getattr(row, f.attname))
                                for f in item.declaration.model._meta.concrete_fields
                                if f.name != "password"
                                and not isinstance(f, models.FileField)
                                and hasattr(row, f.attname)
                            },
                        }
                    )
            records.append(entry)
        sections.append(
            {
                "model": item.declaration.label,
                "title": item.declaration.verbose_name,
                "purpose": item.declaration.purpose,
                "basis": item.declaration.basis_label,
                "retention": [rule.description for rule in item.declaration.retention],
                "records": records,
            }
        )
        if progress:
            progress(int(90 * index / max(len(found), 1)))
    return sections


def subject_access_zip(
    subject: Subject, *, council_id: int | None = None, progress=None
) -> tuple[bytes, int]:
    """A ZIP with `records.json` and a readable `records.html` of everything about `subject`
    (that `council_id` answers for, see `subject_find`). Returns (the ZIP's bytes, how many
    records)."""
    sections = subject_records(subject, council_id=council_id, progress=progress)
    generated_at = timezone.now()
    payload = {
        "generated_at": generated_at.isoformat(),
        "service": settings.SERVICE_NAME,
        "subject": {"email": subject.email, "name": subject.name},
        "sections": sections,
    }
    html = render_to_string(
        "privacy/subject_access_export.html",
        {"payload": payload, "sections": sections, "generated_at": generated_at},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("records.json", json.dumps(payload, indent=2, ensure_ascii=False))
        archive.writestr("records.html", html)
    total = sum(len(s["records"]) for s in sections)
    return buffer.getvalue(), total


# The task is found by name: the tasks module imports this one.
BUILD_TASK = "cpw.privacy.tasks.build_subject_access"


@transaction.atomic
def subject_access_request_start(
    *, user, email: str = "", name: str = "", council=None
) -> SubjectAccessRequest:
    """Queue a subject-access export of what `council` answers for (None: every council's, for
    staff admins) (the task runs once this transaction commits)."""
    require_queue()
    request = SubjectAccessRequest.objects.create(
        requested_by=user, email=email, name=name, council_id=_council_pk(council)
    )
    enqueue_on_commit(current_app.tasks[BUILD_TASK], request.pk)
    return request


def subject_access_request_build(*, request_id: int) -> SubjectAccessRequest:
    """Build the ZIP of one request, reporting progress as it goes. Idempotent: a finished
    request is left as it is."""
    request = SubjectAccessRequest.objects.get(pk=request_id)
    if request.status == RequestStatus.SUCCEEDED:
        return request
    SubjectAccessRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.RUNNING, progress=5
    )

    def progress(percent):
        SubjectAccessRequest.objects.filter(pk=request.pk).update(progress=max(percent, 5))

    try:
        content, total = subject_access_zip(
            Subject(email=request.email, name=request.name),
            council_id=request.council_id,
            progress=progress,
        )
    except Exception as exc:
        logger.exception("Subject access request %s failed", request.pk)
        SubjectAccessRequest.objects.filter(pk=request.pk).update(
            status=RequestStatus.FAILED, error=str(exc)[:500]
        )
        raise
    request.refresh_from_db()
    if request.file:
        request.file.delete(save=False)
    request.file.save(f"subject-access-{request.pk}.zip", ContentFile(content), save=False)
    request.status = RequestStatus.SUCCEEDED
    request.progress = 100
    request.records = total
    request.finished_at = timezone.now()
    request.save(update_fields=["file", "status", "progress", "records", "finished_at"])
    record_access(
        user=request.requested_by,
        what=f"Subject access request {request.pk}",
        rows=total,
        kind=AccessKind.SUBJECT_ACCESS,
        council=request.council_id,
    )
    return request


# --- erasure --------------------------------------------------------------------------------


@dataclass
class ErasurePlan:
    subject: Subject
    change: list = field(default_factory=list)  # (Found, action)
    keep: list = field(default_factory=list)  # (Found, reason)
    # Records that only mention the person (made or changed by them): left as they are, their
    # link then leads to the anonymised account.
    mentions: list = field(default_factory=list)  # Found
    council_id: int | None = None
    # Records of no one council left out because the person has ties to another council (see
    # `subject_find`); their account is then left as it is too.
    held_back: list = field(default_factory=list)  # Found

    @property
    def erases_account(self) -> bool:
        return not self.held_back

    @property
    def kept_keys(self) -> set[tuple[str, int]]:
        return {(item.declaration.label, pk) for item, _ in self.keep for pk in item.pks}


def erasure_preview(subject: Subject, *, council_id: int | None = None) -> ErasurePlan:
    """What erasing `subject` would change, and what must be kept and why: of `council_id`'s
    records only, when given (see `subject_find` for which those are)."""
    user_ids = list(subject_users(subject).values_list("pk", flat=True))
    findings = subject_find(subject, council_id=council_id)
    plan = ErasurePlan(subject=subject, council_id=council_id, held_back=findings.held_back)
    for item in findings:
        declaration = item.declaration
        records = declaration.model._default_manager.filter(pk__in=item.pks)
        owned_query = subject_query(declaration, subject, user_ids, owned=True)
        owned = (
            set(records.filter(owned_query).values_list("pk", flat=True)) if owned_query else set()
        )
        mentions = [pk for pk in item.pks if pk not in owned]
        if mentions:
            plan.mentions.append(Found(declaration, mentions))
        if not owned:
            continue
        if declaration.on_erasure == Action.KEEP:
            plan.keep.append((Found(declaration, sorted(owned)), declaration.keep_reason))
            continue
        kept = set()
        if declaration.keep_when is not None:
            kept = set(
                records.filter(pk__in=owned)
                .filter(declaration.keep_when)
                .values_list("pk", flat=True)
            )
        if kept:
            plan.keep.append((Found(declaration, sorted(kept)), declaration.keep_reason))
        rest = sorted(owned - kept)
        if rest:
            plan.change.append((Found(declaration, rest), declaration.on_erasure))
    return plan


def _erase_user(user_ids: list[int]) -> None:
    """The account itself: anonymised, signed out for good, but kept so that the records it
    made (and must be kept) still add up."""
    User = get_user_model()
    for user in User._default_manager.filter(pk__in=user_ids):
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])


@transaction.atomic
def erasure_apply(*, subject: Subject, user, council=None) -> ErasureLogEntry:
    """Erase `subject` in one transaction: anonymise or delete every record the preview lists
    as changing (of `council`'s records only, when given), keep the rest, and log the counts
    (never the data). The account is closed only when the preview covers it."""
    council_id = _council_pk(council)
    plan = erasure_preview(subject, council_id=council_id)
    user_ids = list(subject_users(subject).values_list("pk", flat=True))
    counts: dict[str, dict[str, int]] = {}
    # Deletions first (they may point at records that are anonymised next), the account last.
    ordered = sorted(
        plan.change,
        key=lambda pair: (pair[1] != Action.DELETE, pair[0].declaration.label == "accounts.User"),
    )
    for item, action in ordered:
        if action == Action.DELETE:
            records, history_rows = delete_records(item.declaration, item.pks)
        else:
            records, history_rows = anonymise_records(item.declaration, item.pks)
        counts[item.declaration.label] = {
            "action": str(action),
            "records": records,
            "history_rows": history_rows,
        }
    for item, _reason in plan.keep:
        counts.setdefault(item.declaration.label, {"action": "keep", "records": 0})
        counts[item.declaration.label]["kept"] = item.count
    if plan.erases_account:
        _erase_user(user_ids)
    return ErasureLogEntry.objects.create(
        subject_ref=subject.ref,
        erased_by=user,
        erased_at=timezone.now(),
        counts=counts,
        council_id=council_id,
    )
