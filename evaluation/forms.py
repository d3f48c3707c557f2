from django import forms

from cpw.core.forms import VersionedModelFormMixin, govuk_date_field
from cpw.forms import GovUKForm, GovUKModelForm
from programmes.models import PlaceKind
from programmes.periods import period_name

from . import derived
from .models import SCORE_MAX, SCORE_MIN, AgeBand, Audience, Metric, Statement

SCORE_CHOICES = [
    ("5", "5 – completely agree"),
    ("4", "4 – agree"),
    ("3", "3 – neither agree nor disagree"),
    ("2", "2 – disagree"),
    ("1", "1 – completely disagree"),
]


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, place):
        return f"{place.name} ({place.get_kind_display()})"


class PeriodChoiceField(forms.ModelChoiceField):
    """Periods named in their programme's wording (the queryset selects their programme)."""

    def label_from_instance(self, period):
        return period_name(period)


class ObservationForm(GovUKForm):
    submit_label = "Save figure"

    period = PeriodChoiceField(
        label="Reporting period",
        queryset=None,
        empty_label="Choose a period",
        error_messages={"required": "Choose the reporting period"},
    )
    place = PlaceChoiceField(
        label="Place (optional)",
        help_text="Leave as 'The whole programme' unless the figure is for one place.",
        queryset=None,
        required=False,
        empty_label="The whole programme",
        error_messages={"invalid_choice": "Choose a place from the list"},
    )
    value = forms.CharField(
        label="Figure", max_length=30, error_messages={"required": "Enter the figure"}
    )
    note = forms.CharField(
        label="Note (optional)",
        help_text="For example where the figure comes from.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, periods, places, unit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["place"].queryset = places
        self.fields["value"].help_text = f"Unit: {unit_label}."


class UploadForm(GovUKForm):
    submit_label = "Import"
    secondary_label = "Check the file without importing"
    secondary_name = "check_only"

    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV or Excel (.xlsx) file, smaller than 10MB.",
        error_messages={
            "required": "Select a CSV or Excel file",
            "empty": "The selected file is empty",
        },
    )


class SurveyLinksForm(GovUKForm):
    submit_label = "Create links"

    count = forms.IntegerField(
        label="How many links do you need?",
        help_text="Each link takes one response. Send one to each person.",
        min_value=1,
        max_value=5000,
        error_messages={
            "required": "Enter how many links you need",
            "invalid": "Enter a whole number, like 200",
            "min_value": "Enter a number of links from 1 to 5,000",
            "max_value": "Enter a number of links from 1 to 5,000",
        },
    )


class IndexWeightsForm(GovUKForm):
    submit_label = "Save weights"

    def __init__(self, *args, components, **kwargs):
        super().__init__(*args, **kwargs)
        self.components = components
        for component in components:
            self.fields[f"weight_{component.pk}"] = forms.DecimalField(
                label=f"Weight for {component.metric.name}",
                initial=component.weight,
                min_value=0,
                max_digits=6,
                decimal_places=3,
                error_messages={
                    "required": f"Enter a weight for {component.metric.name}",
                    "invalid": f"Enter the weight for {component.metric.name} as a number",
                    "min_value": f"The weight for {component.metric.name} must be 0 or more",
                },
            )

    def weights(self) -> dict:
        return {c.pk: self.cleaned_data[f"weight_{c.pk}"] for c in self.components}


