"""County-scale benchmark data, built in a scratch database (see management/commands/bench.py).

The dataset starts from the demo seed (one programme with its framework, funds, groundbreakers and
demo accounts) and adds bulk rows on top with bulk_create, from a seeded random generator so two
runs build the same data. Every count is multiplied by `scale` (1.0 = county scale).
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from cpw.accounts.demo import seed_people
from cpw.accounts.models import Organisation, Role, RoleAssignment, User
from evaluation.demo import seed_evaluation
from evaluation.models import (
    Metric,
    Observation,
    Statement,
    SurveyResponse,
    SurveyScore,
    SurveyWave,
)
from evaluation.services import survey_aggregates_recompute
from funds.demo import seed_funds
from funds.models import Application, Award, Decision, Fund, Round
from groundbreakers.demo import seed_groundbreakers
from groundbreakers.models import Activity, Groundbreaker
from programmes.demo import seed_delivery_plan, seed_places, seed_programme
from programmes.models import (
    Commitment,
    CommitmentUpdate,
    DeliveryPlan,
    Group,
    Milestone,
    Place,
    Programme,
    ReportingPeriod,
    Risk,
)
from programmes.periods import financial_quarter, label_for
from programmes.services import reporting_periods_ensure

FULL = {
    "programmes": 20,
    "commitments": 400,
    "periods": 8,
    "groundbreakers": 100,
    "activities": 5_000,
    "applications": 5_000,
    "grants": 2_000,
    "observations": 50_000,
    "survey_responses": 100_000,
}
# Each survey response scores this many statements (a rotating subset of the framework's
# statements), not all of them: 100,000 responses x every statement would be millions of rows and
# take most of the 10-minute budget to insert on SQLite. The survey page's work grows with the
# number of score rows, so this still measures it against 500,000 scores.
SCORES_PER_RESPONSE = 5
BATCH = 2_000


def counts_for(scale: float) -> dict[str, int]:
    counts = {k: max(1, round(v * scale)) for k, v in FULL.items()}
    counts["programmes"] = max(2, counts["programmes"])
    counts["periods"] = FULL["periods"]  # periods per commitment do not scale
    return counts


def _bulk(model, rows):
    return model.objects.bulk_create(rows, batch_size=BATCH)


def build_dataset(*, scale: float = 1.0, seed: int = 2026, today=None) -> dict:
    """Build the dataset in the current default database. Returns what was built."""
    rng = random.Random(seed)
    counts = counts_for(scale)
    today = today or timezone.localdate()
    now = timezone.now()
    built = {}

    with transaction.atomic():
        places = seed_places()
        demo = seed_programme(places)
        seed_people(demo, places)
        seed_delivery_plan(demo)
        seed_funds(demo, places)
        seed_groundbreakers(demo)
        seed_evaluation(demo, places)

    manager = User.objects.get(email="manager@demo.cpw.test")
    officer = User.objects.get(email="officer@demo.cpw.test")

    # The last `periods` quarters up to today's.
    year, quarter = financial_quarter(today)
    labels = []
    for _ in range(counts["periods"]):
        labels.insert(0, label_for(year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)

    with transaction.atomic():
        # Programmes, each with its delivery plan, four themes and eight quarters.
        programmes = [demo]
        for i in range(1, counts["programmes"]):
            programmes.append(
                Programme.objects.create(
                    council=demo.council,
                    name=f"Bench programme {i:02d}",
                    short_name=f"BP{i:02d}",
                    slug=f"bench-{i:02d}",
                    status="active",
                )
            )
        plans, groups, periods = {}, {}, {}
        for programme in programmes:
            plans[programme.pk] = DeliveryPlan.objects.get_or_create(
                programme=programme, defaults={"name": f"{programme.name} delivery plan"}
            )[0]
            groups[programme.pk] = list(Group.objects.filter(plan=plans[programme.pk]))
            for n in range(len(groups[programme.pk]), 4):
                groups[programme.pk].append(
                    Group.objects.create(plan=plans[programme.pk], name=f"Theme {n + 1}", order=n)
                )
            periods[programme.pk] = reporting_periods_ensure(
                programme=programme, first=labels[0], last=labels[-1]
            )
        # Officers who lead commitments (the demo officer leads some in every programme).
        officers = [officer]
        for i in range(39):
            officers.append(
                User.objects.create_user(
                    email=f"officer{i:02d}@bench.cpw.test", full_name=f"Bench Officer {i:02d}"
                )
            )
        _bulk(
            RoleAssignment,
            [
                RoleAssignment(user=o, role=Role.OFFICER, programme=p)
                for o in officers[1:]
                for p in programmes
            ]
            + [RoleAssignment(user=officer, role=Role.OFFICER, programme=p) for p in programmes[1:]]
            + [
                RoleAssignment(user=manager, role=Role.PROGRAMME_MANAGER, programme=p)
                for p in programmes[1:]
            ],
        )

        # Commitments, milestones, risks, leads and eight quarters of updates each.
        existing = Commitment.objects.count()
        new = []
        for i in range(max(0, counts["commitments"] - existing)):
            programme = programmes[i % len(programmes)]
            new.append(
                Commitment(
                    plan=plans[programme.pk],
                    group=groups[programme.pk][i % 4],
                    order=1000 + i,
                    title=f"Bench commitment {i:04d}",
                    description="Generated for the benchmark.",
                    start=datetime.date(2024, 4, 1),
                    end=datetime.date(2028, 3, 31),
                    progress=rng.randint(0, 100),
                    status=rng.choice(["not_started", "on_track", "at_risk", "off_track"]),
                )
            )
        new = _bulk(Commitment, new)
        Lead = Commitment.lead_users.through
        _bulk(
            Lead,
            [
                Lead(commitment_id=c.pk, user_id=officers[n % len(officers)].pk)
                for n, c in enumerate(new)
            ],
        )
        _bulk(
            Milestone,
            [
                Milestone(
                    commitment=c,
                    order=m,
                    title=f"Milestone {m + 1}",
                    due_date=today + datetime.timedelta(days=rng.randint(-400, 400)),
                )
                for c in new
                for m in range(3)
            ],
        )
        _bulk(
            Risk,
            [
                Risk(
                    commitment=c,
                    description=f"Risk {r + 1} to {c.title}",
                    likelihood=rng.randint(1, 5),
                    impact=rng.randint(1, 5),
                    owner="Bench owner",
                    mitigation="Monitor monthly.",
                )
                for c in new
                for r in range(2)
            ],
        )
        plan_programme = {plan.pk: pid for pid, plan in plans.items()}
        updates = []
        for c in new:
            for period in periods[plan_programme[c.plan_id]]:
                if period.start > today:
                    continue
                current = period.end >= today
                updates.append(
                    CommitmentUpdate(
                        commitment=c,
                        period=period,
                        status="draft" if current else "submitted",
                        submitted_at=None if current else now,
                        submitted_by=None if current else officer,
                        rag=rng.choice(["green", "green", "amber", "red"]),
                        what_happened="Work continued as planned. " * 4,
                        whats_next="More of the same next quarter.",
                        risks_and_issues="None new.",
                    )
                )
        _bulk(CommitmentUpdate, updates)
        built["commitments"] = Commitment.objects.count()
        built["updates"] = CommitmentUpdate.objects.count()
        built["programmes"] = Programme.objects.count()

    with transaction.atomic():
        # Groundbreakers (in the demo programme) and their activities.
        have = Groundbreaker.objects.count()
        gbs = _bulk(
            Groundbreaker,
            [
                Groundbreaker(
                    programme=demo,
                    name=f"Bench groundbreaker {i:03d}",
                    slug=f"bench-groundbreaker-{i:03d}",
                    summary="Generated for the benchmark.",
                    lead_officer=officers[i % len(officers)],
                    status=rng.choice(["proposed", "setting_up", "live", "sustained"]),
                )
                for i in range(max(0, counts["groundbreakers"] - have))
            ],
        )
        gbs = list(Groundbreaker.objects.filter(programme=demo)) or gbs
        divisions = list(Place.objects.filter(kind="division", council=demo.council)) or list(
            Place.objects.filter(council=demo.council)
        )
        kinds = ["event", "workshop", "interview", "community_conversation", "door_knocking"]
        # One in twenty is planned (and still to come), one in fifty was cancelled.
        activities = _bulk(
            Activity,
            [
                Activity(
                    programme=demo,
                    groundbreaker=gbs[i % len(gbs)],
                    title=f"Bench activity {i:05d}",
                    kind=rng.choice(kinds),
                    status="planned" if i % 20 == 0 else "cancelled" if i % 50 == 1 else "held",
                    date=today + datetime.timedelta(days=rng.randint(1, 90))
                    if i % 20 == 0
                    else today - datetime.timedelta(days=rng.randint(0, 700)),
                    attendees=None if i % 20 == 0 else rng.randint(0, 80),
                    households_approached=rng.randint(0, 50),
                    volunteers=rng.randint(0, 10),
                    sessions=1,
                    recorded_by=officer,
                )
                for i in range(counts["activities"])
            ],
        )
        _bulk(
            Activity.places.through,
            [
                Activity.places.through(activity_id=a.pk, place_id=place.pk)
                for a in activities
                if a.pk is not None
                for place in rng.sample(divisions, k=min(len(divisions), rng.randint(1, 2)))
            ],
        )
        built["groundbreakers"] = Groundbreaker.objects.count()
        built["activities"] = Activity.objects.count()

    with transaction.atomic():
        # Applications (across the demo funds' rounds), a decision and award for the grants.
        rounds = list(Round.objects.filter(fund__programme=demo, fund__kind="standard"))
        orgs = _bulk(
            Organisation,
            [
                Organisation(name=f"Bench community group {i:03d}", kind="community_group")
                for i in range(200)
            ],
        )
        unusable = make_password(None)
        applicants = []
        for i, org in enumerate(orgs):
            applicants.append(
                User(
                    email=f"applicant{i:03d}@bench.cpw.test",
                    full_name=f"Bench Applicant {i:03d}",
                    organisation=org,
                    password=unusable,
                )
            )
        applicants = _bulk(User, applicants)
        _bulk(RoleAssignment, [RoleAssignment(user=u, role=Role.PARTNER) for u in applicants])
        statuses = ["submitted", "screening", "in_assessment", "ready_for_decision", "declined"]
        n_apps, n_grants = counts["applications"], min(counts["grants"], counts["applications"])
        apps = []
        for i in range(n_apps):
            status = "approved" if i < n_grants else rng.choice(statuses + ["draft"])
            apps.append(
                Application(
                    round=rounds[i % len(rounds)],
                    organisation=orgs[i % len(orgs)],
                    created_by=applicants[i % len(applicants)],
                    reference=f"BENCH-{i:05d}",
                    status=status,
                    status_changed_at=now,
                    project_title=f"Bench project {i:05d}",
                    summary="Generated for the benchmark.",
                    amount_capital=Decimal(rng.randint(0, 5) * 1000),
                    amount_revenue=Decimal(rng.randint(1, 5) * 1000),
                    submitted_at=None if status == "draft" else now,
                    submitted_by=None if status == "draft" else applicants[i % len(applicants)],
                )
            )
        apps = _bulk(Application, apps)
        granted = apps[:n_grants]
        _bulk(
            Decision,
            [
                Decision(
                    application=a,
                    outcome="approved",
                    amount_capital=a.amount_capital,
                    amount_revenue=a.amount_revenue,
                    decided_by=manager,
                    decided_at=now,
                )
                for a in granted
            ],
        )
        _bulk(
            Award,
            [
                Award(
                    application=a,
                    amount_capital=a.amount_capital,
                    amount_revenue=a.amount_revenue,
                    awarded_on=today - datetime.timedelta(days=rng.randint(0, 500)),
                    awarded_by=manager,
                )
                for a in granted
            ],
        )
        built["applications"] = Application.objects.count()
        built["grants"] = Award.objects.count()
        built["funds"] = Fund.objects.count()

    with transaction.atomic():
        # Metric observations: one per metric, period and small area (new LSOA places, so they
        # never clash with the demo's whole-programme and division figures).
        metrics = list(Metric.objects.filter(framework__programme=demo).exclude(source="derived"))
        metrics = metrics or list(Metric.objects.filter(framework__programme=demo))
        obs_periods = list(
            ReportingPeriod.objects.filter(programme=demo, start__lte=today).order_by("start")
        )
        per_place = max(1, len(metrics) * len(obs_periods))
        n_places = -(-counts["observations"] // per_place)
        parent = divisions[0] if divisions else None
        lsoas = _bulk(
            Place,
            [
                Place(
                    council=demo.council,
                    name=f"Bench area {i:04d}",
                    kind="lsoa",
                    ons_code=f"E0199{i:04d}",
                    parent=parent,
                )
                for i in range(n_places)
            ],
        )
        observations = []
        for place in lsoas:
            for metric in metrics:
                for period in obs_periods:
                    if len(observations) >= counts["observations"]:
                        break
                    observations.append(
                        Observation(
                            metric=metric,
                            period=period,
                            place=place,
                            value=Decimal(rng.randint(0, 10_000)) / 100,
                            source="import",
                            recorded_by=manager,
                        )
                    )
        _bulk(Observation, observations)
        built["observations"] = Observation.objects.count()

    # Survey responses with SCORES_PER_RESPONSE statement scores each, in batches.
    waves = list(SurveyWave.objects.filter(framework__programme=demo).order_by("pk"))
    statements = list(Statement.objects.filter(practice__framework__programme=demo).order_by("pk"))
    bands = ["16-24", "25-44", "45-64", "65+"]
    total = counts["survey_responses"]
    done = 0
    while done < total:
        size = min(BATCH * 5, total - done)
        with transaction.atomic():
            responses = _bulk(
                SurveyResponse,
                [
                    SurveyResponse(
                        wave=waves[(done + i) % len(waves)],
                        source="panel",
                        respondent_ref=f"B{done + i:06d}",
                        place=divisions[(done + i) % len(divisions)],
                        age_band=bands[(done + i) % 4],
                    )
                    for i in range(size)
                ],
            )
            scores = []
            for n, response in enumerate(responses):
                start = (done + n) % max(1, len(statements))
                for k in range(min(SCORES_PER_RESPONSE, len(statements))):
                    statement = statements[(start + k) % len(statements)]
                    scores.append(
                        SurveyScore(response=response, statement=statement, score=rng.randint(1, 5))
                    )
            _bulk(SurveyScore, scores)
        done += size
    for wave in waves:  # the stored results, as the import service keeps them
        survey_aggregates_recompute(wave=wave)
    built["survey_responses"] = SurveyResponse.objects.count()
    built["survey_scores"] = SurveyScore.objects.count()
    return built
