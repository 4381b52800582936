from django.urls import path

from . import views, views_auth

app_name = "pilots"

application = "<int:round_pk>/<int:pk>/"

urlpatterns = [
    path("", views.my_applications, name="my_applications"),
    path("logg-inn/", views_auth.sign_in, name="sign_in"),
    path("logg-inn/sendt/", views_auth.sign_in_sent, name="sign_in_sent"),
    # Short, so the link stays on one line even in a quoted-printable mail file.
    path("inn/<str:token>/", views_auth.sign_in_link, name="sign_in_link"),
    path("logg-ut/", views_auth.sign_out, name="sign_out"),
    path("logget-ut/", views_auth.signed_out, name="signed_out"),
    path("utlysing/<int:round_pk>/", views.start, name="start"),
    path(application, views.task_list, name="task_list"),
    path(application + "vedlegg/", views.attachments, name="attachments"),
    path(application + "vedlegg/<int:attachment_pk>/", views.download_attachment, name="download_attachment"),
    path(application + "se-over/", views.check_answers, name="check_answers"),
    path(application + "send-inn/", views.declaration, name="declaration"),
    path(application + "kvittering/", views.receipt, name="receipt"),
    path(application + "trekk/", views.withdraw, name="withdraw"),
    path(application + "inviter/", views.invite, name="invite"),
    path(application + "<slug:slug>/", views.section, name="section"),
]
