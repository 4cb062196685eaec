"""Settings of the API benchmark (bench/bench_api.py): the project's, with the bench's URLs.

The throttle still runs on every call (its cost is part of the API's), with a budget that
the benchmark's few hundred calls a minute with one key do not exhaust.
"""

import warnings

from incubator.settings import *  # noqa: F403
from incubator.settings import INSTALLED_APPS, REST_FRAMEWORK

ROOT_URLCONF = "bench.urls"
# `manage.py generate` (bench/datagen): a dev tool, not installed in production's settings.
INSTALLED_APPS = [*INSTALLED_APPS, "bench.datagen.apps.DatagenConfig"]
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"partner_key": "1000000/minute"}}
# Quiet start-up of each gunicorn worker: no static files are collected for an API run.
AXES_VERBOSE = False
warnings.filterwarnings("ignore", "No directory at", UserWarning)
