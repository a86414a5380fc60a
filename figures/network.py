"""The survey network: who surveys whom, one arrow from each surveying agency to each agency
its agreement names (app_pages/surveys.py)."""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go

from figures.charts import LAYOUT

_STANDOFF = 0.07  # data units between an arrow's ends and the agency markers


def network_layout(edges: pd.DataFrame, inner: set[str] = frozenset()) -> dict[str, tuple]:
    """Positions: the surveying agencies (and `inner`, e.g. loaded agreements) on a line in
    the middle; each surveyed agency on the outer circle, on the side of the agency that
    surveys it (shared ones at the top and bottom), so arrows do not cross the picture."""
    centre = list(dict.fromkeys([*edges["agency_node"], *sorted(inner)]))
    k = len(centre)
    pos = {c: (-0.45 + 0.9 * i / (k - 1) if k > 1 else 0.0, 0.0) for i, c in enumerate(centre)}
    outer = [n for n in dict.fromkeys(edges["survey_node"]) if n not in pos]
    side: dict[str, float] = {}
    for n in outer:
        xs = [pos[a][0] for a in edges.loc[edges["survey_node"] == n, "agency_node"]]
        side[n] = sum(xs) / len(xs)
    left = sorted(n for n in outer if side[n] < -0.1)
    right = sorted(n for n in outer if side[n] > 0.1)
    middle = sorted(n for n in outer if -0.1 <= side[n] <= 0.1)

    def spread(names: list[str], lo: float, hi: float) -> None:
        for i, n in enumerate(names):
            a = math.radians(lo + (hi - lo) * (i + 0.5) / len(names))
            pos[n] = (math.cos(a), math.sin(a))

    spread(left, 110, 250)
    spread(right, 70, -70)
    spread(middle[::2], 80, 100)
    spread(middle[1::2], 260, 280)
    return pos


def network(
    edges: pd.DataFrame,
    has_data: set[str],
    title: str,
    inner: set[str] = frozenset(),
    loose: tuple[str, ...] = (),
    hover: dict[str, str] | None = None,
) -> go.Figure:
    """Who surveys whom: an arrow from the surveying agency to each agency it surveys.
    Filled markers are agencies whose pay data is loaded (or uploaded, or imported). `loose`
    agencies (imported, named by no survey list) sit in a row below, without arrows; `hover`
    adds a line per agency (e.g. its State Controller import)."""
    pos = network_layout(edges, inner)
    loose = tuple(n for n in dict.fromkeys(loose) if n not in pos)
    for i, n in enumerate(loose):
        pos[n] = (-0.9 + 1.8 * (i + 0.5) / len(loose), -1.18)
    nodes = list(pos)
    hover = hover or {}
    fig = go.Figure()
    # One line trace for every arrow (a per-edge annotation costs ~1ms each to build): each
    # segment stops short of both markers, and an arrow marker on its end points along it.
    xs: list[float | None] = []
    ys: list[float | None] = []
    sizes: list[int] = []
    for a, b in zip(edges["agency_node"], edges["survey_node"], strict=True):
        (x0, y0), (x1, y1) = pos[a], pos[b]
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        dx, dy = (x1 - x0) / length * _STANDOFF, (y1 - y0) / length * _STANDOFF
        xs += [x0 + dx, x1 - dx, None]
        ys += [y0 + dy, y1 - dy, None]
        sizes += [0, 11, 0]
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines+markers",
            line=dict(color="#9aa7b8", width=1.2),
            marker=dict(symbol="arrow", angleref="previous", size=sizes, color="#9aa7b8"),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[pos[v][0] for v in nodes],
            y=[pos[v][1] for v in nodes],
            mode="markers+text",
            text=[html.escape(v) for v in nodes],  # names can come from imported files
            textposition=[
                "middle left"
                if pos[v][0] < -0.5
                else "middle right"
                if pos[v][0] > 0.5
                else "bottom center"
                if pos[v][1] <= 0
                else "top center"
                for v in nodes
            ],
            marker=dict(
                size=18,
                line=dict(width=2, color="#1f5fa8"),
                color=["#1f5fa8" if v in has_data else "white" for v in nodes],
            ),
            hovertext=[
                html.escape(f"{v}: {'pay data loaded' if v in has_data else 'no pay data'}")
                + (f"<br>{html.escape(hover[v])}" if v in hover else "")
                for v in nodes
            ],
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.update_layout(
        title=title,
        xaxis=dict(visible=False, range=[-1.9, 1.9]),
        yaxis=dict(visible=False, range=[-1.3, 1.3], scaleanchor="x"),
        height=560,
        **LAYOUT,
    )
    return fig
