"""Demo documents: only documents that exist, described in our own words from public
facts, and a data table of SSB's centrality index read from REFERENCE_DATA_DIR.
Idempotent; it also removes what earlier versions of the demo invented.

The official PDFs are not ours to copy. Where a page in the demo has a PDF, it is a
short summary we wrote, titled as such; the other pages have no attachment.

Sources (regjeringen.no unless named):
- «Retningslinjer for lokalisering av statlege arbeidsplassar og statleg
  tenesteproduksjon», fastsett ved kgl.res. 12.08.2022 (the seed page);
- «Distriktsindeksen 2022» (id2931875): what the index is for, its four indicators
  and their weights, how to read it, the 2017 index still used for the district grants
  in 2023. The page gives no date; the demo uses 6 October 2022, the day of the 2023
  budget, among whose documents regjeringen.no numbered it (id2931755 to id2931895);
- NOU 2020: 15 (id2788079): committee appointed by royal decree 11.10.2019, report
  delivered 04.12.2020;
- Meld. St. 5 (2019–2020) (id2674349), presented on Friday 11.10.2019 (Kommunal Rapport);
- Meld. St. 18 (2016–2017) (id2539348), presented 17.02.2017 (the ministry's topic page);
- Prop. 1 S (2022–2023) (id2931755), presented 06.10.2022 (Innst. 16 S (2022–2023));
- SSB's centrality index, updated for the 2024 municipalities (ssb.no).
"""

import csv
import datetime
import io
import textwrap
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from demo.site import upsert_page
from documents.models import DocumentAttachment, DocumentPage, DocumentType, FeaturedDocument
from policy.models import ContactPoint, TopicPage
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.pdf import text_pdf

CENTRALITY_FILE = "centrality_ssb_2023_municipalities_2024.csv"
CENTRALITY_CREDIT = "Kilde: Statistisk sentralbyrå (SSB), sentralitetsindeksen 2023"
OLD_MINISTRY = "Kommunal- og moderniseringsdepartementet"

# Pages and files earlier versions of the demo made up; removed on load.
RETIRED_PAGES = [
    "eksempel-horing-bygdevekstavtaler",
    "eksempel-strategi-distriktsnaering",
    "eksempel-rapport-pilotomrader",
    "eksempel-rundskriv-regionale-midler",
    "eksempel-tildelingsbrev",
]
RETIRED_FILES = [
    "Retningslinjer for lokalisering av statlege arbeidsplassar (demo)",
    "Distriktsindeksen 2022 (demo)",
    "NOU 2020: 15 (demo)",
]


def upload(title, filename, data):
    """A Wagtail document with this title, uploaded once."""
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        # A flushed test database has no root collection; Wagtail's migration made the first one.
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        document = Document(title=title, collection=root)
        document.file.save(filename, ContentFile(data), save=False)
        document.save()
    return document


NOT_OFFICIAL = {
    "nb-NO": [
        "Sammendrag skrevet for demoinnholdet. Dette er ikke det offisielle",
        "dokumentet; det finnes på regjeringen.no.",
    ],
    "nn-NO": [
        "Samandrag skrive for demoinnhaldet. Dette er ikkje det offisielle",
        "dokumentet; det finst på regjeringen.no.",
    ],
}


def summary_pdf(title, texts, language):
    """A one-page PDF of our own summary, saying on the page that it is not the
    official document."""
    lines = [*NOT_OFFICIAL[language], ""]
    for text in texts:
        lines += [*textwrap.wrap(text, 80), ""]
    return text_pdf(title, [lines], language=language)


def centrality_csv():
    """SSB's centrality classes per municipality, read from the shared reference data,
    with Norwegian column names; None when the folder is missing."""
    path = Path(settings.REFERENCE_DATA_DIR) / CENTRALITY_FILE
    if not path.is_file():
        return None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["Kommune", "Kommunenummer", "Sentralitetsindeks 2023", "Sentralitetsklasse", "Intervall for klassen"]
    )
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            writer.writerow(
                [
                    row["municipality_name_ssb"],
                    row["municipality_number"],
                    row["centrality_index_2023"],
                    row["centrality_class_2023"],
                    row["class_interval"].replace("-", "–"),
                ]
            )
    return out.getvalue().encode("utf-8")


def chapter(heading, body):
    return ("chapter", {"heading": heading, "body": body})


def paragraphs(*texts):
    return "".join(f"<p>{text}</p>" for text in texts)


