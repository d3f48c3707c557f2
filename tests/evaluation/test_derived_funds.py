"""Derived metrics read from the funds app: each equals a total worked out independently here in
plain Python over the factory-made data."""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.urls import reverse

from cpw.accounts.models import Role
from evaluation import derived
from funds.models import Award, GrantStatus
from funds.selectors import fund_dashboard
from tests.accounts.factories import user_with_role
from tests.funds.factories import ApplicationFactory, AwardFactory, FundFactory, RoundFactory
from tests.programmes.factories import PlaceFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

# periods fixture: 2023-Q1 (1 April to 30 June 2023) to 2023-Q4 (January to March 2024)


def _grant(round, day, capital, revenue, places=(), status=GrantStatus.ACTIVE):
    application = ApplicationFactory(round=round, approved=True)
    application.places.set(places)
    return AwardFactory(
        application=application,
        awarded_on=day,
        amount_capital=Decimal(capital),
        amount_revenue=Decimal(revenue),
        status=status,
    )


def _period_awards_by_hand(programme, period):
    return [
        a
        for a in Award.objects.select_related("application__round__fund")
        if a.application.round.fund.programme_id == programme.pk
        and period.start <= a.awarded_on <= period.end
        and a.status != GrantStatus.WITHDRAWN
    ]


def _money_by_hand(programme, period):
    awards = _period_awards_by_hand(programme, period)
    return (
        sum((a.amount_capital + a.amount_revenue for a in awards), Decimal(0)) if awards else None
    )


def _in_priority(place, priority_ids) -> bool:
    """A place counts when it, or any place it lies within, is a priority place."""
    while place is not None:
        if place.pk in priority_ids:
            return True
        place = place.parent
    return False


