"""The authorization matrix: every URL pattern, every role, the status each must get.

`matrix.txt` is the statement of the rules, one line per URL and method, one column per
role. This module lists what the project serves (every pattern of the resolver, the admin's
and third-party apps' included), builds a real URL of startup A for each, requests it as
each role and compares. A pattern without its row, or a row without its pattern, fails.

When the table was written: 364 URL patterns, 651 (URL, method) rows, 10 roles, so 6,510
(URL, role, method) rows; a run prints the current count at the end. Rows per method:
GET on every pattern, POST on every portal page and every admin page that writes, and one
POST per admin action a changelist offers.
"""

import contextlib
import logging
import os
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template import Template
from django.test import Client, override_settings
from django.test.utils import _TestState, instrumented_test_render
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.authz.world import ROLES

TABLE = Path(__file__).with_name("matrix.txt")
RECORD_ENV = "AUTHZ_RECORD"  # a folder: observed statuses are written there, not compared


# --- The project's URL patterns ------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or the route of an unnamed pattern
    route: str
    named: bool
    callback: object = field(compare=False, repr=False)


def url_patterns() -> list[Pattern]:
    """Return every pattern the root resolver serves, in the order it tries them."""
    found = []

    def walk(patterns, prefix, namespaces):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = namespaces + ((entry.namespace,) if entry.namespace else ())
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                key = ":".join((*namespaces, entry.name)) if entry.name else route
                found.append(Pattern(key, route, bool(entry.name), entry.callback))

    walk(get_resolver().url_patterns, "", ())
    return found


def model_admin_of(pattern: Pattern):
    """Return the ModelAdmin serving an admin pattern, or None for the site's own pages."""
    callback = pattern.callback
    if hasattr(callback, "model_admin"):
        return callback.model_admin
    owner = getattr(getattr(callback, "__wrapped__", None), "__self__", None)
    return owner if isinstance(owner, admin.ModelAdmin) else None


def admin_actions(model_admin) -> list[str]:
    # Every action the admin may offer, before the per-request permission filter.
    return [name for _function, name, _description in model_admin._get_base_actions()]


ADMIN_SITE_GET_ONLY = {
    "admin:index",
    "admin:app_list",
    "admin:jsi18n",
    "admin:autocomplete",
    "admin:view_on_site",
    "admin:password_change_done",
    "admin/(?P<url>.*)$",
}


def methods_of(pattern: Pattern) -> list[str]:
    """Return the methods the matrix must hold a rule for.

    Portal pages: GET and POST, whatever the view accepts (a GET-only page must refuse a
    POST too). Admin: GET everywhere; POST on every page that writes; on a changelist, one
    POST per action it may offer (and the list-editable save), since each is a write.
    """
    if not pattern.route.startswith("admin/"):
        return ["GET", "POST"]
    if pattern.key in ADMIN_SITE_GET_ONLY:
        return ["GET"]
    model_admin = model_admin_of(pattern)
    if model_admin is None:
        return ["GET", "POST"]  # login, logout, password change
    if pattern.key.endswith("_changelist"):
        posts = [f"POST:{name}" for name in admin_actions(model_admin)]
        if model_admin.list_editable:
            posts.append("POST:_save")
        return ["GET", *posts]
    if pattern.key.endswith("_history") or not pattern.key.startswith("admin:"):
        return ["GET"]  # history, and the unnamed <object_id>/ redirect
    return ["GET", "POST"]


# --- Real arguments: objects of startup A ---------------------------------------------------

