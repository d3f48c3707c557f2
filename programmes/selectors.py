from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from cpw.accounts.models import Role, RoleAssignment, User

from .models import Place, PlaceKind, Programme


def programme_list_for_user(user: User) -> QuerySet[Programme]:
    """Programmes in which the user holds any council role (every programme for staff)."""
    programmes = Programme.objects.all()
    if not user.is_superuser:
        programmes = programmes.filter(role_assignments__user=user).distinct()
    return programmes.order_by("name")


def programme_list_managed_by(user: User) -> QuerySet[Programme]:
    programmes = Programme.objects.all()
    if not user.is_superuser:
        programmes = programmes.filter(
            role_assignments__user=user, role_assignments__role=Role.PROGRAMME_MANAGER
        ).distinct()
    return programmes.order_by("name")


def programme_list_with_counts(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    """Counts as subqueries, so they are right whatever the queryset was filtered on."""
    people = (
        RoleAssignment.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    priority = (
        Programme.priority_places.through.objects.filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(n=Count("place"))
        .values("n")
    )
    return programmes.annotate(
        priority_place_count=Coalesce(Subquery(priority), 0),
        people_count=Coalesce(Subquery(people), 0),
    )


def get_programme_for_user_or_404(user: User, slug: str) -> Programme:
    """404 alike for a programme that does not exist and one the user has no role in."""
    programme = (
        programme_list_for_user(user)
        .filter(slug=slug)
        .prefetch_related(
            Prefetch("priority_places", queryset=Place.objects.select_related("parent")),
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("user", "division").order_by(
                    "role", "user__full_name"
                ),
            ),
        )
        .first()
    )
    if programme is None:
        raise Http404("No such programme")
    return programme


def division_list() -> QuerySet[Place]:
    return Place.objects.filter(kind=PlaceKind.DIVISION).select_related("parent").order_by("name")


def division_places_for_councillor(user: User) -> list[dict]:
    """Each division the councillor represents, with its places and which are priority places."""
    assignments = (
        RoleAssignment.objects.filter(user=user, role=Role.COUNCILLOR, division__isnull=False)
        .select_related("division__parent", "programme")
        .prefetch_related(
            Prefetch(
                "division__children",
                queryset=Place.objects.annotate(
                    priority_count=Count("priority_for_programmes")
                ).order_by("name"),
            )
        )
    )
    return [
        {
            "division": assignment.division,
            "programme": assignment.programme,
            "places": list(assignment.division.children.all()),
        }
        for assignment in assignments
    ]


def place_list(*, kind: str | None = None) -> QuerySet[Place]:
    places = Place.objects.select_related("parent")
    if kind:
        places = places.filter(kind=kind)
    return places.order_by("kind", "name")


def people_count_by_role(programme: Programme) -> dict[str, int]:
    rows = RoleAssignment.objects.filter(programme=programme).values("role").annotate(n=Count("id"))
    return {Role(row["role"]).label: row["n"] for row in rows}


def programme_q_for_role(user: User, role: str) -> Q:
    return Q(role_assignments__user=user, role_assignments__role=role)
