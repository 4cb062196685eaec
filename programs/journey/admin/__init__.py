"""The staff side of the journey, one module per page family; imported here so the admin
finds them: `cohorts` (cohorts, milestone templates and milestones), `enrollments` (the list,
the pipeline board and stage moves), `entities` (local entities and quarterly reports).
"""

from programs.journey.admin import cohorts, enrollments, entities  # noqa: F401
