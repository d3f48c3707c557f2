"""What each API object says. Every object has its stable `id` and `updated_at`; personal data
of applicants (who applied, contact details, declarations) is never in the API."""

from decimal import Decimal
from functools import cached_property

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evaluation.models import CompositeIndex, Metric, Observation
from funds.models import Award, Fund, Round
from groundbreakers.models import Activity, Groundbreaker, KeyOutcome
from programmes.models import (
    Ambition,
    Commitment,
    CommitmentUpdate,
    Group,
    Milestone,
    Phase,
    Programme,
    ReportingPeriod,
    Risk,
)
from reporting.models import QuarterlyReport


class ProgrammeSerializer(serializers.ModelSerializer):
    council = serializers.CharField(source="council.name")

    class Meta:
        model = Programme
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "council",
            "status",
            "start",
            "end",
            "current_phase",
            "publishes_open_data",
            "updated_at",
        ]


class PhaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Phase
        fields = ["id", "programme", "parent", "order", "name", "start", "end", "updated_at"]


class AmbitionSerializer(serializers.ModelSerializer):
    points = serializers.SlugRelatedField(many=True, read_only=True, slug_field="text")

    class Meta:
        model = Ambition
        fields = ["id", "programme", "order", "name", "points", "updated_at"]


class GroupSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="plan.programme_id", read_only=True)
    plan = serializers.CharField(source="plan.name", read_only=True)
    label = serializers.CharField(source="plan.group_label", read_only=True)

    class Meta:
        model = Group
        fields = ["id", "programme", "plan", "label", "order", "name", "updated_at"]


class ReportingPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "programme",
            "label",
            "start",
            "end",
            "update_deadline",
            "status",
            "locked_at",
            "updated_at",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "done_date"]


class LatestUpdateSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.label")

    class Meta:
        model = CommitmentUpdate
        fields = ["id", "period", "rag", "submitted_at", "what_happened", "whats_next"]


class CommitmentSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="plan.programme_id", read_only=True)
    group = serializers.CharField(source="group.name", read_only=True)
    group_id = serializers.IntegerField(read_only=True)
    ambitions = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    lead_officers = serializers.SlugRelatedField(
        source="lead_users", many=True, read_only=True, slug_field="full_name"
    )
    lead_organisations = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    milestones = MilestoneSerializer(many=True, read_only=True)
    latest_update = serializers.SerializerMethodField()
    rag = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "programme",
            "group_id",
            "group",
            "parent",
            "order",
            "title",
            "description",
            "status",
            "progress",
            "start",
            "end",
            "rag",
            "latest_update",
            "ambitions",
            "lead_officers",
            "lead_organisations",
            "milestones",
            "updated_at",
        ]

    def _latest(self, commitment):
        updates = getattr(commitment, "submitted_updates", None)
        return updates[0] if updates else None

    @extend_schema_field(LatestUpdateSerializer(allow_null=True))
    def get_latest_update(self, commitment):
        latest = self._latest(commitment)
        return self._latest_update_serializer.to_representation(latest) if latest else None

    @cached_property
    def _latest_update_serializer(self):
        # One nested serializer for the whole list, not one (with its own copy of every field)
        # per commitment.
        return LatestUpdateSerializer()

    @extend_schema_field(serializers.CharField(allow_blank=True))
    def get_rag(self, commitment) -> str:
        latest = self._latest(commitment)
        return latest.rag if latest else ""


class CommitmentUpdateSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="period.programme_id", read_only=True)
    period = serializers.CharField(source="period.label", read_only=True)
    period_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = CommitmentUpdate
        fields = [
            "id",
            "programme",
            "commitment",
            "period_id",
            "period",
            "status",
            "rag",
            "submitted_at",
            "what_happened",
            "whats_next",
            "risks_and_issues",
            "updated_at",
        ]


class RiskSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="commitment.plan.programme_id", read_only=True)
    score = serializers.IntegerField(read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "programme",
            "commitment",
            "description",
            "likelihood",
            "impact",
            "score",
            "owner",
            "mitigation",
            "updated_at",
        ]


class KeyOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyOutcome
        fields = ["id", "position", "title", "indicators"]


class ActivityTotalsSerializer(serializers.Serializer):
    activities = serializers.IntegerField()
    attendees = serializers.IntegerField()
    households_approached = serializers.IntegerField()
    questionnaires_completed = serializers.IntegerField()
    hours_of_conversation = serializers.DecimalField(max_digits=12, decimal_places=1)
    volunteers = serializers.IntegerField()
    sessions = serializers.IntegerField()


