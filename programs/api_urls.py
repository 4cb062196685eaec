from rest_framework.routers import SimpleRouter

from programs.journey.api import CompanyViewSet, InterestViewSet

router = SimpleRouter()
router.register("companies", CompanyViewSet, basename="company")
router.register("interests", InterestViewSet, basename="interest")
urlpatterns = router.urls
