"""A small topic tree built with the factories: an area, a bokmål topic with a contact
block, a newsletter call to action and two teasers, and a nynorsk sub-topic."""

import pytest

from tests.factories.policy import ContactPointFactory, TopicPageFactory


@pytest.fixture
def contact(db):
    return ContactPointFactory(
        unit="Fjellseksjonen", phone="22 11 22 33", visiting_address="Fjellgata 7, Oslo", email="fjell@dep.example"
    )


@pytest.fixture
def topic(home, contact):
    """A bokmål topic page two levels down, with a nynorsk sub-topic (`topic.subtopic`)
    and a bokmål one, both shown as teasers in its body."""
    area = TopicPageFactory(parent=home, title="Kommuneområdet", slug="omrade")
    topic = TopicPageFactory(
        parent=area, title="Fjellpolitikk", slug="fjellpolitikk", ingress="Målet er levande fjellbygder i heile landet."
    )
    nynorsk = TopicPageFactory(
        parent=topic,
        title="Stølsavtalar",
        slug="stolsavtalar",
        language="nn",
        ingress="Regjeringa har lyst ut midlar til utprøving av stølsavtalar i fjellet.",
    )
    bokmal = TopicPageFactory(parent=topic, title="Ny fjellmelding", slug="ny-fjellmelding")
    item = {"url": "", "title": "", "text": ""}
    topic.body = [
        (
            "featured_items",
            {"heading": "", "items": [{**item, "page": bokmal, "lang": ""}, {**item, "page": nynorsk, "lang": "nn"}]},
        ),
        (
            "newsletter",
            {"heading": "Meld deg på fjellbrevet", "text": "", "link": None, "link_text": "Meld deg på", "lang": ""},
        ),
        ("contact", {"contact": contact}),
    ]
    topic.save_revision().publish()
    topic.subtopic = nynorsk
    return topic
