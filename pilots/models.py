"""Every model of the app, so Django finds them (it looks only in `pilots.models`).

The models live with their concern: the register in register/, rounds and
applications in applications/, the portal's call page, invitations and sign-in
links in portal/, scores, notes and decisions in casework/,
the thread between applicant and ministry in messages/. They all keep the app
label `pilots`, their tables and their migrations. Code inside the app imports
from those modules, never from here."""

from .applications.authority import MunicipalityAuthority
from .applications.models import (
    Application,
    ApplicationMunicipality,
    ApplicationSnapshot,
    Attachment,
    BudgetLine,
    Contact,
    Round,
    RoundMunicipalityClaim,
)
from .casework.models import (
    CaseAssignment,
    Criterion,
    DecisionEmailTemplate,
    DecisionNotice,
    Disqualification,
    InternalNote,
    Review,
)
from .letters.models import DecisionLetter
from .messages.models import Message
from .portal.models import ApplicantIdentity, ApplicationMember, Invitation, PilotCallPage, SignInToken
from .register.models import Centrality, County, Municipality

__all__ = [
    "ApplicantIdentity",
    "Application",
    "ApplicationMember",
    "ApplicationMunicipality",
    "ApplicationSnapshot",
    "Attachment",
    "BudgetLine",
    "CaseAssignment",
    "Centrality",
    "Contact",
    "County",
    "Criterion",
    "DecisionEmailTemplate",
    "DecisionLetter",
    "DecisionNotice",
    "Disqualification",
    "InternalNote",
    "Message",
    "Invitation",
    "Municipality",
    "MunicipalityAuthority",
    "PilotCallPage",
    "Review",
    "Round",
    "RoundMunicipalityClaim",
    "SignInToken",
]
