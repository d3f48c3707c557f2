"""The data protection officer's pages. Only data protection officers and staff admins reach
them (`privacy.manage`); a data protection officer sees what is about their own councils' data
(`selectors.privacy_council_ids`), and another council's request answers 404. Searches for a
person are POSTed, so an email address or a name never appears in an address or a server log."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from cpw.core.access import access_required
from cpw.core.queueing import QueueUnavailable

from . import selectors, services
from .forms import SubjectForm
from .models import AccessKind, RequestStatus, SubjectAccessRequest

PERMISSION = "privacy.manage"
VIEW_RECORD = "privacy.view_record"


def _crumbs(*extra):
    return [{"label": "Data protection", "url": reverse("privacy:register")}, *extra]


@access_required(PERMISSION)
@require_safe
def register(request):
    council_ids = selectors.privacy_council_ids(request.user)
    return render(
        request,
        "privacy/register.html",
        {
            "declarations": selectors.register_list(),
            "system_tables": selectors.system_table_list(),
            "councils": selectors.privacy_council_list(council_ids),
            "breadcrumbs": [],
        },
    )


@access_required(PERMISSION)
@require_safe
def access_log(request):
    entries = selectors.access_log_list(council_ids=selectors.privacy_council_ids(request.user))
    return render(
        request,
        "privacy/access_log.html",
        {
            "entries": entries,
            "unusual": [e for e in entries if e.unusual],
            "breadcrumbs": _crumbs(),
        },
    )


@access_required(PERMISSION)
@require_safe
def retention_log(request):
    return render(
        request,
        "privacy/retention_log.html",
        {
            "runs": selectors.retention_run_list(
                council_ids=selectors.privacy_council_ids(request.user)
            ),
            "breadcrumbs": _crumbs(),
        },
    )


def _subject(form) -> services.Subject:
    return services.Subject(email=form.cleaned_data["email"], name=form.cleaned_data["name"])


def _subject_form(request):
    """The search form, bound to the POSTed search (never to the address: it would put an
    email address in server logs)."""
    council_ids = selectors.privacy_council_ids(request.user)
    councils = selectors.privacy_council_list(council_ids)
    return SubjectForm(
        request.POST if request.method == "POST" else None,
        councils=councils,
        every_council=council_ids is None,
    )


def _council_id(form) -> int | None:
    council = form.council
    return council.pk if council is not None else None


@access_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def subject_access(request):
    form = _subject_form(request)
    found = None
    if form.is_bound and form.is_valid():
        if request.POST.get("build") == "yes":
            try:
                job = services.subject_access_request_start(
                    user=request.user,
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                    council=form.council,
                )
            except QueueUnavailable as exc:
                messages.error(request, exc.user_message)
            else:
                return redirect("privacy:subject-access-request", pk=job.pk)
        found = services.subject_find(_subject(form), council_id=_council_id(form))
    return render(
        request,
        "privacy/subject_access.html",
        {
            "form": form,
            "found": found,
            "total": sum(item.count for item in found or []),
            "requests": selectors.subject_access_request_list(
                council_ids=selectors.privacy_council_ids(request.user)
            ),
            "breadcrumbs": _crumbs(),
        },
    )


def _load_request(request, pk):
    try:
        return selectors.subject_access_request_get(pk=pk, council_ids=None)
    except SubjectAccessRequest.DoesNotExist as exc:
        raise Http404 from exc


@access_required(PERMISSION, load=_load_request, visible=VIEW_RECORD)
@require_safe
def subject_access_request(request, job, pk):
    return render(
        request,
        "privacy/subject_access_request.html",
        {
            "job": job,
            "running": job.status in (RequestStatus.QUEUED, RequestStatus.RUNNING),
            "breadcrumbs": _crumbs(
                {"label": "Subject access", "url": reverse("privacy:subject-access")}
            ),
        },
    )


@access_required(PERMISSION, load=_load_request, visible=VIEW_RECORD)
@require_safe
def subject_access_download(request, job, pk):
    if job.status != RequestStatus.SUCCEEDED or not job.file:
        raise Http404
    services.record_access(
        user=request.user,
        what=f"Subject access request {job.pk} (ZIP)",
        rows=job.records,
        kind=AccessKind.DOWNLOAD,
        council=job.council_id,
    )
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=f"subject-access-{job.pk}.zip"
    )


@access_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def erasure(request):
    form = _subject_form(request)
    plan = None
    if form.is_bound and form.is_valid():
        subject = _subject(form)
        if request.POST.get("confirm") == "yes":
            entry = services.erasure_apply(subject=subject, user=request.user, council=form.council)
            messages.success(
                request, f"The person's data was erased. Erasure reference: {entry.subject_ref}"
            )
            return redirect("privacy:erasure-log")
        plan = services.erasure_preview(subject, council_id=_council_id(form))
    return render(
        request,
        "privacy/erasure.html",
        {"form": form, "plan": plan, "breadcrumbs": _crumbs()},
    )


@access_required(PERMISSION)
@require_safe
def erasure_log(request):
    return render(
        request,
        "privacy/erasure_log.html",
        {
            "entries": selectors.erasure_log_list(
                council_ids=selectors.privacy_council_ids(request.user)
            ),
            "breadcrumbs": _crumbs(),
        },
    )