# Admin object_id: an object of the model, startup A's where the model has a company.
ADMIN_OBJECTS = {
    "auth.group": lambda w: w.group,
    "django_celery_beat.periodictask": lambda w: w.beat.task,
    "django_celery_beat.clockedschedule": lambda w: w.beat.clocked,
    "django_celery_beat.crontabschedule": lambda w: w.beat.crontab,
    "django_celery_beat.solarschedule": lambda w: w.beat.solar,
    "django_celery_beat.intervalschedule": lambda w: w.beat.interval,
    "axes.accessattempt": lambda w: w.access_attempt,
    "axes.accesslog": lambda w: w.access_log,
    "axes.accessfailurelog": lambda w: w.access_failure,
    "incubator.user": lambda w: w.owner_a,
    "companies.partnerapikey": lambda w: w.api_key,
    "incubator.outboxmessage": lambda w: w.outbox_message,
    "incubator.auditrecord": lambda w: w.audit_record,
    "companies.company": lambda w: w.company_a,
    "companies.lead": lambda w: w.lead,
    "programs.screeningpolicy": lambda w: w.application.policy,
    "programs.application": lambda w: w.application,
    "companies.partnerorganisation": lambda w: w.partner_person.organisation,
    "companies.partnerperson": lambda w: w.partner_person,
    "companies.webhookendpoint": lambda w: w.webhook_endpoint,
    # Submitted: the review page has a decision to make.
    "companies.technologylisting": lambda w: w.listing_submitted,
    "companies.technologyinquiry": lambda w: w.inquiry,
    "companies.partnerinterest": lambda w: w.interest,
    "programs.program": lambda w: w.cohort.program,
    "programs.cohort": lambda w: w.cohort,
    "programs.milestonetemplate": lambda w: w.milestone_open.template,
    "programs.milestone": lambda w: w.milestone_open,
    "programs.enrollment": lambda w: w.enrollment,
    "programs.localentity": lambda w: w.local_entity,
    "programs.servicetarget": lambda w: w.service_target,
    "programs.servicerequest": lambda w: w.service_request,
    "programs.fundcall": lambda w: w.fund_call,
    "programs.fundapplication": lambda w: w.fund_application,
    "programs.quarterlyreport": lambda w: w.report,
    "events.event": lambda w: w.event,
    "events.registration": lambda w: w.registration,
    "events.meetingslot": lambda w: w.slots[0],
    "events.availability": lambda w: w.availability,
    "events.meetingrequest": lambda w: w.meeting_request,
    "events.meeting": lambda w: w.meeting,
    "events.schedulerun": lambda w: w.schedule_run,
    "reports.reportrun": lambda w: w.report_run,
    "events.onlinesession": lambda w: w.online_session,
    "events.sessionattendance": lambda w: w.attendance,
    "events.delegation": lambda w: w.delegation,
    "events.delegationmember": lambda w: w.delegation_member,
    "events.delegationprogrammeitem": lambda w: w.programme_item,
    "events.competitionround": lambda w: w.round,
    "events.competitionentry": lambda w: w.entry,
    "events.judgingcriterion": lambda w: w.criteria[0],
    # Submitted: the finality of scores is what these rows are about.
    "events.judgeassignment": lambda w: w.submitted_assignment,
    "events.conflictdeclaration": lambda w: w.conflict,
    "events.score": lambda w: w.score,
    "events.calendarfeed": lambda w: w.calendar_feed,
}


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _verify_email_kwargs(user) -> dict:
    # The link an e-mail would carry, made the way the outbox makes it at delivery.
    from incubator import links

    match = resolve(links.verify_email_path({"user_id": user.pk}))
    return match.kwargs


