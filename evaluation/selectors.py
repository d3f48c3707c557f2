"""Every non-trivial read in the evaluation app. Each page's query shape lives here so that the
number of queries does not grow with the number of observations or responses."""

from collections import defaultdict

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from programmes.models import PeriodWording, Place, ReportingPeriod
from programmes.periods import period_name
from programmes.selectors import programme_list_for_user

from . import aggregates, derived
from .calculations import (
    Cell,
    normalise,
    rag_for,
    round_to,
    suppress_small_groups,
    weighted_index,
)
from .display import result_cell_html
from .models import (
    AgeBand,
    CompositeIndex,
    Framework,
    IndexComponent,
    Metric,
    MetricTier,
    Observation,
    Practice,
    Statement,
    SurveyLink,
    SurveyWave,
)

# --- Frameworks ---------------------------------------------------------------------------------


def framework_list_for_user(user) -> QuerySet[Framework]:
    """The frameworks of the programmes the user holds a role in (the evaluation home page)."""
    return (
        Framework.objects.filter(programme__in=programme_list_for_user(user))
        .select_related("programme")
        .order_by("programme__name")
    )


def framework_get(slug: str) -> Framework:
    """The framework of the programme with this slug (404 when there is none). Who may see it
    is the view's question, answered by evaluation/rules.py."""
    framework = Framework.objects.select_related("programme").filter(programme__slug=slug).first()
    if framework is None:
        raise Http404("No such evaluation framework")
    return framework


def framework_detail(framework: Framework) -> dict:
    metrics = (
        Metric.objects.filter(framework=framework)
        .select_related("tier")
        .order_by("tier__order", "order", "name")
    )
    practices = Practice.objects.filter(framework=framework).prefetch_related(
        Prefetch("statements", queryset=Statement.objects.order_by("kind", "order", "id")),
        Prefetch("metrics", queryset=metrics),
    )
    tiers = MetricTier.objects.filter(framework=framework).prefetch_related(
        Prefetch("metrics", queryset=metrics.prefetch_related("practices"))
    )
    high_level = sum(1 for tier in tiers for m in tier.metrics.all() if m.is_high_level)
    return {"practices": practices, "tiers": tiers, "high_level_count": high_level}


# --- Metrics and observations -------------------------------------------------------------------


def _whole_programme(metric_ref="pk"):
    return Observation.objects.filter(metric=OuterRef(metric_ref), place__isnull=True).order_by(
        "-period__start"
    )


def dashboard_metrics(framework: Framework) -> list[Metric]:
    """High-level metrics with their latest whole-programme figure, the one before it, the
    change between them and a RAG rating against target. Three subqueries, one query."""
    latest = _whole_programme()
    metrics = list(
        Metric.objects.filter(framework=framework, is_high_level=True)
        .select_related("tier")
        .annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_period=Subquery(latest.values("period__label")[:1]),
            previous_value=Subquery(latest.values("value")[1:2]),
            previous_period=Subquery(latest.values("period__label")[1:2]),
        )
        .order_by("tier__order", "order", "name")
    )
    names = period_names(framework.programme)
    for metric in metrics:
        _decorate_latest(metric)
        metric.latest_period = names.get(metric.latest_period, metric.latest_period)
        metric.previous_period = names.get(metric.previous_period, metric.previous_period)
    return metrics


def period_names(programme) -> dict[str, str]:
    """Each of the programme's period labels with the name the programme gives it (none to look
    up when the programme shows the labels themselves)."""
    if programme.period_wording == PeriodWording.LABEL:
        return {}
    periods = ReportingPeriod.objects.filter(programme=programme)
    return {p.label: period_name(p, programme) for p in periods}


def _decorate_latest(metric: Metric) -> None:
    metric.change = (
        metric.latest_value - metric.previous_value
        if metric.latest_value is not None and metric.previous_value is not None
        else None
    )
    metric.rag = rag_for(metric, metric.latest_value)


