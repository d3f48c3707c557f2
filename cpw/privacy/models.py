"""What the data protection officer needs a record of: who exported or downloaded personal
data, what retention did each night, what each erasure changed (never the erased data itself),
and the subject-access requests being built."""

from django.conf import settings
from django.db import models

from cpw.core.models import TimeStampedModel


def council_link(help_text: str, on_delete=models.SET_NULL) -> models.ForeignKey:
    """Whose (which council's) records a log entry or request is about; empty: no one
    council's, which only staff admins see."""
    return models.ForeignKey(
        "programmes.Council",
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name="+",
        help_text=help_text,
    )


class AccessKind(models.TextChoices):
    EXPORT = "export", "Export"
    DOWNLOAD = "download", "Download of a file"
    API = "api", "API token use"
    SUBJECT_ACCESS = "subject_access", "Subject access"


class AccessLogEntry(models.Model):
    """One export, download, API token use or subject-access run: who, what, when, how many
    rows, and whose (which council's) data. A council's data protection officer sees their
    council's entries."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    what = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(default=0)
    at = models.DateTimeField(db_index=True)
    council = council_link(
        "The council whose data was handed out; empty: no one council's (only staff admins see it)."
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "access log entries"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.what} ({self.rows} rows)"


class RetentionRun(models.Model):
    ran_at = models.DateTimeField()
    dry_run = models.BooleanField(default=False)

    class Meta:
        ordering = ["-ran_at", "-pk"]

    def __str__(self):
        return f"Retention run {self.ran_at:%Y-%m-%d %H:%M}"


class RetentionLogEntry(models.Model):
    """What one rule did (or, in a dry run, would do) in one run to one council's records:
    counts, never data."""

    run = models.ForeignKey(RetentionRun, on_delete=models.CASCADE, related_name="entries")
    model_label = models.CharField(max_length=100)
    rule = models.CharField(max_length=300)
    action = models.CharField(max_length=20)
    records = models.PositiveIntegerField(default=0)
    history_rows = models.PositiveIntegerField(default=0)
    council = council_link(
        "The council whose records these were; empty: records of no one council."
    )

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "retention log entries"

    def __str__(self):
        return f"{self.model_label}: {self.action} {self.records}"


class ErasureLogEntry(models.Model):
    """One erasure: who did it, when, and how many records of each kind were anonymised,
    deleted or kept. The person is named only by a pseudonym nobody can reverse."""

    subject_ref = models.CharField(max_length=20)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_at = models.DateTimeField()
    counts = models.JSONField(default=dict)
    council = council_link(
        "The council whose records were erased; empty: every council's (a staff admin's erasure)."
    )

    class Meta:
        ordering = ["-erased_at", "-pk"]
        verbose_name_plural = "erasure log entries"

    def __str__(self):
        return f"Erasure {self.subject_ref} on {self.erased_at:%Y-%m-%d}"


class AnonymisedRecord(models.Model):
    """A record retention has anonymised, so that the next night's run passes it by."""

    model_label = models.CharField(max_length=100)
    object_id = models.BigIntegerField()
    anonymised_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model_label", "object_id"], name="anonymised_record_unique"
            )
        ]

    def __str__(self):
        return f"{self.model_label} {self.object_id}"


class RequestStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Gathering records"
    SUCCEEDED = "succeeded", "Ready to download"
    FAILED = "failed", "Failed"


class SubjectAccessRequest(TimeStampedModel):
    """A subject-access request the DPO started: the ZIP of every record about one person,
    built in the background."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=150, blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="privacy/subject-access/", blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    council = council_link(
        "The council whose records the ZIP holds; empty: every council's (a staff admin's request).",
        on_delete=models.CASCADE,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Subject access request {self.pk}"
