from programmes.services import reporting_periods_ensure
from tests.access import COUNCIL, OFFICER, PM, STAFF, Access
from tests.accounts.factories import user_with_role

from .factories import ActivityFactory, GroundbreakerFactory, KeyOutcomeFactory


def extend_world(world):
    """A live groundbreaker of the world's programme led by its officer, with outcomes, the
    world's partner organisation as a partner (which shows its members nothing) and one
    activity, linked to the world's delivery-plan commitment and grant; and a second officer in
    the same programme who does not lead it. Both programmes' groundbreakers have the same slug,
    so a URL naming one programme with the other's groundbreaker must fail."""
    officer = world.users[OFFICER]
    gb = GroundbreakerFactory(
        programme=world.programme,
        name="Community Supermarkets",
        slug="community-supermarkets",
        lead_officer=officer,
        live=True,
    )
    gb.partners.add(world.partner_organisation)
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
MANAGERS = frozenset({PM, STAFF})  # and council admins, who manage every programme of theirs


def _page(url_name, allowed, **kwargs):
    """A read-only page about one programme's groundbreakers: 405 to a POST. Partners hold no
    role in any programme, so they get 404 like anyone outside it."""
    return Access(
        url_name,
        allowed,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
        **kwargs,
    )


def _form(url_name, allowed, **kwargs):
    """A form about one programme's groundbreakers: an empty POST shows the form again with
    its errors."""
    return Access(
        url_name,
        allowed,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
        **kwargs,
    )


# Every page but the index names one programme (or a groundbreaker or activity of it): the
# other programme's council users and every partner get 404; council users of the programme
# who may read but not act get 403.
ACCESS = [
    Access("groundbreakers:index", COUNCIL, scoped=False, other_ok_status=405),
    Access(
        "groundbreakers:index",
        COUNCIL,
        query="?status=live&lead_service_area=Comm",
        scoped=False,
        other_ok_status=405,
    ),
    _page("groundbreakers:detail", COUNCIL, kwargs=_gb),
    _form("groundbreakers:add", frozenset({PM, STAFF}), kwargs=_p),
    _form("groundbreakers:change", LEAD_OR_MANAGER, kwargs=_gb),
    _form("groundbreakers:status", LEAD_OR_MANAGER, kwargs=_gb),
    _form("groundbreakers:outcomes", LEAD_OR_MANAGER, kwargs=_gb),
    _form("groundbreakers:member-add", LEAD_OR_MANAGER, kwargs=_gb),
    _form("groundbreakers:update", LEAD_OR_MANAGER, kwargs=_update),
    _page("groundbreakers:totals", COUNCIL, kwargs=_p),
    _form("groundbreakers:activity-add", RECORDERS, kwargs=_p),
    _form(
        "groundbreakers:activity-add",
        RECORDERS,
        kwargs=_p,
        query="?groundbreaker=community-supermarkets",
    ),
    _form(
        "groundbreakers:activity-change",
        RECORDERS,
        kwargs=lambda w: {**_p(w), "pk": w.activity.pk},
    ),
    _form("groundbreakers:activity-import", MANAGERS, kwargs=_p),
    _page("groundbreakers:activity-import-template", MANAGERS, kwargs=_p, html=False),
    _form("groundbreakers:audiences", MANAGERS, kwargs=_p),
    _page("groundbreakers:activity-export-csv", COUNCIL, kwargs=_p, html=False),
    _page("groundbreakers:activity-export-xlsx", COUNCIL, kwargs=_p, html=False),
    _page("groundbreakers:learning", COUNCIL, kwargs=_p),
    _page("groundbreakers:learning", COUNCIL, kwargs=_p, query="?q=market&outcome=worked"),
    _form("groundbreakers:learning-add", RECORDERS, kwargs=_p),
    _page("groundbreakers:updates", COUNCIL, kwargs=_p),
    _page("groundbreakers:updates", COUNCIL, kwargs=_p, query="?period=2024-q1"),
]
