"""Participatory rounds for tests, built through the services (set-up, shortlisting)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from funds.models import PostcodePlace, VotingRule
from funds.participatory import services
from programmes.models import PlaceKind
from tests.funds.factories import ApplicationFactory, FundFactory, RoundFactory
from tests.programmes.factories import PlaceFactory

IN_AREA = "CV3 5AA"  # in a neighbourhood inside the vote's ward
OUTSIDE = "CV1 1ZZ"  # in another ward of the council


def participatory_round(
    *,
    programme,
    manager,
    rule: str = VotingRule.KNAPSACK,
    pot: Decimal = Decimal("10000"),
    amounts=(Decimal("6000"), Decimal("5000"), Decimal("4000"), Decimal("1000")),
    choose_n: int | None = None,
    state: str = "open",
    electorate: int | None = None,
    name: str = "Cheylesmore vote",
    organisation=None,
) -> SimpleNamespace:
    """A fund with one participatory round whose bid window has closed, its bids (one per
    amount) submitted and shortlisted, and postcodes loaded. `state`: "upcoming", "open" or
    "closed" voting."""
    now = timezone.now()
    windows = {
        "upcoming": (now + datetime.timedelta(days=1), now + datetime.timedelta(days=8)),
        "open": (now - datetime.timedelta(days=1), now + datetime.timedelta(days=7)),
        "closed": (now - datetime.timedelta(days=8), now - datetime.timedelta(hours=1)),
    }
    opens, closes = windows[state]
    fund = FundFactory(programme=programme, name=f"{name} fund")
    round_ = RoundFactory(
        fund=fund,
        name=name,
        budget=pot,
        opens_at=opens - datetime.timedelta(days=40),
        closes_at=opens - datetime.timedelta(days=10),
    )
    council = programme.council
    ward = PlaceFactory(council=council, kind=PlaceKind.WARD, name=f"{name} ward")
    neighbourhood = PlaceFactory(
        council=council, kind=PlaceKind.NEIGHBOURHOOD, name=f"{name} estate", parent=ward
    )
    elsewhere = PlaceFactory(council=council, kind=PlaceKind.WARD, name=f"{name} elsewhere")
    # A later vote of the same council takes the postcodes over.
    for postcode, place in (("CV35AA", neighbourhood), ("CV11ZZ", elsewhere)):
        PostcodePlace.objects.update_or_create(
            council=council, postcode=postcode, defaults={"place": place}
        )
    setup_at = opens - datetime.timedelta(hours=1)
    participatory = services.participatory_set(
        round=round_,
        user=manager,
        rule=rule,
        voting_opens_at=opens,
        voting_closes_at=closes,
        places=[ward],
        choose_n=choose_n,
        electorate=electorate,
        now=setup_at,
    )
    entries = []
    for number, amount in enumerate(amounts, start=1):
        extra = {"organisation": organisation} if organisation else {}
        application = ApplicationFactory(
            round=round_,
            submitted=True,
            project_title=f"{name} bid {number}",
            amount_capital=amount - Decimal("100"),
            amount_revenue=Decimal("100"),
            submitted_at=now - datetime.timedelta(days=30) + datetime.timedelta(minutes=number),
            **extra,
        )
        application.places.add(neighbourhood)
        entries.append(
            services.bid_shortlist(
                participatory=participatory,
                application=application,
                user=manager,
                eligible=True,
                notes="The group owns the land; the quote is recent.",
                now=setup_at,
            )
        )
    return SimpleNamespace(
        fund=fund,
        round=round_,
        participatory=participatory,
        entries=entries,
        ward=ward,
        neighbourhood=neighbourhood,
    )


def email_voter(participatory, email="resident@example.org"):
    return services.voter_pass(participatory, method="email", identity=email)
