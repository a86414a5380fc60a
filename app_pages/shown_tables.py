"""Tables as shown, converted once per content: the readable copy (etl/labels.readable) and
the Arrow table st.dataframe sends.

Every table of every run was converted again: codes to words, dates to text, then pandas to
Arrow (about 8 ms for a 60-row, 14-column table on a two-core host, more than the rest of a
small page). A table is keyed by its pickle's digest (0.4 ms for the same table), so equal
content, from a cached result or built again on the run, meets its conversion; the
Arrow table is immutable and shared, the readable frame is handed out as a shallow copy
(copy-on-write: the reader's changes stay in its copy)."""

from __future__ import annotations

import collections
import hashlib
import pickle
import threading
from collections.abc import Callable

import pandas as pd

MAX_BYTES = 64 * 2**20  # Arrow bytes kept across all tables
_KEPT: collections.OrderedDict[tuple, tuple[pd.DataFrame, object, int]] = collections.OrderedDict()
_LOCK = threading.Lock()
_bytes = 0


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
    digest = hashlib.blake2b(data, digest_size=20).digest()
    return (convert.__module__, convert.__qualname__, digest)


def shown(df: pd.DataFrame, convert: Callable[[pd.DataFrame], pd.DataFrame]):
    """(`convert(df)` without attrs, what to hand st.dataframe for it)."""
    global _bytes
    key = _key(df, convert)
    if key is not None:
        with _LOCK:
            hit = _KEPT.get(key)
            if hit is not None:
                _KEPT.move_to_end(key)
                return hit[0].copy(deep=False), hit[1]
    out = convert(df).copy(deep=False)
    # attrs carry analysis notes (dates, sources) that Arrow cannot serialize; not shown.
    out.attrs = {}
    data = _arrow(out)
    if key is None or data is out:
        return out, data
    size = data.nbytes
    with _LOCK:
        if key not in _KEPT and size <= MAX_BYTES:
            _KEPT[key] = (out, data, size)
            _bytes += size
            while _bytes > MAX_BYTES:
                _bytes -= _KEPT.popitem(last=False)[1][2]
    return out.copy(deep=False), data


def clear() -> None:
    global _bytes
    with _LOCK:
        _KEPT.clear()
        _bytes = 0
