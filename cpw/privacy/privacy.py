"""The personal data the privacy app itself holds (see cpw.core.personal_data)."""

from datetime import timedelta

from cpw.core.personal_data import Action, Basis, Rule, register

from .models import AccessLogEntry, ErasureLogEntry, SubjectAccessRequest

register(
    AccessLogEntry,
    basis=Basis.LEGAL_OBLIGATION,
    purpose="To know who exported or downloaded personal data (UK GDPR article 5(2))",
    retention=Rule(
        "Access log: deleted after 2 years",
        Action.DELETE,
        anchor="at",
        period=timedelta(days=730),
    ),
    on_erasure=Action.KEEP,
    keep_reason="The access log is how the council accounts for its use of personal data",
)
register(
    ErasureLogEntry,
    basis=Basis.LEGAL_OBLIGATION,
    purpose="To show which erasure requests were carried out, without the erased data",
    retention=Rule("Erasure log: kept for 6 years"),
    on_erasure=Action.KEEP,
    keep_reason="The erasure log holds no personal data, only counts",
)
register(
    SubjectAccessRequest,
    fields=["email", "name", "file"],
    basis=Basis.LEGAL_OBLIGATION,
    purpose="To answer subject access requests (UK GDPR article 15)",
    retention=Rule(
        "Subject access exports: deleted 3 months after the request",
        Action.DELETE,
        anchor="created_at",
        period=timedelta(days=91),
    ),
    emails=["email"],
    on_erasure=Action.DELETE,
)
