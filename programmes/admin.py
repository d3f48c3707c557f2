from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Place, Programme


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ons_code", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "ons_code"]
    autocomplete_fields = ["parent"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "council", "status", "start", "end"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["priority_places"]
