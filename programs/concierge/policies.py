"""Who may own a concierge service request: a plain predicate the services enforce.

The admin's owner choices come from `selectors.request_owner_choices()`, the same rule
as a query; a test holds the two together.
"""

from incubator.roles import staff_with

# The roles that handle requests (the center manager, the program officers) change them.
HANDLE = "programs.change_servicerequest"


def can_own_request(user, service_request=None) -> bool:
    """Own a request: an active staff member whose role handles service requests."""
    return user is not None and bool(user.is_active) and staff_with(user, HANDLE)
