"""Demo residents' votes for Community Powered Warwickshire (illustrative, like the rest of the
demo): a closed vote in Nuneaton Camp Hill with its result confirmed and grants awarded, and a
vote open now. Built through the services, so the ballots, the count and the awards are what
the portal itself would make. Loading the demo again leaves an existing vote as it is."""

import datetime
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from cpw.accounts.models import Organisation, OrganisationType, User
from cpw.core.upsert import update_or_create_if_changed

from ..models import (
    Application,
    ApplicationSection,
    ApplicationStatus,
    BudgetLine,
    Fund,
    ParticipatoryRound,
    PollingCard,
    PostcodePlace,
    Round,
    Section,
    SectionStatus,
    VotingRule,
)
from . import services

LONDON = ZoneInfo("Europe/London")
DEMO_CARD_CODE = "DEMOV-OTE26"
DEMO_POSTCODE = "CV10 9AA"

FUND = {
    "slug": "residents-decide",
    "name": "Residents Decide",
    "reference_prefix": "RD",
    "description": "Residents of a division decide which community bids share a pot, online "
    "and at a voting day.",
    "minimum_grant": Decimal("500"),
    "maximum_grant": Decimal("10000"),
    "budget_total": Decimal("40000"),
    "budget_capital": Decimal("20000"),
    "budget_revenue": Decimal("20000"),
}

CLOSED_BIDS = [
    ("Camp Hill Community Garden (illustrative)", "A growing space and seed library", 8000),
    ("Camp Hill Youth Boxing (illustrative)", "Free evening sessions for 11 to 16s", 6500),
    ("Bar Pool Lunch Club (illustrative)", "A weekly hot lunch for older residents", 5000),
    ("Crescents Play Street (illustrative)", "Monthly car-free play afternoons", 4000),
    ("Camp Hill Repair Café (illustrative)", "Fix-it sessions with volunteer menders", 3000),
    ("Camp Hill Bench Project (illustrative)", "Benches along the walk to the shops", 2500),
]
OPEN_BIDS = [
    ("Camp Hill Community Garden (illustrative)", "Raised beds for the school's pupils", 6000),
    ("Bar Pool Lunch Club (illustrative)", "A second lunch day each week", 4500),
    ("Crescents Play Street (illustrative)", "Play equipment to lend", 3500),
    ("Camp Hill Repair Café (illustrative)", "Tools and a trailer", 2500),
    ("Camp Hill Walking Group (illustrative)", "Led walks and a map of routes", 1500),
]


