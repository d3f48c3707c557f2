from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Place, Programme


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ons_code", "parent", "council"]
    list_filter = ["council", "kind"]
    search_fields = ["name", "ons_code"]
    autocomplete_fields = ["parent"]


class ProgrammeAdminForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = "__all__"  # noqa: DJ007 - the staff admin's form for every field

    def clean(self):
        cleaned = super().clean()
        council = cleaned.get("council")
        places = cleaned.get("priority_places") or []
        foreign = [p.name for p in places if council and p.council_id != council.pk]
        if foreign:
            self.add_error(
                "priority_places", f"These places are not {council}'s: {', '.join(foreign)}"
            )
        return cleaned


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    form = ProgrammeAdminForm
    list_display = ["name", "council", "status", "start", "end"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    filter_horizontal = ["priority_places"]


from .models import (  # noqa: E402
    Ambition,
    AmbitionPoint,
    Commitment,
    CommitmentUpdate,
    DeliveryPlan,
    GovernanceBody,
    GovernanceBodyMember,
    Group,
    Milestone,
    Phase,
    ReportingPeriod,
    Risk,
)


class AmbitionPointInline(admin.TabularInline):
    model = AmbitionPoint
    extra = 0


@admin.register(Ambition)
class AmbitionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "order"]
    inlines = [AmbitionPointInline]


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "order", "start", "end"]


class GovernanceBodyMemberInline(admin.TabularInline):
    model = GovernanceBodyMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(GovernanceBody)
class GovernanceBodyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "chair", "meeting_cadence", "receives_quarterly_report"]
    list_filter = ["receives_quarterly_report"]
    inlines = [GovernanceBodyMemberInline]


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0


@admin.register(DeliveryPlan)
class DeliveryPlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "group_label"]
    inlines = [GroupInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class RiskInline(admin.TabularInline):
    model = Risk
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "group", "status", "progress"]
    list_filter = ["status", "plan"]
    search_fields = ["title"]
    filter_horizontal = ["lead_users", "lead_organisations", "ambitions"]
    inlines = [MilestoneInline, RiskInline]


@admin.register(CommitmentUpdate)
class CommitmentUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["commitment", "period", "status", "rag", "submitted_at"]
    list_filter = ["status", "rag"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["label", "programme", "update_deadline", "status"]
    list_filter = ["programme", "status"]
