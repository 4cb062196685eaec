"""The portal pages of programs, room by room, in one `programs` URL namespace."""

from programs.admissions import urls as admissions
from programs.concierge import urls as concierge
from programs.fund import urls as fund
from programs.journey import urls as journey

app_name = "programs"
urlpatterns = (
    admissions.urlpatterns + journey.urlpatterns + concierge.urlpatterns + fund.urlpatterns
)
