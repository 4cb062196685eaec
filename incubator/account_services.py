"""Accounts: sign-up and e-mail verification, password resets and changes, staff's edits of
accounts, one's own preferences."""

from datetime import timedelta

from axes.utils import reset as axes_reset
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from incubator import roles, times
from incubator.audit import audit_record, changed
from incubator.models import OutboxMessage, User
from incubator.services import outbox_enqueue


def account_signup(
    *, email: str, password: str, full_name: str, language: str, time_zone: str
) -> User | None:
    """Create a portal account and send the link that confirms its e-mail address.

    An address that has an account already gets, instead, a message telling its
    owner how to sign in; nothing is created or changed, and the caller answers
    exactly as for a new address, so that sign-up does not reveal who has an
    account. Return the new user, or None for a known address.
    """
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    full_name=full_name,
                    language=language,
                    time_zone=time_zone,
                )
                audit_record(
                    actor=user,
                    verb="user.signup",
                    obj=user,
                    changes={"language": language, "time_zone": time_zone},
                )
                outbox_enqueue(
                    recipient=user.email,
                    kind="verify_email",
                    dedupe_key=f"verify-email:{user.pk}",
                    # Whom the link is for; render_message makes the link and its token.
                    payload={"name": user.full_name, "user_id": user.pk},
                    language=language,
                )
            return user
        except IntegrityError:
            # The same address signed up a moment ago in another request.
            existing = User.objects.get(email__iexact=email)
    else:
        # Hash all the same: an answer that comes back faster for a known
        # address would tell what the page does not.
        make_password(password)
    outbox_enqueue(
        recipient=existing.email,
        kind="sign_up_attempted",
        # At most one an hour, however often someone tries the address.
        dedupe_key=f"sign-up-attempted:{existing.pk}:{timezone.now():%Y%m%d%H}",
        payload={
            "name": existing.get_full_name(),
            "sign_in_path": reverse("portal:login"),
            "reset_path": reverse("portal:password-reset"),
        },
        language=existing.language,
    )
    return None


VERIFICATION_RESEND_MINUTES = 5


def account_verification_resend(*, email: str) -> OutboxMessage | None:
    """Send again the link that confirms an address, at most once every few minutes.

    Only an active account still waiting for confirmation gets one; the caller answers the
    same for any address. The message names whom the link is for, as at sign-up: its
    token is made when it is rendered. Return the message, or None when nothing was sent.
    """
    user = User.objects.filter(email__iexact=email, is_active=True, email_verified=False).first()
    if user is None:
        return None
    now = timezone.now()
    recent = OutboxMessage.objects.filter(
        kind="verify_email",
        recipient=user.email,
        created_at__gt=now - timedelta(minutes=VERIFICATION_RESEND_MINUTES),
    )
    if recent.exists():
        return None
    # The window's number in the key makes two clicks at once one message.
    window = int(now.timestamp()) // (VERIFICATION_RESEND_MINUTES * 60)
    return outbox_enqueue(
        recipient=user.email,
        kind="verify_email",
        dedupe_key=f"verify-email:{user.pk}:{window}",
        payload={"name": user.get_full_name(), "user_id": user.pk},
        language=user.language,
    )


def account_password_reset_send(*, user: User) -> OutboxMessage:
    """Send `user` a link to choose a new password."""
    # The token is made when the message is rendered, so the key cannot hold
    # it; a ten-minute window instead makes a double click one message and
    # still lets the person ask again later.
    window = int(timezone.now().timestamp()) // 600
    dedupe_key = f"password-reset:{user.pk}:{window}"
    # A message of the window that failed (its mail server refused it) must not swallow a
    # new request: each failure moves the key on, and a double click after it is still one.
    failed = OutboxMessage.objects.filter(
        Q(dedupe_key=dedupe_key) | Q(dedupe_key__startswith=f"{dedupe_key}:"),
        status=OutboxMessage.Status.FAILED,
    ).count()
    if failed:
        dedupe_key = f"{dedupe_key}:{failed}"
    return outbox_enqueue(
        recipient=user.email,
        kind="password_reset",
        dedupe_key=dedupe_key,
        payload={"name": user.get_full_name(), "user_id": user.pk},
        language=user.language,
    )


def account_password_reset_complete(*, user: User) -> None:
    """Finish a reset: the address is proven, and the account's lockout lifted.

    Following the e-mailed link proves the address as the confirmation link
    does, and a person locked out after forgetting the password gets in at
    once. Only the account's attempts go: those of the address stay, or anyone
    could clear their address's count by resetting their own password.
    """
    with transaction.atomic():
        axes_reset(username=user.email.lower())
        if not user.email_verified:
            user.email_verified = True
            user.save(update_fields=["email_verified"])
        record = audit_record(actor=user, verb="user.password_reset", obj=user)
        _password_changed_notice(user, record)


