"""Contract triggers computed from outside data: the Sonoma CPI salary reopener (Art. 8.19).

Sonoma / SEIU 707, 2002-2008, §8.19 "Salary Reopener - CPI - Years 4, 5 and 6":

    "If the Consumer Price Index (1982-84=100) for Urban Wage Earners and Clerical Workers for
    San Francisco-Oakland-San Jose annual average of the prior twelve months (six bi-monthly
    periods) ending the month of April 2005, April 2006 and April 2007 rises to 4.5% or above,
    the parties will reopen for further discussion of fourth, fifth and sixth year cost of
    living increases."

We read it as: average the index over the twelve months ending April of the year (BLS published
the San Francisco index every other month then, so that is the six even-month values June ...
April), compare with the same average a year earlier, and reopen when the percent change is
4.5 or more. Only published values are averaged, never interpolated months.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis import inflation

SONOMA_CPI_REOPENER_REF = "sonoma_seiu707_mou_2002_2008.txt:669 §8.19"
SONOMA_CPI_REOPENER_QUOTE = (
    "annual average of the prior twelve months (six bi-monthly periods) ending the month of "
    "April 2005, April 2006 and April 2007 rises to 4.5% or above"
)
SONOMA_CPI_REOPENER_YEARS = (2005, 2006, 2007)
SONOMA_CPI_REOPENER_THRESHOLD = 4.5  # percent
SONOMA_CPI_REOPENER_END_MONTH = 4  # April

CPI_W_NOTE = (
    "CPI-U (all urban consumers) stands in for the CPI-W (urban wage earners and clerical "
    "workers) the text names; the package ships CPI-U only"
)
AREA_NOTE = (
    "BLS series CUURS49BSA0 continues the San Francisco area index the text calls "
    "San Francisco-Oakland-San Jose (the 2018 geographic revision renamed the area "
    "San Francisco-Oakland-Hayward)"
)


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
    years: tuple[int, ...] = SONOMA_CPI_REOPENER_YEARS,
    threshold: float = SONOMA_CPI_REOPENER_THRESHOLD,
    end_month: int = SONOMA_CPI_REOPENER_END_MONTH,
    series: str = inflation.DEFAULT_SERIES,
) -> pd.DataFrame:
    """Sonoma 8.19: for each year, the 12-month average to April against the year before.

    One row per year: period_end (last day of the end month), average, prior_average,
    pct_change (percent, unrounded), threshold, triggered (pct_change >= threshold),
    months_used / prior_months_used (the published months averaged), n_values, series,
    source_ref, note. `attrs['quote']` carries the contract text.
    """
    rows = []
    for year in years:
        avg, used = window_average(year, end_month, series)
        prior, prior_used = window_average(year - 1, end_month, series)
        change = (avg / prior - 1) * 100
        notes = [CPI_W_NOTE]
        if series == inflation.SF_SERIES:
            notes.append(AREA_NOTE)
        else:
            notes.append(f"{inflation.SERIES_NAMES[series]} used instead of the San Francisco area")
        if len(used) != 6:
            notes.append(f"{len(used)} published values in the window, not the six the text names")
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
                "source_ref": SONOMA_CPI_REOPENER_REF,
                "note": "; ".join(notes),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs["quote"] = SONOMA_CPI_REOPENER_QUOTE
    out.attrs["source_ref"] = SONOMA_CPI_REOPENER_REF
    return out


def period_end_date(year: int, month: int = SONOMA_CPI_REOPENER_END_MONTH) -> date:
    """The last day of a trigger's end month (the `period_end` column)."""
    return pd.Period(year=year, month=month, freq="M").to_timestamp(how="end").date()
