"""The role/URL access matrix. Every URL the portal serves has one `Access` row in some
tests/<app>/access.py (or in CORE_ACCESS below); tests/test_access_matrix.py walks every row for
every role and fails when a URL has no row. The browser harness axe-checks every row's page."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from cpw.accounts.models import Role

COUNCIL_ADMIN = Role.COUNCIL_ADMIN.value
PM = Role.PROGRAMME_MANAGER.value
OFFICER = Role.OFFICER.value
STEERING = Role.STEERING_GROUP.value
COUNCILLOR = Role.COUNCILLOR.value
ASSESSOR = Role.ASSESSOR.value
PARTNER = Role.PARTNER.value
DPO = Role.DPO.value
STAFF = "staff"
ANONYMOUS = "anonymous"
# A council officer of the *other* programme: may see the portal's lists of their own programme,
# never the first programme's objects.
OUTSIDER = "outsider"

COUNCIL = frozenset({COUNCIL_ADMIN, PM, OFFICER, STEERING, COUNCILLOR, ASSESSOR, STAFF})
SIGNED_IN = COUNCIL | {PARTNER}
# A data protection officer holds their role in one council (world: the first programme's
# council; world.other: the second's) and works for no programme: signed in, they get what any
# signed-in person gets on public pages, and only their own pages besides, where a row about one
# council's record (`scoped=True`) hides the other council's from them.
EVERYONE = SIGNED_IN | {ANONYMOUS, DPO}


@dataclass(frozen=True)
class Access:
    url_name: str
    allowed: frozenset
    kwargs: Callable | None = None  # world -> URL kwargs
    method: str = "get"
    # What an allowed role gets: 200, or 302 where the page redirects by design.
    ok_status: int = 200
    anonymous_ok_status: int | None = None  # when anonymous visitors get something else
    # ... and with the other method, when that differs from what signed-in people get (a public
    # form that signed-in people are sent away from).
    anonymous_other_ok_status: int | None = None
    # What a signed-in role that is not allowed gets: 403, or 404 for object pages that hide
    # other organisations' records.
    denied_status: int = 403
    # Anonymous users: redirected to sign in unless the page is public.
    public: bool = False
    # Pages the browser harness should not axe-check (non-HTML responses, POST-only URLs).
    html: bool = True
    query: str = ""
    # Does the URL name an object that belongs to one programme (or one organisation)? Then it is
    # walked twice: with the first programme's objects and with the second's, and everyone
    # outside the object's programme or organisation gets `hidden_status`. None: not declared yet.
    scoped: bool | None = None
    hidden_status: int = 404
    # A council-only page about a programme's object: partners hold no role in any programme,
    # so (unless the row allows them) they get `hidden_status` on both programmes' objects, as
    # anyone outside the object's programme does.
    hidden_from_partners: bool = False
    # What an allowed role gets with the other method (POST for a GET page, GET for a POST-only
    # URL), and what everyone else gets (None: the same as with the page's own method).
    # None: not declared yet.
    other_ok_status: int | None = None
    other_denied_status: int | None = None
    notes: str = field(default="", compare=False)

    @property
    def other_method(self) -> str:
        return "post" if self.method == "get" else "get"


def _no_kwargs(world):
    return {}


CORE_ACCESS = [
    Access(
        "home",
        EVERYONE,
        public=True,
        ok_status=302,
        anonymous_ok_status=200,
        scoped=False,
        other_ok_status=405,
    ),
    Access("healthz", EVERYONE, public=True, html=False, scoped=False, other_ok_status=405),
    Access("accessibility", EVERYONE, public=True, scoped=False, other_ok_status=405),
    Access("privacy", EVERYONE, public=True, scoped=False, other_ok_status=405),
    Access("cookies", EVERYONE, public=True, scoped=False, other_ok_status=405),
]

APP_ACCESS_MODULES = [
    "tests.accounts.access",
    "tests.programmes.access",
    "tests.reporting.access",
    "tests.funds.access",
    "tests.groundbreakers.access",
    "tests.evaluation.access",
    "tests.privacy.access",
    "tests.api.access",  # last: it reads the other apps' objects
]


def _modules():
    for name in APP_ACCESS_MODULES:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def all_access_rows() -> list[Access]:
    rows = list(CORE_ACCESS)
    for module in _modules():
        rows.extend(module.ACCESS)
    return rows


def expected_status(row: Access, role: str, *, method: str, other_programme: bool) -> int:
    """The answer `role` must get for `row`'s URL with `method`, on the first programme's objects
    or (other_programme) on the second's."""
    own_method = method == row.method
    if role == ANONYMOUS:
        if own_method and row.anonymous_ok_status is not None:
            return row.anonymous_ok_status
        if not own_method and row.anonymous_other_ok_status is not None:
            return row.anonymous_other_ok_status
        if ANONYMOUS not in row.allowed and not row.public:
            return 302
    if role == PARTNER and row.hidden_from_partners and PARTNER not in row.allowed:
        return row.hidden_status
    if role == DPO and DPO not in row.allowed and not row.public:
        # No role in any programme: an object page hides the object (404) like it does from
        # anyone outside its programme; other pages refuse (403).
        if row.scoped or row.hidden_from_partners:
            return row.hidden_status
        return row.denied_status
    acting_as = role
    # A council admin is the programme manager of every programme of their council, unless the
    # row names council admins itself (their own set-up pages).
    if role == COUNCIL_ADMIN and COUNCIL_ADMIN not in row.allowed:
        acting_as = PM
    if role == OUTSIDER:
        if row.scoped and not other_programme:
            return row.hidden_status
        acting_as = OFFICER
    elif other_programme and row.scoped and role not in (STAFF, ANONYMOUS):
        return row.hidden_status
    if acting_as in row.allowed:
        return row.ok_status if own_method else row.other_ok_status
    if own_method or row.other_denied_status is None:
        return row.denied_status
    return row.other_denied_status


def extend_world(world) -> None:
    for module in _modules():
        hook = getattr(module, "extend_world", None)
        if hook:
            hook(world)
