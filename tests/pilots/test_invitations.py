"""Who may write in an application: invitations are single-use links that expire and
bind to the applicant who accepts them; only the lead (or whom the lead appoints)
invites and removes; removal ends access at once; an e-mail address never gives access."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pilots.applications import services
from pilots.models import ApplicationMember, Invitation
from pilots.portal.models import MemberRole
from policy.models import OutgoingMail
from tests.conftest import run_on_commit_hooks
from tests.factories.pdf import text_pdf
from tests.factories.pilots import CLASS_5, ApplicationFactory
from tests.factories.policy import StaffUserFactory, UserFactory
from tests.factories.portal import ApplicantFactory, InvitationFactory, MemberFactory
from tests.pilots.test_browser import fill_by_keyboard, press_on
from tests.pilots.test_sign_in import _link as sign_in_link
from tests.pilots.test_sign_in import use_link
from tests.tasks import run_stored_tasks
from tests.test_reflow import check

INVITATION = reverse("pilots:invitation")
KARI = "kari@kommune.example"


def _invitation_link(message):
    match = re.search(re.escape(settings.SITE_URL) + r"(/soknad/invitasjon/[^/\s]+/)", message.body)
    assert match, f"no invitation link in: {message.body}"
    return match.group(1)


@pytest.fixture
def application(open_round, applicant):
    return ApplicationFactory(
        round=open_round, created_by=applicant, municipalities=[CLASS_5], title="Felles løft for Sokndal"
    )


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST as `client` and run on-commit callbacks (the mail task is queued on commit)."""

    def post(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post


def urls(application, name, *args):
    return reverse(f"pilots:{name}", args=[application.round_id, application.pk, *args])


def invite(post, client, application, email=KARI, **data):
    response = post(client, urls(application, "invite"), {"email": email, **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return _invitation_link(mail.outbox[-1])


def accept(client, link):
    client.get(link)
    return client.post(INVITATION)


def test_an_invitation_is_accepted_by_whoever_signs_in_with_the_link(client, post, application):
    client.force_login(application.created_by)
    page = client.get(urls(application, "invite"))
    assert "Lenken virker i 7 dager" in page.text
    assert "Skriv inn en gyldig e-postadresse" in post(client, urls(application, "invite"), {"email": "kari@"}).text
    link = invite(post, client, application, email=" Kari@Kommune.Example ")
    assert mail.outbox[-1].to == [KARI]
    assert "ola@kommune.example har invitert deg" in mail.outbox[-1].body
    assert "«Felles løft for Sokndal»" in mail.outbox[-1].body
    page = client.get(urls(application, "members"))
    assert KARI in page.text and "Lenken virker til" in page.text
    client.logout()

    # A stranger with the link, not signed in: told to sign in, and given no access.
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == INVITATION
    page = client.get(INVITATION)
    assert "Logg inn for å godta invitasjonen" in page.text
    assert "Felles løft for Sokndal" in page.text
    assert client.post(INVITATION).status_code == 200
    assert not ApplicationMember.objects.exists()

    # Signing in with the e-mail link, at another address, keeps the invitation open.
    with_link = reverse("pilots:sign_in") + "?neste=" + INVITATION
    assert f'href="{with_link}"' in page.text.replace("&amp;", "&")
    post(client, reverse("pilots:sign_in"), {"email": "kari.nordmann@annen.example", "neste": INVITATION})
    response = use_link(client, sign_in_link(mail.outbox[-1]))
    assert response["Location"] == INVITATION
    page = client.get(INVITATION)
    assert "Godta invitasjonen" in page.text
    response = client.post(INVITATION)
    assert response["Location"] == urls(application, "task_list")
    assert "Du har godtatt invitasjonen" in client.get(response["Location"]).text
    assert "Felles løft for Sokndal" in client.get(reverse("pilots:my_applications")).text

    member = ApplicationMember.objects.get()
    assert member.user.applicant_identity.email == "kari.nordmann@annen.example"
    assert member.invited_email == KARI and member.role == MemberRole.WRITER
    client.force_login(application.created_by)
    page = client.get(urls(application, "members"))
    assert "kari.nordmann@annen.example" in page.text and "Ingen ventende invitasjoner" in page.text


def test_a_link_accepted_by_one_person_does_not_work_for_another(client, post, application):
    client.force_login(application.created_by)
    link = invite(post, client, application)
    first, second = ApplicantFactory(email="a@kommune.example"), ApplicantFactory(email="b@kommune.example")

    client.force_login(first)
    assert accept(client, link).status_code == 302
    client.force_login(second)
    response = accept(client, link)
    assert response.status_code == 410
    assert "Invitasjonen er allerede brukt" in response.text
    assert client.get(urls(application, "task_list")).status_code == 404
    assert list(ApplicationMember.objects.values_list("user__email", flat=True)) == ["a@kommune.example"]


def test_an_expired_invitation_cannot_be_accepted(client, post, application):
    client.force_login(application.created_by)
    link = invite(post, client, application)
    expired = timezone.now() - datetime.timedelta(minutes=1)
    Invitation.objects.update(expires_at=expired)

    client.force_login(ApplicantFactory(email=KARI))
    client.get(link)
    page = client.get(INVITATION)
    assert page.status_code == 410
    assert "Invitasjonen har gått ut" in page.text
    assert "Be den som inviterte deg, om å sende en ny invitasjon" in page.text
    assert client.post(INVITATION).status_code == 410
    assert client.get(urls(application, "task_list")).status_code == 404

    # The lead sees it as expired and sends a new link; the old one stays dead.
    client.force_login(application.created_by)
    assert "Lenken gikk ut" in client.get(urls(application, "members")).text
    invitation = Invitation.objects.get()
    post(client, urls(application, "resend_invitation", invitation.pk))
    new_link = _invitation_link(mail.outbox[-1])
    assert new_link != link
    client.force_login(ApplicantFactory(email=KARI))
    assert "Invitasjonen virker ikke" in accept(client, link).text
    assert accept(client, new_link).status_code == 302


def test_a_writer_cannot_invite_or_remove_until_the_lead_appoints_them(client, post, application):
    writer = MemberFactory(application=application, user=ApplicantFactory(email="skriver@kommune.example"))
    other = MemberFactory(application=application)
    client.force_login(writer.user)
    page = client.get(urls(application, "members"))
    assert "Bare den som opprettet søknaden" in page.text and "Inviter en kollega" not in page.text
    assert client.get(urls(application, "invite")).status_code == 404
    assert post(client, urls(application, "invite"), {"email": "inntrenger@gmail.example"}).status_code == 404
    assert post(client, urls(application, "remove_member", other.pk)).status_code == 404
    assert post(client, urls(application, "set_member_role", writer.pk), {"role": "lead"}).status_code == 404
    assert mail.outbox == [] and not Invitation.objects.exists()
    assert ApplicationMember.objects.filter(removed_at__isnull=True).count() == 2

    client.force_login(application.created_by)
    response = post(client, urls(application, "set_member_role", writer.pk), {"role": "lead"})
    assert "skriver@kommune.example kan nå invitere og fjerne andre" in client.get(response["Location"]).text

    client.force_login(writer.user)
    assert "Kan invitere og fjerne andre" in client.get(urls(application, "members")).text
    page = client.get(urls(application, "invite"))
    assert "Kollegaen kan også invitere" not in page.text  # only the creator appoints
    invite(post, client, application, email="ny@kommune.example")
    assert mail.outbox[-1].to == ["ny@kommune.example"]
    assert "skriver@kommune.example har invitert deg" in mail.outbox[-1].body


def test_removing_someone_ends_their_access_at_once(client, post, application):
    member = MemberFactory(application=application, user=ApplicantFactory(email=KARI))
    upload = ContentFile(text_pdf("Vedtak", [["Kommunestyrets vedtak"]]), name="vedtak.pdf")
    attachment = services.add_attachment(application, upload, member.user)
    download = urls(application, "download_attachment", attachment.pk)
    member_client = client
    member_client.force_login(member.user)
    assert member_client.get(urls(application, "task_list")).status_code == 200
    assert member_client.get(download).status_code == 200

    lead = Client()
    lead.force_login(application.created_by)
    remove = urls(application, "remove_member", member.pk)
    confirm = lead.get(remove)
    assert f"Fjerne {KARI}?" in confirm.text
    assert "mister tilgangen til søknaden og vedleggene med en gang" in confirm.text
    assert 'name="csrfmiddlewaretoken"' in confirm.text
    response = post(lead, remove)
    assert f"{KARI} har ikke lenger tilgang" in lead.get(response["Location"]).text

    for url in (
        urls(application, "task_list"),
        download,
        urls(application, "members"),
        urls(application, "attachments"),
    ):
        assert member_client.get(url).status_code == 404, url
    assert "Felles løft for Sokndal" not in member_client.get(reverse("pilots:my_applications")).text
    assert ApplicationMember.objects.get().removed_by == application.created_by


def test_the_lead_withdraws_a_pending_invitation(client, post, application):
    client.force_login(application.created_by)
    link = invite(post, client, application)
    invitation = Invitation.objects.get()
    withdraw = urls(application, "withdraw_invitation", invitation.pk)
    assert f"Trekke tilbake invitasjonen til {KARI}?" in client.get(withdraw).text
    response = post(client, withdraw)
    assert f"Invitasjonen til {KARI} er trukket tilbake" in client.get(response["Location"]).text

    client.force_login(ApplicantFactory(email=KARI))
    response = accept(client, link)
    assert response.status_code == 410 and "Invitasjonen er trukket tilbake" in response.text
    assert not ApplicationMember.objects.exists()


def test_an_e_mail_address_in_the_user_record_gives_no_access(client, post, application):
    """Staff (who can set their own e-mail in the admin) and plain users with the
    invitee's address get nothing: not the application, not the invitation."""
    client.force_login(application.created_by)
    link = invite(post, client, application)
    editor = StaffUserFactory(username=KARI, email=KARI)
    plain = UserFactory(email=KARI)
    for user in (editor, plain):
        client.force_login(user)
        for url in (urls(application, "task_list"), urls(application, "members")):
            response = client.get(url)
            assert response.status_code in (302, 404), url
            assert response.status_code == 404 or response["Location"].startswith(reverse("pilots:sign_in"))
        assert "Felles løft for Sokndal" not in client.get(reverse("pilots:my_applications"), follow=True).text
        client.get(link)
        page = client.get(INVITATION)
        assert "Godta invitasjonen" not in page.text
        client.post(INVITATION)
        assert client.get(urls(application, "task_list")).status_code in (302, 404)
    assert Invitation.objects.get().accepted_at is None
    assert not ApplicationMember.objects.exists()


def test_the_invitation_token_is_only_in_the_mail(client, settings, application, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]}}
    client.force_login(application.created_by)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(urls(application, "invite"), {"email": KARI})
    assert mail.outbox == []  # queued, not sent
    run_stored_tasks()
    link = _invitation_link(mail.outbox[0])
    token = link.rstrip("/").rsplit("/", 1)[1]
    client.force_login(ApplicantFactory(email=KARI))
    assert accept(client, link).status_code == 302

    rows = list(DBTaskResult.objects.values("args_kwargs", "return_value", "traceback"))
    # The task names the outbox row, whose text holds a placeholder: the link is made at sending.
    queued = OutgoingMail.objects.get(key__startswith=f"pilots.invitation:{Invitation.objects.get().pk}:")
    assert rows and rows[0]["args_kwargs"]["args"] == [queued.pk]
    assert token not in repr(rows)
    assert token not in repr(list(OutgoingMail.objects.values()))
    assert token not in repr(list(Invitation.objects.values()))
    assert token not in repr(dict(client.session))


def test_invitations_from_before_links_are_kept(db, application):
    """The data migration: an invitee who already signed in with the invited address
    becomes a member; the others stay pending for the lead to send a link."""
    signed_in_before = ApplicantFactory(email="tidligere@kommune.example")
    kept = InvitationFactory(application=application, email="tidligere@kommune.example")
    waiting = InvitationFactory(application=application, email="venter@kommune.example")
    Invitation.objects.update(expires_at=timezone.now())  # what the schema step gives old rows
    migration = importlib.import_module("pilots.migrations.0006_application_members")
    migration.bind_existing_invitations(apps, None)

    member = ApplicationMember.objects.get()
    assert (member.user, member.application, member.role) == (signed_in_before, application, MemberRole.WRITER)
    kept.refresh_from_db()
    waiting.refresh_from_db()
    assert kept.accepted_by == signed_in_before
    assert waiting.accepted_at is None and waiting.expires_at > timezone.now() + datetime.timedelta(days=6)


def test_the_receipt_goes_to_current_members_only(post, client, application):
    member = MemberFactory(application=application, user=ApplicantFactory(email="med@kommune.example"))
    removed = MemberFactory(application=application, user=ApplicantFactory(email="fjernet@kommune.example"))
    InvitationFactory(application=application, email="venter@kommune.example")
    client.force_login(application.created_by)
    post(client, urls(application, "remove_member", removed.pk))
    with_receipt = len(mail.outbox)
    services.submit(application, member.user)
    run_on_commit_hooks()
    receipt = mail.outbox[with_receipt]
    assert sorted(receipt.to) == ["med@kommune.example", "ola@kommune.example"]


@pytest.mark.browser
def test_who_has_access_works_by_keyboard_at_320_px(live_home, live_server, browser):
    lead = ApplicantFactory(email="prosjektleder.distriktsnaeringsutvikling@kommunal-og-distriktsdepartementet.example")
    application = ApplicationFactory(created_by=lead, title="Distriktsnæringsutviklingsprogrammet i fjellbygdene")
    MemberFactory(application=application, user=ApplicantFactory(email="kari@kommune.example"))
    MemberFactory(application=application, role=MemberRole.LEAD)
    InvitationFactory(application=application, email="ventende.samarbeidspartner@fjellkommunen.example")
    session = Client()
    session.force_login(lead)
    context = browser.new_context(locale="nb-NO", viewport={"width": 320, "height": 640})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    colleague_context = browser.new_context(locale="nb-NO", viewport={"width": 320, "height": 640})
    phone = context.new_page()
    phone.set_default_timeout(15000)
    try:
        phone.goto(live_server.url + urls(application, "members"))
        phone.get_by_role("heading", name="Hvem har tilgang").wait_for()
        check(phone)

        press_on(phone, "a[href$='/fjern/']")  # the first member, Kari
        phone.get_by_role("heading", name="Fjerne kari@kommune.example?").wait_for()
        check(phone)
        press_on(phone, "button[data-color='danger']")
        phone.get_by_text("kari@kommune.example har ikke lenger tilgang til søknaden.").wait_for()
        check(phone)

        press_on(phone, "a[href$='/trekk/']")
        phone.get_by_role("heading", name=re.compile("Trekke tilbake invitasjonen")).wait_for()
        press_on(phone, "button[data-color='danger']")
        phone.get_by_text("Ingen ventende invitasjoner.").wait_for()

        press_on(phone, "a[href$='/inviter/']")
        phone.get_by_role("heading", name="Inviter en kollega").wait_for()
        press_on(phone, "form.pilots-form button[type='submit']")
        phone.locator("[data-error-summary]").wait_for()
        check(phone)  # the error summary and the message at the field

        fill_by_keyboard(phone, {"#id_email": "ny.kollega@fjellkommunen.example"})
        phone.keyboard.press("Enter")
        phone.get_by_text("Invitasjonen er sendt til ny.kollega@fjellkommunen.example.").wait_for()

        # The page the link in the mail leads to, in the colleague's own browser (a
        # browser of the lead's, its cookies cleared, could still get a late Set-Cookie
        # from a request in flight), before signing in and once expired.
        colleague = colleague_context.new_page()
        colleague.set_default_timeout(15000)
        colleague.goto(live_server.url + _invitation_link(mail.outbox[-1]))
        colleague.locator("main").get_by_role("link", name="Logg inn", exact=True).wait_for()
        check(colleague)
        Invitation.objects.filter(email="ny.kollega@fjellkommunen.example").update(expires_at=timezone.now())
        colleague.reload()
        colleague.get_by_role("heading", name="Invitasjonen har gått ut").wait_for()
        check(colleague)
    finally:
        context.close()
        colleague_context.close()
    assert not ApplicationMember.objects.filter(user__email="kari@kommune.example", removed_at__isnull=True).exists()
    assert Invitation.objects.get(email__startswith="ventende").withdrawn_by == lead
