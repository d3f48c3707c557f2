"""Which partner organisations a council's staff may see.

An organisation (`cpw.accounts.models.Organisation`) is one portal-wide record: a charity that
works with two councils is not typed in twice. But a council's staff see only the organisations
that have something to do with *their* council: those that lead one of its commitments, whose
members hold a role in one of its programmes, that applied to or were invited to one of its funds
(an award is an application), or that are partners of its groundbreakers, sit on their working
groups or took part in its activities.

Those links live in several apps, and the apps are layered (cpw.site → reporting → evaluation →
groundbreakers → funds → programmes → cpw.accounts → cpw.core): programmes, where `Council`
lives, may not import funds or groundbreakers. So each app *contributes* its own links: it
registers, once, a function `council_ids -> queryset of organisation ids` (see `register`), in its
`AppConfig.ready()` for the apps above programmes, and this module unions them. Every page of
every app then asks the same question, `organisation_list_for_council`, and gets the same answer
in one query, however many apps contribute (each link is a `pk IN (subquery)`, so the query count
does not grow with data). This is the same pattern as evaluation's registry of derived metrics:
the lower layer owns the question, the higher layers answer for their own models, and no import
goes upwards.

How the pages use it:
- An option list of organisations (a commitment's leads, a groundbreaker's or an activity's
  partners) offers the council's organisations plus the object's own (so that saving a form never
  drops a link that is already there). A posted id outside those is refused with a plain message,
  so nobody can link, or learn the name of, another council's organisation by its id.
- To link an organisation that is not yet linked to the council, a form takes its exact name
  (`organisation_by_exact_name`): the existing record with that name, case aside, is linked, or a
  new one is made. Nothing lists other councils' organisations, and typing a name reveals nothing
  that the person did not already know.
- The delivery-plan import matches leads only among the council's people and organisations.
"""

from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet

from cpw.accounts.models import COUNCIL_ROLES, Organisation, OrganisationType, RoleAssignment

from .models import Commitment, Council

# council ids -> a queryset of organisation ids (a values("…") queryset, used as a subquery)
LinkSource = Callable[[list[int]], QuerySet]

_SOURCES: dict[str, LinkSource] = {}


def register(name: str, source: LinkSource) -> None:
    """Add (or replace, by name: registering twice is harmless) a source of links."""
    _SOURCES[name] = source


def _council_ids(councils) -> list[int]:
    if isinstance(councils, Council):
        return [councils.pk]
    if isinstance(councils, int):
        return [councils]
    return [c.pk if isinstance(c, Council) else int(c) for c in councils]


def organisation_list_for_council(councils: "Council | int | Iterable") -> QuerySet[Organisation]:
    """The organisations linked to the council (or any of the councils), by name: one query."""
    ids = _council_ids(councils)
    if not ids:
        return Organisation.objects.none()
    linked = Q()
    for source in _SOURCES.values():
        linked |= Q(pk__in=source(ids))
    return Organisation.objects.filter(linked).order_by("name")


def organisation_choices(
    councils: "Council | int | Iterable",
    *,
    include: "QuerySet[Organisation] | Iterable[Organisation | int]" = (),
) -> QuerySet[Organisation]:
    """What a form may offer: the council's organisations plus `include`, an object's own (a
    queryset such as `commitment.lead_organisations.all()` becomes a subquery): one query."""
    if isinstance(include, QuerySet):
        own = include.values("pk")
    else:
        own = [o.pk if isinstance(o, Organisation) else o for o in include]
        if not own:
            return organisation_list_for_council(councils)
    linked = organisation_list_for_council(councils).values("pk")
    return Organisation.objects.filter(Q(pk__in=linked) | Q(pk__in=own)).order_by("name")


def organisation_by_exact_name(name: str) -> Organisation:
    """The organisation called exactly `name` (case aside), made if there is none. For forms that
    link an organisation new to the council: it lists nothing, so reveals nothing."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("An organisation needs a name")
    found = Organisation.objects.filter(name__iexact=name).first()
    if found is None:
        found = Organisation.objects.create(name=name, kind=OrganisationType.OTHER)
    return found


NOT_LINKED_MESSAGE = "Choose only organisations that work with this council"
NOT_LINKED_ERRORS = {"invalid_choice": NOT_LINKED_MESSAGE, "invalid_pk_value": NOT_LINKED_MESSAGE}


# The programmes app's own links -------------------------------------------------------------


def _commitment_leads(council_ids: list[int]) -> QuerySet:
    return Commitment.lead_organisations.through.objects.filter(
        commitment__plan__programme__council_id__in=council_ids
    ).values("organisation_id")


def _members_of_council_staff(council_ids: list[int]) -> QuerySet:
    """Organisations whose members hold a council role (a steering-group member from a
    charity, say) in one of the council's programmes, or administer the council."""
    return RoleAssignment.objects.filter(
        Q(programme__council_id__in=council_ids) | Q(council_id__in=council_ids),
        role__in=COUNCIL_ROLES,
        user__organisation__isnull=False,
    ).values("user__organisation_id")


register("programmes.commitment_leads", _commitment_leads)
register("programmes.council_staff", _members_of_council_staff)
