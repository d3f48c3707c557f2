"""Pure arithmetic on assessment scores, shared by the selectors that show them."""

from decimal import Decimal


def weighted_mean(scores) -> Decimal | None:
    """Weighted mean of scores (abstentions leave the mean)."""
    total = weight = 0
    for score in scores:
        if score.abstained or score.score is None:
            continue
        total += score.score * score.criterion.weight
        weight += score.criterion.weight
    if not weight:
        return None
    return (Decimal(total) / Decimal(weight)).quantize(Decimal("0.01"))
