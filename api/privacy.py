"""The personal data the read API holds (see cpw.core.personal_data): people's API tokens and
the log of each request made with one. Each use that hands out personal data is also in the
data protection officer's access log (cpw.privacy.services.record_access, from api.views)."""

from datetime import timedelta

from cpw.core.personal_data import Action, Basis, Rule, not_personal, register

from .models import ApiToken, ApiTokenUse

not_personal(ApiToken, "name", reason="what the token is for, as its owner named it")
register(
    ApiToken,
    people=["user"],
    owners=["user"],
    basis=Basis.PUBLIC_TASK,
    purpose="To let people read the portal's data from their own tools with a personal token",
    retention=Rule(
        "API tokens: deleted 12 months after they expire",
        Action.DELETE,
        anchor="expires_at",
        period=timedelta(days=365),
    ),
    on_erasure=Action.DELETE,
)
register(
    ApiTokenUse,
    people=["token__user"],
    owners=["token__user"],
    basis=Basis.LEGITIMATE_INTERESTS,
    purpose="To know who read what through the API, when, and how many rows",
    retention=Rule(
        "API token uses: deleted after 12 months",
        Action.DELETE,
        anchor="at",
        period=timedelta(days=365),
    ),
    on_erasure=Action.DELETE,
)
