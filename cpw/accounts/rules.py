"""The portal's role predicates, and the rules about people. Every app's `rules.py` builds its
permissions from these; views check them through `cpw.core.access`.

Two kinds of predicate:
- `is_<role>(user)`: the user holds the role in *some* programme. Only for pages that list what
  is in the user's own programmes (home pages, indexes), whose selectors do the scoping.
- `<verb>_in_programme(user, obj)`: the user holds the role *in the object's programme*. Every
  object page checks one of these. An object's programme is `programme_id_of(obj)`.

A council admin sets up their council's programmes and is the programme manager of each of them
(`administers_council`). Staff admins (superusers) pass every `has_perm` check: they are the only
cross-council role."""

import rules

from .models import COUNCIL_ROLES, Role


def programme_id_of(obj) -> int | None:
    """The id of the programme an object belongs to. A programme is its own; every other
    programme-scoped model has a `programme_id` (a field, or a property that walks its parents,
    which the object's selector loads with `select_related`)."""
    if obj is None:
        return None
    meta = getattr(obj, "_meta", None)
    if meta is not None and meta.label == "programmes.Programme":
        return obj.pk
    return getattr(obj, "programme_id", None)


def council_id_of(obj) -> int | None:
    """The id of the council an object belongs to, when it says so itself (a council, a
    programme, a place, or anything with a `council_id`); None otherwise."""
    if obj is None:
        return None
    meta = getattr(obj, "_meta", None)
    if meta is not None and meta.label == "programmes.Council":
        return obj.pk
    return getattr(obj, "council_id", None)


def _has_role(role):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user):
        return user.is_authenticated and user.has_role(role)

    return predicate


is_council_admin = _has_role(Role.COUNCIL_ADMIN)
is_programme_manager = _has_role(Role.PROGRAMME_MANAGER)
is_officer = _has_role(Role.OFFICER)
is_steering_group_member = _has_role(Role.STEERING_GROUP)
is_councillor = _has_role(Role.COUNCILLOR)
is_assessor = _has_role(Role.ASSESSOR)


@rules.predicate
def is_partner(user):
    return (
        user.is_authenticated and user.has_role(Role.PARTNER) and user.organisation_id is not None
    )


@rules.predicate
def is_dpo(user):
    """A data protection officer of some council (what they see is scoped to their councils:
    `user.dpo_council_ids`)."""
    return user.is_authenticated and user.has_role(Role.DPO)


@rules.predicate
def is_dpo_of_council(user, obj):
    """The user is the data protection officer of the object's council (the object is a
    council, or has a `council_id`)."""
    if obj is None or not user.is_authenticated or not user.is_active:
        return False
    council_id = council_id_of(obj)
    return council_id is not None and council_id in user.dpo_council_ids


@rules.predicate
def is_council_user(user):
    return user.is_authenticated and user.is_active and bool(user.roles & COUNCIL_ROLES)


@rules.predicate
def is_staff_admin(user):
    return user.is_authenticated and user.is_active and user.is_staff


def role_in_programme(*roles: str, name: str):
    """A predicate on (user, obj): the user holds one of `roles` in the object's programme."""

    @rules.predicate(name=name)
    def predicate(user, obj):
        if obj is None or not user.is_authenticated:
            return False
        programme_id = programme_id_of(obj)
        return programme_id is not None and user.has_role_in(programme_id, *roles)

    return predicate


manages_programme = role_in_programme(Role.PROGRAMME_MANAGER, name="manages_programme")
works_in_programme = role_in_programme(
    Role.PROGRAMME_MANAGER, Role.OFFICER, name="works_in_programme"
)
steers_programme = role_in_programme(
    Role.PROGRAMME_MANAGER, Role.STEERING_GROUP, name="steers_programme"
)
council_in_programme = role_in_programme(*COUNCIL_ROLES, name="council_in_programme")
assesses_in_programme = role_in_programme(Role.ASSESSOR, name="assesses_in_programme")
councillor_in_programme = role_in_programme(Role.COUNCILLOR, name="councillor_in_programme")


