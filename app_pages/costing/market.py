"""Costing: the bring-to-market change of the builder, filled from the market comparison."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis import agencies
from analysis.costing import compare as cc
from analysis.market import gap as market
from analysis.scenario import GAP_BASES
from app_pages import common
from app_pages.costing.state import GAP_BASIS_LABELS, GAP_RESULT, _fill_gaps, _flash, _k
from etl.defaults import MAX_PCT


def market_builder(
    agency: str, start: date, base: dict | None, codes: list[str], titles: dict[str, str]
) -> dict | None:
    """The bring-to-market change: gaps from the market comparison, threshold, all at once or
    staged. Returns the change (JSON form) or None."""
    with st.expander(
        f"{cc.CHANGE_TITLES['to_market']} ({0 if base is None else 1})", expanded=base is not None
    ):
        _flash("market")
        on = st.toggle(
            "Bring every class more than a threshold below market up to market",
            value=base is not None,
            key=_k("mkt_on"),
        )
        if not on:
            st.caption(
                "Fills each class's gap from the market comparison (top step vs the other "
                "agency's matched class, aged by CPI when the dates differ)."
            )
            return None
        base = base or {}
        others = [a for a in common.cached(agencies.names, salary_table=True) if a != agency]
        c1, c2, c3 = st.columns([2, 1, 2])
        comparators = c1.multiselect(
            "Compare with (agencies)", others, default=others, key=_k("mkt_comp")
        )
        threshold = c2.number_input(
            "Move classes more than this far from market, %",
            min_value=0.0,
            max_value=MAX_PCT,
            value=float(base.get("threshold", market.DEFAULT_THRESHOLD_PCT)),
            step=0.5,
            key=_k("mkt_threshold"),
            help="Sonoma 8.19.1 c: more than 2.0% below the average.",
        )
        basis_default = base.get("gap_basis", "below_market" if not base else "increase_to_market")
        gap_basis = c3.selectbox(
            "Gaps are measured as",
            list(GAP_BASES),
            index=list(GAP_BASES).index(basis_default),
            format_func=GAP_BASIS_LABELS.get,
            key=_k("mkt_basis"),
        )
        cpi = st.session_state[common.CPI_SERIES]
        st.button(
            f"Fill gaps: {agency} vs {', '.join(comparators) or '—'} on {start:%m/%d/%Y}",
            key=_k("mkt_fill"),
            disabled=not comparators,
            on_click=_fill_gaps,
            args=(agency, tuple(comparators), start, cpi),
            help="Runs the market comparison (top step to top step, annual) and fills the "
            "gap of every matched class as % below market.",
        )
        gaps_df = st.data_editor(
            cc.gaps_to_table(base.get("gaps", {})),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "class_code": st.column_config.SelectboxColumn(
                    "Class", options=codes, format_func=lambda c: f"{c} {titles.get(c) or ''}"
                ),
                "gap_pct": st.column_config.NumberColumn("Gap, % (see 'measured as')"),
            },
            key=_k("mkt_gaps"),
            height=220,
        )
        staged = st.radio(
            "Close the gap",
            ["all at once", "in stages"],
            index=1 if "stages" in base else 0,
            horizontal=True,
            key=_k("mkt_staged"),
        )
        effective, stages = None, None
        if staged == "all at once":
            eff_default = base.get("effective") or start.isoformat()
            effective = st.date_input(
                "Effective (date)",
                value=date.fromisoformat(eff_default),
                key=_k("mkt_eff"),
                format="MM/DD/YYYY",
            ).isoformat()
        else:
            stages_df = st.data_editor(
                cc.stages_to_table(
                    base.get("stages") or [{"effective": start.isoformat(), "share": 0.5}]
                ),
                num_rows="dynamic",
                hide_index=True,
                width="stretch",
                column_config={
                    "effective": st.column_config.DateColumn("Effective (date)"),
                    "share_pct": st.column_config.NumberColumn(
                        "Cumulative share of the gap closed by this stage, % of the gap",
                        min_value=0.0,
                        max_value=MAX_PCT,
                    ),
                },
                key=_k("mkt_stages"),
            )
            stages = cc.table_to_stages(stages_df)
            st.caption(
                "Each row closes that share of the dollar distance to market (e.g. 50 then 50: "
                "half now, the rest later); the shares add up to at most 100%."
            )
        gaps = cc.table_to_gaps(gaps_df)
        if not gaps:
            st.info(
                "No gaps yet, so no change is costed: fill them from the market comparison, "
                "or type class codes and gaps."
            )
            return None
        change = cc.to_market_change(
            gaps, threshold, gap_basis, effective, stages, base.get("label")
        )
        moves = cc.market_moves(gaps, threshold, gap_basis)
        moved = moves[moves["moved"]]
        st.markdown(
            f"**{len(moved)} of {len(moves)} classes move to market** (gap more than "
            f"{threshold:g}%)" + (":" if len(moved) else ".")
        )
        shown = moved.drop(columns="moved")
        shown.insert(1, "class_title", shown["class_code"].map(titles))
        gap_res = st.session_state.get(GAP_RESULT)
        if gap_res and gap_res["agency"] == agency:
            t = gap_res["table"][
                ["subject_class_code", "own_top_annual", "market", "market_n"]
            ].rename(columns={"subject_class_code": "class_code"})
            shown = shown.merge(t, on="class_code", how="left")
        if moved.empty:
            st.info(
                f"No class of {agency} is more than {threshold:g}% from market on this "
                "comparison, so this change costs nothing. Lower the threshold or compare on "
                "another date."
            )
        else:
            st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                column_config={
                    "gap_pct": st.column_config.NumberColumn("gap, %", format="%.2f"),
                    "increase_pct": st.column_config.NumberColumn(
                        "raise to reach market, %", format="%.2f"
                    ),
                    "own_top_annual": st.column_config.NumberColumn(
                        "own top step, $/yr", format="dollar"
                    ),
                    "market": st.column_config.NumberColumn("market, $/yr", format="dollar"),
                    "market_n": "comparators",
                },
                key=_k("mkt_moves"),
            )
        if gap_res and gap_res["agency"] == agency:
            st.caption(
                f"Market comparison of {gap_res['as_of']:%m/%d/%Y} vs "
                f"{', '.join(gap_res['comparators'])}. " + " ".join(gap_res["notes"])
            )
        return change
