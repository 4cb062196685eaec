"""The trail reads each verb by its label ("Application decided"), never by its code.

The verbs are found in the code itself: every call that hands a verb to `audit_record`,
or to a function that passes its `verb` on to it (`_audit`, `row_save`, `Rows.kept_by_staff`...),
with the string it gives, the branches of an `if`/`else` and what a local name was set to.
A verb put together at run time (an f-string of a model's name) cannot be read from the
source: DYNAMIC says what each such call site can write, and a new one fails the test
until it is added there.
"""

import ast
import functools
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from incubator import audit_verbs
from incubator.audit import audit_record
from tests.companies.factories import CompanyFactory, StaffFactory

APPS = ("incubator", "companies", "programs", "events")
FUNCTION = ast.FunctionDef | ast.AsyncFunctionDef


def _evidence_models():
    from companies.admin import EVIDENCE_MODELS
    from programs.admissions.views import DELETABLE

    # Saved from the company's admin page; deleted there and from the application wizard.
    return set(EVIDENCE_MODELS), set(EVIDENCE_MODELS) | {model for model, _ in DELETABLE.values()}


def _partners():
    from companies.models import PartnerOrganisation, PartnerPerson

    return {PartnerOrganisation._meta.model_name, PartnerPerson._meta.model_name}


def _import_kinds():
    from companies.imports.parsing import COMPANIES, LEADS

    return {COMPANIES, LEADS}


def _service_request_moves():
    from programs.concierge.models import ServiceRequest

    return {status for targets in ServiceRequest.TRANSITIONS.values() for status in targets}


# (file, function) -> the verbs its f-string can make.
DYNAMIC = {
    ("companies/services.py", "evidence_save"): lambda: {
        f"{model._meta.model_name}.{change}"
        for model in _evidence_models()[0]
        for change in ("add", "change")
    },
    ("companies/services.py", "evidence_delete"): lambda: {
        f"{model._meta.model_name}.delete" for model in _evidence_models()[1]
    },
    ("companies/services.py", "partner_save"): lambda: {
        f"{name}.{change}" for name in _partners() for change in ("create", "change")
    },
    ("companies/services.py", "partner_delete"): lambda: {f"{name}.delete" for name in _partners()},
    ("companies/imports/services.py", "import_confirm"): lambda: {
        f"{kind}.import" for kind in _import_kinds()
    },
    ("programs/concierge/services.py", "service_request_set_status"): lambda: {
        f"service_request.{status}" for status in _service_request_moves()
    },
}


