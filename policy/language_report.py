"""The språklova report: how much of what the ministry publishes is in nynorsk.

The Language Act (språklova § 10) asks a ministry to publish at least 25 % of its
texts in each of bokmål and nynorsk, and Språkrådet asks ministries to report the
shares every year. Staff read them here per year of first publication and per page
type, compare years in a chart, and download the figures as XLSX or CSV.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Func, IntegerField, Sum, TextField, Value
from django.db.models.functions import Coalesce, Concat, ExtractYear
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, get_page_models
from wagtail.permissions import policy_registry

from .models import BasePage

#: Språklova § 10: at least this share (per cent) of the texts in each målform.
TARGET_SHARE = 25
#: The målformer the law counts; English pages are outside it.
MAALFORMER = ("nb", "nn")
#: Wagtail's locale of English pages: a translation may keep the `language` of the
#: Norwegian page it was copied from.
ENGLISH_LOCALE = "en"
#: A word: a run of non-space characters with at least one that is not punctuation,
#: so "e-post" and "«Nyhet»" are one word each and a lone "–" or "%" is none.
WORD_PATTERN = r"[^\s[:punct:]]\S*"
#: Page permissions that make someone an editor (as for Wagtail's own page reports).
EDITOR_ACTIONS = ["add", "change", "publish"]


class WordCount(Func):
    """The number of words (WORD_PATTERN) in a text; PostgreSQL 15's regexp_count."""

    function = "regexp_count"
    output_field = IntegerField()

    def __init__(self, expression):
        super().__init__(expression, Value(WORD_PATTERN))


def counted_page_models():
    """Every concrete page type with a målform (policy.models.BasePage); policy knows
    the feature apps' page types only through Wagtail's registry."""
    return [model for model in get_page_models() if issubclass(model, BasePage) and not model._meta.abstract]


def _counts_of(model, content_type):
    """Live pages of exactly this type in bokmål or nynorsk, per year of first
    publication and målform: how many, and their words."""
    text = Concat("index_entries__title_text", Value(" "), "index_entries__body_text", output_field=TextField())
    published = Coalesce("first_published_at", "last_published_at")
    return (
        model.objects.live()
        .filter(content_type=content_type, language__in=MAALFORMER)
        .exclude(locale__language_code=ENGLISH_LOCALE)
        .annotate(year=ExtractYear(published), kind=Value(content_type.pk, output_field=IntegerField()))
        .filter(year__isnull=False)
        .values("year", "kind", "language")
        .annotate(items=Count("pk"), words=Coalesce(Sum(WordCount(text)), 0))
        .order_by()
    )


def count_published():
    """One query (a UNION ALL over the page types, whose `language` columns live in
    their own tables): (year, content type id, målform, items, words) for all live
    pages in bokmål or nynorsk. What is counted and why: LanguageReportView."""
    types = ContentType.objects.get_for_models(*counted_page_models())
    queries = [_counts_of(model, content_type) for model, content_type in types.items()]
    if not queries:
        return []
    combined = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    return [(row["year"], row["kind"], row["language"], row["items"], row["words"]) for row in combined]


def share(part, whole):
    """`part` of `whole` in per cent (one decimal), or None when there is nothing."""
    return round(100 * part / whole, 1) if whole else None


def meets_target(nynorsk_share):
    """Each målform has at least TARGET_SHARE per cent."""
    return nynorsk_share is not None and TARGET_SHARE <= nynorsk_share <= 100 - TARGET_SHARE


