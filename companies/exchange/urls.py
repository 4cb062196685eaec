from django.urls import path

from companies.exchange import views

urlpatterns = [
    # A startup's listings and the inquiries it received.
    path("technology/", views.listing_list, name="listing-list"),
    path("technology/new/", views.listing_create, name="listing-create"),
    path("technology/<int:pk>/", views.listing_detail, name="listing-detail"),
    path("technology/<int:pk>/edit/", views.listing_edit, name="listing-edit"),
    path("technology/<int:pk>/submit/", views.listing_submit, name="listing-submit"),
    path("technology/<int:pk>/withdraw/", views.listing_withdraw, name="listing-withdraw"),
    path("technology/<int:pk>/copy/", views.listing_copy, name="listing-copy"),
    path("technology/inquiries/", views.inquiry_list, name="inquiry-list"),
    path("technology/inquiries/<int:pk>/", views.inquiry_detail, name="inquiry-detail"),
    # Partners: the approved listings, an inquiry, the organisation's inquiries.
    path("exchange/", views.exchange_browse, name="exchange-browse"),
    path("exchange/<int:pk>/", views.exchange_listing, name="exchange-listing"),
    path("exchange/<int:pk>/interest/", views.exchange_interest, name="exchange-interest"),
    path("exchange/inquiries/", views.exchange_inquiries, name="exchange-inquiries"),
]
