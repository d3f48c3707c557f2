"""Personal API tokens and the log of their use. A token is shown once, when it is made; only
its SHA-256 digest is kept, with a short prefix to tell tokens apart on the tokens page."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from cpw.core.models import TimeStampedModel


class ApiToken(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Active"


class ApiTokenUse(models.Model):
    """One request made with a token: which, where, when and how many rows it answered."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses")
    path = models.CharField(max_length=500)
    at = models.DateTimeField(default=timezone.now)
    status = models.PositiveSmallIntegerField()
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["token", "at"])]

    def __str__(self):
        return f"{self.token_id} {self.path} {self.at:%Y-%m-%d %H:%M}"
