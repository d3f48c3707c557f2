"""Every write in the evaluation app."""

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from cpw.core import bounds
from cpw.core.concurrency import claim_version
from cpw.core.tabular import ImportRejected, RowError, RowErrors, read_dicts
from cpw.core.upsert import update_or_create_if_changed
from programmes.models import Place, ReportingPeriod

from . import aggregates, derived
from .calculations import check_value_for_unit, parse_number
from .models import (
    AUDIENCE_STATEMENT_KIND,
    SCORE_MAX,
    SCORE_MIN,
    AgeBand,
    CompositeIndex,
    Framework,
    IndexComponent,
    Metric,
    Observation,
    ResponseSource,
    Source,
    Statement,
    SurveyLink,
    SurveyResponse,
    SurveyScore,
    SurveyWave,
)


class SurveyLinkUsed(ValidationError):
    def __init__(self):
        super().__init__(
            "This survey link has already been used. Each link takes one response, so your "
            "answers have not been saved again."
        )


# --- Observations -------------------------------------------------------------------------------


def _refuse_typed_in_derived(metric: Metric) -> None:
    if metric.source == Source.DERIVED:
        raise ValidationError(
            f"{metric.name} is calculated from portal data, so figures cannot be typed in or "
            "imported"
        )


@transaction.atomic
def observation_record(
    *,
    metric: Metric,
    period: ReportingPeriod,
    place: Place | None = None,
    value,
    note: str = "",
    user,
) -> Observation:
    """Enter (or correct) a metric's figure for a period, for the whole programme or a place.
    A correction replaces the figure; the history keeps the old one."""
    _refuse_typed_in_derived(metric)
    if period.programme_id != metric.framework.programme_id:
        raise ValidationError({"period": "Choose a reporting period of this programme"})
    if place is not None and place.council_id != metric.framework.programme.council_id:
        raise ValidationError({"place": "Choose one of the programme's council's places"})
    try:
        number = parse_number(value)
        check_value_for_unit(metric.unit, number)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from exc
    observation = (
        Observation.objects.select_for_update()
        .filter(metric=metric, period=period, place=place)
        .first()
    )
    if observation is None:
        observation = Observation(metric=metric, period=period, place=place)
    observation.value = number
    observation.note = note
    observation.source = Source.MANUAL
    observation.recorded_by = user
    observation._history_user = user
    observation.save()
    return observation


OBSERVATION_COLUMNS = ["metric", "period", "place", "value", "note"]
REQUIRED_OBSERVATION_COLUMNS = ["metric", "period", "value"]


AMBIGUOUS = object()


def _lookup_places(council_id: int) -> dict:
    """One council's places by lower-case name and ONS code (never another council's). A name
    shared by two places maps to AMBIGUOUS."""
    places: dict = {}
    for place in Place.objects.filter(council_id=council_id).only("id", "name", "ons_code"):
        name = place.name.strip().lower()
        places[name] = AMBIGUOUS if name in places else place
        if place.ons_code:
            places[place.ons_code.strip().lower()] = place
    return places


def _find_place(places: dict, text: str) -> Place:
    place = places.get(text.strip().lower())
    if place is None:
        raise ValidationError(f"'{text}' is not one of the council's places")
    if place is AMBIGUOUS:
        raise ValidationError(f"More than one place is called '{text}': use its ONS code")
    return place


MAX_IMPORT_ROWS = 20_000


def _read_rows(uploaded_file) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    headers, rows = read_dicts(
        uploaded_file, name=getattr(uploaded_file, "name", ""), max_rows=MAX_IMPORT_ROWS
    )
    if not rows:
        raise ValidationError("The selected file has no rows of data below the column names")
    return headers, rows


@transaction.atomic
def _observation_bounds_errors(value, note):
    labels = {"value": "the value", "note": "the note"}
    for column, cell in (("value", value), ("note", note)):
        for message in bounds.values_errors(Observation, {column: cell}, labels):
            yield column, message