def metric_get(*, slug: str, pk: int) -> Metric:
    """A metric of the framework of the programme with this slug (404 otherwise)."""
    metric = (
        Metric.objects.filter(framework__programme__slug=slug, pk=pk)
        .select_related("tier", "framework__programme")
        .prefetch_related("practices")
        .first()
    )
    if metric is None:
        raise Http404("No such metric")
    return metric


def metric_series(metric: Metric) -> list[Observation]:
    """The metric's whole-programme figures in period order."""
    return list(
        Observation.objects.filter(metric=metric, place__isnull=True)
        .select_related("period", "recorded_by")
        .order_by("period__start")
    )


def metric_latest_by_place(metric: Metric) -> list[Observation]:
    """Each place's figure in the latest period that has figures for places (two indexed
    queries, however many periods and places)."""
    latest = (
        Observation.objects.filter(metric=metric, place__isnull=False)
        .order_by("-period__start")
        .values_list("period_id", flat=True)
        .first()
    )
    if latest is None:
        return []
    return list(
        Observation.objects.filter(metric=metric, period_id=latest, place__isnull=False)
        .select_related("place", "period")
        .order_by("place__name")
    )


def period_list(framework: Framework) -> QuerySet[ReportingPeriod]:
    return (
        ReportingPeriod.objects.filter(programme_id=framework.programme_id)
        .select_related("programme")
        .order_by("start")
    )


def place_choices(council_id: int) -> QuerySet[Place]:
    """The places a figure or a survey answer can be for: the programme's council's own."""
    return (
        Place.objects.filter(council_id=council_id)
        .select_related("parent")
        .order_by("kind", "name")
    )


def observation_export_rows(framework: Framework) -> list[list]:
    rows = (
        Observation.objects.filter(metric__framework=framework)
        .select_related("metric", "period", "place")
        .order_by("metric__tier__order", "metric__order", "metric__name", "period__start")
        .values_list(
            "metric__name",
            "period__label",
            "place__name",
            "value",
            "metric__unit",
            "source",
            "note",
        )
    )
    return [list(r) for r in rows]


def derived_calculator_for(metric: Metric):
    return derived.get(metric.derived_key) if metric.derived_key else None


# --- Surveys ------------------------------------------------------------------------------------


def wave_list(framework: Framework) -> list[SurveyWave]:
    """The framework's waves, each with its stored response count (kept with its aggregates),
    read here rather than counted by the template."""
    return list(SurveyWave.objects.filter(framework=framework))


def wave_get(*, slug: str, pk: int) -> SurveyWave:
    """A survey wave of the framework of the programme with this slug (404 otherwise)."""
    wave = (
        SurveyWave.objects.filter(framework__programme__slug=slug, pk=pk)
        .select_related("framework__programme")
        .first()
    )
    if wave is None:
        raise Http404("No such survey wave")
    return wave


def survey_link_get(token: str) -> SurveyLink:
    """A public survey link by its token, with its wave (404 for an unknown token)."""
    link = (
        SurveyLink.objects.select_related("wave__framework__programme").filter(token=token).first()
    )
    if link is None:
        raise Http404("No such survey link")
    return link


def wave_link_counts(wave: SurveyWave) -> dict:
    return SurveyLink.objects.filter(wave=wave).aggregate(
        issued=Count("id"), used=Count("id", filter=Q(used_at__isnull=False))
    )


def unused_links(wave: SurveyWave) -> QuerySet[SurveyLink]:
    return SurveyLink.objects.filter(wave=wave, used_at__isnull=True).order_by("id")


BREAKDOWNS = [("place", "Place"), ("age_band", "Age")]
NOT_STATED = "Not stated"
HIDDEN = "Hidden (small group)"