class GroundbreakerSerializer(serializers.ModelSerializer):
    key_outcomes = KeyOutcomeSerializer(many=True, read_only=True)
    places = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    lead_officer = serializers.CharField(source="lead_officer.full_name", default="")
    activity_totals = serializers.SerializerMethodField()

    class Meta:
        model = Groundbreaker
        fields = [
            "id",
            "programme",
            "slug",
            "name",
            "summary",
            "status",
            "status_changed_on",
            "lead_service_area",
            "lead_officer",
            "places",
            "key_outcomes",
            "activity_totals",
            "updated_at",
        ]

    @extend_schema_field(ActivityTotalsSerializer)
    def get_activity_totals(self, groundbreaker):
        return {
            name: getattr(groundbreaker, f"total_{name}") or 0
            for name in ActivityTotalsSerializer().fields
        }


class ActivitySerializer(serializers.ModelSerializer):
    # Its activities come with `place_ids` and `audience_names` read as values
    # (groundbreakers.selectors.activity_places_and_audiences, called by the viewset).
    places = serializers.ListField(
        child=serializers.IntegerField(), source="place_ids", read_only=True
    )
    audiences = serializers.ListField(
        child=serializers.CharField(), source="audience_names", read_only=True
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "programme",
            "groundbreaker",
            "title",
            "kind",
            "status",
            "date",
            "end_date",
            "council_led",
            "places",
            "audiences",
            "attendees",
            "households_approached",
            "questionnaires_completed",
            "hours_of_conversation",
            "volunteers",
            "sessions",
            "updated_at",
        ]


class FundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fund
        fields = [
            "id",
            "programme",
            "slug",
            "name",
            "kind",
            "description",
            "minimum_grant",
            "maximum_grant",
            "budget_total",
            "budget_capital",
            "budget_revenue",
            "updated_at",
        ]


class RoundSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="fund.programme_id", read_only=True)

    class Meta:
        model = Round
        fields = [
            "id",
            "programme",
            "fund",
            "name",
            "opens_at",
            "closes_at",
            "award_by",
            "budget",
            "updated_at",
        ]


class PlaceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    ons_code = serializers.CharField()


class GrantSerializer(serializers.ModelSerializer):
    """A grant: what was awarded and paid, to which organisation, for which places. Nothing
    about the people who applied."""

    programme = serializers.IntegerField(source="application.round.fund.programme_id")
    fund = serializers.IntegerField(source="application.round.fund_id")
    round = serializers.IntegerField(source="application.round_id")
    reference = serializers.CharField(source="application.reference")
    project_title = serializers.CharField(source="application.project_title")
    recipient_organisation = serializers.CharField(source="application.organisation.name")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    amount_paid = serializers.SerializerMethodField()
    places = PlaceRefSerializer(source="application.places", many=True, read_only=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "programme",
            "fund",
            "round",
            "reference",
            "project_title",
            "recipient_organisation",
            "status",
            "awarded_on",
            "planned_start",
            "planned_end",
            "amount_capital",
            "amount_revenue",
            "amount",
            "amount_paid",
            "places",
            "updated_at",
        ]

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2))
    def get_amount_paid(self, award) -> Decimal:
        return award.paid_total or Decimal("0.00")


class ObservationSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.label", read_only=True)
    period_id = serializers.IntegerField(read_only=True)
    place_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "metric",
            "period_id",
            "period",
            "place_id",
            "value",
            "source",
            "updated_at",
        ]


class NestedObservationSerializer(ObservationSerializer):
    class Meta(ObservationSerializer.Meta):
        fields = ["id", "period", "place_id", "value", "source"]


class MetricSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="framework.programme_id", read_only=True)
    tier = serializers.CharField(source="tier.name", read_only=True)
    observations = NestedObservationSerializer(many=True, read_only=True)

    class Meta:
        model = Metric
        fields = [
            "id",
            "programme",
            "tier",
            "name",
            "definition",
            "unit",
            "direction",
            "scale",
            "source",
            "cadence",
            "baseline_value",
            "baseline_date",
            "target",
            "is_high_level",
            "observations",
            "updated_at",
        ]


class IndexValueSerializer(serializers.Serializer):
    period = serializers.CharField()
    value = serializers.DecimalField(max_digits=16, decimal_places=1, allow_null=True)


class CompositeIndexSerializer(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="framework.programme_id", read_only=True)
    values = serializers.SerializerMethodField()

    class Meta:
        model = CompositeIndex
        fields = ["id", "programme", "name", "description", "values", "updated_at"]

    @extend_schema_field(IndexValueSerializer(many=True))
    def get_values(self, index):
        series = self.context.get("index_series", {}).get(index.pk, [])
        return [{"period": row["period"].label, "value": row["value"]} for row in series]


class ReportSerializer(serializers.ModelSerializer):
    period = serializers.CharField(source="period.label", read_only=True)
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = QuarterlyReport
        fields = [
            "id",
            "programme",
            "period",
            "version",
            "status",
            "data_as_of",
            "published_at",
            "pdf_url",
            "xlsx_url",
            "updated_at",
        ]

    def _url(self, report, name) -> str:
        path = reverse(name, kwargs={"pk": report.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_pdf_url(self, report) -> str:
        return self._url(report, "api:report-pdf")

    def get_xlsx_url(self, report) -> str:
        return self._url(report, "api:report-xlsx")
