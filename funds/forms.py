import contextlib
import datetime
import uuid

from django import forms

from cpw.accounts.models import OrganisationType, Role, User
from cpw.core.forms import GovUKDateField, MoneyField, VersionField
from cpw.core.placeholders import placeholders_listed
from cpw.forms import GovUKFilterForm, GovUKForm
from programmes.forms import PlacesField

from .emails import email_template_errors, placeholder_names
from .models import (
    EMAIL_BODY_MAX,
    EMAIL_SUBJECT_MAX,
    ApplicationStatus,
    BudgetKind,
    DecisionOutcome,
    EmailTemplateKind,
    GrantStatus,
    QuestionKind,
    Section,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


def money_field(label: str, required: bool = True, *, noun: str = "", **kwargs) -> MoneyField:
    """An amount in pounds (cpw.core's MoneyField: "£20,000.50", "20,000" or "20000")."""
    return MoneyField(label=label, required=required, noun=noun or None, **kwargs)


def date_field(label: str, required: bool = True, **kwargs) -> GovUKDateField:
    field = GovUKDateField(label=label, required=required, **kwargs)
    field.error_messages.update(
        {"invalid": f"{label} must be a real date", "required": f"Enter {label.lower()}"}
    )
    return field


class EligibilityForm(GovUKForm):
    submit_label = "Check eligibility"

    organisation_kind = forms.ChoiceField(
        label="What type of organisation are you?",
        choices=OrganisationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of your organisation"},
    )
    in_priority_place = forms.ChoiceField(
        label="Will your project take place in one of the programme's priority places?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if your project is in a priority place"},
    )
    amount = money_field(
        "How much do you want to ask for, in pounds?", noun="how much you want to ask for"
    )

    def __init__(self, *args, fund, **kwargs):
        super().__init__(*args, **kwargs)
        if not fund.priority_places_only:
            del self.fields["in_priority_place"]


class ProjectForm(GovUKForm):
    submit_label = "Save and continue"
    version = VersionField()
    project_title = forms.CharField(
        label="Project title", max_length=200, error_messages={"required": "Enter a project title"}
    )
    summary = forms.CharField(
        label="Summary of your project",
        help_text="What you will do, why it is needed and what difference it will make.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        error_messages={"required": "Enter a summary of your project"},
    )


class FundingForm(GovUKForm):
    submit_label = "Save and continue"
    conditionally_required = ("amount_capital", "amount_revenue")  # one or both
    version = VersionField()

    def __init__(self, *args, fund, **kwargs):
        super().__init__(*args, **kwargs)
        if fund.allows_capital:
            self.fields["amount_capital"] = money_field(
                "Capital amount requested, in pounds",
                required=False,
                noun="the capital amount requested",
                help_text="Buildings, equipment and other things that last.",
            )
        if fund.allows_revenue:
            self.fields["amount_revenue"] = money_field(
                "Revenue amount requested, in pounds",
                required=False,
                noun="the revenue amount requested",
                help_text="Running costs such as staff, rent and activities.",
            )
        self.fields["start_date"] = date_field(
            "Project start date", help_text="For example, 1 4 2026"
        )
        self.fields["end_date"] = date_field("Project end date", help_text="For example, 31 3 2027")

    def clean(self):
        data = super().clean()
        if not (data.get("amount_capital") or data.get("amount_revenue")):
            first = "amount_capital" if "amount_capital" in self.fields else "amount_revenue"
            if first not in self.errors:
                self.add_error(first, "Enter how much you are asking for")
        return data


class PlacesForm(GovUKForm):
    submit_label = "Save and continue"
    version = VersionField()
    places = PlacesField(
        label="Places that benefit",
        help_text="Select all the places where people will benefit.",
        error_messages={
            "required": "Select at least one place that benefits",
            "invalid_choice": "Select places from the list",
            "invalid_pk_value": "Select places from the list",
        },
    )
    beneficiaries = forms.CharField(
        label="Who benefits",
        help_text="For example, older people living alone, young carers, families on low incomes.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say who benefits"},
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = places


class BudgetLineForm(GovUKForm):
    submit_label = "Add budget line"
    description = forms.CharField(
        label="What the money is for",
        max_length=200,
        error_messages={"required": "Enter what the money is for"},
    )
    kind = forms.ChoiceField(
        label="Capital or revenue",
        choices=BudgetKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select capital or revenue"},
    )
    amount = money_field("Amount, in pounds", noun="the amount", allow_zero=False)


