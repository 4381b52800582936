"""Queries over news lists that Django's ORM cannot express well enough to use an index."""

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone


def published_years(items):
    """The years (in the site's time zone) with at least one of `items`, newest first.

    A loose index scan: a recursive query finds the newest item, then the newest item
    before 1 January of its year, and so on, so it reads one index entry per year
    through the `news_published` index instead of every item (DISTINCT over
    EXTRACT(YEAR …) reads and sorts them all)."""
    zone = timezone.get_current_timezone_name()
    newest = items.filter(published_at__isnull=False).order_by("-published_at").values("published_at")
    year_start = RawSQL("make_timestamptz(years.year, 1, 1, 0, 0, 0, %s)", (zone,))
    before = newest.filter(published_at__lt=year_start)[:1]
    newest = newest[:1]
    newest_sql, newest_params = newest.query.sql_with_params()
    before_sql, before_params = before.query.sql_with_params()
    # Both subqueries are compiled by Django, with every value passed as a parameter.
    sql = (
        f"WITH RECURSIVE years(year) AS (SELECT EXTRACT(YEAR FROM ({newest_sql}) AT TIME ZONE %s)::integer"  # noqa: S608
        f" UNION ALL SELECT EXTRACT(YEAR FROM ({before_sql}) AT TIME ZONE %s)::integer FROM years"
        " WHERE year IS NOT NULL) SELECT year FROM years WHERE year IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*newest_params, zone, *before_params, zone))
        return [year for (year,) in cursor.fetchall()]
