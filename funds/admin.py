from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programmes.models import Programme

from .models import (
    Application,
    Award,
    Criterion,
    EmailTemplate,
    Fund,
    MemberAllocation,
    Payment,
    Question,
    Round,
)
from .services import fund_funder_defaults


class RoundInline(admin.TabularInline):
    model = Round
    extra = 0
    fields = ["name", "opens_at", "closes_at", "award_by", "budget", "invite_only"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "kind", "required", "help_text", "choices"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "name", "weight", "guidance"]


@admin.register(Fund)
class FundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "programme", "budget_total", "reference_prefix"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoundInline, QuestionInline, CriterionInline]

    def get_changeform_initial_data(self, request):
        """Adding a fund for a programme (?programme=<id>) starts with its council's org-id."""
        initial = super().get_changeform_initial_data(request)
        programme_id = str(initial.get("programme", ""))
        if programme_id.isdigit():
            programme = Programme.objects.select_related("council").filter(pk=programme_id).first()
            if programme is not None:
                initial.update(fund_funder_defaults(programme))
        return initial

    def save_model(self, request, obj, form, change):
        if not obj.funder_identifier:
            obj.funder_identifier = fund_funder_defaults(obj.programme)["funder_identifier"]
        super().save_model(request, obj, form, change)


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "fund", "opens_at", "closes_at", "budget", "invite_only"]
    list_filter = ["fund"]
    filter_horizontal = ["invited_organisations"]


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "project_title", "organisation", "round", "status"]
    list_filter = ["status", "round__fund"]
    search_fields = ["reference", "project_title", "organisation__name"]
    readonly_fields = ["reference", "status", "submitted_at", "submitted_by"]


@admin.register(Award)
class AwardAdmin(SimpleHistoryAdmin):
    list_display = ["application", "amount_capital", "amount_revenue", "awarded_on", "status"]
    list_filter = ["status", "application__round__fund"]


@admin.register(Payment)
class PaymentAdmin(SimpleHistoryAdmin):
    list_display = ["award", "amount", "due_on", "status", "created_by", "approved_by"]
    readonly_fields = ["status", "approved_by", "approved_at", "paid_at"]


@admin.register(MemberAllocation)
class MemberAllocationAdmin(SimpleHistoryAdmin):
    list_display = ["councillor", "fund", "year", "amount"]


admin.site.register(EmailTemplate, SimpleHistoryAdmin)
