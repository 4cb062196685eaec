"""Exports of the admin lists to CSV and XLSX, streamed so that memory stays flat.

An admin declares its columns (`export_columns`) and adds `ExportAdminMixin`: its list then
has "Export CSV" and "Export XLSX" buttons that export the rows the list shows with its
current filters, search and ordering (the changelist's own queryset), read with
`values_list(...).iterator(chunk_size=...)`, so one query whatever the number of rows and no
model instance per row. Headers are in the staff member's language; dates, numbers and
booleans stay dates, numbers and booleans in the workbook. The times of what has a zone of
its own (an event) are written in that zone, named in a column (`in_zone`).

Who may export: whoever may view the list (the admin's has_view_permission, that is the
roles table: every staff role reads every list but the manager-only ones). Columns marked
`personal` (names and e-mail addresses of people, the center's staff among them: who
decided, who owns a request) are exported only to a role that works with that list (its
change permission): the viewer, who reads everything on screen, takes no bulk copy of
personal data away (data minimisation).
Each export writes one audit record: who, which list, format, filters, row count; the
search term and the values of free lookups stay out of it (they may be a person's name).
"""

import csv
import datetime as dt
import decimal
import tempfile
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

import xlsxwriter
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from incubator.admin_mixins import ObjectToolLinks
from incubator.audit import audit_record
from incubator.multilingual import FALLBACK, LANGUAGES, SUFFIX_OF

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CHUNK_SIZE = 2000
CSV_ROWS_PER_CHUNK = 500
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, the values_list fields it reads and how.

    `labels` (a choice's labels) and `translated` (the first filled of the `_ko`, `_zh`,
    `_en` fields in the reader's order) are resolved once per export, in its language.
    """

    header: object
    fields: tuple[str, ...]
    value: Callable | None = None  # (*field values) -> cell; None: the one field's value
    personal: bool = False
    labels: dict | None = None
    translated: bool = False

    def reader(self, positions: list[int]) -> Callable:
        """Return row -> cell for a values_list row whose fields are at `positions`."""
        if self.translated:
            code = (get_language() or "ko").lower()
            first = SUFFIX_OF.get(code, SUFFIX_OF.get(code.split("-")[0], "ko"))
            order = dict.fromkeys((first, *FALLBACK))
            where = [positions[list(LANGUAGES).index(suffix)] for suffix in order]
            return lambda row: next((row[i] for i in where if row[i]), "")
        if self.labels is not None:
            labels, (i,) = {code: str(label) for code, label in self.labels.items()}, positions
            return lambda row: labels.get(row[i], row[i])
        if self.value is not None:
            value = self.value
            return lambda row: value(*(row[i] for i in positions))
        (i,) = positions
        return lambda row: row[i]


def column(header, *fields: str, value: Callable | None = None, personal=False) -> Column:
    return Column(header, fields, value, personal)


def field_column(model, name: str, *, value: Callable | None = None, personal=False) -> Column:
    """A column of one of the model's own fields, headed with its verbose name."""
    field = model._meta.get_field(name)
    labels = dict(field.flatchoices) if field.choices and value is None else None
    return Column(field.verbose_name, (field.attname,), value, personal, labels)


def translated(header, field: str) -> Column:
    """A three-language text (`field_ko`, `_zh`, `_en`) in the reader's language."""
    return Column(header, tuple(f"{field}_{suffix}" for suffix in LANGUAGES), translated=True)


def in_zone(col: Column, zone_field: str) -> Column:
    """`col`'s date-time as a clock reads it in the zone that the row's `zone_field` names
    (its event's), whoever exports: the export names that zone in a column of its own."""
    return replace(col, fields=(*col.fields, zone_field), value=wall_clock)


def wall_clock(at: dt.datetime | None, zone: str) -> dt.datetime | None:
    """Return `at` as the clock in `zone` reads it, naive (`_plain` keeps it so)."""
    if at is None:
        return None
    return at.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)


# --- Policy -----------------------------------------------------------------------


def can_export(request, model_admin) -> bool:
    """Staff who may view the list may export it."""
    return bool(request.user.is_staff) and model_admin.has_view_permission(request)


def can_export_personal(user, opts) -> bool:
    """Personal columns go to the roles that work with the list, not to read-only ones."""
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


# --- Rows and cells ----------------------------------------------------------------


def export_rows(queryset, columns: list[Column], chunk_size: int = CHUNK_SIZE) -> Iterator[list]:
    """Return an iterator of the rows' cells, read with one values_list query.

    The readers are made now, in the request's language, not when the stream is read.
    """
    fields: list[str] = []
    for col in columns:
        fields.extend(name for name in col.fields if name not in fields)
    readers = [col.reader([fields.index(name) for name in col.fields]) for col in columns]
    # values_list ignores select_related; prefetches cannot apply to tuples.
    values = queryset.prefetch_related(None).values_list(*fields)
    return ([_plain(read(row)) for read in readers] for row in values.iterator(chunk_size))


