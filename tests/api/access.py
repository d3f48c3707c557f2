"""The read API and the token pages in the access matrix. Lists answer 200 to everyone signed in
(their rows are scoped: tests/api/test_api_access.py checks which rows each role gets, with
tokens); one object answers 200 to those who see it on the pages and 404 to everyone else.
Without a token or a session, the API answers 401, except for what programmes publish openly."""

from programmes.models import Risk
from tests.access import (
    ANONYMOUS,
    COUNCIL,
    DPO,
    EVERYONE,
    PARTNER,
    PM,
    SIGNED_IN,
    STAFF,
    STEERING,
    Access,
)

READERS = frozenset({STEERING, PM, STAFF})
# Everyone with an account, a data protection officer too: lists are scoped to what each sees.
ANY_ACCOUNT = SIGNED_IN | {DPO}
WITH_PARTNER = COUNCIL | {PARTNER}


def extend_world(world):
    from api.services import api_token_create

    world.api_risk = Risk.objects.create(
        commitment=world.commitment, description="Volunteers drift away", likelihood=3, impact=4
    )
    world.api_observation = world.evaluation_metric.observations.order_by("id").first()
    # A partner's own token, for the revoke page (only its owner may know it exists).
    world.api_token, _ = api_token_create(user=world.users[PARTNER], name="Dashboard", days=30)


# basename, who sees one object, the object, public (served without a token where the
# programme publishes open data)
RESOURCES = [
    ("programme", COUNCIL, lambda w: w.programme, False),
    ("phase", COUNCIL, lambda w: w.phase, False),
    ("ambition", COUNCIL, lambda w: w.ambition, False),
    ("plan-group", COUNCIL, lambda w: w.commitment.group, False),
    ("reporting-period", COUNCIL, lambda w: w.period, False),
    ("commitment", COUNCIL, lambda w: w.commitment, False),
    ("quarterly-update", COUNCIL, lambda w: w.commitment_update, False),
    ("risk", COUNCIL, lambda w: w.api_risk, False),
    ("groundbreaker", COUNCIL, lambda w: w.groundbreaker, False),
    ("activity", COUNCIL, lambda w: w.activity, False),
    ("fund", WITH_PARTNER, lambda w: w.funds.fund, False),
    ("round", WITH_PARTNER, lambda w: w.funds.round, False),
    ("grant", WITH_PARTNER, lambda w: w.funds.award, True),
    ("metric", COUNCIL, lambda w: w.evaluation_metric, False),
    ("observation", COUNCIL, lambda w: w.api_observation, False),
    ("index", COUNCIL, lambda w: w.evaluation_index, False),
    ("report", READERS, lambda w: w.published_report, True),
]
# Actions on one object: url name, who, the object (all public where the programme is open)
ACTIONS = [
    ("api:fund-open-data", WITH_PARTNER, lambda w: w.funds.fund),
    ("api:report-pdf", READERS, lambda w: w.published_report),
    ("api:report-xlsx", READERS, lambda w: w.published_report),
]


def _pk(getter):
    return lambda w: {"pk": getter(w).pk}


def _list_row(basename, public):
    if public:
        return Access(
            f"api:{basename}-list",
            EVERYONE,
            public=True,
            html=False,
            scoped=False,
            other_ok_status=405,
        )
    return Access(
        f"api:{basename}-list",
        ANY_ACCOUNT,
        html=False,
        scoped=False,
        anonymous_ok_status=401,
        anonymous_other_ok_status=401,
        other_ok_status=405,
    )


def _object_row(url_name, allowed, getter, public):
    return Access(
        url_name,
        allowed,
        kwargs=_pk(getter),
        html=False,
        scoped=True,
        hidden_from_partners=PARTNER not in allowed,
        denied_status=404,
        # Without a token: 401, or for what may be public, 404 (the programme does not publish).
        anonymous_ok_status=404 if public else 401,
        anonymous_other_ok_status=404 if public else 401,
        other_ok_status=405,
    )


ACCESS = [
    *[_list_row(basename, public) for basename, _, _, public in RESOURCES],
    *[
        _object_row(f"api:{basename}-detail", allowed, getter, public)
        for basename, allowed, getter, public in RESOURCES
    ],
    *[_object_row(name, allowed, getter, True) for name, allowed, getter in ACTIONS],
    Access("api:schema", EVERYONE, public=True, html=False, scoped=False, other_ok_status=405),
    Access(
        "api:docs",
        EVERYONE,
        public=True,
        html=False,
        scoped=False,
        other_ok_status=405,
        notes="Swagger UI, not a GOV.UK page: the browser harness does not axe-check it",
    ),
    Access("api:tokens", ANY_ACCOUNT, scoped=False, other_ok_status=405),
    Access("api:token-create", ANY_ACCOUNT, scoped=False, other_ok_status=200),
    Access(
        "api:token-revoke",
        frozenset({PARTNER}),
        kwargs=lambda w: {"pk": w.api_token.pk},
        scoped=False,
        denied_status=404,
        other_ok_status=302,
        notes="Only the token's owner may know it exists",
    ),
]

assert ANONYMOUS not in SIGNED_IN
