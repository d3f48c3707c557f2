from programmes.services import reporting_periods_ensure
from tests.access import COUNCIL, EVERYONE, OFFICER, PM, STAFF, Access
from tests.evaluation.factories import (
    CompositeIndexFactory,
    FrameworkFactory,
    IndexComponentFactory,
    MetricFactory,
    MetricTierFactory,
    ObservationFactory,
    PracticeFactory,
    StatementFactory,
    SurveyLinkFactory,
    SurveyWaveFactory,
)

RECORDERS = frozenset({OFFICER, PM, STAFF})
MANAGERS = frozenset({PM, STAFF})


def extend_world(world):
    framework = FrameworkFactory(programme=world.programme)
    periods = reporting_periods_ensure(programme=world.programme, first="2023-Q1", last="2023-Q4")
    practice = PracticeFactory(framework=framework, name="Deliberative")
    statement = StatementFactory(practice=practice)
    StatementFactory(practice=practice, we=True)
    tier = MetricTierFactory(framework=framework, name="Community involvement")
    metric = MetricFactory(framework=framework, tier=tier, name="People attending events")
    metric.practices.set([practice])
    for n, period in enumerate(periods):
        ObservationFactory(metric=metric, period=period, value=110 + 10 * n)
    derived_metric = MetricFactory(
        framework=framework, tier=tier, name="Number of community groups", derived=True
    )
    wave = SurveyWaveFactory(framework=framework, statements=[statement])
    index = CompositeIndexFactory(framework=framework, name="Community involvement index")
    IndexComponentFactory(index=index, metric=metric)
    world.evaluation = framework
    world.evaluation_metric = metric
    world.evaluation_derived_metric = derived_metric
    world.evaluation_wave = wave
    world.evaluation_index = index
    world.evaluation_link = SurveyLinkFactory(wave=wave)
    world.evaluation_periods = periods


def _slug(w):
    return {"slug": w.programme.slug}


def _metric(w):
    return {"slug": w.programme.slug, "pk": w.evaluation_metric.pk}


def _wave(w):
    return {"slug": w.programme.slug, "pk": w.evaluation_wave.pk}


ACCESS = [
    Access("evaluation:home", COUNCIL),
    Access("evaluation:dashboard", COUNCIL, kwargs=_slug),
    Access("evaluation:framework", COUNCIL, kwargs=_slug),
    Access("evaluation:metric", COUNCIL, kwargs=_metric),
    Access("evaluation:observation-add", RECORDERS, kwargs=_metric),
    Access("evaluation:metric-create", MANAGERS, kwargs=_slug),
    Access("evaluation:metric-change", MANAGERS, kwargs=_metric),
    Access(
        "evaluation:metric-recalculate",
        MANAGERS,
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.evaluation_derived_metric.pk},
        method="post",
        ok_status=302,
        html=False,
    ),
    Access("evaluation:observation-import", RECORDERS, kwargs=_slug),
    Access(
        "evaluation:observation-export",
        COUNCIL,
        kwargs=lambda w: {"slug": w.programme.slug, "fmt": "csv"},
        html=False,
    ),
    Access("evaluation:survey-list", COUNCIL, kwargs=_slug),
    Access("evaluation:survey-create", MANAGERS, kwargs=_slug),
    Access("evaluation:survey-results", COUNCIL, kwargs=_wave),
    Access(
        "evaluation:survey-export",
        COUNCIL,
        kwargs=lambda w: {**_wave(w), "fmt": "xlsx"},
        html=False,
    ),
    Access("evaluation:survey-import", MANAGERS, kwargs=_wave),
    Access("evaluation:survey-links", MANAGERS, kwargs=_wave),
    Access("evaluation:survey-links-export", MANAGERS, kwargs=_wave, html=False),
    Access(
        "evaluation:index",
        COUNCIL,
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.evaluation_index.pk},
    ),
    Access(
        "evaluation:survey-public",
        EVERYONE,
        public=True,
        kwargs=lambda w: {"token": w.evaluation_link.token},
    ),
    Access("evaluation:survey-thanks", EVERYONE, public=True),
]
