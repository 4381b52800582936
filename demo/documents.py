"""Demo documents: the seed's two documents, a few real white papers and reports
with their official numbers, clearly marked example documents of other types (so
the finder's facets have something to count), and a data table from SSB's
centrality index read from REFERENCE_DATA_DIR. Idempotent."""

import csv
import datetime
import io
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection

from demo.site import upsert_page
from documents.models import DocumentAttachment, DocumentType
from policy.models import ContactPoint, TopicPage
from tests.factories.documents import DocumentIndexPageFactory, DocumentPageFactory
from tests.factories.pdf import text_pdf

CENTRALITY_FILE = "centrality_ssb_2023_municipalities_2024.csv"
CENTRALITY_CREDIT = "Kilde: Statistisk sentralbyrå (SSB), sentralitetsindeksen 2023"
DEMO_PDF_NOTE = [
    "Dette er en demoversjon laget av load_demo.",
    "Det offisielle dokumentet finnes på regjeringen.no.",
]
EXAMPLE_NOTE = "Eksempeldokument i demoinnholdet; det finnes ikke noe slikt dokument."


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


def demo_pdf(title, page_count, language="nb-NO"):
    pages = [DEMO_PDF_NOTE + [f"Kapittel {n}"] for n in range(1, page_count + 1)]
    return text_pdf(title, pages, language=language)


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


def chapter(heading, *paragraphs):
    return ("chapter", {"heading": heading, "body": "".join(f"<p>{p}</p>" for p in paragraphs)})


DISTRICT_INDEX_CHAPTERS = [
    chapter(
        "Hva er distriktsindeksen?",
        "Distriktsindeksen er et verktøy for å peke ut distriktskommuner og viser graden av distriktsutfordringer "
        "i hver kommune. Indeksen er lagt til grunn for fordelingen av distrikts- og regionalpolitiske virkemidler.",
    ),
    (
        "chapter",
        {
            "heading": "De fire indikatorene",
            "body": "<ol>"
            "<li>SSBs sentralitetsindeks (40 prosent)</li>"
            "<li>Befolkningsvekst siste ti år (40 prosent)</li>"
            "<li>Sysselsettingsvekst siste ti år (10 prosent)</li>"
            "<li>Ensidig næringsstruktur, Herfindahlsindeksen for privat sektor (10 prosent)</li></ol>",
        },
    ),
    chapter(
        "Slik leser du indeksen",
        "Indeksen rangerer kommunene etter graden av distriktsutfordringer. Kommuner med de laveste verdiene har "
        "de største distriktsutfordringene. Kommuner med de høyeste verdiene har de minste distriktsutfordringene.",
    ),
    chapter(
        "Tallene for hver kommune",
        "Beregningene og datagrunnlaget for hver kommune står i den offisielle beregningsfila fra departementet. "
        "Tabellen vises her når fila er lastet opp.",
        "SSBs sentralitetsindeks, som er den første av de fire indikatorene, finner du som tabell på siden "
        "«Sentralitetsindeksen 2023 for kommunene».",
    ),
]


