import datetime

from tests.access import COUNCIL, COUNCIL_ADMIN, COUNCILLOR, OFFICER, PM, STAFF, Access

MANAGERS = frozenset({PM, STAFF})
COUNCIL_ADMINS = frozenset({COUNCIL_ADMIN, STAFF})
EDITORS = frozenset({OFFICER, PM, STAFF})


def extend_world(world) -> None:
    """A delivery plan with one commitment led by the world's officer, a current period with a
    submitted update (and an evidence file) and the previous period."""
    from django.core.files.base import ContentFile

    from programmes.models import EvidenceFile, GovernanceBody
    from programmes.periods import financial_quarter, label_for
    from tests.programmes.factories import (
        CommitmentFactory,
        CommitmentUpdateFactory,
        DeliveryPlanFactory,
        ReportingPeriodFactory,
    )

    today = datetime.date.today()
    year, quarter = financial_quarter(today)
    previous = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    world.previous_period = ReportingPeriodFactory(
        programme=world.programme, label=label_for(*previous)
    )
    world.period = ReportingPeriodFactory(programme=world.programme, label=label_for(year, quarter))
    plan = DeliveryPlanFactory(programme=world.programme)
    world.commitment = CommitmentFactory(plan=plan, leads=[world.users[OFFICER]])
    world.commitment_update = CommitmentUpdateFactory(
        commitment=world.commitment, period=world.previous_period, submitted=True
    )
    world.milestone = world.commitment.milestones.create(
        title="Panels agreed", due_date=datetime.date(2026, 3, 31)
    )
    world.evidence = EvidenceFile.objects.create(
        update=world.commitment_update, file=ContentFile(b"evidence", name="e.txt"), name="e.txt"
    )
    world.governance_body = GovernanceBody.objects.create(
        programme=world.programme, name="Steering Group", receives_quarterly_report=True
    )
    world.governance_member = world.governance_body.members.create(
        name="Portfolio Holder", position="Chair", is_chair=True
    )
    # A phase with a stage, and an ambition, for the set-up pages.
    world.phase = world.programme.phases.create(name="Mobilise", order=1)
    world.programme.phases.create(name="Stage one", order=1, parent=world.phase)
    world.ambition = world.programme.ambitions.create(name="People lead", order=1)


def _commitment(w):
    return {"pk": w.commitment.pk}


def _update(w):
    return {"pk": w.commitment.pk, "label": w.period.label}


def _done(w):
    return {"pk": w.commitment.pk, "label": w.previous_period.label}


def _council(w):
    return {"slug": w.council.slug}


def _slug(w):
    return {"slug": w.programme.slug}


def _body(w):
    return {"slug": w.programme.slug, "body": w.governance_body.pk}


def _member(w):
    return {**_body(w), "member": w.governance_member.pk}


# Home pages and lists: portal-wide, GET only.
def _home(name, allowed, **kwargs):
    return Access(name, allowed, scoped=False, other_ok_status=405, **kwargs)


# Pages about one of a programme's objects: anyone outside the programme (partners included)
# gets 404; council colleagues in it who may not do what the page does get 403.
def _scoped(name, allowed, kwargs, **extra):
    extra.setdefault("other_ok_status", 405)
    return Access(name, allowed, kwargs=kwargs, scoped=True, hidden_from_partners=True, **extra)


def _council(w):
    return {"slug": w.council.slug}


def _phase(w):
    return {"slug": w.programme.slug, "pk": w.phase.pk}


def _ambition(w):
    return {"slug": w.programme.slug, "pk": w.ambition.pk}


STAFF_ONLY = frozenset({STAFF})
COUNCIL_ADMINS = frozenset({COUNCIL_ADMIN, STAFF})


# A council's own pages: its council admins (and staff admins); its other staff get 403, and
# everyone outside the council 404.
def _council_page(name, allowed, **extra):
    extra.setdefault("other_ok_status", 405)
    return Access(name, allowed, kwargs=_council, scoped=True, hidden_from_partners=True, **extra)


SETUP_ACCESS = [
    Access("programmes:council-list", STAFF_ONLY, scoped=False, other_ok_status=405),
    Access(
        "programmes:council-add",
        STAFF_ONLY,
        scoped=False,
        other_ok_status=200,
        notes="An empty POST shows the form's errors",
    ),
    _council_page("programmes:council-detail", COUNCIL_ADMINS),
    _council_page(
        "programmes:council-change",
        COUNCIL_ADMINS,
        other_ok_status=200,
        notes="An empty POST shows the form's errors",
    ),
    _council_page(
        "programmes:programme-add",
        COUNCIL_ADMINS,
        other_ok_status=200,
        notes="An empty POST shows the form's errors",
    ),
    _scoped("programmes:programme-structure", MANAGERS, _slug),
    _scoped("programmes:phase-add", MANAGERS, _slug, other_ok_status=200),
    _scoped("programmes:phase-change", MANAGERS, _phase, other_ok_status=200),
    _scoped(
        "programmes:phase-delete",
        MANAGERS,
        _phase,
        other_ok_status=200,
        notes="A POST without confirm=yes deletes nothing and asks again",
    ),
    _scoped("programmes:ambition-add", MANAGERS, _slug, other_ok_status=200),
    _scoped("programmes:ambition-change", MANAGERS, _ambition, other_ok_status=200),
    _scoped(
        "programmes:ambition-delete",
        MANAGERS,
        _ambition,
        other_ok_status=200,
        notes="A POST without confirm=yes deletes nothing and asks again",
    ),
]

