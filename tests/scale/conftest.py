"""The staff pages at scale: the programs' fixtures (staff_client is the suite's own)."""

from tests.programs.conftest import (  # noqa: F401 (fixtures)
    coordinator,
    defaults,
    english,
    manager,
    officer,
)
