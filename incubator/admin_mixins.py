"""Shared admin behaviour of the apps' staff pages."""

from django.core.exceptions import PermissionDenied


class ServiceOwnedChangeForm:
    """A change page that shows a record but saves nothing itself.

    Its state changes (decide, move, reply, grant) have pages of their own that
    call the services; the admin's save buttons would bypass them.
    """

    def change_view_context(self, request) -> dict:
        return {}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            **self.change_view_context(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)


def actions_need_change_permission(site) -> None:
    """Make every admin action that names no permission require the change permission.

    Django runs an action for anyone who may see the list unless the action says
    otherwise, and third-party admins (django-celery-beat's enable, disable and
    run) say nothing: a read-only role could run them.
    """
    for model_admin in site._registry.values():
        for action in model_admin.actions or ():
            function = getattr(type(model_admin), action) if isinstance(action, str) else action
            if not hasattr(function, "allowed_permissions"):
                function.allowed_permissions = ("change",)
        model_admin.changelist_view = _refusing_unoffered_actions(model_admin)


def _refusing_unoffered_actions(model_admin):
    """Answer 403 to a posted action the role is not offered.

    Django re-renders the list (200) or says "no action selected" (302), which a
    client cannot tell from success.
    """
    changelist_view = model_admin.changelist_view

    def view(request, extra_context=None):
        action = request.POST.get("action") if request.method == "POST" else None
        if action and action not in model_admin.get_actions(request):
            raise PermissionDenied
        return changelist_view(request, extra_context)

    return view
