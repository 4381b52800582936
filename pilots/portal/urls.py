"""The portal's URLs, under /soknad/ (see pilots/urls.py)."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog, set_language

from .views import applications, attachments, decision, members, messages, oidc, questions, sign_in

app_name = "pilots"

application = "<int:round_pk>/<int:pk>/"

urlpatterns = [
    path("", applications.my_applications, name="my_applications"),
    path("logg-inn/", sign_in.sign_in, name="sign_in"),
    path("logg-inn/sendt/", sign_in.sign_in_sent, name="sign_in_sent"),
    path("logg-inn/send-igjen/", sign_in.resend_sign_in_link, name="resend_sign_in_link"),
    # Short, so the link stays on one line even in a quoted-printable mail file.
    path("inn/<str:token>/", sign_in.sign_in_link, name="sign_in_link"),
    path("inn/", sign_in.use_sign_in_link, name="use_sign_in_link"),
    path("invitasjon/", members.invitation, name="invitation"),
    path("invitasjon/<str:token>/", members.invitation_link, name="invitation_link"),
    path("logg-inn/idporten/", oidc.idporten_start, name="idporten_start"),
    path("logg-inn/idporten/svar/", oidc.idporten_callback, name="idporten_callback"),
    path("logg-ut/", sign_in.sign_out, name="sign_out"),
    # The language choice in the portal's header (pilots.portal.language).
    path("sprak/", set_language, name="set_language"),
    # The words of the portal's scripts, in the portal's language (pilots/locale, djangojs).
    path("sprak/skript.js", JavaScriptCatalog.as_view(packages=["pilots"]), name="javascript_catalog"),
    path("logget-ut/", sign_in.signed_out, name="signed_out"),
    path("utlysing/<int:round_pk>/", applications.start, name="start"),
    path(application, applications.task_list_page, name="task_list"),
    path(application + "vedlegg/", attachments.attachments, name="attachments"),
    path(application + "vedlegg/<int:attachment_pk>/", attachments.download_attachment, name="download_attachment"),
    path(application + "se-over/", applications.check_answers, name="check_answers"),
    path(application + "send-inn/", applications.declaration, name="declaration"),
    path(application + "kvittering/", applications.receipt, name="receipt"),
    path(application + "trekk/", applications.withdraw, name="withdraw"),
    path(application + "endre/", applications.reopen, name="reopen"),
    path(application + "slett/", applications.delete_draft, name="delete_draft"),
    path(application + "inviter/", members.invite, name="invite"),
    path(application + "tilgang/", members.members_page, name="members"),
    path(application + "tilgang/medlem/<int:member_pk>/fjern/", members.remove_member, name="remove_member"),
    path(application + "tilgang/medlem/<int:member_pk>/rolle/", members.set_role, name="set_member_role"),
    path(
        application + "tilgang/invitasjon/<int:invitation_pk>/trekk/",
        members.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path(
        application + "tilgang/invitasjon/<int:invitation_pk>/send-igjen/",
        members.resend_invitation,
        name="resend_invitation",
    ),
    path(application + "meldinger/", messages.thread_page, name="messages"),
    path(application + "vedtak/", decision.decision_page, name="decision"),
    path(application + "vedtak/vedtak.pdf", decision.decision_letter_pdf, name="decision_pdf"),
    path(application + "vedtak/soknad.pdf", decision.application_pdf, name="application_pdf"),
    path(application + "<slug:slug>/", questions.question_page, name="section"),
]