def observations_import(*, framework: Framework, uploaded_file, user, dry_run: bool = False):
    """Import observations from a CSV or XLSX file with columns metric, period, value and
    optionally place and note. All or nothing: any row error raises ImportRejected listing every
    error and saves nothing. Returns the number of observations the file holds (saved unless
    dry_run)."""
    headers, rows = _read_rows(uploaded_file)
    lowered = {h.lower(): h for h in headers}
    missing = [c for c in REQUIRED_OBSERVATION_COLUMNS if c not in lowered]
    if missing:
        raise ValidationError(
            "The file must have columns called metric, period and value (and optionally place "
            f"and note). Missing: {', '.join(missing)}"
        )
    metrics = {m.name.strip().lower(): m for m in framework.metrics.all()}
    periods = {
        p.label.upper(): p
        for p in ReportingPeriod.objects.filter(programme_id=framework.programme_id)
    }
    places = _lookup_places(framework.programme.council_id)
    existing = set(
        Observation.objects.filter(metric__framework=framework).values_list(
            "metric_id", "period_id", "place_id"
        )
    )
    errors = RowErrors()  # keeps the first 100, counts them all
    seen: dict[tuple, int] = {}
    new: list[Observation] = []
    for number, row in rows:
        cell = {c: row.get(lowered.get(c, ""), "").strip() for c in OBSERVATION_COLUMNS}
        row_errors = []
        metric = metrics.get(cell["metric"].lower())
        if not cell["metric"]:
            row_errors.append(RowError(number, "metric", "Enter the metric's name"))
        elif metric is None:
            row_errors.append(
                RowError(number, "metric", f"'{cell['metric']}' is not a metric in this framework")
            )
        elif metric.source == Source.DERIVED:
            row_errors.append(
                RowError(
                    number,
                    "metric",
                    f"{metric.name} is calculated from portal data, so it cannot be imported",
                )
            )
        period = periods.get(cell["period"].upper())
        if not cell["period"]:
            row_errors.append(RowError(number, "period", "Enter the period, like 2023-Q1"))
        elif period is None:
            row_errors.append(
                RowError(
                    number,
                    "period",
                    f"'{cell['period']}' is not a reporting period of this programme",
                )
            )
        place = None
        if cell["place"]:
            try:
                place = _find_place(places, cell["place"])
            except ValidationError as exc:
                row_errors.append(RowError(number, "place", exc.messages[0]))
        value = None
        if not cell["value"]:
            row_errors.append(RowError(number, "value", "Enter a value"))
        else:
            try:
                value = parse_number(cell["value"])
                if metric is not None:
                    check_value_for_unit(metric.unit, value)
            except ValidationError as exc:
                row_errors.append(RowError(number, "value", exc.messages[0]))
        for column, message in _observation_bounds_errors(value, cell["note"]):
            row_errors.append(RowError(number, column, message))
        if not row_errors:
            key = (metric.pk, period.pk, place.pk if place else None)
            where = f" for {place.name}" if place else ""
            if key in existing:
                row_errors.append(
                    RowError(
                        number,
                        "period",
                        f"{metric.name} already has a figure for {period.label}{where}",
                    )
                )
            elif key in seen:
                row_errors.append(
                    RowError(
                        number,
                        "period",
                        f"{metric.name} for {period.label}{where} is also in row {seen[key]}",
                    )
                )
            else:
                seen[key] = number
                if not errors:  # a file already known to be bad builds nothing more
                    new.append(
                        Observation(
                            metric=metric,
                            period=period,
                            place=place,
                            value=value,
                            note=cell["note"],
                            source=Source.IMPORT,
                            recorded_by=user,
                        )
                    )
        errors.extend(row_errors)
    if errors:
        raise ImportRejected(errors)
    if not dry_run:
        for observation in new:
            observation._history_user = user
            observation.save()
    return len(new)


