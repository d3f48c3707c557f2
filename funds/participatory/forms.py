"""Forms of participatory budgeting: one page's input each."""

from django import forms

from cpw.core import uploads
from cpw.forms import GovUKForm

from ..forms import YES_NO, date_field
from ..models import VoterMethod, VotingRule
from ..services import money

SCORES = [(str(n), str(n)) for n in range(1, 6)]


def _bid_label(entry) -> str:
    return f"{entry.application.project_title} ({money(entry.amount)})"


class BallotForm(GovUKForm):
    """The choices on a ballot: tick boxes of bids (up to the pot, or N of them) or a score
    from 1 to 5 for every bid. Whether the choices keep to the rule is the service's check."""

    submit_label = "Continue"

    def __init__(self, *args, participatory, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.participatory = participatory
        self.entries = list(entries)
        if participatory.rule == VotingRule.SCORE:
            for entry in self.entries:
                self.fields[f"score_{entry.pk}"] = forms.ChoiceField(
                    label=f"Your score for {_bid_label(entry)}",
                    help_text="1 is the lowest, 5 the highest",
                    choices=SCORES,
                    widget=forms.RadioSelect,
                    required=False,
                )
        else:
            if participatory.rule == VotingRule.CHOOSE_N:
                hint = f"Choose {participatory.choose_n}."
            else:
                hint = f"Choose bids that add up to {money(participatory.pot)} or less."
            self.fields["bids"] = forms.MultipleChoiceField(
                label="Which bids do you want to fund?",
                help_text=hint,
                choices=[(str(e.pk), _bid_label(e)) for e in self.entries],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                error_messages={"invalid_choice": "Choose bids from the list"},
            )

    def choices(self) -> dict[int, int | None]:
        """The choices as the services take them: {entry id: score or None}."""
        data = self.cleaned_data
        if self.participatory.rule == VotingRule.SCORE:
            return {
                e.pk: int(data[f"score_{e.pk}"]) for e in self.entries if data.get(f"score_{e.pk}")
            }
        return {int(pk): None for pk in data.get("bids", [])}

    @classmethod
    def initial_from(cls, participatory, choices: dict) -> dict:
        if participatory.rule == VotingRule.SCORE:
            return {f"score_{pk}": str(score) for pk, score in choices.items() if score}
        return {"bids": [str(pk) for pk in choices]}


class PaperBallotForm(BallotForm):
    submit_label = "Save and enter the next ballot"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"] = forms.IntegerField(
            label="Ballot number",
            min_value=1,
            widget=forms.TextInput(
                attrs={
                    "class": "govuk-input govuk-input--width-5",
                    "inputmode": "numeric",
                    "autofocus": True,
                }
            ),
            error_messages={
                "required": "Enter the ballot's number",
                "invalid": "The ballot number must be a whole number, like 12",
                "min_value": "The ballot number must be 1 or more",
            },
        )
        self.fields["spoilt"] = forms.BooleanField(
            label="The ballot is spoilt (it will not be counted)", required=False
        )
        self.fields["spoilt_reason"] = forms.CharField(
            label="Why is it spoilt?",
            help_text="For example: blank, over the pot, cannot tell which bids are chosen",
            max_length=200,
            required=False,
        )
        self.fields["replace"] = forms.BooleanField(
            label="Correct a ballot already entered with this number", required=False
        )
        self.order_fields(["number"])


class PaperCheckForm(BallotForm):
    submit_label = "Check this ballot"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"] = forms.IntegerField(
            label="Ballot number",
            min_value=1,
            widget=forms.TextInput(
                attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"}
            ),
            error_messages={
                "required": "Enter the ballot's number",
                "invalid": "The ballot number must be a whole number, like 12",
                "min_value": "The ballot number must be 1 or more",
            },
        )
        self.fields["spoilt"] = forms.BooleanField(label="The ballot is spoilt", required=False)
        self.order_fields(["number"])


class IdentifyForm(GovUKForm):
    submit_label = "Continue"
    method = forms.ChoiceField(
        label="How do you want to confirm who you are?",
        choices=[
            (VoterMethod.EMAIL, "With my email address (we send you a link)"),
            (VoterMethod.CARD, "With the code on my polling card"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you want to confirm who you are"},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="Only if you chose email. We use it once, to send the link.",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    code = forms.CharField(
        label="Polling card code",
        help_text="Only if you chose the polling card. For example, ABCDE-23456",
        required=False,
        max_length=20,
    )
    postcode = forms.CharField(
        label="Your postcode",
        help_text="To check that you live in the area of the vote",
        max_length=10,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "postal-code"}
        ),
        error_messages={"required": "Enter your postcode"},
    )

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == VoterMethod.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter your email address")
        if data.get("method") == VoterMethod.CARD and not data.get("code", "").strip():
            self.add_error("code", "Enter the code on your polling card")
        return data


