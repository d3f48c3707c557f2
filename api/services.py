"""Every write of the API app: making and revoking tokens, and logging their use."""

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cpw.privacy.models import AccessKind
from cpw.privacy.services import record_access_by_council

from .models import ApiToken, ApiTokenUse

KEY_PREFIX = "cpw_"
MAX_DAYS = 366


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for `user`, valid for `days` days. Returns the token and its key, which is
    shown once and never stored."""
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"Enter a number of days from 1 to {MAX_DAYS}"})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_hash=hash_key(key),
        prefix=key[: len(KEY_PREFIX) + 6],
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_use_record(
    *, token: ApiToken, path: str, status: int, rows: int, personal=None
) -> None:
    """Log one use of a token (two writes: the log row and the token's last use). When the
    answer handed out personal data (`personal`: the model and the ids of the records it
    held), the data protection officers' access log records it too, per council."""
    now = timezone.now()
    ApiTokenUse.objects.create(token=token, path=path[:500], at=now, status=status, rows=rows)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    if personal is not None and status == 200:
        model, ids = personal
        if ids:
            record_access_by_council(
                user=token.user,
                what=f"API token {token.prefix}…: {path}",
                model=model,
                pks=ids,
                kind=AccessKind.API,
            )
