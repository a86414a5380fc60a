"""Plotly figures as pure functions of DataFrames: each has a title that says what it shows,
axis titles with units, and hover values. The pages add the source captions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from etl import labels

BASIS_UNIT = {
    "hourly": "$ per hour",
    "biweekly": "$ per biweekly period",
    "monthly": "$ per month",
    "annual": "$ per year",
}
# No named template: resolving "plotly_white" deep-copies it into every figure (15 ms each,
# most of a page's run), and st.plotly_chart applies the app's theme on top anyway.
LAYOUT = dict(
    template=None,
    margin=dict(l=10, r=10, t=60, b=10),
    hoverlabel=dict(namelength=-1),
    plot_bgcolor="white",
    paper_bgcolor="white",
)


def _money(v: float) -> str:
    return f"${v:,.2f}"


def gap_bars(
    table: pd.DataFrame,
    threshold_pct: float,
    subject: str,
    stat: str,
    as_of: str,
    position: str = "top",
    measure: str = "pay",
) -> go.Figure:
    """Horizontal bars of % below market per benchmark, most behind on top, threshold drawn,
    each bar labelled with its value; `measure` names what is compared (pay, total
    compensation)."""
    t = table.sort_values("pct_below_market")
    colors = ["#c0392b" if f else "#7f8c8d" for f in t["flag"]]
    labels = [
        f"{title} ({code})"
        for title, code in zip(t["subject_title"], t["subject_class_code"], strict=True)
    ]
    hover = [
        f"{lab}<br>own {measure}, {position} step {_money(o)}/yr<br>market {stat} {_money(m)}/yr"
        f" (n={n})"
        f"<br>{p:+.2f}% below market; {q:+.2f}% increase to reach market"
        for lab, o, m, n, p, q in zip(
            labels,
            t["own_top_annual"],
            t["market"],
            t["market_n"],
            t["pct_below_market"],
            t["pct_increase_to_market"],
            strict=True,
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=t["pct_below_market"],
            y=labels,
            orientation="h",
            marker_color=colors,
            hovertext=hover,
            hoverinfo="text",
            text=[f"{v:+.1f}%" for v in t["pct_below_market"]],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.add_vline(
        x=threshold_pct,
        line_dash="dash",
        line_color="#c0392b",
        annotation_text=f"threshold {threshold_pct:g}%",
        annotation_position="top",
    )
    fig.add_vline(x=0, line_color="#333")
    fig.update_layout(
        title=f"{subject}: {measure}, % below the market {stat} at the {position} step, "
        f"as of {as_of}",
        xaxis_title="% below market = (market − own) / market  (negative = above market)",
        yaxis_title=None,
        height=max(360, 22 * len(t) + 120),
        **LAYOUT,
    )
    return fig


def step_lines(df: pd.DataFrame, basis: str, title: str) -> go.Figure:
    """Pay by step, one line per class (columns: label, step_index, step, value, is_derived)."""
    fig = go.Figure()
    for label, g in df.groupby("label", sort=False):
        g = g.sort_values("step_index")
        fig.add_trace(
            go.Scatter(
                x=g["step_index"],
                y=g["value"],
                mode="lines+markers",
                name=label,
                text=[
                    f"step {s}{' (derived)' if d else ''}"
                    for s, d in zip(g["step"], g["is_derived"], strict=True)
                ],
                hovertemplate="%{fullData.name}<br>%{text}: $%{y:,.2f}<extra></extra>",
            )
        )
    fig.update_layout(
        title=title,
        xaxis_title="Step number (1 = entry step)",
        yaxis_title=BASIS_UNIT.get(basis, basis),
        **LAYOUT,
    )
    fig.update_xaxes(dtick=1)
    return fig


def trajectory_lines(df: pd.DataFrame, value_col: str, unit: str, title: str) -> go.Figure:
    """A new hire's pay month by month (columns: label, month_index, date, step, basis,
    value_col). The x axis is years since hire (the first row's date), so agreements of
    different eras line up; a schedule taking effect between two months is drawn on its day."""
    fig = go.Figure()
    for label, g in df.groupby("label", sort=False):
        days = pd.to_datetime(g["date"]) - pd.Timestamp(g["date"].iloc[0])
        fig.add_trace(
            go.Scatter(
                x=days.dt.days / 365.25,
                y=g[value_col],
                mode="lines",
                name=label,
                line_shape="hv",
                text=[
                    f"{pd.Timestamp(d):%b %Y} · step {s} · {b}"
                    for d, s, b in zip(g["date"], g["step"], g["basis"], strict=True)
                ],
                hovertemplate="%{fullData.name}<br>year %{x:.2f}: $%{y:,.2f}<br>%{text}"
                "<extra></extra>",
            )
        )
    fig.update_layout(title=title, xaxis_title="Years since hire", yaxis_title=unit, **LAYOUT)
    return fig


def dot_plot(
    df: pd.DataFrame, title: str, unit: str, colors: dict[str, str] | None = None
) -> go.Figure:
    """One row per class, one dot per agency (columns: class_label, agency, value, detail);
    `colors` maps agency to colour (analysis.agencies.colors)."""
    colors = colors or {}
    fig = go.Figure()
    for agency, g in df.groupby("agency", sort=False):
        fig.add_trace(
            go.Scatter(
                x=g["value"],
                y=g["class_label"],
                mode="markers",
                name=agency,
                marker=dict(size=11, color=colors.get(agency)),
                text=g.get("detail", agency),
                hovertemplate="%{y}<br>" + agency + ": $%{x:,.0f}<br>%{text}<extra></extra>",
            )
        )
    fig.update_layout(
        title=title,
        xaxis_title=unit,
        yaxis_title=None,
        height=max(360, 26 * df["class_label"].nunique() + 140),
        **LAYOUT,
    )
    return fig


def cost_bars(by_year: pd.DataFrame, title: str) -> go.Figure:
    """Baseline and proposal cost per fiscal year, the increment stacked on the baseline."""
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=by_year["fiscal_year"],
            y=by_year["baseline_cost"],
            name="Baseline",
            marker_color="#7f8c8d",
            hovertemplate="%{x}: baseline $%{y:,.0f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            x=by_year["fiscal_year"],
            y=by_year["incremental_cost"],
            name="Increment (proposal − baseline)",
            marker_color="#c0392b",
            hovertemplate="%{x}: increment $%{y:,.0f}<extra></extra>",
        )
    )
    fig.update_layout(
        barmode="stack",
        title=title,
        xaxis_title="Fiscal year (July–June)",
        yaxis_title="$ per fiscal year",
        **LAYOUT,
    )
    return fig


def increment_waterfall(parts: pd.Series, title: str) -> go.Figure:
    """The cumulative increment split into its parts (base wages, steps, premiums...)."""
    fig = go.Figure(
        go.Waterfall(
            x=[*parts.index, "Total"],
            y=[*parts.values, 0],
            measure=["relative"] * len(parts) + ["total"],
            hovertemplate="%{x}: $%{y:,.0f}<extra></extra>",
            connector=dict(line=dict(color="#bbb")),
        )
    )
    fig.update_layout(title=title, xaxis_title=None, yaxis_title="$ over the term", **LAYOUT)
    return fig


def premium_bars(
    df: pd.DataFrame, base_hourly: float, colors: dict[str, str] | None = None
) -> go.Figure:
    """Premiums in $/hour, one bar per premium, coloured by agency (columns: agency, premium,
    usd_per_hour, pct_of_base, computed_as)."""
    d = df.dropna(subset=["usd_per_hour"]).sort_values("usd_per_hour").copy()
    # Tiers of one premium (e.g. standby by number of examiners) share a name: label each bar
    # with its stated rate so no two bars sit on one line.
    d["label"] = d["premium"].map(labels.words) + " (" + d["agency"] + ")"
    dup = d["label"].duplicated(keep=False)
    if dup.any():
        rates = d.loc[dup, "value"].map("{:g}".format).astype(str)
        unit = d.loc[dup, "basis"].map({"pct_of_base": "%", "pct_of_reference_rate": "% ref"})
        d.loc[dup, "label"] = d.loc[dup, "label"] + " " + rates + unit.fillna("").astype(str)
    fig = go.Figure()
    for agency, g in d.groupby("agency"):
        fig.add_bar(
            x=g["usd_per_hour"],
            y=g["label"],
            orientation="h",
            name=agency,
            marker_color=(colors or {}).get(agency),
            customdata=g[["pct_of_base", "computed_as"]],
            hovertemplate="%{y}<br>$%{x:,.2f}/h = %{customdata[0]:.1f}% of base"
            "<br>%{customdata[1]}<extra></extra>",
        )
    fig.update_layout(
        title=f"Premiums in $ per hour on a base of ${base_hourly:,.2f}/h",
        xaxis_title="$ per hour",
        yaxis_title=None,
        height=max(380, 18 * len(d) + 120),
        **LAYOUT,
    )
    return fig


def share_bars(df: pd.DataFrame) -> go.Figure:
    """Employer and employee shares of benefit premiums, stacked to 100% (columns: label,
    employer_pct, employee_pct)."""
    fig = go.Figure()
    fig.add_bar(
        y=df["label"],
        x=df["employer_pct"],
        name="Employer %",
        orientation="h",
        marker_color="#1f5fa8",
        hovertemplate="%{y}: employer %{x:.1f}%<extra></extra>",
    )
    fig.add_bar(
        y=df["label"],
        x=df["employee_pct"],
        name="Employee %",
        orientation="h",
        marker_color="#c0392b",
        hovertemplate="%{y}: employee %{x:.1f}%<extra></extra>",
    )
    fig.update_layout(
        barmode="stack",
        title="Employer and employee shares of benefit premiums",
        xaxis_title="% of premium",
        height=max(320, 24 * len(df) + 120),
        **LAYOUT,
    )
    return fig


def compare_bars(long: pd.DataFrame, title: str) -> go.Figure:
    """Grouped bars: the increment per fiscal year, one bar per scenario. When the scenarios'
    fiscal years differ (other start dates or agencies), bars are grouped by year of the term."""
    same_years = long.groupby("scenario")["fiscal_year"].apply(tuple).nunique() <= 1
    fig = go.Figure()
    for name, g in long.groupby("scenario", sort=False):
        x = g["fiscal_year"] if same_years else "Year " + g["year"].astype(str)
        fig.add_trace(
            go.Bar(
                x=x,
                y=g["incremental_cost"],
                name=str(name),
                customdata=np.stack([g["fiscal_year"], g["cumulative_increment"]], axis=1),
                hovertemplate="%{fullData.name}<br>%{customdata[0]}: increment $%{y:,.0f}"
                "<br>cumulative $%{customdata[1]:,.0f}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        title=title,
        xaxis_title="Fiscal year (July–June)" if same_years else "Year of the term",
        yaxis_title="Increment over the baseline, $ per fiscal year",
        template="plotly_white",
        margin=dict(l=10, r=10, t=60, b=10),
        hoverlabel=dict(namelength=-1),
        legend_title_text="Scenario",
    )
    return fig