def load_documents_demo(home, stdout=None):
    index = upsert_page(
        home,
        DocumentIndexPageFactory,
        "dokumenter",
        title="Dokumenter",
        language="nb",
        ingress="Retningslinjer, meldinger til Stortinget, utredninger, rapporter og statistikk om regional- og distriktspolitikk.",
    )
    topics = {t.slug: t for t in TopicPage.objects.all()}
    policy_topic = topics.get("regional-og-distriktspolitikk")
    melding = topics.get("ny-distriktsmelding")
    bygdevekst = topics.get("bygdevekstavtaler")
    contact = ContactPoint.objects.filter(unit="Regionalpolitisk avdeling").first()

    def tags(*pages):
        return [p for p in pages if p is not None]

    def document(slug, attachments=(), **fields):
        fields.setdefault("contact_point", contact)
        fields["attachments"] = [DocumentAttachment(document=d, title=t) for t, d in attachments]
        return upsert_page(index, DocumentPageFactory, slug, **fields)

    guidelines_pdf = upload(
        "Retningslinjer for lokalisering av statlege arbeidsplassar (demo)",
        "Retningslinjer for lokalisering.pdf",
        demo_pdf("Retningslinjer for lokalisering av statlege arbeidsplassar", 6, "nn-NO"),
    )
    document(
        "retningslinjer-lokalisering-statlege-arbeidsplassar",
        [("Retningslinjer", guidelines_pdf)],
        title="Retningslinjer for lokalisering av statlege arbeidsplassar og statleg tenesteproduksjon",
        language="nn",
        document_type=DocumentType.GUIDELINES,
        date=datetime.date(2022, 8, 12),
        decision_note="Fastsett ved kgl.res. 12.08.2022",
        ingress=(
            "Retningslinjene fastset føremål for den statlege lokaliseringspolitikken, og vurderings- og "
            "prosedyrekrav i samband med lokalisering av statlege arbeidsplassar og statleg tenesteproduksjon."
        ),
        topics=tags(policy_topic),
    )

    index_pdf = upload(
        "Distriktsindeksen 2022 (demo)", "Distriktsindeksen 2022.pdf", demo_pdf("Distriktsindeksen 2022", 3)
    )
    document(
        "distriktsindeksen-2022",
        [("Distriktsindeksen 2022, rapport", index_pdf)],
        title="Distriktsindeksen 2022",
        language="nb",
        document_type=DocumentType.STATISTICS,
        # The seed does not give the day of publication; the year is what the finder uses.
        date=datetime.date(2022, 1, 1),
        ingress=(
            "Distriktsindeksen for 2022 er oppdatert og er lagt til grunn for fordelingen av distrikts- og "
            "regionalpolitiske virkemidler. Distriktsindeksen er et verktøy for å peke ut distriktskommuner og "
            "viser graden av distriktsutfordringer disse kommunene har."
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
            date=datetime.date(2024, 1, 1),
            publisher="Statistisk sentralbyrå (SSB)",
            ingress=(
                "SSBs sentralitetsindeks måler hvor sentral hver kommune er, ut fra hvor mange arbeidsplasser og "
                "servicefunksjoner innbyggerne kan nå innen 90 minutters reise. Klasse 1 er mest sentral, klasse 6 minst."
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

    # Real documents with their official numbers and titles (regjeringen.no).
    nou_pdf = upload("NOU 2020: 15 (demo)", "NOU 2020 15.pdf", demo_pdf("NOU 2020: 15 Det handler om Norge", 2))
    document(
        "nou-2020-15",
        [("NOU 2020: 15 Det handler om Norge", nou_pdf)],
        title="Det handler om Norge — Utredning om konsekvenser av demografiutfordringer i distriktene",
        language="nb",
        document_type=DocumentType.NOU,
        document_number="NOU 2020: 15",
        date=datetime.date(2020, 12, 4),
        ingress="Utvalget ble oppnevnt ved kongelig resolusjon 11. oktober 2019 for å utrede konsekvensene av demografiutfordringer i distriktene.",
        topics=tags(policy_topic, melding),
    )
    document(
        "meld-st-5-2019-2020",
        title="Levende lokalsamfunn for fremtiden — Distriktsmeldingen",
        language="nb",
        document_type=DocumentType.WHITE_PAPER,
        document_number="Meld. St. 5 (2019–2020)",
        date=datetime.date(2019, 10, 11),
        publisher="Kommunal- og moderniseringsdepartementet",
        ingress="Kommunal- og moderniseringsdepartementet legger fram en melding om framtidens distriktspolitikk.",
        topics=tags(policy_topic, melding),
    )
    document(
        "meld-st-18-2016-2017",
        title="Berekraftige byar og sterke distrikt",
        language="nn",
        document_type=DocumentType.WHITE_PAPER,
        document_number="Meld. St. 18 (2016–2017)",
        date=datetime.date(2017, 4, 7),
        publisher="Kommunal- og moderniseringsdepartementet",
        ingress="Ei overordna stortingsmelding om politikk for utvikling i byar og distrikt.",
        topics=tags(policy_topic),
    )
    document(
        "prop-1-s-2022-2023",
        title="For budsjettåret 2023 — Kommunal- og distriktsdepartementet",
        language="nb",
        document_type=DocumentType.PROPOSITION,
        document_number="Prop. 1 S (2022–2023)",
        date=datetime.date(2022, 10, 6),
        ingress="Departementets budsjettproposisjon for 2023.",
        topics=tags(policy_topic),
    )

    # Example documents of types without numbers: marked as examples in their text.
    examples = [
        (
            "eksempel-horing-bygdevekstavtaler",
            "Høyring om bygdevekstavtalar (eksempel)",
            "nn",
            DocumentType.CONSULTATION,
            (2023, 3, 1),
            [bygdevekst],
        ),
        (
            "eksempel-strategi-distriktsnaering",
            "Strategi for næringsutvikling i distrikta (eksempel)",
            "nn",
            DocumentType.PLAN,
            (2023, 6, 15),
            [policy_topic],
        ),
        (
            "eksempel-rapport-pilotomrader",
            "Rapport om pilotområder for bygdevekstavtaler (eksempel)",
            "nb",
            DocumentType.REPORT,
            (2024, 2, 1),
            [bygdevekst],
        ),
        (
            "eksempel-rundskriv-regionale-midler",
            "Rundskriv om regionale utviklingsmidler (eksempel)",
            "nb",
            DocumentType.CIRCULAR,
            (2024, 1, 10),
            [policy_topic],
        ),
        (
            "eksempel-tildelingsbrev",
            "Tildelingsbrev til et underliggende organ (eksempel)",
            "nb",
            DocumentType.ALLOCATION_LETTER,
            (2024, 12, 20),
            [policy_topic],
        ),
    ]
    for slug, title, language, doc_type, ymd, topic_pages in examples:
        document(
            slug,
            title=title,
            language=language,
            document_type=doc_type,
            date=datetime.date(*ymd),
            ingress=EXAMPLE_NOTE,
            topics=tags(*topic_pages),
        )
    return index