class CorrectionForm(BallotForm):
    """A programme manager's correction of a paper ballot, read again from the paper."""

    submit_label = "Correct the ballot"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "bids" in self.fields:
            self.fields["bids"].label = "Which bids does the paper ballot choose?"
        self.fields["spoilt"] = forms.BooleanField(
            label="The ballot is spoilt (it will not be counted)", required=False
        )
        self.fields["spoilt_reason"] = forms.CharField(
            label="Why is it spoilt?", max_length=200, required=False
        )
        self.fields["reason"] = forms.CharField(
            label="Why are you correcting it?",
            help_text="For example: the paper shows bid 3, not bid 2. This is kept in the "
            "ballot's history.",
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": "Enter why the ballot is corrected"},
        )


class CastForm(GovUKForm):
    submit_label = "Cast your vote"


class SetupForm(GovUKForm):
    submit_label = "Save the vote's settings"
    rule = forms.ChoiceField(
        label="How do residents vote?",
        choices=VotingRule.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how residents vote"},
    )
    choose_n = forms.IntegerField(
        label="How many bids does each voter choose?",
        help_text="Only for 'choose a set number of bids'",
        min_value=1,
        max_value=50,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter a whole number, like 3",
            "min_value": "Enter 1 or more",
            "max_value": "Enter 50 or fewer",
        },
    )
    places = forms.ModelMultipleChoiceField(
        label="Whose residents may vote?",
        help_text="Residents of these places and of the places inside them",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the places whose residents may vote",
            "invalid_choice": "Choose places from the list",
            "invalid_pk_value": "Choose places from the list",
        },
    )
    electorate = forms.IntegerField(
        label="How many residents may vote? (optional)",
        help_text="For the turnout. Leave blank if not known.",
        min_value=1,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={
            "invalid": "Enter a whole number, like 12000",
            "min_value": "Enter 1 or more",
        },
    )
    introduction = forms.CharField(
        label="What residents read first (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = places
        self.fields["voting_opens_on"] = date_field("Voting opens", help_text="At midnight")
        self.fields["voting_closes_on"] = date_field(
            "Voting closes", help_text="At 11:59pm on this day"
        )
        self.order_fields(
            ["rule", "choose_n", "voting_opens_on", "voting_closes_on", "places", "electorate"]
        )


class ShortlistForm(GovUKForm):
    submit_label = "Save"
    application = forms.ModelChoiceField(
        label="Bid",
        queryset=None,
        error_messages={"required": "Choose a bid", "invalid_choice": "Choose a bid from the list"},
    )
    eligible = forms.ChoiceField(
        label="Is it eligible and feasible, and on the ballot?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the bid goes on the ballot"},
    )
    notes = forms.CharField(
        label="Feasibility notes",
        help_text="Residents see these beside the bid",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the feasibility notes residents will see"},
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda a: (
            f"{a.reference}: {a.project_title} ({a.organisation.name})"
        )


class BidPhotoForm(GovUKForm):
    """The photo beside a shortlisted bid on the public pages. The file's checks (JPG or PNG,
    size, pixels) are the service's, so the error lands on this field either way."""

    submit_label = "Save the photo"
    photo = forms.FileField(
        label="Upload a photo",
        help_text="A JPG or PNG smaller than 5 MB. It is shown to everyone on the vote's pages.",
        required=False,
        error_messages={"empty": "The selected file is empty"},
    )
    alt = forms.CharField(
        label="Describe the photo",
        help_text="For people who cannot see it. For example: the overgrown garden behind the "
        "community centre",
        max_length=250,
        required=False,
    )
    remove = forms.BooleanField(label="Remove the photo", required=False)


class ConfirmForm(GovUKForm):
    submit_label = "Confirm the result and award the grants"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awarded_on"] = date_field("Date of award")
        self.fields["first_report_due"] = date_field("First monitoring report due")


class CardsForm(GovUKForm):
    submit_label = "Download new codes (CSV)"
    count = forms.IntegerField(
        label="How many polling cards do you want codes for?",
        min_value=1,
        max_value=100_000,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        error_messages={
            "required": "Enter how many codes you want",
            "invalid": "Enter a whole number, like 5000",
            "min_value": "Enter 1 or more",
            "max_value": "Enter 100,000 or fewer",
        },
    )


class PostcodesForm(GovUKForm):
    submit_label = "Load postcodes"
    file = forms.FileField(
        label="Upload a file of postcodes",
        help_text="A CSV or Excel (.xlsx) file with the columns postcode and place.",
        validators=[uploads.UploadValidator(uploads.TABLES)],
        error_messages={
            "required": "Select a CSV or Excel file of postcodes",
            "empty": "The selected file is empty",
        },
    )
