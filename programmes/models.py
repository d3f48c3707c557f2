from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

from cpw.core.history import HistoricalRecords
from cpw.core.models import TimeStampedModel, VersionedModel


class CouncilKind(models.TextChoices):
    COUNTY = "county", "County council"
    DISTRICT = "district", "District council"
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN = "metropolitan", "Metropolitan borough council"
    LONDON_BOROUGH = "london_borough", "London borough council"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"
    TOWN_OR_PARISH = "town_or_parish", "Town or parish council"


org_id_prefix_validator = RegexValidator(
    r"^[A-Z]{2}-[A-Z0-9]{2,}-[A-Za-z0-9-]+$",
    "Enter an org-id like GB-LAE-KEN: a country code, a list code and the council's identifier, "
    "with hyphens between them",
)
colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", "Enter a colour as a hash and six hexadecimal digits, like #1d70b8"
)


class Council(TimeStampedModel):
    """A council using the portal: the boundary above its programmes. Its programmes, places,
    funds and staff belong to it, and nobody outside it sees them."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, help_text="For example Kent")
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField("type of council", max_length=30, choices=CouncilKind.choices)
    org_id_prefix = models.CharField(
        "360Giving org-id",
        max_length=60,
        validators=[org_id_prefix_validator],
        help_text="The council's org-id as a funder, for example GB-LAE-KEN for Kent County "
        "Council. Find it on org-id.guide.",
    )
    brand_colour = models.CharField(
        "Colour", max_length=7, blank=True, validators=[colour_validator]
    )
    contact_email = models.EmailField(
        blank=True, help_text="Where people write about the portal, its accessibility included"
    )
    dpo_email = models.EmailField(
        "data protection officer's email",
        blank=True,
        help_text="Shown on the privacy notice",
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def councillor_place_kind(self) -> str:
        """The kind of place a councillor of this council represents: counties elect by
        division, every other council by ward."""
        return PlaceKind.DIVISION if self.kind == CouncilKind.COUNTY else PlaceKind.WARD

    @property
    def councillor_place_label(self) -> str:
        """ "division" or "ward", for "My division" and the like."""
        return "division" if self.councillor_place_kind == PlaceKind.DIVISION else "ward"


class PlaceKind(models.TextChoices):
    COUNTY = "county", "County"
    DISTRICT = "district", "District"
    DIVISION = "division", "Electoral division"
    WARD = "ward", "Ward"
    LOCALITY = "locality", "Locality"
    PARISH = "parish", "Parish or town"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"
    LSOA = "lsoa", "Lower layer super output area (LSOA)"


class Place(TimeStampedModel):
    """One of a council's places: a district, division, ward, locality, parish, neighbourhood or
    LSOA, inside another of its places or none."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="places")
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
                fields=["council", "ons_code"],
                condition=~models.Q(ons_code=""),
                name="place_ons_code_unique_in_council",
            ),
            models.UniqueConstraint(
                Lower("name"), "kind", "parent", "council", name="place_name_unique_within_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.council_id and self.parent.council_id != self.council_id:
            raise ValidationError({"parent": "Choose a place of the same council"})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "A place cannot be inside itself"})


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class PeriodWording(models.TextChoices):
    """How a programme's pages, exports, emails and reports name a reporting period. The stored
    label (2024-Q1) stays the key in URLs and imports whatever the wording."""

    LABEL = "label", "Financial quarter label, like 2024-Q1"
    MONTHS = "months", "The months it covers, like April to June 2024"
    FINANCIAL_YEAR = "financial_year", "Quarter and financial year, like Q1 2024/25"


