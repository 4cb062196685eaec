"""Shared admin behaviour of the apps' staff pages."""


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