def survey_results(wave: SurveyWave) -> dict:
    """Results per statement and per practice: respondents (n), mean score, % agreeing (4 or 5),
    and breakdowns by place and age band, read from the wave's stored aggregates
    (evaluation/aggregates.py), so three queries however many responses. Every group with fewer
    than 10 respondents is suppressed here, on read, so every page and export built from this
    shows the same protected figures."""
    statements = list(
        wave.statements.select_related("practice").order_by("practice__order", "order", "id")
    )
    practices = []
    for statement in statements:
        if statement.practice not in practices:
            practices.append(statement.practice)
    figures = aggregates.stored(wave)

    def cell(values) -> Cell:
        n, total, agree, ratings = values
        return Cell(n=n, total=total, agree=agree, ratings=ratings)

    overall = {(k, key_id): cell(v) for (k, key_id, dim, _), v in figures.items() if dim == ""}
    for one in overall.values():
        suppress_small_groups([one])

    place_ids = {int(g) for (_, _, dim, g) in figures if dim == "place" and g}
    place_names = (
        {
            str(pk): name
            for pk, name in Place.objects.filter(pk__in=place_ids).values_list("pk", "name")
        }
        if place_ids
        else {}
    )
    breakdowns = []
    for name, label in BREAKDOWNS:
        cells: dict[tuple, dict] = defaultdict(dict)
        for (k, key_id, dim, group), values in figures.items():
            if dim == name:
                cells[(k, key_id)][group or None] = cell(values)
        group_keys = {g for row in cells.values() for g in row}
        if not group_keys or group_keys == {None}:
            continue  # nobody gave this attribute
        for row_cells in cells.values():
            suppress_small_groups(list(row_cells.values()))
        names = place_names if name == "place" else dict(AgeBand.choices)
        ordered = sorted((k for k in group_keys if k), key=lambda k: str(names.get(k, k)))
        if None in group_keys:
            ordered.append(None)
        groups = [{"key": k, "label": names.get(k, k) if k else NOT_STATED} for k in ordered]
        breakdowns.append(
            {
                "name": name,
                "label": label,
                "groups": groups,
                "cells": {key: [row.get(k) for k in ordered] for key, row in cells.items()},
            }
        )

    def empty():
        return Cell(n=0, total=0, agree=0, ratings=0, suppressed=True)

    practice_rows = []
    for practice in practices:
        own = [s for s in statements if s.practice_id == practice.pk]
        keys = [("practice", practice.pk)] + [("statement", s.pk) for s in own]
        labels = ["All statements in this practice"] + [f"“{s.text}”" for s in own]
        practice_rows.append(
            {
                "practice": practice,
                "overall": overall.get(("practice", practice.pk)) or empty(),
                "statements": [
                    {"statement": s, "overall": overall.get(("statement", s.pk)) or empty()}
                    for s in own
                ],
                "breakdowns": [
                    {
                        "label": b["label"],
                        "groups": b["groups"],
                        "rows": [
                            _breakdown_row(label, key, b)
                            for key, label in zip(keys, labels, strict=True)
                        ],
                    }
                    for b in breakdowns
                ],
            }
        )
    return {"practices": practice_rows, "breakdown_labels": [b["label"] for b in breakdowns]}


def _breakdown_row(label: str, key: tuple, breakdown: dict) -> dict:
    cells = breakdown["cells"].get(key, [None] * len(breakdown["groups"]))
    return {
        "label": label,
        "is_practice": key[0] == "practice",
        "cells": cells,
        "cells_html": [result_cell_html(cell) for cell in cells],
    }


def survey_results_table(results: dict) -> tuple[list[str], list[list]]:
    """The results as rows for CSV/XLSX export, with suppressed figures left blank and marked."""
    headers = ["Practice", "Statement", "Group", "Respondents", "Mean score", "% agreeing (4-5)"]
    rows = []

    def add(practice, statement, group, cell):
        if cell is None:
            return
        if cell.suppressed:
            rows.append([practice, statement, group, HIDDEN, "", ""])
        else:
            rows.append([practice, statement, group, cell.n, cell.mean, cell.pct_agree])

    for p in results["practices"]:
        name = p["practice"].name
        add(name, "All statements in this practice", "Everyone", p["overall"])
        for s in p["statements"]:
            add(name, s["statement"].text, "Everyone", s["overall"])
        for b in p["breakdowns"]:
            for row in b["rows"]:
                for group, cell in zip(b["groups"], row["cells"], strict=True):
                    add(name, row["label"].strip("“”"), f"{b['label']}: {group['label']}", cell)
    return headers, rows


