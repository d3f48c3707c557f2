"""Pure calculations (no database): RAG against target, index normalisation, suppression of
small survey groups, and checking a value against a metric's unit."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from .models import SCORE_MAX, SCORE_MIN, Direction, Unit

SUPPRESS_BELOW = 10  # survey groups with fewer responses than this are never shown
INDEX_BASE = Decimal(100)

INDEX_METHOD = (
    "Each component is divided by its baseline and multiplied by 100, so the baseline is 100 "
    "(for a metric where lower is better, the baseline is divided by the value instead). "
    "The index is the weighted average of the components: the sum of weight × normalised value, "
    "divided by the sum of the weights. A period where any component has no figure has no index."
)

RAG_METHOD = (
    "Progress is how far the latest figure has moved from the baseline towards the target, as a "
    "percentage of the whole distance. A figure at or beyond the target is green; otherwise green "
    "and amber start at the percentages set for the metric, and anything below amber is red."
)


def parse_number(text) -> Decimal:
    """A Decimal from a cell or form value, or ValidationError in plain English."""
    if isinstance(text, Decimal):
        return text
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return Decimal(str(text))
    cleaned = str(text if text is not None else "").strip().replace(",", "").lstrip("£")
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValidationError(f"'{text}' is not a number") from exc
    if not value.is_finite():
        raise ValidationError(f"'{text}' is not a number")
    return value


def check_value_for_unit(unit: str, value: Decimal) -> None:
    """Refuse values a metric of this unit cannot take, with a plain message."""
    if unit == Unit.SCORE and not SCORE_MIN <= value <= SCORE_MAX:
        raise ValidationError(f"A score must be between {SCORE_MIN} and {SCORE_MAX}, not {value}")
    if unit == Unit.PERCENT and not 0 <= value <= 100:
        raise ValidationError(f"A percentage must be between 0 and 100, not {value}")
    if unit == Unit.COUNT and (value < 0 or value != value.to_integral_value()):
        raise ValidationError(f"A count must be a whole number of 0 or more, not {value}")
    if unit in (Unit.POUNDS, Unit.INDEX) and value < 0:
        raise ValidationError(f"The value cannot be negative ({value})")
    if unit == Unit.POUNDS and value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"An amount in pounds has at most 2 decimal places, not {value}")


def progress_towards_target(
    *, value: Decimal, baseline: Decimal | None, target: Decimal | None
) -> Decimal | None:
    """Percentage of the way from baseline to target (None when it cannot be worked out)."""
    if value is None or baseline is None or target is None or baseline == target:
        return None
    return (value - baseline) / (target - baseline) * 100


def rag_for(metric, value: Decimal | None) -> str:
    """'green', 'amber', 'red' or '' (no target or no figure). See RAG_METHOD."""
    if value is None or metric.target is None:
        return ""
    higher = metric.direction == Direction.HIGHER
    if (higher and value >= metric.target) or (not higher and value <= metric.target):
        return "green"
    progress = progress_towards_target(
        value=value, baseline=metric.baseline_value, target=metric.target
    )
    if progress is None:
        return "red"
    if progress >= metric.rag_green_from:
        return "green"
    if progress >= metric.rag_amber_from:
        return "amber"
    return "red"


def normalise(*, value: Decimal, baseline: Decimal, direction: str) -> Decimal:
    """The value as an index where the baseline is 100 (inverted where lower is better)."""
    if direction == Direction.LOWER:
        return baseline / value * INDEX_BASE
    return value / baseline * INDEX_BASE


def weighted_index(components: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    """components: (weight, normalised value) pairs -> weighted average, or None."""
    total_weight = sum((w for w, _ in components), Decimal(0))
    if not components or total_weight == 0:
        return None
    return sum((w * v for w, v in components), Decimal(0)) / total_weight


def round_to(value: Decimal | None, places: int = 1) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass
class Cell:
    """One group's result for a statement or practice."""

    n: int  # respondents
    total: int  # sum of scores
    agree: int  # ratings of 4 or 5
    ratings: int  # for a statement one per respondent; a practice may have several
    suppressed: bool = False

    @property
    def mean(self) -> Decimal | None:
        if self.suppressed or not self.n or not self.ratings:
            return None
        return round_to(Decimal(self.total) / Decimal(self.ratings), 2)

    @property
    def pct_agree(self) -> Decimal | None:
        if self.suppressed or not self.ratings:
            return None
        return round_to(Decimal(self.agree) * 100 / Decimal(self.ratings), 1)

    @property
    def shown_n(self) -> int | None:
        return None if self.suppressed else self.n


def suppress_small_groups(cells: list[Cell]) -> None:
    """Hide every group with fewer than SUPPRESS_BELOW respondents. When exactly one group in a
    breakdown is hidden, also hide the next smallest so the hidden one cannot be worked out by
    subtracting the others from the total (secondary suppression)."""
    for cell in cells:
        if cell.n < SUPPRESS_BELOW:
            cell.suppressed = True
    hidden = [c for c in cells if c.suppressed and c.n > 0]
    shown = [c for c in cells if not c.suppressed]
    if len(hidden) == 1 and shown:
        min(shown, key=lambda c: c.n).suppressed = True
