from rest_framework.routers import SimpleRouter

from companies.api import PersonViewSet
from companies.exchange.api import InquiryViewSet, ListingViewSet
from companies.webhooks.api import WebhookEndpointViewSet

router = SimpleRouter()
router.register("people", PersonViewSet, basename="person")
router.register("technologies", ListingViewSet, basename="technology")
router.register("inquiries", InquiryViewSet, basename="inquiry")
router.register("webhooks", WebhookEndpointViewSet, basename="webhook")
urlpatterns = router.urls
