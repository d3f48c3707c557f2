from django.db import models

from cpw.core.models import TimeStampedModel


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Compiled, not published"
    PUBLISHED = "published", "Published"


class QuarterlyReport(TimeStampedModel):
    """One compiled version of a programme's report for a period. Everything a reader sees is
    stored here (snapshot, PDF, XLSX) in the same transaction, so a version is complete or
    absent, and never changes after it is written except to be published."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    period = models.ForeignKey(
        "programmes.ReportingPeriod", on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    snapshot = models.JSONField()
    snapshot_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    xlsx = models.BinaryField()
    data_as_of = models.DateTimeField()
    compiled_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publish_reason = models.TextField(
        blank=True, help_text="Why it was published with updates missing"
    )

    class Meta:
        ordering = ["programme", "-period__start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period", "version"], name="report_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="published_report_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.programme.short_name} {self.period.label} report, version {self.version}"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Compiling"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


ACTIVE_JOB_STATUSES = [JobStatus.QUEUED, JobStatus.RUNNING]


class ReportCompileJob(TimeStampedModel):
    """A request to compile a report, and its progress. At most one is active per programme and
    period, so two clicks on "Compile now" give one job."""

    # Written by the portal itself, not typed in: no limit on their length.
    unbounded_text_fields = ("error",)

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="report_jobs"
    )
    period = models.ForeignKey(
        "programmes.ReportingPeriod", on_delete=models.CASCADE, related_name="report_jobs"
    )
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    trigger = models.CharField(max_length=20, default="manual")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requeues = models.PositiveSmallIntegerField(
        default=0, help_text="Times the stuck-jobs sweep queued it again"
    )
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When the current (latest) attempt started"
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.OneToOneField(
        QuarterlyReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="job"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_compile_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="progress_is_a_percentage"
            ),
        ]

    def __str__(self):
        return (
            f"Compile {self.programme.short_name} {self.period.label} ({self.get_status_display()})"
        )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_JOB_STATUSES