class PublicSurveyForm(GovUKForm):
    submit_label = "Send your answers"

    # The areas a respondent picks from: the council's largest kind of place it has.
    AREA_KINDS = [PlaceKind.DISTRICT, PlaceKind.LOCALITY, PlaceKind.WARD, PlaceKind.DIVISION]

    @classmethod
    def area_kind(cls, places) -> PlaceKind:
        found = set(places.filter(kind__in=cls.AREA_KINDS).values_list("kind", flat=True))
        return next((kind for kind in cls.AREA_KINDS if kind in found), PlaceKind.DISTRICT)

    def __init__(self, *args, statements, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = list(statements)
        # At least one is needed: none is optional on its own.
        self.conditionally_required = tuple(f"statement_{s.pk}" for s in self.statements)
        for number, statement in enumerate(self.statements, start=1):
            self.fields[f"statement_{statement.pk}"] = forms.ChoiceField(
                label=f"{number}. {statement.text}",
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect,
                required=False,
            )
        kind = self.area_kind(places)
        self.fields["place"] = PlaceChoiceField(
            label=f"Which {kind.label.lower()} do you live in? (optional)",
            queryset=places.filter(kind=kind),
            required=False,
            empty_label="Prefer not to say",
            error_messages={"invalid_choice": f"Choose a {kind.label.lower()} from the list"},
        )
        self.fields["age_band"] = forms.ChoiceField(
            label="How old are you? (optional)",
            choices=[("", "Prefer not to say"), *AgeBand.choices],
            required=False,
        )

    def clean(self):
        data = super().clean()
        if not any(data.get(f"statement_{s.pk}") for s in self.statements):
            first = f"statement_{self.statements[0].pk}" if self.statements else None
            self.add_error(first, "Rate at least one statement")
        return data

    def scores(self) -> dict[int, int]:
        result = {}
        for s in self.statements:
            value = self.cleaned_data.get(f"statement_{s.pk}")
            if value:
                score = int(value)
                if SCORE_MIN <= score <= SCORE_MAX:
                    result[s.pk] = score
        return result


class MetricForm(VersionedModelFormMixin, GovUKModelForm):
    submit_label = "Save metric"

    derived_key = forms.ChoiceField(
        label="Calculation (only for metrics calculated from portal data)",
        required=False,
    )
    baseline_date = govuk_date_field(
        "Date of the baseline", required=False, help_text="For example, 31 3 2022"
    )

    class Meta:
        model = Metric
        fields = [
            "name",
            "tier",
            "definition",
            "unit",
            "direction",
            "scale",
            "source",
            "derived_key",
            "cadence",
            "baseline_value",
            "baseline_date",
            "target",
            "rag_green_from",
            "rag_amber_from",
            "is_high_level",
            "practices",
        ]
        labels = {
            "name": "Name of the metric",
            "definition": "What is measured, and how",
            "baseline_value": "Baseline (optional)",
            "target": "Target (optional)",
            "is_high_level": "Show it on the dashboard as a high-level metric",
            "practices": "Which practices does it show? (optional)",
        }
        widgets = {
            "unit": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "scale": forms.RadioSelect,
            "source": forms.RadioSelect,
            "cadence": forms.RadioSelect,
            "practices": forms.CheckboxSelectMultiple,
            "definition": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"required": "Enter the name of the metric"},
            "definition": {"required": "Say what the metric measures"},
            "tier": {"required": "Choose the tier"},
            "unit": {"required": "Choose the unit"},
            "baseline_value": {"invalid": "Enter the baseline as a number"},
            "target": {"invalid": "Enter the target as a number"},
        }

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = framework.tiers.all()
        self.fields["tier"].empty_label = "Choose a tier"
        self.fields["practices"].queryset = framework.practices.all()
        self.fields["derived_key"].choices = [("", "Not calculated"), *derived.choices()]
        for name in ("direction", "scale", "source", "cadence"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]


class StatementChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, statement):
        return f"{statement.practice.name} – {statement.get_kind_display()}: {statement.text}"


class SurveyWaveForm(GovUKForm):
    submit_label = "Create survey wave"

    name = forms.CharField(
        label="Name of the survey wave",
        help_text="For example Residents' panel self-assessment, spring 2024",
        max_length=200,
        error_messages={"required": "Enter a name for the survey wave"},
    )
    audience = forms.ChoiceField(
        label="Who answers it?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who answers the survey"},
    )
    opens = govuk_date_field(
        "Opens on",
        help_text="For example, 1 4 2024",
        error_messages={
            "required": "Enter the date the survey opens",
            "incomplete": "Enter the date the survey opens as a day, month and year",
            "invalid": "The opening date must be a real date",
        },
    )
    closes = govuk_date_field(
        "Closes on",
        help_text="For example, 30 4 2024",
        error_messages={
            "required": "Enter the date the survey closes",
            "incomplete": "Enter the date the survey closes as a day, month and year",
            "invalid": "The closing date must be a real date",
        },
    )
    statements = StatementChoiceField(
        label="Statements to rate",
        help_text="Residents rate I statements; the council's workforce rates We statements.",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one statement"},
    )

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statements"].queryset = (
            Statement.objects.filter(practice__framework=framework)
            .select_related("practice")
            .order_by("kind", "practice__order", "order")
        )

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] < data["opens"]:
            self.add_error("closes", "The closing date must be on or after the opening date")
        return data