@transaction.atomic
def derived_observations_refresh(*, metric: Metric, periods=None) -> int:
    """Calculate a derived metric for each period (default: every period of the programme that
    has started) and store the figures. Returns how many periods have a figure."""
    if metric.source != Source.DERIVED:
        raise ValidationError(f"{metric.name} is not calculated from portal data")
    calculator = derived.get(metric.derived_key)
    if calculator is None:
        raise ValidationError(
            f"The calculation for {metric.name} is not available in this portal yet"
        )
    programme = metric.framework.programme
    if periods is None:
        periods = ReportingPeriod.objects.filter(
            programme=programme, start__lte=timezone.localdate()
        )
    count = 0
    for period in periods:
        value = calculator(programme, period)
        if value is None:  # no figure for this period (e.g. a share of no money)
            Observation.objects.filter(metric=metric, period=period, place=None).delete()
            continue
        update_or_create_if_changed(  # an unchanged figure is not written again
            Observation.objects,
            metric=metric,
            period=period,
            place=None,
            defaults={"value": value, "source": Source.DERIVED, "note": calculator.label},
        )
        count += 1
    return count


def derived_metrics_refresh_all() -> int:
    """Recalculate every derived metric whose calculation this portal can do (the nightly task).
    Returns the number of metrics recalculated."""
    count = 0
    for metric in Metric.objects.filter(source=Source.DERIVED).select_related(
        "framework__programme"
    ):
        if derived.get(metric.derived_key) is not None:
            derived_observations_refresh(metric=metric)
            count += 1
    return count


# --- Metrics ------------------------------------------------------------------------------------


def high_level_warning(framework: Framework, count: int | None = None) -> str:
    """A warning when more metrics are high-level than the framework's maximum, else ''."""
    if count is None:
        count = framework.metrics.filter(is_high_level=True).count()
    if count > framework.high_level_metrics_max:
        return (
            f"{count} metrics are marked high-level, more than the framework's maximum of "
            f"{framework.high_level_metrics_max}. Keep the high-level set small so it stays "
            "meaningful."
        )
    return ""


def _check_metric(metric: Metric) -> None:
    errors = {}
    if metric.source == Source.DERIVED:
        if derived.get(metric.derived_key) is None:
            errors["derived_key"] = "Choose a calculation that the portal can do"
    elif metric.derived_key:
        errors["derived_key"] = "Only metrics calculated from portal data have a calculation"
    same_name = Metric.objects.filter(framework=metric.framework, name__iexact=metric.name)
    if same_name.exclude(pk=metric.pk).exists():
        errors["name"] = "There is already a metric with this name in the framework"
    if metric.tier.framework_id != metric.framework_id:
        errors["tier"] = "Choose a tier of this framework"
    if metric.rag_amber_from > metric.rag_green_from:
        errors["rag_amber_from"] = "Amber must start at or below green"
    for field in ("baseline_value", "target"):
        value = getattr(metric, field)
        if value is not None:
            try:
                check_value_for_unit(metric.unit, value)
            except ValidationError as exc:
                errors[field] = exc.messages
    if metric.baseline_value is not None and metric.target is not None and not errors:
        if metric.direction == "higher" and metric.target < metric.baseline_value:
            errors["target"] = "Where higher is better, the target must not be below the baseline"
        if metric.direction == "lower" and metric.target > metric.baseline_value:
            errors["target"] = "Where lower is better, the target must not be above the baseline"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def metric_save(
    *,
    metric: Metric,
    practices=None,
    user,
    expected_version: int | None = None,
    attempted: dict | None = None,
) -> tuple[Metric, str]:
    """Create or change a metric. Returns the metric and a warning ('' if none) when the
    framework now has more high-level metrics than its maximum. A change based on an older
    version than the saved one (`expected_version`) raises EditConflict."""
    _check_metric(metric)
    claim_version(metric, expected_version=expected_version, attempted=attempted or {})
    metric._history_user = user
    metric.save()
    if practices is not None:
        metric.practices.set(practices)
    return metric, high_level_warning(metric.framework)


