from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    CompositeIndex,
    Framework,
    IndexComponent,
    Metric,
    MetricTier,
    Observation,
    Practice,
    Statement,
    SurveyWave,
)


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "high_level_metrics_max"]


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "framework", "order"]
    inlines = [StatementInline]


@admin.register(MetricTier)
class MetricTierAdmin(SimpleHistoryAdmin):
    list_display = ["name", "framework", "order"]


@admin.register(Metric)
class MetricAdmin(SimpleHistoryAdmin):
    list_display = ["name", "tier", "unit", "source", "is_high_level"]
    list_filter = ["framework", "tier", "source", "is_high_level"]
    filter_horizontal = ["practices"]


@admin.register(Observation)
class ObservationAdmin(SimpleHistoryAdmin):
    list_display = ["metric", "period", "place", "value", "source"]
    list_filter = ["metric__framework", "source"]
    raw_id_fields = ["metric", "period", "place", "recorded_by"]


@admin.register(SurveyWave)
class SurveyWaveAdmin(SimpleHistoryAdmin):
    list_display = ["name", "framework", "audience", "opens", "closes", "response_count"]
    filter_horizontal = ["statements"]

    def save_related(self, request, form, formsets, change):
        # The statements may have changed: rebuild the wave's stored results from its scores.
        super().save_related(request, form, formsets, change)
        services.survey_aggregates_recompute(wave=form.instance)


class IndexComponentInline(admin.TabularInline):
    model = IndexComponent
    extra = 0


@admin.register(CompositeIndex)
class CompositeIndexAdmin(SimpleHistoryAdmin):
    list_display = ["name", "framework"]
    inlines = [IndexComponentInline]
