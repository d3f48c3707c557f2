"""Which rows the API shows a user: the same people see the same objects as on the pages, by
the same selectors. A council user sees their own programmes' objects
(`programmes.selectors.programme_list_for_user`, all programmes for staff admins); a partner
sees their own organisation's grants and the funds it applied to; anyone, signed in or not,
sees the published reports and grants of programmes that publish open data."""

from django.db.models import Q, QuerySet

from cpw.accounts.rules import is_partner
from funds.models import Application
from programmes.models import Programme
from programmes.selectors import programme_list_for_user, programme_list_steered_by


def council_programmes(user) -> QuerySet[Programme]:
    """The programmes in which the user holds a council role (none when not signed in)."""
    if not user.is_authenticated or not user.is_active:
        return Programme.objects.none()
    return programme_list_for_user(user).order_by()


def steered_programmes(user) -> QuerySet[Programme]:
    """The programmes whose published reports the user reads on the pages: those they steer or
    manage (all for staff admins)."""
    if not user.is_authenticated or not user.is_active:
        return Programme.objects.none()
    return programme_list_steered_by(user).order_by()


def open_programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(publishes_open_data=True)


def in_programmes(queryset: QuerySet, path: str, programmes: QuerySet[Programme]) -> QuerySet:
    """`queryset` narrowed to rows whose programme (at `path`) is one of `programmes`, in one
    query (a subquery, whatever the number of programmes)."""
    return queryset.filter(**{f"{path}__in": programmes.values("pk")})


def programme_scoped(queryset: QuerySet, path: str, user) -> QuerySet:
    return in_programmes(queryset, path, council_programmes(user))


def partner_organisation_id(user) -> int | None:
    if user.is_authenticated and is_partner(user):
        return user.organisation_id
    return None


def funds_scoped(queryset: QuerySet, fund_path: str, user) -> QuerySet:
    """Funds (or rounds) of the user's programmes, and those the partner's organisation
    applied to (as on the fund pages)."""
    condition = Q(**{f"{fund_path}programme__in": council_programmes(user).values("pk")})
    organisation_id = partner_organisation_id(user)
    if organisation_id is not None:
        applied = Application.objects.filter(organisation_id=organisation_id).values(
            "round__fund_id"
        )
        condition |= Q(**{f"{fund_path}pk__in": applied})
    return queryset.filter(condition)


def grants_scoped(queryset: QuerySet, user, *, public: bool = False) -> QuerySet:
    """Awards of the user's programmes and the partner's own organisation's; with `public`,
    also those of programmes that publish open data."""
    condition = Q(application__round__fund__programme__in=council_programmes(user).values("pk"))
    organisation_id = partner_organisation_id(user)
    if organisation_id is not None:
        condition |= Q(application__organisation_id=organisation_id)
    if public:
        condition |= Q(application__round__fund__programme__in=open_programmes().values("pk"))
    return queryset.filter(condition)


def reports_scoped(queryset: QuerySet, user) -> QuerySet:
    """Published reports the user reads on the pages, and those of programmes that publish
    open data."""
    return queryset.filter(
        Q(programme__in=steered_programmes(user).values("pk"))
        | Q(programme__in=open_programmes().values("pk"))
    )
