"""The document types. Apart from the models so that the finder's filters can name
them without importing the page models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    """Regjeringen.no's document types; the labels follow the language of the page or item."""

    LETTER = "brev", _("Brev")
    CONSULTATION = "horing", _("Høring")
    ROYAL_DECREE = "kgl_res", _("Kongelig resolusjon")
    ACT = "lov", _("Lov")
    REGULATION = "forskrift", _("Forskrift")
    GUIDELINES = "retningslinjer", _("Retningslinjer")
    WHITE_PAPER = "meld_st", _("Melding til Stortinget")
    NOU = "nou", _("NOU")
    PLAN = "plan", _("Plan/strategi")
    PROPOSITION = "prop", _("Proposisjon")
    REPORT = "rapport", _("Rapport")
    CIRCULAR = "rundskriv", _("Rundskriv")
    ALLOCATION_LETTER = "tildelingsbrev", _("Tildelingsbrev/instruks")
    STATISTICS = "statistikk", _("Statistikk/indeks")
