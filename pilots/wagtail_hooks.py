from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Round


class RoundViewSet(SnippetViewSet):
    """Rounds ("utlysinger") with their deadlines and eligibility rule, edited by staff."""

    model = Round
    icon = "date"
    menu_label = "Utlysinger"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "opens_at", "closes_at", "max_pilots", "max_amount"]
    list_export = ["name", "opens_at", "closes_at", "supplement_deadline", "max_pilots", "max_amount", "budget_total"]
    list_filter = ["closes_at"]
    search_fields = ["name"]
    ordering = ["-closes_at"]


register_snippet(RoundViewSet)
