"""The staff pages of the bulk import: upload, preview (nothing saved), confirm.

Between the preview and the confirm the uploaded file waits in private storage under a
generated name (`imports/`), and the session holds only that name: the confirm reads the
file again, checks every row again and saves the valid ones through the services.
"""

import datetime as dt
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from companies import policies
from companies.imports import parsing, services
from companies.imports.forms import ImportForm
from incubator import exports
from incubator.admin_mixins import ObjectToolLinks

SESSION_KEY = "companies_import"
EXAMPLES = {
    parsing.COMPANIES: [
        "오랑심한 교육",
        "",
        "Orangsimhan Education",
        "124-81-00998",
        "2017-05-01",
        "education",
        "Seoul",
        12,
        "https://orangsimhan.example",
    ],
    parsing.LEADS: ["미래드론", "", "ceo@mirae-drone.example", "Call in May", ""],
}


def _prune_abandoned() -> None:
    """Delete the files of previews left unconfirmed for a day."""
    try:
        _folders, names = default_storage.listdir("imports")
    except FileNotFoundError:
        return
    day_ago = timezone.now() - dt.timedelta(days=1)
    for name in names:
        if default_storage.get_modified_time(f"imports/{name}") < day_ago:
            default_storage.delete(f"imports/{name}")


def import_url(kind: str = "") -> str:
    return reverse("admin:companies_company_import") + (f"?kind={kind}" if kind else "")


class ImportLink(ObjectToolLinks):
    """The "Import from a spreadsheet" button of the companies' or the leads' list."""

    import_kind = parsing.COMPANIES

    def object_tool_links(self, request):
        links = super().object_tool_links(request)
        if policies.can_import(request.user, self.import_kind):
            links.append(
                {"url": import_url(self.import_kind), "label": _("Import from a spreadsheet")}
            )
        return links


class ImportAdminMixin(ImportLink):
    """The import pages, under the companies' admin."""

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="companies_company_import",
            ),
            path(
                "import/template/",
                self.admin_site.admin_view(require_GET(self.import_template_view)),
                name="companies_company_import_template",
            ),
        ] + super().get_urls()

    def _may_import_something(self, request):
        if not any(policies.can_import(request.user, kind) for kind in parsing.HEADERS):
            raise PermissionDenied

    def import_template_view(self, request):
        self._may_import_something(request)
        kind = (
            request.GET.get("kind")
            if request.GET.get("kind") in parsing.HEADERS
            else parsing.COMPANIES
        )
        headers = parsing.template_headers(kind, get_language())
        rows = [EXAMPLES[kind]]
        name = f"{kind}-import-template"
        if request.GET.get("format") == "csv":
            return exports.csv_response(name, headers, rows)
        return exports.xlsx_response(name, headers, rows, kind)

    def _stored(self, request):
        stored = request.session.get(SESSION_KEY)
        if not stored or not default_storage.exists(stored["name"]):
            return None
        return stored

    def _forget(self, request):
        stored = request.session.pop(SESSION_KEY, None)
        if stored:
            default_storage.delete(stored["name"])

    def import_view(self, request):
        self._may_import_something(request)
        form = ImportForm(initial={"kind": request.GET.get("kind", parsing.COMPANIES)})
        context = {"form": form, "preview": None}
        if request.method == "POST" and "_confirm" in request.POST:
            return self._confirm(request, context)
        if request.method == "POST" and "_cancel" in request.POST:
            self._forget(request)
            return redirect(import_url())
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                self._preview(request, form, context)
        return self._render(request, context)

    def _preview(self, request, form, context):
        kind = form.cleaned_data["kind"]
        if not policies.can_import(request.user, kind):
            raise PermissionDenied
        uploaded = form.cleaned_data["file"]
        uploaded.seek(0)
        content = uploaded.read()
        try:
            rows = parsing.read_rows(content, kind)
            file_format = parsing.file_format(content)
        except ValidationError as error:
            form.add_error("file", error)
            return
        self._forget(request)
        _prune_abandoned()
        name = default_storage.save(
            f"imports/{uuid.uuid4().hex}.{file_format}", ContentFile(content)
        )
        request.session[SESSION_KEY] = {
            "name": name,
            "kind": kind,
            "source": form.cleaned_data["source"],
            "format": file_format,
        }
        context.update(self._preview_context(kind, rows, form.cleaned_data["source"]))

    def _preview_context(self, kind, rows, source):
        preview = services.import_preview(kind=kind, rows=rows, source=source)
        present = {name for row in preview for name in row.values}
        fields = [name for name in parsing.HEADERS[kind] if name in present]
        return {
            "preview": [(row, [row.values.get(name, "") for name in fields]) for row in preview],
            "columns": [
                (name, parsing.template_headers_for(kind, name, get_language())) for name in fields
            ],
            "valid_count": sum(row.valid for row in preview),
            "error_count": sum(not row.valid for row in preview),
            "kind": kind,
        }

    def _confirm(self, request, context):
        stored = self._stored(request)
        if stored is None:
            self.message_user(
                request, _("The uploaded file is gone; upload it again."), messages.ERROR
            )
            return redirect(import_url())
        kind, source = stored["kind"], stored["source"]
        with default_storage.open(stored["name"], "rb") as file:
            rows = parsing.read_rows(file.read(), kind)
        try:
            saved, skipped = services.import_confirm(
                actor=request.user,
                kind=kind,
                rows=rows,
                file_format=stored["format"],
                source=source,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            context.update(self._preview_context(kind, rows, source))
            return self._render(request, context)
        self._forget(request)
        self.message_user(
            request,
            ngettext(
                "%(saved)d row imported, %(skipped)d skipped.",
                "%(saved)d rows imported, %(skipped)d skipped.",
                saved,
            )
            % {"saved": saved, "skipped": skipped},
            messages.SUCCESS,
        )
        target = "companies_company" if kind == parsing.COMPANIES else "companies_lead"
        return redirect(reverse(f"admin:{target}_changelist"))

    def _render(self, request, context):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import from a spreadsheet"),
            "opts": self.opts,
            "template_kinds": list(parsing.HEADERS),
            **context,
        }
        return TemplateResponse(request, "admin/companies/company/import.html", context)
