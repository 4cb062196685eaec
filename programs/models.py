"""The models of programs, one module per room; imported here so the app registers them."""

from programs.admissions.models import *  # noqa: F403
from programs.concierge.models import *  # noqa: F403
from programs.fund.models import *  # noqa: F403
from programs.journey.models import *  # noqa: F403
