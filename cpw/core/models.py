from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OutboundEmail(TimeStampedModel):
    """Every email the portal sends, queued in the same transaction as the change that caused it
    and sent by a Celery task. Sending is idempotent: a sent email is never sent twice."""

    # Written by the portal itself, not typed in: no limit on their length.
    unbounded_text_fields = ("body", "last_error")

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self):
        return f"{self.subject} → {self.to}"


class VersionedModel(models.Model):
    """Optimistic locking: every save through `cpw.core.concurrency.save_if_unchanged` bumps
    `version`, and a save based on an older version is refused as an edit conflict."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
