"""Every model of the app, so Django finds them (it looks only in `pilots.models`).

The models live with their concern: the register in register/, rounds and
applications in applications/, the portal's call page, invitations and sign-in
links in portal/, scores, notes and decisions in casework/. They all keep the app
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
from .casework.models import Criterion, DecisionEmailTemplate, DecisionNotice, InternalNote, Review
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
    "Centrality",
    "Contact",
    "County",
    "Criterion",
    "DecisionEmailTemplate",
    "DecisionNotice",
    "InternalNote",
    "Invitation",
    "Municipality",
    "MunicipalityAuthority",
    "PilotCallPage",
    "Review",
    "Round",
    "RoundMunicipalityClaim",
    "SignInToken",
]
