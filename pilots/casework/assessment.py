"""Scores as the admin shows them: each application's mean score and number of
reviews, computed in the database so a listing costs the same number of queries
whatever its size."""

from django.db.models import Avg, Count, FloatField, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from pilots.applications.models import Application

from .models import Review


def with_scores(queryset):
    """Mean score and number of reviews as subqueries (so filters that join
    municipalities cannot multiply the reviews)."""
    reviews = Review.objects.filter(application=OuterRef("pk")).order_by().values("application")
    return queryset.annotate(
        mean_score=Subquery(reviews.annotate(v=Avg("score")).values("v")[:1]),
        # For sorting: unscored applications count as 0, so they never come first.
        mean_score_sort=Coalesce("mean_score", Value(0.0), output_field=FloatField()),
        review_count=Coalesce(
            Subquery(reviews.annotate(v=Count("pk")).values("v")[:1], output_field=IntegerField()), 0
        ),
    )


def scored_cases():
    """The applications the ministry handles (everything submitted at least once), with scores."""
    return with_scores(
        Application.objects.cases().select_related("round").prefetch_related("municipality_links__municipality__county")
    )


def hidden_score():
    """In place of scores, for a person disqualified in the case (the listing marks each row)."""
    return gettext("Inhabil")


def mean_score_text(application):
    """ "4,2", or "–" before anyone has scored it."""
    if getattr(application, "viewer_disqualified", False):
        return hidden_score()
    return f"{application.mean_score:.1f}".replace(".", ",") if application.mean_score is not None else "–"


def review_count_text(application):
    return hidden_score() if getattr(application, "viewer_disqualified", False) else application.review_count