@dataclass
class Tally:
    """Items and words in bokmål and nynorsk, for one page type in one year or for a
    whole year (`content_type` then says so)."""

    year: int
    content_type: str
    items: dict = field(default_factory=lambda: dict.fromkeys(MAALFORMER, 0))
    words: dict = field(default_factory=lambda: dict.fromkeys(MAALFORMER, 0))
    is_total: bool = False

    def add(self, language, items, words):
        self.items[language] += items
        self.words[language] += words

    # The columns of the tables and the spreadsheet.

    @property
    def nb_items(self):
        return self.items["nb"]

    @property
    def nn_items(self):
        return self.items["nn"]

    @property
    def nb_words(self):
        return self.words["nb"]

    @property
    def nn_words(self):
        return self.words["nn"]

    @property
    def nn_item_share(self):
        return share(self.nn_items, self.nb_items + self.nn_items)

    @property
    def nn_word_share(self):
        return share(self.nn_words, self.nb_words + self.nn_words)

    @property
    def items_meet_target_text(self):
        return _yes_no(meets_target(self.nn_item_share))

    @property
    def words_meet_target_text(self):
        return _yes_no(meets_target(self.nn_word_share))


def _yes_no(value):
    return _("ja") if value else _("nei")


@dataclass
class Year:
    """One year: a tally per page type and the year's total."""

    year: int
    types: list
    total: Tally


def tally_years(counts, type_names):
    """The rows of count_published() as Years, oldest first, page types by name."""
    by_year = {}
    for year, kind, language, items, words in counts:
        types = by_year.setdefault(year, {})
        types.setdefault(kind, Tally(year, type_names[kind])).add(language, items, words)
    years = []
    for year in sorted(by_year):
        types = sorted(by_year[year].values(), key=lambda tally: tally.content_type)
        total = Tally(year, _("Alle innholdstyper"), is_total=True)
        for tally in types:
            for language in MAALFORMER:
                total.add(language, tally.items[language], tally.words[language])
        years.append(Year(year, types, total))
    return years


