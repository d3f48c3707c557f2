from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from cpw.core.forms import VersionField
from cpw.forms import GovUKForm, GovUKFormMixin, GovUKModelForm

from .models import Organisation, OrganisationType, Role, User
from .validators import POSTCODE_MESSAGE, normalise_email, normalise_uk_postcode


class SignInForm(GovUKFormMixin, AuthenticationForm):
    submit_label = "Sign in"

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Passwords are case-sensitive.",
        "inactive": (
            "This account is not active yet. Follow the link in the email we sent you, "
            "or ask the programme team to invite you again."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean_username(self):
        return normalise_email(self.cleaned_data.get("username"))


class PasswordFieldsMixin:
    """Two password fields that must match and pass the password validators."""

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 and password2 and password1 != password2:
            raise forms.ValidationError("The two passwords do not match")
        return password2

    def _validate_password(self, user):
        password = self.cleaned_data.get("password2")
        if password:
            try:
                password_validation.validate_password(password, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)


class PartnerRegistrationForm(PasswordFieldsMixin, GovUKForm):
    submit_label = "Create account"

    full_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        error_messages={"required": "Enter your full name"},
    )
    email = forms.EmailField(
        label="Your email address",
        help_text="We will send a link to this address to confirm it is yours.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    organisation_name = forms.CharField(
        label="Name of your organisation",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": "Enter the name of your organisation"},
    )
    organisation_kind = forms.ChoiceField(
        label="Type of organisation",
        choices=OrganisationType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of organisation"},
    )
    charity_number = forms.CharField(
        label="Registered charity number (if you have one)", max_length=20, required=False
    )
    company_number = forms.CharField(
        label="Company number (if you have one)",
        max_length=20,
        required=False,
        help_text="The 8-character number from Companies House, for example 01234567.",
    )
    address = forms.CharField(
        label="Address of your organisation",
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        error_messages={"required": "Enter the address of your organisation"},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "postal-code",
                "class": "govuk-input govuk-input--width-10",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter a postcode", "max_length": POSTCODE_MESSAGE},
    )
    password1 = forms.CharField(
        label="Create a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. Avoid common words and your name.",
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Confirm your password"},
    )

    # Neither the address nor the organisation name is checked against those already
    # registered here: the page would tell anyone who is registered. The service decides, and
    # says what happened in an email to the address (services.partner_register).
    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean_organisation_name(self):
        return self.cleaned_data["organisation_name"].strip()

    def clean_postcode(self):
        return normalise_uk_postcode(self.cleaned_data["postcode"])

    def clean(self):
        cleaned = super().clean()
        self._validate_password(
            User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
        )
        return cleaned


class OrganisationForm(GovUKModelForm):
    submit_label = "Save changes"
    version = VersionField()

    class Meta:
        model = Organisation
        fields = ["name", "kind", "charity_number", "company_number", "address", "postcode"]
        labels = {"name": "Name of your organisation", "kind": "Type of organisation"}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "kind": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
            "postcode": forms.TextInput(
                attrs={"autocomplete": "postal-code", "class": "govuk-input govuk-input--width-10"}
            ),
        }
        error_messages = {
            "name": {"required": "Enter the name of your organisation"},
            "kind": {"required": "Select the type of organisation"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["kind"].choices = OrganisationType.choices
        self.fields["address"].required = True
        self.fields["address"].error_messages["required"] = "Enter the address of your organisation"
        self.fields["postcode"].required = True
        self.fields["postcode"].error_messages.update(
            required="Enter a postcode", max_length=POSTCODE_MESSAGE
        )

    def clean_postcode(self):
        return normalise_uk_postcode(self.cleaned_data["postcode"])

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        clash = Organisation.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another organisation is already registered with this name")
        return name


class InvitationForm(GovUKForm):
    submit_label = "Send invitation"
    conditionally_required = ("programme",)  # every role but council admin

    full_name = forms.CharField(
        label="Full name", max_length=150, error_messages={"required": "Enter their full name"}
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)
    role = forms.ChoiceField(
        label="Role",
        # A council's DPO is appointed by a staff admin (admin site: a role in the council).
        choices=[(r.value, r.label) for r in Role if r not in (Role.PARTNER, Role.DPO)],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a role",
            "invalid_choice": "Select one of the roles listed: you cannot give that role",
        },
    )
    programme = forms.ModelChoiceField(
        label="Programme",
        help_text="The programme they will work in (every role except council admin)",
        queryset=None,
        required=False,
        empty_label=None,
        error_messages={"required": "Select a programme", "invalid_choice": "Select a programme"},
    )
    council = forms.ModelChoiceField(
        label="Council (council admins only)",
        help_text="The council they will set up and administer",
        queryset=None,
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": "Select one of the councils you administer"},
    )
    division = forms.ModelChoiceField(
        label="Ward or electoral division (councillors only)",
        help_text="The ward or division the councillor represents, in the programme's council",
        queryset=None,
        required=False,
        empty_label="Not a councillor",
        error_messages={
            "invalid_choice": "Select a ward or division of the programme's council from the list"
        },
    )

    def __init__(self, *args, programmes, divisions, councils=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["division"].queryset = divisions
        self.fields["division"].label_from_instance = self._place_label
        self._several_councils = len({p.council_id for p in programmes}) > 1
        # Only a council admin (or a staff admin) makes council admins, of their own council.
        if councils is not None and councils.exists():
            self.fields["council"].queryset = councils
        else:
            del self.fields["council"]
            self.fields["role"].choices = [
                choice for choice in self.fields["role"].choices if choice[0] != Role.COUNCIL_ADMIN
            ]

    def _place_label(self, place):
        if self._several_councils:
            return f"{place.name} ({place.council.short_name})"
        return place.name

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        role, division = cleaned.get("role"), cleaned.get("division")
        # A council admin works for the council, not in one programme (and the other roles
        # the other way round): the field that does not apply is ignored.
        if role == Role.COUNCIL_ADMIN:
            cleaned["programme"] = None
            if not cleaned.get("council") and not self.has_error("council"):
                self.add_error("council", "Select the council they will administer")
        else:
            cleaned["council"] = None
            if role and not cleaned.get("programme") and not self.has_error("programme"):
                self.add_error("programme", "Select a programme")
        programme = cleaned.get("programme")
        if role == Role.COUNCILLOR and not division:
            self.add_error("division", "Select the ward or division the councillor represents")
        if role and role != Role.COUNCILLOR and division:
            self.add_error("division", "Only councillors have a ward or division")
        if division and programme and division.council_id != programme.council_id:
            self.add_error(
                "division",
                f"{division.name} is not in {programme.council}: choose one of its places",
            )
        return cleaned


class AcceptInvitationForm(GovUKFormMixin, SetPasswordForm):
    submit_label = "Set password and sign in"


class ResetPasswordRequestForm(GovUKFormMixin, PasswordResetForm):
    submit_label = "Send reset link"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(
            required="Enter your email address",
            invalid="Enter an email address in the correct format, like name@example.com",
        )

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


class ChooseNewPasswordForm(GovUKFormMixin, SetPasswordForm):
    submit_label = "Change password"
