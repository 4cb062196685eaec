"""The portal's settings, for a worker whose pool process a test kills.

The worker waits `worker_lost_wait` (10 s by default) for a result the lost process might
still have sent before it hands the task back; nothing else differs from production.
"""

from incubator.settings import *  # noqa: F403

CELERY_WORKER_LOST_WAIT = 0.5
