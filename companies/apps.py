from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Startups and partners")

    def ready(self):
        from companies.links import invitation_path
        from incubator.links import register_link

        post_migrate.connect(ensure_defaults, sender=self, dispatch_uid="companies-defaults")
        register_link("member_invitation", invitation_path)


def ensure_defaults(sender, **kwargs):
    # A flush (as after a transactional test) empties the tables and then
    # sends post_migrate: the first policy comes back with it.
    from companies.defaults import ensure_first_policy
    from companies.models import ScreeningPolicy

    ensure_first_policy(ScreeningPolicy)
