from django.urls import path

from incubator import accounts_views as views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("sign-up/", views.sign_up, name="sign-up"),
    path("verify/resend/", views.verify_resend, name="verify-resend"),
    path("verify/<uidb64>/<token>/", views.verify_email, name="verify-email"),
    path("preferences/", views.preferences, name="preferences"),
    path("password-change/", views.password_change, name="password-change"),
    path("password-reset/", views.password_reset, name="password-reset"),
    path("password-reset/sent/", views.password_reset_done, name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password-reset-complete"),
]
