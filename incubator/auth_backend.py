"""Django's sign-in backend, loading with the user what nearly every page asks of it."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

# What login() is given when a view signs someone in without a password (a confirmed address).
PATH = "incubator.auth_backend.UserBackend"

_with_user: list[str] = []


def load_with_user(*relations: str) -> None:
    """Fetch `relations` of the user (select_related) in the query that loads it per request.

    The apps register, from AppConfig.ready, what the header and the policies ask on
    nearly every page (a startup's membership and company, a partner's person record):
    one query instead of three, and the core names no app.
    """
    _with_user.extend(relation for relation in relations if relation not in _with_user)


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related(*_with_user)
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
