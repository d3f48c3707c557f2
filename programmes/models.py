from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from cpw.core.models import TimeStampedModel, VersionedModel


class PlaceKind(models.TextChoices):
    COUNTY = "county", "County"
    DISTRICT = "district", "District"
    DIVISION = "division", "Electoral division"
    WARD = "ward", "Ward"
    LSOA = "lsoa", "Lower layer super output area (LSOA)"
    PARISH = "parish", "Parish"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"


class Place(TimeStampedModel):
    """A place shared by every app: a district, ward, LSOA, parish or neighbourhood."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices)
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        help_text="For example E07000218. Leave blank if none.",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ons_code"], condition=~models.Q(ons_code=""), name="place_ons_code_unique"
            ),
            models.UniqueConstraint(
                Lower("name"), "kind", "parent", name="place_name_unique_within_parent"
            ),
        ]

    def __str__(self):
        return self.name


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Programme(TimeStampedModel):
    council = models.CharField(max_length=200)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=30)
    slug = models.SlugField(max_length=60, unique=True)
    purpose = models.TextField(blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    priority_places = models.ManyToManyField(
        Place, blank=True, related_name="priority_for_programmes"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="programme_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name


class PeriodStatus(models.TextChoices):
    OPEN = "open", "Open for updates"
    LOCKED = "locked", "Locked"


class ReportingPeriod(TimeStampedModel):
    """A quarter of the UK financial year (unless a programme says otherwise): `2024-Q1` is
    April–June 2024. Leads update their work until a programme manager locks the period."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="reporting_periods"
    )
    label = models.CharField(max_length=20, help_text="For example 2024-Q1")
    start = models.DateField()
    end = models.DateField()
    update_deadline = models.DateField()
    status = models.CharField(
        max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["programme", "start"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "label"], name="period_label_unique"),
            models.UniqueConstraint(fields=["programme", "start"], name="period_start_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="period_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_locked(self) -> bool:
        return self.status == PeriodStatus.LOCKED


class RAG(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    COMPLETE = "complete", "Complete"


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class QuarterlyUpdate(VersionedModel, TimeStampedModel):
    """What every quarterly update shares (commitments, groundbreakers): one per subject per
    period, draft then submitted, editable by its lead until the period locks; optimistic
    locking through `version`. Concrete models add the subject, their own questions and
    `history = HistoricalRecords()`."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT
    )
    rag = models.CharField("RAG rating", max_length=10, choices=RAG.choices, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        abstract = True


from .reporting.models import (  # noqa: E402,F401  reports live in programmes
    JobStatus,
    QuarterlyReport,
    ReportCompileJob,
    ReportStatus,
)
