import django_filters
from crispy_forms_gds.layout import Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cpw.accounts.models import Organisation, User
from cpw.core import formatting
from cpw.core.forms import GovUKDateField, VersionField
from cpw.core.uploads import TABLES, UploadValidator
from cpw.forms import GovUKFilterForm, GovUKForm
from programmes import organisations
from programmes.forms import PlacesField
from programmes.models import RAG, Ambition, Commitment, Place

from . import services, workflow
from .models import (
    OUTCOMES_MAX,
    ActivityKind,
    ActivityStatus,
    Groundbreaker,
    GroundbreakerStatus,
    LearningOutcome,
)


class CommitmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.group.name}: {obj.title}"


class GrantChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        application = obj.application
        return (
            f"{application.organisation.name}: {application.project_title or 'grant'}, "
            f"{formatting.money(obj.amount)} ({application.round.fund.name})"
        )


NUMBER_ATTRS = {"inputmode": "numeric", "class": "govuk-input govuk-input--width-5"}


def _date_field(label, *, required=True, help_text=""):
    field = GovUKDateField(label=label, required=required, help_text=help_text)
    field.error_messages["required"] = f"Enter the {label.lower()}"
    field.error_messages["incomplete"] = f"Enter the {label.lower()} as a day, month and year"
    return field


class GroundbreakerFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=GroundbreakerStatus.choices, empty_label="Any status"
    )
    place = django_filters.ModelChoiceFilter(
        field_name="places",
        queryset=Place.objects.none(),
        empty_label="Any place",
        label="Place",
    )
    lead_service_area = django_filters.CharFilter(
        lookup_expr="icontains", label="Lead service area"
    )
    lead_officer = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), empty_label="Anyone", label="Lead officer"
    )

    class Meta:
        model = Groundbreaker
        fields = ["status", "place", "lead_service_area", "lead_officer"]
        form = GovUKFilterForm

    def __init__(self, *args, places=None, leads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["place"].queryset = places if places is not None else Place.objects.none()
        self.filters["lead_officer"].queryset = leads if leads is not None else User.objects.none()


class GroundbreakerForm(GovUKForm):
    submit_label = "Save"
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter a name"}
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What it is trying to change, in a sentence or two",
    )
    lead_service_area = forms.CharField(
        label="Lead service area",
        required=False,
        max_length=120,
        help_text="For example Communities, Transport, Public Health",
    )
    lead_officer = forms.ModelChoiceField(
        label="Lead officer", queryset=User.objects.none(), required=False, empty_label="Not set"
    )
    sponsor = forms.CharField(label="Sponsor", required=False, max_length=200)
    partners = forms.ModelMultipleChoiceField(
        label="Partners involved",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=organisations.NOT_LINKED_ERRORS,
    )
    new_partner = forms.CharField(
        label="Add a partner that is not listed (optional)",
        help_text="Enter its full name. If it is not on the portal yet, it will be added",
        required=False,
        max_length=200,
    )
    places = PlacesField(
        label="Places",
        error_messages={
            "invalid_choice": "Select places from the list",
            "invalid_pk_value": "Select places from the list",
        },
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    commitments = CommitmentChoiceField(
        label="Delivery-plan commitments it advances",
        queryset=Commitment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only commitments in this programme's delivery plan can be chosen",
        error_messages={
            "invalid_choice": "Choose only commitments in this programme's delivery plan",
            "invalid_pk_value": "Choose only commitments in this programme's delivery plan",
        },
    )

    grants = GrantChoiceField(
        label="Grants that fund it",
        queryset=None,  # set per programme in __init__
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only grants from this programme's funds can be chosen",
        error_messages={
            "invalid_choice": "Choose only grants from this programme's funds",
            "invalid_pk_value": "Choose only grants from this programme's funds",
        },
    )

    def __init__(self, *args, leads, partners, places, commitments, grants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grants"].queryset = grants
        self.fields["lead_officer"].queryset = leads
        self.fields["partners"].queryset = partners
        self.fields["places"].queryset = places
        self.fields["commitments"].queryset = commitments


class GroundbreakerChangeForm(GroundbreakerForm):
    submit_label = "Save changes"
    version = VersionField()

    def __init__(self, *args, groundbreaker, **kwargs):
        kwargs["initial"] = {
            "name": groundbreaker.name,
            "summary": groundbreaker.summary,
            "lead_service_area": groundbreaker.lead_service_area,
            "lead_officer": groundbreaker.lead_officer_id,
            "sponsor": groundbreaker.sponsor,
            "partners": [o.pk for o in groundbreaker.partners.all()],
            "places": [p.pk for p in groundbreaker.places.all()],
            "commitments": [c.pk for c in groundbreaker.commitments.all()],
            "grants": [g.pk for g in groundbreaker.grants.all()],
            **kwargs.get("initial", {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = groundbreaker.version


class StatusChangeForm(GovUKForm):
    submit_label = "Change status"
    to_status = forms.ChoiceField(
        label="New status",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the new status"},
    )
    changed_on = _date_field("Date of the change")
    reason = forms.CharField(
        label="Reason for the change",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="This is kept in the status history for the steering group.",
        error_messages={"required": "Enter the reason for the change of status"},
    )

    def __init__(self, *args, current_status, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [
            (s, GroundbreakerStatus(s).label) for s in workflow.next_statuses(current_status)
        ]


class KeyOutcomesForm(GovUKForm):
    mark_optional = False  # blank slots are for outcomes not yet written
    """Up to 6 key outcomes, each a fieldset of title, success factors and indicators."""

    submit_label = "Save key outcomes"
    SLOTS = OUTCOMES_MAX + 2
    confirm_count = forms.BooleanField(
        required=False,
        label="I confirm this groundbreaker needs a number of key outcomes other than 3 or 4",
    )

    def __init__(self, *args, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        fieldsets = []
        existing = list(outcomes)
        for n in range(1, self.SLOTS + 1):
            current = existing[n - 1] if n <= len(existing) else None
            self.fields[f"title_{n}"] = forms.CharField(
                label="Outcome",
                required=False,
                max_length=300,
                initial=current.title if current else "",
            )
            self.fields[f"success_factors_{n}"] = forms.CharField(
                label="Success factors",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.success_factors if current else "",
            )
            self.fields[f"indicators_{n}"] = forms.CharField(
                label="Indicators",
                help_text="How you will know it is happening",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.indicators if current else "",
            )
            fieldsets.append(
                Fieldset(
                    f"title_{n}",
                    f"success_factors_{n}",
                    f"indicators_{n}",
                    legend=f"Key outcome {n}",
                    legend_size=Size.SMALL,
                )
            )
        self.helper.layout = Layout(*fieldsets, "confirm_count")

    def outcomes(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "title": data.get(f"title_{n}", ""),
                "success_factors": data.get(f"success_factors_{n}", ""),
                "indicators": data.get(f"indicators_{n}", ""),
            }
            for n in range(1, self.SLOTS + 1)
        ]


class WorkingGroupMemberForm(GovUKForm):
    submit_label = "Add to working group"
    conditionally_required = ("member", "name")  # one or the other
    member = forms.ModelChoiceField(
        label="Someone who uses the portal",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a person",
    )
    name = forms.CharField(
        label="Or the name of someone outside the portal", required=False, max_length=150
    )
    organisation_name = forms.CharField(
        label="Their organisation",
        required=False,
        max_length=200,
        help_text="Its full name: an organisation already on the portal is linked by its name",
    )
    role = forms.CharField(
        label="Their role on the working group",
        required=False,
        max_length=150,
        help_text="For example chair, resident representative",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = people


def _count_field(label, hint=""):
    return forms.CharField(
        label=label,
        required=False,
        help_text=hint,
        widget=forms.TextInput(attrs={**NUMBER_ATTRS, "spellcheck": "false"}),
    )


class ActivityForm(GovUKForm):
    """Short enough to fill in on a phone after an event: only title, kind and date are needed.
    A planned activity may be dated in the future and recorded as held later."""

    submit_label = "Save activity"
    groundbreaker = forms.ModelChoiceField(
        label="Groundbreaker",
        queryset=Groundbreaker.objects.none(),
        required=False,
        empty_label="None: a programme-level event",
    )
    title = forms.CharField(
        label="What was it called?",
        max_length=200,
        error_messages={"required": "Enter what the activity was called"},
    )
    kind = forms.ChoiceField(
        label="Type of activity",
        choices=[("", "Choose a type"), *ActivityKind.choices],
        error_messages={"required": "Select the type of activity"},
    )
    status = forms.ChoiceField(
        label="Has it happened?",
        choices=ActivityStatus.choices,
        widget=forms.RadioSelect,
        help_text="Only activities that were held count towards the totals. Log a planned "
        "activity now and record it as held, with its figures, afterwards.",
        error_messages={"required": "Select whether the activity is planned, held or cancelled"},
    )
    date = _date_field("Date", help_text="For example, 27 3 2024")
    end_date = _date_field(
        "End date", required=False, help_text="Only if it ran over more than one day"
    )
    start_time = forms.TimeField(
        label="Start time",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "govuk-input govuk-input--width-5"}),
        error_messages={"invalid": "Enter the start time like 14:30"},
    )
    end_time = forms.TimeField(
        label="End time",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "govuk-input govuk-input--width-5"}),
        error_messages={"invalid": "Enter the end time like 16:00"},
    )
    places = PlacesField(
        label="Places it covers",
        required=False,
        error_messages={
            "invalid_choice": "Choose only places in this programme's council",
            "invalid_pk_value": "Choose only places in this programme's council",
        },
    )
    audiences = forms.MultipleChoiceField(
        label="Who was it for?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Choose only audiences from the council's list"},
    )
    attendees = _count_field("Number of people who attended")
    households_approached = _count_field("Households approached")
    questionnaires_completed = _count_field("Questionnaires completed")
    hours_of_conversation = _count_field("Hours of conversation", "For example 2.5")
    volunteers = _count_field("Number of volunteers")
    partners = forms.ModelMultipleChoiceField(
        label="Partners involved",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=organisations.NOT_LINKED_ERRORS,
    )
    new_partner = forms.CharField(
        label="Add a partner that is not listed (optional)",
        help_text="Enter its full name. If it is not on the portal yet, it will be added",
        required=False,
        max_length=200,
    )
    council_led = forms.BooleanField(label="This was led by the council", required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # When correcting one: the activity's version when the form was shown.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, groundbreakers, places, partners, audiences, labels=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("council_led", True)
        initial.setdefault("status", ActivityStatus.HELD)
        initial.setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        if labels:  # the programme's own word: Pilot, Pathfinder...
            self.fields["groundbreaker"].label = labels["title_singular"]
        self.fields["groundbreaker"].queryset = groundbreakers
        self.fields["places"].queryset = places
        self.fields["partners"].queryset = partners
        self.fields["audiences"].choices = [(name, name) for name in audiences]

    def clean(self):
        data = super().clean()
        date = data.get("date")
        if (
            data.get("status") == ActivityStatus.HELD
            and date is not None
            and date > timezone.localdate()
        ):
            self.add_error(
                "date",
                "The date of an activity that was held must be today or in the past. If it "
                "has not happened yet, choose planned",
            )
        return data

    def _clean_number(self, name):
        try:
            return services.clean_count(name, self.cleaned_data.get(name))
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict[name]) from None

    def clean_attendees(self):
        return self._clean_number("attendees")

    def clean_households_approached(self):
        return self._clean_number("households_approached")

    def clean_questionnaires_completed(self):
        return self._clean_number("questionnaires_completed")

    def clean_hours_of_conversation(self):
        return self._clean_number("hours_of_conversation")

    def clean_volunteers(self):
        return self._clean_number("volunteers")


class LearningEntryForm(GovUKForm):
    submit_label = "Save learning"
    groundbreaker = forms.ModelChoiceField(
        label="Groundbreaker",
        queryset=Groundbreaker.objects.none(),
        required=False,
        empty_label="None: learning for the whole programme",
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A few words someone could search for",
        error_messages={"required": "Enter a short title for what you learned"},
    )
    what_we_tried = forms.CharField(
        label="What we tried",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what you tried"},
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what happened"},
    )
    outcome = forms.ChoiceField(
        label="Did it work?",
        choices=LearningOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it worked"},
    )
    what_we_would_do_differently = forms.CharField(
        label="What we would do differently",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    ambitions = forms.ModelMultipleChoiceField(
        label="Which of the programme's ambitions is this about?",
        queryset=Ambition.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Choose only this programme's ambitions"},
    )
    tags = forms.CharField(
        label="Themes",
        required=False,
        max_length=500,
        help_text="Separate them with commas, for example: food, young people",
    )

    def __init__(self, *args, groundbreakers, ambitions, labels=None, ambition_label="", **kwargs):
        super().__init__(*args, **kwargs)
        if labels:  # the programme's own words
            self.fields["groundbreaker"].label = labels["title_singular"]
        if ambition_label:
            self.fields[
                "ambitions"
            ].label = f"Which of the programme's {ambition_label.lower()} is this about?"
        self.fields["groundbreaker"].queryset = groundbreakers
        self.fields["ambitions"].queryset = ambitions

    def clean_tags(self):
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class LearningSearchForm(GovUKFilterForm):
    q = forms.CharField(label="Search the learning log", required=False, max_length=200)
    outcome = forms.ChoiceField(
        label="Did it work?",
        required=False,
        choices=[("", "Any outcome"), *LearningOutcome.choices],
    )
    ambition = forms.TypedChoiceField(
        label="Ambition",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of the programme's ambitions"},
    )
    tag = forms.ChoiceField(label="Theme", required=False)

    def __init__(self, *args, tags, ambitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ambition"].choices = [
            ("", "Any ambition"),
            *[(a.pk, a.name) for a in ambitions],
        ]
        self.fields["tag"].choices = [("", "Any"), *[(t.name, t.name) for t in tags]]


class GroundbreakerUpdateForm(GovUKForm):
    submit_label = "Submit update"
    mark_optional = False  # a draft may be blank; submitting checks it
    secondary_label = "Save as draft"
    version = VersionField()
    rag = forms.ChoiceField(
        label="RAG rating",
        required=False,
        widget=forms.RadioSelect,
        choices=RAG.choices,
        help_text="Green: on track. Amber: some problems. Red: serious problems.",
    )
    summary = forms.CharField(
        label="Summary of progress this quarter",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_steps = forms.CharField(
        label="Next steps", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, update, outcomes, progress, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = update.version
        self.fields["rag"].initial = update.rag
        self.fields["summary"].initial = update.summary
        self.fields["next_steps"].initial = update.next_steps
        names = ["version", "rag", "summary"]
        self.outcome_fields = {}
        for outcome in outcomes:
            name = f"outcome_{outcome.pk}"
            self.fields[name] = forms.CharField(
                label=f"Progress against key outcome {outcome.position}: {outcome.title}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=progress.get(outcome.pk, ""),
            )
            self.outcome_fields[outcome.pk] = name
            names.append(name)
        names.append("next_steps")
        self.order_fields(names)

    def progress(self) -> dict[int, str]:
        return {pk: self.cleaned_data.get(name, "") for pk, name in self.outcome_fields.items()}


class AudienceForm(GovUKForm):
    submit_label = "Add audience"
    name = forms.CharField(
        label="Name of the audience",
        max_length=100,
        help_text="For example: farmers, tenants' associations, faith groups",
        error_messages={"required": "Enter the name of the audience"},
    )


class ActivityImportForm(GovUKForm):
    submit_label = "Import"
    file = forms.FileField(
        label="Upload an activity log",
        help_text="A CSV or Excel (.xlsx) file smaller than 10 MB, with the columns of the "
        "template.",
        validators=[UploadValidator(TABLES)],
        error_messages={
            "required": "Select an activity log file to upload",
            "empty": "The selected file is empty",
        },
    )


class ActivityStatusFilterForm(GovUKFilterForm):
    submit_label = "Show"
    status = forms.ChoiceField(
        label="Show activities that are",
        required=False,
        choices=[("", "Planned, held or cancelled"), *ActivityStatus.choices],
    )
