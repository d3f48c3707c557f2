"""Groundbreakers (pilots, pathfinders): where a programme tests community power in practice.

A groundbreaker links to the grants that fund it (`grants`, funds.Award): the link lives on
this side only, and the funds app reads it through the reverse name `groundbreakers`."""

from django.db import models
from django.db.models.functions import Lower

from cpw.core.history import HistoricalRecords
from cpw.core.models import TimeStampedModel, VersionedModel
from programmes.models import QuarterlyUpdate

OUTCOMES_MIN = 3
OUTCOMES_MAX = 4


class GroundbreakerStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    SETTING_UP = "setting_up", "Setting up"
    LIVE = "live", "Live"
    SUSTAINED = "sustained", "Sustained"
    CLOSED = "closed", "Closed"
    DID_NOT_PROCEED = "did_not_proceed", "Did not proceed"


class Groundbreaker(VersionedModel, TimeStampedModel):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="groundbreakers"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    summary = models.TextField(blank=True)
    lead_service_area = models.CharField(
        max_length=120, blank=True, help_text="For example Communities, Transport, Public Health"
    )
    lead_officer = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groundbreakers_led",
    )
    sponsor = models.CharField(
        max_length=200, blank=True, help_text="The senior sponsor, for example a director"
    )
    partners = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="groundbreakers"
    )
    places = models.ManyToManyField("programmes.Place", blank=True, related_name="groundbreakers")
    commitments = models.ManyToManyField(
        "programmes.Commitment",
        blank=True,
        related_name="groundbreakers",
        help_text="The delivery-plan commitments it advances (in the same programme)",
    )
    grants = models.ManyToManyField(
        "funds.Award",
        blank=True,
        related_name="groundbreakers",
        help_text="The grants that fund it (from the same programme's funds)",
    )
    status = models.CharField(
        max_length=20, choices=GroundbreakerStatus.choices, default=GroundbreakerStatus.PROPOSED
    )
    status_changed_on = models.DateField(null=True, blank=True)
    # `version` is left out of history: save_if_unchanged saves it as an F() expression,
    # which django-simple-history cannot insert.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "version"])

    class Meta:
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "slug"], name="groundbreaker_slug_unique"),
            models.UniqueConstraint(
                "programme", Lower("name"), name="groundbreaker_name_unique_ci"
            ),
        ]

    def __str__(self):
        return self.name


class GroundbreakerStatusChange(TimeStampedModel):
    """The log of status changes: what changed, on what date, why and who recorded it."""

    groundbreaker = models.ForeignKey(
        Groundbreaker, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=GroundbreakerStatus.choices)
    to_status = models.CharField(max_length=20, choices=GroundbreakerStatus.choices)
    changed_on = models.DateField()
    reason = models.TextField()
    changed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_on", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="status_change_has_reason"),
        ]

    def __str__(self):
        return f"{self.groundbreaker}: {self.from_status} → {self.to_status}"


class KeyOutcome(TimeStampedModel):
    groundbreaker = models.ForeignKey(
        Groundbreaker, on_delete=models.CASCADE, related_name="key_outcomes"
    )
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=300)
    success_factors = models.TextField(blank=True)
    indicators = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["groundbreaker", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["groundbreaker", "position"], name="key_outcome_position_unique"
            ),
        ]

    def __str__(self):
        return self.title


