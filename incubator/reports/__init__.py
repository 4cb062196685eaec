"""The KPI report: periods, the registry of sections the apps fill, the workbook.

The core imports no app: each app registers its sections (in its AppConfig.ready)
with `incubator.reports.registry.register_section`, and `kpi_report(period)` assembles
them in their fixed order.
"""
