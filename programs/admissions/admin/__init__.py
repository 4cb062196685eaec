"""The staff side of admissions, one module per page family; imported here so the admin
finds them: `programs` (programs and their intakes), `policy` (the screening policy's
versions), `review` (the review queue, the decision page and the bulk decisions).

Every change goes through `programs.admissions.services`; the decision page is
an action page (`incubator.admin_mixins.ActionPages`).
"""

from programs.admissions.admin import policy, programs, review  # noqa: F401
