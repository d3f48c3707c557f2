"""The personal data cpw.core holds (see cpw.core.personal_data), and that of the framework's
own tables every app relies on: signed-in sessions, the admin site's change log, and the
schedules of background work (django-celery-beat)."""

from datetime import timedelta

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db.models import Q
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    PeriodicTasks,
    SolarSchedule,
)

from cpw.core.models import OutboundEmail
from cpw.core.personal_data import Action, Basis, Rule, register, system

register(
    OutboundEmail,
    fields=["to", "body"],
    basis=Basis.PUBLIC_TASK,
    purpose="To send the emails the programme's work needs (invitations, reminders, decisions)",
    retention=Rule(
        "Emails sent: deleted 2 years after they were sent",
        Action.DELETE,
        anchor="sent_at",
        period=timedelta(days=730),
        where=Q(sent_at__isnull=False),
    ),
    on_erasure=Action.DELETE,
)

# A session holds, encoded, the id of the account signed in with it. It cannot be searched by
# person; erasing someone closes their account, which ends its sessions (the session keeps a
# hash of the password, which erasure makes unusable).
register(
    Session,
    fields=["session_data"],
    people=[],
    basis=Basis.LEGITIMATE_INTERESTS,
    purpose="To keep people signed in between pages",
    retention=Rule(
        "Signed-in sessions: deleted once they expire (2 weeks without use at most)",
        Action.DELETE,
        anchor="expire_date",
        period=timedelta(0),
    ),
    on_erasure=Action.DELETE,
)
# The admin site's own log of what staff admins changed there: who, which record (its name, a
# person's name for an account) and what changed.
register(
    LogEntry,
    fields=["object_repr", "change_message"],
    people=["user"],
    names=["object_repr"],
    basis=Basis.LEGITIMATE_INTERESTS,
    purpose="To know which staff admin changed what in the admin site",
    retention=Rule(
        "Admin site change log: deleted after 2 years",
        Action.DELETE,
        anchor="action_time",
        period=timedelta(days=730),
    ),
)

SCHEDULES = "the schedules of the portal's background work (django-celery-beat), about no one"
for model in (
    PeriodicTask,
    PeriodicTasks,
    IntervalSchedule,
    CrontabSchedule,
    SolarSchedule,
    ClockedSchedule,
):
    system(model, reason=SCHEDULES)
system(Permission, reason="Django's list of permissions (the portal grants none through it)")
system(Group, reason="Django's permission groups (the portal uses roles, not groups)")
system(ContentType, reason="Django's list of the portal's kinds of record")
