"""The kinds of news item. Apart from the models so that the archive's filters and
the feeds can name them without importing the page models."""

from django.db import models


class NewsType(models.TextChoices):
    NEWS = "news", "Nyhet"
    PRESS_RELEASE = "press_release", "Pressemelding"
    SPEECH_ARTICLE = "speech_article", "Tale/artikkel"
