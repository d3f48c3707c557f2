"""Derived metrics: figures calculated from portal data, never typed in.

A registry of named calculators: key -> function(programme, period) -> Decimal. A metric whose
source is "derived" names one key; `evaluation.services.derived_observations_refresh` stores the
calculated value as the metric's observation for each period.

Only calculators whose source data exists in this portal are registered: a calculator is added
with `@register(...)` next to the code that reads its app, and an app that is not installed
registers nothing (there is no stub returning zero).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum

from cpw.accounts.models import Organisation
from funds.models import Award, Ballot, GrantStatus, ParticipatoryRound
from funds.selectors import grant_money_by_place
from groundbreakers.selectors import activity_totals
from programmes.models import RAG, CommitmentUpdate, Programme, ReportingPeriod, UpdateStatus

Calculator = Callable[[Programme, ReportingPeriod], Decimal | None]


@dataclass(frozen=True)
class DerivedCalculator:
    key: str
    label: str
    unit: str  # one of evaluation.models.Unit
    description: str  # plain English: what is counted, from where, for which period
    function: Calculator
    do_not_call_in_templates = True  # templates read its label and description

    def __call__(self, programme: Programme, period: ReportingPeriod) -> Decimal | None:
        """The figure, or None when there is no figure for the period (for example a share
        of grant money in a period with no grants): no observation is stored then."""
        value = self.function(programme, period)
        return None if value is None else Decimal(value)


REGISTRY: dict[str, DerivedCalculator] = {}


def register(*, key: str, label: str, unit: str):
    """Decorator: register `function(programme, period) -> Decimal | None` under `key`. The
    function's docstring is the description shown beside the figure. Return None (not 0) when
    the period has no figure, e.g. a percentage of nothing."""

    def decorator(function: Calculator) -> Calculator:
        if key in REGISTRY:
            raise ValueError(f"A derived metric called {key!r} is already registered")
        REGISTRY[key] = DerivedCalculator(
            key=key,
            label=label,
            unit=unit,
            description=" ".join((function.__doc__ or "").split()),
            function=function,
        )
        return function

    return decorator


def available() -> list[DerivedCalculator]:
    """The calculators a metric may use, in label order."""
    return sorted(REGISTRY.values(), key=lambda c: c.label)


def choices() -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in available()]


def get(key: str) -> DerivedCalculator | None:
    return REGISTRY.get(key)


def calculate(key: str, programme: Programme, period: ReportingPeriod) -> Decimal | None:
    calculator = REGISTRY.get(key)
    if calculator is None:
        raise KeyError(f"No derived metric called {key!r}")
    return calculator(programme, period)


# --- Calculators whose data exists now ----------------------------------------------------------


@register(
    key="community_groups", label="Number of community groups (partner organisations)", unit="count"
)
def community_groups(programme: Programme, period: ReportingPeriod) -> Decimal:
    """The number of partner organisations (charities, community groups, town and parish
    councils and others) registered on the portal by the last day of the period. Organisations
    are shared by every programme of the council, so the count is council-wide."""
    return Decimal(Organisation.objects.filter(created_at__date__lte=period.end).count())


@register(key="council_event_attendees", label="People attending council-led events", unit="count")
def council_event_attendees(programme: Programme, period: ReportingPeriod) -> Decimal | None:
    """The number of people attending council-led events in the period: the attendees of every
    council-led activity held (not planned or cancelled) in the programme's engagement log (groundbreakers' and programme-level
    events) whose date falls in the period. No figure for a period in which no council-led
    activity records its attendance."""
    totals = activity_totals(
        programme=programme, council_led=True, start=period.start, end=period.end
    )
    if not totals["attendance_recorded"]:
        return None
    return Decimal(totals["attendees"])


@register(key="commitments_on_track", label="Delivery-plan commitments on track", unit="percent")
def commitments_on_track(programme: Programme, period: ReportingPeriod) -> Decimal | None:
    """The percentage of the programme's delivery-plan commitments rated green or complete in
    their submitted update for the period, out of the commitments with a submitted update for
    the period (drafts are not counted). No figure for a period without submitted updates."""
    counts = CommitmentUpdate.objects.filter(
        commitment__plan__programme=programme, period=period, status=UpdateStatus.SUBMITTED
    ).aggregate(
        submitted=Count("id"), on_track=Count("id", filter=Q(rag__in=[RAG.GREEN, RAG.COMPLETE]))
    )
    if not counts["submitted"]:
        return None
    return (Decimal(100) * counts["on_track"] / counts["submitted"]).quantize(Decimal("0.1"))


def _period_grants(programme: Programme, period: ReportingPeriod):
    """Grants (funds.Award) from the programme's funds awarded in the period, withdrawn grants
    left out: a withdrawn grant's money does not reach the group."""
    return Award.objects.filter(
        application__round__fund__programme=programme,
        awarded_on__gte=period.start,
        awarded_on__lte=period.end,
    ).exclude(status=GrantStatus.WITHDRAWN)


def _money(grants) -> Decimal:
    total = grants.aggregate(total=Sum(F("amount_capital") + F("amount_revenue")))["total"]
    return Decimal(total or 0)


@register(key="money_to_community_groups", label="Money going into community groups", unit="pounds")
def money_to_community_groups(programme: Programme, period: ReportingPeriod) -> Decimal | None:
    """The grant money (capital and revenue) awarded in the period from the programme's funds:
    every grant whose award date falls in the period, withdrawn grants not counted. No figure
    for a period in which no grant was awarded."""
    grants = _period_grants(programme, period)
    if not grants.exists():
        return None
    return _money(grants)


@register(
    key="priority_place_grant_share",
    label="Share of grant money going to priority places",
    unit="percent",
)
def priority_place_grant_share(programme: Programme, period: ReportingPeriod) -> Decimal | None:
    """The percentage of the grant money awarded in the period from the programme's funds
    (withdrawn grants not counted) going to the programme's priority places: a grant for several
    places is shared equally between them, and a place counts when it is a priority place or
    lies within one. The same rule as the fund dashboard's figure. No figure for a period with
    no grant money."""
    return grant_money_by_place(_period_grants(programme, period), programme=programme)[
        "priority_share"
    ]


@register(
    key="money_decided_by_residents",
    label="Grant money decided by residents' votes",
    unit="pounds",
)
def money_decided_by_residents(programme: Programme, period: ReportingPeriod) -> Decimal | None:
    """The grant money (capital and revenue) awarded in the period from rounds of the
    programme's funds that residents decided by voting (participatory budgeting), withdrawn
    grants not counted. No figure for a period in which no such grant was awarded."""
    grants = _period_grants(programme, period).filter(
        application__round__participatory__isnull=False
    )
    if not grants.exists():
        return None
    return _money(grants)


@register(key="residents_vote_turnout", label="Turnout in residents' votes", unit="percent")
def residents_vote_turnout(programme: Programme, period: ReportingPeriod) -> Decimal | None:
    """The ballots cast (online and on paper, spoilt ones included) as a percentage of the
    residents who could vote, over the programme's residents' votes whose voting closed in the
    period and whose council gave the number of residents who could vote. No figure for a
    period in which no such vote closed."""
    votes = ParticipatoryRound.objects.filter(
        round__fund__programme=programme,
        electorate__isnull=False,
        voting_closes_at__date__gte=period.start,
        voting_closes_at__date__lte=period.end,
    )
    electorate = votes.aggregate(total=Sum("electorate"))["total"]
    if not electorate:
        return None
    ballots = Ballot.objects.filter(participatory__in=votes).count()
    return (Decimal(100) * ballots / electorate).quantize(Decimal("0.1"))