class Programme(TimeStampedModel):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="programmes")
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
    current_phase = models.ForeignKey(
        "Phase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rag_green = models.TextField("What green means", blank=True)
    rag_amber = models.TextField("What amber means", blank=True)
    rag_red = models.TextField("What red means", blank=True)
    reminder_days_before = models.PositiveSmallIntegerField(
        "Days before the deadline to remind leads",
        default=7,
        help_text="Leads with updates still to send are emailed this many days before the deadline.",
    )
    # The programme's own words: ambitions may be principles or routes; groundbreakers may be
    # pilots or pathfinders.
    ambition_label = models.CharField(
        "What the programme's ambitions are called",
        max_length=40,
        default="Ambition",
        help_text="Singular, for example Ambition, Principle or Route",
    )
    ambition_label_plural = models.CharField(max_length=40, default="Ambitions")
    groundbreaker_label = models.CharField(
        "What the programme's groundbreakers are called",
        max_length=60,
        default="groundbreaker",
        help_text="Singular, for example groundbreaker, pilot or pathfinder",
    )
    groundbreaker_label_plural = models.CharField(max_length=60, default="groundbreakers")
    period_wording = models.CharField(
        "How reporting periods are named",
        max_length=20,
        choices=PeriodWording.choices,
        default=PeriodWording.LABEL,
    )
    publishes_open_data = models.BooleanField(
        "Publish reports and grants as open data",
        default=False,
        help_text="Anyone, without signing in, may read the programme's published reports and "
        "its grants (in the 360Giving standard) through the portal's API.",
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

    @property
    def groundbreaker_labels(self) -> dict:
        """The programme's own words for groundbreakers, for headings and sentences."""
        singular, plural = self.groundbreaker_label, self.groundbreaker_label_plural
        return {
            "singular": singular,
            "plural": plural,
            "title": plural[:1].upper() + plural[1:],
            "title_singular": singular[:1].upper() + singular[1:],
        }


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
    lock_reason = models.TextField(
        blank=True, help_text="Why it was locked before its update deadline (kept in its history)"
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


class Phase(TimeStampedModel):
    """A phase of a programme, in order, with any name (Analysis, Mobilise, Mainstreaming...).
    A phase may hold stages: phases of the same programme whose `parent` is the phase (one
    level deep)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        # A phase with stages cannot be deleted on its own; deleting the programme deletes all.
        on_delete=models.RESTRICT,
        related_name="stages",
        help_text="The phase this stage is part of; empty for a phase of the programme",
    )
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=100)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["programme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="phase_name_unique"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="phase_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name


class Ambition(TimeStampedModel):
    """One of a programme's ambitions (or principles), with its "what this means" points."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="ambitions")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["programme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="ambition_name_unique"),
        ]

    def __str__(self):
        return self.name


class AmbitionPoint(TimeStampedModel):
    """A "what this means" point under an ambition."""

    ambition = models.ForeignKey(Ambition, on_delete=models.CASCADE, related_name="points")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["ambition", "order", "id"]

    def __str__(self):
        return self.text


class GovernanceBody(TimeStampedModel):
    """A body the programme answers to: a steering group, a scrutiny committee, the cabinet, a
    senior leadership team. A programme has any number; those that receive the quarterly report
    are its distribution list."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="governance_bodies"
    )
    name = models.CharField(max_length=200)
    chair = models.CharField(max_length=200, blank=True, help_text="Name or post of the chair")
    meeting_cadence = models.CharField(
        "How often it meets", max_length=100, blank=True, help_text="For example: quarterly"
    )
    delivery_team = models.CharField(
        max_length=200, blank=True, help_text="The team that supports it, if any"
    )
    receives_quarterly_report = models.BooleanField(
        "Receives the quarterly report",
        default=False,
        help_text="Its members with a portal account are emailed each published report.",
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(
                "programme", Lower("name"), name="governance_body_name_unique_ci"
            ),
        ]

    def __str__(self):
        return self.name


class GovernanceBodyMember(TimeStampedModel):
    """Someone who sits on a governance body, optionally linked to their portal account."""

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(max_length=200)
    position = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_chair = models.BooleanField(default=False)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["body", "-is_chair", "name"]

    @property
    def programme_id(self):
        return self.body.programme_id

    def __str__(self):
        return self.name


class DeliveryPlan(TimeStampedModel):
    """A programme's delivery plan. Councils name its groups themselves: themes, pillars,
    workstreams."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="delivery_plan"
    )
    DEFAULT_GROUP_LABEL = "Theme"

    name = models.CharField(max_length=200)
    group_label = models.CharField(
        "What the plan's groups are called",
        max_length=40,
        default=DEFAULT_GROUP_LABEL,
        help_text="Singular, for example Theme, Pillar or Workstream",
    )
    group_label_plural = models.CharField(max_length=40, default="Themes")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    def __str__(self):
        return self.name


class Group(TimeStampedModel):
    """A theme, pillar or workstream of a delivery plan."""

    plan = models.ForeignKey(DeliveryPlan, on_delete=models.CASCADE, related_name="groups")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["plan", "order", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "plan", name="group_name_unique_in_plan"),
        ]

    def __str__(self):
        return self.name


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"
    CLOSED = "closed", "Closed"


