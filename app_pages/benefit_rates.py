"""Benefit rate files on the pages: import a premium rate sheet or a retirement system's employer
rate (CSV or XLSX), preview it, save it, list or remove the stored files; and the tier and
plan choice every total-compensation table prices with. Every number comes from
etl/uploads/benefit_rates.py and etl/benefit_pricing.py; nothing is computed here."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import agencies
from app_pages import common
from app_pages.surveys_gcc import problems
from etl import defaults
from etl.errors import InputError
from etl.uploads import benefit_rates as reader
from etl.vocabulary_words import COVERAGE_TIERS
from userdata import benefit_rates

PREVIEW = "br_preview"
ERROR = "br_error"
DEFAULT_TIER = "default"
LARGEST = "(the largest employer cost)"


def rows() -> pd.DataFrame:
    """Every stored rate row (the argument the analysis prices with)."""
    return benefit_rates.rows()


def tier_plan(key: str, rates: pd.DataFrame, names: list[str]) -> tuple[str | None, str | None]:
    """The tier and plan widgets: (tier code or None for the default rule, plan or None for
    the largest employer cost). `names` the agencies whose plans are offered."""
    t1, t2 = st.columns(2)
    tiers = [DEFAULT_TIER, *COVERAGE_TIERS]
    tier = t1.selectbox(
        "Coverage tier priced",
        tiers,
        format_func=lambda t: (
            "Family, or the one tier the agreement names"
            if t == DEFAULT_TIER
            else COVERAGE_TIERS[t]
        ),
        key=f"{key}_tier",
        help="Which premium of each plan the agreement's share is applied to.",
    )
    mine = rates[rates["agency"].isin(names) & rates["monthly_premium"].notna()]
    plans = sorted({p for p in mine["plan"].dropna() if p})
    plan = t2.selectbox(
        "Health plan priced",
        [LARGEST, *plans],
        key=f"{key}_plan",
        help="For a benefit with this plan in your rate files; the others take the plan with "
        "the largest employer cost at the tier.",
        **common.initial(f"{key}_plan", [LARGEST, *plans]),
    )
    return (None if tier == DEFAULT_TIER else tier), (None if plan == LARGEST else plan)


def _read(data: bytes, name: str) -> None:
    try:
        got = reader.read_rates(data, name, common.cached(agencies.names))
    except InputError as exc:
        st.session_state.pop(PREVIEW, None)
        st.session_state[ERROR] = exc
    else:
        st.session_state[PREVIEW] = (got, data)
        st.session_state.pop(ERROR, None)


def _preview(got: reader.RateFile, data: bytes) -> None:
    st.markdown(
        f"**{common.md_escape(got.file_name)}**: {len(got.rows)} rows. Nothing is stored "
        "until you save."
    )
    common.table(got.summary(), "benefit_rates_preview", key="br_preview_summary")
    for note in got.notes:
        st.caption(common.md_escape(note))
    common.table(
        got.rows,
        "benefit_rates_preview_rows",
        key="br_preview_rows",
        money=("monthly_premium",),
        readable=False,
    )
    earlier = benefit_rates.same_file(benefit_rates.file_hash(data))
    agree = common.save_again_ok(
        [
            f"#{e.import_id} ({common.md_escape(e.file_name)}) on {e.imported_at} by "
            f"{common.md_escape(e.imported_by)}"
            for e in earlier.itertuples()
        ],
        "imported",
        "Where both give a plan, tier and date, the latest import is used.",
        key="br_again",
    )
    if st.button("Save these rates", key="br_save", disabled=not agree):
        import_id = benefit_rates.save(got, data, actor=common.actor())
        st.session_state.pop(PREVIEW, None)
        st.toast(f"Saved as benefit rates #{import_id}.")
        st.rerun()


def _stored() -> None:
    ups = benefit_rates.imports()
    if ups.empty:
        st.caption("No benefit rate file imported yet: health and retirement are not priced.")
        return
    st.markdown("**Your benefit rate files** (kept apart from the rebuilt reference data)")
    common.table(ups.drop(columns=["sha256"]), "benefit_rate_imports", key="br_imports")
    common.remove_control(
        ups["import_id"].tolist(),
        "rate file",
        "br_delete",
        "Remove this rate file",
        lambda i: benefit_rates.delete(i, actor=common.actor()),
    )


def section() -> None:
    """Import, preview, save, list and remove benefit rate files."""
    st.markdown(
        "**Premium rate sheets and employer rates (CSV or XLSX)** — columns `agency, benefit, "
        "plan, tier, monthly_premium, pct_of_pay, effective_date, source`: a county's plan "
        "rate sheet (plan, tier, premium a month) or a retirement system's employer rate in % "
        "of pay. Each premium is priced under the agreement's share of it; every priced "
        "item cites the agreement's line and your file's row."
    )
    f = st.file_uploader(
        f"Rate file (CSV or XLSX, up to {defaults.MAX_UPLOAD_MB} MB)",
        type=["csv", "xlsx"],
        key="br_upload",
    )
    target = None if f is None else (f.name, f.size)
    if st.button("Read the file", key="br_read", disabled=f is None):
        _read(f.getvalue(), f.name)
        st.session_state["br_target"] = target
    if st.session_state.get("br_target") != target:
        st.session_state.pop(PREVIEW, None)
        st.session_state.pop(ERROR, None)
    if ERROR in st.session_state:
        problems(st.session_state[ERROR], "br_problems")
    if PREVIEW in st.session_state:
        _preview(*st.session_state[PREVIEW])
    _stored()
