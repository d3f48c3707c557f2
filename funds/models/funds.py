"""Funds models."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q

from cpw.accounts.models import OrganisationType
from cpw.core.history import HistoricalRecords
from cpw.core.models import TimeStampedModel, VersionedModel

from .base import MONEY, ZERO


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
        blank=True,
        help_text="The funder's org-id for 360Giving. A new fund takes its council's org-id; "
        "change it if someone else funds the grants.",
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

    @property
    def programme_id(self) -> int:
        """The fund's programme (the loading selector select_related()s the fund)."""
        return self.fund.programme_id


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


class EmailTemplateKind(models.TextChoices):
    SUBMITTED = "submitted", "Application received"
    SCREENING = "screening", "Application being checked"
    ASSESSMENT = "assessment", "Application being assessed"
    APPROVED = "approved", "Application approved"
    DECLINED = "declined", "Application declined"
    CHANGES = "changes", "Changes requested"
    REMINDER = "reminder", "Monitoring report reminder"


EMAIL_SUBJECT_MAX = 200
EMAIL_BODY_MAX = 5_000


class EmailTemplate(VersionedModel, TimeStampedModel):
    """Editable wording of a fund's emails. The placeholders each kind may use, and the checks
    its wording must pass, are in `funds/emails.py`."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="email_templates")
    kind = models.CharField(max_length=12, choices=EmailTemplateKind.choices)
    subject = models.CharField(
        max_length=EMAIL_SUBJECT_MAX,
        error_messages={
            "max_length": f"Enter a subject of {EMAIL_SUBJECT_MAX} characters or fewer"
        },
    )
    body = models.TextField(
        validators=[
            MaxLengthValidator(
                EMAIL_BODY_MAX, message=f"Enter a message of {EMAIL_BODY_MAX:,} characters or fewer"
            )
        ]
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "kind"], name="email_template_unique")
        ]
