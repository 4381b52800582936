"""Counties, municipalities and SSB centrality, one row per edition of the register,
so an application always points to the municipality as it was when its round ran.

Loaded from the committed CSV files (see reference.py and data/SOURCES.md); nobody
edits them by hand, except the two facts staff keep on a municipality that no
register publishes: its organisation number and the e-mail domains it uses
(`Municipality.STAFF_FIELDS`, which the loader leaves alone)."""

import re

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel

CENTRALITY_CLASSES = [(n, f"Klasse {n}") for n in range(1, 7)]

organisation_number_validator = RegexValidator(r"^\d{9}$", "Organisasjonsnummeret har ni sifre.")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class EditionRow(models.Model):
    """A row of one edition of the register: its `number` (text with leading zeros,
    declared by each table) is unique within the edition, which starts on
    `valid_from`. The loader (reference.py) upserts on exactly that pair."""

    valid_from = models.DateField("gyldig fra")
    valid_to = models.DateField("gyldig til", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["number", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["number", "valid_from"], name="%(class)s_number_valid_from")]


class County(EditionRow):
    """A county (fylke) as it was during its validity period."""

    number = models.CharField("fylkesnummer", max_length=2)
    name = models.CharField("navn", max_length=100)
    name_full = models.CharField("fullt navn", max_length=200, blank=True)

    class Meta(EditionRow.Meta):
        verbose_name = "fylke"
        verbose_name_plural = "fylker"

    def __str__(self):
        return f"{self.number} {self.name}"


class MunicipalityQuerySet(models.QuerySet):
    def valid_on(self, day):
        """The register as it stood on `day` (a date)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class Municipality(EditionRow):
    """A municipality (kommune) in one edition of the register.

    The number is text with leading zeros ("0301"). The same number may occur in
    several editions (Oslo is 0301 in both 2022 and 2024); each edition is a row with
    its own validity period."""

    number = models.CharField("kommunenummer", max_length=4)
    name = models.CharField("navn", max_length=100)
    name_full = models.CharField("fullt navn", max_length=200, blank=True)
    name_north_sami = models.CharField("nordsamisk navn", max_length=100, blank=True)
    name_lule_sami = models.CharField("lulesamisk navn", max_length=100, blank=True)
    name_south_sami = models.CharField("sørsamisk navn", max_length=100, blank=True)
    name_kven = models.CharField("kvensk navn", max_length=100, blank=True)
    county = models.ForeignKey(County, verbose_name="fylke", on_delete=models.PROTECT, related_name="municipalities")
    organisation_number = models.CharField(
        "organisasjonsnummer",
        max_length=9,
        blank=True,
        validators=[organisation_number_validator],
        help_text="Kommunens organisasjonsnummer i Enhetsregisteret. Brukes til å slå opp roller i Altinn.",
    )
    email_domains = ArrayField(
        models.CharField(max_length=253),
        verbose_name="e-postdomener",
        blank=True,
        default=list,
        help_text=(
            "Domener kommunens ansatte har e-post på, kommaseparert (for eksempel askvoll.kommune.no). "
            "Den som logger inn med en adresse på et av disse domenene, kan søke på vegne av kommunen. "
            "Underdomener gjelder ikke automatisk."
        ),
    )

    objects = MunicipalityQuerySet.as_manager()

    #: Kept by staff, never by the register loader (reference.py).
    STAFF_FIELDS = ("organisation_number", "email_domains")
    panels = [FieldPanel("organisation_number"), FieldPanel("email_domains")]

    class Meta(EditionRow.Meta):
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"

    def __str__(self):
        return f"{self.display_name} ({self.number})"

    def clean(self):
        """Domains are stored lower-case and compared exactly (see `has_email_domain`)."""
        super().clean()
        domains = sorted({domain.strip().lower() for domain in self.email_domains or [] if domain.strip()})
        wrong = [domain for domain in domains if not DOMAIN.match(domain)]
        if wrong:
            raise ValidationError(
                {
                    "email_domains": f"«{wrong[0]}» er ikke et e-postdomene. Skriv bare det som står etter @, "
                    "for eksempel askvoll.kommune.no."
                }
            )
        self.email_domains = domains

    def has_email_domain(self, address):
        """Whether `address` is on one of the registered domains: the part after the
        last @, lower-cased, equal to a domain (a subdomain is a different domain)."""
        domain = address.rpartition("@")[2].strip().lower()
        return bool(domain) and "@" in address and domain in self.email_domains

    @property
    def display_name(self):
        """The official name with its parallel Sami/Kven names, as in the register."""
        return self.name_full or self.name


class Centrality(models.Model):
    """SSB's centrality index and class (1 = most central, 6 = least) for one edition."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="centralities")
    edition = models.CharField("utgave", max_length=10, help_text="Årgangen til indeksen, for eksempel 2023.")
    index = models.PositiveSmallIntegerField("indeks")
    centrality_class = models.PositiveSmallIntegerField("klasse", choices=CENTRALITY_CLASSES)

    class Meta:
        verbose_name = "sentralitet"
        verbose_name_plural = "sentralitet"
        constraints = [models.UniqueConstraint(fields=["municipality", "edition"], name="centrality_edition")]

    def __str__(self):
        return f"{self.municipality.number} {self.edition}: {self.centrality_class}"
