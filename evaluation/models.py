"""The evaluation framework: practices with I and We statements, metric tiers, metrics and their
observations, survey waves and responses, and composite indexes."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cpw.core.history import HistoricalRecords
from cpw.core.models import TimeStampedModel, VersionedModel
from programmes.models import Place, Programme, ReportingPeriod

SCORE_MIN, SCORE_MAX = 1, 5
AGREE_FROM = 4  # a score of 4 or 5 counts as agreeing


class Framework(TimeStampedModel):
    """A programme's evaluation framework (one per programme)."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="evaluation_framework"
    )
    name = models.CharField(max_length=200, default="Evaluation framework")
    high_level_metrics_max = models.PositiveSmallIntegerField(
        "maximum number of high-level metrics",
        default=10,
        validators=[MinValueValidator(1)],
        help_text="The framework warns when more metrics than this are marked high-level.",
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    def __str__(self):
        return f"{self.name} ({self.programme.short_name})"


class Practice(TimeStampedModel):
    """What the council is trying to be, for example 'Deliberative'."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="practices")
    name = models.CharField(max_length=100)
    means = models.TextField("what it means")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["framework", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="practice_name_unique")
        ]

    def __str__(self):
        return self.name


class StatementKind(models.TextChoices):
    I_STATEMENT = "i", "I statement"
    WE_STATEMENT = "we", "We statement"


class Statement(TimeStampedModel):
    """An I statement (how residents should feel if the council gets it right) or a We
    statement (what the council will do). `code` is the short column name used in survey
    exports, for example DEL-I1."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(max_length=2, choices=StatementKind.choices)
    code = models.CharField(
        max_length=20, help_text="Short column name in survey files, for example DEL-I1."
    )
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["practice__order", "kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "code"], name="statement_code_unique"),
        ]

    def __str__(self):
        return self.text


class IStatementManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=StatementKind.I_STATEMENT)


class WeStatementManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=StatementKind.WE_STATEMENT)


class IStatement(Statement):
    """How residents should feel if the council gets a practice right (citizens rate these)."""

    objects = IStatementManager()

    class Meta:
        proxy = True
        verbose_name = "I statement"

    def save(self, *args, **kwargs):
        self.kind = StatementKind.I_STATEMENT
        super().save(*args, **kwargs)


class WeStatement(Statement):
    """What the council will do (the workforce rates these)."""

    objects = WeStatementManager()

    class Meta:
        proxy = True
        verbose_name = "We statement"

    def save(self, *args, **kwargs):
        self.kind = StatementKind.WE_STATEMENT
        super().save(*args, **kwargs)


class MetricTier(TimeStampedModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["framework", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["framework", "name"], name="tier_unique")]

    def __str__(self):
        return self.name


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage (%)"
    POUNDS = "pounds", "Pounds (£)"
    SCORE = "score", "Score from 1 to 5"
    INDEX = "index", "Index"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Scale(models.TextChoices):
    POPULATION = "population", "Population"
    PROGRAMME = "programme", "Programme"
    PROJECT = "project", "Groundbreaker or project"


class Source(models.TextChoices):
    SURVEY = "survey", "Survey"
    MANUAL = "manual", "Entered by an officer"
    IMPORT = "import", "Imported from a file"
    DERIVED = "derived", "Calculated from portal data"


class Cadence(models.TextChoices):
    QUARTERLY = "quarterly", "Every quarter"
    SIX_MONTHLY = "six_monthly", "Every six months"
    ANNUAL = "annual", "Every year"
    PROJECT = "project", "At the start and end of the project"


