"""Sign-up, e-mail confirmation, sign-in and preferences: the portal's doors."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from incubator import auth_backend, links, portal, services
from incubator.forms import (
    OutboxPasswordResetForm,
    PreferencesForm,
    SignInForm,
    SignUpForm,
    VerificationResendForm,
)
from incubator.models import User


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # Without a "next", each person lands on their own home (incubator.portal).
        return portal.portal_home(self.request.user)

    def form_valid(self, form):
        response = super().form_valid(form)
        return remember_language(response, form.get_user())


def remember_language(response: HttpResponseRedirect, user: User) -> HttpResponseRedirect:
    from django.conf import settings

    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
    return response


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = SignUpForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The same page whether or not the address has an account already.
        services.account_signup(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            language=data["language"],
            time_zone=data["time_zone"],
        )
        return render(request, "accounts/sign_up_done.html", {"email": data["email"]})
    return render(request, "accounts/sign_up.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify_resend(request):
    """Send the confirmation link again; the same answer whether or not the address waits."""
    if request.method == "POST":
        form = VerificationResendForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            services.account_verification_resend(email=email)
            context = {"email": email, "minutes": services.VERIFICATION_RESEND_MINUTES}
            return render(request, "accounts/verify_resent.html", context)
    else:
        form = VerificationResendForm(initial={"email": request.GET.get("email", "")})
    return render(request, "accounts/verify_resend.html", {"form": form})


def verify_email(request, uidb64, token):
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (User.DoesNotExist, ValueError, UnicodeDecodeError):
        user = None
    if user is None or not links.email_verification_token.check_token(user, token):
        return render(request, "accounts/verify_failed.html", status=400)
    services.account_verify_email(user=user)
    login(request, user, backend=auth_backend.PATH)
    messages.success(request, _("Your e-mail address is confirmed. Welcome!"))
    return remember_language(redirect("portal:home"), user)


@login_required
def home(request):
    """Send each person to their own home: the one rule of incubator.portal."""
    return redirect(portal.portal_home(request.user))


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_set_preferences(user=request.user, **form.cleaned_data)
        # Said on the next page, which speaks the language just saved, not this request's.
        with translation.override(request.user.language):
            messages.success(request, _("Your preferences are saved."))
        return remember_language(redirect("portal:preferences"), request.user)
    return render(request, "accounts/preferences.html", {"form": form})


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    form_class=OutboxPasswordResetForm,
    success_url=reverse_lazy("portal:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.account_password_reset_complete(user=form.user)
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
