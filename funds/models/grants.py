"""Grants models."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cpw.core.history import HistoricalRecords
from cpw.core.models import TimeStampedModel

from .applications import Application
from .base import MONEY, ZERO
from .funds import Fund


class MemberAllocation(TimeStampedModel):
    """A councillor's pot in a member fund for one financial year."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="allocations")
    councillor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member_allocations"
    )
    year = models.PositiveSmallIntegerField(help_text="Financial year starting, e.g. 2024")
    amount = models.DecimalField(**MONEY)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "councillor", "year"], name="member_allocation_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_not_negative"),
        ]

    def __str__(self):
        return f"{self.councillor}: {self.fund} {self.year}"


class MemberRecommendation(TimeStampedModel):
    """A councillor recommends a grant from their pot; the amount is held back from the pot until
    the grant is awarded (then the award counts instead) or the application is closed."""

    allocation = models.ForeignKey(
        MemberAllocation, on_delete=models.PROTECT, related_name="recommendations"
    )
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="recommendation"
    )
    amount = models.DecimalField(**MONEY)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="recommendation_positive")
        ]

    def __str__(self):
        return f"{self.recommended_by} recommends {self.amount} for {self.application}"


class GrantStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Award(TimeStampedModel):
    """A grant."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    amount_capital = models.DecimalField(**MONEY, default=ZERO)
    amount_revenue = models.DecimalField(**MONEY, default=ZERO)
    awarded_on = models.DateField()
    planned_start = models.DateField(null=True, blank=True)
    planned_end = models.DateField(null=True, blank=True)
    conditions = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=GrantStatus.choices, default=GrantStatus.ACTIVE
    )
    allocation = models.ForeignKey(
        MemberAllocation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
        help_text="Member funds: the councillor's pot the award comes from.",
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-awarded_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_capital__gte=0)
                & Q(amount_revenue__gte=0)
                & (Q(amount_capital__gt=0) | Q(amount_revenue__gt=0)),
                name="award_amount_positive",
            )
        ]

    def __str__(self):
        return f"Grant {self.application}"

    @property
    def amount(self) -> Decimal:
        return self.amount_capital + self.amount_revenue

    @property
    def programme_id(self) -> int:
        return self.application.programme_id

    @property
    def organisation_id(self) -> int:
        return self.application.organisation_id


class PaymentStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid"


class Payment(TimeStampedModel):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="payments")
    amount = models.DecimalField(**MONEY)
    due_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # The key of the form submission that planned it: submitting the same form twice (a double
    # click, two tabs, a retried request) plans one payment.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("created_by")),
                name="payment_approved_by_second_person",
            ),
        ]

    @property
    def programme_id(self) -> int:
        return self.award.programme_id

    @property
    def organisation_id(self) -> int:
        return self.award.organisation_id


class ReportStatus(models.TextChoices):
    DUE = "due", "Due"
    SUBMITTED = "submitted", "Submitted"


class MonitoringReport(TimeStampedModel):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="reports")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE)
    progress = models.TextField(blank=True)
    spend_to_date = models.DecimalField(**MONEY, null=True, blank=True)
    people_reached = models.PositiveIntegerField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["due_on", "pk"]

    @property
    def programme_id(self) -> int:
        return self.award.programme_id

    @property
    def organisation_id(self) -> int:
        return self.award.organisation_id


class MonitoringPhoto(TimeStampedModel):
    """A photo sent with a monitoring report, stored under a safe name."""

    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="monitoring/%Y/%m/")
    original_filename = models.CharField(max_length=200)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_filename

    @property
    def programme_id(self) -> int:
        return self.report.programme_id

    @property
    def organisation_id(self) -> int:
        return self.report.organisation_id


class ExportJob(TimeStampedModel):
    """An officer's export of an application list, built in the background when large."""

    # Written by the portal itself, not typed in: no limit on their length.
    unbounded_text_fields = ("error",)

    class Status(models.TextChoices):
        QUEUED = "queued", "Being prepared"
        RUNNING = "running", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requeues = models.PositiveSmallIntegerField(
        default=0, help_text="Times the stuck-jobs sweep queued it again"
    )
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When the current (latest) attempt started"
    )

    class Meta:
        ordering = ["-created_at"]

    @property
    def programme_id(self) -> int:
        return self.fund.programme_id
