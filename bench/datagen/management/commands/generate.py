from django.core.management.base import BaseCommand

from bench.datagen import cli


class Command(BaseCommand):
    help = "Fill the database with seeded data at scale (bulk inserts; see bench/datagen)."

    def add_arguments(self, parser):
        cli.add_arguments(parser)

    def handle(self, *args, **options):
        cli.main(options, self.stdout.write)
