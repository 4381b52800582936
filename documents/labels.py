"""Small labels on document pages that follow the page's målform (see policy.labels)."""

LABELS = {
    "doc_type_brev": {"nb": "Brev", "nn": "Brev", "en": "Letter"},
    "doc_type_horing": {"nb": "Høring", "nn": "Høyring", "en": "Consultation"},
    "doc_type_kgl_res": {"nb": "Kongelig resolusjon", "nn": "Kongeleg resolusjon", "en": "Royal decree"},
    "doc_type_lov": {"nb": "Lov", "nn": "Lov", "en": "Act"},
    "doc_type_forskrift": {"nb": "Forskrift", "nn": "Forskrift", "en": "Regulation"},
    "doc_type_retningslinjer": {"nb": "Retningslinjer", "nn": "Retningslinjer", "en": "Guidelines"},
    "doc_type_meld_st": {"nb": "Melding til Stortinget", "nn": "Melding til Stortinget", "en": "White paper"},
    "doc_type_nou": {"nb": "NOU", "nn": "NOU", "en": "Official Norwegian Report (NOU)"},
    "doc_type_plan": {"nb": "Plan/strategi", "nn": "Plan/strategi", "en": "Plan/strategy"},
    "doc_type_prop": {"nb": "Proposisjon", "nn": "Proposisjon", "en": "Proposition"},
    "doc_type_rapport": {"nb": "Rapport", "nn": "Rapport", "en": "Report"},
    "doc_type_rundskriv": {"nb": "Rundskriv", "nn": "Rundskriv", "en": "Circular"},
    "doc_type_tildelingsbrev": {
        "nb": "Tildelingsbrev/instruks",
        "nn": "Tildelingsbrev/instruks",
        "en": "Allocation letter/instructions",
    },
    "doc_type_statistikk": {"nb": "Statistikk/indeks", "nn": "Statistikk/indeks", "en": "Statistics/index"},
    "publisher": {"nb": "Utgiver", "nn": "Utgjevar", "en": "Publisher"},
    "date": {"nb": "Dato", "nn": "Dato", "en": "Date"},
    "document_type": {"nb": "Dokumenttype", "nn": "Dokumenttype", "en": "Document type"},
    "attachments": {"nb": "Last ned", "nn": "Last ned", "en": "Download"},
    "contents": {"nb": "Innhold", "nn": "Innhald", "en": "Contents"},
    "request_accessible": {
        "nb": "Be om tilgjengelig versjon",
        "nn": "Be om tilgjengeleg versjon",
        "en": "Request an accessible version",
    },
    "of": {"nb": "av", "nn": "av", "en": "of"},
    "download_table": {"nb": "Last ned tabellen", "nn": "Last ned tabellen", "en": "Download the table"},
    "table_truncated": {
        "nb": "Tabellen viser de første {n} radene. Last ned fila for å se alle.",
        "nn": "Tabellen viser dei første {n} radene. Last ned fila for å sjå alle.",
        "en": "The table shows the first {n} rows. Download the file to see them all.",
    },
    "all_documents": {
        "nb": "Se alle dokumenter om temaet",
        "nn": "Sjå alle dokument om temaet",
        "en": "All documents on this topic",
    },
}
