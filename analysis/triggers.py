"""Contract triggers computed from outside data: CPI salary reopeners.

A reopener clause (the registry's `cpi_reopeners`, e.g. Sonoma 8.19: "annual average of the
prior twelve months (six bi-monthly periods) ending the month of April 2005, April 2006 and
April 2007 rises to 4.5% or above") is read as: average the index over the twelve months
ending the end month of the year (when the series is published every other month, that is
the six published values), compare with the same average a year earlier, and reopen when the
percent change reaches the threshold. Only published values are averaged, never interpolated
months. The clause's own notes say how the bundled series stands in for the index it names.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analysis import inflation
from analysis.warehouse import query

REOPENERS_SQL = "SELECT * FROM cpi_reopeners ORDER BY agency, section"


def reopeners(con: duckdb.DuckDBPyConnection, agency: str | None = None) -> pd.DataFrame:
    """The CPI reopeners of the agreements (the `cpi_reopeners` view), optionally one agency's."""
    df = query(con, REOPENERS_SQL)
    return df if agency is None else df[df["agency"] == agency].reset_index(drop=True)


def window_average(
    end_year: int, end_month: int, series: str = inflation.DEFAULT_SERIES
) -> tuple[float, list[pd.Period]]:
    """Mean of the published values in the twelve months ending `end_year-end_month`.

    Returns the mean and the months it used. A window with no published value raises
    ValueError; so does one that reaches outside the bundled data.
    """
    loaded = inflation.load(series)
    end = pd.Period(year=end_year, month=end_month, freq="M")
    months = pd.period_range(end - 11, end, freq="M")
    missing = [m for m in months if m not in loaded.monthly.index]
    if missing:
        raise ValueError(
            f"the twelve months ending {end.strftime('%b %Y')} reach outside the bundled CPI "
            f"data ({inflation.available_range(series)[0]:%b %Y} to "
            f"{inflation.latest_month(series):%b %Y})"
        )
    used = [m for m in months if loaded.method[m] == inflation.PUBLISHED]
    if not used:
        raise ValueError(
            f"no published CPI value in the twelve months ending {end.strftime('%b %Y')}"
        )
    return float(loaded.monthly[used].mean()), used


def cpi_reopener(
    clause: pd.Series | dict,
    series: str = inflation.DEFAULT_SERIES,
    *,
    years: tuple[int, ...] | None = None,
    threshold: float | None = None,
) -> pd.DataFrame:
    """One reopener clause (a row of `reopeners`): for each year, the twelve-month average to
    the end month against the year before, and whether it reached the threshold.

    One row per year: period_end (last day of the end month), average, prior_average,
    pct_change (percent, unrounded), threshold, triggered (pct_change >= threshold),
    months_used / prior_months_used (the published months averaged), n_values, series,
    source_ref, note. `attrs['quote']` carries the contract text. `years` and `threshold`
    override the clause's (to ask "what if").
    """
    years = tuple(years if years is not None else clause["years"])
    threshold = float(threshold if threshold is not None else clause["threshold"])
    end_month = int(clause["end_month"])
    rows = []
    for year in years:
        avg, used = window_average(year, end_month, series)
        prior, prior_used = window_average(year - 1, end_month, series)
        change = (avg / prior - 1) * 100
        notes = list(clause["index_notes"])
        if series != inflation.SF_SERIES:
            notes = notes[:1] + [f"{inflation.SERIES_NAMES[series]} used instead"]
        if len(used) != int(clause["published_values"]):
            notes.append(
                f"{len(used)} published values in the window, not the "
                f"{int(clause['published_values'])} the text names"
            )
        rows.append(
            {
                "period_end": period_end_date(year, end_month),
                "average": avg,
                "prior_average": prior,
                "pct_change": change,
                "threshold": threshold,
                "triggered": bool(change >= threshold),
                "months_used": ", ".join(m.strftime("%Y-%m") for m in used),
                "prior_months_used": ", ".join(m.strftime("%Y-%m") for m in prior_used),
                "n_values": len(used),
                "series": series,
                "source_ref": clause["source_ref"],
                "note": "; ".join(notes),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["quote"] = clause["quote"]
    out.attrs["source_ref"] = clause["source_ref"]
    return out


def period_end_date(year: int, month: int) -> date:
    """The last day of a trigger's end month (the `period_end` column)."""
    return pd.Period(year=year, month=month, freq="M").to_timestamp(how="end").date()