GUIDELINES_SUMMARY = [
    "Retningslinjene gjeld når staten skal bestemme kvar statlege arbeidsplassar og statleg "
    "tenesteproduksjon skal liggje.",
    "Dei seier kva staten vil oppnå med lokaliseringspolitikken, kva som skal vurderast før ein "
    "bestemmer seg, og korleis arbeidet skal gå føre seg.",
    "Retningslinjene vart fastsette ved kongeleg resolusjon 12. august 2022.",
]
DISTRICT_INDEX_SUMMARY = [
    "Distriktsindeksen viser hvor store distriktsutfordringer hver kommune har, og brukes til å "
    "peke ut distriktskommuner. Utgaven for 2022 ligger til grunn når de distrikts- og "
    "regionalpolitiske virkemidlene fordeles.",
    "Indeksen veier sammen fire indikatorer: SSBs sentralitetsindeks (40 prosent), befolkningsveksten "
    "de siste ti årene (40 prosent), sysselsettingsveksten de siste ti årene (10 prosent) og hvor "
    "ensidig det private næringslivet er, målt med Herfindahl-indeksen (10 prosent).",
    "Jo lavere verdi en kommune får, desto større er distriktsutfordringene.",
]

DISTRICT_INDEX_CHAPTERS = [
    chapter(
        "Hva indeksen brukes til",
        paragraphs(
            "Distriktsindeksen viser hvor store distriktsutfordringer hver kommune har, og er departementets "
            "verktøy for å avgjøre hvilke kommuner som regnes som distriktskommuner. Utgaven for 2022 ligger "
            "til grunn når de distrikts- og regionalpolitiske virkemidlene fordeles.",
            "Distriktstilskuddene i inntektssystemet for kommunene (Sør-Norge og Nord-Norge) bruker i 2023 "
            "fortsatt indeksen fra 2017.",
        ),
    ),
    chapter(
        "Fire indikatorer med hver sin vekt",
        "<ul>"
        "<li>SSBs sentralitetsindeks: 40 prosent</li>"
        "<li>Befolkningsveksten de siste ti årene: 40 prosent</li>"
        "<li>Sysselsettingsveksten de siste ti årene: 10 prosent</li>"
        "<li>Hvor ensidig det private næringslivet er, målt med Herfindahl-indeksen: 10 prosent</li>"
        "</ul>",
    ),
    chapter(
        "Slik leser du tallene",
        paragraphs(
            "Kommunene rangeres etter hvor store distriktsutfordringer de har. Jo lavere verdi en kommune "
            "får, desto større er utfordringene; de høyeste verdiene betyr de minste utfordringene.",
            "Verdiene for hver kommune og grunnlaget for beregningen står i departementets beregningsfil på "
            "regjeringen.no, som ikke er tatt med i demoen. SSBs sentralitetsindeks, den første av indikatorene, "
            "finner du som tabell på siden «Sentralitetsindeksen 2023 for kommunene».",
        ),
    ),
]