class WorkingGroupMember(TimeStampedModel):
    """A portal user or a named external person on a groundbreaker's working group."""

    groundbreaker = models.ForeignKey(
        Groundbreaker, on_delete=models.CASCADE, related_name="working_group"
    )
    user = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="working_groups",
    )
    name = models.CharField(max_length=150, blank=True, help_text="For people outside the portal")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=150, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["groundbreaker", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(name=""),
                name="working_group_member_is_someone",
            ),
            models.UniqueConstraint(
                fields=["groundbreaker", "user"],
                condition=models.Q(user__isnull=False),
                name="working_group_user_once",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.user.full_name if self.user_id else self.name

    @property
    def display_organisation(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        if self.organisation_name:
            return self.organisation_name
        if self.user_id and self.user.organisation_id:
            return self.user.organisation.name
        return ""


class ActivityKind(models.TextChoices):
    EVENT = "event", "Event"
    ONLINE_EVENT = "online_event", "Online event"
    WORKSHOP = "workshop", "Workshop"
    ONLINE_WORKSHOP = "online_workshop", "Online workshop"
    INTERVIEW = "interview", "Interview"
    COMMUNITY_CONVERSATION = "community_conversation", "Community conversation"
    DOOR_KNOCKING = "door_knocking", "Door-knocking"
    SURVEY = "survey", "Survey"
    LEARNING_PROGRAMME = "learning_programme", "Learning programme"
    MEETING = "meeting", "Meeting"
    OTHER = "other", "Other"


class ActivityStatus(models.TextChoices):
    """Planned activities may be dated in the future; held ones may not. Only held activities
    count towards the engagement totals, the report and the evaluation metric."""

    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


DEFAULT_AUDIENCES = [
    "Residents",
    "Council staff",
    "Partners",
    "Councillors",
    "Town and parish councils",
    "Young people",
    "Older people",
    "Voluntary and community groups",
    "Businesses",
]


class Audience(TimeStampedModel):
    """Who an activity is for ("residents", "young people"): a council's own list, which starts
    with DEFAULT_AUDIENCES (created when the council first uses the list) and which its
    programme managers extend."""

    council = models.ForeignKey(
        "programmes.Council", on_delete=models.CASCADE, related_name="audiences"
    )
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["council", "order", "name"]
        constraints = [
            models.UniqueConstraint("council", Lower("name"), name="audience_name_unique_ci"),
            models.CheckConstraint(condition=~models.Q(name=""), name="audience_has_name"),
        ]

    def __str__(self):
        return self.name


COUNT_FIELDS = [
    "attendees",
    "households_approached",
    "questionnaires_completed",
    "hours_of_conversation",
    "volunteers",
]


class Activity(VersionedModel, TimeStampedModel):
    """One entry in the engagement log. Programme-level events have no groundbreaker."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="activities"
    )
    groundbreaker = models.ForeignKey(
        Groundbreaker, null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.HELD
    )
    places = models.ManyToManyField(
        "programmes.Place",
        blank=True,
        related_name="activities",
        help_text="The places it covers: the programme's council's places only",
    )
    audiences = models.ManyToManyField(Audience, blank=True, related_name="activities")
    partners = models.ManyToManyField("accounts.Organisation", blank=True, related_name="+")
    council_led = models.BooleanField(
        default=True, help_text="Council-led events count towards the evaluation metric"
    )
    attendees = models.PositiveIntegerField(null=True, blank=True)
    households_approached = models.PositiveIntegerField(null=True, blank=True)
    questionnaires_completed = models.PositiveIntegerField(null=True, blank=True)
    hours_of_conversation = models.DecimalField(
        max_digits=7, decimal_places=1, null=True, blank=True
    )
    volunteers = models.PositiveIntegerField(null=True, blank=True)
    sessions = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["programme", "-date"]),
            models.Index(fields=["groundbreaker", "-date"]),
            models.Index(fields=["programme", "status", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("date")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_of_conversation__isnull=True)
                | models.Q(hours_of_conversation__gte=0),
                name="activity_hours_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d %b %Y})"


class Tag(TimeStampedModel):
    """A free theme for learning entries ("food", "young people"). The programme's ambitions
    are linked separately (LearningEntry.ambitions)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="learning_tags"
    )
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint("programme", Lower("name"), name="learning_tag_unique_ci"),
        ]

    def __str__(self):
        return self.name


class LearningOutcome(models.TextChoices):
    WORKED = "worked", "It worked"
    PARTLY = "partly", "It partly worked"
    DID_NOT_WORK = "did_not_work", "It didn't work"
    TOO_EARLY = "too_early", "Too early to tell"


class LearningEntry(TimeStampedModel):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="learning_entries"
    )
    groundbreaker = models.ForeignKey(
        Groundbreaker,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="learning_entries",
    )
    title = models.CharField(max_length=200)
    recorded_on = models.DateField()
    what_we_tried = models.TextField()
    what_happened = models.TextField()
    what_we_would_do_differently = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=LearningOutcome.choices)
    tags = models.ManyToManyField(Tag, blank=True, related_name="entries")
    ambitions = models.ManyToManyField(
        "programmes.Ambition",
        blank=True,
        related_name="learning_entries",
        help_text="The programme's ambitions this learning is about",
    )
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-recorded_on", "-id"]
        verbose_name_plural = "learning entries"
        indexes = [models.Index(fields=["programme", "-recorded_on"])]

    def __str__(self):
        return self.title


class GroundbreakerUpdate(QuarterlyUpdate):
    """A groundbreaker's quarterly update by its lead: RAG, progress per key outcome, next steps."""

    groundbreaker = models.ForeignKey(
        Groundbreaker, on_delete=models.CASCADE, related_name="updates"
    )
    summary = models.TextField("Summary of progress", blank=True)
    next_steps = models.TextField(blank=True)
    # `version` is left out of history: save_if_unchanged saves it as an F() expression,
    # which django-simple-history cannot insert.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "version"])

    class Meta:
        ordering = ["groundbreaker", "-period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["groundbreaker", "period"], name="groundbreaker_update_once_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.groundbreaker} – {self.period}"


class OutcomeProgress(TimeStampedModel):
    update = models.ForeignKey(
        GroundbreakerUpdate, on_delete=models.CASCADE, related_name="outcome_progress"
    )
    outcome = models.ForeignKey(KeyOutcome, on_delete=models.CASCADE, related_name="progress")
    progress = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["outcome__position"]
        constraints = [
            models.UniqueConstraint(fields=["update", "outcome"], name="outcome_progress_once"),
        ]

    def __str__(self):
        return f"{self.outcome}: {self.progress[:40]}"


class UpdateReminder(TimeStampedModel):
    """One reminder email per groundbreaker per period, so the beat task is idempotent."""

    groundbreaker = models.ForeignKey(Groundbreaker, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        "programmes.ReportingPeriod", on_delete=models.CASCADE, related_name="+"
    )
    sent_to = models.EmailField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["groundbreaker", "period"], name="groundbreaker_reminder_once"
            ),
        ]