# URL name -> kwargs, for every pattern with arguments outside the admin's object pages.
KWARGS = {
    "admin:view_on_site": lambda w: {
        "content_type_id": ContentType.objects.get_for_model(w.company_a).pk,
        "object_id": w.company_a.pk,
    },
    "admin/(?P<url>.*)$": lambda w: {"url": "no-such-page/"},
    "admin:auth_user_password_change": lambda w: {"id": w.owner_a.pk},
    "admin:events_event_complete": lambda w: {"object_id": w.event_under_way.pk},
    # Live links: a token made now, after every sign-in of the world (a sign-in changes it).
    "portal:verify-email": lambda w: _verify_email_kwargs(w.newcomer),
    "portal:password_reset_confirm": lambda w: {
        "uidb64": _uid(w.member_a),
        "token": default_token_generator.make_token(w.member_a),
    },
    "companies:invitation-accept": lambda w: {"token": w.invitation.link_token},
    "programs:application-start": lambda w: {"intake_id": w.intake_open.pk},
    "programs:application-detail": lambda w: {"pk": w.application.pk},
    "programs:application-resume": lambda w: {"pk": w.draft.pk},
    "programs:application-submit": lambda w: {"pk": w.draft.pk},
    "programs:application-withdraw": lambda w: {"pk": w.application.pk},
    "programs:evidence-delete": lambda w: {
        "pk": w.draft.pk,
        "kind": "patent",
        "item_id": w.patent.pk,
    },
    "programs:application-step": lambda w: {"pk": w.draft.pk, "step": "patents"},
    "companies:document-download": lambda w: {"pk": w.document.pk},
    "companies:listing-detail": lambda w: {"pk": w.listing.pk},
    "companies:listing-edit": lambda w: {"pk": w.listing_draft.pk},
    "companies:listing-submit": lambda w: {"pk": w.listing_draft.pk},
    "companies:listing-withdraw": lambda w: {"pk": w.listing.pk},
    "companies:listing-copy": lambda w: {"pk": w.listing.pk},
    "companies:inquiry-detail": lambda w: {"pk": w.inquiry.pk},
    "companies:exchange-listing": lambda w: {"pk": w.listing.pk},
    "companies:exchange-interest": lambda w: {"pk": w.listing.pk},
    "programs:local-entity-edit": lambda w: {"pk": w.local_entity.pk},
    "programs:milestone-done": lambda w: {"pk": w.milestone_open.pk},
    "programs:milestone-evidence": lambda w: {"pk": w.milestone_done.pk},
    "programs:request-detail": lambda w: {"pk": w.service_request.pk},
    "programs:request-close": lambda w: {"pk": w.service_request.pk},
    "programs:request-file": lambda w: {
        "pk": w.service_request.pk,
        "message_id": w.service_message.pk,
    },
    "programs:fund-apply": lambda w: {"pk": w.fund_call_open.pk},
    "events:event-detail": lambda w: {"pk": w.event.pk},
    "events:event-register": lambda w: {"pk": w.event_open.pk},
    "events:registration-cancel": lambda w: {"pk": w.event.pk},
    "events:event-ics": lambda w: {"pk": w.event.pk},
    "events:badge": lambda w: {"pk": w.registration.pk},
    "events:check-in": lambda w: {"pk": w.event.pk},
    "events:session-attendance": lambda w: {
        "pk": w.online_session.event_id,
        "session_id": w.online_session.pk,
    },
    "events:delegation-programme": lambda w: {"pk": w.delegation.pk},
    "events:matching-session": lambda w: {"pk": w.event.pk},
    "events:matching-availability": lambda w: {"pk": w.event.pk},
    "events:matching-participants": lambda w: {"pk": w.event.pk},
    "events:meeting-request-create": lambda w: {"pk": w.event.pk},
    "events:meeting-request-respond": lambda w: {"request_id": w.meeting_request.pk},
    "events:meeting-request-withdraw": lambda w: {"request_id": w.meeting_request.pk},
    "events:meeting-agenda": lambda w: {"pk": w.event.pk},
    "events:meeting-agenda-ics": lambda w: {"pk": w.event.pk},
    "events:schedule": lambda w: {"pk": w.event.pk},
    "events:schedule-generate": lambda w: {"pk": w.event.pk},
    "events:schedule-run": lambda w: {"pk": w.event.pk, "run_id": w.schedule_run.pk},
    "events:schedule-run-progress": lambda w: {"pk": w.event.pk, "run_id": w.schedule_run.pk},
    "admin:reports_reportrun_progress": lambda w: {"pk": w.report_run.pk},
    "admin:reports_reportrun_download": lambda w: {"pk": w.report_run.pk},
    "events:meeting-add": lambda w: {"pk": w.event.pk},
    "events:meeting-lock": lambda w: {"pk": w.event.pk, "meeting_id": w.meeting.pk},
    "events:meeting-remove": lambda w: {"pk": w.event.pk, "meeting_id": w.meeting.pk},
    "events:meeting-table-plan": lambda w: {"pk": w.event.pk},
    "events:meeting-interpreter-plan": lambda w: {"pk": w.event.pk},
    "events:judging-score": lambda w: {"pk": w.assignment.pk},
    "events:judging-assign": lambda w: {"pk": w.round.pk},
    "events:judging-unassign": lambda w: {"pk": w.round.pk, "assignment_id": w.assignment.pk},
    "events:judging-results": lambda w: {"pk": w.round.pk},
    "events:judging-release": lambda w: {"pk": w.round.pk},
    "events:competition-results": lambda w: {"pk": w.released_round.pk},
    "events:calendar-feed": lambda w: {"token": w.calendar_feed_token},
}