class QuestionsForm(GovUKForm):
    """The fund's own questions, one field per question."""

    submit_label = "Save and continue"

    def __init__(self, *args, questions, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        # Checked when the application is submitted, so a draft can be saved half done.
        self.conditionally_required = tuple(f"q{q.pk}" for q in self.questions if q.required)
        for question in self.questions:
            answer = answers.get(question.pk)
            name = f"q{question.pk}"
            common = {"label": question.text, "help_text": question.help_text, "required": False}
            if question.kind == QuestionKind.SHORT_TEXT:
                field = forms.CharField(max_length=300, **common)
            elif question.kind == QuestionKind.LONG_TEXT:
                field = forms.CharField(
                    max_length=5000, widget=forms.Textarea(attrs={"rows": 6}), **common
                )
            elif question.kind == QuestionKind.NUMBER:
                field = forms.IntegerField(
                    error_messages={"invalid": f"'{question.text}' must be a whole number"},
                    **common,
                )
            elif question.kind == QuestionKind.MONEY:
                field = money_field(
                    question.text,
                    noun=f"your answer to '{question.text}'",
                    **{k: v for k, v in common.items() if k != "label"},
                )
            elif question.kind == QuestionKind.DATE:
                field = date_field(
                    question.text, **{k: v for k, v in common.items() if k != "label"}
                )
            elif question.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(
                    choices=[(c, c) for c in question.choice_list],
                    widget=forms.RadioSelect,
                    **common,
                )
            else:
                hint = "A PDF, Word or Excel document, or a JPEG or PNG image, up to 10 MB."
                if answer and answer.original_filename:
                    hint += f" You have attached {answer.original_filename}: choose a file only to replace it."
                common["help_text"] = f"{question.help_text} {hint}".strip()
                field = forms.FileField(**common)
            if answer and answer.value and question.kind == QuestionKind.DATE:
                with contextlib.suppress(ValueError):
                    self.initial[name] = datetime.date.fromisoformat(answer.value)
            elif answer and question.kind != QuestionKind.FILE:
                self.initial[name] = answer.value
            self.fields[name] = field
        # The application's version when the form was shown: answers saved by a colleague in
        # between are an edit conflict, not silently overwritten.
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @property
    def is_multipart(self):
        return True


class DeclarationForm(GovUKForm):
    submit_label = "Accept and submit"
    confirm = forms.BooleanField(
        label="I confirm that the information in this application is true and complete, and I "
        "have authority to apply on behalf of my organisation",
        error_messages={"required": "Confirm the declaration to submit your application"},
    )
    declaration_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your full name to sign the declaration"},
    )


