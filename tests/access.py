"""The role/URL access matrix. Every URL the portal serves has one `Access` row in some
tests/<app>/access.py (or in CORE_ACCESS below); tests/test_access_matrix.py walks every row for
every role and fails when a URL has no row. The browser harness axe-checks every row's page."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from cpw.accounts.models import Role

PM = Role.PROGRAMME_MANAGER.value
OFFICER = Role.OFFICER.value
STEERING = Role.STEERING_GROUP.value
COUNCILLOR = Role.COUNCILLOR.value
ASSESSOR = Role.ASSESSOR.value
PARTNER = Role.PARTNER.value
STAFF = "staff"
ANONYMOUS = "anonymous"

COUNCIL = frozenset({PM, OFFICER, STEERING, COUNCILLOR, ASSESSOR, STAFF})
SIGNED_IN = COUNCIL | {PARTNER}
EVERYONE = SIGNED_IN | {ANONYMOUS}


@dataclass(frozen=True)
class Access:
    url_name: str
    allowed: frozenset
    kwargs: Callable | None = None  # world -> URL kwargs
    method: str = "get"
    # What an allowed role gets: 200, or 302 where the page redirects by design.
    ok_status: int = 200
    anonymous_ok_status: int | None = None  # when anonymous visitors get something else
    # What a signed-in role that is not allowed gets: 403, or 404 for object pages that hide
    # other organisations' records.
    denied_status: int = 403
    # Anonymous users: redirected to sign in unless the page is public.
    public: bool = False
    # Pages the browser harness should not axe-check (non-HTML responses, POST-only URLs).
    html: bool = True
    query: str = ""
    notes: str = field(default="", compare=False)


def _no_kwargs(world):
    return {}


CORE_ACCESS = [
    Access("home", EVERYONE, public=True, ok_status=302, anonymous_ok_status=200),
    Access("healthz", EVERYONE, public=True, html=False),
    Access("accessibility", EVERYONE, public=True),
    Access("privacy", EVERYONE, public=True),
    Access("cookies", EVERYONE, public=True),
]

APP_ACCESS_MODULES = [
    "tests.accounts.access",
    "tests.programmes.access",
    "tests.reporting.access",
    "tests.funds.access",
    "tests.groundbreakers.access",
    "tests.evaluation.access",
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


def extend_world(world) -> None:
    for module in _modules():
        hook = getattr(module, "extend_world", None)
        if hook:
            hook(world)
