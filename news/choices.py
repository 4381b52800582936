"""The kinds of news item. Apart from the models so that the archive's filters and
the feeds can name them without importing the page models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NewsType(models.TextChoices):
    NEWS = "news", _("Nyhet")
    PRESS_RELEASE = "press_release", _("Pressemelding")
    SPEECH_ARTICLE = "speech_article", _("Tale/artikkel")
