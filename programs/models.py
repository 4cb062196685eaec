"""The models of programs, one module per room; imported here so the app registers them."""

from programs.admissions.models import (  # noqa: F401
    Application,
    ApplicationEvent,
    CriterionOverride,
    Intake,
    Program,
    ScreeningPolicy,
)
from programs.concierge.models import (  # noqa: F401
    ServiceKind,
    ServiceMessage,
    ServiceRequest,
    ServiceTarget,
    request_file_path,
)
from programs.fund.models import Disbursement, FundApplication, FundCall  # noqa: F401
from programs.journey.models import (  # noqa: F401
    CURRENCIES,
    Cohort,
    Enrollment,
    LocalEntity,
    Milestone,
    MilestoneTemplate,
    QuarterlyReport,
    StageTransition,
    milestone_evidence_path,
    stage_label,
)