def _sources():
    base = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((base / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(base).as_posix(), ast.parse(path.read_text())


def _scopes(tree):
    """Yield (function, or the module) and the calls made in it, not in a function inside."""

    def calls(node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call):
                yield child
            if not isinstance(child, FUNCTION | ast.Lambda):
                yield from calls(child)

    yield tree, list(calls(tree))
    for node in ast.walk(tree):
        if isinstance(node, FUNCTION):
            yield node, list(calls(node))


def _params(scope) -> list[str]:
    """The positional parameters of a function, as its callers count them."""
    if not isinstance(scope, FUNCTION):
        return []
    names = [arg.arg for arg in [*scope.args.posonlyargs, *scope.args.args]]
    return names[1:] if names[:1] in (["self"], ["cls"]) else names


def _name(node) -> str | None:
    return getattr(node, "id", None) or getattr(node, "attr", None)


def _verb_argument(call, helpers):
    """Return (helper, the expression given as its verb), or None for any other call."""
    name, args = _name(call.func), call.args
    if name == "partial" and args:  # functools.partial(staff_row_delete, verb="lead")
        name, args = _name(args[0]), args[1:]
    if name not in helpers:
        return None
    for keyword in call.keywords:
        if keyword.arg == "verb":
            return name, keyword.value
    index = helpers[name]["index"]
    if index is not None and index < len(args):
        return name, args[index]
    return None


def _forwarded_suffixes(expr, scope) -> set[str] | None:
    """The endings a helper adds to the `verb` it was given: "" for `verb`, ".create" for
    f"{verb}.create"; None when `expr` is not made of the function's own `verb`."""
    if not isinstance(scope, FUNCTION) or "verb" not in [
        *_params(scope),
        *(arg.arg for arg in scope.args.kwonlyargs),
    ]:
        return None
    if isinstance(expr, ast.Name) and expr.id == "verb":
        return {""}
    if (
        isinstance(expr, ast.JoinedStr)
        and isinstance(expr.values[0], ast.FormattedValue)
        and getattr(expr.values[0].value, "id", None) == "verb"
        and all(isinstance(part, ast.Constant) for part in expr.values[1:])
    ):
        return {"".join(part.value for part in expr.values[1:])}
    return None


def _helpers(sources):
    """Return {name: {"index": its verb's position or None, "suffixes": {...}}} of
    `audit_record` and of every function that passes its `verb` on, however far."""
    helpers = {"audit_record": {"index": None, "suffixes": {""}}}
    functions = [
        (scope, calls)
        for _path, tree in sources
        for scope, calls in _scopes(tree)
        if isinstance(scope, FUNCTION)
    ]
    grown = True
    while grown:
        grown = False
        for scope, calls in functions:
            for call in calls:
                found = _verb_argument(call, helpers)
                ending = found and _forwarded_suffixes(found[1], scope)
                if not ending:
                    continue
                suffixes = {end + more for end in ending for more in helpers[found[0]]["suffixes"]}
                helper = helpers.setdefault(
                    scope.name,
                    {
                        "index": _params(scope).index("verb") if "verb" in _params(scope) else None,
                        "suffixes": set(),
                    },
                )
                if not suffixes <= helper["suffixes"]:
                    helper["suffixes"] |= suffixes
                    grown = True
    return helpers


def _values(expr, scope) -> set[str] | None:
    """The strings `expr` can be, or None when it is made at run time."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        body, orelse = _values(expr.body, scope), _values(expr.orelse, scope)
        return None if body is None or orelse is None else body | orelse
    if isinstance(expr, ast.Name):
        return _assigned(expr.id, scope)
    return None


def _assigned(name: str, scope) -> set[str] | None:
    """What the local `name` is set to in `scope`: `name = ...`, `name, other = ..., ...`,
    `for name in (...)` or `for other, name in ((..., "x"), ...)`."""
    found: set[str] = set()
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            values = []
            for target in node.targets:
                if _is(target, name):
                    values.append(node.value)
                elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                    parts = zip(target.elts, node.value.elts, strict=False)
                    values += [value for part, value in parts if _is(part, name)]
        elif isinstance(node, ast.For) and _is(node.target, name):
            if not isinstance(node.iter, ast.Tuple | ast.List):
                return None
            values = node.iter.elts
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Tuple):
            where = [_is(part, name) for part in node.target.elts]
            if not any(where):
                continue
            rows = node.iter.elts if isinstance(node.iter, ast.Tuple | ast.List) else [None]
            if not all(isinstance(row, ast.Tuple) for row in rows):
                return None
            values = [row.elts[where.index(True)] for row in rows]
        else:
            continue
        for value in values:
            strings = _values(value, scope)
            if strings is None:
                return None
            found |= strings
    return found or None


def _is(node, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


@functools.cache  # a second of parsing: once for the tests that read it
def written_verbs():
    """Return the verbs the code writes, and the (file, function) of each verb made at run
    time, which DYNAMIC must name."""
    sources = list(_sources())
    helpers = _helpers(sources)
    verbs, dynamic = set(), set()
    for path, tree in sources:
        for scope, calls in _scopes(tree):
            for call in calls:
                found = _verb_argument(call, helpers)
                if found is None or _forwarded_suffixes(found[1], scope):
                    continue  # no verb, or the helper's own: its callers give it
                values = _values(found[1], scope)
                if values is None:
                    dynamic.add((path, getattr(scope, "name", "<module>")))
                    continue
                verbs |= {value + end for value in values for end in helpers[found[0]]["suffixes"]}
    return verbs, dynamic


def test_every_verb_the_code_writes_has_a_label():
    verbs, dynamic = written_verbs()
    verbs = set(verbs)
    assert dynamic == set(DYNAMIC), "a verb made at run time: say in DYNAMIC what it can be"
    for make in DYNAMIC.values():
        verbs |= make()
    assert sorted(verb for verb in verbs if audit_verbs.label_of(verb) == verb) == []
    # A label of a verb that nothing writes is a typo in a VERBS table.
    assert sorted({verb for verb, _label in audit_verbs.labels()} - verbs) == []


def test_the_scan_reads_helpers_branches_and_local_names():
    verbs, _dynamic = written_verbs()
    assert {
        "application.decide",  # an if/else
        "member.reinvite",  # a local name
        "webhook.rotate_secret",  # a helper's positional verb
        "user.password_unset",  # a local name set from an if/else
        "lead.delete",  # functools.partial(staff_row_delete, verb="lead")
        "crontab_schedule.update",  # Rows.kept_by_staff in a loop over a tuple
        "meeting_slot.create",  # row_save
    } <= verbs


def test_an_unknown_verb_reads_as_its_code():
    assert audit_verbs.label_of("nothing.known") == "nothing.known"


@pytest.mark.django_db
@pytest.mark.parametrize("language, label", [("ko", "신청 결정"), ("zh-hans", "申请已决定")])
def test_the_trail_shows_each_verb_by_its_label_in_the_readers_language(client, language, label):
    company = CompanyFactory()
    record = audit_record(actor=None, verb="application.decide", obj=company, company=company)
    audit_record(actor=None, verb="company.update", obj=company, company=company)
    manager = StaffFactory(language=language)
    manager.groups.add(Group.objects.get(name="center_manager"))
    client.force_login(manager)
    client.cookies["lang"] = language
    trail = "/admin/incubator/auditrecord/"

    listed = client.get(trail).content.decode()
    filtered = client.get(trail, {"verb": "application.decide"}).content.decode()
    by_code = client.get(trail, {"q": "application.decide"}).content.decode()
    by_label = client.get(trail, {"q": label}).content.decode()
    shown = client.get(f"{trail}{record.pk}/change/").content.decode()

    row = f'<td class="field-verb_label">{label}</td>'
    assert row in listed
    assert '<a href="?verb=application.decide">' in listed  # the filter's choice, by its code
    for page in (filtered, by_code, by_label):
        assert row in page and page.count('class="field-verb_label"') == 1
    assert label in shown
    for page in (listed, filtered, by_code, by_label, shown):
        assert "application.decide" not in re.sub(r"<[^>]*>", "", page)  # the text, not links
