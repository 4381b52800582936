"""The English pages of the demo: the English home page at /en/ and «Regional and
district policy in Norway», the translation of the topic page, written by hand from
the facts on the seed page (no figure that the seed does not give). Each is a Wagtail
translation of its Norwegian original, as «Translate» in the admin makes it, so the two
are linked with hreflang and the header's language link. Idempotent."""

from wagtail.models import Page

from policy.models import ContactPoint, TopicPage
from tests.factories.policy import translate_to_english

TOPIC_INGRESS = (
    "Different parts of Norway face different challenges and opportunities. The aim of the "
    "regional and district policy is regional balance: growth, equal living conditions and "
    "sustainable regions throughout the country."
)


def _section(heading, html):
    return [("heading", {"text": heading, "level": "h2"}), ("paragraph", html)]


def _topic_body(growth_agreements, contact):
    body = [
        *_section(
            "Why regional policy",
            "<p>How many people live in an area, where people move, and which industries grow or "
            "decline there all shape how a region develops. Regional and district policy works for "
            "balance between the regions, so that people can live good lives wherever they settle.</p>",
        ),
        *_section(
            "A new white paper on rural areas",
            "<p>The Government has started work on a new white paper on district policy "
            '(<span lang="nb">distriktsmelding</span>). It is planned to be presented to the '
            "Storting, the Norwegian parliament, in the spring of 2023.</p>",
        ),
        *_section(
            "Rural growth agreements",
            "<p>The Government has set aside funds to try out rural growth agreements "
            '(<span lang="nn">bygdevekstavtalar</span>) in up to five pilot areas in the least '
            "central parts of rural Norway. In its budget proposal for 2023 it proposes to extend the "
            "scheme by NOK 15 million, to NOK 25 million in all, so that more municipalities can take "
            "part.</p>",
        ),
        *_section(
            "Where the state locates its jobs, and the district index",
            "<p>Guidelines adopted by Royal Decree on 12 August 2022 set the aims of the state's "
            "location policy, and how a decision to place state jobs and services is to be assessed "
            'and made.</p><p>The district index (<span lang="nb">Distriktsindeksen</span>) shows '
            "how far each municipality faces the challenges of rural areas. The 2022 index is the basis "
            "on which regional and district policy funds are shared out.</p>",
        ),
        (
            "featured_items",
            {
                "heading": "Read more in Norwegian",
                "items": [{"page": growth_agreements, "url": "", "title": "", "text": "", "lang": "nn"}],
            },
        ),
    ]
    if contact is not None:
        body.append(("contact", {"contact": contact}))
    return body


def load_english(home, stdout=None):
    """The English home page and the English topic page, below the translation of
    «Kommuner og regioner»."""
    area = Page.objects.child_of(home).filter(slug="kommuner-og-regioner").first()
    topic = TopicPage.objects.filter(slug="regional-og-distriktspolitikk").descendant_of(home).first()
    if area is None or topic is None:
        return None
    growth_agreements = Page.objects.child_of(topic).filter(slug="bygdevekstavtaler").first()
    english_home = translate_to_english(
        home,
        title="Regional and district policy",
        ingress="English pages of the Norwegian Ministry of Local Government and Regional Development "
        "(Kommunal- og distriktsdepartementet) on regional and district policy.",
        body=[],
    )
    translate_to_english(
        area,
        slug="municipalities-and-regions",
        title="Municipalities and regions",
        ingress="The ministry is responsible for the municipal sector and for regional and district policy.",
        body=[],
    )
    english_topic = translate_to_english(
        topic,
        slug="regional-and-district-policy",
        title="Regional and district policy in Norway",
        ingress=TOPIC_INGRESS,
        body=_topic_body(growth_agreements, ContactPoint.objects.filter(unit="Regionalpolitisk avdeling").first()),
    )
    english_home.body = [
        (
            "featured_items",
            {
                "heading": "",
                "items": [{"page": english_topic, "url": "", "title": "", "text": "", "lang": ""}],
            },
        )
    ]
    english_home.save_revision().publish()
    return english_topic
