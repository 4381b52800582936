"""The document types. Apart from the models so that the finder's filters can name
them without importing the page models."""

from django.db import models


class DocumentType(models.TextChoices):
    """Regjeringen.no's document types (bokmål labels; see labels.py for nynorsk)."""

    LETTER = "brev", "Brev"
    CONSULTATION = "horing", "Høring"
    ROYAL_DECREE = "kgl_res", "Kongelig resolusjon"
    ACT = "lov", "Lov"
    REGULATION = "forskrift", "Forskrift"
    GUIDELINES = "retningslinjer", "Retningslinjer"
    WHITE_PAPER = "meld_st", "Melding til Stortinget"
    NOU = "nou", "NOU"
    PLAN = "plan", "Plan/strategi"
    PROPOSITION = "prop", "Proposisjon"
    REPORT = "rapport", "Rapport"
    CIRCULAR = "rundskriv", "Rundskriv"
    ALLOCATION_LETTER = "tildelingsbrev", "Tildelingsbrev/instruks"
    STATISTICS = "statistikk", "Statistikk/indeks"
