"""Demo data for Community Powered Warwickshire's evaluation framework. The practices, their I and
We statements, the four metric tiers and the 10-metric maximum are as published by the council;
metric figures, community groups and survey responses are illustrative (synthetic, seeded so the
same every time)."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from cpw.accounts.models import Organisation, OrganisationType
from cpw.core.upsert import update_or_create_if_changed
from programmes.models import Place, Programme
from programmes.services import reporting_periods_ensure

from . import services
from .models import (
    AgeBand,
    Cadence,
    CompositeIndex,
    Direction,
    Framework,
    IndexComponent,
    Metric,
    MetricTier,
    Observation,
    Practice,
    ResponseSource,
    Scale,
    Source,
    Statement,
    StatementKind,
    SurveyResponse,
    SurveyScore,
    SurveyWave,
    Unit,
)

PRACTICES = [
    (
        "Deliberative",
        "DEL",
        "always listening, always talking to the community",
        [
            "I feel like the council knows what is important to me",
            "I feel I have been listened to in the decisions that affect where I live",
        ],
        ["We will strive to involve you in the decisions that affect your community"],
    ),
    (
        "Active",
        "ACT",
        "being honest, flexible and creative in response to community priorities",
        [
            "I feel the council makes a difference to where I live",
            "I think the council acts in response to the priorities of my community",
        ],
        ["We will adapt quickly and positively to community priorities"],
    ),
    (
        "Enabling",
        "ENA",
        "building capacity in the community",
        [
            "I feel confident and empowered to do things myself",
            "I feel I am part of a vibrant and resilient community that supports one another",
        ],
        ["We will help people and communities to find their own solutions"],
    ),
    (
        "Collaborative",
        "COL",
        "working with the community to deliver change and services",
        [
            "I feel the council works well with me, my community and local organisations to get "
            "things done",
            "I feel the council values my experience and what is important to me",
        ],
        [
            "We will work with people, communities and local organisations to address priorities",
        ],
    ),
    (
        "Inclusive",
        "INC",
        "ensuring that every community has a chance to be involved and be heard",
        [
            "I feel the council values and listens to everyone in my area, regardless of their "
            "background or circumstances",
        ],
        ["We consider the needs of everyone, and in particular those that are seldom heard"],
    ),
]

TIERS = [
    (
        "Overall quality of life in the community",
        "From the Community Life Survey (the residents' panel where there is no local "
        "breakdown): support networks, loneliness, well-being, local area satisfaction, civic "
        "participation.",
    ),
    (
        "Community involvement",
        "A weighted index of people attending council-led events, adults volunteering, money "
        "going into community groups and the number of community groups.",
    ),
    (
        "Self-assessment (community and workforce)",
        "Residents rate the I statements and the council's workforce rates the We statements, "
        "from 1 to 5, every six or twelve months through the Voice of Warwickshire panel.",
    ),
    (
        "Project-specific community metrics",
        "Defined at the start of each project, co-designed with communities where appropriate.",
    ),
]

FIRST_PERIOD, LAST_PERIOD = "2022-Q1", "2023-Q4"
DISTRICTS = ["North Warwickshire", "Nuneaton and Bedworth", "Rugby", "Stratford-on-Avon", "Warwick"]

# name, tier index, unit, direction, scale, source, derived key, cadence, baseline, baseline
# date, target, high-level, practices, eight quarterly figures (2022-Q1 to 2023-Q4; None for a
# derived metric, which is calculated)
METRICS = [
    (
        "Residents satisfied with their local area",
        "Percentage of residents who are very or fairly satisfied with their local area as a "
        "place to live (Community Life Survey question, asked through the residents' panel).",
        0, Unit.PERCENT, Direction.HIGHER, Scale.POPULATION, Source.SURVEY, "", Cadence.QUARTERLY,
        "71.0", datetime.date(2021, 12, 31), "75.0", True, ["Active", "Collaborative"],
        ["70.5", "71.2", "71.8", "72.0", "72.9", "73.4", "73.9", "74.6"],
    ),
    (
        "Residents who feel lonely often or always",
        "Percentage of residents who say they feel lonely often or always (Community Life "
        "Survey question).",
        0, Unit.PERCENT, Direction.LOWER, Scale.POPULATION, Source.SURVEY, "", Cadence.QUARTERLY,
        "7.2", datetime.date(2021, 12, 31), "6.0", True, ["Enabling", "Inclusive"],
        ["7.3", "7.1", "7.0", "6.9", "6.8", "6.6", "6.5", "6.3"],
    ),
    (
        "People attending council-led events",
        "Number of people attending community events the council led or co-hosted in the "
        "quarter (Big Conversations, workshops, learning sessions, groundbreakers' events), "
        "from the engagement log. The baseline is the first Big Conversation (4 November "
        "2021, 100 delegates).",
        1, Unit.COUNT, Direction.HIGHER, Scale.PROGRAMME, Source.DERIVED,
        "council_event_attendees", Cadence.QUARTERLY, "100", datetime.date(2021, 11, 4), "120",
        True, ["Deliberative"], None,
    ),
    (
        "Adults volunteering in the last 12 months",
        "Percentage of adults who did formal voluntary work at least once in the last 12 "
        "months (Community Life Survey question).",
        1, Unit.PERCENT, Direction.HIGHER, Scale.POPULATION, Source.SURVEY, "", Cadence.QUARTERLY,
        "21.0", datetime.date(2021, 12, 31), "25.0", True, ["Enabling"],
        ["21.0", "21.4", "21.9", "22.3", "22.8", "23.1", "23.6", "24.0"],
    ),
    (
        "Money going into community groups",
        "Total grant money awarded to community groups in the quarter, in pounds. Typed in: "
        "the demo's grants in the portal (the Social Impact Fund's, awarded in March 2022) "
        "fall before these quarters, so the calculation money_to_community_groups would have "
        "no figures to show.",
        1, Unit.POUNDS, Direction.HIGHER, Scale.PROGRAMME, Source.MANUAL, "", Cadence.QUARTERLY,
        "150000", datetime.date(2021, 12, 31), "600000", True, ["Enabling", "Collaborative"],
        ["180000", "240000", "310000", "350000", "420000", "480000", "530000", "575000"],
    ),
    (
        "Number of community groups",
        "Number of partner organisations (charities, community groups, town and parish "
        "councils) registered on the portal by the end of the quarter.",
        1, Unit.COUNT, Direction.HIGHER, Scale.PROGRAMME, Source.DERIVED, "community_groups",
        Cadence.QUARTERLY, None, datetime.date(2022, 3, 31), "40", True, ["Enabling"],
        None,
    ),
    (
        "Residents agreeing with the I statements",
        "Mean score residents give the I statements (1 completely disagree to 5 completely "
        "agree) in the residents' panel self-assessment.",
        2, Unit.SCORE, Direction.HIGHER, Scale.POPULATION, Source.SURVEY, "", Cadence.SIX_MONTHLY,
        "3.10", datetime.date(2021, 12, 31), "3.60", True,
        ["Deliberative", "Active", "Enabling", "Collaborative", "Inclusive"],
        ["3.12", "3.15", "3.18", "3.22", "3.27", "3.31", "3.36", "3.40"],
    ),
    (
        "Questionnaires completed in Mancetter South and Ridge Lane",
        "Households in the Mancetter South and Ridge Lane community power pilot who completed "
        "the community questionnaire (cumulative; 448 households were approached).",
        3, Unit.COUNT, Direction.HIGHER, Scale.PROJECT, Source.MANUAL, "", Cadence.QUARTERLY,
        "0", datetime.date(2022, 3, 31), "200", False, ["Deliberative", "Inclusive"],
        ["0", "0", "12", "40", "78", "115", "150", "167"],
    ),
]  # fmt: skip

INDEX_COMPONENTS = [
    "People attending council-led events",
    "Adults volunteering in the last 12 months",
    "Money going into community groups",
    "Number of community groups",
]

# Illustrative community groups, each with the date it joined the portal, so the derived
# "number of community groups" grows over the demo quarters.
COMMUNITY_GROUPS = [
    "Lillington Community Larder",
    "Camp Hill Residents Association",
    "New Arley Village Hall Committee",
    "Bar Pool Youth Club",
    "Mancetter Good Neighbours",
    "Rugby Repair Cafe",
    "Stratford Friends of the Rec",
    "Bedworth Men's Shed",
    "Atherstone Walking Group",
    "Kenilworth Wildflower Volunteers",
    "Nuneaton Digital Buddies",
    "Warwick Community Orchard",
    "Leamington Chess in the Park",
    "Coleshill Food Club",
    "Alcester Community Fridge",
    "Brownsover Parents Forum",
    "Hillmorton Allotment Society",
    "Shipston Dementia Cafe",
    "Whitnash Litter Pickers",
    "Polesworth Heritage Group",
    "Southam Youth Voice",
    "Keresley Lunch Club",
    "Hartshill Community Garden",
    "Wellesbourne Bike Doctors",
    "Bulkington Carers Circle",
    "Studley Book Swap",
    "Dordon Playing Fields Trust",
    "Cubbington Community Choir",
]
GROUP_JOINED_FROM = datetime.date(2021, 6, 1)
GROUP_JOINED_EVERY_DAYS = 32


def _community_groups() -> None:
    for n, name in enumerate(COMMUNITY_GROUPS):
        organisation, _ = update_or_create_if_changed(
            Organisation.objects,
            name=f"{name} (illustrative)",
            defaults={"kind": OrganisationType.COMMUNITY_GROUP, "postcode": "CV34 4RL"},
        )
        joined = GROUP_JOINED_FROM + datetime.timedelta(days=GROUP_JOINED_EVERY_DAYS * n)
        joined_at = timezone.make_aware(datetime.datetime.combine(joined, datetime.time(12)))
        if organisation.created_at != joined_at:
            Organisation.objects.filter(pk=organisation.pk).update(created_at=joined_at)


def _baseline(key, baseline, baseline_date) -> Decimal | None:
    if key == "community_groups":
        # The baseline is the same count on the baseline date (31 March 2022).
        return Decimal(Organisation.objects.filter(created_at__date__lte=baseline_date).count())
    return Decimal(baseline) if baseline is not None else None


def seed_evaluation(programme: Programme, places: dict[str, Place]) -> Framework:
    framework, _ = update_or_create_if_changed(
        Framework.objects,
        programme=programme,
        defaults={
            "name": "Community Powered Warwickshire evaluation framework",
            "high_level_metrics_max": 10,
        },
    )

    practices = {}
    for order, (name, code, means, i_statements, we_statements) in enumerate(PRACTICES, 1):
        practice, _ = update_or_create_if_changed(
            Practice.objects,
            framework=framework,
            name=name,
            defaults={"means": means, "order": order},
        )
        practices[name] = practice
        for kind, texts, letter in (
            (StatementKind.I_STATEMENT, i_statements, "I"),
            (StatementKind.WE_STATEMENT, we_statements, "W"),
        ):
            for n, text in enumerate(texts, 1):
                update_or_create_if_changed(
                    Statement.objects,
                    practice=practice,
                    code=f"{code}-{letter}{n}",
                    defaults={"kind": kind, "text": text, "order": n},
                )

    tiers = []
    for order, (name, description) in enumerate(TIERS, 1):
        tier, _ = update_or_create_if_changed(
            MetricTier.objects,
            framework=framework,
            name=name,
            defaults={"description": description, "order": order},
        )
        tiers.append(tier)

    periods = reporting_periods_ensure(programme=programme, first=FIRST_PERIOD, last=LAST_PERIOD)
    _community_groups()

    metrics = {}
    for order, row in enumerate(METRICS, 1):
        (name, definition, tier, unit, direction, scale, source, key, cadence, baseline,
         baseline_date, target, high, practice_names, values) = row  # fmt: skip
        metric, _ = update_or_create_if_changed(
            Metric.objects,
            framework=framework,
            name=name,
            defaults={
                "tier": tiers[tier],
                "definition": definition,
                "unit": unit,
                "direction": direction,
                "scale": scale,
                "source": source,
                "derived_key": key,
                "cadence": cadence,
                "baseline_value": _baseline(key, baseline, baseline_date),
                "baseline_date": baseline_date,
                "target": Decimal(target),
                "is_high_level": high,
                "order": order,
            },
        )
        metric.practices.set([practices[p] for p in practice_names])
        metrics[name] = metric
        if source == Source.DERIVED:
            # Figures typed in before the metric was derived (an older demo) are replaced.
            metric.observations.exclude(source=Source.DERIVED).delete()
            services.derived_observations_refresh(metric=metric, periods=periods)
            continue
        for period, value in zip(periods, values, strict=True):
            update_or_create_if_changed(
                Observation.objects,
                metric=metric,
                period=period,
                place=None,
                defaults={"value": Decimal(value), "source": source, "note": "Illustrative"},
            )
    # District figures for local area satisfaction (illustrative spread around the county).
    satisfaction = metrics["Residents satisfied with their local area"]
    offsets = {"North Warwickshire": -2.4, "Nuneaton and Bedworth": -4.1, "Rugby": 0.6,
               "Stratford-on-Avon": 3.8, "Warwick": 1.9}  # fmt: skip
    for period, value in zip(periods, METRICS[0][-1], strict=True):
        for district, offset in offsets.items():
            update_or_create_if_changed(
                Observation.objects,
                metric=satisfaction,
                period=period,
                place=places[district],
                defaults={
                    "value": (Decimal(value) + Decimal(str(offset))).quantize(Decimal("0.1")),
                    "source": Source.SURVEY,
                    "note": "Illustrative",
                },
            )

    index, _ = update_or_create_if_changed(
        CompositeIndex.objects,
        framework=framework,
        name="Community involvement index",
        defaults={
            "tier": tiers[1],
            "description": "How involved communities are: events, volunteering, money into "
            "community groups and the number of groups, weighted equally.",
        },
    )
    for name in INDEX_COMPONENTS:
        update_or_create_if_changed(
            IndexComponent.objects,
            index=index,
            metric=metrics[name],
            defaults={"weight": Decimal("0.25")},
        )

    _survey_wave(framework, places)
    return framework


WAVE_NAME = "Voice of Warwickshire self-assessment, autumn 2023"
RESPONSES = 500
# Roughly in proportion to each district's population.
DISTRICT_WEIGHTS = [65, 134, 114, 134, 148]
# The panel has few young members, so the 16-24 group is small and is suppressed.
AGE_WEIGHTS = [(AgeBand.UNDER_25, 1.5), (AgeBand.FROM_25, 30), (AgeBand.FROM_45, 38),
               (AgeBand.OVER_65, 30)]  # fmt: skip
DISTRICT_LEAN = {"North Warwickshire": -0.25, "Nuneaton and Bedworth": -0.35, "Rugby": 0.05,
                 "Stratford-on-Avon": 0.3, "Warwick": 0.2}  # fmt: skip


def _survey_wave(framework: Framework, places: dict[str, Place]) -> SurveyWave:
    wave, _ = update_or_create_if_changed(
        SurveyWave.objects,
        framework=framework,
        name=WAVE_NAME,
        defaults={
            "audience": "citizens",
            "opens": datetime.date(2023, 10, 2),
            "closes": datetime.date(2023, 10, 31),
        },
    )
    statements = list(
        Statement.objects.filter(
            practice__framework=framework, kind=StatementKind.I_STATEMENT
        ).order_by("practice__order", "order")
    )
    wave.statements.set(statements)
    if wave.responses.exists():
        services.survey_aggregates_ensure(wave=wave)
        return wave  # already seeded: the seeded data never changes
    rng = random.Random(2023)  # noqa: S311 - synthetic demo data, not security
    districts = [places[name] for name in DISTRICTS]
    bands = [b for b, _ in AGE_WEIGHTS]
    band_weights = [w for _, w in AGE_WEIGHTS]
    responses, answers = [], []
    for n in range(RESPONSES):
        district = rng.choices(districts, weights=DISTRICT_WEIGHTS)[0]
        band = rng.choices(bands, weights=band_weights)[0]
        responses.append(
            SurveyResponse(
                wave=wave,
                source=ResponseSource.PANEL,
                respondent_ref=f"VOW-{n + 1:04d}",
                place=district,
                age_band=band,
            )
        )
        person = rng.gauss(0, 0.6) + DISTRICT_LEAN[district.name]
        answers.append(
            {
                s: max(1, min(5, round(3.3 + person + rng.gauss(0, 0.8))))
                for s in statements
                if rng.random() < 0.95
            }
        )
    created = SurveyResponse.objects.bulk_create(responses)
    SurveyScore.objects.bulk_create(
        [
            SurveyScore(response=r, statement=s, score=score)
            for r, scores in zip(created, answers, strict=True)
            for s, score in scores.items()
        ],
        batch_size=2000,
    )
    services.survey_aggregates_recompute(wave=wave)
    return wave
