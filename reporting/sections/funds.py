"""Funds for the report: applications, awards, money against budget, and where it went."""

from django.db.models import Count, Q, Sum

from cpw.core import formatting
from cpw.core.tabular import Formatted
from funds.models import Award, Fund, GrantStatus, Payment, PaymentStatus
from funds.selectors import fund_dashboard

from . import ReportSection, Sheet

TOP_PLACES = 10


class FundsSection(ReportSection):
    key = "funds"
    title = "Funds and grants"

    def build(self, *, programme, period, as_of) -> dict:
        funds = list(Fund.objects.filter(programme=programme).order_by("name"))
        in_period = {
            row["application__round__fund_id"]: row
            for row in Award.objects.filter(
                application__round__fund__in=funds,
                awarded_on__gte=period.start,
                awarded_on__lte=period.end,
            )
            .exclude(status=GrantStatus.WITHDRAWN)
            .values("application__round__fund_id")
            .annotate(n=Count("pk"), c=Sum("amount_capital"), r=Sum("amount_revenue"))
        }
        paid = {
            row["award__application__round__fund_id"]: row["total"]
            for row in Payment.objects.filter(
                award__application__round__fund__in=funds, status=PaymentStatus.PAID
            )
            .values("award__application__round__fund_id")
            .annotate(total=Sum("amount", filter=Q(paid_at__date__lte=period.end)))
        }
        rows = []
        for fund in funds:
            dashboard = fund_dashboard(fund)
            this_period = in_period.get(fund.pk, {})
            rows.append(
                {
                    "name": fund.name,
                    "operator": fund.operator,
                    "applications": [s for s in dashboard["by_state"] if s["count"]],
                    "money": dashboard["money"],
                    "awards": dashboard["awards_count"],
                    "awarded_this_period": {
                        "count": this_period.get("n", 0),
                        "amount": (this_period.get("c") or 0) + (this_period.get("r") or 0),
                    },
                    "paid_to_date": paid.get(fund.pk) or 0,
                    "priority_share": dashboard["priority_share"],
                    "by_place": [
                        {"name": p["name"], "amount": p["amount"], "priority": p["priority"]}
                        for p in dashboard["by_place"][:TOP_PLACES]
                    ],
                    "by_type": dashboard["by_type"],
                }
            )
        return {"rows": rows}

    def sheets(self, data: dict) -> list[Sheet]:
        pounds = formatting.XLSX_FORMATS[formatting.POUNDS]
        money = Sheet(
            "Funds",
            ["Fund", "Money", "Requested (£)", "Awarded (£)", "Budget (£)"],
            formats=[None, None, pounds, pounds, pounds],
        )
        places = Sheet(
            "Grants by place",
            ["Fund", "Place", "Priority place", "Awarded (£)"],
            formats=[None, None, None, pounds],
        )
        summary = Sheet("Fund activity", ["Fund", "Measure", "Value"])
        for fund in data["rows"]:
            money.rows += [
                [fund["name"], m["label"], m["requested"], m["awarded"], m["budget"]]
                for m in fund["money"]
            ]
            places.rows += [
                [fund["name"], p["name"], "Yes" if p["priority"] else "No", p["amount"]]
                for p in fund["by_place"]
            ]
            summary.rows += [
                [fund["name"], f"Applications: {s['label']}", s["count"]]
                for s in fund["applications"]
            ]
            summary.rows += [
                [fund["name"], "Grants awarded", fund["awards"]],
                [fund["name"], "Grants awarded this period", fund["awarded_this_period"]["count"]],
                [
                    fund["name"],
                    "Awarded this period (£)",
                    Formatted(fund["awarded_this_period"]["amount"], pounds),
                ],
                [fund["name"], "Paid to date (£)", Formatted(fund["paid_to_date"], pounds)],
                [
                    fund["name"],
                    "Share to priority places (%)",
                    Formatted(fund["priority_share"], formatting.XLSX_FORMATS[formatting.PERCENT]),
                ],
            ]
        return [money, summary, places]