# POST bodies: empty unless a page needs a field to reach its write (a button's name).
BODIES = {
    "admin:programs_application_decide": lambda w: {"_decide": "1"},
    "admin:programs_fundapplication_decide": lambda w: {"_decide": "1"},
    "admin:programs_servicerequest_conversation": lambda w: {"_reply": "1"},
    "events:check-in": lambda w: {"registration": w.registration.pk},
    "events:meeting-request-respond": lambda w: {"answer": "accept"},
    # Past the form: the confirmation ticked, A's owner's own feed (others have none yet).
    "events:calendar-regenerate": lambda w: {"feed": "mine", "confirm": "on"},
    "events:calendar-stop": lambda w: {"feed": "mine", "confirm": "on"},
}


@dataclass(frozen=True)
class Row:
    """One line of the table: a URL (maybe one variant of it) and a method."""

    url: str
    method: str


def admin_app_labels() -> list[str]:
    return list(dict.fromkeys(model._meta.app_label for model in admin.site._registry))


def rows_of(pattern: Pattern) -> list[Row]:
    if pattern.key == "admin:app_list":
        # One row per app: what a role may see differs from one app's index to the next.
        return [Row(f"admin:app_list[{label}]", "GET") for label in admin_app_labels()]
    return [Row(pattern.key, method) for method in methods_of(pattern)]


def is_events_admin(row: Row) -> bool:
    return row.url.startswith(("admin:events_", "admin/events/"))


def is_programs_admin(row: Row) -> bool:
    return row.url.startswith(("admin:programs_", "admin/programs/"))


def project_rows() -> dict[Row, Pattern]:
    return {row: pattern for pattern in url_patterns() for row in rows_of(pattern)}


def _admin_object(world, model_admin):
    label = model_admin.opts.label_lower
    try:
        builder = ADMIN_OBJECTS[label]
    except KeyError:
        raise AssertionError(
            f"{label} has admin pages: add an object of startup A for it to ADMIN_OBJECTS "
            "in tests/authz/matrix.py"
        ) from None
    return builder(world)


def url_of(row: Row, pattern: Pattern, world) -> str:
    if row.url.startswith("admin:app_list["):
        return reverse("admin:app_list", kwargs={"app_label": row.url[len("admin:app_list[") : -1]})
    if pattern.key in KWARGS:
        kwargs = KWARGS[pattern.key](world)
    elif pattern.key.startswith("api:"):
        # The portal's roles hold no API key: refused before any object is looked up.
        # tests/api/test_matrix.py requests these with keys and real objects.
        kwargs = {name: 1 for name in re.findall(r"\(\?P<(\w+)>", pattern.route)}
    elif "<" in pattern.route:
        model_admin = model_admin_of(pattern)
        if model_admin is None or "object_id" not in pattern.route:
            raise AssertionError(
                f"{pattern.key} takes arguments: add a kwargs builder for it to KWARGS "
                "in tests/authz/matrix.py"
            )
        obj = _admin_object(world, model_admin)
        url_id = getattr(model_admin, "url_id", None)
        kwargs = {"object_id": url_id(obj) if url_id else obj.pk}
    else:
        kwargs = {}
    if pattern.named:
        return reverse(pattern.key, kwargs=kwargs)
    return "/" + _fill(pattern.route, kwargs)


def _fill(route: str, kwargs: dict) -> str:
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), route)
    return route.lstrip("^").rstrip("$")


def body_of(row: Row, pattern: Pattern, world) -> dict:
    if row.method.startswith("POST:"):
        action = row.method[len("POST:") :]
        if action == "_save":
            return {"_save": "Save"}
        selected = _admin_object(world, model_admin_of(pattern)).pk
        return {"action": action, "_selected_action": [selected], "index": "0"}
    if pattern.key.endswith("_delete") and pattern.key.startswith("admin:"):
        return {"post": "yes"}  # the confirmation: a real delete where it is allowed
    builder = BODIES.get(pattern.key)
    return builder(world) if builder else {}


