"""Pages of competition judging: judges score, staff assign judges and publish results.

Thin: validate, call one service of `events.judging.services`, render. A judge only reaches
their own assignments: anything else is a 404.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.judging import policies, selectors, services
from events.judging.forms import JudgeAssignForm, ScoreSheetForm
from events.judging.models import CompetitionRound, JudgeAssignment
from events.models import Event
from events.views import staff_view


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- Judges -------------------------------------------------------------------------------


@login_required
@require_GET
def judging_home(request):
    assignments = JudgeAssignment.objects.filter(judge=request.user).select_related(
        "entry__round__event", "entry__company"
    )
    return render(request, "events/judging/home.html", {"assignments": assignments})


def _score_rows(assignment: JudgeAssignment, form=None, errors=None):
    criteria = assignment.entry.round.criteria.all()
    saved = {score.criterion_id: score for score in assignment.scores.all()}
    errors = errors or {}
    rows = []
    for criterion in criteria:
        score = saved.get(criterion.pk)
        if form is not None:
            value = form[f"score_{criterion.pk}"].value() or ""
            comment = form[f"comment_{criterion.pk}"].value() or ""
        else:
            value = "" if score is None else score.value.normalize()
            comment = "" if score is None else score.comment
        rows.append(
            {
                "criterion": criterion,
                "value": value,
                "comment": comment,
                "errors": errors.get(str(criterion.pk), []),
                "comment_errors": errors.get(f"comment_{criterion.pk}", []),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def judging_score(request, pk):
    assignment = get_object_or_404(
        JudgeAssignment.objects.select_related("entry__round__event", "entry__company"),
        pk=pk,
        judge=request.user,
    )
    round_ = assignment.entry.round
    context = {
        "assignment": assignment,
        "entry": assignment.entry,
        "round": round_,
        # Why the sheet is shown read-only (None: open), as `score_submit` would refuse it.
        "closed": policies.scoring_closed_because(assignment),
        "deadline_passed": round_.judging_deadline is not None
        and round_.judging_deadline < timezone.now(),
    }
    if request.method == "POST":
        form = ScoreSheetForm(request.POST, criteria=assignment.entry.round.criteria.all())
        errors = None if form.is_valid() else form.sheet_errors()
        submit = errors is None and form.cleaned_data["action"] == "submit"
        if errors is None:
            try:
                services.score_submit(
                    assignment=assignment, scores=form.scores(), judge=request.user, submit=submit
                )
            except ValidationError as error:
                by_field = hasattr(error, "error_dict")
                errors = error.message_dict if by_field else {"": error.messages}
        if errors is not None:
            # A closed sheet is shown read-only: as it is stored, not as it was posted.
            posted = None if context["closed"] else form
            context["rows"] = _score_rows(assignment, posted, errors)
            context["sheet_errors"] = errors.get("", []) + errors.get("__all__", [])
            return render(request, "events/judging/score.html", context, status=400)
        if submit:
            messages.success(request, _("Your scores are submitted. Thank you."))
            return redirect("events:judging-home")
        messages.success(request, _("Your scores are saved; submit them when you are ready."))
        return redirect("events:judging-score", pk)
    context["rows"] = _score_rows(assignment)
    return render(request, "events/judging/score.html", context)


# --- Staff: judges, results, publication --------------------------------------------------


def _round(pk: int) -> CompetitionRound:
    return get_object_or_404(CompetitionRound.objects.select_related("event"), pk=pk)


def _render_assign(request, round_: CompetitionRound, form=None, status=200):
    entries = selectors.round_judges(round=round_)
    return render(
        request,
        "events/judging/assign.html",
        {"round": round_, "entries": entries, "form": form or JudgeAssignForm(round_=round_)},
        status=status,
    )


@staff_view("events.add_judgeassignment")
@require_http_methods(["GET", "POST"])
def judging_assign(request, pk):
    round_ = _round(pk)
    if request.method == "GET":
        return _render_assign(request, round_)
    form = JudgeAssignForm(request.POST, round_=round_)
    if form.is_valid():
        judge = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if judge is None:
            form.add_error("email", _("No portal account has this e-mail address."))
        else:
            try:
                services.judge_assign(
                    entry=form.cleaned_data["entry"], judge=judge, actor=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(judge)s now judges %(entry)s.")
                    % {"judge": judge, "entry": form.cleaned_data["entry"].title},
                )
                return redirect("events:judging-assign", pk)
    return _render_assign(request, round_, form=form, status=400)


@staff_view("events.delete_judgeassignment")
@require_POST
def judging_unassign(request, pk, assignment_id):
    assignment = get_object_or_404(JudgeAssignment, pk=assignment_id, entry__round_id=pk)
    try:
        services.judge_unassign(assignment=assignment, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The assignment is removed."))
    return redirect("events:judging-assign", pk)


@staff_view("events.view_judgeassignment")
@require_GET
def judging_results(request, pk):
    round_ = _round(pk)
    if hidden_because := policies.results_hidden_because(request.user, round_):
        raise PermissionDenied(hidden_because)
    return render(
        request,
        "events/judging/results.html",
        {
            "round": round_,
            "results": selectors.round_results(round=round_),
            "can_release": request.user.has_perm("events.change_competitionround"),
            "can_read_scores": policies.can_read_scores(request.user, round_),
            "can_assign": policies.can_assign_judges(request.user, round_),
        },
    )


@staff_view("events.change_competitionround")
@require_POST
def judging_release(request, pk):
    round_ = _round(pk)
    try:
        services.round_release(round=round_, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The results are published."))
    return redirect("events:judging-results", pk)


@require_GET
def competition_results(request, pk):
    round_ = get_object_or_404(
        CompetitionRound.objects.select_related("event"),
        pk=pk,
        released_at__isnull=False,
        event__status__in=[Event.Status.PUBLISHED, Event.Status.COMPLETED],
    )
    results = selectors.round_results(round=round_)
    return render(
        request,
        "events/judging/public_results.html",
        {
            "round": round_,
            "rows": [row for row in results.rows if row.rank is not None],
            "left_out": any(not assignment.counted for assignment, _why in results.conflicts),
        },
    )
