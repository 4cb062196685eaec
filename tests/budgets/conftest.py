"""The authz world (tests/authz/world.py), built once for the module, rolled back after."""

from tests.authz.conftest import _private_media, media_root, world  # noqa: F401