# --- The table --------------------------------------------------------------------------------


class TableError(Exception):
    pass


def read_table(path: Path = TABLE) -> dict[Row, dict[str, int]]:
    """Return {row: {role: status}} from the table; a malformed line is an error."""
    expected: dict[Row, dict[str, int]] = {}
    header = None
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        cells = line.split()
        if header is None:
            header = cells
            if header != ["url", "method", *ROLES]:
                raise TableError(f"{path.name}:{number}: the header must be: url method {ROLES}")
            continue
        if len(cells) != len(header):
            raise TableError(f"{path.name}:{number}: {len(header)} columns expected: {raw!r}")
        row = Row(cells[0], cells[1])
        if row in expected:
            raise TableError(f"{path.name}:{number}: {row.url} {row.method} is there twice")
        try:
            expected[row] = {role: int(cell) for role, cell in zip(ROLES, cells[2:], strict=True)}
        except ValueError:
            raise TableError(f"{path.name}:{number}: statuses are numbers: {raw!r}") from None
    return expected


def read_observed(folder: Path) -> dict[Row, dict[str, int]]:
    """Return what the matrix tests recorded in `folder` (see RECORD_ENV)."""
    observed = {}
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text().splitlines():
            url, method, *cells = line.split()
            observed[Row(url, method)] = dict(zip(ROLES, map(int, cells), strict=True))
    return observed


URL_WIDTH, METHOD_WIDTH = 62, 32


def _table_line(url: str, method: str, cells, widths: tuple[int, int]) -> str:
    line = url.ljust(widths[0]) + method.ljust(widths[1])
    line += "  ".join(str(cell).ljust(len(role)) for cell, role in zip(cells, ROLES, strict=True))
    return line.rstrip()


def rewrite_table(text: str, observed: dict[Row, dict[str, int]]) -> str:
    """Return the table `text` with the statuses of `observed`, comments and order kept.

    Lines whose URL is gone are commented out; rows the table lacks go at the end, to be
    read against the roles table like every other.
    """
    rows = [*observed]
    # Wide enough for today's names, so that a regenerated table diffs line by line.
    widths = (
        max(URL_WIDTH, *(len(row.url) + 2 for row in rows)),
        max(METHOD_WIDTH, *(len(row.method) + 2 for row in rows)),
    )
    out, seen = [], set()
    for raw in text.splitlines():
        content, _hash, comment = raw.partition("#")
        cells = content.split()
        if raw.lstrip().startswith("#") or not cells:
            out.append(raw)
            continue
        suffix = f"  #{comment}" if comment else ""
        if cells[0] == "url":
            out.append(_table_line("url", "method", ROLES, widths) + suffix)
            continue
        row = Row(cells[0], cells[1])
        if row not in observed:
            out.append(f"# gone: {raw}")
            continue
        seen.add(row)
        statuses = [observed[row][role] for role in ROLES]
        out.append(_table_line(row.url, row.method, statuses, widths) + suffix)
    new = [row for row in rows if row not in seen]
    if new:
        out += ["", "# --- New: read each line against the roles table before keeping it"]
        out += [
            _table_line(row.url, row.method, [observed[row][r] for r in ROLES], widths)
            for row in new
        ]
    return "\n".join(out) + "\n"


def completeness_errors(expected: dict[Row, dict], served: dict[Row, Pattern]) -> list[str]:
    errors = [
        f"{row.url} {row.method}: no rule for this URL; add a row to tests/authz/matrix.txt"
        for row in served
        if row not in expected
    ]
    errors += [
        f"{row.url} {row.method}: no such URL (or method) any more; remove its row from "
        "tests/authz/matrix.txt"
        for row in expected
        if row not in served
    ]
    return errors


# --- Requests -----------------------------------------------------------------------------------


class _Rollback(Exception):
    def __init__(self, response):
        self.response = response


@dataclass(frozen=True)
class Seen:
    status: int
    location: str = ""