# --- Surveys ------------------------------------------------------------------------------------

ATTRIBUTE_COLUMNS = {
    "respondent": "respondent_ref",
    "respondent_id": "respondent_ref",
    "respondent id": "respondent_ref",
    "place": "place",
    "district": "place",
    "age_band": "age_band",
    "age band": "age_band",
    "age": "age_band",
}


def _check_score(text: str) -> int:
    try:
        score = int(str(text).strip())
    except ValueError as exc:
        raise ValidationError(f"'{text}' is not a score: use a whole number from 1 to 5") from exc
    if not SCORE_MIN <= score <= SCORE_MAX:
        raise ValidationError(f"A score must be from {SCORE_MIN} to {SCORE_MAX}, not {score}")
    return score


@transaction.atomic
def survey_responses_import(*, wave: SurveyWave, uploaded_file, user, dry_run: bool = False):
    """Import responses from a residents'-panel export (CSV or XLSX): one row per respondent,
    optional columns respondent_id, district (or place) and age_band, and one column per
    statement named by its code (for example DEL-I1) holding a score from 1 to 5 (blank: not
    answered). All or nothing. Returns the number of responses."""
    headers, rows = _read_rows(uploaded_file)
    statements = {s.code.upper(): s for s in wave.statements.all()}
    columns: dict[str, str] = {}
    errors = RowErrors()  # keeps the first 100, counts them all
    for header in headers:
        if not header:
            continue
        key = header.strip().lower()
        if key in ATTRIBUTE_COLUMNS:
            columns[header] = ATTRIBUTE_COLUMNS[key]
        elif header.strip().upper() in statements:
            columns[header] = "statement"
        else:
            errors.append(
                RowError(1, header, f"'{header}' is not a statement code in this survey wave")
            )
    if not any(kind == "statement" for kind in columns.values()):
        raise ValidationError(
            "The file has no statement columns. Name each column by its statement code, for "
            f"example {', '.join(list(statements)[:2]) or 'DEL-I1'}"
        )
    places = _lookup_places(wave.framework.programme.council_id)
    age_bands = {a.value.lower(): a.value for a in AgeBand} | {
        a.label.lower(): a.value for a in AgeBand
    }
    existing_refs = set(
        wave.responses.exclude(respondent_ref="").values_list(Lower("respondent_ref"), flat=True)
    )
    seen_refs: dict[str, int] = {}
    parsed = []
    for number, row in rows:
        errors_before = errors.total
        response = {"respondent_ref": "", "place": None, "age_band": ""}
        scores = {}
        for header, kind in columns.items():
            text = row.get(header, "").strip()
            if not text:
                continue
            if kind == "statement":
                try:
                    scores[statements[header.strip().upper()]] = _check_score(text)
                except ValidationError as exc:
                    errors.append(RowError(number, header, exc.messages[0]))
            elif kind == "place":
                try:
                    response["place"] = _find_place(places, text)
                except ValidationError as exc:
                    errors.append(RowError(number, header, exc.messages[0]))
            elif kind == "age_band":
                band = age_bands.get(text.lower())
                if band is None:
                    errors.append(
                        RowError(
                            number,
                            header,
                            f"'{text}' is not an age band: use {', '.join(AgeBand.values)}",
                        )
                    )
                response["age_band"] = band or ""
            else:
                for message in bounds.values_errors(
                    SurveyResponse,
                    {"respondent_ref": text},
                    {"respondent_ref": "the respondent's ID"},
                ):
                    errors.append(RowError(number, header, message))
                ref = text.lower()
                if ref in existing_refs:
                    errors.append(
                        RowError(number, header, f"Respondent {text} is already in this wave")
                    )
                elif ref in seen_refs:
                    errors.append(
                        RowError(
                            number, header, f"Respondent {text} is also in row {seen_refs[ref]}"
                        )
                    )
                seen_refs.setdefault(ref, number)
                response["respondent_ref"] = text
        if not scores and errors.total == errors_before:
            errors.append(RowError(number, "", "The row has no scores"))
        if not errors:  # a bad file builds nothing more
            parsed.append((response, scores))
    if errors:
        raise ImportRejected(errors)
    if dry_run:
        return len(parsed)
    wave = _lock_wave(wave)
    created = SurveyResponse.objects.bulk_create(
        [SurveyResponse(wave=wave, source=ResponseSource.PANEL, **r) for r, _ in parsed]
    )
    SurveyScore.objects.bulk_create(
        [
            SurveyScore(response=response, statement=statement, score=score)
            for response, (_, scores) in zip(created, parsed, strict=True)
            for statement, score in scores.items()
        ],
        batch_size=2000,
    )
    if created:
        # The wave is locked, so the responses in this id range are exactly those just made.
        ids = [r.pk for r in created]
        aggregates.apply(
            wave,
            SurveyScore.objects.filter(
                response__wave=wave, response_id__gte=min(ids), response_id__lte=max(ids)
            ),
            responses=len(created),
        )
    return len(created)