class YearRangeForm(forms.Form):
    """Which years to show and compare (all when none are chosen)."""

    fra = forms.TypedChoiceField(label=gettext_lazy("Fra år"), coerce=int, required=False)
    til = forms.TypedChoiceField(label=gettext_lazy("Til år"), coerce=int, required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Alle år")), *((year, str(year)) for year in years)]
        message = _("Velg et år fra lista.")
        for name in ("fra", "til"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = message

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("fra"), cleaned.get("til")
        if first and last and first > last:
            self.add_error("til", _("«Til år» kan ikke være før «Fra år»."))
        return cleaned

    def selected(self, years):
        """The years within the chosen range (all of them while the form has errors)."""
        if not self.is_valid():
            return years
        first, last = self.cleaned_data.get("fra"), self.cleaned_data.get("til")
        return [y for y in years if (not first or y.year >= first) and (not last or y.year <= last)]


# The chart's geometry, in the SVG's own units (it scales to the width it gets).
CHART_LABEL_WIDTH = 64
CHART_PLOT_WIDTH = 440
CHART_BAR_HEIGHT = 16
CHART_YEAR_HEIGHT = 46
CHART_TOP = 28


def _coordinate(value):
    """A number for an SVG attribute: never localised (no decimal comma)."""
    return f"{value:.1f}"


def chart(years):
    """The nynorsk shares of items and words per year as bars on a 0–100 % axis, with
    the 25 % line; the template draws them as SVG."""
    bars = []
    for index, year in enumerate(years):
        top = CHART_TOP + index * CHART_YEAR_HEIGHT
        for offset, kind, value in (
            (0, "items", year.total.nn_item_share),
            (CHART_BAR_HEIGHT + 2, "words", year.total.nn_word_share),
        ):
            width = CHART_PLOT_WIDTH * (value or 0) / 100
            bars.append(
                {
                    "kind": kind,
                    "y": _coordinate(top + offset),
                    "width": _coordinate(width),
                    "text_x": _coordinate(CHART_LABEL_WIDTH + width + 6),
                    "text_y": _coordinate(top + offset + CHART_BAR_HEIGHT - 4),
                    "value": value,
                }
            )
    height = CHART_TOP + len(years) * CHART_YEAR_HEIGHT + 4
    years_at = [
        {"year": year.year, "y": _coordinate(CHART_TOP + i * CHART_YEAR_HEIGHT + CHART_BAR_HEIGHT + 5)}
        for i, year in enumerate(years)
    ]
    target_x = CHART_LABEL_WIDTH + CHART_PLOT_WIDTH * TARGET_SHARE / 100
    return {
        "bars": bars,
        "years": years_at,
        "height": _coordinate(height),
        "width": _coordinate(CHART_LABEL_WIDTH + CHART_PLOT_WIDTH + 72),
        "plot_x": _coordinate(CHART_LABEL_WIDTH),
        "plot_end": _coordinate(CHART_LABEL_WIDTH + CHART_PLOT_WIDTH),
        "target_x": _coordinate(target_x),
        "axis_bottom": _coordinate(height - 2),
    }


class LanguageReportView(ReportView):
    """«Språkrapport»: published items and words per målform, year and page type.

    Items are live pages of each page type with a målform (policy.models.BasePage),
    by the year they were first published. Drafts are not counted, and neither is a
    live page's unpublished change: the page's row, and so its index entry, holds the
    published version. English pages (marked English, or in the English locale) are
    left out: the law weighs bokmål against nynorsk. A page with no publication date (never published through Wagtail) has
    no year and is left out.

    Words are counted in the text Wagtail's search index already keeps for each page
    (the plain `title_text` and `body_text` of `wagtailsearch_indexentry`): the title,
    the ingress and every other searchable field, StreamField blocks included. That
    is the page's published text as readers and the site search see it, with no
    markup (the task worker updates it after each publication), and counting it in SQL keeps the report to one query however many pages
    there are. A word is a run of non-space characters, not all punctuation
    (WORD_PATTERN). Staff who may add, change or publish pages see the report, as for
    Wagtail's own page reports.
    """

    page_title = gettext_lazy("Språkrapport (språklova)")
    header_icon = "doc-full"
    template_name = "policy/admin/language_report.html"
    results_template_name = "policy/admin/language_report_results.html"
    index_url_name = "language_report"
    paginate_by = None
    any_permission_required = EDITOR_ACTIONS
    export_filename = "sprakrapport"
    list_export = [
        "year",
        "content_type",
        "nb_items",
        "nn_items",
        "nn_item_share",
        "items_meet_target_text",
        "nb_words",
        "nn_words",
        "nn_word_share",
        "words_meet_target_text",
    ]
    export_headings = {
        "year": gettext_lazy("År"),
        "content_type": gettext_lazy("Innholdstype"),
        "nb_items": gettext_lazy("Sider på bokmål"),
        "nn_items": gettext_lazy("Sider på nynorsk"),
        "nn_item_share": gettext_lazy("Nynorskdel av sidene (%)"),
        "items_meet_target_text": gettext_lazy("Sidene: begge målformer minst 25 %"),
        "nb_words": gettext_lazy("Ord på bokmål"),
        "nn_words": gettext_lazy("Ord på nynorsk"),
        "nn_word_share": gettext_lazy("Nynorskdel av ordene (%)"),
        "words_meet_target_text": gettext_lazy("Ordene: begge målformer minst 25 %"),
    }

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(Page)

    @cached_property
    def all_years(self):
        type_names = {
            content_type.pk: capfirst(model._meta.verbose_name_plural)
            for model, content_type in ContentType.objects.get_for_models(*counted_page_models()).items()
        }
        return tally_years(count_published(), type_names)

    @cached_property
    def year_form(self):
        data = self.request.GET if {"fra", "til"} & set(self.request.GET) else None
        return YearRangeForm(data, years=[year.year for year in self.all_years])

    @cached_property
    def years(self):
        return self.year_form.selected(self.all_years)

    def get_queryset(self):
        """The rows of the table and the spreadsheet: each page type, then the total, per year."""
        return [tally for year in self.years for tally in (*year.types, year.total)]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context.update(
            form=self.year_form,
            years=self.years,
            chart=chart(self.years),
            target=TARGET_SHARE,
            upper=100 - TARGET_SHARE,
        )
        return context


class LanguageReportMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Page).user_has_any_permission(request.user, EDITOR_ACTIONS)


def menu_item(url):
    return LanguageReportMenuItem(
        gettext_lazy("Språkrapport (språklova)"), url, name="language-report", icon_name="doc-full", order=1300
    )
