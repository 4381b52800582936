from django.urls import path

from . import admin_views

app_name = "pilots_admin"

urlpatterns = [
    path("portefolje/", admin_views.portfolio, name="portfolio"),
    path("portefolje/ikke-valgt/", admin_views.prepare_rest, name="prepare_rest"),
    path("portefolje/frigi/", admin_views.release, name="release"),
    path("soknad/<int:pk>/status/", admin_views.change_status, name="change_status"),
    path("soknad/<int:pk>/vurdering/", admin_views.save_reviews, name="save_reviews"),
    path("soknad/<int:pk>/notat/", admin_views.add_note, name="add_note"),
    path("soknad/<int:pk>/vedtak/", admin_views.set_decision, name="set_decision"),
    path("soknad/<int:pk>/vedlegg/<int:attachment_pk>/", admin_views.download_attachment, name="download_attachment"),
]
