"""Nominal and real dollars with the BLS Consumer Price Index, read from the `cpi` package.

The agreements come from 1993-95, 2002-08 and 2015-17, so their dollars are only comparable
once adjusted. The default index is the CPI-U for San Francisco-Oakland-Hayward (BLS series
CUURS49BSA0); the U.S. city average (CUUR0000SA0) is the alternative. The `cpi` package ships
its data inside the wheel, so nothing here touches the network.

The San Francisco series is published only every other month in most years (even months since
1998, quarterly in older decades, and one month missing in 2025). A month without a published
value gets a value linearly interpolated between the neighbouring published months, and every
function says which it used (`method` = 'published' or 'interpolated'). Months before the first
or after the last published value raise ValueError: we never extrapolate an index.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

SF_SERIES = "CUURS49BSA0"
US_SERIES = "CUUR0000SA0"
DEFAULT_SERIES = SF_SERIES

SERIES_NAMES: dict[str, str] = {
    SF_SERIES: "CPI-U San Francisco–Oakland–Hayward",
    US_SERIES: "CPI-U U.S. city average",
}

PUBLISHED = "published"
INTERPOLATED = "interpolated"

_ISO_MONTH = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")

MonthLike = date | datetime | pd.Timestamp | pd.Period | str


@dataclass(frozen=True)
class IndexSeries:
    """One CPI series, loaded: every month from the first to the last published one."""

    series_id: str
    monthly: pd.Series  # float, PeriodIndex (freq M), no gaps
    method: pd.Series  # 'published' | 'interpolated', same index
    annual: pd.Series  # BLS annual averages (period M13), indexed by year


def _check_series(series: str) -> None:
    if series not in SERIES_NAMES:
        raise ValueError(
            f"CPI series must be one of {sorted(SERIES_NAMES)} "
            f"({', '.join(f'{k}: {v}' for k, v in SERIES_NAMES.items())}), got {series!r}"
        )


def _import_cpi():
    # The package warns on import when its bundled data is months old; that is expected for a
    # shipped snapshot (latest_month() says how recent it is), so silence only that warning.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="CPI data is out of date")
        import cpi
    return cpi


@functools.lru_cache(maxsize=8)
def load(series: str = DEFAULT_SERIES) -> IndexSeries:
    """The series as monthly values with gaps interpolated; cached in-process (slow to load)."""
    _check_series(series)
    cpi = _import_cpi()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="CPI data is out of date")
        raw = cpi.series.get_by_id(series).to_dataframe()
    monthly = raw[raw["period_type"] == "monthly"]
    published = pd.Series(
        monthly["value"].astype("float64").to_numpy(),
        index=pd.PeriodIndex(
            [
                pd.Period(year=y, month=m, freq="M")
                for y, m in zip(monthly["year"], monthly["period_month"], strict=True)
            ],
        ),
    ).sort_index()
    published = published[~published.index.duplicated(keep="last")]
    full = pd.period_range(published.index.min(), published.index.max(), freq="M")
    values = published.reindex(full)
    method = pd.Series(PUBLISHED, index=full, dtype=object)
    method[values.isna()] = INTERPOLATED
    # Linear in the month count: the index is evenly spaced, one step per month.
    values = values.interpolate(method="linear")
    annual_rows = raw[raw["period_type"] == "annual"]
    annual = pd.Series(
        annual_rows["value"].astype("float64").to_numpy(), index=annual_rows["year"].astype(int)
    ).sort_index()
    return IndexSeries(series, values, method, annual)


def as_month(value: MonthLike) -> pd.Period:
    """A calendar month from a date, timestamp, period or 'YYYY-MM[-DD]' string."""
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    if isinstance(value, str) and not _ISO_MONTH.match(value.strip()):
        raise ValueError(f"not a month: {value!r} (use a date or 'YYYY-MM')")
    try:
        return pd.Period(pd.Timestamp(value), freq="M")
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a month: {value!r} (use a date or 'YYYY-MM')") from exc


def _fmt(month: pd.Period) -> str:
    return month.strftime("%b %Y")


def available_range(series: str = DEFAULT_SERIES) -> tuple[date, date]:
    """First and last months with a value (first day of each month)."""
    s = load(series).monthly
    return s.index[0].to_timestamp().date(), s.index[-1].to_timestamp().date()


def latest_month(series: str = DEFAULT_SERIES) -> date:
    """The last month the bundled data publishes (first day of the month)."""
    return available_range(series)[1]


def _lookup(month: pd.Period, loaded: IndexSeries) -> tuple[float, str]:
    if month not in loaded.monthly.index:
        first, last = loaded.monthly.index[0], loaded.monthly.index[-1]
        raise ValueError(
            f"{SERIES_NAMES[loaded.series_id]} ({loaded.series_id}) has values from "
            f"{_fmt(first)} to {_fmt(last)} in the bundled `cpi` data; "
            f"{_fmt(month)} is outside that range"
        )
    return float(loaded.monthly[month]), str(loaded.method[month])


def index_value(month: MonthLike, series: str = DEFAULT_SERIES) -> tuple[float, str]:
    """The index for a month and how it was obtained ('published' or 'interpolated')."""
    return _lookup(as_month(month), load(series))


def annual_average(year: int, series: str = DEFAULT_SERIES) -> float:
    """The BLS-published annual average (period M13) for a calendar year."""
    annual = load(series).annual
    if year not in annual.index:
        raise ValueError(
            f"{SERIES_NAMES[series]} ({series}) has published annual averages for "
            f"{annual.index.min()}-{annual.index.max()}; {year} is not among them"
        )
    return float(annual[year])


def adjust(
    amount: float, from_date: MonthLike, to_date: MonthLike, series: str = DEFAULT_SERIES
) -> float:
    """`amount` dollars of `from_date`'s month expressed in dollars of `to_date`'s month."""
    src, _ = index_value(from_date, series)
    dst, _ = index_value(to_date, series)
    return amount * dst / src


def published_neighbours(month: MonthLike, series: str = DEFAULT_SERIES) -> tuple[date, date]:
    """The published months either side of an interpolated one (the month itself, twice,
    when it is published)."""
    loaded = load(series)
    m = as_month(month)
    _lookup(m, loaded)
    pub = loaded.method.index[loaded.method == PUBLISHED]
    before, after = pub[pub <= m][-1], pub[pub >= m][0]
    return before.to_timestamp().date(), after.to_timestamp().date()


def describe(month: MonthLike, series: str = DEFAULT_SERIES) -> str:
    """One line saying what index a month gets and how, for captions and exports."""
    m = as_month(month)
    value, method = index_value(m, series)
    if method == PUBLISHED:
        return f"{_fmt(m)}: {value:g} (published, BLS {series})"
    lo, hi = published_neighbours(m, series)
    lo_v, _ = index_value(lo, series)
    hi_v, _ = index_value(hi, series)
    return (
        f"{_fmt(m)}: {value:.3f} (interpolated between {lo:%b %Y} = {lo_v:g} and "
        f"{hi:%b %Y} = {hi_v:g}; BLS {series} publishes no value for {_fmt(m)})"
    )


def label(series: str = DEFAULT_SERIES, to_month: MonthLike | None = None) -> str:
    """How to caption real figures, e.g. 'real dollars of Aug 2026, CPI-U ... (BLS ...)'."""
    _check_series(series)
    month = as_month(to_month) if to_month is not None else as_month(latest_month(series))
    _, method = index_value(month, series)
    note = ""
    if method == INTERPOLATED:
        lo, hi = published_neighbours(month, series)
        note = f" (index interpolated between {lo:%b %Y} and {hi:%b %Y})"
    return f"real dollars of {_fmt(month)}{note}, {SERIES_NAMES[series]} (BLS {series})"


def adjust_series(
    df: pd.DataFrame,
    amount_col: str | list[str],
    date_col: str,
    to_month: MonthLike | None = None,
    series: str = DEFAULT_SERIES,
) -> pd.DataFrame:
    """A copy of `df` with `<amount_col>_real` in dollars of `to_month` (default: latest month).

    Also adds `cpi_from` (the index of each row's month), `cpi_from_method` ('published' or
    'interpolated'), `cpi_to` and `cpi_to_method`; `attrs['label']` carries the caption.
    Rows whose month is outside the data raise ValueError naming the first such month.
    """
    cols = [amount_col] if isinstance(amount_col, str) else list(amount_col)
    loaded = load(series)
    target = as_month(to_month) if to_month is not None else loaded.monthly.index[-1]
    dst, dst_method = _lookup(target, loaded)
    out = df.copy()
    stamps = pd.to_datetime(pd.Series(out[date_col], index=out.index), errors="coerce")
    if stamps.isna().any():
        bad = out.loc[stamps.isna(), date_col].iloc[0]
        raise ValueError(f"{date_col} has a value that is not a date: {bad!r}")
    months = pd.PeriodIndex(stamps, freq="M")
    outside = ~months.isin(loaded.monthly.index)
    if outside.any():
        _lookup(months[outside][0], loaded)  # raises with the range in the message
    out["cpi_from"] = loaded.monthly.reindex(months).to_numpy()
    out["cpi_from_method"] = loaded.method.reindex(months).to_numpy()
    out["cpi_to"] = dst
    out["cpi_to_method"] = dst_method
    for c in cols:
        out[f"{c}_real"] = out[c].astype("float64") * dst / out["cpi_from"]
    out.attrs["label"] = label(series, target)
    return out


def factor(from_date: MonthLike, to_month: MonthLike, series: str = DEFAULT_SERIES) -> float:
    """The multiplier that expresses dollars of `from_date`'s month in dollars of `to_month`."""
    return adjust(1.0, from_date, to_month, series)


def to_real(
    df: pd.DataFrame,
    columns: list[str],
    from_date: MonthLike,
    to_month: MonthLike,
    series: str = DEFAULT_SERIES,
) -> pd.DataFrame:
    """A copy of `df` with the money `columns`, all dated `from_date`, in real dollars of
    `to_month` (rounded to the cent); `attrs['real']` says how."""
    f = factor(from_date, to_month, series)
    out = df.copy()
    for c in columns:
        out[c] = (out[c].astype("float64") * f).round(2)
    out.attrs["real"] = (
        f"{label(series, to_month)}: dollars of {as_month(from_date).strftime('%b %Y')} × {f:.4f}"
    )
    return out
