"""Tables as shown, converted once per content: the readable copy (etl/labels.readable) and
the Arrow table st.dataframe sends.

Every table of every run was converted again: codes to words, dates to text, then pandas to
Arrow (about 8 ms for a 60-row, 14-column table on a two-core host, more than the rest of a
small page). A table is keyed by its pickle's digest (0.4 ms for the same table), so equal
content, from a cached result or built again on the run, meets its conversion; the
Arrow table is immutable and shared, the readable frame is handed out as a shallow copy
(copy-on-write: the reader's changes stay in its copy)."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable

import pandas as pd
import pyarrow as pa

from app_pages import result_cache


def _arrow_bytes(value: tuple) -> int:
    data = value[1]
    return data.nbytes if isinstance(data, pa.Table) else 0


_KEPT = result_cache.ResultCache(max_entries=1024, max_bytes=64 * 2**20, size_of=_arrow_bytes)


def _arrow(shown: pd.DataFrame):
    """What st.dataframe would send for `shown`, as an Arrow table (Streamlit's own conversion,
    with its fixes for columns Arrow cannot take); the frame itself when that fails, for
    st.dataframe to report as it would."""
    try:
        from streamlit import dataframe_util

        return dataframe_util.convert_pandas_df_to_arrow_table(shown)
    except Exception:
        return shown


def _key(df: pd.DataFrame, convert: Callable) -> tuple | None:
    try:
        data = pickle.dumps(df, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a cell pickle cannot take: converted on every run, as before
        return None
    return (convert, hashlib.blake2b(data, digest_size=20).digest())


def _convert(df: pd.DataFrame, convert: Callable) -> tuple[pd.DataFrame, object]:
    out = convert(df).copy(deep=False)
    # attrs carry analysis notes (dates, sources) that Arrow cannot serialize; not shown.
    out.attrs = {}
    return out, _arrow(out)


def shown(df: pd.DataFrame, convert: Callable[[pd.DataFrame], pd.DataFrame]):
    """(`convert(df)` without attrs, what to hand st.dataframe for it); the frame is the
    caller's copy (the result cache's shallow copy), the Arrow table shared."""
    key = _key(df, convert)
    out, data = (
        _convert(df, convert) if key is None else _KEPT.get(key, lambda: _convert(df, convert))
    )
    return out, out if isinstance(data, pd.DataFrame) else data  # (not converted: the frame)


def clear() -> None:
    _KEPT.clear()
