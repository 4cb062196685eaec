"""The labels of the verbs that judging writes to the audit trail
(incubator.audit_verbs)."""

from django.utils.translation import gettext_lazy as _

VERBS = {
    "round.create": _("Competition round created"),
    "round.update": _("Competition round changed"),
    "round.delete": _("Competition round deleted"),
    "round.release": _("Round results published"),
    "criterion.create": _("Judging criterion created"),
    "criterion.update": _("Judging criterion changed"),
    "criterion.delete": _("Judging criterion deleted"),
    "entry.create": _("Competition entry created"),
    "entry.update": _("Competition entry changed"),
    "entry.delete": _("Competition entry deleted"),
    "judge.assign": _("Judge assigned"),
    "judge.unassign": _("Judge unassigned"),
    "conflict.create": _("Conflict of interest recorded"),
    "conflict.update": _("Conflict of interest changed"),
    "conflict.delete": _("Conflict of interest withdrawn"),
    "score.save": _("Scores saved"),
    "score.submit": _("Scores submitted"),
    "score.correct": _("Score corrected"),
}
