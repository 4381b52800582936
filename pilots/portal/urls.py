"""The portal's URLs, under /soknad/ (see pilots/urls.py)."""

from django.urls import path

from .views import applications, attachments, questions, sign_in

app_name = "pilots"

application = "<int:round_pk>/<int:pk>/"

urlpatterns = [
    path("", applications.my_applications, name="my_applications"),
    path("logg-inn/", sign_in.sign_in, name="sign_in"),
    path("logg-inn/sendt/", sign_in.sign_in_sent, name="sign_in_sent"),
    # Short, so the link stays on one line even in a quoted-printable mail file.
    path("inn/<str:token>/", sign_in.sign_in_link, name="sign_in_link"),
    path("logg-ut/", sign_in.sign_out, name="sign_out"),
    path("logget-ut/", sign_in.signed_out, name="signed_out"),
    path("utlysing/<int:round_pk>/", applications.start, name="start"),
    path(application, applications.task_list_page, name="task_list"),
    path(application + "vedlegg/", attachments.attachments, name="attachments"),
    path(application + "vedlegg/<int:attachment_pk>/", attachments.download_attachment, name="download_attachment"),
    path(application + "se-over/", applications.check_answers, name="check_answers"),
    path(application + "send-inn/", applications.declaration, name="declaration"),
    path(application + "kvittering/", applications.receipt, name="receipt"),
    path(application + "trekk/", applications.withdraw, name="withdraw"),
    path(application + "inviter/", applications.invite, name="invite"),
    path(application + "<slug:slug>/", questions.question_page, name="section"),
]
