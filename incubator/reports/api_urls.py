from django.urls import path

from incubator.reports.api import KpiReportView

urlpatterns = [path("reports/kpi", KpiReportView.as_view(), name="reports-kpi")]
