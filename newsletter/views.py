"""Public newsletter views beside the sign-up page (whose form is in signup.py): the
step from a topic page's block to that page, confirm, unsubscribe (RFC 8058), the
manage page and erasure from it.

CSRF and the topic-page block: topic pages are cached publicly, so the small e-mail
form in their "newsletter" block cannot carry a CSRF token. Marking the page's
`serve` csrf_exempt would not help: Django's CSRF middleware looks at the view the
URL resolves to (wagtail.views.serve), not at Page.serve, and rejects the POST
first. So the block posts to `signup_start`, a small csrf_exempt view that only
re-displays the signup page's full form with the address filled in (it never
changes anything). The real submit goes to the page URL with a CSRF token and
passes the ordinary middleware check.
"""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import signup, subscriptions, tokens
from .audience import NewsletterList, Subscriber, Subscription
from .pages import NewsletterSignupPage


@csrf_exempt
@require_POST
def signup_start(request, page_id):
    """Step 1 from a cached topic page's block: show the full form, prefilled. No state change."""
    page = get_object_or_404(NewsletterSignupPage.objects.live().public(), pk=page_id)
    return signup.signup_page_response(page, request, prefill=request.POST.get("email", ""))


def _invalid_link(request, status=400):
    return render(request, "newsletter/link_invalid.html", {"noindex": True}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners follow links); POST confirms."""
    try:
        data = tokens.read_confirm_token(token)
        newsletter_list = NewsletterList.objects.get(pk=data["l"])
    except (tokens.InvalidToken, NewsletterList.DoesNotExist, KeyError):
        return _invalid_link(request)
    context = {"newsletter_list": newsletter_list, "noindex": True}
    if request.method == "POST":
        try:
            subscription = subscriptions.confirm(data)
        except tokens.InvalidToken:
            return _invalid_link(request)
        context["confirmed"] = subscription is not None
        if subscription is not None:
            context["manage_url"] = _manage_path(subscription.subscriber_id)
        return render(request, "newsletter/confirmed.html", context)
    return render(request, "newsletter/confirm.html", context)


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """RFC 8058: a POST unsubscribes at once, without login or CSRF token (mail
    clients post "List-Unsubscribe=One-Click"). A GET never changes anything: link
    scanners prefetch it; it shows a button that posts here."""
    try:
        data = tokens.read_unsubscribe_token(token)
        subscription = Subscription.objects.select_related("newsletter_list").get(
            subscriber_id=data["s"], newsletter_list_id=data["l"]
        )
    except (tokens.InvalidToken, Subscription.DoesNotExist, KeyError):
        return _invalid_link(request)
    context = {"newsletter_list": subscription.newsletter_list, "noindex": True}
    if request.method == "POST":
        subscriptions.unsubscribe(data["s"], data["l"])
        context["manage_url"] = _manage_path(data["s"])
        return render(request, "newsletter/unsubscribed.html", context)
    context["already"] = subscription.status == Subscription.UNSUBSCRIBED
    return render(request, "newsletter/unsubscribe.html", context)


def _manage_path(subscriber_id):
    return reverse("newsletter:manage", args=[tokens.make_manage_token(subscriber_id)])


def _manage_token_subscriber_id(token):
    """The subscriber id a manage link names, or None when the link is not ours."""
    try:
        return tokens.read_manage_token(token)["s"]
    except (tokens.InvalidToken, KeyError, TypeError):
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """Leave or come back, list by list. The signed link in every mail is the key."""
    subscriber = Subscriber.objects.filter(pk=_manage_token_subscriber_id(token)).first()
    if subscriber is None:
        return _invalid_link(request)
    notice = None
    if request.method == "POST":
        newsletter_list = NewsletterList.objects.filter(pk=request.POST.get("list")).first()
        action = request.POST.get("action")
        if newsletter_list and action == "leave":
            subscriptions.unsubscribe(subscriber.pk, newsletter_list.pk)
            notice = gettext("Du er meldt av %(name)s.") % {"name": newsletter_list.name}
        elif newsletter_list and action == "join":
            joined = subscriptions.resubscribe(subscriber, newsletter_list)
            notice = (
                gettext("Du er meldt på %(name)s igjen.") % {"name": newsletter_list.name}
                if joined
                else gettext(
                    "Adressen er sperret for utsending. Ta kontakt med departementet om du vil ha nyhetsbrevet igjen."
                )
            )
    statuses = dict(subscriber.subscriptions.values_list("newsletter_list_id", "status"))
    lists = [
        {"list": item, "subscribed": statuses.get(item.pk) == Subscription.CONFIRMED}
        for item in NewsletterList.objects.all()
    ]
    return render(
        request,
        "newsletter/manage.html",
        {
            "subscriber": subscriber,
            "lists": lists,
            "notice": notice,
            "erase_url": reverse("newsletter:erase", args=[token]),
            "noindex": True,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def erase(request, token):
    """Delete the address entirely, from the manage page: a GET asks (link scanners
    follow links), the POST erases. Only the keyed hash stays, on the suppression list.
    A valid link whose subscriber is gone was erased already: saying so again is harmless."""
    subscriber_id = _manage_token_subscriber_id(token)
    if subscriber_id is None:
        return _invalid_link(request)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is not None and request.method == "POST":
        subscriptions.erase_subscriber(subscriber)
        subscriber = None
    if subscriber is None:
        return render(request, "newsletter/erased.html", {"noindex": True})
    context = {"subscriber": subscriber, "manage_url": reverse("newsletter:manage", args=[token]), "noindex": True}
    return render(request, "newsletter/erase.html", context)
