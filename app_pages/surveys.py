"""Survey comparisons: who surveys whom, which comparators have data for which benchmarks,
each class across agencies, and the upload of outside survey data."""

from datetime import date

import pandas as pd
import streamlit as st

from analysis import charts, market, surveys
from app_pages import common
from etl import defaults
from userdata import survey_data

st.title("Survey comparisons")
subject = st.session_state[common.AGENCY]

tab_net, tab_cov, tab_dots, tab_up = st.tabs(
    ["Survey network", "Coverage", "Class across agencies", "Upload survey data"]
)
uploaded = survey_data.rows()

with tab_net:
    edges = common.cached_call(surveys.survey_network)
    nodes = common.cached_call(surveys.network_nodes)
    e = edges.assign(
        agency_node=edges["agency"],
        survey_node=edges["loaded_agency"].fillna(edges["survey_agency"]),
    ).drop_duplicates(["agency_node", "survey_node"])
    has_data = set(nodes.loc[nodes["has_salary_data"], "node"])
    if not uploaded.empty:
        has_data |= set(uploaded["agency"])
    st.plotly_chart(
        charts.network(
            e,
            has_data,
            "Who surveys whom: arrows point from the agency whose "
            "agreement names the survey to the agencies it surveys",
        ),
        width="stretch",
    )
    st.caption(
        "Filled circles: pay data loaded (Sonoma and Mendocino salary tables) or uploaded. "
        "Sources: Mendocino MOU 7.2; Sonoma MOU 8.18, 8.19.1 c, 8.19.2. Sonoma is in "
        "Mendocino's survey list and Contra Costa in Sonoma's; the other survey agencies need "
        "data you upload."
    )
    st.dataframe(edges, hide_index=True, width="stretch")
    common.download_buttons(edges, "survey_network")

with tab_cov:
    if not len(common.q("schedule_dates", subject)):
        st.info(f"{subject} has no salary table; pick Sonoma or Mendocino in the sidebar.")
    else:
        others = [a for a in ("Sonoma", "Mendocino", "Contra Costa") if a != subject]
        own_list = edges[edges["agency"] == subject]["survey_agency"].unique().tolist()
        upload_agencies = sorted(uploaded["agency"].unique()) if not uploaded.empty else []
        comps = st.multiselect(
            "Comparators",
            others
            + [
                a
                for a in own_list
                if edges.loc[edges["survey_agency"] == a, "loaded_agency"].isna().all()
            ]
            + [a for a in upload_agencies if a not in own_list],
            default=others,
            key="cov_comps",
        )
        cov = common.cached_call(surveys.coverage, subject, comps, uploaded)
        only = st.toggle(
            "Only benchmarks with data from at least one comparator", True, key="cov_only"
        )
        shown = cov[cov["comparators_with_pay"] > 0] if only else cov
        st.caption(
            f"{int((cov['comparators_with_pay'] > 0).sum())} of {len(cov)} {subject} classes "
            "have pay data from at least one comparator. True = the comparator has a matched "
            "class with pay (warehouse or uploaded survey data)."
        )
        st.dataframe(shown, hide_index=True, width="stretch")
        common.download_buttons(shown, f"coverage_{subject}")

with tab_dots:
    if not len(common.q("schedule_dates", subject)):
        st.info(f"{subject} has no salary table; pick Sonoma or Mendocino in the sidebar.")
    else:
        other = "Mendocino" if subject == "Sonoma" else "Sonoma"
        c1, c2 = st.columns([1, 3])
        as_of = c1.date_input(
            "As of",
            date(2016, 7, 1) if subject == "Mendocino" else date(2004, 7, 1),
            key="dots_asof",
        )
        res = common.cached_call(market.run_gap, subject, [other], as_of)
        if res.table.empty:
            st.info("No matched benchmark classes.")
        else:
            labels = dict(
                zip(res.table["subject_class_code"], res.table["subject_title"], strict=True)
            )
            default = [c for c, t in labels.items() if "ELIGIBILITY" in t or "ACCOUNT" in t][:8]
            picked = c2.multiselect(
                "Benchmark classes",
                list(labels),
                default=default or list(labels)[:8],
                format_func=lambda c: labels[c],
                key="dots_classes",
            )
            rows = []
            for r in res.table[res.table["subject_class_code"].isin(picked)].itertuples():
                label = f"{r.subject_title} ({r.subject_class_code})"
                rows.append(
                    {
                        "class_label": label,
                        "agency": subject,
                        "value": r.own_top_annual,
                        "detail": f"own top step {r.own_top_step}, {r.own_source_ref}",
                    }
                )
                for d in res.detail[
                    res.detail["subject_class_code"] == r.subject_class_code
                ].itertuples():
                    rows.append(
                        {
                            "class_label": label,
                            "agency": d.comparator_agency,
                            "value": d.annual_as_of,
                            "detail": f"{d.comparator_title}: {d.brought_by}",
                        }
                    )
            dots = pd.DataFrame(rows)
            if not dots.empty:
                st.plotly_chart(
                    charts.dot_plot(
                        dots,
                        f"Top-step annual pay by agency, as of {as_of:%m/%d/%Y}",
                        "$ per year (top step)",
                    ),
                    width="stretch",
                )
                st.caption(" ".join(res.notes))
                common.download_buttons(dots, "class_across_agencies")

with tab_up:
    st.markdown(
        "Add the survey agencies the agreements do not cover. Two formats:\n"
        "- **Survey template** (CSV): `agency, class_title, pay, pay_period, effective_date, "
        "source` — pay_period is hourly, biweekly, monthly or annual; dates YYYY-MM-DD.\n"
        "- **State Controller's *Government Compensation in California* raw export** (CSV): "
        "`MaxPositionSalary` is taken as the annual top of range; positions are matched to "
        "your classes by title."
    )
    template = (defaults.DATA_DIR / "templates" / "survey_template.csv").read_bytes()
    st.download_button(
        "⬇ Survey template (CSV)", template, "survey_template.csv", "text/csv", key="up_template"
    )
    kind = st.radio(
        "Format",
        ["template", "sco_gcc"],
        horizontal=True,
        key="up_kind",
        format_func={"template": "Survey template", "sco_gcc": "State Controller export"}.get,
    )
    f = st.file_uploader("Survey file (CSV, up to 10 MB)", type=["csv"], key="up_file")
    if f is not None:
        data = f.getvalue()
        try:
            parsed = (surveys.parse_survey_csv if kind == "template" else surveys.parse_sco_gcc)(
                data, f.name
            )
        except surveys.SurveyImportError as exc:
            st.error(str(exc))
            st.caption("Nothing was stored. Fix the file and upload it again.")
        else:
            st.success(
                f"{len(parsed):,} rows read from {f.name}; nothing is stored until you save."
            )
            st.dataframe(common.display(parsed.head(200)), hide_index=True, width="stretch")
            if st.button("Save to my survey data", key="up_save"):
                upload_id = survey_data.save(f.name, kind, parsed)
                st.success(f"Saved as upload #{upload_id}.")
                st.rerun()
    ups = survey_data.uploads()
    if ups.empty:
        st.caption("No survey data uploaded yet.")
    else:
        st.markdown("**Your uploads** (kept apart from the rebuilt reference data)")
        st.dataframe(ups, hide_index=True, width="stretch")
        d1, d2 = st.columns([1, 3])
        gone = d1.selectbox("Delete upload #", ups["upload_id"].tolist(), key="up_delete_id")
        if d2.button("Delete this upload", key="up_delete"):
            survey_data.delete(int(gone))
            st.rerun()
