"""The project's URLs and the bare view the partner API's company list is measured against."""

from django.urls import path

from bench.views import companies_bare
from incubator import urls as project

urlpatterns = [path("bench/companies/", companies_bare), *project.urlpatterns]

handler400 = project.handler400
handler404 = project.handler404
