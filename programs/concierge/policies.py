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


def can_read_thread(user, service_request) -> bool:
    """Read the conversation of a request with the company (its messages, on the request's
    page and its conversation page): whoever may open its files. What founders write there
    is as private as what they attach (a visa request's passport details)."""
    return can_see_request_files(user, service_request)


def can_see_request_files(user, service_request) -> bool:
    """Open the files of a request's thread: the company's members, and the staff who handle
    requests. The form promises the files (passport copies, contracts) stay with them, so
    the roles that only read (the viewer, the event coordinator) do not open them."""
    if user is None or not user.is_active:
        return False
    if user.is_staff:
        return staff_with(user, HANDLE)
    membership = getattr(user, "membership", None)
    return membership is not None and membership.company_id == service_request.company_id
