from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    Audience,
    Groundbreaker,
    GroundbreakerSettings,
    GroundbreakerStatusChange,
    GroundbreakerUpdate,
    KeyOutcome,
    LearningEntry,
    Tag,
    WorkingGroupMember,
)


class KeyOutcomeInline(admin.TabularInline):
    model = KeyOutcome
    extra = 0


class WorkingGroupInline(admin.TabularInline):
    model = WorkingGroupMember
    extra = 0
    raw_id_fields = ["user", "organisation"]


@admin.register(Groundbreaker)
class GroundbreakerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "status", "lead_service_area", "lead_officer"]
    list_filter = ["programme", "status"]
    search_fields = ["name"]
    readonly_fields = ["status", "status_changed_on", "version"]
    filter_horizontal = ["partners", "places"]
    inlines = [KeyOutcomeInline, WorkingGroupInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["title", "date", "kind", "status", "programme", "groundbreaker", "attendees"]
    search_fields = ["title"]
    list_filter = ["programme", "kind", "status", "council_led"]
    raw_id_fields = ["groundbreaker", "recorded_by"]
    filter_horizontal = ["places", "audiences", "partners"]


@admin.register(LearningEntry)
class LearningEntryAdmin(SimpleHistoryAdmin):
    list_display = ["title", "recorded_on", "outcome", "groundbreaker"]
    list_filter = ["programme", "outcome"]
    search_fields = ["title", "what_we_tried", "what_happened"]


admin.site.register(GroundbreakerSettings)
admin.site.register(Audience)
admin.site.register(GroundbreakerStatusChange)
admin.site.register(GroundbreakerUpdate, SimpleHistoryAdmin)
admin.site.register(Tag)