def finish(response) -> None:
    """Read a file download to its end, which closes its file as a server would.

    Not response.close(): the test client closed the others already, and a second close
    sends request_finished, which closes the database connection (PostgreSQL) mid-test.
    """
    if response.streaming:
        b"".join(response.streaming_content)


class RoleClient:
    """A client signed in as one role whose cookies come back after every request.

    A request may sign out, sign in as someone else (a verification link) or set a
    language: the next request starts from the same session again.
    """

    def __init__(self, user, language: str | None = None):
        self.client = Client(raise_request_exception=False)
        if user is not None:
            self.client.force_login(user)
        if language:
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        self.cookies = SimpleCookie()
        self.cookies.load(self.client.cookies.output(header="", sep=";"))

    def request(self, method: str, url: str, data: dict) -> Seen:
        response = self.response(method, url, data)
        return Seen(response.status_code, response.get("Location", ""))

    def page(self, url: str) -> str | None:
        """Return the HTML of the page at `url`, or None when it answers anything else."""
        response = self.response("GET", url, {})
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return None
        return response.content.decode()

    def response(self, method: str, url: str, data: dict):
        """Request `url` in a savepoint that is rolled back: the world stays as it was."""
        try:
            with transaction.atomic():
                if method == "GET":
                    response = self.client.get(url)
                else:
                    response = self.client.post(url, data)
                finish(response)
                raise _Rollback(response)
        except _Rollback as done:
            return done.response
        finally:
            self.client.cookies = SimpleCookie()
            self.client.cookies.load(self.cookies.output(header="", sep=";"))


class _PlainTemplates:
    """Render templates without the test runner's instrumentation while the matrix runs.

    The instrumentation copies every template's context for assertions that the matrix does
    not make; on admin pages that copying is a third of the time.
    """

    def __enter__(self):
        self.instrumented = Template._render is instrumented_test_render
        if self.instrumented:
            Template._render = _TestState.saved_data.template_render
        return self

    def __exit__(self, *exc):
        if self.instrumented:
            Template._render = instrumented_test_render


def _server_errors_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR


class _ServerErrorsLogged:
    """Log only 5xx while the matrix runs: its thousands of expected 403s and 404s would
    otherwise be captured with their tracebacks, and printed whole with a failure.

    A filter, not the logger's level: the beat admin's "run tasks" action calls
    django.setup() again (celery's Django fixup), whose logging configuration resets the
    levels of Django's loggers, and every later 403 formatted its traceback.
    """

    def __enter__(self):
        self.logger = logging.getLogger("django.request")
        self.logger.addFilter(_server_errors_only)
        return self

    def __exit__(self, *exc):
        self.logger.removeFilter(_server_errors_only)


class _AppListOnce:
    """Build the admin's list of apps once per user, language and app while the matrix runs.

    Every admin page builds it for its sidebar (a permission check and two reverse() per
    model, a quarter of a staff page's time) and the index and app pages for their body.
    Every request starts from the same rolled-back world, so a user's list is the same on
    each page: the first page of each user and language builds it, as it always does.
    """

    def __enter__(self):
        site, self.get_app_list, built = admin.site, admin.site.get_app_list, {}

        def get_app_list(request, app_label=None):
            key = (request.user.pk, translation.get_language(), app_label)
            if key not in built:
                built[key] = self.get_app_list(request, app_label)
            # A copy as deep as a page could change (the apps, their models, their perms).
            return [
                {**app, "models": [{**m, "perms": {**m["perms"]}} for m in app["models"]]}
                for app in built[key]
            ]

        site.get_app_list = get_app_list
        return self

    def __exit__(self, *exc):
        del admin.site.get_app_list  # the instance attribute; the class's method again


class _PermissionsOnce:
    """Load each user's permissions once while the matrix runs, not on every request.

    A staff request loads the user afresh and with it their permissions (two queries, a
    third of a refused staff request). Every request starts from the same rolled-back
    world, so the set is the same each time; each request still asks it every question.
    """

    def __enter__(self):
        self.load, loaded = ModelBackend._get_permissions, {}
        load = self.load

        def _get_permissions(backend, user_obj, obj, from_name):
            if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
                return load(backend, user_obj, obj, from_name)
            key = (user_obj.pk, from_name)
            if key not in loaded:
                loaded[key] = load(backend, user_obj, obj, from_name)
            return set(loaded[key])

        ModelBackend._get_permissions = _get_permissions
        return self

    def __exit__(self, *exc):
        ModelBackend._get_permissions = self.load


