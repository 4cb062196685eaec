"""Django's sign-in backend, loading with the user what nearly every page asks of it."""

from asgiref.sync import sync_to_async
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


def user_by_email(email: str):
    """Return the account of `email` whatever the case it is typed in, or None.

    An address is one account whatever its case, as sign-up finds "MINJUN.KIM@..." to be
    "minjun.kim@...", and phone keyboards capitalise the first letter. Should the staff
    have saved two accounts that differ only by case, the one spelt as typed, else none.
    """
    matches = list(get_user_model()._default_manager.filter(email__iexact=email))
    exact = [user for user in matches if user.email == email]
    if exact:
        return exact[0]
    return matches[0] if len(matches) == 1 else None


class UserBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        # ModelBackend's, with the address found whatever its case (django-axes counts the
        # tries in lower case: incubator.lockout.client_username).
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_by_email(username)
        if user is None:
            # Hash all the same, so that an unknown address does not answer faster.
            get_user_model()().set_password(password)
        elif user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    async def aauthenticate(self, request, username=None, password=None, **kwargs):
        return await sync_to_async(self.authenticate)(request, username, password, **kwargs)

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related(*_with_user)
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
