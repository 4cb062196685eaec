from django.apps import AppConfig


class DatagenConfig(AppConfig):
    """The generator's `manage.py generate`, installed by bench.settings only (a dev tool)."""

    name = "bench.datagen"
    label = "datagen"
    verbose_name = "data generator"
