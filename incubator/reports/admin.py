"""The staff side of the KPI report: run it for any period, follow it, download it."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from incubator.admin import LanguageFilter, language_name
from incubator.admin_mixins import Rows, ServiceAdmin, call_service
from incubator.reports import policies, services
from incubator.reports.forms import ReportRunForm
from incubator.reports.models import ReportRun
from incubator.reports.workbook import CONTENT_TYPE


@admin.register(ReportRun)
class ReportRunAdmin(ServiceAdmin):
    # Started by the add page's service (add_view), never saved here; deleted by its service.
    rows = Rows("run", delete=services.report_run_delete)
    list_display = [
        "__str__",
        "progress",
        "language_label",
        "requested_by",
        "created_at",
        "download",
    ]
    list_filter = ["status", LanguageFilter]
    list_select_related = ["requested_by"]
    actions = None

    @admin.display(description=gettext_lazy("language of the headers"), ordering="language")
    def language_label(self, run):
        return language_name(run.language)

    @admin.display(description=gettext_lazy("workbook"))
    def download(self, run):
        if run.status != ReportRun.Status.DONE:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:reports_reportrun_download", args=[run.pk]),
            _("Download"),
        )

    def has_add_permission(self, request):
        return policies.can_run_report(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/progress.json",
                view(require_GET(self.progress_view)),
                name="reports_reportrun_progress",
            ),
            path(
                "<int:pk>/download/",
                view(require_GET(self.download_view)),
                name="reports_reportrun_download",
            ),
        ] + super().get_urls()

    def _run(self, request, pk: int) -> ReportRun:
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = ReportRun.objects.select_related("requested_by").filter(pk=pk).first()
        if run is None:
            raise Http404
        return run

    def _context(self, request, title: str, **context) -> dict:
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.opts,
            **context,
        }

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {"language": getattr(request.user, "language", "") or get_language()}
        form = ReportRunForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            run = call_service(
                form,
                services.report_run_start,
                actor=request.user,
                period=form.cleaned_data["period"],
                language=form.cleaned_data["language"],
            )
            if run:
                return redirect("admin:reports_reportrun_change", run.pk)
        context = self._context(request, _("Run the KPI report"), form=form)
        return TemplateResponse(request, "admin/reports/reportrun/start.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method != "GET":
            raise PermissionDenied  # a run is never changed, only followed
        try:
            run = self._run(request, int(object_id))
        except ValueError:
            raise Http404 from None
        context = self._context(request, _("KPI report run"), run=run, original=run)
        return TemplateResponse(request, "admin/reports/reportrun/run.html", context)

    def progress_view(self, request, pk):
        run = self._run(request, pk)
        response = JsonResponse(
            {
                "status": run.status,
                "status_label": str(run.get_status_display()),
                "progress": run.progress,
                "step": run.step,
                "done": not run.is_active,
            }
        )
        response["Cache-Control"] = "no-store"
        return response

    def download_view(self, request, pk):
        run = self._run(request, pk)
        if not policies.can_download_report(request.user, run):
            raise PermissionDenied
        if run.status != ReportRun.Status.DONE or not run.file:
            raise Http404
        try:
            handle = run.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=run.file.name.rsplit("/", 1)[-1],
            content_type=CONTENT_TYPE,
        )
        response["Cache-Control"] = "private, no-store"
        return response
