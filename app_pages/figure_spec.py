"""Figures kept as the plain data Plotly makes of them, shared read-only between sessions.

A Plotly figure validates every property when it is built, copied or unpickled (10-30 ms for
a chart); st.plotly_chart turns a figure into `to_dict()` (a deep copy) and that into JSON.
A figure is built once per arguments (app_pages/show.figure), turned into its dict once, and
handed to st.plotly_chart as `Built`, whose `to_dict()` gives that dict without copying: what
is left per run is the JSON encoding. No Plotly object is shared between sessions (only
dicts, lists and arrays that nothing changes: a caption goes on a new dict), so no Plotly
state is touched by two threads at once."""

from __future__ import annotations

import textwrap

from plotly.basedatatypes import BaseFigure

from app_pages import result_cache


class Built(BaseFigure, result_cache.Shared):
    """A built figure's dict, in the type st.plotly_chart takes (Plotly's `BaseFigure`, whose
    constructor is not run: the dict is already what it would validate to). Read-only."""

    def __init__(self, spec: dict):
        object.__setattr__(self, "_spec", spec)

    @property
    def spec(self) -> dict:
        return self._spec

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec

    def __repr__(self) -> str:
        return f"Built({self._spec.get('layout', {}).get('title', {}).get('text', '')!r})"


def built(fig) -> Built:
    """`fig` (a Plotly figure) as a shared dict; trace uids dropped as plotly.io.to_json
    would (it pops them from the dict it is given)."""
    spec = fig.to_dict()
    for trace in spec.get("data", []):
        trace.pop("uid", None)
    return Built(spec)


def captioned(fig: Built, caption: str) -> Built:
    """A new figure: `fig` with `caption` under the plot (`fig` itself is not changed; only
    the layout's top level, its margin and its annotation list are new)."""
    spec = fig.spec
    layout = dict(spec.get("layout", {}))
    wrapped = "<br>".join(textwrap.wrap(caption, 110))
    lines = wrapped.count("<br>") + 1
    layout["annotations"] = [
        *layout.get("annotations", ()),
        {
            "text": wrapped,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "yshift": -40 - 14 * lines,
            "showarrow": False,
            "align": "left",
            "font": {"size": 10, "color": "#555"},
            "xanchor": "left",
            "yanchor": "top",
        },
    ]
    # Room for the gap the annotation is shifted down by and for its own lines (counting only
    # the shift cut a two-line caption's second line).
    margin = dict(layout.get("margin", {}))
    room = 40 + 2 * 14 * lines + 4
    margin["b"] = (margin.get("b") or 10) + room
    layout["margin"] = margin
    # ... taken from below the plot, not from it: a long caption left a class chart room for
    # half its labels (450: Plotly's height when a figure sets none)
    layout["height"] = (layout.get("height") or 450) + room
    return Built({**spec, "layout": layout})
