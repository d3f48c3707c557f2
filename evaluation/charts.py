"""Server-rendered SVG trend charts: coordinates worked out here, drawn by
templates/evaluation/includes/trend_chart.html. No script, no inline style (strict CSP)."""

import math
from decimal import Decimal

from cpw.core import formatting

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 40, 20, 50


def _nice_step(raw: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least `raw`."""
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def _nice_range(values: list[Decimal], whole: bool = False) -> tuple[float, float, float]:
    """(low, high, step) with round tick values that include every value."""
    low, high = float(min(values)), float(max(values))
    if low == high:
        pad = abs(low) * 0.1 or 1
        low, high = low - pad, high + pad
    step = _nice_step((high - low) / 4)
    if whole:
        step = max(step, 1.0)
    low = math.floor(low / step) * step
    high = math.ceil(high / step) * step
    if float(min(values)) >= 0 > low:
        low = 0.0
    return low, high, step


def format_value(value, unit: str) -> str:
    """A figure in its unit, as every page, PDF and report shows it (cpw.core.formatting)."""
    return formatting.metric_value(value, unit)


def format_change(change, unit: str) -> str:
    """A change between two figures, without its sign: percentages change by points."""
    return formatting.change_size(change, unit)


def trend_chart(
    *,
    labels: list[str],
    values: list[Decimal | None],
    unit: str,
    baseline: Decimal | None = None,
    target: Decimal | None = None,
) -> dict | None:
    """Everything the template needs to draw a line chart of values by period, with horizontal
    reference lines for baseline and target. None when there is nothing to draw."""
    points_in = [(i, v) for i, v in enumerate(values) if v is not None]
    if not points_in:
        return None
    scale_values = [v for _, v in points_in]
    scale_values += [x for x in (baseline, target) if x is not None]
    low, high, tick_step = _nice_range(scale_values, whole=unit == "count")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(labels) - 1, 1)

    def x(i):
        return round(LEFT + (i * step if len(labels) > 1 else plot_w / 2), 1)

    def y(v):
        return round(TOP + plot_h - (float(v) - low) / (high - low) * plot_h, 1)

    points = [{"x": x(i), "y": y(v), "label": format_value(v, unit)} for i, v in points_in]
    ticks = []
    value = low
    while value <= high + tick_step / 1000:
        ticks.append({"y": y(value), "label": format_value(Decimal(str(round(value, 4))), unit)})
        value += tick_step
    every = max(1, len(labels) // 8)
    x_labels = [{"x": x(i), "label": label} for i, label in enumerate(labels) if i % every == 0]

    def reference(value, name):
        if value is None:
            return None
        return {"y": y(value), "label": f"{name} {format_value(value, unit)}"}

    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "label_y": HEIGHT - BOTTOM + 20,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "ticks": ticks,
        "x_labels": x_labels,
        "baseline": reference(baseline, "Baseline"),
        "target": reference(target, "Target"),
    }