class SectionCompleteForm(GovUKForm):
    submit_label = "Continue"
    completed = forms.ChoiceField(
        label="Have you completed this section?",
        choices=[("yes", "Yes, I’ve completed this section"), ("no", "No, I’ll come back later")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you have completed this section"},
    )


class ChangesRequestForm(GovUKForm):
    submit_label = "Ask for changes"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Section.choices:
            self.fields[f"reason_{value}"] = forms.CharField(
                label=f"{label}: what needs changing",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Leave blank if this section is fine.",
            )

    def reasons(self) -> dict[str, str]:
        return {value: self.cleaned_data.get(f"reason_{value}", "") for value in Section.values}


class AssignAssessorForm(GovUKForm):
    submit_label = "Assign assessor"
    assessor = forms.ModelChoiceField(
        label="Assessor",
        queryset=User.objects.none(),
        empty_label="Choose an assessor",
        error_messages={"required": "Select an assessor"},
    )

    def __init__(self, *args, programme_id: int, **kwargs):
        """Assessors of the application's programme."""
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = (
            User.objects.filter(
                is_active=True,
                role_assignments__role=Role.ASSESSOR,
                role_assignments__programme_id=programme_id,
            )
            .distinct()
            .order_by("full_name")
        )


class ConflictForm(GovUKForm):
    submit_label = "Confirm declaration"
    conditionally_required = ("details",)
    conflicted = forms.ChoiceField(
        label="Do you have a conflict of interest with this application?",
        help_text="For example, you work or volunteer for the organisation, or a close friend "
        "or relative does.",
        choices=[("no", "No, I have no conflict of interest"), ("yes", "Yes, I have a conflict")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you have a conflict of interest"},
    )
    # A question of its own under the radios rather than a conditional reveal: GOV.UK
    # Frontend's reveal puts aria-expanded on a radio, which ARIA does not allow (a known
    # issue, alphagov/govuk-frontend#979), and this page must pass axe with no violations.
    details = forms.CharField(
        label="If you have a conflict, describe it",
        help_text="Leave this empty if you have no conflict of interest.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("conflicted") == "yes" and not (data.get("details") or "").strip():
            self.add_error("details", "Describe your conflict of interest")
        return data


SCORE_CHOICES = [
    ("", "Not scored yet"),
    *[(str(n), str(n)) for n in range(1, 6)],
    ("abstain", "Abstain"),
]


class ScoreForm(GovUKForm):
    submit_label = "Finish scoring"
    mark_optional = False  # every score is needed to finish, none to save for later
    secondary_label = "Save and come back later"

    def __init__(self, *args, criteria, scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            existing = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=f"{criterion.name} (weight {criterion.weight}): score from 1 (poor) to 5 "
                "(excellent)",
                help_text=criterion.guidance,
                choices=SCORE_CHOICES,
                required=False,
            )
            self.fields[f"justification_{criterion.pk}"] = forms.CharField(
                label=f"Why you gave this score for {criterion.name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            if existing:
                self.initial[f"score_{criterion.pk}"] = (
                    "abstain" if existing.abstained else str(existing.score)
                )
                self.initial[f"justification_{criterion.pk}"] = existing.justification

    def scores(self) -> dict:
        result = {}
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"score_{criterion.pk}") or ""
            result[criterion.pk] = {
                "abstain": value == "abstain",
                "score": int(value) if value.isdigit() else None,
                "justification": self.cleaned_data.get(f"justification_{criterion.pk}", ""),
            }
        return result


class CommentForm(GovUKForm):
    submit_label = "Add comment"
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a comment"},
    )


class FlagForm(GovUKForm):
    submit_label = "Raise flag"
    reason = forms.CharField(
        label="Why you are raising a flag",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter why you are raising a flag"},
    )


class FlagResolveForm(GovUKForm):
    submit_label = "Resolve flag"
    note = forms.CharField(
        label="How the flag was resolved",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter how the flag was resolved"},
    )


class DecisionForm(GovUKForm):
    submit_label = "Record decision"
    conditionally_required = ("amount_capital", "amount_revenue")
    outcome = forms.ChoiceField(
        label="Decision",
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select approved or declined"},
    )
    amount_capital = money_field(
        "Capital approved, in pounds", required=False, noun="the capital approved"
    )
    amount_revenue = money_field(
        "Revenue approved, in pounds", required=False, noun="the revenue approved"
    )
    conditions = forms.CharField(
        label="Conditions (if approved)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label="Reason (if declined)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The applicant sees this.",
    )


class AwardForm(GovUKForm):
    submit_label = "Award grant"
    conditionally_required = ("amount_capital", "amount_revenue")
    amount_capital = money_field(
        "Capital awarded, in pounds", required=False, noun="the capital awarded"
    )
    amount_revenue = money_field(
        "Revenue awarded, in pounds", required=False, noun="the revenue awarded"
    )
    awarded_on = date_field("Date of award")
    conditions = forms.CharField(
        label="Conditions of the grant", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    first_report_due = date_field("First monitoring report due")
    final_report_due = date_field("Final monitoring report due", required=False)

    def __init__(self, *args, allocations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allocations is not None:
            self.fields["allocation"] = forms.ModelChoiceField(
                label="Councillor's pot the grant comes from",
                queryset=allocations,
                empty_label="Choose a councillor's pot",
                error_messages={"required": "Select the councillor's pot"},
            )


class PaymentForm(GovUKForm):
    submit_label = "Plan payment"
    amount = money_field("Amount, in pounds", noun="the amount of the payment")
    due_on = date_field("Payment due")
    # New for every form shown; the same key submitted twice plans one payment.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


class GrantStatusForm(GovUKForm):
    submit_label = "Update grant status"
    status = forms.ChoiceField(
        label="Grant status", choices=GrantStatus.choices, widget=forms.RadioSelect
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class MonitoringReportForm(GovUKForm):
    submit_label = "Submit report"
    progress = forms.CharField(
        label="Progress so far",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe the progress of your project"},
    )
    spend_to_date = money_field("Spend to date, in pounds", noun="the spend to date")
    people_reached = forms.IntegerField(
        label="Number of people reached",
        min_value=0,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}
        ),
        error_messages={
            "required": "Enter the number of people reached",
            "invalid": "Number of people reached must be a whole number",
            "min_value": "Number of people reached must be 0 or more",
        },
    )
    photos = MultipleFileField(
        label="Photos of your project (optional)",
        required=False,
        help_text="Up to 5 JPEG or PNG images, each up to 10 MB.",
    )

    @property
    def is_multipart(self):
        return True


class EmailTemplateForm(GovUKForm):
    """A fund's wording for one kind of email. Checked with the same rule as the service, so a
    placeholder that could not be filled in is refused here, with the list of those allowed."""

    submit_label = "Save email"
    subject = forms.CharField(
        label="Subject",
        max_length=EMAIL_SUBJECT_MAX,
        error_messages={
            "required": "Enter a subject",
            "max_length": f"Enter a subject of {EMAIL_SUBJECT_MAX} characters or fewer",
        },
    )
    body = forms.CharField(
        label="Message",
        max_length=EMAIL_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "required": "Enter a message",
            "max_length": f"Enter a message of {EMAIL_BODY_MAX:,} characters or fewer",
        },
    )
    # The saved wording's version when the form was shown (0: none saved yet).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        listed = placeholders_listed(placeholder_names(kind))
        help_text = f"You can use these placeholders: {listed}."
        self.fields["subject"].help_text = help_text
        self.fields["body"].help_text = help_text

    def clean(self):
        cleaned = super().clean()
        subject, body = cleaned.get("subject"), cleaned.get("body")
        problems = email_template_errors(kind=self.kind, subject=subject or "", body=body or "")
        for field, messages in problems.items():
            if field in cleaned:
                for message in messages:
                    self.add_error(field, message)
        return cleaned


class ApplicationFilterForm(GovUKFilterForm):
    submit_label = "Filter"
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *[c for c in ApplicationStatus.choices if c[0] != "draft"]],
    )


