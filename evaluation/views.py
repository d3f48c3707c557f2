from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import FormView, TemplateView

from cpw.core import tabular
from cpw.core.access import ObjectAccessMixin
from cpw.core.concurrency import EditConflict
from cpw.core.conflicts import EditConflictMixin
from cpw.core.forms import add_form_errors
from cpw.privacy.services import record_access
from programmes.periods import period_name

from . import selectors, services
from .calculations import INDEX_BASE, INDEX_METHOD, RAG_METHOD, SUPPRESS_BELOW, rag_for
from .charts import format_change, format_value, trend_chart
from .forms import (
    IndexWeightsForm,
    MetricForm,
    ObservationForm,
    PublicSurveyForm,
    SurveyLinksForm,
    SurveyWaveForm,
    UploadForm,
)
from .models import Framework, Metric, Source

EXPORT_FORMATS = ("csv", "xlsx")


def _crumbs(framework, *extra):
    return [
        {"label": "Evaluation", "url": reverse("evaluation:home")},
        {
            "label": framework.programme.short_name,
            "url": reverse("evaluation:dashboard", args=[framework.programme.slug]),
        },
        *extra,
    ]


MANAGE = "evaluation.manage_evaluation"
RECORD = "evaluation.record_observation"


class EvaluationHomeView(ObjectAccessMixin, TemplateView):
    """The evaluation frameworks of the programmes the user works in."""

    permission_required = "evaluation.view_evaluation"
    template_name = "evaluation/framework_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            frameworks=selectors.framework_list_for_user(self.request.user), **kwargs
        )


class FrameworkAccessMixin(ObjectAccessMixin):
    """Loads the page's object (`load_object`: the framework of the programme in the URL, or a
    metric, wave or index of it) and checks it against evaluation/rules.py in the object's own
    programme: 404 to those with no council role there (partners too), 403 to those who may
    read but not do what the page does. Sets `self.framework` as well as `self.object`."""

    visible_permission = "evaluation.view_framework"
    permission_required = "evaluation.view_framework"

    def get_access_object(self):
        obj = self.load_object()
        self.framework = obj if isinstance(obj, Framework) else obj.framework
        return obj

    def load_object(self):
        return selectors.framework_get(self.kwargs["slug"])

    def may(self, permission: str) -> bool:
        return self.request.user.has_perm(permission, self.object)


class MetricAccessMixin(FrameworkAccessMixin):
    def load_object(self):
        self.metric = selectors.metric_get(slug=self.kwargs["slug"], pk=self.kwargs["pk"])
        return self.metric


class DashboardView(FrameworkAccessMixin, TemplateView):
    template_name = "evaluation/dashboard.html"

    def get_context_data(self, **kwargs):
        metrics = selectors.dashboard_metrics(self.framework)
        for metric in metrics:
            metric.latest_display = format_value(metric.latest_value, metric.unit)
            metric.change_display = format_change(metric.change, metric.unit)
        return super().get_context_data(
            framework=self.framework,
            metrics=metrics,
            indexes=selectors.dashboard_indexes(self.framework),
            waves=selectors.wave_list(self.framework),
            warning=services.high_level_warning(self.framework, len(metrics)),
            can_record=self.may(RECORD),
            rag_method=RAG_METHOD,
            breadcrumbs=[{"label": "Evaluation", "url": reverse("evaluation:home")}],
            **kwargs,
        )


class FrameworkView(FrameworkAccessMixin, TemplateView):
    template_name = "evaluation/framework_detail.html"

    def get_context_data(self, **kwargs):
        detail = selectors.framework_detail(self.framework)
        return super().get_context_data(
            framework=self.framework,
            warning=services.high_level_warning(self.framework, detail["high_level_count"]),
            can_change=self.may(MANAGE),
            breadcrumbs=_crumbs(self.framework),
            **detail,
            **kwargs,
        )


