"""Demo content: the Regionalnytt list, its consent text, the sign-up page, the
archive with one issue, and the topic page's newsletter block pointed at the sign-up
page. Idempotent.

The issue says, in our own words, only what was published: the seed page (a new
white paper on district policy planned for spring 2023; the call for up to five
pilot areas, deadline 30 September) and regjeringen.no (10 million kroner announced
in June 2022; the 2023 budget proposal of 15 million more, 25 million in all)."""

from demo.site import upsert_page
from newsletter.models import (
    ConsentText,
    NewsletterList,
)
from policy.models import TopicPage
from tests.factories.newsletter import (
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    NewsletterSignupPageFactory,
)

CONSENT_V1 = (
    "Kommunal- og distriktsdepartementet sender deg nyhetsbrevet Regionalnytt noen ganger i året. "
    "Vi bruker e-postadressen din bare til å sende nyhetsbrevet, og vi deler den ikke med andre.\n\n"
    "Du kan melde deg av når som helst med lenken nederst i hver utgave. Da slutter vi å sende deg "
    "nyhetsbrevet med en gang. Ber du om det, sletter vi adressen din helt."
)


def load(home, stdout=None):
    regionalnytt, _ = NewsletterList.objects.update_or_create(
        slug="regionalnytt",
        defaults={
            "name": "Regionalnytt",
            "description": "Inspirasjon og informasjon om regional- og distriktspolitikk.",
        },
    )
    ConsentText.objects.get_or_create(newsletter_list=regionalnytt, version=1, defaults={"text": CONSENT_V1})

    signup = upsert_page(
        home,
        NewsletterSignupPageFactory,
        "regionalnytt-meld-deg-pa",
        title="Regionalnytt – meld deg på",
        language="nb",
        ingress="Regionalnytt er et nyhetsbrev med inspirasjon og informasjon om regional- og distriktspolitikk.",
        newsletter_list=regionalnytt,
    )
    archive = upsert_page(
        home,
        NewsletterIndexPageFactory,
        "regionalnytt",
        title="Regionalnytt",
        language="nb",
        ingress="Alle utgaver av nyhetsbrevet Regionalnytt om regional- og distriktspolitikk.",
        newsletter_list=regionalnytt,
        signup_page=signup,
    )
    melding = TopicPage.objects.filter(slug="ny-distriktsmelding").first()
    bygdevekst = TopicPage.objects.filter(slug="bygdevekstavtaler").first()
    links = [
        {"page": page, "url": "", "title": "", "lang": page.language if page.language != "nb" else ""}
        for page in (melding, bygdevekst)
        if page
    ]
    upsert_page(
        archive,
        NewsletterIssuePageFactory,
        "distriktsmelding-bygdevekstavtaler-og-statsbudsjettet",
        title="Ny distriktsmelding, bygdevekstavtaler og statsbudsjettet for 2023",
        language="nb",
        ingress=(
            "I denne utgaven: arbeidet med en ny distriktsmelding, utprøvingen av bygdevekstavtaler "
            "og hva forslaget til statsbudsjett for 2023 betyr for ordningen."
        ),
        body=[
            ("heading", {"text": "Arbeidet med ny distriktsmelding er i gang", "level": "h2"}),
            (
                "paragraph",
                "<p>Regjeringen har begynt arbeidet med en ny distriktsmelding. Planen er å legge den fram "
                "for Stortinget våren 2023.</p>",
            ),
            ("heading", {"text": "Bygdevekstavtaler prøves ut", "level": "h2"}),
            (
                "paragraph",
                "<p>I juni 2022 lyste regjeringen ut 10 millioner kroner til å prøve ut bygdevekstavtaler i "
                "inntil fem pilotområder i de minst sentrale delene av landet. Kommunene kunne søke om å bli "
                "pilotkommune fram til 30. september 2022.</p>",
            ),
            ("heading", {"text": "Statsbudsjettet for 2023", "level": "h2"}),
            (
                "paragraph",
                "<p>I forslaget til statsbudsjett for 2023 vil regjeringen øke rammen for bygdevekstavtaler med "
                "15 millioner kroner, til 25 millioner kroner i alt, slik at flere kommuner kan bli med.</p>",
            ),
            ("link_list", {"heading": "Les mer", "links": links}),
        ],
    )
    _link_topic_block(signup)
    if stdout:
        stdout.write("Newsletter: Regionalnytt list, sign-up page and archive with one issue.")


def _link_topic_block(signup):
    """Point the topic page's "newsletter" block at the sign-up page and republish."""
    topic = TopicPage.objects.filter(slug="regional-og-distriktspolitikk").first()
    if topic is None:
        return
    blocks, changed = [], False
    for block in topic.body:
        value = block.value
        if block.block_type == "newsletter" and getattr(value.get("link"), "pk", None) != signup.pk:
            value["link"] = signup
            changed = True
        blocks.append((block.block_type, value))
    if changed:
        topic.body = blocks
        topic.save_revision().publish()
