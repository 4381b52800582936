"""The newsletter's models, gathered where Django (and code outside the app) looks
for them. They are defined by concern:

- audience.py: lists, consent texts, subscribers and subscriptions, the consent
  history and the suppression list;
- pages.py: the sign-up page, the archive and the issue;
- deliveries.py: the sending of an issue, one row per recipient;
- provider_events.py: hard bounces and complaints the mail provider reported.

Modules inside the app import from those modules, never from this one. The page
models need the sign-up code, whose task's worker needs the delivery models
(pages -> signup -> tasks -> worker -> deliveries), so a module holding both would
import itself in a circle; only a module nothing in the app imports can gather them.
"""

from .audience import ConsentEvent, ConsentText, NewsletterList, Subscriber, Subscription, Suppression
from .deliveries import Delivery, IssueDispatch
from .pages import IssueStreamBlock, NewsletterIndexPage, NewsletterIssuePage, NewsletterSignupPage
from .provider_events import ProviderEvent

__all__ = [
    "ConsentEvent",
    "ConsentText",
    "Delivery",
    "IssueDispatch",
    "IssueStreamBlock",
    "NewsletterIndexPage",
    "NewsletterIssuePage",
    "NewsletterList",
    "NewsletterSignupPage",
    "ProviderEvent",
    "Subscriber",
    "Subscription",
    "Suppression",
]
