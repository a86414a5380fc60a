"""Figures say what they show: a title, axis titles with units, and the data passed in."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.market import gap as market
from figures import charts, network


def test_gap_bars_title_axes_threshold_and_order(con):
    res = market.run_gap(con, "Mendocino", ["Sonoma"], date(2016, 7, 1))
    fig = charts.gap_bars(res.table, 2.0, "Mendocino", "mean", "07/01/2016")
    assert "Mendocino" in fig.layout.title.text and "07/01/2016" in fig.layout.title.text
    assert "% below market" in fig.layout.xaxis.title.text
    xs = list(fig.data[0].x)
    assert xs == sorted(xs)  # most behind at the top of a horizontal bar chart
    assert any(s.x0 == 2.0 for s in fig.layout.shapes)  # the threshold line


def test_premium_and_share_bars():
    prem = pd.DataFrame(
        {
            "agency": ["Sonoma", "Mendocino", "Sonoma"],
            "premium": ["a", "b", "a"],
            "value": [5.0, 0.5, 8.0],
            "basis": ["pct_of_base", "usd_per_hour", "pct_of_base"],
            "usd_per_hour": [1.0, 0.5, 1.6],
            "pct_of_base": [5.0, 2.5, 8.0],
            "computed_as": ["x", "y", "z"],
        }
    )
    fig = charts.premium_bars(prem, 20.0)
    assert fig.layout.xaxis.title.text == "$ per hour" and "$20.00" in fig.layout.title.text
    labels = [y for t in fig.data for y in t.y]
    assert len(labels) == len(set(labels)) == 3  # two tiers of 'a' get their own bars
    share = pd.DataFrame(
        {"label": ["Sonoma medical"], "employer_pct": [85.0], "employee_pct": [15.0]}
    )
    fig = charts.share_bars(share)
    assert [t.x[0] for t in fig.data] == [85.0, 15.0]
    assert fig.layout.xaxis.title.text == "% of premium"


def test_cost_bars_stack_increment_on_baseline():
    by_year = pd.DataFrame(
        {
            "fiscal_year": ["FY 2004-05", "FY 2005-06"],
            "baseline_cost": [100.0, 103.0],
            "incremental_cost": [3.0, 6.09],
        }
    )
    fig = charts.cost_bars(by_year, "t")
    assert fig.layout.barmode == "stack"
    assert fig.layout.yaxis.title.text == "$ per fiscal year"


def test_network_layout_keeps_each_survey_list_on_its_side():
    edges = pd.DataFrame(
        {
            "agency_node": ["Mendocino", "Mendocino", "Sonoma", "Sonoma"],
            "survey_node": ["Lake County", "Napa County", "Napa County", "Marin County"],
        }
    )
    pos = network.network_layout(edges)
    assert pos["Mendocino"][0] < pos["Sonoma"][0]
    assert pos["Lake County"][0] < 0 < pos["Marin County"][0]
    assert pos["Napa County"][1] > 0.9  # surveyed by both: at the top, between them
    # one trace holds every arrow: a segment per edge (None between), the arrowhead at its end,
    # both ends short of the agency markers
    fig = network.network(edges, {"Sonoma"}, "t", hover={"Napa County": "<b>import #1</b>"})
    arrows = fig.data[0]
    assert list(arrows.x).count(None) == len(edges)
    assert list(arrows.marker.size) == [0, 11, 0] * len(edges)
    x0, y0 = arrows.x[0], arrows.y[0]
    mx, my = pos["Mendocino"]
    assert 0.06 < ((x0 - mx) ** 2 + (y0 - my) ** 2) ** 0.5 < 0.08
    nodes = fig.data[1]
    assert "&lt;b&gt;import #1&lt;/b&gt;" in " ".join(nodes.hovertext)  # user text escaped