ACCESS = [
    _home("programmes:overview", MANAGERS),
    _home("programmes:my-work", EDITORS),
    _home("division", frozenset({COUNCILLOR, STAFF})),
    _home("programmes:programme-list", COUNCIL),
    _home("programmes:plan-home", COUNCIL, ok_status=302),
    _scoped("programmes:programme-detail", COUNCIL, _slug),
    _scoped(
        "programmes:programme-settings",
        MANAGERS,
        _slug,
        other_ok_status=302,
        notes="Every field may be blank, so an empty POST saves",
    ),
    _scoped("programmes:plan", COUNCIL, _slug),
    _scoped(
        "programmes:plan-export",
        MANAGERS,
        lambda w: {"slug": w.programme.slug, "fmt": "csv"},
        html=False,
    ),
    _scoped(
        "programmes:plan-export",
        MANAGERS,
        lambda w: {"slug": w.programme.slug, "fmt": "xlsx"},
        html=False,
    ),
    _scoped("programmes:plan-import", MANAGERS, _slug, other_ok_status=200),
    _scoped("programmes:period-list", MANAGERS, _slug, other_ok_status=200),
    _scoped(
        "programmes:plan-import-check",
        MANAGERS,
        _slug,
        ok_status=302,
        other_ok_status=302,
        notes="Redirects to the upload page when no file has been uploaded",
    ),
    _scoped("programmes:plan-import-template", MANAGERS, _slug, html=False),
    _scoped(
        "programmes:period-lock",
        MANAGERS,
        lambda w: {"slug": w.programme.slug, "label": w.period.label},
        other_ok_status=200,
        notes="GET asks are you sure; POST locks (tests/programmes/test_grid.py), but the "
        "world's period is still open for updates, so an empty POST shows 'enter why' "
        "(tests/reporting/test_publishing.py)",
    ),
    _scoped(
        "programmes:period-chase",
        MANAGERS,
        lambda w: {"slug": w.programme.slug, "label": w.period.label},
        other_ok_status=302,
        notes="GET lists who will be emailed; POST sends (tests/programmes/test_reminders.py)",
    ),
    _scoped("programmes:commitment-detail", COUNCIL, _commitment),
    _scoped("programmes:commitment-change", MANAGERS, _commitment, other_ok_status=200),
    # EDITORS: the officer is the commitment's lead (an officer who is not gets 403).
    _scoped("programmes:milestone-add", EDITORS, _commitment, other_ok_status=200),
    _scoped(
        "programmes:milestone-change",
        EDITORS,
        lambda w: {"pk": w.commitment.pk, "milestone": w.milestone.pk},
        other_ok_status=200,
    ),
    _scoped("programmes:risk-add", EDITORS, _commitment, other_ok_status=200),
    _scoped("programmes:commitment-update", EDITORS, _update, other_ok_status=200),
    _scoped("programmes:commitment-update-done", EDITORS, _done),
    _scoped(
        "programmes:evidence-download",
        COUNCIL,
        lambda w: {"pk": w.evidence.pk},
        html=False,
        notes="Whoever may read the commitment's updates",
    ),
    # Governance bodies: the programme's managers (and its council's admins). An empty POST
    # shows the form again with its errors; removing needs a "yes" (tests/programmes/
    # test_governance.py).
    _scoped("programmes:governance-list", MANAGERS, _slug),
    _scoped("programmes:governance-add", MANAGERS, _slug, other_ok_status=200),
    _scoped("programmes:governance-change", MANAGERS, _body, other_ok_status=200),
    _scoped("programmes:governance-remove", MANAGERS, _body, other_ok_status=200),
    _scoped("programmes:governance-member-add", MANAGERS, _body, other_ok_status=200),
    _scoped("programmes:governance-member-change", MANAGERS, _member, other_ok_status=200),
    _scoped("programmes:governance-member-remove", MANAGERS, _member, other_ok_status=200),
    # A council's places: as its other own pages.
    _council_page("programmes:place-list", COUNCIL_ADMINS),
    _council_page("programmes:place-import", COUNCIL_ADMINS, other_ok_status=200),
    _council_page("programmes:place-import-template", COUNCIL_ADMINS, html=False),
]

ACCESS += SETUP_ACCESS
