"""The staff dashboard: the admin's front page.

The core imports no app: each app registers what it puts on the dashboard (its figures, the
admin list behind each, its shortcuts) with `incubator.dashboard.registry` from its
AppConfig.ready; `selectors.staff_dashboard()` keeps what the reader may open, and
`charts` draws the figures as SVG on the server.
"""
