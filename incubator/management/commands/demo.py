from django.core.management.base import BaseCommand

from incubator import demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent: running it twice changes nothing)."

    def handle(self, *args, **options):
        for module in demo.app_demo_modules():
            module.load()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Demo sign-ins (password {demo.DEMO_PASSWORD}):")
        )
        for role, email in demo.sign_ins():
            self.stdout.write(f"  {role:<20} {email}")
        for line in demo.demo_notes():
            self.stdout.write(line)
