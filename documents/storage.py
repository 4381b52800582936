"""Where the files of documents are kept: the private folder (policy.storage), so a
file is only ever sent by `documents.views.serve_document`, which checks that a live
page holds it.

Referenced by the DocumentFile model and its migrations, so this name must stay."""

from policy.storage import PrivateStorage

_document_storage = PrivateStorage()


def document_storage():
    return _document_storage
