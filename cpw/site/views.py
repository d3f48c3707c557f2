"""Pages that belong to no domain: the start page, health check and legal pages."""

import datetime
import logging

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django.views.generic import TemplateView

from cpw.celery import app
from cpw.core.access import ObjectAccessMixin
from cpw.core.queueing import broker_is_eager, broker_reachable
from cpw.privacy.selectors import council_dpos, notice_sections
from cpw.site.navigation import home_url_for
from funds.selectors import awards_in_places, funds_open_now
from groundbreakers.selectors import groundbreakers_in_places
from programmes.selectors import (
    council_for_page,
    council_list_with_contacts,
    councillor_place_label,
    division_places_for_councillor,
)

logger = logging.getLogger(__name__)


@require_safe
def home(request):
    if request.user.is_authenticated:
        url = home_url_for(request.user)
        if url:
            return redirect(url)
        return render(request, "pages/no_role.html")
    return render(request, "pages/start.html", {"open_funds": funds_open_now()})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:  # noqa: BLE001
        logger.exception("Health check: database unreachable")
        return False


def _worker_status() -> str:
    if broker_is_eager():
        return "in-process"

    try:
        replies = app.control.inspect(timeout=1.0).ping()
    except Exception:  # noqa: BLE001
        return "unreachable"
    return "ok" if replies else "none"


@never_cache
@require_GET
def healthz(request):
    database = _database_ok()
    if broker_is_eager():
        broker = "in-process"
    else:
        broker = "ok" if broker_reachable(timeout=1.0) else "unreachable"
    worker = (
        _worker_status() if broker == "ok" else ("in-process" if broker_is_eager() else "unknown")
    )
    body = {"database": "ok" if database else "unreachable", "broker": broker, "worker": worker}
    return JsonResponse(body, status=200 if database else 503)


def _legal_page_context(request) -> dict:
    """The council the page speaks for (the one whose data the visitor works with), or, on the
    portal's own pages, every council that gives a contact email, for the visitor to choose."""
    if council_for_page(request) is not None:
        return {"contact_councils": []}
    return {"contact_councils": list(council_list_with_contacts())}


# The accessibility statement's dates (GOV.UK model statement): change them when it is reviewed
# or the service is tested again.
ACCESSIBILITY_STATEMENT_DATES = {
    "statement_prepared": datetime.date(2026, 11, 30),
    "statement_reviewed": datetime.date(2026, 11, 30),
    "service_tested": datetime.date(2026, 11, 30),
}


@require_safe
def accessibility(request):
    return render(
        request,
        "pages/accessibility.html",
        {**_legal_page_context(request), **ACCESSIBILITY_STATEMENT_DATES},
    )


@require_safe
def privacy(request):
    context = _legal_page_context(request)
    context["notice_sections"] = notice_sections()
    # the council's own data protection officer(s), named on its notice
    context["council_dpos"] = council_dpos(council_for_page(request))
    return render(request, "pages/privacy.html", context)


@require_safe
def cookies(request):
    return render(request, "pages/cookies.html")


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/v1/"):  # an API client reads JSON, as the schema says
        return JsonResponse(
            {"detail": "There is no such address in the API: see /api/v1/docs/"}, status=404
        )
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


class DivisionView(ObjectAccessMixin, TemplateView):
    """A councillor's first screen: their ward or electoral division ("My ward" for councils
    elected by ward, "My division" for county councils), its places, and the programme's
    groundbreakers and grants there. It reads programmes, groundbreakers and funds, so it
    lives here."""

    permission_required = "portal.view_division"
    template_name = "programmes/division.html"
    http_method_names = ["get", "head", "options"]

    def get_context_data(self, **kwargs):
        divisions = division_places_for_councillor(self.request.user)
        for item in divisions:
            place_ids = [item["division"].pk, *(place.pk for place in item["places"])]
            programme_id = item["programme"].pk
            item["groundbreakers"] = list(groundbreakers_in_places(programme_id, place_ids))
            item["grants"] = list(awards_in_places(programme_id, place_ids))
        return super().get_context_data(
            divisions=divisions,
            place_label=councillor_place_label(self.request.user),
            **kwargs,
        )
