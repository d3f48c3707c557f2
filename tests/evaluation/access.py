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


def _index(w):
    return {"slug": w.programme.slug, "pk": w.evaluation_index.pk}


# Every page below the evaluation home names one programme's framework (or a metric, wave or
# index of it), so every row but the home page and the public survey is scoped: council users of
# the other programme and every partner (who holds no role in any programme) get 404; council
# users of the programme who may read but not act get 403.
ACCESS = [
    Access("evaluation:home", COUNCIL, scoped=False, other_ok_status=405),
    Access(
        "evaluation:dashboard",
        COUNCIL,
        kwargs=_slug,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "evaluation:framework",
        COUNCIL,
        kwargs=_slug,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "evaluation:metric",
        COUNCIL,
        kwargs=_metric,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    # Forms: an empty POST re-renders the form with its errors.
    Access(
        "evaluation:observation-add",
        RECORDERS,
        kwargs=_metric,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
    ),
    Access(
        "evaluation:metric-create",
        MANAGERS,
        kwargs=_slug,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
    ),
    Access(
        "evaluation:metric-change",
        MANAGERS,
        kwargs=_metric,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
    ),
    Access(
        "evaluation:metric-recalculate",
        MANAGERS,
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.evaluation_derived_metric.pk},
        method="post",
        ok_status=302,
        html=False,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "evaluation:observation-import",
        RECORDERS,
        kwargs=_slug,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
    ),
    Access(
        "evaluation:observation-export",
        COUNCIL,
        kwargs=lambda w: {"slug": w.programme.slug, "fmt": "csv"},
        html=False,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "evaluation:observation-export",
        COUNCIL,
        kwargs=lambda w: {"slug": w.programme.slug, "fmt": "xlsx"},
        html=False,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "evaluation:survey-list",
        COUNCIL,
        kwargs=_slug,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "evaluation:survey-create",
        MANAGERS,
        kwargs=_slug,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
    ),
    Access(
        "evaluation:survey-results",
        COUNCIL,
        kwargs=_wave,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "evaluation:survey-export",
        COUNCIL,
        kwargs=lambda w: {**_wave(w), "fmt": "xlsx"},
        html=False,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "evaluation:survey-export",
        COUNCIL,
        kwargs=lambda w: {**_wave(w), "fmt": "csv"},
        html=False,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "evaluation:survey-import",
        MANAGERS,
        kwargs=_wave,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
    ),
    Access(
        "evaluation:survey-links",
        MANAGERS,
        kwargs=_wave,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
    ),
    Access(
        "evaluation:survey-links-export",
        MANAGERS,
        kwargs=_wave,
        html=False,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "evaluation:index",
        COUNCIL,
        kwargs=_index,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    # The weights form on the index page posts here; an empty POST shows the page with errors.
    Access(
        "evaluation:index-weights",
        MANAGERS,
        kwargs=_index,
        method="post",
        html=False,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    # Public: a single-use link is the key (an empty POST re-renders the survey with errors).
    Access(
        "evaluation:survey-public",
        EVERYONE,
        public=True,
        kwargs=lambda w: {"token": w.evaluation_link.token},
        scoped=False,
        other_ok_status=200,
    ),
    Access("evaluation:survey-thanks", EVERYONE, public=True, scoped=False, other_ok_status=405),
]
