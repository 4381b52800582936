"""The eligibility rule of a round, applied to the municipalities of one application.

The published rule of 2022: every municipality in centrality class 5 or 6 may
apply; a class 4 municipality only together with one in class 5 or 6. Both class
lists are fields on the Round, so staff can change the rule per round.

The round is read through its fields and its `claims`, so the register depends on
nothing in the application models that point to it.

Another application's claim on a municipality is told only to an applicant whose
authority to act for that municipality is established (`authorised_for`): anyone
else could otherwise find out who has applied just by naming municipalities.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext

from .models import Centrality


@dataclass(frozen=True)
class MunicipalityResult:
    municipality: object
    centrality_class: int | None
    ok: bool
    reason: str


@dataclass
class EligibilityResult:
    municipalities: list[MunicipalityResult] = field(default_factory=list)
    message: str = ""

    @property
    def ok(self):
        return bool(self.municipalities) and all(m.ok for m in self.municipalities)

    @property
    def problems(self):
        return [m for m in self.municipalities if not m.ok]


def _classes(values):
    """[4, 5, 6] -> "4, 5 eller 6"."""
    names = [str(v) for v in sorted(values)]
    if len(names) == 1:
        return names[0]
    return gettext("%(first)s eller %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def check(round, municipalities, *, exclude_application=None, authorised_for=()):
    """Check `municipalities` (lead first) against `round`'s rule.

    Returns a result with one line per municipality giving its centrality class and
    why it may or may not take part. A municipality already claimed by another
    application in this round is refused too, but only among `authorised_for` (pks
    of the municipalities the applicant is established to act for); for the others
    the claim is neither counted nor told. `exclude_application` is the application
    being checked, so its own claims do not count against it."""
    municipalities = list(municipalities)
    classes = dict(
        Centrality.objects.filter(municipality__in=municipalities, edition=round.centrality_edition).values_list(
            "municipality_id", "centrality_class"
        )
    )
    authorised = [m for m in municipalities if m.pk in set(authorised_for)]
    claims = round.claims.filter(municipality__in=authorised)
    if exclude_application is not None:
        claims = claims.exclude(application=exclude_application)
    claimed = set(claims.values_list("municipality_id", flat=True))
    eligible = set(round.eligible_classes)
    conditional = set(round.conditional_classes or [])
    has_eligible = any(classes.get(m.pk) in eligible for m in municipalities)

    result = EligibilityResult()
    for municipality in municipalities:
        centrality_class = classes.get(municipality.pk)
        if municipality.pk in claimed:
            ok, reason = False, gettext("Er allerede med i en annen søknad som er sendt inn i denne utlysingen.")
        elif centrality_class is None:
            ok = False
            reason = gettext("Har ingen sentralitetsklasse i SSBs indeks %(edition)s.") % {
                "edition": round.centrality_edition
            }
        elif centrality_class in eligible:
            ok, reason = True, gettext("Sentralitetsklasse %(number)s: kan søke.") % {"number": centrality_class}
        elif centrality_class in conditional and has_eligible:
            ok = True
            reason = gettext(
                "Sentralitetsklasse %(number)s: kan være med fordi søknaden også har en kommune i klasse %(classes)s."
            ) % {"number": centrality_class, "classes": _classes(eligible)}
        elif centrality_class in conditional:
            ok = False
            reason = gettext(
                "Sentralitetsklasse %(number)s: kan bare søke sammen med en kommune i klasse %(classes)s."
            ) % {"number": centrality_class, "classes": _classes(eligible)}
        else:
            ok = False
            reason = gettext("Sentralitetsklasse %(number)s: utlysingen gjelder kommuner i klasse %(classes)s.") % {
                "number": centrality_class,
                "classes": _classes(eligible | conditional),
            }
        result.municipalities.append(MunicipalityResult(municipality, centrality_class, ok, reason))
    if not municipalities:
        result.message = gettext("Velg minst én kommune.")
    elif result.ok:
        result.message = gettext("Kommunene kan søke.")
    else:
        result.message = gettext("Ikke alle kommunene kan være med i søknaden.")
    return result
