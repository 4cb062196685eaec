from django.urls import path

from programs.fund import views

urlpatterns = [
    path("fund/", views.fund, name="fund"),
    path("fund/calls/<int:pk>/apply/", views.fund_apply, name="fund-apply"),
]
