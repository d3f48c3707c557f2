from django import forms
from django.utils.text import slugify

from cpw.core import uploads
from cpw.core.forms import GovUKDateField, percent_field
from cpw.forms import GovUKFilterForm, GovUKForm

from . import organisations
from .models import (
    RAG,
    CommitmentStatus,
    CouncilKind,
    PeriodWording,
    Place,
    PlaceKind,
    UpdateStatus,
    colour_validator,
    org_id_prefix_validator,
)


class PlacesField(forms.ModelMultipleChoiceField):
    """A council's places as checkboxes under a heading for each kind (wards, parishes and so
    on), with a hint: a long list a reader can scan."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Place.objects.none())
        kwargs.setdefault("help_text", "Select all that apply.")
        super().__init__(**kwargs)

    def grouped_choices(self) -> list[tuple[str, list[tuple[int, str]]]]:
        order = {kind: n for n, kind in enumerate(PlaceKind.values)}
        groups: dict[str, list] = {}
        for place in sorted(self.queryset, key=lambda p: (order.get(p.kind, 99), p.name)):
            groups.setdefault(place.kind, []).append((place.pk, self.label_from_instance(place)))
        labels = dict(PLACE_KIND_PLURALS)
        return [(labels.get(kind, kind), choices) for kind, choices in groups.items()]

    def label_from_instance(self, obj):
        return obj.name


PLACE_KIND_PLURALS = [
    (PlaceKind.COUNTY, "Counties"),
    (PlaceKind.DISTRICT, "Districts"),
    (PlaceKind.DIVISION, "Electoral divisions"),
    (PlaceKind.WARD, "Wards"),
    (PlaceKind.LOCALITY, "Localities"),
    (PlaceKind.PARISH, "Parishes and towns"),
    (PlaceKind.NEIGHBOURHOOD, "Neighbourhoods"),
    (PlaceKind.LSOA, "Lower layer super output areas (LSOAs)"),
]


class CommitmentUpdateForm(GovUKForm):
    submit_label = "Submit update"
    # A draft may be blank; submitting checks the RAG rating and the rest.
    conditionally_required = ("rag", "what_happened")
    secondary_label = "Save as draft"

    rag = forms.ChoiceField(
        label="RAG rating",
        choices=RAG.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="How the commitment is doing this period, using the programme's definitions.",
    )
    what_happened = forms.CharField(
        label="What happened this period", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    whats_next = forms.CharField(
        label="What's next", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    risks_and_issues = forms.CharField(
        label="Risks and issues", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    progress = percent_field(
        "Progress",
        noun="the progress",
        required=False,
        help_text="How far through the commitment is, from 0% to 100%.",
    )
    needs_decision = forms.BooleanField(
        label="This needs a decision from the steering group",
        help_text="The question goes in the report's summary, under decisions needed.",
        required=False,
    )
    decision_question = forms.CharField(
        label="What should the steering group decide?",
        help_text="Ask one question the group can answer, for example "
        "'Should we move £20,000 from events to small grants?'",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    evidence_links = forms.CharField(
        label="Evidence links",
        help_text="Web addresses of evidence, one on each line.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    evidence_file = forms.FileField(
        label="Upload evidence (optional)",
        help_text="A PDF, Word, Excel, PowerPoint, CSV, text or image file, smaller than 10 MB.",
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, status=None, **kwargs):
        super().__init__(*args, **kwargs)
        if status == UpdateStatus.SUBMITTED:
            self.submit_label = "Submit corrections"
            self.secondary_label = None

    def clean_evidence_links(self):
        links = self.cleaned_data["evidence_links"]
        validator = forms.URLField(assume_scheme="https")
        for line in links.splitlines():
            if line.strip():
                try:
                    validator.clean(line.strip())
                except forms.ValidationError:
                    raise forms.ValidationError(
                        f"'{line.strip()}' is not a web address. Enter each link like "
                        "https://www.example.org/report"
                    ) from None
        return links

    def clean(self):
        cleaned = super().clean()
        question = (cleaned.get("decision_question") or "").strip()
        if cleaned.get("needs_decision"):
            if not question:
                self.add_error(
                    "decision_question",
                    "Enter the question the steering group should decide, or untick "
                    "'This needs a decision from the steering group'",
                )
        else:
            cleaned["decision_question"] = ""
        return cleaned

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload:  # what the file is comes from its bytes, not its name
            uploads.check_upload(upload, kinds=uploads.EVIDENCE)
        return upload


class PeriodLockForm(GovUKForm):
    """Lock a period; before its update deadline only with a stated reason."""

    submit_label = "Lock the period"

    reason = forms.CharField(
        label="Why must it be locked before the deadline?",
        help_text="Leads can still update until the deadline. The reason is kept in the "
        "period's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, early: bool = False, period_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if period_label:
            self.submit_label = f"Yes, lock {period_label}"
        if not early:
            self.fields["reason"].label = "Anything to record about locking it (optional)"
            self.fields["reason"].help_text = ""


class GridFilterForm(GovUKFilterForm):
    group = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    lead = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(
        choices=[("", "Any status"), *CommitmentStatus.choices], required=False
    )
    rag = forms.ChoiceField(
        label="RAG this period",
        choices=[("", "Any"), *RAG.choices, ("missing", "Not submitted")],
        required=False,
    )

    def __init__(self, *args, groups=(), leads=(), group_label="Group", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].label = group_label
        self.fields["group"].choices = [("", "Any")] + [(g.pk, g.name) for g in groups]
        self.fields["lead"].choices = [("", "Anyone")] + [(u.pk, u.full_name) for u in leads]


UNMATCHED_CHOICES = [
    ("error", "Treat them as errors, so I can correct the file"),
    ("create", "Add them as new lead organisations"),
    ("skip", "Leave them out"),
]


class DeliveryPlanImportForm(GovUKForm):
    submit_label = "Check the file"

    file = forms.FileField(
        label="Upload a delivery plan",
        help_text="A CSV or Excel (.xlsx) file smaller than 10 MB, with the columns of the template.",
        error_messages={
            "required": "Select a delivery plan file to upload",
            "empty": "The selected file is empty",
        },
    )
    unmatched_leads = forms.ChoiceField(
        label="If a lead does not match anyone working with the council",
        choices=UNMATCHED_CHOICES,
        initial="error",
        widget=forms.RadioSelect,
    )


class CommitmentForm(GovUKForm):
    """A programme manager changes a commitment: what it is, who leads it, how it is going."""

    submit_label = "Save changes"

    title = forms.CharField(max_length=300, error_messages={"required": "Enter a title"})
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    group = forms.TypedChoiceField(coerce=int)
    status = forms.ChoiceField(choices=CommitmentStatus.choices, widget=forms.RadioSelect)
    progress = percent_field("Progress", noun="the progress")
    start = GovUKDateField(label="Start date", required=False, help_text="For example, 1 4 2025")
    end = GovUKDateField(label="Due date", required=False, help_text="For example, 31 3 2026")
    lead_users = forms.TypedMultipleChoiceField(
        label="Lead officers", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    lead_organisations = forms.TypedMultipleChoiceField(
        label="Lead organisations",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Organisations that work with the council",
        error_messages={
            "invalid_choice": f"{organisations.NOT_LINKED_MESSAGE}. To add another, enter its name"
        },
    )
    new_lead_organisation = forms.CharField(
        label="Add a lead organisation that is not listed (optional)",
        help_text="Enter its full name. If it is not on the portal yet, it will be added",
        required=False,
        max_length=200,
    )
    ambitions = forms.TypedMultipleChoiceField(
        label="Ambitions it serves", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        groups,
        people,
        organisations,
        ambitions,
        group_label,
        ambition_label="",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if ambition_label:
            self.fields["ambitions"].label = f"{ambition_label} it serves"
        self.fields["group"].label = group_label
        self.fields["group"].choices = [(g.pk, g.name) for g in groups]
        self.fields["lead_users"].choices = [(u.pk, u.full_name) for u in people]
        self.fields["lead_organisations"].choices = [(o.pk, o.name) for o in organisations]
        self.fields["ambitions"].choices = [(a.pk, a.name) for a in ambitions]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The due date must be the same as or after the start date")
        return data


class MilestoneForm(GovUKForm):
    submit_label = "Save milestone"

    title = forms.CharField(
        label="Milestone", max_length=300, error_messages={"required": "Enter the milestone"}
    )
    due_date = GovUKDateField(label="Due date", required=False, help_text="For example, 31 3 2026")
    done_date = GovUKDateField(
        label="Date it was done",
        required=False,
        help_text="Leave blank if it is not done yet. For example, 15 3 2026",
    )
    # The milestone's version when the form was shown (changing only): a save based on an older
    # version is an edit conflict.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RiskForm(GovUKForm):
    submit_label = "Add risk"

    description = forms.CharField(
        label="Describe the risk",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe the risk"},
    )
    likelihood = forms.TypedChoiceField(
        label="How likely is it?",
        coerce=int,
        choices=[
            (i, f"{i} – {t}")
            for i, t in enumerate(
                ["rare", "unlikely", "possible", "likely", "almost certain"], start=1
            )
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how likely the risk is"},
    )
    impact = forms.TypedChoiceField(
        label="How bad would it be?",
        coerce=int,
        choices=[
            (i, f"{i} – {t}")
            for i, t in enumerate(["minimal", "minor", "moderate", "major", "severe"], start=1)
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how bad the impact would be"},
    )
    owner = forms.CharField(label="Who owns the risk", max_length=200, required=False)
    mitigation = forms.CharField(
        label="What is being done about it",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ReportingPeriodsForm(GovUKForm):
    submit_label = "Save"

    first = forms.CharField(
        label="First quarter",
        required=False,
        help_text="Quarters of the financial year, for example 2025-Q1 (April to June 2025)",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    last = forms.CharField(
        label="Last quarter",
        required=False,
        help_text="For example 2026-Q4 (January to March 2027)",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    deadline_days = forms.IntegerField(
        label="Days after a quarter ends that updates are due",
        min_value=0,
        max_value=90,
        initial=14,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
    )
    reminder_days_before = forms.IntegerField(
        label="Days before the deadline to remind leads",
        min_value=0,
        max_value=60,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("first")) != bool(data.get("last")):
            self.add_error(
                "last" if data.get("first") else "first",
                "Enter both the first and the last quarter, or neither",
            )
        return data


YES_NO = [(True, "Yes"), (False, "No")]


def _yes(value) -> bool:
    return value in (True, "True", "true", "1", "yes")


class GovernanceBodyForm(GovUKForm):
    submit_label = "Save body"

    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example: Steering Group, Scrutiny Committee, Cabinet, Senior Leadership Team",
        error_messages={"required": "Enter the name of the body"},
    )
    chair = forms.CharField(
        label="Chair (optional)",
        max_length=200,
        required=False,
        help_text="The name or post of whoever chairs it",
    )
    meeting_cadence = forms.CharField(
        label="How often it meets (optional)",
        max_length=100,
        required=False,
        help_text="For example: quarterly",
    )
    delivery_team = forms.CharField(
        label="Team that supports it (optional)", max_length=200, required=False
    )
    receives_quarterly_report = forms.TypedChoiceField(
        label="Does it receive the quarterly report?",
        help_text="Its members with a portal account are emailed each report when it is "
        "published, and the report lists it among those it goes to.",
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the body receives the quarterly report"},
    )


class GovernanceMemberForm(GovUKForm):
    submit_label = "Save member"

    name = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        help_text="Leave blank to use the name on their portal account",
    )
    position = forms.CharField(
        label="Position (optional)",
        max_length=200,
        required=False,
        help_text="For example: Portfolio Holder for Communities",
    )
    user = forms.ModelChoiceField(
        label="Portal account (optional)",
        queryset=None,
        required=False,
        empty_label="No portal account",
        help_text="Link a member who can read the programme's reports, so that they are "
        "emailed the quarterly report. Only people with the steering-group or programme "
        "manager role in this programme (or its council's admins) are listed.",
        error_messages={"invalid_choice": "Select one of the people listed"},
    )
    is_chair = forms.BooleanField(label="They chair the body", required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("name") or "").strip()
            and not cleaned.get("user")
            and not (self.has_error("user"))
        ):
            self.add_error("name", "Enter the member's name")
        return cleaned


class ConfirmRemoveForm(GovUKForm):
    """Are you sure? Yes removes, no goes back."""

    submit_label = "Continue"

    confirm = forms.TypedChoiceField(
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes to remove it, or no to keep it"},
    )

    def __init__(self, *args, question: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = question


class ProgrammeSettingsForm(GovUKForm):
    submit_label = "Save changes"

    current_phase = forms.TypedChoiceField(
        label="Current phase",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Select one of this programme's phases"},
    )
    rag_green = forms.CharField(
        label="What green means", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    rag_amber = forms.CharField(
        label="What amber means", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    rag_red = forms.CharField(
        label="What red means", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    ambition_label = forms.CharField(
        label="What the programme calls one ambition",
        max_length=40,
        help_text="For example Ambition, Principle or Route",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    ambition_label_plural = forms.CharField(
        label="… and more than one",
        max_length=40,
        help_text="For example Ambitions, Principles or Routes",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    group_label = forms.CharField(
        label="What the delivery plan's groups are called",
        max_length=40,
        help_text="Singular, for example Theme, Pillar, Workstream or Programme phase",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    group_label_plural = forms.CharField(
        label="… and more than one",
        max_length=40,
        help_text="For example Themes, Pillars or Workstreams",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    groundbreaker_label = forms.CharField(
        label="What the programme calls one groundbreaker",
        max_length=60,
        help_text="In lower case, for example groundbreaker, pilot or pathfinder",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    groundbreaker_label_plural = forms.CharField(
        label="… and more than one",
        max_length=60,
        help_text="For example groundbreakers, pilots or pathfinders",
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    period_wording = forms.ChoiceField(
        label="How reporting periods are named",
        help_text="Pages, spreadsheets, emails and reports use this name. Web addresses and "
        "imports keep the quarter label, like 2024-Q1.",
        choices=PeriodWording.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose how reporting periods are named"},
    )
    publishes_open_data = forms.BooleanField(
        label="Publish reports and grants as open data",
        help_text="Anyone, without signing in, may then read the programme's published reports "
        "and its grants (in the 360Giving standard) through the portal's API.",
        required=False,
    )

    def __init__(self, *args, phases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["current_phase"].choices = [("", "Not set")] + list(phases)


def _slug_field(help_text):
    return forms.SlugField(
        label="Web address name (optional)",
        max_length=60,
        required=False,
        help_text=help_text,
        error_messages={
            "invalid": "Enter a web address name with only lower-case letters, numbers and hyphens"
        },
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )


class CouncilForm(GovUKForm):
    """A council's details: a staff admin adds them, the council's admins keep them."""

    submit_label = "Save changes"

    name = forms.CharField(
        label="Full name of the council",
        max_length=200,
        help_text="For example Kent County Council",
        error_messages={"required": "Enter the council's full name"},
    )
    short_name = forms.CharField(
        label="Short name",
        max_length=60,
        help_text="For example Kent",
        error_messages={"required": "Enter a short name"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    slug = _slug_field(
        "Used in the council's web addresses. Leave blank to make it from the short name"
    )
    kind = forms.ChoiceField(
        label="Type of council",
        choices=CouncilKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of council"},
    )
    org_id_prefix = forms.CharField(
        label="360Giving org-id",
        max_length=60,
        help_text="The council's org-id as a funder, for example GB-LAE-WAR. Find it on org-id.guide",
        error_messages={"required": "Enter the council's 360Giving org-id"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )
    contact_email = forms.EmailField(
        label="Contact email address (optional)",
        required=False,
        help_text="Where people write about the portal, its accessibility included",
        error_messages={"invalid": "Enter an email address like portal@council.gov.uk"},
    )
    dpo_email = forms.EmailField(
        label="Data protection officer's email address (optional)",
        required=False,
        help_text="Shown on the privacy notice",
        error_messages={"invalid": "Enter an email address like dpo@council.gov.uk"},
    )
    brand_colour = forms.CharField(
        label="Colour (optional)",
        max_length=7,
        required=False,
        validators=[colour_validator],
        help_text="A hash and six hexadecimal digits, for example #1d70b8",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_org_id_prefix(self):
        value = self.cleaned_data["org_id_prefix"].strip().upper()
        org_id_prefix_validator(value)
        return value

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("short_name"):
            data["slug"] = slugify(data["short_name"])[:60]
            if not data["slug"]:
                self.add_error("slug", "Enter a web address name")
        return data


class CouncilAddForm(CouncilForm):
    submit_label = "Add council and send invitation"

    admin_full_name = forms.CharField(
        label="Full name of the council's first council admin",
        max_length=150,
        error_messages={"required": "Enter the full name of the council's first council admin"},
    )
    admin_email = forms.EmailField(
        label="Their email address",
        help_text="We will email them a link to set a password. Use their council email address",
        error_messages={
            "required": "Enter the council admin's email address",
            "invalid": "Enter an email address in the correct format, like name@council.gov.uk",
        },
    )

    def clean_admin_email(self):
        return self.cleaned_data["admin_email"].strip().lower()


BLANK = "blank"


class ProgrammeCreateForm(GovUKForm):
    """A new programme of a council: blank, or with another of its programmes' structure."""

    submit_label = "Create programme"

    start_from = forms.ChoiceField(
        label="How do you want to start?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how you want to start",
            "invalid_choice": "Select one of this council's programmes, or start from a blank form",
        },
    )
    name = forms.CharField(
        label="Name of the programme",
        max_length=200,
        error_messages={"required": "Enter the name of the programme"},
    )
    short_name = forms.CharField(
        label="Short name",
        max_length=30,
        help_text="For example CPW",
        error_messages={"required": "Enter a short name"},
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    slug = _slug_field(
        "Used in the programme's web addresses. Leave blank to make it from the name"
    )
    purpose = forms.CharField(
        label="Purpose (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    start = GovUKDateField(
        label="Start date (optional)", required=False, help_text="For example, 1 4 2025"
    )
    end = GovUKDateField(
        label="End date (optional)", required=False, help_text="For example, 31 3 2028"
    )

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = {str(p.pk): p for p in sources}
        self.fields["start_from"].choices = [(BLANK, "From a blank form")] + [
            (str(p.pk), f"Copy the structure of {p.name}") for p in sources
        ]
        self.fields["start_from"].initial = BLANK
        self.fields["start_from"].help_text = (
            "Copying takes the phases and stages, ambitions, the programme's own words, the "
            "delivery plan's groups and the governance bodies. Not commitments, updates or people."
        )

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("name"):
            data["slug"] = slugify(data["name"])[:60]
            if not data["slug"]:
                self.add_error("slug", "Enter a web address name")
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end date must be the same as or after the start date")
        choice = data.get("start_from")
        data["copy_from"] = self.sources.get(choice) if choice and choice != BLANK else None
        return data


class PhaseForm(GovUKForm):
    submit_label = "Save"

    name = forms.CharField(
        label="Name", max_length=100, error_messages={"required": "Enter a name"}
    )
    parent = forms.TypedChoiceField(
        label="Where does it go?",
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select one of this programme's phases"},
    )
    order = forms.IntegerField(
        label="Position (optional)",
        min_value=0,
        max_value=999,
        required=False,
        help_text="Phases (and the stages in a phase) are shown from the lowest number up. "
        "Leave blank to put a new one last",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
    )
    start = GovUKDateField(
        label="Start date (optional)", required=False, help_text="For example, 1 4 2025"
    )
    end = GovUKDateField(
        label="End date (optional)", required=False, help_text="For example, 31 3 2026"
    )

    def __init__(self, *args, phases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.phases = {p.pk: p for p in phases}
        self.fields["parent"].choices = [("", "A phase of the programme")] + [
            (p.pk, f"A stage of {p.name}") for p in phases
        ]

    def clean(self):
        data = super().clean()
        data["parent"] = self.phases.get(data.get("parent"))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data


class AmbitionForm(GovUKForm):
    submit_label = "Save"

    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter a name"}
    )
    points = forms.CharField(
        label="What this means (optional)",
        required=False,
        help_text="One point on each line",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    order = forms.IntegerField(
        label="Position (optional)",
        min_value=0,
        max_value=999,
        required=False,
        help_text="Shown from the lowest number up. Leave blank to put a new one last",
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-3"}),
    )

    def __init__(self, *args, label="Ambition", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = f"Enter the {label.lower()}'s name"

    def clean_points(self):
        points = self.cleaned_data["points"]
        for line in points.splitlines():
            if len(line.strip()) > 300:
                raise forms.ValidationError("Each point must be 300 characters or fewer")
        return points


class PlacesImportForm(GovUKForm):
    submit_label = "Import places"
    secondary_label = "Check the file without importing"
    secondary_name = "check_only"

    file = forms.FileField(
        label="Upload a file of places",
        help_text="A CSV or Excel (.xlsx) file smaller than 10 MB, with the columns of the "
        "template.",
        validators=[uploads.UploadValidator(uploads.TABLES)],
        error_messages={
            "required": "Select a CSV or Excel file of places",
            "empty": "The selected file is empty",
        },
    )
