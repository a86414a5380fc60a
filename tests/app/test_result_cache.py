"""The pages' result cache: each reader gets a copy it may change, one computation per key."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from datetime import date

import numpy as np
import pandas as pd
import pytest

from app_pages.result_cache import ResultCache, fresh, key_of


@dataclasses.dataclass(frozen=True)
class Result:
    table: pd.DataFrame
    notes: list[str]
    when: date


def _result() -> Result:
    df = pd.DataFrame({"code": ["A1", "B2"], "pay": [20.0, 30.0]})
    df.attrs["notes"] = ["derived"]
    return Result(df, ["one"], date(2025, 7, 1))


def test_a_reader_changing_its_copy_leaves_the_cached_result_alone():
    cache = ResultCache(8)
    first = cache.get("k", _result)
    first.table.loc[0, "pay"] = 99.0
    first.table["extra"] = 1
    first.table.columns = ["Class", "pay", "extra"]
    first.table.attrs["notes"].append("changed")
    first.notes.append("two")
    again = cache.get("k", lambda: pytest.fail("computed twice"))
    assert again.table["pay"].tolist() == [20.0, 30.0]
    assert list(again.table.columns) == ["code", "pay"]
    assert again.table.attrs == {"notes": ["derived"]}
    assert again.notes == ["one"] and again.when == date(2025, 7, 1)
    assert isinstance(again, Result)


def test_other_values_are_copied_whole():
    arr = np.array([1.0, 2.0])
    got = fresh({"a": arr, "s": {1, 2}})
    got["a"][0] = 5.0
    got["s"].add(3)
    assert arr[0] == 1.0 and got["a"] is not arr


def test_one_computation_per_key_while_others_wait():
    cache, calls = ResultCache(8), []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return pd.DataFrame({"x": [1]})

    out = []
    threads = [threading.Thread(target=lambda: out.append(cache.get("k", slow))) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(out) == 5
    assert len({id(o) for o in out}) == 5  # each its own copy


def test_failures_are_not_cached_and_old_entries_leave_first():
    cache = ResultCache(2)
    with pytest.raises(ZeroDivisionError):
        cache.get("bad", lambda: 1 / 0)
    assert cache.get("bad", lambda: 3) == 3
    cache.get("b", lambda: 4)
    cache.get("bad", lambda: pytest.fail("recently used: kept"))
    cache.get("c", lambda: 5)  # evicts "b", the least recently used
    assert len(cache) == 2
    assert cache.get("b", lambda: 6) == 6


def test_keys_tell_types_and_tables_apart():
    df = pd.DataFrame({"x": [1, 2]})
    assert key_of((1,)) != key_of((1.0,)) != key_of((True,))
    assert key_of((df,)) == key_of((df.copy(),))
    assert key_of((df,)) != key_of((df.assign(x=[1, 3]),))
    assert key_of((["a"],)) == key_of((["a"],))


def test_a_readable_copy_follows_a_changed_table_and_never_changes_it():
    """A changed copy of a table reads as changed, the original as it was, and a reader
    changing its readable copy changes neither."""
    from etl import labels

    df = pd.DataFrame({"basis": ["hourly", "annual", None], "class_title": ["A", None, "C"]})
    first = labels.readable(df)
    assert labels.readable(df).equals(first)
    changed = df.copy(deep=False)
    changed.loc[0, "basis"] = "monthly"
    again = labels.readable(changed)
    assert again.iloc[0, 0] == labels.label("basis", "monthly") != first.iloc[0, 0]
    assert labels.readable(df).equals(first)  # the original untouched
    first.iloc[0, 0] = "edited"  # a reader changing its readable copy
    assert labels.readable(df).iloc[0, 0] == labels.label("basis", "hourly")


def _bars(df: pd.DataFrame):
    import plotly.graph_objects as go

    return go.Figure(go.Bar(x=df["x"], y=df["y"]))


def test_a_cached_figure_is_shared_as_its_dict_and_its_caption_goes_on_a_new_one():
    import plotly.graph_objects as go
    import plotly.io
    import plotly.tools

    from app_pages import figure_spec, show

    show.clear_figures()
    df = pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})
    fig = show.figure(_bars, df)
    assert show.figure(_bars, df.copy()) is fig  # equal tables: the same shared figure
    one = pd.DataFrame({"x": ["a"], "y": [3]})
    other = show.figure(_bars, one)
    assert other is not fig
    assert plotly.io.to_json(other.spec, validate=False) == _bars(one).to_json()
    # What st.plotly_chart does with it: the dict as it is, then JSON.
    spec = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    assert spec is fig.spec
    assert plotly.io.to_json(spec, validate=False) == _bars(df).to_json()
    before = plotly.io.to_json(fig.spec, validate=False)
    caption = "Source: Sonoma MOU 2002-2008, §9.8"
    shown = figure_spec.captioned(fig, caption)
    assert plotly.io.to_json(fig.spec, validate=False) == before  # the figure given unchanged
    checked = go.Figure(shown.spec)  # what Plotly would validate: a valid figure
    assert [a.text for a in checked.layout.annotations] == [caption]
    assert checked.layout.margin.b > 40


@pytest.mark.parametrize("words", [8, 40, 70])
def test_a_captions_lines_fit_in_the_bottom_margin(words):
    """The caption hangs below the plot area (under the x-axis title): the bottom margin holds
    the shift and every line of it (a two-line caption lost its second line)."""
    import plotly.graph_objects as go

    from app_pages import figure_spec

    fig = figure_spec.built(go.Figure(go.Bar(x=["a"], y=[1]), layout={"xaxis_title": "Step"}))
    shown = go.Figure(figure_spec.captioned(fig, " ".join(["Source: §9.8"] * words)).spec)
    note = shown.layout.annotations[-1]
    lines = note.text.count("<br>") + 1
    assert lines >= (1 if words < 10 else 2)
    line_px = 14  # font size 10
    assert shown.layout.margin.b >= -note.yshift + lines * line_px
    # the plot keeps its height: the figure grows by what the caption takes
    assert shown.layout.height - 450 == shown.layout.margin.b - 10
    tall = figure_spec.built(go.Figure(go.Bar(x=["a"], y=[1]), layout={"height": 700}))
    tall_shown = go.Figure(figure_spec.captioned(tall, "Source: §9.8").spec)
    assert tall_shown.layout.height - 700 == tall_shown.layout.margin.b - 10


def test_a_figure_shown_with_a_caption_carries_it_in_the_chart():
    from streamlit.testing.v1 import AppTest

    script = """
import pandas as pd
import plotly.graph_objects as go
from app_pages import show

def bars(df):
    return go.Figure(go.Bar(x=df["x"], y=df["y"]))

df = pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})
show.chart(show.figure(bars, df), "c1", "Source: Sonoma MOU §9.8")
show.chart(show.figure(bars, df), "c2", "")
"""
    at = AppTest.from_string(script).run()
    assert not at.exception
    specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    texts = [[a["text"] for a in s["layout"].get("annotations", [])] for s in specs]
    assert texts == [["Source: Sonoma MOU §9.8"], []]


def test_a_byte_bound_evicts_the_oldest_and_keeps_no_value_larger_than_it():
    cache = ResultCache(max_entries=100, max_bytes=10, size_of=len)
    for k in "abc":
        cache.get(k, lambda k=k: k * 4)  # 4 bytes each: a is evicted by c
    assert cache.bytes == 8 and len(cache) == 2
    calls = []
    assert cache.get("b", lambda: calls.append(1) or "x") == "bbbb" and calls == []
    assert cache.get("big", lambda: "z" * 11) == "z" * 11  # handed out, not kept
    assert cache.bytes == 8 and len(cache) == 2
    cache.clear()
    assert cache.bytes == 0 and len(cache) == 0
