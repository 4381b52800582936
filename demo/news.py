"""Demo news from the seed page ("Aktuelt nå"), plus a few items about the same real
events in our own words. Idempotent: `load_demo` updates these instead of adding copies.

Dates: the two seed items carry the seed's date (06.10.2022, the day the 2023 budget
was presented). The seed gives only the month of the call (June 2022, deadline
30 September) and of the choice of pilots (November 2022), so those two items use
the last day of that month as their demo date, and say nothing the seed does not.
"""

import datetime

from django.utils import timezone

from demo.site import upsert_page
from news.models import Government, NewsType
from policy.models import TopicPage
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory

PUBLISHER = "Kommunal- og distriktsdepartementet"


def _at_noon(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


def _paragraph(*texts):
    return [("paragraph", "".join(f"<p>{text}</p>" for text in texts))]


def load_governments():
    # Public facts: the Solberg government left office and the Støre government took over on 14.10.2021.
    Government.objects.update_or_create(
        name="Regjeringen Solberg",
        defaults={"start_date": datetime.date(2013, 10, 16), "end_date": datetime.date(2021, 10, 14)},
    )
    Government.objects.update_or_create(
        name="Regjeringen Støre", defaults={"start_date": datetime.date(2021, 10, 14), "end_date": None}
    )


def load_news(home, stdout=None):
    load_governments()
    topic = TopicPage.objects.get(slug="regional-og-distriktspolitikk")
    bygdevekst = TopicPage.objects.get(slug="bygdevekstavtaler")
    archive = upsert_page(
        home,
        NewsIndexPageFactory,
        "aktuelt",
        title="Aktuelt",
        language="nb",
        ingress="Nyheter, pressemeldinger, taler og artikler fra Kommunal- og distriktsdepartementet "
        "om regional- og distriktspolitikk.",
    )
    items = [
        {
            "slug": "statsbudsjettet-2023-regjeringa-utvidar-ordninga-for-bygdevekstavtalar",
            "title": "Statsbudsjettet 2023: Regjeringa utvidar ordninga for bygdevekstavtalar",
            "language": "nn",
            "news_type": NewsType.PRESS_RELEASE,
            "date": _at_noon(2022, 10, 6),
            "ingress": "Regjeringa føreslår å utvide ordninga med bygdevekstavtalar med 15 millionar kroner, "
            "til ei totalramme på 25 millionar kronar. Det betyr at fleire kommunar vil kunne delta i ordninga.",
            "body": _paragraph(
                "Forslaget er ein del av forslaget til statsbudsjett for 2023, som regjeringa la fram 6. oktober 2022.",
            ),
            "topics": [bygdevekst, topic],
        },
        {
            "slug": "statsbudsjettet-2023-kommunal-og-moderniseringsdepartementet",
            "title": "Statsbudsjettet 2023: Kommunal- og moderniseringsdepartementet",
            "language": "nb",
            "news_type": NewsType.NEWS,
            "date": _at_noon(2022, 10, 6),
            "ingress": "Dokumenter og pressemeldinger om statsbudsjettet på Kommunal- og distriktsdepartementets "
            "område. Inkludert foresløpige rammer for programkategori 13.50 Distrikts- og regionalpolitikk.",
            "body": _paragraph(
                "Her finner du dokumentene og pressemeldingene om regjeringens forslag til statsbudsjett for 2023 "
                "på departementets område."
            ),
            "topics": [topic],
        },
        {
            "slug": "bygdevekstavtalar-utlysing-av-pilotomrade",
            "title": "Kommunar kan søkje om å bli pilot for bygdevekstavtalar",
            "language": "nn",
            "news_type": NewsType.NEWS,
            "date": _at_noon(2022, 6, 30),
            "ingress": "Regjeringa har lyst ut midlar til utprøving av bygdevekstavtalar i inntil fem pilotområde "
            "i dei minst sentrale delane av Distrikts-Noreg. Fristen for å søkje er 30. september 2022.",
            "body": _paragraph(
                "Ein bygdevekstavtale er eit samarbeid mellom staten og kommunar i distrikta om korleis dei kan "
                "leggje til rette for vekst og utvikling.",
                "Kommunane søkjer om å bli pilotkommune. Søknadsfristen er 30. september 2022.",
            ),
            "topics": [bygdevekst],
        },
        {
            "slug": "fem-pilotomrade-for-bygdevekstavtalar-er-valde",
            "title": "Fem pilotområde for bygdevekstavtalar er valde",
            "language": "nn",
            "news_type": NewsType.PRESS_RELEASE,
            "date": _at_noon(2022, 11, 30),
            "ingress": "Regjeringa har valt ut dei fem pilotområda som skal prøve ut bygdevekstavtalar.",
            "body": _paragraph(
                "Pilotområda vart valde blant kommunane som søkte innan fristen 30. september 2022. "
                "Saman med staten skal dei prøve ut korleis bygdevekstavtalar kan bidra til utvikling "
                "i dei minst sentrale delane av landet.",
            ),
            "topics": [bygdevekst],
        },
    ]
    for item in items:
        slug = item.pop("slug")
        upsert_page(archive, NewsPageFactory, slug, publisher=PUBLISHER, **item)
    if stdout is not None:
        stdout.write(f"Aktuelt: {len(items)} saker.")
    return archive
