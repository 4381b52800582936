"""Test data for the documents tests: hostile PDFs, the shared set of documents the
finder and page tests read, and many document pages built quickly for query counts."""

import datetime

from django.db import connection

from documents.models import DocumentPage, DocumentType
from tests.factories.documents import (
    DocumentAttachmentFactory,
    DocumentFactory,
    DocumentIndexPageFactory,
    DocumentPageFactory,
    chapter,
    data_table,
)
from tests.factories.pdf import pdf_from_objects
from tests.factories.policy import ContactPointFactory, TopicPageFactory
from tests.perf.data.common import bulk_add_pages, index_pages

NESTED_PDF = pdf_from_objects(
    [
        b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 100_000 + b"]" * 100_000 + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>",
    ]
)
# A page tree that claims two billion pages and points back at itself.
LYING_PAGE_TREE_PDF = pdf_from_objects(
    [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 2000000000 >>",
    ]
)


# A PDF of six pages, 3,292 bytes: its label reads "Retningslinjer (PDF, 3 KB, 6 sider)".
GUIDELINES_PDF_PAGES = [
    [f"Kapittel {n}", "Føremål og krav ved plassering av statlege arbeidsplassar."] for n in range(1, 7)
]
GUIDELINES_ATTACHMENT = "Retningslinjer"


def guidelines_document(index, **fields):
    """A nynorsk guideline with one attachment, «Retningslinjer», a six-page PDF."""
    pdf = DocumentFactory(title="Retningslinjer for plassering (PDF)", pages=GUIDELINES_PDF_PAGES, pdf_language="nn-NO")
    fields = {
        "title": "Retningslinjer for plassering av statlege arbeidsplassar",
        "language": "nn",
        "document_type": DocumentType.GUIDELINES,
        "date": datetime.date(2022, 8, 12),
        "decision_note": "Fastsett i statsråd 12.08.2022",
        "ingress": "Retningslinjene fastset krav til korleis staten vel stad for nye kontor.",
        **fields,
    }
    page = DocumentPageFactory(parent=index, **fields)
    DocumentAttachmentFactory(page=page, document=pdf, title=GUIDELINES_ATTACHMENT)
    return page


# A few municipalities with SSB's 2023 centrality index and class (kommuneinndeling 2024),
# in neither name nor index order.
CENTRALITY_CSV = (
    "Kommune,Kommunenummer,Sentralitetsindeks 2023,Sentralitetsklasse\n"
    "Oslo,0301,1000,1\n"
    "Bergen,4601,895,2\n"
    "Utsira,1151,293,6\n"
    "Tromsø,5501,803,3\n"
).encode()
CENTRALITY_CAPTION = "Sentralitet per kommune (kommuneinndeling 2024)"
CENTRALITY_SOURCE = "Kilde: Statistisk sentralbyrå (SSB)"


def centrality_table_page(index):
    """A statistics page whose body is one data table read from CENTRALITY_CSV."""
    table_file = DocumentFactory(title="Sentralitet (CSV)", filename="sentralitet.csv", data=CENTRALITY_CSV)
    return DocumentPageFactory(
        parent=index,
        title="Sentralitet i tall",
        document_type=DocumentType.STATISTICS,
        body=[data_table(table_file, CENTRALITY_CAPTION, CENTRALITY_SOURCE)],
    )


MOUNTAIN_INDEX_CHAPTERS = [
    chapter("Hva er fjellindeksen?", "<p>Fjellindeksen rangerer kommunene etter hvor nær de ligger fjellet.</p>"),
    chapter(
        "Tre indikatorer",
        "<ol><li>Høyde over havet (50 prosent)</li><li>Avstand til nærmeste fjelltopp (30 prosent)</li>"
        "<li>Lengde på merkede stier (20 prosent)</li></ol>",
    ),
    chapter("Slik leser du indeksen", "<p>Kommunene med de høyeste verdiene ligger nærmest fjellet.</p>"),
]


