from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminPasswordChangeForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from incubator import account_services, reminders
from incubator.models import User
from incubator.zones import zone_words


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def reason_field(help_text, *, required: bool = True) -> forms.CharField:
    """The written reason of a staff decision; `help_text` says where the company reads it."""
    return forms.CharField(
        label=_("reason"),
        required=required,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=help_text,
    )


def attach_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError beside the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            if field == NON_FIELD_ERRORS:
                target = None
            form.add_error(target, errors)
    else:
        form.add_error(None, error)


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True})
    )
    error_messages = {
        "invalid_login": _("The e-mail address or the password is wrong."),
        "inactive": _("This account is disabled."),
        "unverified": _("Please confirm your e-mail address first: we sent you a link."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff and not user.email_verified:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


def zone_choices() -> list[tuple[str, str]]:
    """The portal's zones as people name them ("Korea time (KST)"), in the page's language."""
    return [(zone, zone_words(zone)) for zone in settings.PORTAL_TIME_ZONES]


class SignUpForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    # A callable: the labels are made in the language of each page, not at import.
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invited: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if invited:
            # Opened from an invitation's page: only an account with its address accepts it.
            self.fields["email"].help_text = _(
                "The invitation was sent to %(email)s: an account with another address "
                "cannot accept it."
            ) % {"email": invited}

    def clean_email(self):
        # Whether the address has an account is the service's business: the
        # page must answer the same either way.
        return self.cleaned_data["email"].lower()

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class VerificationResendForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)


class PreferencesForm(forms.ModelForm):
    reminders = forms.MultipleChoiceField(
        label=_("Reminders I receive"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Untick a reminder to stop it. The center's required reminders always go."),
    )

    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The name the company's page, badges and e-mails show: cleared, they showed the
        # address instead.
        self.fields["full_name"].required = True
        self.fields["time_zone"].choices = zone_choices()
        shown = reminders.kinds_for(self.instance)
        optional = [kind for kind in shown if kind.optional]
        self.fields["reminders"].choices = [(kind.code, kind.label) for kind in optional]
        off = reminders.opted_out(self.instance) if self.instance.pk else set()
        self.fields["reminders"].initial = [k.code for k in optional if k.code not in off]
        self.required_reminders = [kind for kind in shown if not kind.optional]


class OutboxPasswordResetForm(PasswordResetForm):
    """Send the reset link through the outbox like every other message."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # The link in `context` is dropped: the message makes its own when it
        # is rendered, so that no token is stored in the outbox.
        account_services.account_password_reset_send(user=context["user"])


class OwnPasswordChangeForm(AdminPasswordChangeForm):
    """One's own new password, typed with the old one: the admin's page and the portal's."""

    def save(self, commit=True):
        return account_services.account_password_change(
            user=self.user, password=self.cleaned_data["new_password1"]
        )
