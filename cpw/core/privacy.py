"""The personal data cpw.core holds (see cpw.core.personal_data)."""

from datetime import timedelta

from django.db.models import Q

from cpw.core.models import OutboundEmail
from cpw.core.personal_data import Action, Basis, Rule, register

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