@rules.predicate
def administers_council(user, obj):
    """The user is a council admin of the object's council (the object is a council, or says
    which council it belongs to, or belongs to a programme of the council)."""
    if obj is None or not user.is_authenticated or not user.is_active:
        return False
    council_id = council_id_of(obj)
    if council_id is not None:
        return council_id in user.administers_council_ids
    programme_id = programme_id_of(obj)
    return programme_id is not None and user.has_role_in(programme_id, Role.COUNCIL_ADMIN)


@rules.predicate
def works_for_council(user, obj):
    """The user holds a council role in one of the object's council's programmes, or
    administers the council."""
    if obj is None or not user.is_authenticated or not user.is_active:
        return False
    return council_id_of(obj) in user.council_ids


@rules.predicate
def belongs_to_own_organisation(user, obj):
    """The object (or what it hangs from) belongs to the partner's own organisation: the object
    has an `organisation_id`."""
    return (
        obj is not None
        and is_partner(user)
        and getattr(obj, "organisation_id", None) == user.organisation_id
    )


# Home pages
rules.add_perm("portal.view_programme_overview", is_programme_manager)
rules.add_perm("portal.view_my_work", is_officer | is_programme_manager)
rules.add_perm("portal.view_steering_dashboard", is_steering_group_member | is_programme_manager)
rules.add_perm("portal.view_division", is_councillor)
rules.add_perm("portal.view_assessments", is_assessor)
rules.add_perm("portal.view_organisation", is_partner)

# Council-only reading of programme information (the pages list the user's own programmes)
rules.add_perm("portal.view_programme", is_council_user)


@rules.predicate
def is_own_organisation(user, organisation):
    """The organisation is the partner's own."""
    return organisation is not None and is_partner(user) and organisation.pk == user.organisation_id


# People
# A council admin invites people to their council's programmes, and other council admins.
rules.add_perm("accounts.invite_user", is_programme_manager | is_council_admin | is_staff_admin)
# Councils: staff admins add them; a council admin keeps their own council's details and places.
rules.add_perm("programmes.add_council", is_staff_admin)
rules.add_perm("programmes.view_council", administers_council | is_staff_admin)
rules.add_perm("programmes.change_council", administers_council | is_staff_admin)


@rules.predicate
def may_add_programme_to(user, council):
    """Portal-wide (no council given): the user administers some council. For a council: the
    user administers that one."""
    if not user.is_authenticated or not user.is_active:
        return False
    if council is None:
        return bool(user.administers_council_ids)
    return council_id_of(council) in user.administers_council_ids


rules.add_perm("programmes.add_programme", may_add_programme_to | is_staff_admin)
# A partner's own organisation (its page and its details)
rules.add_perm("accounts.view_organisation", is_own_organisation)
rules.add_perm("accounts.change_organisation", is_own_organisation)


def permission_map(user, permissions) -> dict[str, bool]:
    """{permission: whether the user has it} for these object-less permissions, worked out once
    per request and kept on the user object (which lives for one request), so the navigation,
    the home page and templates ask the rules once each instead of going through every
    authentication backend on each check. The same answers as `user.has_perm`: staff admins
    (active superusers) have every permission, inactive and anonymous users none, everyone
    else what the rules say (no permission here is granted through Django's permission
    tables)."""
    cache = user.__dict__.setdefault("_permission_map_cache", {})
    missing = [p for p in permissions if p not in cache]
    if missing:
        if not user.is_authenticated or not user.is_active:
            cache.update(dict.fromkeys(missing, False))
        elif user.is_superuser:
            cache.update(dict.fromkeys(missing, True))
        else:
            cache.update({p: rules.has_perm(p, user) for p in missing})
    return {p: cache[p] for p in permissions}