def account_verify_email(*, user) -> None:
    if not user.email_verified:
        with transaction.atomic():
            user.email_verified = True
            user.save(update_fields=["email_verified"])
            audit_record(actor=user, verb="user.verify_email", obj=user)


# What an account's audit record shows as before and after: who may sign in where.
ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")
SECRET_FIELDS = {"password", "password1", "password2"}


def account_save_by_staff(*, user: User, actor, fields=(), groups=None) -> User:
    """Create or change an account from the staff side (the center manager's page).

    `groups` (the staff roles), when given, replace the account's. The audit record names
    the fields changed, and the access flags and roles before and after; never a password.
    """
    created = user._state.adding
    if not roles.can_save_row(actor, user, created=created):
        raise PermissionDenied
    with transaction.atomic():
        before = {} if created else User.objects.values(*ACCESS_FIELDS).get(pk=user.pk)
        roles_before = [] if created else sorted(user.groups.values_list("name", flat=True))
        user.save()
        if groups is not None:
            user.groups.set(groups)
        roles_after = sorted(user.groups.values_list("name", flat=True))
        changes = {"fields": sorted(set(fields) - SECRET_FIELDS)}
        changes.update(
            {
                name: [before.get(name), getattr(user, name)]
                for name in ACCESS_FIELDS
                if before.get(name) != getattr(user, name)
            }
        )
        if roles_before != roles_after:
            changes["roles"] = [roles_before, roles_after]
        if not created and changes == {"fields": []}:
            return user  # saved as it was: nothing to record
        audit_record(
            actor=actor, verb="user.create" if created else "user.update", obj=user, changes=changes
        )
    return user


def account_delete_by_staff(*, user: User, actor) -> None:
    """Delete an account from the staff side; nobody deletes their own."""
    if not roles.can_delete_row(actor, user):
        raise PermissionDenied
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(gettext("You cannot delete your own account."))
    with transaction.atomic():
        audit_record(actor=actor, verb="user.delete", obj=user, changes={"email": user.email})
        user.delete()


def account_password_set_by_staff(*, user: User, actor, password: str | None) -> User:
    """Give an account a new password from the staff side, or none (`password` None: the
    person signs in only through a reset link).

    The person's sessions end, as Django ties them to the password. The record says who did
    it and whether a password is left; never the password or its hash.
    """
    if not roles.can_save_row(actor, user, created=False):
        raise PermissionDenied
    verb = "user.password_set" if password is not None else "user.password_unset"
    return _password_write(user, password, actor=actor, verb=verb)


def account_password_change(*, user: User, password: str) -> User:
    """A signed-in person's new password, chosen on the page that asks for the old one."""
    return _password_write(user, password, actor=user, verb="user.password_change")


def _password_write(user: User, password: str | None, *, actor, verb: str) -> User:
    with transaction.atomic():
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save(update_fields=["password"])
        _password_changed_notice(user, audit_record(actor=actor, verb=verb, obj=user))
    return user


def _password_changed_notice(user: User, record) -> OutboxMessage:
    """Tell the person their password changed, whoever changed it: if it was not them,
    the message is how they find out, and its link (no token) lets them choose another."""
    with translation.override(user.language):
        at = times.when(record.at, None, event_zone=user.time_zone)
    return outbox_enqueue(
        recipient=user.email,
        kind="password_changed",
        dedupe_key=f"password-changed:{user.pk}:{record.pk}",
        payload={
            "name": user.get_full_name(),
            "at": at,
            # "user.password_set", "user.password_unset" by staff, or the person's own.
            "verb": record.verb,
            "reset_path": reverse("portal:password-reset"),
        },
        language=user.language,
    )


def account_set_preferences(
    *, user, full_name: str, language: str, time_zone: str, reminders: list[str] | None = None
) -> None:
    """Save the user's own preferences; `reminders` lists the optional reminders kept on
    (None leaves them as they are)."""
    from incubator import reminders as reminder_kinds

    fields = ["full_name", "language", "time_zone"]
    with transaction.atomic():
        before = User.objects.values(*fields).get(pk=user.pk)
        user.full_name, user.language, user.time_zone = full_name, language, time_zone
        moved = changed(user, fields, before)
        if moved:
            user.save(update_fields=list(moved))
            audit_record(actor=user, verb="user.preferences", obj=user, changes=moved)
        if reminders is not None:
            reminder_kinds.reminders_keep_on(user=user, codes=reminders)
