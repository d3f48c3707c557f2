"""Funds, rounds, applications, assessment, decisions, awards, payments and monitoring.

Workflows are data: `workflow.py` holds the one table of allowed application transitions and who
may make them; `services.py` makes every change."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from cpw.core.models import TimeStampedModel, VersionedModel

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class FundKind(models.TextChoices):
    STANDARD = "standard", "Open grant fund"
    MEMBER = "member", "Member fund (councillors' pots)"


class Fund(TimeStampedModel):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="funds"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=FundKind.choices, default=FundKind.STANDARD)
    operator = models.CharField(
        max_length=200,
        blank=True,
        help_text="The body that runs the fund, for example a community foundation. Leave "
        "blank if the council runs it.",
    )
    description = models.TextField(blank=True)
    focus_areas = models.TextField(blank=True, help_text="One focus area a line.")
    eligible_organisation_types = models.JSONField(
        default=list, blank=True, help_text="Organisation types that may apply (empty: any)."
    )
    priority_places_only = models.BooleanField(default=False)
    minimum_grant = models.DecimalField(**MONEY, default=ZERO)
    maximum_grant = models.DecimalField(**MONEY, null=True, blank=True)
    allows_capital = models.BooleanField(default=True)
    allows_revenue = models.BooleanField(default=True)
    budget_total = models.DecimalField(**MONEY, default=ZERO)
    budget_capital = models.DecimalField(**MONEY, default=ZERO)
    budget_revenue = models.DecimalField(**MONEY, default=ZERO)
    reference_prefix = models.CharField(
        max_length=10, help_text="Starts every application reference, for example SIF."
    )
    open_data_prefix = models.CharField(
        max_length=40,
        default="cpw",
        help_text="The 360Giving identifier prefix: grants are published as 360G-<prefix>-<ref>.",
    )
    funder_identifier = models.CharField(
        max_length=60,
        default="GB-LAE-WAR",
        help_text="The funder's org-id, for example GB-LAE-WAR for Warwickshire County Council.",
    )
    funder_name = models.CharField(max_length=200, blank=True)
    member_allocation = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="Member funds: each councillor's pot a year."
    )
    member_project_cap = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="Member funds: the most for one project."
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(maximum_grant__isnull=True) | Q(maximum_grant__gte=F("minimum_grant")),
                name="fund_max_at_least_min",
            ),
            models.CheckConstraint(
                condition=Q(budget_total__gte=0)
                & Q(budget_capital__gte=0)
                & Q(budget_revenue__gte=0),
                name="fund_budgets_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(allows_capital=True) | Q(allows_revenue=True),
                name="fund_allows_capital_or_revenue",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def focus_list(self) -> list[str]:
        return [line.strip() for line in self.focus_areas.splitlines() if line.strip()]

    @property
    def is_member_fund(self) -> bool:
        return self.kind == FundKind.MEMBER

    def eligible_type_labels(self) -> list[str]:
        from cpw.accounts.models import OrganisationType

        labels = dict(OrganisationType.choices)
        return [labels.get(t, t) for t in self.eligible_organisation_types]


class Round(TimeStampedModel):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField(max_length=120)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    award_by = models.DateField(null=True, blank=True)
    budget = models.DecimalField(**MONEY, default=ZERO)
    invite_only = models.BooleanField(default=False)
    invited_organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="round_invitations"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[])

    class Meta:
        ordering = ["fund", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="round_closes_after_opening"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="round_budget_not_negative"),
            models.UniqueConstraint(fields=["fund", "name"], name="round_name_unique_in_fund"),
        ]

    def __str__(self):
        return f"{self.fund.name}: {self.name}"

    def is_open(self, now) -> bool:
        return self.opens_at <= now < self.closes_at


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    NUMBER = "number", "Number"
    MONEY = "money", "Amount of money"
    DATE = "date", "Date"
    CHOICE = "choice", "Choice"
    FILE = "file", "File upload"


class Question(TimeStampedModel):
    """A question the programme manager adds to a fund's application form."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=QuestionKind.choices)
    required = models.BooleanField(default=True)
    choices = models.TextField(blank=True, help_text="For a choice: one option a line.")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["fund", "order", "pk"]

    def __str__(self):
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.splitlines() if c.strip()]


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


class Criterion(TimeStampedModel):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["fund", "order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight")]

    def __str__(self):
        return self.name


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
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique"),
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


class EmailTemplateKind(models.TextChoices):
    SUBMITTED = "submitted", "Application received"
    APPROVED = "approved", "Application approved"
    DECLINED = "declined", "Application declined"
    CHANGES = "changes", "Changes requested"
    REMINDER = "reminder", "Monitoring report reminder"


class EmailTemplate(TimeStampedModel):
    """Editable wording of a fund's emails. Placeholders: {reference}, {project_title},
    {organisation}, {fund}, {amount}, {conditions}, {reason}, {due_on}."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="email_templates")
    kind = models.CharField(max_length=12, choices=EmailTemplateKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "kind"], name="email_template_unique")
        ]


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
    photo = models.FileField(upload_to="monitoring/%Y/%m/", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["due_on", "pk"]


class ExportJob(TimeStampedModel):
    """An officer's export of an application list, built in the background when large."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Being prepared"
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

    class Meta:
        ordering = ["-created_at"]
