"""Slowing down guessing without letting anyone lock anyone else out.

Wrong passwords are counted per (email address, IP address) pair (django-axes records them in
AccessAttempt; its own hard lock is switched off). The first AXES_FAILURE_LIMIT wrong passwords
cost nothing; after that, that pair must wait before its next try, the wait doubling with each
further failure (SIGN_IN_FIRST_WAIT, 2x, 4x ... up to SIGN_IN_LONGEST_WAIT). Somebody guessing
from another address, or guessing at an address with no account, slows down only themselves:
the real owner signs in from their own address as usual. Failures are forgotten
AXES_COOLOFF_TIME after the last one, and a correct password clears that pair's count.

Registration and password-reset requests are counted per IP address in the cache
(`rate_limit_hit`)."""

import math
from datetime import timedelta

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Sum
from django.utils import timezone

from .validators import normalise_email


def _lockout_email(typed) -> str | None:
    """The address failures count against: normalised, and None for what cannot be an email
    address at all (nothing, or a NUL character, which no database column may hold)."""
    email = normalise_email(typed)
    if not email or "\x00" in email:
        return None
    return email


def username_for_lockout(request, credentials) -> str | None:
    """Failed sign-ins count against the address whatever the case or spaces of the typing."""
    return _lockout_email((credentials or {}).get("username") or request.POST.get("username"))


def client_ip(request) -> str:
    return get_client_ip_address(request) or ""


def wait_after(failures: int) -> timedelta:
    """How long a pair must wait after this many wrong passwords in a row."""
    free = settings.AXES_FAILURE_LIMIT
    if failures < free:
        return timedelta(0)
    first: timedelta = settings.SIGN_IN_FIRST_WAIT
    longest: timedelta = settings.SIGN_IN_LONGEST_WAIT
    doublings = failures - free
    if doublings > math.log2(longest / first):
        return longest
    return min(first * (2**doublings), longest)


def sign_in_wait(*, email: str, ip_address: str) -> timedelta:
    """Time left before this address may try a password for this email again (0: now)."""
    email = _lockout_email(email)
    if not email:
        return timedelta(0)
    now = timezone.now()
    recent = AccessAttempt.objects.filter(
        username=email,
        ip_address=ip_address or None,
        attempt_time__gte=now - settings.AXES_COOLOFF_TIME,
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    if not recent["failures"]:
        return timedelta(0)
    remaining = recent["last"] + wait_after(recent["failures"]) - now
    return max(remaining, timedelta(0))


def rate_limit_hit(*, action: str, key: str, limit: int, period: timedelta) -> bool:
    """Count one use of `action` by `key` (an IP address); True once `limit` uses within
    `period` have already been made, so this one is refused (and not counted)."""
    cache_key = f"cpw:rate:{action}:{key}"
    seconds = int(period.total_seconds())
    cache.add(cache_key, 0, timeout=seconds)
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=seconds)
        used = 1
    if used > limit:
        cache.decr(cache_key)
        return True
    return False


def describe_wait(wait: timedelta) -> str:
    """'1 minute', '8 minutes', '45 seconds'."""
    seconds = math.ceil(wait.total_seconds())
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
