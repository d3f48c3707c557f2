"""The data protection officer's pages. Only the DPO role and staff admins reach them
(`privacy.manage`)."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from cpw.core.access import access_required
from cpw.core.queueing import QueueUnavailable

from . import selectors, services
from .forms import SubjectForm
from .models import AccessKind, RequestStatus, SubjectAccessRequest

PERMISSION = "privacy.manage"


def _crumbs(*extra):
    return [{"label": "Data protection", "url": reverse("privacy:register")}, *extra]


@access_required(PERMISSION)
@require_safe
def register(request):
    return render(
        request,
        "privacy/register.html",
        {"declarations": selectors.register_list(), "breadcrumbs": []},
    )


@access_required(PERMISSION)
@require_safe
def access_log(request):
    entries = selectors.access_log_list()
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
        {"runs": selectors.retention_run_list(), "breadcrumbs": _crumbs()},
    )


def _subject(form) -> services.Subject:
    return services.Subject(email=form.cleaned_data["email"], name=form.cleaned_data["name"])


@access_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def subject_access(request):
    if request.method == "POST":
        form = SubjectForm(request.POST)
        if form.is_valid():
            try:
                job = services.subject_access_request_start(
                    user=request.user,
                    email=form.cleaned_data["email"],
                    name=form.cleaned_data["name"],
                )
            except QueueUnavailable as exc:
                messages.error(request, exc.user_message)
            else:
                return redirect("privacy:subject-access-request", pk=job.pk)
    else:
        form = SubjectForm(request.GET or None)
    found = services.subject_find(_subject(form)) if form.is_bound and form.is_valid() else None
    return render(
        request,
        "privacy/subject_access.html",
        {
            "form": form,
            "found": found,
            "total": sum(item.count for item in found or []),
            "requests": selectors.subject_access_request_list(),
            "breadcrumbs": _crumbs(),
        },
    )


def _load_request(request, pk):
    return get_object_or_404(SubjectAccessRequest, pk=pk)


@access_required(PERMISSION)
@require_safe
def subject_access_request(request, pk):
    job = _load_request(request, pk)
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


@access_required(PERMISSION)
@require_safe
def subject_access_download(request, pk):
    job = _load_request(request, pk)
    if job.status != RequestStatus.SUCCEEDED or not job.file:
        raise Http404
    services.record_access(
        user=request.user,
        what=f"Subject access request {job.pk} (ZIP)",
        rows=job.records,
        kind=AccessKind.DOWNLOAD,
    )
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=f"subject-access-{job.pk}.zip"
    )


@access_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def erasure(request):
    form = SubjectForm(request.POST if request.method == "POST" else (request.GET or None))
    plan = None
    if form.is_bound and form.is_valid():
        subject = _subject(form)
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            entry = services.erasure_apply(subject=subject, user=request.user)
            messages.success(
                request, f"The person's data was erased. Erasure reference: {entry.subject_ref}"
            )
            return redirect("privacy:erasure-log")
        plan = services.erasure_preview(subject)
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
        {"entries": selectors.erasure_log_list(), "breadcrumbs": _crumbs()},
    )