def build_library(home):
    """Twelve documents of eight types, in both målformer, from 2017 to 2024, under
    "Dokumenter", tagged with a topic and its two sub-topics. Two carry a PDF whose
    facts are read once the hooks run. Returns primary keys (see `library`)."""
    region = TopicPageFactory(parent=home, title="Distriktspolitikk")
    village = TopicPageFactory(parent=region, title="Bygdevekst", language="nn")
    white_paper_topic = TopicPageFactory(parent=region, title="Ny stortingsmelding")
    index = DocumentIndexPageFactory(parent=home)
    guidelines_unit = ContactPointFactory(unit="Seksjon for lokalisering", email="lokalisering@departement.example")
    index_unit = ContactPointFactory(unit="Analyseseksjonen", email="analyse@departement.example")

    def document(title, document_type, date, language="nb", topics=(region,), **fields):
        return DocumentPageFactory(
            parent=index,
            title=title,
            document_type=document_type,
            date=datetime.date(*date),
            language=language,
            topics=list(topics),
            **fields,
        )

    pages = {
        "guidelines": guidelines_document(index, contact_point=guidelines_unit, topics=[region]),
        "mountain_index": document(
            "Fjellindeksen 2022",
            DocumentType.STATISTICS,
            (2022, 1, 1),
            ingress="Fjellindeksen viser hvor nær fjellet hver kommune ligger.",
            body=MOUNTAIN_INDEX_CHAPTERS,
            contact_point=index_unit,
        ),
        "statistics": document(
            "Kommunetall 2023",
            DocumentType.STATISTICS,
            (2024, 1, 1),
            publisher="Statistisk sentralbyrå (SSB)",
            ingress="Tallene brukes sammen med fjellindeksen.",
        ),
        "nou": document(
            "Folketallet i bygdene — utredning om demografi",
            DocumentType.NOU,
            (2020, 11, 20),
            document_number="NOU 2020: 9",
            topics=(region, white_paper_topic),
        ),
        "white_paper_nb": document(
            "Gode lokalsamfunn i hele landet",
            DocumentType.WHITE_PAPER,
            (2019, 10, 11),
            document_number="Meld. St. 7 (2019–2020)",
            ingress="Regjeringen legger fram en melding om lokalsamfunn.",
            topics=(region, white_paper_topic),
        ),
        "white_paper_nn": document(
            "Sterke byar og sterke distrikt",
            DocumentType.WHITE_PAPER,
            (2017, 4, 7),
            language="nn",
            document_number="Meld. St. 12 (2016–2017)",
            ingress="Ei melding om byane og resten av landet.",
        ),
        "proposition": document(
            "Statsbudsjettet 2023 for departementet",
            DocumentType.PROPOSITION,
            (2022, 10, 6),
            document_number="Prop. 1 S (2022–2023)",
        ),
        "consultation": document(
            "Høyring om bygdeavtalar", DocumentType.CONSULTATION, (2023, 3, 1), language="nn", topics=(village,)
        ),
        "plan": document("Strategi for næringsliv i bygdene", DocumentType.PLAN, (2023, 6, 15), language="nn"),
        "report": document("Rapport om forsøk med bygdeavtaler", DocumentType.REPORT, (2024, 2, 1), topics=(village,)),
        "circular": document("Rundskriv om regionale tilskudd", DocumentType.CIRCULAR, (2024, 1, 10)),
        "allocation_letter": document(
            "Tildelingsbrev til direktoratet", DocumentType.ALLOCATION_LETTER, (2024, 12, 20)
        ),
    }
    pdf = DocumentFactory(title="Fjellindeksen 2022 (PDF)", pages=[["Innledning"], ["Metode"], ["Tabeller"]])
    DocumentAttachmentFactory(page=pages["mountain_index"], document=pdf, title="Fjellindeksen 2022, rapport")
    return {
        "home": home.pk,
        "index": index.pk,
        "topics": {"region": region.pk, "village": village.pk, "white_paper_topic": white_paper_topic.pk},
        "documents": {key: page.pk for key, page in pages.items()},
    }


def bulk_documents(index, count, *, topics=(), start_year=2000):
    """`count` live DocumentPages under `index`, inserted in bulk as the benchmark data
    is (tests/perf/data/common.py), tagged and added to the search index."""
    index.refresh_from_db()
    first = index.numchild + 1
    types = DocumentType.values
    rows = []
    for i in range(count):
        document_type = types[i % len(types)]
        rows.append(
            {
                "title": f"Testdokument {first + i} om kommunane",
                "slug": f"bulk-{first + i}",
                # The numbered types would need a document number; a report stands in for them.
                "document_type": document_type if document_type not in ("meld_st", "nou", "prop") else "rapport",
                "date": datetime.date(start_year + i % 25, 1 + i % 12, 1),
                "language": ("nb", "nn")[i % 2],
                "ingress": "Ein rapport om kommunane i distrikta.",
            }
        )
    ids = bulk_add_pages(index, DocumentPage, rows)
    through = DocumentPage.topics.through
    through.objects.bulk_create([through(documentpage_id=pk, topicpage_id=t.pk) for pk in ids for t in topics])
    index_pages(DocumentPage, ids)
    # Fresh planner statistics, as autovacuum would give a real database after a bulk load.
    with connection.cursor() as cursor:
        for table in (
            "wagtailcore_page",
            "documents_documentpage",
            "documents_documentpage_topics",
            "wagtailsearch_indexentry",
        ):
            cursor.execute(f"ANALYZE {table}")
    return ids
