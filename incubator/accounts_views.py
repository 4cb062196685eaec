"""Sign-up, e-mail confirmation, sign-in and preferences: the portal's doors."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from incubator import account_services, auth_backend, links, portal
from incubator.forms import (
    OutboxPasswordResetForm,
    OwnPasswordChangeForm,
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
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
    return response


# Where a person who signs up was going (an invitation's page), kept in their own browser
# until they follow the confirmation link. Not in the link: its e-mail and outbox row would
# then hold another secret (the invitation's token); nor in the session, whose row a backup
# keeps. Signed, so that it is ours; checked again when it is read.
NEXT_COOKIE = "sign_up_next"


def _safe_next(request, url: str | None) -> str | None:
    """Return `url` if it stays on this site, else None."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return None


def _next_cookie_path() -> str:
    return reverse("portal:home")  # the portal's pages only, the confirmation link's among them


# Apps whose pages are sent to one address (an invitation's) register here how to read it
# from the page's path: the sign-up form opened from such a page starts with that address.
_sign_up_addresses: list[Callable[[str], str | None]] = []


def register_sign_up_address(resolver: Callable[[str], str | None]) -> None:
    """Add `resolver(next_path) -> address or None`."""
    if resolver not in _sign_up_addresses:
        _sign_up_addresses.append(resolver)


def _address_for(next_url: str | None) -> str | None:
    if not next_url:
        return None
    return next((a for a in (r(next_url) for r in _sign_up_addresses) if a), None)


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("portal:home")
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    initial = {"language": request.LANGUAGE_CODE}
    invited = _address_for(next_url)
    if invited:
        initial["email"] = invited
    form = SignUpForm(request.POST or None, initial=initial, invited=invited)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The same page whether or not the address has an account already.
        account_services.account_signup(
            email=data["email"],
            password=data["password1"],
            full_name=data["full_name"],
            language=data["language"],
            time_zone=data["time_zone"],
        )
        response = render(request, "accounts/sign_up_done.html", {"email": data["email"]})
        if next_url:
            response.set_signed_cookie(
                NEXT_COOKIE,
                next_url,
                salt=NEXT_COOKIE,
                # As long as the confirmation link works.
                max_age=settings.PASSWORD_RESET_TIMEOUT,
                path=_next_cookie_path(),
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        else:
            # A sign-up without a destination does not inherit an earlier one's.
            response.delete_cookie(NEXT_COOKIE, path=_next_cookie_path(), samesite="Lax")
        return response
    return render(request, "accounts/sign_up.html", {"form": form, "next": next_url or ""})


@require_http_methods(["GET", "POST"])
def verify_resend(request):
    """Send the confirmation link again; the same answer whether or not the address waits."""
    if request.method == "POST":
        form = VerificationResendForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            account_services.account_verification_resend(email=email)
            context = {"email": email, "minutes": account_services.VERIFICATION_RESEND_MINUTES}
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
        if request.user.is_authenticated and request.user.email_verified:
            # A used link opened again, by someone already in: nothing to do but go home.
            return render(
                request,
                "accounts/verify_already.html",
                {"home": portal.portal_home(request.user)},
            )
        return render(request, "accounts/verify_failed.html", status=400)
    account_services.account_verify_email(user=user)
    login(request, user, backend=auth_backend.PATH)
    messages.success(request, _("Your e-mail address is confirmed. Welcome!"))
    stored = request.get_signed_cookie(
        NEXT_COOKIE, default=None, salt=NEXT_COOKIE, max_age=settings.PASSWORD_RESET_TIMEOUT
    )
    next_url = _safe_next(request, stored)
    response = HttpResponseRedirect(next_url) if next_url else redirect("portal:home")
    response.delete_cookie(NEXT_COOKIE, path=_next_cookie_path(), samesite="Lax")
    return remember_language(response, user)


@login_required
def home(request):
    """Send each person to their own home: the one rule of incubator.portal."""
    return redirect(portal.portal_home(request.user))


@login_required
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        account_services.account_set_preferences(user=request.user, **form.cleaned_data)
        # Said on the next page, which speaks the language just saved, not this request's.
        with translation.override(request.user.language):
            messages.success(request, _("Your preferences are saved."))
        return remember_language(redirect("portal:preferences"), request.user)
    return render(request, "accounts/preferences.html", {"form": form})


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # Said on the landing page, so that a shared computer's next user sees it happened.
        messages.success(request, _("You are signed out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    # Django's view keeps this session signed in (update_session_auth_hash); the
    # person's other sessions end, as they are tied to the old password.
    template_name = "accounts/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("portal:preferences")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed"))
        return response


password_change = PasswordChangeView.as_view()


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
        account_services.account_password_reset_complete(user=form.user)
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
