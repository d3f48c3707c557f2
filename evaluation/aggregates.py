"""A survey wave's stored aggregates: how they are computed from scores, and how they are kept.

Each SurveyAggregate row holds, for one statement or practice and one group of respondents
(everyone, one place, one age band), the respondents (n), the sum of their scores, the ratings of
4 or 5 and the ratings. All of a wave's rows come from two grouped queries over its scores:

- per statement, place and age band: n = ratings (a respondent scores a statement at most once);
- per practice, place and age band: n = distinct respondents (a practice has several statements).

Every respondent has exactly one place (or none) and one age band (or none), so the "by place",
"by age" and "everyone" figures are exact sums of those finest cells, distinct respondents
included. The same computation run on a subset of responses gives a delta that can be added to
(or subtracted from) the stored rows: that is how imports, public answers and removals keep them
current without scanning the wave (`apply`); `recompute` rebuilds a wave from scratch.
"""

from collections import defaultdict

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from .models import (
    AGREE_FROM,
    AggregateKind,
    SurveyAggregate,
    SurveyResponse,
    SurveyScore,
    SurveyWave,
)

Key = tuple[str, int, str, str]  # (kind, key id, dimension, group)
DIMENSIONS = ("", "place", "age_band")


def compute(scores: QuerySet[SurveyScore]) -> dict[Key, list[int]]:
    """{(kind, key_id, dimension, group): [n, total, agree, ratings]} for these scores, in two
    grouped queries whatever their number."""
    figures: dict[Key, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    common = {
        "total": Sum("score"),
        "agree": Count("id", filter=Q(score__gte=AGREE_FROM)),
        "ratings": Count("id"),
    }
    for kind, field, n in (
        (AggregateKind.STATEMENT, "statement_id", Count("id")),
        (AggregateKind.PRACTICE, "statement__practice_id", Count("response_id", distinct=True)),
    ):
        rows = scores.values(field, "response__place_id", "response__age_band").annotate(
            n=n, **common
        )
        for row in rows.order_by():
            place = str(row["response__place_id"] or "")
            age = row["response__age_band"] or ""
            values = (row["n"], row["total"] or 0, row["agree"], row["ratings"])
            for dimension, group in (("", ""), ("place", place), ("age_band", age)):
                cell = figures[(kind, row[field], dimension, group)]
                for i, value in enumerate(values):
                    cell[i] += value
    return dict(figures)


def _rows(wave_id: int, figures: dict[Key, list[int]]) -> list[SurveyAggregate]:
    return [
        SurveyAggregate(
            wave_id=wave_id,
            kind=kind,
            key_id=key_id,
            dimension=dimension,
            group=group,
            n=n,
            total=total,
            agree=agree,
            ratings=ratings,
        )
        for (kind, key_id, dimension, group), (n, total, agree, ratings) in figures.items()
        if ratings
    ]


def _touch(wave, *, response_count: int) -> None:
    now = timezone.now()
    SurveyWave.objects.filter(pk=wave.pk).update(response_count=response_count, aggregated_at=now)
    wave.response_count, wave.aggregated_at = response_count, now


def recompute(wave) -> int:
    """Rebuild the wave's stored aggregates from all its scores (the caller holds a transaction
    and, on PostgreSQL, the wave's row lock). Returns the number of rows stored."""
    figures = compute(SurveyScore.objects.filter(response__wave=wave))
    SurveyAggregate.objects.filter(wave=wave).delete()
    rows = SurveyAggregate.objects.bulk_create(_rows(wave.pk, figures), batch_size=2000)
    _touch(wave, response_count=SurveyResponse.objects.filter(wave=wave).count())
    return len(rows)


def apply(wave, scores: QuerySet[SurveyScore], *, responses: int, sign: int = 1) -> None:
    """Add (sign 1) or subtract (sign -1) these scores, of `responses` responses of the wave, to
    its stored aggregates. The caller holds a transaction and the wave's row lock, so two
    updates of one wave never interleave."""
    delta = compute(scores)
    if not delta:
        _touch(wave, response_count=max(0, wave.response_count + sign * responses))
        return
    stored = {
        (a.kind, a.key_id, a.dimension, a.group): a
        for a in SurveyAggregate.objects.filter(wave=wave, key_id__in={key[1] for key in delta})
    }
    changed, new, emptied = [], {}, []
    for key, values in delta.items():
        row = stored.get(key)
        if row is None:
            if sign > 0:
                new[key] = values
            continue
        row.n += sign * values[0]
        row.total += sign * values[1]
        row.agree += sign * values[2]
        row.ratings += sign * values[3]
        (emptied if row.ratings <= 0 else changed).append(row)
    if changed:
        SurveyAggregate.objects.bulk_update(
            changed, ["n", "total", "agree", "ratings"], batch_size=2000
        )
    if emptied:
        SurveyAggregate.objects.filter(pk__in=[row.pk for row in emptied]).delete()
    if new:
        SurveyAggregate.objects.bulk_create(_rows(wave.pk, new), batch_size=2000)
    _touch(wave, response_count=max(0, wave.response_count + sign * responses))


def stored(wave) -> dict[Key, tuple[int, int, int, int]]:
    """The wave's stored aggregates, in one query."""
    return {
        (kind, key_id, dimension, group): (n, total, agree, ratings)
        for kind, key_id, dimension, group, n, total, agree, ratings in (
            SurveyAggregate.objects.filter(wave=wave).values_list(
                "kind", "key_id", "dimension", "group", "n", "total", "agree", "ratings"
            )
        )
    }
