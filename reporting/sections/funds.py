"""Funds for the report: applications, awards, money against budget, and where it went; and
the programme's residents' votes (participatory budgeting).

The votes' figures are part of this section, built from the votes themselves, so every report
shows them without anyone adding metrics to the evaluation framework. The period's totals (money
decided by residents, turnout) come from the same calculators as the evaluation's derived
metrics (`evaluation.derived`: `money_decided_by_residents`, `residents_vote_turnout`), so a
framework that also tracks them as metrics shows the same figures."""

from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.template.defaultfilters import pluralize

from cpw.core import formatting
from cpw.core.tabular import Formatted
from evaluation import derived
from funds.models import (
    Award,
    Ballot,
    BallotChannel,
    Fund,
    GrantStatus,
    ParticipatoryRound,
    Payment,
    PaymentStatus,
)
from funds.selectors import fund_dashboard

from ..blocks import column, heading, para, table, table_row
from . import ReportSection, Sheet

TOP_PLACES = 10


def residents_votes(programme, period) -> dict | None:
    """The programme's residents' votes whose voting closed in the period (as the turnout
    metric counts them), each with its ballots, turnout and the money its confirmed result
    awarded; and the period's money decided by residents and turnout. None when the programme
    had no vote close and awarded no grant from a vote in the period."""
    votes = list(
        ParticipatoryRound.objects.filter(
            round__fund__programme=programme,
            voting_closes_at__date__gte=period.start,
            voting_closes_at__date__lte=period.end,
        )
        .select_related("round__fund")
        .order_by("voting_closes_at", "pk")
    )
    money = derived.calculate("money_decided_by_residents", programme, period)
    if not votes and money is None:
        return None
    ballots = {
        row["participatory_id"]: row
        for row in Ballot.objects.filter(participatory__in=votes)
        .values("participatory_id")
        .annotate(
            online=Count("pk", filter=Q(channel=BallotChannel.ONLINE)),
            paper=Count("pk", filter=Q(channel=BallotChannel.PAPER)),
            spoilt=Count("pk", filter=Q(spoilt=True)),
        )
    }
    awarded = {
        row["application__round_id"]: row
        for row in Award.objects.filter(application__round__participatory__in=votes)
        .exclude(status=GrantStatus.WITHDRAWN)
        .values("application__round_id")
        .annotate(n=Count("pk"), total=Sum(F("amount_capital") + F("amount_revenue")))
    }
    rows = []
    for vote in votes:
        counted = ballots.get(vote.pk, {})
        total = counted.get("online", 0) + counted.get("paper", 0)
        grants = awarded.get(vote.round_id, {})
        rows.append(
            {
                "fund": vote.round.fund.name,
                "round": vote.round.name,
                "closed": vote.voting_closes_at.date(),
                "pot": vote.round.budget,
                "online": counted.get("online", 0),
                "paper": counted.get("paper", 0),
                "spoilt": counted.get("spoilt", 0),
                "electorate": vote.electorate,
                "turnout": (
                    (Decimal(100) * total / vote.electorate).quantize(Decimal("0.1"))
                    if vote.electorate
                    else None
                ),
                "confirmed": vote.result_confirmed_at is not None,
                "grants": grants.get("n", 0),
                "decided": grants.get("total") or Decimal(0),
            }
        )
    return {
        "rows": rows,
        "money_this_period": money,
        "turnout_this_period": derived.calculate("residents_vote_turnout", programme, period),
    }


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
        return {"rows": rows, "votes": residents_votes(programme, period)}

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
        sheets = [money, summary, places]
        votes = data.get("votes")  # reports compiled before votes were reported have none
        if votes:
            percent = formatting.XLSX_FORMATS[formatting.PERCENT]
            sheet = Sheet(
                "Residents' votes",
                [
                    "Fund",
                    "Vote",
                    "Voting closed",
                    "Pot (£)",
                    "Ballots online",
                    "Ballots on paper",
                    "Spoilt",
                    "Eligible residents",
                    "Turnout (%)",
                    "Result confirmed",
                    "Grants",
                    "Decided by residents (£)",
                ],
                formats=[
                    None,
                    None,
                    None,
                    pounds,
                    None,
                    None,
                    None,
                    None,
                    percent,
                    None,
                    None,
                    pounds,
                ],
            )
            sheet.rows = [
                [
                    v["fund"],
                    v["round"],
                    v["closed"],
                    v["pot"],
                    v["online"],
                    v["paper"],
                    v["spoilt"],
                    v["electorate"],
                    v["turnout"],
                    "Yes" if v["confirmed"] else "No",
                    v["grants"],
                    v["decided"],
                ]
                for v in votes["rows"]
            ]
            sheets.append(sheet)
            summary.rows += [
                [
                    "Residents' votes",
                    "Money decided by residents this period (£)",
                    Formatted(votes["money_this_period"], pounds),
                ],
                [
                    "Residents' votes",
                    "Turnout this period (%)",
                    Formatted(votes["turnout_this_period"], percent),
                ],
            ]
        return sheets

    def printed(self, data: dict) -> list[dict]:
        return funds_blocks(data)


