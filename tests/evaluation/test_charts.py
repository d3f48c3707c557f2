from decimal import Decimal

from evaluation.charts import format_change, trend_chart


def test_chart_axis_has_round_ticks_that_cover_baseline_target_and_values():
    chart = trend_chart(
        labels=["2022-Q1", "2022-Q2", "2022-Q3"],
        values=[Decimal("7.3"), None, Decimal("6.3")],
        unit="percent",
        baseline=Decimal("7.2"),
        target=Decimal("6.0"),
    )
    assert [t["label"] for t in chart["ticks"]] == ["6.0%", "6.5%", "7.0%", "7.5%"]
    assert len(chart["points"]) == 2  # a period with no figure is not drawn
    ys = [t["y"] for t in chart["ticks"]]
    assert all(min(ys) <= p["y"] <= max(ys) for p in chart["points"])
    assert chart["baseline"]["label"] == "Baseline 7.2%"


def test_no_figures_no_chart():
    assert trend_chart(labels=["2022-Q1"], values=[None], unit="count") is None


def test_a_change_in_a_percentage_is_in_points():
    assert format_change(Decimal("-0.7"), "percent") == "0.7 percentage points"
    assert format_change(Decimal("25000"), "pounds") == "£25,000"
