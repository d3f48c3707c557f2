"""Applications models."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cpw.core.history import HistoricalRecords
from cpw.core.models import TimeStampedModel, VersionedModel

from .base import MONEY, ZERO
from .funds import Question, Round


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    SCREENING = "screening", "Screening"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    IN_ASSESSMENT = "in_assessment", "In assessment"
    READY_FOR_DECISION = "ready_for_decision", "Ready for decision"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Application(VersionedModel, TimeStampedModel):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField(max_length=30, blank=True)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Standard sections
    project_title = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    amount_capital = models.DecimalField(**MONEY, default=ZERO)
    amount_revenue = models.DecimalField(**MONEY, default=ZERO)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    places = models.ManyToManyField("programmes.Place", blank=True, related_name="applications")
    beneficiaries = models.TextField("who benefits", blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    declaration_name = models.CharField(max_length=150, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="application_reference_unique",
            ),
            models.CheckConstraint(
                condition=Q(amount_capital__gte=0) & Q(amount_revenue__gte=0),
                name="application_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="application_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return self.reference or self.project_title or f"Draft application {self.pk}"

    @property
    def programme_id(self) -> int:
        """The fund's programme, through the round (selectors select_related round__fund)."""
        return self.round.fund.programme_id

    @property
    def amount_requested(self) -> Decimal:
        return self.amount_capital + self.amount_revenue


class Section(models.TextChoices):
    PROJECT = "project", "Your project"
    FUNDING = "funding", "Amount and dates"
    PLACES = "places", "Places and people who benefit"
    BUDGET = "budget", "Budget"
    QUESTIONS = "questions", "Fund questions"


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class ApplicationSection(TimeStampedModel):
    """The state of one section of an application's task list."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sections")
    section = models.CharField(max_length=12, choices=Section.choices)
    status = models.CharField(
        max_length=20, choices=SectionStatus.choices, default=SectionStatus.NOT_STARTED
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "section"], name="section_unique")
        ]

    def __str__(self):
        return f"{self.application}: {self.get_section_display()}"


class BudgetKind(models.TextChoices):
    CAPITAL = "capital", "Capital"
    REVENUE = "revenue", "Revenue"


class BudgetLine(TimeStampedModel):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    description = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=BudgetKind.choices)
    amount = models.DecimalField(**MONEY)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_line_positive")
        ]

    def __str__(self):
        return self.description


class Answer(TimeStampedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(blank=True)
    file = models.FileField(upload_to="applications/%Y/%m/", blank=True)
    original_filename = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_unique")
        ]

    def __str__(self):
        return f"{self.question}: {self.value or self.original_filename}"

    @property
    def programme_id(self) -> int:
        return self.application.programme_id

    @property
    def organisation_id(self) -> int:
        return self.application.organisation_id


class ChangeRequest(TimeStampedModel):
    """An officer asks for changes to one section; the applicant sees the reason. The section's
    answers as they were are kept in `before` so assessors see what changed on resubmission."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="change_requests"
    )
    section = models.CharField(max_length=12, choices=Section.choices)
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    before = models.JSONField(default=dict)
    after = models.JSONField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.application}: {self.get_section_display()}"


class ActivityEvent(models.Model):
    """The activity timeline of an application: who did what, when."""

    # Written by the portal itself, not typed in: no limit on their length.
    unbounded_text_fields = ("detail",)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.action


class Comment(TimeStampedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["created_at"]


class Flag(TimeStampedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="flags")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution_note = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(resolution_note=""),
                name="flag_resolved_with_note",
            )
        ]

    @property
    def programme_id(self) -> int:
        return self.application.programme_id

    @property
    def organisation_id(self) -> int:
        return self.application.organisation_id