def _plain(value):
    """Return a cell value: local naive times, plain text for translated labels."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    return value


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value):
        return value


def csv_stream(headers: list, rows: Iterable[list]) -> Iterator[str]:
    """Yield the CSV text in chunks, a byte-order mark first (Excel then reads UTF-8)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(header) for header in headers])
    chunk = []
    for row in rows:
        chunk.append(writer.writerow([_csv_text(value) for value in row]))
        if len(chunk) >= CSV_ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def xlsx_write(target, headers: list, rows: Iterable[list], sheet_name: str) -> int:
    """Write a one-sheet workbook to `target` (a path or a binary file); return the rows.

    constant_memory flushes each row to a temporary file as soon as the next one starts.
    """
    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    time_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for index, header in enumerate(headers):
        sheet.write_string(0, index, str(header), bold)
        sheet.set_column(index, index, 18)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_boolean(count, index, value)
            elif isinstance(value, int | float | decimal.Decimal):
                sheet.write_number(count, index, float(value))
            elif isinstance(value, dt.datetime):
                sheet.write_datetime(count, index, value, time_format)
            elif isinstance(value, dt.date):
                sheet.write_datetime(count, index, value, date_format)
            else:
                sheet.write_string(count, index, str(value))
    workbook.close()
    return count


def csv_response(filename: str, headers: list, rows: Iterable[list]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_stream(headers, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, headers: list, rows: Iterable[list], sheet_name: str):
    # An anonymous temporary file: gone when FileResponse closes it after the last byte.
    target = tempfile.TemporaryFile()
    try:
        xlsx_write(target, headers, rows, sheet_name)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- The use case and the admin ------------------------------------------------------


def export_record(*, actor, opts, fmt: str, changelist, rows: int) -> None:
    """Write the audit record of an export: no search term, no free lookup's value."""
    filter_params = set()
    for spec in changelist.filter_specs:
        filter_params.update(spec.expected_parameters())
    params = {key: value for key, value in changelist.params.items() if key != SEARCH_VAR}
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="list.export",
            changes={
                "list": opts.label_lower,
                "format": fmt,
                "filters": {key: params[key] for key in sorted(params) if key in filter_params},
                "other_lookups": sorted(key for key in params if key not in filter_params),
                "searched": bool(changelist.query),
                "rows": rows,
            },
        )


class ExportAdminMixin(ObjectToolLinks):
    """Add CSV and XLSX exports of the changelist to a ModelAdmin (put it first in the bases)."""

    export_columns: tuple[Column, ...] = ()
    export_chunk_size = CHUNK_SIZE

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                f"export/{fmt}/",
                self.admin_site.admin_view(self._export_view_for(fmt)),
                name="{}_{}_export_{}".format(*info, fmt),
            )
            for fmt in FORMATS
        ] + super().get_urls()

    def _export_view_for(self, fmt):
        @require_GET
        def view(request):
            return self.export_view(request, fmt)

        return view

    def object_tool_links(self, request) -> list[dict]:
        """The export buttons (the template adds the list's query string: its filters)."""
        links = super().object_tool_links(request)
        if can_export(request, self):
            info = self.opts.app_label, self.opts.model_name
            for fmt, label in ((CSV, _("Export CSV")), (XLSX, _("Export XLSX"))):
                url = reverse("admin:{}_{}_export_{}".format(*info, fmt))
                links.append({"url": url, "label": label, "keep_filters": True})
        return links

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "object_tool_links": self.object_tool_links(request),
        }
        return super().changelist_view(request, extra_context)

    def export_columns_for(self, request) -> list[Column]:
        personal = can_export_personal(request.user, self.opts)
        return [col for col in self.export_columns if personal or not col.personal]

    def export_view(self, request, fmt: str):
        if not can_export(request, self):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(request, _("These filters cannot be exported."), messages.ERROR)
            return HttpResponseRedirect(
                reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
            )
        columns = self.export_columns_for(request)
        export_record(
            actor=request.user,
            opts=self.opts,
            fmt=fmt,
            changelist=changelist,
            rows=changelist.result_count,
        )
        headers = [str(col.header) for col in columns]
        rows = export_rows(changelist.queryset, columns, self.export_chunk_size)
        filename = f"{self.opts.model_name}-{timezone.localdate():%Y%m%d}"
        if fmt == CSV:
            return csv_response(filename, headers, rows)
        return xlsx_response(filename, headers, rows, str(self.opts.verbose_name_plural))
