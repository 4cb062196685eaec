"""The staff side of programs, one module per room; imported here so the admin finds them."""

from programs.admissions import admin as admissions_admin  # noqa: F401
from programs.concierge import admin as concierge_admin  # noqa: F401
from programs.fund import admin as fund_admin  # noqa: F401
from programs.journey import admin as journey_admin  # noqa: F401
