"""The programme core's models, by topic. Import them from here: `birgemiz.models.Program`."""

from .audit import AuditEntry
from .base import BilingualName, Lang, Sex, SocialStatus, TimeStamped, lang_value, pick_lang
from .evidence import Evidence, evidence_upload_to
from .geography import District, Region, School
from .invitations import Invitation
from .outreach import InfoWorkGroup, InfoWorkPlan, Meeting, Publication
from .partners import Partner, ProjectProposal, SocioEconomicIndicator, StateRecommendation
from .programme import Activity, Indicator, Narrative, Organization, Program, Subject, Task, Track
from .security import SecurityPolicy

__all__ = [
    "Activity",
    "BilingualName",
    "AuditEntry",
    "District",
    "Evidence",
    "Indicator",
    "InfoWorkGroup",
    "InfoWorkPlan",
    "Invitation",
    "Lang",
    "Meeting",
    "Narrative",
    "Organization",
    "Partner",
    "Program",
    "ProjectProposal",
    "Publication",
    "Region",
    "School",
    "SecurityPolicy",
    "Sex",
    "SocialStatus",
    "SocioEconomicIndicator",
    "StateRecommendation",
    "Subject",
    "Task",
    "TimeStamped",
    "Track",
    "evidence_upload_to",
    "lang_value",
    "pick_lang",
]
