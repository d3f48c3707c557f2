"""Derived metrics: figures calculated from portal data, never typed in.

A registry of named calculators: key -> function(programme, period) -> Decimal. A metric whose
source is "derived" names one key; `evaluation.services.derived_observations_refresh` stores the
calculated value as the metric's observation for each period.

Only calculators whose source data exists in this portal are registered: a calculator is added
with `@register(...)` next to the code that reads its app, and an app that is not installed
registers nothing (there is no stub returning zero). The calculators still to be added once the
apps exist (see the evaluation issue's report):

- `council_event_attendees` — people attending council-led events in the period
  (groundbreakers' activity log: sum of attendees of council-led activities dated in the period)
- `money_to_community_groups` — total money into community groups in the period
  (funds: sum of awarded grant amounts whose award date falls in the period)
- `priority_place_grant_share` — % of the period's awarded grant money going to projects in the
  programme's priority places (funds)
- `commitments_on_track` — % of the programme's commitments rated green or complete in their
  submitted update for the period (programmes' commitments)
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from programmes.models import Programme, ReportingPeriod

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
    from cpw.accounts.models import Organisation

    return Decimal(Organisation.objects.filter(created_at__date__lte=period.end).count())