class ExportForm(GovUKForm):
    submit_label = "Export"
    file_format = forms.ChoiceField(
        label="Format", choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")], widget=forms.RadioSelect
    )


EMAIL_KINDS = EmailTemplateKind


class QuestionAddForm(GovUKForm):
    submit_label = "Add question"
    text = forms.CharField(
        label="Question", max_length=300, error_messages={"required": "Enter the question"}
    )
    help_text = forms.CharField(label="Hint (optional)", required=False)
    kind = forms.ChoiceField(
        label="Type of answer",
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of answer"},
    )
    choices = forms.CharField(
        label="Options (for a choice question)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One option a line.",
    )
    required = forms.BooleanField(label="Applicants must answer this question", required=False)


class CriterionAddForm(GovUKForm):
    submit_label = "Add criterion"
    name = forms.CharField(
        label="Criterion", max_length=200, error_messages={"required": "Enter the criterion"}
    )
    weight = forms.IntegerField(
        label="Weight",
        help_text="A whole number from 1 to 10: a criterion of weight 2 counts twice as much.",
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-2", "inputmode": "numeric"}
        ),
        error_messages={"required": "Enter the weight", "invalid": "Weight must be a whole number"},
    )
    guidance = forms.CharField(
        label="Guidance for assessors (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RecommendForm(GovUKForm):
    submit_label = "Recommend"
    amount = money_field(
        "Amount to recommend from your pot, in pounds", noun="the amount to recommend"
    )


class RoundAddForm(GovUKForm):
    submit_label = "Add round"
    name = forms.CharField(
        label="Name of the round",
        max_length=120,
        help_text="For example, Round 2 (spring 2025)",
        error_messages={"required": "Enter the name of the round"},
    )
    budget = money_field(
        "Budget for this round, in pounds",
        noun="the budget for this round",
        error_messages={
            "invalid": "Budget must be an amount of money, like £250,000",
            "min_value": "Budget cannot be negative",
        },
    )
    invite_only = forms.BooleanField(
        label="Only organisations the council invites can apply", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opens_on"] = date_field("Opening date", help_text="For example, 1 4 2025")
        self.fields["closes_on"] = date_field(
            "Closing date", help_text="Applications close at 11:59pm on this day"
        )
        self.fields["award_by"] = date_field("Decisions made by", required=False)
        self.order_fields(["name", "opens_on", "closes_on", "award_by", "budget", "invite_only"])