def load_documents_demo(home, stdout=None):
    index = upsert_page(
        home,
        DocumentIndexPageFactory,
        "dokumenter",
        title="Dokumenter",
        language="nb",
        ingress="Retningslinjer, meldinger til Stortinget, utredninger, proposisjoner og statistikk om "
        "regional- og distriktspolitikk.",
    )
    retire_pages(index)
    topics = {t.slug: t for t in TopicPage.objects.all()}
    policy_topic = topics.get("regional-og-distriktspolitikk")
    melding = topics.get("ny-distriktsmelding")
    contact = ContactPoint.objects.filter(unit="Regionalpolitisk avdeling").first()

    def tags(*pages):
        return [p for p in pages if p is not None]

    def document(slug, attachments=(), **fields):
        fields.setdefault("contact_point", contact)
        fields["attachments"] = [DocumentAttachment(document=d, title=t) for t, d in attachments]
        return upsert_page(index, DocumentPageFactory, slug, **fields)

    guidelines_summary = upload(
        "Retningslinjer for lokalisering: samandrag laga for demoen",
        "samandrag-retningslinjer-lokalisering.pdf",
        summary_pdf("Retningslinjer for lokalisering: vårt samandrag", GUIDELINES_SUMMARY, "nn-NO"),
    )
    guidelines = document(
        "retningslinjer-lokalisering-statlege-arbeidsplassar",
        [("Samandrag laga for demoen (ikkje det offisielle dokumentet)", guidelines_summary)],
        title="Retningslinjer for lokalisering av statlege arbeidsplassar og statleg tenesteproduksjon",
        language="nn",
        document_type=DocumentType.GUIDELINES,
        date=datetime.date(2022, 8, 12),
        decision_note="Fastsett ved kgl.res. 12.08.2022",
        ingress=(
            "Kva staten vil oppnå med lokaliseringspolitikken, og kva som skal vurderast og korleis ein skal gå "
            "fram når statlege arbeidsplassar og statleg tenesteproduksjon skal plasserast."
        ),
        topics=tags(policy_topic),
    )

    index_summary = upload(
        "Distriktsindeksen 2022: sammendrag laget for demoen",
        "sammendrag-distriktsindeksen-2022.pdf",
        summary_pdf("Distriktsindeksen 2022: vårt sammendrag", DISTRICT_INDEX_SUMMARY, "nb-NO"),
    )
    district_index = document(
        "distriktsindeksen-2022",
        [("Sammendrag laget for demoen (ikke den offisielle rapporten)", index_summary)],
        title="Distriktsindeksen 2022",
        language="nb",
        document_type=DocumentType.STATISTICS,
        date=datetime.date(2022, 10, 6),
        ingress=(
            "Den oppdaterte distriktsindeksen for 2022 viser hvor store distriktsutfordringer hver kommune har, "
            "og ligger til grunn når de distrikts- og regionalpolitiske virkemidlene fordeles."
        ),
        body=DISTRICT_INDEX_CHAPTERS,
        topics=tags(policy_topic),
    )

    data = centrality_csv()
    if data is None:
        if stdout:
            stdout.write(f"Skipped the centrality table: {CENTRALITY_FILE} not found in REFERENCE_DATA_DIR.")
    else:
        table_file = upload("Sentralitetsindeksen 2023 for kommunene (SSB)", "sentralitet-2023-kommuner.csv", data)
        document(
            "sentralitetsindeksen-2023-kommuner",
            title="Sentralitetsindeksen 2023 for kommunene",
            language="nb",
            document_type=DocumentType.STATISTICS,
            # Not a publication date: the classification is for the municipalities in force from 1 January 2024.
            date=datetime.date(2024, 1, 1),
            publisher="Statistisk sentralbyrå (SSB)",
            ingress=(
                "SSBs sentralitetsindeks gir hver kommune et mål for hvor sentral den er, ut fra reisetiden fra "
                "alle bebodde grunnkretser til arbeidsplasser og servicefunksjoner. Her for 2024-kommunene, med "
                "befolkningstall fra 1. januar 2023. Klasse 1 er mest sentral, klasse 6 minst."
            ),
            body=[
                (
                    "data_table",
                    {
                        "file": table_file,
                        "caption": "Sentralitetsindeks og sentralitetsklasse per kommune (kommuneinndeling 2024)",
                        "source": CENTRALITY_CREDIT,
                        "header_row": True,
                        "row_headers": True,
                        "lang": "",
                    },
                )
            ],
            topics=tags(policy_topic),
        )

    document(
        "nou-2020-15",
        title="Det handler om Norge — Utredning om konsekvenser av demografiutfordringer i distriktene",
        language="nb",
        document_type=DocumentType.NOU,
        document_number="NOU 2020: 15",
        date=datetime.date(2020, 12, 4),
        publisher=OLD_MINISTRY,
        ingress=(
            "Utvalget som ble oppnevnt ved kongelig resolusjon 11. oktober 2019, skulle finne ut hva "
            "demografiutfordringene betyr for distriktene. Utredningen ble levert 4. desember 2020."
        ),
        topics=tags(policy_topic, melding),
    )
    document(
        "meld-st-5-2019-2020",
        title="Levende lokalsamfunn for fremtiden — Distriktsmeldingen",
        language="nb",
        document_type=DocumentType.WHITE_PAPER,
        document_number="Meld. St. 5 (2019–2020)",
        date=datetime.date(2019, 10, 11),
        publisher=OLD_MINISTRY,
        ingress="Den forrige regjeringens melding til Stortinget om distriktspolitikken, lagt fram 11. oktober 2019.",
        topics=tags(policy_topic, melding),
    )
    document(
        "meld-st-18-2016-2017",
        title="Berekraftige byar og sterke distrikt",
        language="nn",
        document_type=DocumentType.WHITE_PAPER,
        document_number="Meld. St. 18 (2016–2017)",
        date=datetime.date(2017, 2, 17),
        publisher=OLD_MINISTRY,
        ingress="Ei stortingsmelding som ser by- og distriktspolitikken under eitt, som ein felles politikk for "
        "den regionale utviklinga i heile landet.",
        topics=tags(policy_topic),
    )
    document(
        "prop-1-s-2022-2023",
        title="For budsjettåret 2023 — Kommunal- og distriktsdepartementet",
        language="nn",
        document_type=DocumentType.PROPOSITION,
        document_number="Prop. 1 S (2022–2023)",
        date=datetime.date(2022, 10, 6),
        ingress="Departementet sitt forslag til statsbudsjett for 2023, lagt fram 6. oktober 2022.",
        topics=tags(policy_topic),
    )

    if policy_topic is not None:
        feature(policy_topic, [guidelines, district_index])
    # Last: the pages above no longer use these files.
    get_document_model().objects.filter(title__in=RETIRED_FILES).delete()
    return index


def feature(topic, documents):
    """Put the seed page's two documents first in the topic's «Dokumenter» section."""
    if [row.document_id for row in topic.featured_documents.all()] == [d.pk for d in documents]:
        return
    topic.featured_documents = [FeaturedDocument(document=d) for d in documents]
    topic.save_revision().publish()


def retire_pages(index):
    """Remove the made-up pages of earlier versions of the demo."""
    for page in DocumentPage.objects.child_of(index).filter(slug__in=RETIRED_PAGES):
        page.delete()
