"""Every council's own names, for the council-isolation test (tests/test_council_isolation.py).

`distinguish(world)` gives everything of each council in the two-council test world a name no
other council's object carries (factories name both councils' funds "Community Fund" and number
their people "Person 3", "Person 31"...), and `markers(world)` lists, per kind, the strings that
name that council's things: its name, places, organisations, people, funds, commitments,
groundbreakers and every other named object. A page of one council must show none of the other's.
"""

import json
import re
from collections import defaultdict, deque
from unittest import mock

from django.apps import apps
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat

from cpw.accounts.models import Organisation, RoleAssignment, User
from programmes.models import Council, Place, Programme

APP_LABELS = ("programmes", "funds", "groundbreakers", "evaluation", "reporting")
NAME_FIELDS = ("name", "title")
KIND_OF_MODEL = {
    "programmes.Place": "places",
    "programmes.Commitment": "commitments",
    "funds.Fund": "funds",
    "groundbreakers.Groundbreaker": "groundbreakers",
}
# Objects that are not named by a sequence keep their (already distinctive) names.
KEEP = {"programmes.Council", "programmes.Programme"}


def tag_of(council: Council) -> str:
    """A suffix that makes a name this council's: "WAR" for GB-LAE-WAR."""
    return council.org_id_prefix.rsplit("-", 1)[-1]


def _path_to_council(model) -> str | None:
    """The shortest lookup from `model` to its council through foreign keys ("council",
    "programme__council", "round__fund__programme__council"...); None when there is none."""
    queue = deque([(model, "", 0)])
    seen = {model}
    while queue:
        current, path, depth = queue.popleft()
        if current is Council:
            return path
        if current is Programme:
            return f"{path}__council" if path else "council"
        if depth >= 6:
            continue
        for field in current._meta.get_fields():
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                continue
            target = field.related_model
            if target in seen or target is None:
                continue
            seen.add(target)
            queue.append((target, f"{path}__{field.name}" if path else field.name, depth + 1))
    return None


def _named_models():
    for label in APP_LABELS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label in KEEP or model.__name__.startswith("Historical"):
                continue
            fields = [
                f.name
                for f in model._meta.concrete_fields
                if f.name in NAME_FIELDS and isinstance(f, models.CharField)
            ]
            path = _path_to_council(model)
            if fields and path:
                yield model, fields, path


def council_people(council: Council):
    return User.objects.filter(
        pk__in=RoleAssignment.objects.filter(
            Q(council=council) | Q(programme__council=council)
        ).values("user")
    )


def council_organisations(world):
    """The organisations a council has to do with: its partner's, those that applied to its
    funds and its groundbreakers' partners."""
    council = world.council
    return Organisation.objects.filter(
        Q(pk=world.partner_organisation.pk)
        | Q(applications__round__fund__programme__council=council)
        | Q(groundbreakers__programme__council=council)
    ).distinct()


def distinguish(world) -> None:
    """Suffix every sequence-named object of each council with the council's tag, so that no
    name of one council is (or contains) a name of the other's; then compile each programme's
    reports again, so that their snapshots carry those names."""
    for w in (world, world.other):
        council, tag = w.council, tag_of(w.council)
        suffix = Value(f" {tag}")
        for model, fields, path in _named_models():
            rows = model.objects.filter(**{path: council})
            if model is Place:
                rows = rows.filter(name__regex=r"^Place \d+$")
            rows.update(**{f: Concat(f, suffix) for f in fields})
        council_people(council).exclude(is_superuser=True).update(
            full_name=Concat("full_name", suffix)
        )
        partners = User.objects.filter(organisation__in=council_organisations(w))
        partners.update(full_name=Concat("full_name", suffix))
        Organisation.objects.filter(pk__in=council_organisations(w).values("pk")).update(
            name=Concat("name", suffix)
        )
        for user in w.users.values():
            user.refresh_from_db()
        w.partner_organisation.refresh_from_db()
        _recompile_reports(w)


def stand_in_pdf(snapshot) -> bytes:
    """A PDF stand-in that carries the snapshot it was given, so that the PDF download can be
    searched for the names it would print."""
    text = json.dumps(snapshot, ensure_ascii=False, default=str)
    return b"%PDF-1.4\n%" + text.encode() + b"\n%%EOF\n"


def _recompile_reports(w) -> None:
    if not hasattr(w, "published_report"):
        return
    from reporting.services import report_compile_now, report_publish

    with mock.patch("reporting.services.render_pdf", side_effect=stand_in_pdf):
        published = report_compile_now(programme=w.programme, period=w.published_report.period)
        w.published_report = report_publish(report=published, user=None, reason="Test world")
        w.draft_report = report_compile_now(programme=w.programme, period=w.report_period)
    w.report_job = w.draft_report.job


def markers(world) -> dict[str, set[str]]:
    """The strings, by kind, that name one council's things (`world` is that council's half)."""
    council = world.council
    found = defaultdict(set)
    found["council"] |= {council.name, council.short_name}
    found["programmes"] |= set(council.programmes.values_list("name", flat=True))
    found["places"] |= set(Place.objects.filter(council=council).values_list("name", flat=True))
    found["organisations"] |= set(council_organisations(world).values_list("name", flat=True))
    people = council_people(council).exclude(is_superuser=True) | User.objects.filter(
        organisation__in=council_organisations(world)
    )
    for full_name, email in people.values_list("full_name", "email"):
        found["people"] |= {full_name, email}
    for model, fields, path in _named_models():
        if model is Place:
            continue
        kind = KIND_OF_MODEL.get(model._meta.label, model._meta.verbose_name_plural)
        for field in fields:
            values = model.objects.filter(**{path: council}).values_list(field, flat=True)
            found[kind] |= {v for v in values if v}
    return dict(found)


def only_own(mine: dict[str, set[str]], theirs: dict[str, set[str]]) -> dict[str, set[str]]:
    """`theirs` less any string that also names one of `mine` (a shared word is not a leak) and
    any too short to mean anything on its own."""
    own = set().union(*mine.values())
    return {
        kind: {s for s in strings if len(s) >= 4 and not any(s in m for m in own)}
        for kind, strings in theirs.items()
    }


def find(markers_by_kind: dict[str, set[str]], text: str) -> list[tuple[str, str]]:
    """(kind, marker) for every marker that `text` contains, as written or HTML-escaped."""
    hits = []
    for kind, strings in markers_by_kind.items():
        for marker in sorted(strings):
            escaped = marker.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;")
            if re.search(re.escape(marker), text) or escaped in text:
                hits.append((kind, marker))
    return hits
