"""Assessment models."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from cpw.core.history import HistoricalRecords
from cpw.core.models import TimeStampedModel

from .applications import Application
from .base import MONEY, ZERO
from .funds import Criterion


class ConflictStatus(models.TextChoices):
    UNDECLARED = "undeclared", "Not declared yet"
    NONE = "none", "No conflict"
    CONFLICTED = "conflicted", "Conflict of interest"


class AssessorAssignment(TimeStampedModel):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessor_assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    conflict = models.CharField(
        max_length=12, choices=ConflictStatus.choices, default=ConflictStatus.UNDECLARED
    )
    conflict_details = models.TextField(blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "assessor"], name="assignment_unique_assessor"
            ),
            models.CheckConstraint(
                condition=~Q(conflict="conflicted") | ~Q(conflict_details=""),
                name="conflict_has_details",
            ),
        ]

    def __str__(self):
        return f"{self.assessor} on {self.application}"

    @property
    def programme_id(self) -> int:
        return self.application.programme_id

    @property
    def organisation_id(self) -> int:
        return self.application.organisation_id


class Score(TimeStampedModel):
    assignment = models.ForeignKey(
        AssessorAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    abstained = models.BooleanField(default=False)
    justification = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="assessment_score_unique"
            ),
            models.CheckConstraint(
                condition=(Q(abstained=True) & Q(score__isnull=True))
                | (Q(abstained=False) & Q(score__gte=1) & Q(score__lte=5) & ~Q(justification="")),
                name="score_1_to_5_with_justification_or_abstain",
            ),
        ]


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class Decision(TimeStampedModel):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(max_length=10, choices=DecisionOutcome.choices)
    amount_capital = models.DecimalField(**MONEY, default=ZERO)
    amount_revenue = models.DecimalField(**MONEY, default=ZERO)
    conditions = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="approved") | ~Q(reason=""), name="decline_has_reason"
            )
        ]
