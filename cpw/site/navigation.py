"""Role-aware primary navigation. Each app adds its own sections here as it is built."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import get_script_prefix, get_urlconf, reverse

from cpw.accounts.rules import permission_map
from programmes.selectors import councillor_place_label, groundbreaker_label_for_page


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None  # None: shown to everyone signed in
    # The paths this item's section covers, as regular expressions matched at the start of the
    # path; the item whose pattern matches the longest part of the path is the active one, so
    # /programmes/cpw/plan/ is "Delivery plan", not "Programmes".
    sections: tuple[str, ...] = ()
    # The label for this user, when it depends on who they are (None: `label`): called with
    # the user and the request's permission map.
    label_for: Callable | None = None
    # Not shown to users who have this permission (another item serves them).
    hidden_with: str | None = None

    @property
    def url(self) -> str:
        return _url(self.url_name)


_URLS: dict[tuple, str] = {}


def _url(url_name: str) -> str:
    """The item's address, reversed once per process (and script prefix), not on every page."""
    key = (get_script_prefix(), get_urlconf(), url_name)
    if key not in _URLS:
        _URLS[key] = reverse(url_name)
    return _URLS[key]


SLUG = r"[^/]+"

COUNCIL_NAVIGATION = [
    NavItem("Overview", "programmes:overview", "portal.view_programme_overview", ("/overview/",)),
    # Managers reach My work from the overview: their navigation must fit on one line.
    NavItem(
        "My work",
        "programmes:my-work",
        "portal.view_my_work",
        ("/my-work/",),
        hidden_with="portal.view_programme_overview",
    ),
    NavItem(
        "Delivery plan",
        "programmes:plan-home",
        "programmes.view_delivery_plan",
        ("/delivery-plan/", rf"/programmes/{SLUG}/plan/", "/commitments/"),
    ),
    NavItem(
        "Steering group",
        "reports:steering",
        "portal.view_steering_dashboard",
        ("/steering/",),
        hidden_with="portal.view_programme_overview",
    ),
    NavItem(
        "Reports",
        "reports:index",
        "portal.view_steering_dashboard",
        ("/reports/", rf"/programmes/{SLUG}/reports/", rf"/programmes/{SLUG}/periods/"),
    ),
    NavItem(
        "My division",
        "division",
        "portal.view_division",
        ("/division/",),
        # "My ward" for councillors of councils elected by ward (unitary, district...)
        label_for=lambda user, allowed: f"My {councillor_place_label(user)}",
    ),
    NavItem(
        "Groundbreakers",
        "groundbreakers:index",
        "groundbreakers.view_groundbreakers",
        ("/groundbreakers/",),
    ),
    NavItem("Evaluation", "evaluation:home", "evaluation.view_evaluation", ("/evaluation/",)),
    NavItem("Member fund", "funds:member-pot", "portal.view_division", ("/member-fund/",)),
    NavItem("Funds", "funds:manage", "funds.view_applications", ("/manage/",)),
    NavItem("Assessments", "funds:assessments", "portal.view_assessments", ("/assessments/",)),
    # Programmes, people and councils: "Admin" for those who set them up.
    NavItem(
        "Programmes",
        "programmes:programme-list",
        "portal.view_programme",
        ("/programmes/", "/people/", "/councils/"),
        label_for=lambda user, allowed: (
            "Admin" if allowed["accounts.invite_user"] else "Programmes"
        ),
    ),
    NavItem("Data protection", "privacy:register", "privacy.manage", ("/data-protection/",)),
]

PARTNER_NAVIGATION = [
    NavItem(
        "Your organisation",
        "accounts:organisation",
        "portal.view_organisation",
        ("/organisation/",),
    ),
    NavItem(
        "Applications", "funds:my-applications", "funds.view_own_applications", ("/applications/",)
    ),
    NavItem("Grants", "funds:my-grants", "funds.view_own_grants", ("/grants/",)),
    NavItem("Funds", "funds:fund-list", "funds.apply", ("/funds/",)),
]


NAV_PERMISSIONS = tuple(
    dict.fromkeys(
        [
            *(
                p
                for i in COUNCIL_NAVIGATION + PARTNER_NAVIGATION
                for p in (i.permission, i.hidden_with)
                if p
            ),
            "accounts.invite_user",  # the "Admin" label
        ]
    )
)


def _match_length(item: NavItem, path: str) -> int:
    """How much of the path the item's section covers (0: none)."""
    best = 0
    for pattern in item.sections or (re.escape(item.url),):
        match = re.match(pattern, path)
        if match:
            best = max(best, match.end())
    return best


def navigation_for(user, current_path: str, request=None) -> list[dict]:
    """The primary navigation for this user: which sections they may see comes from one
    permission map worked out once per request (cpw.accounts.rules.permission_map)."""
    if not user.is_authenticated:
        return []
    allowed = permission_map(user, NAV_PERMISSIONS + HOME_PERMISSIONS)
    shown = [
        item
        for item in COUNCIL_NAVIGATION + PARTNER_NAVIGATION
        if (item.permission is None or allowed[item.permission])
        and not (item.hidden_with and allowed[item.hidden_with])
    ]
    matches = [_match_length(item, current_path) for item in shown]
    active = matches.index(max(matches)) if matches and max(matches) else None
    items = []
    for index, item in enumerate(shown):
        label = item.label_for(user, allowed) if item.label_for else item.label
        if item.url_name == "groundbreakers:index" and request is not None:
            # The programme's own word: Pilots, Pathfinders...
            label = groundbreaker_label_for_page(request)
        items.append({"label": label, "url": item.url, "active": index == active})
    return items


HOME_ORDER = [
    ("portal.view_programme_overview", "programmes:overview"),
    ("portal.view_my_work", "programmes:my-work"),
    ("portal.view_steering_dashboard", "reports:steering"),
    ("portal.view_division", "division"),
    ("portal.view_assessments", "funds:assessments"),
    # A partner starts with what they need to do: drafts and their closing dates, monitoring
    # reports due, then their applications.
    ("funds.view_own_applications", "funds:my-applications"),
    ("portal.view_organisation", "accounts:organisation"),
    ("privacy.manage", "privacy:register"),
]


HOME_PERMISSIONS = tuple(permission for permission, _ in HOME_ORDER)


def home_url_for(user) -> str | None:
    """The first screen for this user's most senior role, or None if they hold no role."""
    allowed = permission_map(user, NAV_PERMISSIONS + HOME_PERMISSIONS)
    for permission, url_name in HOME_ORDER:
        if allowed[permission]:
            return _url(url_name)
    if user.is_staff:
        return reverse("admin:index")
    return None