def clients_for(world) -> dict[str, RoleClient]:
    return {role: RoleClient(world.users.get(role)) for role in ROLES}


# The session in a signed cookie, not a row: one query less on each of the thousands of
# requests. Who is signed in is checked the same way (the session's user and the hash of
# their password), and RoleClient puts the role's cookie back after every request, as the
# rollback puts a session row back. The rest of the suite keeps the database sessions.
COOKIE_SESSIONS = "django.contrib.sessions.backends.signed_cookies"


@contextlib.contextmanager
def quick_requests():
    """Make the many requests of a walk over the matrix's pages cheaper, answers unchanged."""
    with (
        override_settings(SESSION_ENGINE=COOKIE_SESSIONS),
        _PlainTemplates(),
        _ServerErrorsLogged(),
        _AppListOnce(),
        _PermissionsOnce(),
    ):
        yield


def observe(rows: list[Row], world) -> dict[Row, dict[str, Seen]]:
    """Request every row as every role."""
    served = project_rows()
    observed = {}
    with quick_requests():
        clients = clients_for(world)
        for row in rows:
            pattern = served[row]
            url = url_of(row, pattern, world)
            method = "GET" if row.method == "GET" else "POST"
            data = body_of(row, pattern, world) if method == "POST" else {}
            observed[row] = {role: clients[role].request(method, url, data) for role in ROLES}
    return observed


NOT_STAFF = ("anonymous", "owner_a", "member_a", "owner_b", "partner", "judge")
# Portal redirects of anonymous visitors that are not "sign in first": the page's own flow.
ANONYMOUS_REDIRECTS_ELSEWHERE = {
    "set_language",
    "portal:logout",
    "portal:verify-email",
    "portal:password_reset_confirm",
}


def wrong_redirect(row: Row, role: str, seen: Seen) -> str | None:
    """Return where a 302 should have gone when it went elsewhere.

    The table holds statuses; a redirect of someone who may not see a page must also go
    to the right door: the admin's login for the admin, the portal's sign-in for the portal.
    """
    if seen.status != 302:
        return None
    if row.url.startswith("admin") and role in NOT_STAFF and row.url != "admin:logout":
        door = reverse("admin:login")
    elif (
        not row.url.startswith("admin")
        and role == "anonymous"
        and row.url not in ANONYMOUS_REDIRECTS_ELSEWHERE
    ):
        door = reverse("portal:login")
    else:
        return None
    return None if seen.location.startswith(door) else door


def check(rows: list[Row], world, record_name: str) -> None:
    """Compare the statuses of `rows` with the table; report every mismatch at once."""
    observed = observe(rows, world)
    folder = os.environ.get(RECORD_ENV)
    if folder:
        lines = [
            " ".join([row.url, row.method, *(str(by_role[r].status) for r in ROLES)])
            for row, by_role in observed.items()
        ]
        Path(folder, f"{record_name}.txt").write_text("\n".join(lines) + "\n")
        return
    expected = read_table()
    mismatches = []
    for row, by_role in observed.items():
        if row not in expected:
            mismatches.append(f"{row.url} {row.method}: no row in tests/authz/matrix.txt")
            continue
        for role, seen in by_role.items():
            if seen.status != expected[row][role]:
                mismatches.append(
                    f"{row.url} {row.method} {role}: expected {expected[row][role]}, "
                    f"got {seen.status}"
                )
            elif door := wrong_redirect(row, role, seen):
                mismatches.append(
                    f"{row.url} {row.method} {role}: expected 302 to {door}, "
                    f"got 302 to {seen.location}"
                )
    if mismatches:
        checked = len(rows) * len(ROLES)
        pytest.fail(f"{len(mismatches)} of {checked} differ:\n" + "\n".join(mismatches), False)