def _share_of(awards, programme):
    """The share to priority places worked out by hand: each grant shared equally between its
    places, exact fractions, rounded half up to one decimal place at the end."""
    priority_ids = set(programme.priority_places.values_list("pk", flat=True))
    awards = [a for a in awards if a.status != GrantStatus.WITHDRAWN]
    total = sum((Fraction(a.amount) for a in awards), Fraction(0))
    if not total:
        return None
    in_priority = Fraction(0)
    for award in awards:
        places = list(award.application.places.all())
        for place in places:
            if _in_priority(place, priority_ids):
                in_priority += Fraction(award.amount) / len(places)
    share = 100 * in_priority / total
    return (Decimal(share.numerator) / Decimal(share.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _share_by_hand(programme, period):
    return _share_of(_period_awards_by_hand(programme, period), programme)


@pytest.fixture
def grants(programme, periods):
    """Grants around 2023-Q1 and 2023-Q2 with a priority place, a place within one and others."""
    priority = PlaceFactory(name="Camp Hill")
    within = PlaceFactory(name="Camp Hill LSOA", parent=priority)
    elsewhere = PlaceFactory(name="Kenilworth")
    programme.priority_places.set([priority])
    round = RoundFactory(fund=FundFactory(programme=programme))
    second_fund_round = RoundFactory(fund=FundFactory(programme=programme))
    _grant(round, datetime.date(2023, 4, 1), "1000", "500", [priority])  # first day of Q1
    _grant(round, datetime.date(2023, 6, 30), "0", "2000", [within, elsewhere])  # last day
    _grant(second_fund_round, datetime.date(2023, 5, 5), "4000", "0", [elsewhere])
    _grant(round, datetime.date(2023, 5, 6), "3000", "3000", [], status=GrantStatus.COMPLETED)
    # Not counted: withdrawn, before the period, another programme's fund.
    _grant(round, datetime.date(2023, 5, 1), "90000", "0", [priority], GrantStatus.WITHDRAWN)
    _grant(round, datetime.date(2023, 3, 31), "80000", "0", [priority])
    other_round = RoundFactory(fund=FundFactory(programme=ProgrammeFactory()))
    _grant(other_round, datetime.date(2023, 5, 1), "70000", "0", [priority])
    # Q2: one grant, outside the priority places.
    _grant(round, datetime.date(2023, 7, 1), "250", "250", [elsewhere])
    # Q3: only a withdrawn grant: no figure, not a zero.
    _grant(round, datetime.date(2023, 11, 1), "600", "0", [priority], GrantStatus.WITHDRAWN)


def test_money_to_community_groups_sums_grants_awarded_in_the_period(programme, periods, grants):
    figures = [derived.calculate("money_to_community_groups", programme, p) for p in periods]

    assert figures == [_money_by_hand(programme, p) for p in periods]
    assert figures == [Decimal("13500"), Decimal("500"), None, None]
    calculator = derived.get("money_to_community_groups")
    assert calculator.unit == "pounds"
    assert "withdrawn" in calculator.description


def test_priority_place_grant_share_counts_places_within_a_priority_place(
    programme, periods, grants
):
    figures = [derived.calculate("priority_place_grant_share", programme, p) for p in periods]

    assert figures == [_share_by_hand(programme, p) for p in periods]
    # Q1: (1,500 in the priority place + half of 2,000 shared with a place within it and one
    # outside) of 13,500; Q2: none of 500.
    assert figures == [Decimal("18.5"), Decimal("0.0"), None, None]
    assert derived.get("priority_place_grant_share").unit == "percent"


def test_a_programme_without_grants_has_no_figures(programme, periods):
    for key in ("money_to_community_groups", "priority_place_grant_share"):
        assert [derived.calculate(key, programme, p) for p in periods] == [None] * 4


def test_a_grant_in_two_priority_places_is_counted_once(programme, periods):
    a, b = PlaceFactory(), PlaceFactory()
    programme.priority_places.set([a, b])
    round = RoundFactory(fund=FundFactory(programme=programme))
    _grant(round, datetime.date(2023, 5, 1), "1000", "0", [a, b])
    _grant(round, datetime.date(2023, 5, 2), "3000", "0", [])

    q1 = periods[0]
    assert derived.calculate("priority_place_grant_share", programme, q1) == Decimal("25.0")
    assert derived.calculate("money_to_community_groups", programme, q1) == Decimal("4000")


def test_on_the_demo_data_the_figures_equal_the_demo_grants():
    from django.db import transaction

    from cpw.accounts.demo import seed_people
    from evaluation.demo import FIRST_PERIOD, LAST_PERIOD
    from funds.demo import seed_funds
    from programmes.demo import seed_places, seed_programme
    from programmes.services import reporting_periods_ensure

    with transaction.atomic():
        places = seed_places()
        programme = seed_programme(places)
        seed_people(programme, places)
        seed_funds(programme, places)
    # The Social Impact Fund's grants were awarded on 24 March 2022 (2021-Q4), before the
    # evaluation demo's quarters: there the calculations have no figures. (The demo's later
    # awards, the story's and the community vote's, fall in 2026, after them.)
    (award_quarter,) = reporting_periods_ensure(
        programme=programme, first="2021-Q4", last="2021-Q4"
    )
    demo_quarters = reporting_periods_ensure(
        programme=programme, first=FIRST_PERIOD, last=LAST_PERIOD
    )
    for period in [award_quarter, *demo_quarters]:
        assert derived.calculate("money_to_community_groups", programme, period) == (
            _money_by_hand(programme, period)
        )
        assert derived.calculate("priority_place_grant_share", programme, period) == (
            _share_by_hand(programme, period)
        )
    money = derived.calculate("money_to_community_groups", programme, award_quarter)
    social_impact_awards = Award.objects.filter(application__round__fund__slug="social-impact-fund")
    assert money == sum((a.amount for a in social_impact_awards), Decimal(0)) > 0
    for period in demo_quarters:
        assert derived.calculate("money_to_community_groups", programme, period) is None


def test_the_fund_dashboard_and_the_derived_metric_agree_on_the_share_to_priority_places(
    programme, periods, client_as
):
    """One rule, two pages: the fund dashboard's share and evaluation's derived metric, for a
    programme with one fund whose grants all fall in one period, equal each other and a share
    worked out by hand."""
    county = PlaceFactory(name="Warwickshire")
    district = PlaceFactory(name="Nuneaton and Bedworth", parent=county)
    ward = PlaceFactory(name="Camp Hill ward", parent=district)
    lsoa = PlaceFactory(name="Camp Hill 004A", parent=ward)
    priority = PlaceFactory(name="Lillington")
    elsewhere = PlaceFactory(name="Kenilworth")
    programme.priority_places.set([district, priority])
    fund = FundFactory(programme=programme)
    round = RoundFactory(fund=fund)
    day = datetime.date(2023, 5, 1)
    _grant(round, day, "1000", "500", [priority])
    _grant(round, day, "0", "3000", [lsoa, elsewhere, priority])  # two of three in priority
    _grant(round, day, "2500", "0", [ward, elsewhere])  # one of two within a priority place
    _grant(round, day, "4000", "0", [elsewhere])
    _grant(round, day, "1234.56", "0", [])  # no place: counts in the total only
    _grant(round, day, "90000", "0", [priority], GrantStatus.WITHDRAWN)
    _grant(round, day, "7000", "0", [priority, elsewhere], GrantStatus.WITHDRAWN)
    _grant(round, day, "333.33", "0", [priority, lsoa, elsewhere], GrantStatus.COMPLETED)

    by_hand = _share_of(Award.objects.all(), programme)
    dashboard = fund_dashboard(fund)["priority_share"]
    metric = derived.calculate("priority_place_grant_share", programme, periods[0])
    assert dashboard == metric == by_hand == Decimal("39.6")

    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    page = client_as(manager).get(reverse("funds:fund-dashboard", args=[fund.slug]))
    assert f"{by_hand}% of the money went to priority places" in page.content.decode()