class Metric(VersionedModel, TimeStampedModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="metrics")
    tier = models.ForeignKey(MetricTier, on_delete=models.PROTECT, related_name="metrics")
    name = models.CharField(max_length=200)
    definition = models.TextField()
    unit = models.CharField(max_length=10, choices=Unit.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    scale = models.CharField(max_length=12, choices=Scale.choices, default=Scale.PROGRAMME)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    derived_key = models.CharField(
        "calculation",
        max_length=60,
        blank=True,
        help_text="For metrics calculated from portal data: which calculation.",
    )
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.QUARTERLY)
    baseline_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    target = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    rag_green_from = models.DecimalField(
        "green from (% of the way from baseline to target)",
        max_digits=5,
        decimal_places=1,
        default=100,
    )
    rag_amber_from = models.DecimalField(
        "amber from (% of the way from baseline to target)",
        max_digits=5,
        decimal_places=1,
        default=50,
    )
    is_high_level = models.BooleanField("high-level metric", default=False)
    practices = models.ManyToManyField(Practice, blank=True, related_name="metrics")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["framework", "tier__order", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="metric_name_unique"),
            models.CheckConstraint(
                condition=~models.Q(source="derived") | ~models.Q(derived_key=""),
                name="derived_metric_has_calculation",
                violation_error_message="Choose the calculation for a metric calculated from "
                "portal data",
            ),
            models.CheckConstraint(
                condition=models.Q(rag_amber_from__lte=models.F("rag_green_from")),
                name="metric_amber_below_green",
                violation_error_message="Amber must start at or below green",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def programme_id(self) -> int:
        """The framework's programme, for the access rules (the selectors load the framework)."""
        return self.framework.programme_id


class Observation(TimeStampedModel):
    """A metric's value for one reporting period, for the whole programme or one place."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="observations")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(max_digits=16, decimal_places=4)
    source = models.CharField(max_length=10, choices=Source.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["metric", "period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "period", "place"], name="observation_unique_per_place"
            ),
            models.UniqueConstraint(
                fields=["metric", "period"],
                condition=models.Q(place__isnull=True),
                name="observation_unique_whole_programme",
            ),
        ]
        indexes = [models.Index(fields=["metric", "place", "period"])]

    def __str__(self):
        return f"{self.metric} {self.period}: {self.value}"


class Audience(models.TextChoices):
    CITIZENS = "citizens", "Residents (rate I statements)"
    WORKFORCE = "workforce", "Council workforce (rate We statements)"


AUDIENCE_STATEMENT_KIND = {
    Audience.CITIZENS: StatementKind.I_STATEMENT,
    Audience.WORKFORCE: StatementKind.WE_STATEMENT,
}


class SurveyWave(TimeStampedModel):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(max_length=200)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    opens = models.DateField()
    closes = models.DateField()
    statements = models.ManyToManyField(Statement, related_name="waves")
    # Kept by the survey services with the wave's stored aggregates (SurveyAggregate), so no page
    # counts the responses: responses in the wave, and when its aggregates were last brought up
    # to date (null: never, and the results page recomputes them once).
    response_count = models.PositiveIntegerField(default=0, editable=False)
    aggregated_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=["created_at", "updated_at", "response_count", "aggregated_at"]
    )

    class Meta:
        ordering = ["framework", "-opens"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="wave_name_unique"),
            models.CheckConstraint(
                condition=models.Q(closes__gte=models.F("opens")), name="wave_closes_after_opens"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def programme_id(self) -> int:
        """The framework's programme, for the access rules (the selectors load the framework)."""
        return self.framework.programme_id


class AgeBand(models.TextChoices):
    UNDER_25 = "16-24", "16 to 24"
    FROM_25 = "25-44", "25 to 44"
    FROM_45 = "45-64", "45 to 64"
    OVER_65 = "65+", "65 and over"


class ResponseSource(models.TextChoices):
    PANEL = "panel", "Residents' panel import"
    LINK = "link", "Survey link"


class SurveyLink(TimeStampedModel):
    """A public link to a wave's survey; each link takes one response."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Link for {self.wave}"


class SurveyResponse(TimeStampedModel):
    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="responses")
    source = models.CharField(max_length=10, choices=ResponseSource.choices)
    link = models.OneToOneField(
        SurveyLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    respondent_ref = models.CharField("respondent reference", max_length=60, blank=True)
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)

    class Meta:
        indexes = [models.Index(fields=["wave", "place"])]

    def __str__(self):
        return f"Response {self.pk} to {self.wave}"


class SurveyScore(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="scores")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "statement"], name="score_unique"),
            models.CheckConstraint(
                condition=models.Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="score_from_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.statement_id}: {self.score}"


class AggregateKind(models.TextChoices):
    STATEMENT = "statement", "Statement"
    PRACTICE = "practice", "Practice"


class SurveyAggregate(models.Model):
    """A wave's stored result for one statement or practice and one group of respondents:
    everyone (dimension ""), or one place or age band (group "" = not stated). Kept up to date by
    the survey services as responses are imported, submitted or removed (evaluation/aggregates.py)
    so the results page never scans the wave's scores. Figures are stored whole; small groups are
    suppressed when they are read."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="aggregates")
    kind = models.CharField(max_length=10, choices=AggregateKind.choices)
    key_id = models.PositiveIntegerField()  # the statement's or practice's id
    dimension = models.CharField(max_length=10, blank=True)  # "", "place" or "age_band"
    group = models.CharField(max_length=20, blank=True)  # the place's id or the age band
    n = models.PositiveIntegerField(default=0)  # respondents
    total = models.PositiveIntegerField(default=0)  # sum of scores
    agree = models.PositiveIntegerField(default=0)  # ratings of 4 or 5
    ratings = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "kind", "key_id", "dimension", "group"],
                name="survey_aggregate_unique",
            )
        ]

    def __str__(self):
        return f"{self.wave_id} {self.kind} {self.key_id} {self.dimension}={self.group}: {self.n}"


class CompositeIndex(TimeStampedModel):
    """A weighted index of metrics, each normalised to its baseline (baseline = 100)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indexes")
    tier = models.ForeignKey(
        MetricTier, null=True, blank=True, on_delete=models.SET_NULL, related_name="indexes"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["framework", "name"]
        verbose_name_plural = "composite indexes"
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="index_name_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def programme_id(self) -> int:
        """The framework's programme, for the access rules (the selectors load the framework)."""
        return self.framework.programme_id


class IndexComponent(TimeStampedModel):
    index = models.ForeignKey(CompositeIndex, on_delete=models.CASCADE, related_name="components")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(max_digits=6, decimal_places=3, validators=[MinValueValidator(0)])
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["index", "id"]
        constraints = [
            models.UniqueConstraint(fields=["index", "metric"], name="index_component_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="weight_not_negative"),
        ]

    def __str__(self):
        return f"{self.metric} × {self.weight}"
