"""What the database benchmarks share: Django on the project's settings, a throwaway database.

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.database import setup_django, throwaway_database
setup_django()
"""

import contextlib
import os
import tempfile


def setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "incubator.settings"
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()


@contextlib.contextmanager
def throwaway_database(name: str, *, sqlite_file: bool = False):
    """Create a test database from DATABASE_URL, named after `name`; drop it at the end.

    Not the name pytest uses, so a test run on the same server is not disturbed. On the
    SQLite fallback, `sqlite_file` puts it in a file rather than in this process's memory.
    """
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    with tempfile.TemporaryDirectory() as folder:
        test = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor != "sqlite":
            test["NAME"] = f"test_{name}_{os.getpid()}"
        elif sqlite_file:
            test["NAME"] = f"{folder}/{name}.sqlite3"
        old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
        try:
            yield connection.settings_dict["NAME"]
        finally:
            teardown_databases(old_config, verbosity=0)


def print_target(text: str, met: bool, detail: str) -> None:
    """Print one target line: what, OK or MISSED, and the figures."""
    print(f"target: {text}: {'OK' if met else 'MISSED'} ({detail})")
