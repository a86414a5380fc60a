"""Tables are converted for showing once per content, and what is shown is what was given."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa

from app_pages import shown_tables
from etl import labels


def _counting(calls: list):
    def convert(df):
        calls.append(len(df))
        return labels.readable(df)

    return convert


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "basis": ["hourly", "monthly"],
            "effective_date": [dt.date(2004, 7, 1), None],
            "rate": [21.5, 3720.0],
        }
    )


def test_equal_content_is_converted_once_and_changed_content_again():
    shown_tables.clear()
    calls: list = []
    convert = _counting(calls)
    first, data = shown_tables.shown(_table(), convert)
    again, data_again = shown_tables.shown(_table(), convert)  # built again, same content
    assert calls == [2] and data_again is data
    assert isinstance(data, pa.Table)
    assert again.equals(first)
    changed = _table()
    changed.loc[1, "rate"] = 3800.0
    _, data_changed = shown_tables.shown(changed, convert)
    assert calls == [2, 2]
    assert data_changed.column(2).to_pylist() == [21.5, 3800.0]
    assert data.column(2).to_pylist() == [21.5, 3720.0]


def test_what_is_sent_is_the_readable_table():
    shown_tables.clear()
    shown, data = shown_tables.shown(_table(), labels.readable)
    assert data.column_names == list(shown.columns) == list(labels.readable(_table()).columns)
    assert data.column(0).to_pylist() == [labels.label("basis", v) for v in ("hourly", "monthly")]
    assert data.column(1).to_pylist() == ["2004-07-01", ""]


def test_a_reader_changing_its_copy_does_not_change_the_next():
    shown_tables.clear()
    shown, _ = shown_tables.shown(_table(), labels.readable)
    shown.iloc[0, 0] = "edited"
    shown.attrs["note"] = "x"
    again, _ = shown_tables.shown(_table(), labels.readable)
    assert again.iloc[0, 0] == labels.label("basis", "hourly")
    assert again.attrs == {}


def test_notes_in_attrs_are_not_shown_and_a_table_arrow_cannot_take_is_handed_on():
    shown_tables.clear()
    df = _table()
    df.attrs["sources"] = {"a": lambda: None}  # notes pickle cannot take: converted each time
    shown, data = shown_tables.shown(df, labels.readable)
    assert shown.attrs == {} and isinstance(data, pa.Table)
    twice = pd.DataFrame([[1, 2]], columns=["a", "a"])  # Arrow refuses repeated names
    shown, data = shown_tables.shown(twice, lambda d: d)
    assert data is shown  # st.dataframe shows it (or reports) as it did before


def test_the_memory_kept_is_bounded(monkeypatch):
    shown_tables.clear()
    monkeypatch.setattr(shown_tables._KEPT, "max_bytes", 2_000)
    for i in range(50):
        shown_tables.shown(pd.DataFrame({"x": [float(i)] * 20}), labels.readable)
    assert 0 < shown_tables._KEPT.bytes <= 2_000
    assert sum(shown_tables._KEPT._sizes.values()) == shown_tables._KEPT.bytes
    assert len(shown_tables._KEPT) == len(shown_tables._KEPT._sizes) < 50


def test_a_table_shown_as_stored_shows_missing_text_blank():
    import pandas as pd

    from app_pages.show import display

    df = pd.DataFrame({"detail": ["saved", None], "n": [1.0, None], "when": [None, None]})
    out = display(df)
    assert out["detail"].tolist() == ["saved", ""]  # text: blank, not "None"
    assert out["n"].isna().tolist() == [False, True]  # a number stays missing
    assert df["detail"].isna().tolist() == [False, True]  # the caller's frame unchanged