class MetricDetailView(MetricAccessMixin, TemplateView):
    template_name = "evaluation/metric_detail.html"

    def get_context_data(self, **kwargs):
        metric = self.metric
        series = selectors.metric_series(metric)
        for observation in series:
            observation.display = format_value(observation.value, metric.unit)
        latest = series[-1].value if series else None
        chart = trend_chart(
            labels=[period_name(o.period, self.framework.programme) for o in series],
            values=[o.value for o in series],
            unit=metric.unit,
            baseline=metric.baseline_value,
            target=metric.target,
        )
        by_place = selectors.metric_latest_by_place(metric)
        for observation in by_place:
            observation.display = format_value(observation.value, metric.unit)
        return super().get_context_data(
            framework=self.framework,
            metric=metric,
            series=series,
            chart=chart,
            by_place=by_place,
            latest_display=format_value(latest, metric.unit),
            baseline_display=format_value(metric.baseline_value, metric.unit),
            target_display=format_value(metric.target, metric.unit),
            rag=rag_for(metric, latest),
            rag_method=RAG_METHOD,
            calculator=selectors.derived_calculator_for(metric),
            can_record=metric.source != Source.DERIVED and self.may(RECORD),
            can_recalculate=metric.source == Source.DERIVED and self.may(MANAGE),
            can_change=self.may(MANAGE),
            breadcrumbs=_crumbs(
                self.framework,
                {
                    "label": "Framework",
                    "url": reverse("evaluation:framework", args=[self.framework.programme.slug]),
                },
            ),
            **kwargs,
        )


class MetricEditView(MetricAccessMixin, EditConflictMixin, FormView):
    """Add a metric (no pk: the page's object is the framework) or change one."""

    permission_required = MANAGE
    template_name = "evaluation/metric_form.html"
    form_class = MetricForm

    def load_object(self):
        if "pk" in self.kwargs:
            return super().load_object()
        self.metric = None
        return selectors.framework_get(self.kwargs["slug"])

    def get_form_kwargs(self):
        instance = self.metric or Metric(framework=self.framework)
        return {**super().get_form_kwargs(), "instance": instance, "framework": self.framework}

    def get_context_data(self, **kwargs):
        framework_url = reverse("evaluation:framework", args=[self.framework.programme.slug])
        return super().get_context_data(
            metric=self.metric,
            cancel_url=framework_url,
            breadcrumbs=_crumbs(self.framework, {"label": "Framework", "url": framework_url}),
            **kwargs,
        )

    def form_valid(self, form):
        metric = form.save(commit=False)
        try:
            metric, warning = services.metric_save(
                metric=metric,
                practices=form.cleaned_data["practices"],
                user=self.request.user,
                expected_version=form.cleaned_data["version"],
                attempted=form.attempted_changes,
            )
        except EditConflict as conflict:
            saved = conflict.current
            return self.edit_conflict_response(
                conflict,
                form,
                lambda data: self.form_class(data, instance=saved, framework=self.framework),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{metric.name} is saved")
        if warning:
            messages.warning(self.request, warning)
        return redirect("evaluation:metric", self.framework.programme.slug, metric.pk)


class ObservationAddView(MetricAccessMixin, FormView):
    permission_required = RECORD
    template_name = "evaluation/observation_add.html"
    form_class = ObservationForm

    def load_object(self):
        metric = super().load_object()
        if metric.source == Source.DERIVED:
            raise Http404("Derived metrics are calculated, not typed in")
        return metric

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "periods": selectors.period_list(self.framework),
            "places": selectors.place_choices(self.framework.programme.council_id),
            "unit_label": self.metric.get_unit_display(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            metric=self.metric,
            cancel_url=self._metric_url(),
            breadcrumbs=_crumbs(
                self.framework, {"label": self.metric.name, "url": self._metric_url()}
            ),
            **kwargs,
        )

    def _metric_url(self):
        return reverse("evaluation:metric", args=[self.framework.programme.slug, self.metric.pk])

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            observation = services.observation_record(
                metric=self.metric,
                period=data["period"],
                place=data["place"],
                value=data["value"],
                note=data["note"],
                user=self.request.user,
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        where = f" for {observation.place}" if observation.place else ""
        messages.success(
            self.request,
            f"The figure for {period_name(observation.period, self.framework.programme)}{where} is saved",
        )
        return redirect(self._metric_url())


class MetricRecalculateView(MetricAccessMixin, View):
    permission_required = MANAGE

    def post(self, request, slug, pk):
        metric = self.metric
        try:
            count = services.derived_observations_refresh(metric=metric)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{metric.name} is recalculated for {count} periods")
        return redirect("evaluation:metric", slug, pk)


class _ImportView(FrameworkAccessMixin, FormView):
    permission_required = RECORD
    form_class = UploadForm

    def run_import(self, form, dry_run):  # pragma: no cover - overridden
        raise NotImplementedError

    def form_valid(self, form):
        dry_run = "check_only" in self.request.POST
        try:
            count = self.run_import(form, dry_run)
        except tabular.ImportRejected as exc:
            form.add_error("file", exc.messages[0])
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    row_errors=exc.row_errors,
                    more_errors=exc.more_message,
                    error_total=f"{exc.total:,}",
                ),
                status=400,
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self.form_invalid(form)
        if dry_run:
            return self.render_to_response(
                self.get_context_data(form=self.form_class(), checked_count=count)
            )
        messages.success(self.request, self.success_message(count))
        return redirect(self.success_url_for())


class ObservationImportView(_ImportView):
    template_name = "evaluation/observation_import.html"

    def run_import(self, form, dry_run):
        return services.observations_import(
            framework=self.framework,
            uploaded_file=form.cleaned_data["file"],
            user=self.request.user,
            dry_run=dry_run,
        )

    def success_message(self, count):
        return f"{count} figure{'s' if count != 1 else ''} imported"

    def success_url_for(self):
        return reverse("evaluation:dashboard", args=[self.framework.programme.slug])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            framework=self.framework,
            metrics=self.framework.metrics.exclude(source=Source.DERIVED).order_by("name"),
            breadcrumbs=_crumbs(self.framework),
            **kwargs,
        )


