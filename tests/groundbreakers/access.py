from programmes.services import reporting_periods_ensure
from tests.access import COUNCIL, OFFICER, PM, STAFF, Access
from tests.accounts.factories import user_with_role

from .factories import ActivityFactory, GroundbreakerFactory, KeyOutcomeFactory


def extend_world(world):
    """A live groundbreaker led by the world's officer, with outcomes and one activity, linked
    to the world's delivery-plan commitment, and a second officer in the same programme who does
    not lead it."""
    officer = world.users[OFFICER]
    gb = GroundbreakerFactory(
        programme=world.programme,
        name="Community Supermarkets",
        slug="community-supermarkets",
        lead_officer=officer,
        live=True,
    )
    for position in (1, 2, 3):
        KeyOutcomeFactory(groundbreaker=gb, position=position)
    world.activity = ActivityFactory(programme=world.programme, groundbreaker=gb)
    world.groundbreaker = gb
    if hasattr(world, "commitment"):  # the programmes app's commitment, which it advances
        gb.commitments.add(world.commitment)
    if hasattr(world, "funds"):  # the funds app's grant, which funds it (both pages show it)
        gb.grants.add(world.funds.award)
    world.periods = reporting_periods_ensure(
        programme=world.programme, first="2024-Q1", last="2024-Q2"
    )
    world.other_officer = user_with_role(OFFICER, world.programme)


def _gb(world):
    return {"programme": world.programme.slug, "slug": world.groundbreaker.slug}


def _p(world):
    return {"programme": world.programme.slug}


def _update(world):
    return {**_gb(world), "period": world.periods[0].label}


LEAD_OR_MANAGER = frozenset({OFFICER, PM, STAFF})  # the world's officer leads the groundbreaker
RECORDERS = frozenset({OFFICER, PM, STAFF})

ACCESS = [
    Access("groundbreakers:index", COUNCIL),
    Access("groundbreakers:index", COUNCIL, query="?status=live&lead_service_area=Comm"),
    Access("groundbreakers:detail", COUNCIL, kwargs=_gb),
    Access("groundbreakers:add", frozenset({PM, STAFF}), kwargs=_p),
    Access("groundbreakers:change", LEAD_OR_MANAGER, kwargs=_gb),
    Access("groundbreakers:status", LEAD_OR_MANAGER, kwargs=_gb),
    Access("groundbreakers:outcomes", LEAD_OR_MANAGER, kwargs=_gb),
    Access("groundbreakers:member-add", LEAD_OR_MANAGER, kwargs=_gb),
    Access("groundbreakers:update", LEAD_OR_MANAGER, kwargs=_update),
    Access("groundbreakers:totals", COUNCIL, kwargs=_p),
    Access("groundbreakers:activity-add", RECORDERS, kwargs=_p),
    Access(
        "groundbreakers:activity-add",
        RECORDERS,
        kwargs=_p,
        query="?groundbreaker=community-supermarkets",
    ),
    Access(
        "groundbreakers:activity-change",
        RECORDERS,
        kwargs=lambda w: {**_p(w), "pk": w.activity.pk},
    ),
    Access("groundbreakers:activity-export-csv", COUNCIL, kwargs=_p, html=False),
    Access("groundbreakers:activity-export-xlsx", COUNCIL, kwargs=_p, html=False),
    Access("groundbreakers:learning", COUNCIL, kwargs=_p),
    Access("groundbreakers:learning", COUNCIL, kwargs=_p, query="?q=market&outcome=worked"),
    Access("groundbreakers:learning-add", RECORDERS, kwargs=_p),
    Access("groundbreakers:updates", COUNCIL, kwargs=_p),
    Access("groundbreakers:updates", COUNCIL, kwargs=_p, query="?period=2024-q1"),
]
