"""Fixtures of the webhook tests: a local receiver and a port where nothing listens."""

from tests.incubator.webhook_receiver import closed_port, receiver  # noqa: F401