class ObservationExportView(FrameworkAccessMixin, View):
    def get(self, request, slug, fmt):
        if fmt not in EXPORT_FORMATS:
            raise Http404("No such format")
        headers = ["Metric", "Period", "Place", "Value", "Unit", "Source", "Note"]
        rows = selectors.observation_export_rows(self.framework)
        for row in rows:
            row[2] = row[2] or "Whole programme"
        record_access(
            user=request.user,
            what=f"Evaluation figures of {self.framework.programme.name} ({fmt.upper()})",
            rows=len(rows),
            council=self.framework.programme.council_id,
        )
        return tabular.table_response(f"{slug}-evaluation-figures", fmt, headers, rows)


class SurveyListView(FrameworkAccessMixin, TemplateView):
    template_name = "evaluation/survey_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            framework=self.framework,
            waves=selectors.wave_list(self.framework),
            can_manage=self.may(MANAGE),
            breadcrumbs=_crumbs(self.framework),
            **kwargs,
        )


class SurveyWaveCreateView(FrameworkAccessMixin, FormView):
    permission_required = MANAGE
    template_name = "evaluation/survey_wave_form.html"
    form_class = SurveyWaveForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "framework": self.framework}

    def get_context_data(self, **kwargs):
        list_url = reverse("evaluation:survey-list", args=[self.framework.programme.slug])
        return super().get_context_data(
            framework=self.framework,
            cancel_url=list_url,
            breadcrumbs=_crumbs(self.framework, {"label": "Surveys", "url": list_url}),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            wave = services.survey_wave_create(
                framework=self.framework, user=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{wave.name} is created")
        return redirect("evaluation:survey-results", self.framework.programme.slug, wave.pk)


class WaveAccessMixin(FrameworkAccessMixin):
    def load_object(self):
        self.wave = selectors.wave_get(slug=self.kwargs["slug"], pk=self.kwargs["pk"])
        return self.wave

    def wave_crumbs(self, *extra):
        return _crumbs(
            self.framework,
            {
                "label": "Surveys",
                "url": reverse("evaluation:survey-list", args=[self.framework.programme.slug]),
            },
            *extra,
        )

    def results_url(self):
        return reverse(
            "evaluation:survey-results", args=[self.framework.programme.slug, self.wave.pk]
        )


class SurveyResultsView(WaveAccessMixin, TemplateView):
    template_name = "evaluation/survey_results.html"

    def get_context_data(self, **kwargs):
        services.survey_aggregates_ensure(wave=self.wave)
        return super().get_context_data(
            framework=self.framework,
            wave=self.wave,
            results=selectors.survey_results(self.wave),
            suppress_below=SUPPRESS_BELOW,
            links=selectors.wave_link_counts(self.wave),
            can_manage=self.may(MANAGE),
            breadcrumbs=self.wave_crumbs(),
            **kwargs,
        )


class SurveyResultsExportView(WaveAccessMixin, View):
    def get(self, request, slug, pk, fmt):
        if fmt not in EXPORT_FORMATS:
            raise Http404("No such format")
        services.survey_aggregates_ensure(wave=self.wave)
        headers, rows = selectors.survey_results_table(selectors.survey_results(self.wave))
        return tabular.table_response(f"{slug}-survey-{self.wave.pk}-results", fmt, headers, rows)


class SurveyImportView(WaveAccessMixin, _ImportView):
    permission_required = MANAGE
    template_name = "evaluation/survey_import.html"

    def run_import(self, form, dry_run):
        return services.survey_responses_import(
            wave=self.wave,
            uploaded_file=form.cleaned_data["file"],
            user=self.request.user,
            dry_run=dry_run,
        )

    def success_message(self, count):
        return f"{count} response{'s' if count != 1 else ''} imported"

    def success_url_for(self):
        return self.results_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            framework=self.framework,
            wave=self.wave,
            statements=self.wave.statements.order_by("practice__order", "order", "id"),
            breadcrumbs=self.wave_crumbs({"label": self.wave.name, "url": self.results_url()}),
            **kwargs,
        )


class SurveyLinksView(WaveAccessMixin, FormView):
    permission_required = MANAGE
    template_name = "evaluation/survey_links.html"
    form_class = SurveyLinksForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            framework=self.framework,
            wave=self.wave,
            links=selectors.wave_link_counts(self.wave),
            breadcrumbs=self.wave_crumbs({"label": self.wave.name, "url": self.results_url()}),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            links = services.survey_links_issue(
                wave=self.wave, count=form.cleaned_data["count"], user=self.request.user
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{len(links)} survey links created")
        return redirect("evaluation:survey-links", self.framework.programme.slug, self.wave.pk)


class SurveyLinksExportView(WaveAccessMixin, View):
    permission_required = MANAGE

    def get(self, request, slug, pk):
        rows = [
            [request.build_absolute_uri(reverse("evaluation:survey-public", args=[link.token]))]
            for link in selectors.unused_links(self.wave)
        ]
        record_access(
            user=request.user,
            what=f"Unused links of survey {self.wave.name}",
            rows=len(rows),
            about=self.wave,
        )
        return tabular.csv_response(f"{slug}-survey-{pk}-links.csv", ["Survey link"], rows)


class IndexAccessMixin(FrameworkAccessMixin):
    def load_object(self):
        self.index = selectors.index_get(slug=self.kwargs["slug"], pk=self.kwargs["pk"])
        return self.index


class IndexDetailView(IndexAccessMixin, FormView):
    """How an index is worked out; managers see the weights form, which posts to
    `IndexWeightsView`."""

    http_method_names = ["get", "head", "options"]
    template_name = "evaluation/index_detail.html"
    form_class = IndexWeightsForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "components": list(self.index.components.all())}

    def get_context_data(self, **kwargs):
        series = selectors.index_series(self.index)
        chart = trend_chart(
            labels=[period_name(row["period"], self.framework.programme) for row in series],
            values=[row["value"] for row in series],
            unit="index",
            baseline=INDEX_BASE,
        )
        return super().get_context_data(
            framework=self.framework,
            index=self.index,
            series=series,
            latest=next((r for r in reversed(series) if r["value"] is not None), None),
            chart=chart,
            method=INDEX_METHOD,
            can_manage=self.may(MANAGE),
            form_action=reverse(
                "evaluation:index-weights", args=[self.framework.programme.slug, self.index.pk]
            ),
            breadcrumbs=_crumbs(self.framework),
            **kwargs,
        )


class IndexWeightsView(IndexDetailView):
    """Managers change an index's weights; errors are shown on the index page."""

    http_method_names = ["post", "options"]
    permission_required = MANAGE

    def form_valid(self, form):
        try:
            services.index_weights_update(
                index=self.index, weights=form.weights(), user=self.request.user
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "The weights are saved and the index is recalculated")
        return redirect("evaluation:index", self.framework.programme.slug, self.index.pk)


# --- The public survey (no sign-in) -------------------------------------------------------------


USED = "This survey link has already been used. Each link takes one response."


def _unavailable(request, message):
    return render(
        request, "evaluation/survey_public_unavailable.html", {"message": message}, status=410
    )


@require_http_methods(["GET", "HEAD", "POST"])
def public_survey(request, token):
    """No sign-in: the single-use link is the key."""
    link = selectors.survey_link_get(token)
    if link.used_at is not None:
        return _unavailable(request, USED)
    if not link.wave.opens <= timezone.localdate() <= link.wave.closes:
        return _unavailable(request, "This survey is not open at the moment.")
    statements = link.wave.statements.order_by("practice__order", "order", "id")
    places = selectors.place_choices(link.wave.framework.programme.council_id)
    form = PublicSurveyForm(
        request.POST if request.method == "POST" else None,
        statements=statements,
        places=places,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_response_submit(
                token=token,
                scores=form.scores(),
                place=form.cleaned_data.get("place"),
                age_band=form.cleaned_data["age_band"],
            )
        except services.SurveyLinkUsed:
            return _unavailable(request, USED)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return redirect("evaluation:survey-thanks")
    return render(request, "evaluation/survey_public.html", {"form": form, "wave": link.wave})


@require_safe
def public_survey_thanks(request):
    return render(request, "evaluation/survey_public_thanks.html")