# --- Composite indexes --------------------------------------------------------------------------


def index_list(framework: Framework) -> QuerySet[CompositeIndex]:
    return CompositeIndex.objects.filter(framework=framework).prefetch_related(
        Prefetch("components", queryset=IndexComponent.objects.select_related("metric"))
    )


def index_get(*, slug: str, pk: int) -> CompositeIndex:
    """A composite index of the framework of the programme with this slug (404 otherwise)."""
    index = (
        CompositeIndex.objects.filter(framework__programme__slug=slug, pk=pk)
        .select_related("framework__programme")
        .prefetch_related(
            Prefetch("components", queryset=IndexComponent.objects.select_related("metric"))
        )
        .first()
    )
    if index is None:
        raise Http404("No such index")
    return index


def index_series(index: CompositeIndex) -> list[dict]:
    """The index for every period in which all its components have a whole-programme figure:
    [{period, value, parts: [(component, figure, normalised)]}]. See calculations.INDEX_METHOD."""
    components = list(index.components.all())
    if not components:
        return []
    observations = (
        Observation.objects.filter(
            metric_id__in=[c.metric_id for c in components], place__isnull=True
        )
        .select_related("period")
        .order_by("period__start")
    )
    return _series(components, observations)


def index_series_many(indexes) -> dict[int, list[dict]]:
    """`index_series` for many indexes in two queries (their components, with metrics, and the
    whole-programme figures of all those metrics): {index id: series}."""
    components_of: dict[int, list] = {index.pk: [] for index in indexes}
    for component in IndexComponent.objects.filter(index__in=list(components_of)).select_related(
        "metric"
    ):
        components_of[component.index_id].append(component)
    metric_ids = {c.metric_id for found in components_of.values() for c in found}
    observations = list(
        Observation.objects.filter(metric_id__in=metric_ids, place__isnull=True)
        .select_related("period")
        .order_by("period__start")
    )
    series = {}
    for index_id, components in components_of.items():
        wanted = {c.metric_id for c in components}
        series[index_id] = (
            _series(components, [o for o in observations if o.metric_id in wanted])
            if components
            else []
        )
    return series


def _series(components, observations) -> list[dict]:
    by_period: dict[int, dict] = {}
    periods = {}
    for obs in observations:
        by_period.setdefault(obs.period_id, {})[obs.metric_id] = obs.value
        periods[obs.period_id] = obs.period
    series = []
    for period_id, values in by_period.items():
        parts = []
        for component in components:
            metric = component.metric
            value = values.get(metric.pk)
            usable = value is not None and metric.baseline_value and value != 0
            normalised = (
                normalise(value=value, baseline=metric.baseline_value, direction=metric.direction)
                if usable
                else None
            )
            parts.append({"component": component, "value": value, "normalised": normalised})
        complete = all(p["normalised"] is not None for p in parts)
        value = (
            weighted_index([(p["component"].weight, p["normalised"]) for p in parts])
            if complete
            else None
        )
        for part in parts:
            part["normalised"] = round_to(part["normalised"], 1)
        series.append({"period": periods[period_id], "value": round_to(value, 1), "parts": parts})
    return series


def index_latest(index: CompositeIndex) -> dict | None:
    complete = [row for row in index_series(index) if row["value"] is not None]
    return complete[-1] if complete else None


def dashboard_indexes(framework: Framework) -> list[dict]:
    indexes = list(index_list(framework))
    return [{"index": i, "latest": index_latest(i)} for i in indexes]
