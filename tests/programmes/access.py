import datetime

from tests.access import COUNCIL, COUNCILLOR, OFFICER, PM, STAFF, Access

MANAGERS = frozenset({PM, STAFF})
EDITORS = frozenset({OFFICER, PM, STAFF})


def extend_world(world) -> None:
    """A delivery plan with one commitment led by the world's officer, a current period with a
    submitted update (and an evidence file) and the previous period."""
    from django.core.files.base import ContentFile

    from programmes.models import EvidenceFile
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


def _commitment(w):
    return {"pk": w.commitment.pk}


def _update(w):
    return {"pk": w.commitment.pk, "label": w.period.label}


def _done(w):
    return {"pk": w.commitment.pk, "label": w.previous_period.label}


def _slug(w):
    return {"slug": w.programme.slug}


ACCESS = [
    Access("programmes:overview", MANAGERS),
    Access("programmes:my-work", EDITORS),
    Access("programmes:division", frozenset({COUNCILLOR, STAFF})),
    Access("programmes:programme-list", COUNCIL),
    Access("programmes:programme-detail", COUNCIL, kwargs=_slug),
    Access("programmes:programme-settings", MANAGERS, kwargs=_slug),
    Access("programmes:plan-home", COUNCIL, ok_status=302),
    Access("programmes:plan", COUNCIL, kwargs=_slug),
    Access(
        "programmes:plan-export",
        MANAGERS,
        kwargs=lambda w: {"slug": w.programme.slug, "fmt": "csv"},
        html=False,
    ),
    Access("programmes:plan-import", MANAGERS, kwargs=_slug),
    Access("programmes:period-list", MANAGERS, kwargs=_slug),
    Access(
        "programmes:plan-import-check",
        MANAGERS,
        kwargs=_slug,
        ok_status=302,
        notes="Redirects to the upload page when no file has been uploaded",
    ),
    Access("programmes:plan-import-template", MANAGERS, kwargs=_slug, html=False),
    Access(
        "programmes:period-lock",
        MANAGERS,
        kwargs=lambda w: {"slug": w.programme.slug, "label": w.period.label},
        notes="GET asks are you sure; POST locks (tests/programmes/test_grid.py)",
    ),
    Access(
        "programmes:period-chase",
        MANAGERS,
        kwargs=lambda w: {"slug": w.programme.slug, "label": w.period.label},
        notes="GET lists who will be emailed; POST sends (tests/programmes/test_reminders.py)",
    ),
    Access("programmes:commitment-detail", COUNCIL, kwargs=_commitment),
    Access("programmes:commitment-change", MANAGERS, kwargs=_commitment),
    Access("programmes:milestone-add", EDITORS, kwargs=_commitment),
    Access(
        "programmes:milestone-change",
        EDITORS,
        kwargs=lambda w: {"pk": w.commitment.pk, "milestone": w.milestone.pk},
    ),
    Access("programmes:risk-add", EDITORS, kwargs=_commitment),
    Access("programmes:commitment-update", EDITORS, kwargs=_update),
    Access("programmes:commitment-update-done", EDITORS, kwargs=_done),
    Access(
        "programmes:evidence-download", COUNCIL, kwargs=lambda w: {"pk": w.evidence.pk}, html=False
    ),
]
