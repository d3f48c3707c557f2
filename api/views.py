"""The read API (/api/v1/). Each viewset names its rows' scope (api.scopes, the same rules
as the pages), the query shape (one query for the page plus a fixed number of prefetches,
whatever the page size) and its filters. Lists are cursor pages; `?format=csv` or
`?format=xlsx` gives the whole filtered list as a spreadsheet."""

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Sum, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer

from cpw.core import tabular
from evaluation.models import CompositeIndex, Metric, Observation
from evaluation.selectors import index_series_many
from funds import opendata
from funds.models import Award, Fund, GrantStatus, PaymentStatus, Round
from groundbreakers.models import Activity, ActivityStatus, Groundbreaker
from groundbreakers.selectors import activity_places_and_audiences
from programmes.models import (
    RAG,
    Ambition,
    Commitment,
    CommitmentUpdate,
    Group,
    Phase,
    Programme,
    ReportingPeriod,
    Risk,
    UpdateStatus,
)
from reporting.models import QuarterlyReport, ReportStatus

from . import scopes, serializers
from .filters import IdFilter, filterset_for
from .models import ApiToken
from .permissions import PublicRead, SignedIn
from .renderers import PDFRenderer, XLSXFileRenderer
from .services import api_token_use_record

FEED_FORMATS = ("csv", "xlsx")