@transaction.atomic
def survey_links_issue(*, wave: SurveyWave, count: int, user) -> list[SurveyLink]:
    """Create `count` single-use public links to the wave's survey."""
    if not 1 <= count <= 5000:
        raise ValidationError({"count": "Enter a number of links from 1 to 5,000"})
    return SurveyLink.objects.bulk_create(
        [SurveyLink(wave=wave, token=secrets.token_urlsafe(24)) for _ in range(count)]
    )


@transaction.atomic
def survey_response_submit(
    *, token: str, scores: dict[int, int], place: Place | None = None, age_band: str = ""
) -> SurveyResponse:
    """An anonymous answer through a public link. Each link takes one response."""
    link = (
        SurveyLink.objects.select_for_update()
        .select_related("wave__framework__programme")
        .filter(token=token)
        .first()
    )
    if link is None:
        raise ValidationError("This survey link is not valid")
    if link.used_at is not None:
        raise SurveyLinkUsed()
    today = timezone.localdate()
    if not link.wave.opens <= today <= link.wave.closes:
        raise ValidationError("This survey is not open")
    statements = {s.pk: s for s in link.wave.statements.all()}
    chosen = {}
    for statement_id, score in scores.items():
        if score in (None, ""):
            continue
        if statement_id not in statements:
            raise ValidationError("The answers do not match this survey")
        chosen[statements[statement_id]] = _check_score(score)
    if not chosen:
        raise ValidationError("Rate at least one statement")
    if age_band and age_band not in AgeBand.values:
        raise ValidationError({"age_band": "Choose an age band from the list"})
    if place is not None and place.council_id != link.wave.framework.programme.council_id:
        raise ValidationError({"place": "Choose a place from the list"})
    response = SurveyResponse.objects.create(
        wave=link.wave, source=ResponseSource.LINK, link=link, place=place, age_band=age_band
    )
    SurveyScore.objects.bulk_create(
        [SurveyScore(response=response, statement=s, score=v) for s, v in chosen.items()]
    )
    link.used_at = timezone.now()
    link.save(update_fields=["used_at", "updated_at"])
    aggregates.apply(
        _lock_wave(link.wave), SurveyScore.objects.filter(response=response), responses=1
    )
    return response


def _lock_wave(wave: SurveyWave) -> SurveyWave:
    """The wave's row, locked for the rest of the transaction (PostgreSQL; SQLite takes its write
    lock as the transaction begins), so updates of its stored aggregates never interleave."""
    return SurveyWave.objects.select_for_update().get(pk=wave.pk)


