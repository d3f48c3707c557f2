"""Role-aware primary navigation. Each app adds its own sections here as it is built."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

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
        return reverse(self.url_name)


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
    NavItem("Data protection", "privacy:register", "privacy.manage", "/data-protection/"),
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


def navigation_for(user, current_path: str, request=None) -> list[dict]:
    if not user.is_authenticated:
        return []
    items = []
    for item in COUNCIL_NAVIGATION + PARTNER_NAVIGATION:
        if item.permission is None or user.has_perm(item.permission):
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
    ("privacy.manage", "privacy:register"),
]


def home_url_for(user) -> str | None:
    """The first screen for this user's most senior role, or None if they hold no role."""
    for permission, url_name in HOME_ORDER:
        if user.has_perm(permission):
            return reverse(url_name)
    if user.is_staff:
        return reverse("admin:index")
    return None
