"""Forms of the team pages. None of them names a team or a user: those come from the URL."""

from django import forms
from django.contrib.auth.forms import (
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)

from teams.models import Membership, ReaderSettings
from teams.throttle import check_password


class TeamNameForm(forms.Form):
    name = forms.CharField(max_length=100, strip=True)


class RoleForm(forms.Form):
    """A role among those the person filling the form may give."""

    role = forms.ChoiceField(choices=Membership.Role.choices)

    def __init__(self, data=None, *, roles=None):
        super().__init__(data)
        if roles is not None:
            self.fields["role"].choices = [(role.value, role.label) for role in roles]


class ReaderSettingsForm(forms.ModelForm):
    """The reader's look: each value one of its field's choices, or a clear error."""

    class Meta:
        model = ReaderSettings
        fields = ["theme", "font", "font_size", "line_width", "line_height"]
        labels = {
            "theme": "Theme",
            "font": "Font",
            "font_size": "Text size",
            "line_width": "Line width",
            "line_height": "Line spacing",
        }
        widgets = {"theme": forms.RadioSelect, "font": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reader-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label = self.Meta.labels[name].lower()
            field.error_messages["invalid_choice"] = f"Choose a {label} from the list."
            field.error_messages["required"] = f"Choose a {label}."
            # A radio group or select always has a value: no empty "---------" choice.
            field.choices = [choice for choice in field.choices if choice[0] != ""]


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        max_length=150,
        required=False,
        strip=True,
        label="Display name",
        help_text="Shown on your highlights, notes and replies; empty: your username.",
    )

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if any(not character.isprintable() for character in name):
            raise forms.ValidationError("A name cannot contain control characters.")
        return name


class _WeakPasswordOnTheFirstField:
    """Django reports a too-short or too-common password on the confirmation
    field; people look for it on the field where they chose it."""

    checked_field = "password1"

    def __init__(self, *args, **kwargs):
        # Labels without Django's colon, like every other form of the app.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def validate_password_for_user(self, user, password_field_name=None, **kwargs):
        super().validate_password_for_user(user, password_field_name=self.checked_field)


class SignupForm(_WeakPasswordOnTheFirstField, UserCreationForm):
    email = forms.EmailField(
        required=False,
        label="E-mail (optional)",
        help_text="Only for resetting a forgotten password.",
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


class NewPasswordForm(_WeakPasswordOnTheFirstField, SetPasswordForm):
    checked_field = "new_password1"


class ChangePasswordForm(_WeakPasswordOnTheFirstField, PasswordChangeForm):
    """Django's, with the old password checked under the login throttle."""

    checked_field = "new_password1"
    retry_after = None  # seconds, when the old password was not checked (throttled)

    def __init__(self, user, *args, address="", **kwargs):
        super().__init__(user, *args, **kwargs)
        self.address = address

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not check_password(self, self.user, old_password, self.address):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class EmailForm(forms.Form):
    """The account's e-mail address (for password resets), confirmed with the password:
    whoever finds a signed-in browser must not be able to take the account over
    (nor guess the password here faster than at the login)."""

    email = forms.EmailField(
        required=False,
        label="E-mail address",
        help_text="Where a link for a forgotten password is sent; empty: none.",
    )
    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(render_value=False)
    )

    retry_after = None  # seconds, when the password was not checked (throttled)

    def __init__(self, user, *args, address="", **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("auto_id", "account-%s")
        super().__init__(*args, **kwargs)
        self.user, self.address = user, address

    def clean_password(self):
        # Under the login throttle, or it would be a way to guess at full speed.
        password = self.cleaned_data["password"]
        if not check_password(self, self.user, password, self.address):
            raise forms.ValidationError("That is not your password.")
        return password


class ResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "E-mail address"