def _at(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def _bid(round, manager, number, organisation_name, title, amount, place, submitted_at):
    organisation, _ = update_or_create_if_changed(
        Organisation.objects,
        name=organisation_name,
        defaults={"kind": OrganisationType.COMMUNITY_GROUP, "postcode": DEMO_POSTCODE},
    )
    amount = Decimal(amount)
    capital = (amount * Decimal("0.5")).quantize(Decimal("1"))
    revenue = amount - capital
    application = Application.objects.create(
        round=round,
        organisation=organisation,
        created_by=manager,
        reference=f"RD-{submitted_at.year}-{round.pk:02d}{number:02d}",
        status=ApplicationStatus.SUBMITTED,
        project_title=title,
        summary=f"{title}, run by {organisation_name.replace(' (illustrative)', '')}.",
        amount_capital=capital,
        amount_revenue=revenue,
        start_date=(submitted_at + datetime.timedelta(days=120)).date(),
        end_date=(submitted_at + datetime.timedelta(days=485)).date(),
        beneficiaries="Residents of Camp Hill",
        submitted_at=submitted_at,
        declaration_name="Demo applicant",
    )
    application.places.set([place])
    ApplicationSection.objects.bulk_create(
        [
            ApplicationSection(application=application, section=s, status=SectionStatus.COMPLETED)
            for s in Section.values
        ]
    )
    BudgetLine.objects.create(
        application=application, description="Equipment", kind="capital", amount=capital
    )
    BudgetLine.objects.create(
        application=application, description="Sessions", kind="revenue", amount=revenue
    )
    return application


def _vote(fund, manager, *, name, bids, rule, pot, bids_close, opens, closes, places, **extra):
    """A round with its bids submitted and shortlisted, and its vote set up (None when the round
    already has a vote)."""
    if ParticipatoryRound.objects.filter(round__fund=fund, round__name=name).exists():
        return None
    round, _ = update_or_create_if_changed(
        Round.objects,
        fund=fund,
        name=name,
        defaults={
            "opens_at": bids_close - datetime.timedelta(days=42),
            "closes_at": bids_close,
            "budget": pot,
        },
    )
    setup_at = bids_close + datetime.timedelta(hours=1)
    participatory = services.participatory_set(
        round=round,
        user=manager,
        rule=rule,
        voting_opens_at=opens,
        voting_closes_at=closes,
        places=[places["Nuneaton Camp Hill"]],
        introduction="Camp Hill residents decide which local projects the pot pays for.",
        now=setup_at,
        **extra,
    )
    neighbourhoods = [places["Camp Hill"], places["Bar Pool North and Crescents"]]
    entries = []
    for number, (organisation, title, amount) in enumerate(bids, start=1):
        application = _bid(
            round,
            manager,
            number,
            organisation,
            title,
            amount,
            neighbourhoods[number % 2],
            bids_close - datetime.timedelta(days=number),
        )
        entries.append(
            services.bid_shortlist(
                participatory=participatory,
                application=application,
                user=manager,
                eligible=True,
                notes="Checked by the Camp Hill community planning group: the costs are "
                "realistic and the group can deliver it within a year.",
                now=setup_at,
            )
        )
    return participatory, entries


def _knapsack_choices(rng, entries, pot):
    chosen, total = {}, Decimal("0")
    for entry in rng.sample(entries, len(entries)):
        if total + entry.amount <= pot and rng.random() < 0.6:
            chosen[entry.pk] = None
            total += entry.amount
    return chosen or {min(entries, key=lambda e: e.amount).pk: None}


@transaction.atomic
def seed_participatory(programme, places) -> Fund:
    manager = User.objects.get(email="manager@demo.cpw.test")
    officer = User.objects.get(email="officer@demo.cpw.test")
    fund, _ = update_or_create_if_changed(
        Fund.objects,
        slug=FUND["slug"],
        defaults={
            **FUND,
            "programme": programme,
            "funder_identifier": "GB-LAE-WAR",
            "funder_name": "Warwickshire County Council",
        },
    )
    council = programme.council
    for postcode, place in (
        ("CV109AA", places["Camp Hill"]),
        ("CV109AB", places["Camp Hill"]),
        ("CV109QB", places["Bar Pool North and Crescents"]),
    ):
        update_or_create_if_changed(
            PostcodePlace.objects, council=council, postcode=postcode, defaults={"place": place}
        )

    # Closed, counted and confirmed: September 2026.
    closed = _vote(
        fund,
        manager,
        name="Camp Hill 2026 vote",
        bids=CLOSED_BIDS,
        rule=VotingRule.KNAPSACK,
        pot=Decimal("25000"),
        bids_close=_at(2026, 7, 31, 23, 59),
        opens=_at(2026, 9, 1),
        closes=_at(2026, 9, 30, 23, 59),
        places=places,
        electorate=9200,
    )
    if closed:
        participatory, entries = closed
        rng = random.Random(2026)
        for n in range(64):
            services.ballot_cast(
                participatory=participatory,
                voter=services.voter_pass(
                    participatory, method="email", identity=f"voter{n}@demo.cpw.test"
                ),
                choices=_knapsack_choices(rng, entries, participatory.pot),
                now=_at(2026, 9, 2 + n % 25, 19),
            )
        voting_day = _at(2026, 9, 26, 16)
        for number in range(1, 32):
            services.paper_ballot_enter(
                participatory=participatory,
                user=officer,
                number=number,
                choices=_knapsack_choices(rng, entries, participatory.pot),
                now=voting_day,
            )
        for number, reason in ((32, "Over the pot"), (33, "Blank")):
            services.paper_ballot_enter(
                participatory=participatory,
                user=officer,
                number=number,
                choices={},
                spoilt=True,
                reason=reason,
                now=voting_day,
            )
        for ballot in participatory.ballots.filter(number__in=services.check_sample(participatory)):
            services.paper_ballot_check(
                participatory=participatory,
                user=manager,
                number=ballot.number,
                choices=dict(ballot.choices.values_list("entry_id", "score")),
                spoilt=ballot.spoilt,
            )
        services.result_confirm(
            participatory=participatory,
            user=manager,
            awarded_on=datetime.date(2026, 10, 8),
            first_report_due=datetime.date(2027, 4, 8),
            now=_at(2026, 10, 8, 10),
        )

    # Open now: choose three bids.
    now = timezone.now()
    opened = _vote(
        fund,
        manager,
        name="Camp Hill 2027 vote (demo, open now)",
        bids=OPEN_BIDS,
        rule=VotingRule.CHOOSE_N,
        pot=Decimal("15000"),
        bids_close=now - datetime.timedelta(days=10),
        opens=now - datetime.timedelta(days=2),
        closes=(now + datetime.timedelta(days=12)).replace(hour=23, minute=59, second=0),
        places=places,
        choose_n=3,
        electorate=9200,
    )
    if opened:
        participatory, entries = opened
        rng = random.Random(2027)
        for n in range(12):
            services.ballot_cast(
                participatory=participatory,
                voter=services.voter_pass(
                    participatory, method="email", identity=f"early{n}@demo.cpw.test"
                ),
                choices={e.pk: None for e in rng.sample(entries, 3)},
            )
        card = services.voter_pass(
            participatory, method="card", identity=services.card_code_normalise(DEMO_CARD_CODE)
        )
        PollingCard.objects.get_or_create(participatory=participatory, code_hash=card.card_hash)
    return fund
