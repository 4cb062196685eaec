"""The project's URLs and the bare views the benchmarks measure the API and pages against."""

from django.urls import path

from bench.views import companies_bare, companies_table
from incubator import urls as project

urlpatterns = [
    path("bench/companies/", companies_bare),
    path("bench/companies/table/", companies_table),
    *project.urlpatterns,
]

handler400 = project.handler400
handler404 = project.handler404