def funds_blocks(data: dict) -> list[dict]:
    blocks = []
    money = formatting.money
    for fund in data["rows"]:
        this_period = fund["awarded_this_period"]
        text = (
            f"{fund['awards']} grant{pluralize(fund['awards'])} awarded in all; "
            f"{this_period['count']} this period ({money(this_period['amount'])}). "
            f"Paid to date: {money(fund['paid_to_date'])}."
        )
        if fund.get("priority_share") is not None:
            text += f" {formatting.percent(fund['priority_share'])} of the money went to priority places."
        blocks += [heading(3, fund["name"]), para(text)]
        blocks.append(
            table(
                f"{fund['name']}: money requested and awarded against budget",
                [
                    column("Money", width="1.4fr"),
                    column("Requested", numeric=True),
                    column("Awarded", numeric=True),
                    column("Budget", numeric=True),
                ],
                [
                    table_row(
                        m["label"], money(m["requested"]), money(m["awarded"]), money(m["budget"])
                    )
                    for m in fund["money"]
                ],
            )
        )
        if fund.get("applications"):
            blocks.append(
                table(
                    f"{fund['name']}: applications by state",
                    [column("State", width="2fr"), column("Applications", numeric=True)],
                    [table_row(s["label"], s["count"]) for s in fund["applications"]],
                )
            )
        if fund.get("by_place"):
            blocks.append(
                table(
                    f"{fund['name']}: where the money went (largest first)",
                    [
                        column("Place", width="2fr"),
                        column("Priority place"),
                        column("Awarded", numeric=True),
                    ],
                    [
                        table_row(p["name"], "Yes" if p["priority"] else "No", money(p["amount"]))
                        for p in fund["by_place"]
                    ],
                )
            )
    if not data["rows"]:
        blocks.append(para("This programme has no funds."))
    votes = data.get("votes")
    if votes:
        decided = (
            money(votes["money_this_period"])
            if votes.get("money_this_period") is not None
            else "none awarded"
        )
        turnout = (
            formatting.percent(votes["turnout_this_period"])
            if votes.get("turnout_this_period") is not None
            else "not known (no vote gave the number of residents who could vote)"
        )
        blocks += [
            heading(3, "Residents' votes"),
            para(
                f"Money decided by residents this period: {decided}. Turnout in the votes that "
                f"closed this period: {turnout}."
            ),
        ]
        if votes.get("rows"):
            blocks.append(
                table(
                    "Residents' votes that closed this period",
                    [
                        column("Vote", width="2fr"),
                        column("Pot", numeric=True),
                        column("Ballots (online, paper, spoilt)", numeric=True),
                        column("Turnout", numeric=True),
                        column("Decided by residents", numeric=True, width="1.4fr"),
                    ],
                    [
                        table_row(
                            f"{v['fund']}: {v['round']}",
                            money(v["pot"]),
                            f"{v['online']}, {v['paper']}, {v['spoilt']}",
                            formatting.percent(v["turnout"])
                            if v.get("turnout") is not None
                            else "Not known",
                            f"{money(v['decided'])} ({v['grants']} grant{pluralize(v['grants'])})"
                            if v.get("confirmed")
                            else "Result not confirmed yet",
                        )
                        for v in votes["rows"]
                    ],
                )
            )
    return blocks