class Commitment(VersionedModel, TimeStampedModel):
    """A commitment (or action) in a delivery plan, led by officers and/or organisations."""

    plan = models.ForeignKey(DeliveryPlan, on_delete=models.CASCADE, related_name="commitments")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="commitments")
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    ambitions = models.ManyToManyField(Ambition, blank=True, related_name="commitments")
    lead_users = models.ManyToManyField(
        "accounts.User", blank=True, related_name="led_commitments", verbose_name="lead officers"
    )
    lead_organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="led_commitments"
    )
    start = models.DateField(null=True, blank=True)
    end = models.DateField("due date", null=True, blank=True)
    progress = models.PositiveSmallIntegerField("progress (%)", default=0)
    progress_from_sub_actions = models.BooleanField(
        default=False, help_text="Work out progress as the weighted average of its sub-actions"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="sub_actions"
    )
    weight = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(
        max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.NOT_STARTED
    )
    illustrative = models.BooleanField(
        default=False, help_text="Made-up wording for the demo where the public record is silent"
    )
    history = HistoricalRecords(
        excluded_fields=["created_at", "updated_at", "version"],
        m2m_fields=[lead_users, lead_organisations, ambitions],
    )

    class Meta:
        ordering = ["plan", "group__order", "group__name", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("title"), "group", name="commitment_title_unique_in_group"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="commitment_progress_0_to_100"
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="commitment_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def programme_id(self) -> int:
        """For the access rules; load with `select_related("plan")`."""
        return self.plan.programme_id


class Milestone(VersionedModel, TimeStampedModel):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    due_date = models.DateField(null=True, blank=True)
    done_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["commitment", "order", "id"]

    def __str__(self):
        return self.title


class Risk(TimeStampedModel):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="risks")
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField(help_text="1 (rare) to 5 (almost certain)")
    impact = models.PositiveSmallIntegerField(help_text="1 (minimal) to 5 (severe)")
    owner = models.CharField(max_length=200, blank=True)
    mitigation = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["commitment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5),
                name="risk_likelihood_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5), name="risk_impact_1_to_5"
            ),
        ]

    def __str__(self):
        return self.description[:60]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class CommitmentUpdate(QuarterlyUpdate):
    """A commitment's progress update for one reporting period."""

    @property
    def needs_decision(self) -> bool:
        return bool(self.decision_question.strip())

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    what_happened = models.TextField(blank=True)
    whats_next = models.TextField("What's next", blank=True)
    risks_and_issues = models.TextField(blank=True)
    evidence_links = models.TextField(
        blank=True, help_text="Web addresses of evidence, one on each line"
    )
    decision_question = models.TextField(
        "Decision the steering group is asked for",
        blank=True,
        help_text="Blank unless the lead flags that the update needs a steering-group decision",
    )
    # `version` is left out: save_if_unchanged saves it as an F() expression, which a
    # historical record cannot copy.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "version"])

    class Meta:
        ordering = ["commitment", "period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "period"], name="commitment_update_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(submitted_at__isnull=False),
                name="commitment_update_submitted_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.commitment} – {self.period}"

    @property
    def programme_id(self) -> int:
        """For the access rules; load with `select_related("period")`."""
        return self.period.programme_id

    @property
    def evidence_link_list(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]


def evidence_upload_to(instance, filename):
    return f"evidence/commitments/{instance.update.commitment_id}/{filename}"


class EvidenceFile(TimeStampedModel):
    update = models.ForeignKey(
        CommitmentUpdate, on_delete=models.CASCADE, related_name="evidence_files"
    )
    file = models.FileField(upload_to=evidence_upload_to)
    name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["update", "id"]

    def __str__(self):
        return self.name

    @property
    def programme_id(self) -> int:
        """For the access rules; load with `select_related("update__period")`."""
        return self.update.programme_id


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "Update due soon"
    OVERDUE = "overdue", "Update overdue"


class ReminderSent(TimeStampedModel):
    """One reminder email to one lead for one period: makes the reminder task idempotent."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "user", "kind"], name="reminder_once_per_period"
            )
        ]
