"""Demo news: only items that were really published, each written here in our own
words from the published facts (no quotes, no figures beyond the source's).
Idempotent: `load_demo` updates these instead of adding copies, and removes the
items earlier versions of the demo made up.

Sources:
- the seed page's «Aktuelt nå» (/work/shared/seed), which gives both items and the
  date of the first (06.10.2022);
- regjeringen.no, «Regjeringa utvidar ordninga for bygdevekstavtalar» (id2931895):
  the 2023 budget proposes 15 million kroner more, 25 million in all; 10 million were
  announced before the summer of 2022 with 30 September as the deadline; up to five
  projects in two counties, one of them Finnmark; phase 1 prepares an agreement,
  phase 2 carries it out;
- the second item is the ministry's overview of its 2023 budget proposal, dated as
  the budget itself: the Government presented Prop. 1 S (2022–2023) on 6 October 2022
  (Innst. 16 S (2022–2023) from the Storting says so).
"""

import datetime

from django.utils import timezone

from demo.site import upsert_page
from news.models import Government, NewsPage, NewsType
from policy.models import TopicPage
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory

PUBLISHER = "Kommunal- og distriktsdepartementet"
# Items earlier versions of the demo invented (their dates were guesses); removed on load.
RETIRED_SLUGS = ["bygdevekstavtalar-utlysing-av-pilotomrade", "fem-pilotomrade-for-bygdevekstavtalar-er-valde"]


def _at_noon(year, month, day):
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


def _paragraphs(*texts):
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


def news_items(topic, bygdevekst):
    """The demo's news items as page fields, by slug."""
    return {
        "statsbudsjettet-2023-regjeringa-utvidar-ordninga-for-bygdevekstavtalar": {
            "title": "Statsbudsjettet 2023: Regjeringa utvidar ordninga for bygdevekstavtalar",
            "language": "nn",
            "news_type": NewsType.PRESS_RELEASE,
            "date": _at_noon(2022, 10, 6),
            "ingress": "I budsjettforslaget for 2023 vil regjeringa auke ramma for bygdevekstavtalar med "
            "15 millionar kroner, til 25 millionar kroner i alt, slik at fleire kommunar kan bli med.",
            "body": _paragraphs(
                "Før sommaren 2022 lyste departementet ut 10 millionar kroner til å prøve ut bygdevekstavtalar, "
                "med søknadsfrist 30. september. Det var då varsla at inntil fem prosjekt i to fylke skulle "
                "veljast, og at Finnmark skulle vere det eine.",
                "Kommunane som blir med, får først pengar til å førebu ein avtale med staten. Blir det inngått "
                "ein avtale, kan dei søkje om pengar til å gjennomføre han.",
                "Den auka ramma krev at Stortinget sluttar seg til budsjettforslaget.",
            ),
            "topics": [bygdevekst, topic],
        },
        "statsbudsjettet-2023-kommunal-og-moderniseringsdepartementet": {
            "title": "Statsbudsjettet 2023: Kommunal- og moderniseringsdepartementet",
            "language": "nb",
            "news_type": NewsType.NEWS,
            "date": _at_noon(2022, 10, 6),
            "ingress": "Departementets forslag til statsbudsjett for 2023 samlet på ett sted: dokumentene, "
            "pressemeldingene og de foreløpige rammene for programkategori 13.50 Distrikts- og regionalpolitikk.",
            "body": _paragraphs(
                "Regjeringen la fram forslaget til statsbudsjett for 2023 den 6. oktober 2022. Departementets "
                "del av forslaget står i Prop. 1 S (2022–2023), som du finner under «Dokumenter».",
            ),
            "topics": [topic],
        },
    }


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
    for page in NewsPage.objects.child_of(archive).filter(slug__in=RETIRED_SLUGS):
        page.delete()
    items = news_items(topic, bygdevekst)
    for slug, fields in items.items():
        upsert_page(archive, NewsPageFactory, slug, publisher=PUBLISHER, **fields)
    if stdout is not None:
        stdout.write(f"Aktuelt: {len(items)} saker.")
    return archive
