"""Role-aware primary navigation. Each app adds its own sections here as it is built."""

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
    section_prefix: str = ""
    # The label for this user, when it depends on who they are (None: `label`).
    label_for: Callable | None = None

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


COUNCIL_NAVIGATION = [
    NavItem("Overview", "programmes:overview", "portal.view_programme_overview", "/overview/"),
    NavItem("My work", "programmes:my-work", "portal.view_my_work", "/my-work/"),
    NavItem(
        "Delivery plan",
        "programmes:plan-home",
        "programmes.view_delivery_plan",
        "/delivery-plan/",
    ),
    NavItem("Steering group", "reports:steering", "portal.view_steering_dashboard", "/steering/"),
    NavItem(
        "My division",
        "programmes:division",
        "portal.view_division",
        "/division/",
        # "My ward" for councillors of councils elected by ward (unitary, district...)
        label_for=lambda user: f"My {councillor_place_label(user)}",
    ),
    NavItem("Programmes", "programmes:programme-list", "portal.view_programme", "/programmes/"),
    NavItem(
        "Groundbreakers",
        "groundbreakers:index",
        "groundbreakers.view_groundbreakers",
        "/groundbreakers/",
    ),
    NavItem("Evaluation", "evaluation:home", "evaluation.view_evaluation", "/evaluation/"),
    NavItem("Member fund", "funds:member-pot", "portal.view_division", "/member-fund/"),
    NavItem("Funds", "funds:manage", "funds.view_applications", "/manage/"),
    NavItem("Assessments", "funds:assessments", "portal.view_assessments", "/assessments/"),
    NavItem("People", "programmes:people", "accounts.invite_user", "/people/"),
    NavItem("Councils", "programmes:council-list", "programmes.add_council", "/councils/"),
]

PARTNER_NAVIGATION = [
    NavItem(
        "Your organisation", "accounts:organisation", "portal.view_organisation", "/organisation/"
    ),
    NavItem(
        "Applications", "funds:my-applications", "funds.view_own_applications", "/applications/"
    ),
    NavItem("Grants", "funds:my-grants", "funds.view_own_grants", "/grants/"),
    NavItem("Funds", "funds:fund-list", "funds.apply", "/funds/"),
]


NAV_PERMISSIONS = tuple(
    dict.fromkeys(i.permission for i in COUNCIL_NAVIGATION + PARTNER_NAVIGATION if i.permission)
)


def navigation_for(user, current_path: str, request=None) -> list[dict]:
    """The primary navigation for this user: which sections they may see comes from one
    permission map worked out once per request (cpw.accounts.rules.permission_map)."""
    if not user.is_authenticated:
        return []
    allowed = permission_map(user, NAV_PERMISSIONS + HOME_PERMISSIONS)
    items = []
    for item in COUNCIL_NAVIGATION + PARTNER_NAVIGATION:
        if item.permission is None or allowed[item.permission]:
            url = item.url
            label = item.label_for(user) if item.label_for else item.label
            if item.url_name == "groundbreakers:index" and request is not None:
                # The programme's own word: Pilots, Pathfinders...
                label = groundbreaker_label_for_page(request)
            items.append(
                {
                    "label": label,
                    "url": url,
                    "active": current_path.startswith(item.section_prefix or url),
                }
            )
    return items


HOME_ORDER = [
    ("portal.view_programme_overview", "programmes:overview"),
    ("portal.view_my_work", "programmes:my-work"),
    ("portal.view_steering_dashboard", "reports:steering"),
    ("portal.view_division", "programmes:division"),
    ("portal.view_assessments", "funds:assessments"),
    ("portal.view_organisation", "accounts:organisation"),
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