@transaction.atomic
def survey_response_delete(*, response: SurveyResponse, user) -> None:
    """Remove one response and its scores (a respondent who withdraws), taking its scores out
    of the wave's stored aggregates."""
    wave = _lock_wave(response.wave)
    aggregates.apply(wave, SurveyScore.objects.filter(response=response), responses=1, sign=-1)
    response.delete()


@transaction.atomic
def survey_aggregates_recompute(*, wave: SurveyWave) -> int:
    """Rebuild the wave's stored aggregates from all its scores (after a change to its statements
    or to responses made outside these services). Returns the number of rows stored."""
    locked = _lock_wave(wave)
    count = aggregates.recompute(locked)
    wave.response_count, wave.aggregated_at = locked.response_count, locked.aggregated_at
    return count


def survey_aggregates_ensure(*, wave: SurveyWave) -> None:
    """Compute a wave's aggregates once if they never have been (a wave from before they were
    stored); afterwards the services keep them up to date."""
    if wave.aggregated_at is None:
        survey_aggregates_recompute(wave=wave)


def survey_aggregates_refresh_closed(*, on=None) -> int:
    """Recompute the aggregates of every wave that closed on `on` (default: yesterday), so each
    wave's final figures are checked against its scores once it closes. Returns the waves done."""
    day = on or timezone.localdate() - datetime.timedelta(days=1)
    waves = list(SurveyWave.objects.filter(closes=day))
    for wave in waves:
        survey_aggregates_recompute(wave=wave)
    return len(waves)


@transaction.atomic
def survey_wave_create(
    *, framework: Framework, name: str, audience: str, opens, closes, statements, user
) -> SurveyWave:
    """A wave rates statements of one kind: residents rate I statements, the council's workforce
    rates We statements."""
    kind = AUDIENCE_STATEMENT_KIND[audience]
    statements = list(statements)
    wrong = [s for s in statements if s.kind != kind or s.practice.framework_id != framework.pk]
    if wrong:
        raise ValidationError(
            {"statements": "Residents rate I statements and the workforce rates We statements"}
        )
    if not statements:
        raise ValidationError({"statements": "Choose at least one statement"})
    if SurveyWave.objects.filter(framework=framework, name__iexact=name).exists():
        raise ValidationError({"name": "There is already a survey wave with this name"})
    wave = SurveyWave(framework=framework, name=name, audience=audience, opens=opens, closes=closes)
    wave._history_user = user
    wave.full_clean()
    wave.save()
    wave.statements.set(statements)
    return wave


def statements_for_audience(framework: Framework, audience: str):
    return Statement.objects.filter(
        practice__framework=framework, kind=AUDIENCE_STATEMENT_KIND[audience]
    ).select_related("practice")


# --- Composite indexes --------------------------------------------------------------------------


@transaction.atomic
def index_weights_update(*, index: CompositeIndex, weights: dict[int, Decimal], user):
    """Change the weights of an index's components (weights need not add up to anything: the
    index divides by their sum). At least one weight must be above zero."""
    components = {c.pk: c for c in index.components.select_for_update()}
    if set(weights) != set(components):
        raise ValidationError("Give a weight for every component of the index")
    for pk, weight in weights.items():
        if weight is None or weight < 0:
            raise ValidationError({f"weight_{pk}": "A weight must be 0 or more"})
    if sum(weights.values()) <= 0:
        raise ValidationError("At least one weight must be more than 0")
    for pk, component in components.items():
        if component.weight != weights[pk]:
            component.weight = weights[pk]
            component._history_user = user
            component.save(update_fields=["weight", "updated_at"])
    return index


@transaction.atomic
def index_component_add(*, index: CompositeIndex, metric: Metric, weight: Decimal, user):
    if metric.framework_id != index.framework_id:
        raise ValidationError("Choose a metric of this framework")
    if metric.baseline_value in (None, 0):
        raise ValidationError(
            f"{metric.name} needs a baseline above 0 before it can be part of an index"
        )
    component = IndexComponent(index=index, metric=metric, weight=weight)
    component._history_user = user
    component.save()
    return component
