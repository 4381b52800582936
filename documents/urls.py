"""The addresses of document files, included under /dokumenter/fil/ by config/urls.py.

A file's address carries its random key (DocumentFile.key), not its sequential id, so
nobody can find a file before its page is published by counting. Wagtail's own
id-based address is deliberately not routed; its password form for private
collections is."""

from django.urls import path, re_path
from wagtail.documents.views.serve import authenticate_with_password

from . import views

urlpatterns = [
    re_path(r"^(?P<key>[\w-]{20,32})/(?P<filename>[^/]+)$", views.serve_document, name="document_file"),
    path(
        "authenticate_with_password/<int:restriction_id>/",
        authenticate_with_password,
        name="wagtaildocs_authenticate_with_password",
    ),
]