class ApiViewSet(viewsets.ReadOnlyModelViewSet):
    # What every API list shares: scope, feeds, ordering and the token-use log. (Subclasses'
    # docstrings are the API documentation.)

    permission_classes = [SignedIn]
    ordering_fields = ["id", "updated_at"]
    ordering = ["id"]
    feed_name = ""
    # Do the rows hold personal data (people's names, free text that may be about people)? Then
    # each use of a token that hands them out is in the data protection officer's access log.
    hands_out_personal_data = False

    def base_queryset(self):
        raise NotImplementedError

    def scope(self, queryset):
        raise NotImplementedError

    def get_queryset(self):
        return self.scope(self.base_queryset())

    @property
    def is_feed(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return renderer is not None and renderer.format in FEED_FORMATS

    def paginate_queryset(self, queryset):
        if self.is_feed:  # a spreadsheet holds the whole list, not one page
            self.paginator.get_page_size(self.request)  # but a page size must still be valid
            return None
        return super().paginate_queryset(queryset)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.is_feed and self.action == "list":
            queryset = queryset[: settings.API_FEED_MAX_ROWS]
        return queryset

    def perform_content_negotiation(self, request, force=False):
        # A `format` no renderer gives (DRF answers 404, or ignores an empty one) is a 400.
        asked = request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        formats = [r.format for r in self.get_renderers()]
        if not force and asked is not None and asked not in formats:
            raise ValidationError({"format": [f"Ask for one of: {', '.join(formats)}"]})
        return super().perform_content_negotiation(request, force)

    def http_method_not_allowed(self, request, *args, **kwargs):
        """The API only reads. About one object, those who may not know it exists get 404, as
        with GET; everyone else 405."""
        if self.lookup_field in kwargs:
            self.get_object()
        return super().http_method_not_allowed(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        if response.status_code >= 400 and not isinstance(
            getattr(request, "accepted_renderer", None), JSONRenderer
        ):
            # An error is a JSON object whatever was asked for (a spreadsheet of an error
            # message helps nobody), as the schema says.
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.is_feed and response.status_code == 200:
            fmt = request.accepted_renderer.format
            response["Content-Disposition"] = f'attachment; filename="{self.feed_name}.{fmt}"'
        token = getattr(request, "_auth", None)
        if isinstance(token, ApiToken):
            data = getattr(response, "data", None)
            personal = None
            if self.hands_out_personal_data:
                personal = (self.queryset.model, _row_ids(data))
            api_token_use_record(
                token=token,
                path=request.get_full_path(),
                status=response.status_code,
                rows=_row_count(data),
                personal=personal,
            )
        return response


def _row_ids(data) -> list[int]:
    """The ids of the rows an answer holds (a page, a feed's list, or one object)."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return []
    return [row["id"] for row in data if isinstance(row, dict) and isinstance(row.get("id"), int)]


def _row_count(data) -> int:
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return len(data["results"])
    if isinstance(data, list):
        return len(data)
    return 1 if isinstance(data, dict) and "id" in data else 0


class CouncilViewSet(ApiViewSet):
    # Rows of the programmes in which the user holds a council role (`programme_path` leads
    # from a row to its programme).

    programme_path = "programme"

    def scope(self, queryset):
        return scopes.programme_scoped(queryset, self.programme_path, self.request.user)


class ProgrammeViewSet(CouncilViewSet):
    """Programmes in which you hold a council role."""

    queryset = Programme.objects.none()
    serializer_class = serializers.ProgrammeSerializer
    programme_path = "pk"
    filterset_class = filterset_for(Programme, programme="", status="status")
    ordering_fields = ["id", "updated_at", "name"]
    feed_name = "programmes"

    def base_queryset(self):
        return Programme.objects.select_related("council")


class PhaseViewSet(CouncilViewSet):
    """Phases of your programmes (and their stages: a stage names its phase as `parent`)."""

    queryset = Phase.objects.none()
    serializer_class = serializers.PhaseSerializer
    filterset_class = filterset_for(Phase, programme="programme")
    ordering_fields = ["id", "updated_at", "order"]
    feed_name = "phases"

    def base_queryset(self):
        return Phase.objects.all()


class AmbitionViewSet(CouncilViewSet):
    """Ambitions (or principles) of your programmes, with their points."""

    queryset = Ambition.objects.none()
    serializer_class = serializers.AmbitionSerializer
    filterset_class = filterset_for(Ambition, programme="programme")
    ordering_fields = ["id", "updated_at", "order"]
    feed_name = "ambitions"

    def base_queryset(self):
        return Ambition.objects.prefetch_related("points")


class GroupViewSet(CouncilViewSet):
    """The groups (themes, pillars or workstreams) of your programmes' delivery plans."""

    queryset = Group.objects.none()
    serializer_class = serializers.GroupSerializer
    programme_path = "plan__programme"
    filterset_class = filterset_for(Group, programme="plan__programme")
    ordering_fields = ["id", "updated_at", "order"]
    feed_name = "plan-groups"

    def base_queryset(self):
        return Group.objects.select_related("plan")


class ReportingPeriodViewSet(CouncilViewSet):
    """Reporting periods (quarters of the UK financial year unless a programme says otherwise)."""

    queryset = ReportingPeriod.objects.none()
    serializer_class = serializers.ReportingPeriodSerializer
    filterset_class = filterset_for(ReportingPeriod, programme="programme", status="status")
    ordering_fields = ["id", "updated_at", "start"]
    feed_name = "reporting-periods"

    def base_queryset(self):
        return ReportingPeriod.objects.all()


def _submitted_updates():
    return CommitmentUpdate.objects.filter(status=UpdateStatus.SUBMITTED)


class CommitmentViewSet(CouncilViewSet):
    """Commitments with their latest submitted update (and its RAG), progress, milestones and
    leads."""

    queryset = Commitment.objects.none()
    hands_out_personal_data = True  # lead officers' names
    serializer_class = serializers.CommitmentSerializer
    programme_path = "plan__programme"
    filterset_class = filterset_for(
        Commitment,
        programme="plan__programme",
        status="status",
        rag=filters.ChoiceFilter(
            field_name="latest_rag",
            choices=RAG.choices,
            label="RAG rating of the latest submitted update",
        ),
        group=IdFilter(field_name="group_id", label="Plan group id"),
    )
    ordering_fields = ["id", "updated_at", "order", "progress"]
    feed_name = "commitments"

    def base_queryset(self):
        latest = _submitted_updates().filter(commitment=OuterRef("pk")).order_by("-period__start")
        return (
            Commitment.objects.select_related("plan", "group")
            .annotate(latest_rag=Subquery(latest.values("rag")[:1]))
            .prefetch_related(
                "ambitions",
                "lead_users",
                "lead_organisations",
                "milestones",
                Prefetch(  # each commitment's latest submitted update, not all of them
                    "updates",
                    queryset=_submitted_updates()
                    .annotate(
                        recency=Window(
                            RowNumber(),
                            partition_by=F("commitment_id"),
                            order_by=F("period__start").desc(),
                        )
                    )
                    .filter(recency=1)
                    .select_related("period"),
                    to_attr="submitted_updates",
                ),
            )
        )


class CommitmentUpdateViewSet(CouncilViewSet):
    """Submitted quarterly updates of commitments (drafts stay with their authors)."""

    queryset = CommitmentUpdate.objects.none()
    hands_out_personal_data = True  # free text that may be about people
    serializer_class = serializers.CommitmentUpdateSerializer
    programme_path = "period__programme"
    filterset_class = filterset_for(
        CommitmentUpdate,
        programme="period__programme",
        period="period",
        rag="rag",
        commitment=IdFilter(field_name="commitment_id", label="Commitment id"),
    )
    feed_name = "quarterly-updates"

    def base_queryset(self):
        return _submitted_updates().select_related("period")


class RiskViewSet(CouncilViewSet):
    """Risks recorded against your programmes' commitments (score = likelihood x impact)."""

    queryset = Risk.objects.none()
    hands_out_personal_data = True  # risk owners' names
    serializer_class = serializers.RiskSerializer
    programme_path = "commitment__plan__programme"
    filterset_class = filterset_for(
        Risk,
        programme="commitment__plan__programme",
        commitment=IdFilter(field_name="commitment_id", label="Commitment id"),
    )
    feed_name = "risks"

    def base_queryset(self):
        return Risk.objects.select_related("commitment__plan")


def _held(prefix=""):
    return Q(**{f"{prefix}status": ActivityStatus.HELD})


class GroundbreakerViewSet(CouncilViewSet):
    """Groundbreakers with their key outcomes and the totals of their held activities."""

    queryset = Groundbreaker.objects.none()
    hands_out_personal_data = True  # lead officers' names
    serializer_class = serializers.GroundbreakerSerializer
    filterset_class = filterset_for(
        Groundbreaker, programme="programme", status="status", place="places"
    )
    ordering_fields = ["id", "updated_at", "name"]
    feed_name = "groundbreakers"

    def base_queryset(self):
        held = _held("activities__")
        return (
            Groundbreaker.objects.select_related("lead_officer")
            .prefetch_related("key_outcomes", "places")
            .annotate(
                total_activities=Count("activities", filter=held),
                total_attendees=Sum("activities__attendees", filter=held),
                total_households_approached=Sum("activities__households_approached", filter=held),
                total_questionnaires_completed=Sum(
                    "activities__questionnaires_completed", filter=held
                ),
                total_hours_of_conversation=Sum("activities__hours_of_conversation", filter=held),
                total_volunteers=Sum("activities__volunteers", filter=held),
                total_sessions=Sum("activities__sessions", filter=held),
            )
        )


class ActivityViewSet(CouncilViewSet):
    """The engagement log: every activity of your programmes (only held ones count in totals)."""

    queryset = Activity.objects.none()
    serializer_class = serializers.ActivitySerializer
    filterset_class = filterset_for(
        Activity,
        programme="programme",
        status="status",
        place="places",
        groundbreaker=IdFilter(field_name="groundbreaker_id", label="Groundbreaker id"),
        date_from=filters.DateFilter(field_name="date", lookup_expr="gte", label="On or after"),
        date_to=filters.DateFilter(field_name="date", lookup_expr="lte", label="On or before"),
    )
    ordering_fields = ["id", "updated_at", "date"]
    feed_name = "activities"

    def base_queryset(self):
        return Activity.objects.all()

    def get_serializer(self, *args, **kwargs):
        if args and args[0] is not None:  # a page, a feed's rows, or one activity
            many = kwargs.get("many", False)
            rows = list(args[0]) if many else [args[0]]
            activity_places_and_audiences(rows)
            args = (rows if many else rows[0], *args[1:])
        return super().get_serializer(*args, **kwargs)


class FundViewSet(ApiViewSet):
    """Funds of your programmes; for a partner, the funds your organisation applied to.
    `360giving` gives a fund's grants in the 360Giving Data Standard, to anyone where the
    programme publishes open data."""

    queryset = Fund.objects.none()
    serializer_class = serializers.FundSerializer
    filterset_class = filterset_for(Fund, programme="programme")
    ordering_fields = ["id", "updated_at", "name"]
    feed_name = "funds"

    def _is_open_data(self) -> bool:
        # by the URL, so that another method on it (no action) is answered as GET is: 404 for
        # a fund that is not open to the asker, else 405
        match = getattr(self.request, "resolver_match", None)
        return self.action == "open_data" or (
            match is not None and match.url_name == "fund-open-data"
        )

    def get_permissions(self):
        if self._is_open_data():
            return [PublicRead()]
        return super().get_permissions()

    def base_queryset(self):
        return Fund.objects.all()

    def scope(self, queryset):
        scoped = scopes.funds_scoped(queryset, "", self.request.user)
        if self._is_open_data():
            scoped = queryset.filter(
                Q(pk__in=scoped.values("pk"))
                | Q(programme__in=scopes.open_programmes().values("pk"))
            ).select_related("programme__council")
        return scoped

    @extend_schema(
        summary="The fund's grants in the 360Giving Data Standard",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A 360Giving package")},
        filters=False,
    )
    @action(detail=True, url_path="360giving", url_name="open-data", pagination_class=None)
    def open_data(self, request, pk=None):
        fund = self.get_object()
        if self.is_feed:
            fmt = request.accepted_renderer.format
            content = opendata.as_csv(fund) if fmt == "csv" else opendata.as_xlsx(fund)
            content_type = "text/csv; charset=utf-8" if fmt == "csv" else tabular.XLSX_TYPE
        else:
            content, content_type = opendata.as_json(fund), "application/json"
        response = HttpResponse(content, content_type=content_type)
        if self.is_feed:
            response["Content-Disposition"] = (
                f'attachment; filename="{fund.slug}-360giving.{request.accepted_renderer.format}"'
            )
        return response

    def filter_queryset(self, queryset):
        if self._is_open_data():
            return queryset
        return super().filter_queryset(queryset)


class RoundViewSet(ApiViewSet):
    """Rounds of the funds you can see."""

    queryset = Round.objects.none()
    serializer_class = serializers.RoundSerializer
    filterset_class = filterset_for(
        Round,
        programme="fund__programme",
        fund=IdFilter(field_name="fund_id", label="Fund id"),
    )
    ordering_fields = ["id", "updated_at", "opens_at"]
    feed_name = "rounds"

    def base_queryset(self):
        return Round.objects.select_related("fund")

    def scope(self, queryset):
        return scopes.funds_scoped(queryset, "fund__", self.request.user)


class GrantViewSet(ApiViewSet):
    """Grants (withdrawn ones left out): awarded, paid and places. You see your programmes'
    grants (a partner, their organisation's), and anyone sees those of programmes that publish
    open data."""

    queryset = Award.objects.none()
    serializer_class = serializers.GrantSerializer
    permission_classes = [PublicRead]
    filterset_class = filterset_for(
        Award,
        programme="application__round__fund__programme",
        status="status",
        place="application__places",
        fund=IdFilter(field_name="application__round__fund_id", label="Fund id"),
        awarded_since=filters.DateFilter(
            field_name="awarded_on", lookup_expr="gte", label="Awarded on or after"
        ),
    )
    ordering_fields = ["id", "updated_at", "awarded_on"]
    feed_name = "grants"

    def base_queryset(self):
        return (
            Award.objects.exclude(status=GrantStatus.WITHDRAWN)
            .select_related("application__round__fund", "application__organisation")
            .prefetch_related("application__places")
            .annotate(
                paid_total=Sum("payments__amount", filter=Q(payments__status=PaymentStatus.PAID))
            )
        )

    def scope(self, queryset):
        return scopes.grants_scoped(queryset, self.request.user, public=True)


class MetricViewSet(CouncilViewSet):
    """Evaluation metrics with all their observations."""

    queryset = Metric.objects.none()
    serializer_class = serializers.MetricSerializer
    programme_path = "framework__programme"
    filterset_class = filterset_for(Metric, programme="framework__programme")
    ordering_fields = ["id", "updated_at", "order"]
    feed_name = "metrics"

    def base_queryset(self):
        return Metric.objects.select_related("framework", "tier").prefetch_related(
            Prefetch(
                "observations",
                queryset=Observation.objects.select_related("period").order_by(
                    "period__start", "place_id", "id"
                ),
            )
        )


class ObservationViewSet(CouncilViewSet):
    """Every metric's figures, one a row: for BI tools that want a long table."""

    queryset = Observation.objects.none()
    serializer_class = serializers.ObservationSerializer
    programme_path = "metric__framework__programme"
    filterset_class = filterset_for(
        Observation,
        programme="metric__framework__programme",
        period="period",
        place="place",
        metric=IdFilter(field_name="metric_id", label="Metric id"),
    )
    feed_name = "observations"

    def base_queryset(self):
        return Observation.objects.select_related("period")


class CompositeIndexViewSet(CouncilViewSet):
    """Composite indexes with their value in every period where all components have a figure."""

    queryset = CompositeIndex.objects.none()
    serializer_class = serializers.CompositeIndexSerializer
    programme_path = "framework__programme"
    filterset_class = filterset_for(CompositeIndex, programme="framework__programme")
    feed_name = "indexes"

    def base_queryset(self):
        return CompositeIndex.objects.select_related("framework")

    def get_serializer(self, *args, **kwargs):
        if args:
            objects = args[0]
            many = list(objects) if kwargs.get("many") else [objects]
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["index_series"] = index_series_many(many)
            args = (many if kwargs.get("many") else objects, *args[1:])
        return super().get_serializer(*args, **kwargs)


class ReportViewSet(ApiViewSet):
    """Published quarterly reports: metadata and links to the frozen PDF and spreadsheet."""

    queryset = QuarterlyReport.objects.none()
    serializer_class = serializers.ReportSerializer
    permission_classes = [PublicRead]
    filterset_class = filterset_for(QuarterlyReport, programme="programme", period="period")
    ordering_fields = ["id", "updated_at", "published_at"]
    feed_name = "reports"

    def base_queryset(self):
        return (
            QuarterlyReport.objects.filter(status=ReportStatus.PUBLISHED)
            .select_related("period")
            .defer("snapshot", "pdf", "xlsx")
        )

    def scope(self, queryset):
        return scopes.reports_scoped(queryset, self.request.user)

    def _file(self, field: str, content_type: str, extension: str):
        report = self.get_object()
        content = QuarterlyReport.objects.filter(pk=report.pk).values_list(field, flat=True).first()
        if content is None:
            raise Http404
        name = f"{report.programme_id}-{report.period.label}-v{report.version}.{extension}"
        return tabular.file_response(name, bytes(content), content_type)

    @extend_schema(
        summary="The report's frozen PDF",
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="PDF")},
        filters=False,
    )
    @action(
        detail=True,
        url_path="pdf",
        url_name="pdf",
        pagination_class=None,
        filter_backends=[],
        renderer_classes=[PDFRenderer],
    )
    def pdf(self, request, pk=None):
        return self._file("pdf", "application/pdf", "pdf")

    @extend_schema(
        summary="The report's frozen spreadsheet",
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="XLSX")},
        filters=False,
    )
    @action(
        detail=True,
        url_path="xlsx",
        url_name="xlsx",
        pagination_class=None,
        filter_backends=[],
        renderer_classes=[XLSXFileRenderer],
    )
    def spreadsheet(self, request, pk=None):
        return self._file("xlsx", tabular.XLSX_TYPE, "xlsx")
