"""Survey comparisons: who surveys whom, which comparators have data for which benchmarks,
each class across agencies, and the upload of outside survey data (the survey template, or
the State Controller's export at any size: app_pages/surveys_gcc.py)."""

import streamlit as st

from analysis import agencies, coverage, inflation
from analysis import survey_network as network
from analysis.market import gap as market
from analysis.market import gcc as gcc_market
from analysis.market import tables as market_tables
from app_pages import common, surveys_gcc
from etl import defaults, pay
from etl.uploads.survey_template import SurveyImportError, parse_survey_csv
from figures import charts
from figures import network as network_chart
from userdata import class_matches, gcc, survey_data

st.title("Survey comparisons")
c = common.choices()
common.keep_state("cov_comps_", "cov_only", "dots_classes_", "up_kind")
uploaded = survey_data.rows()
upload_agencies = sorted(uploaded["agency"].unique()) if not uploaded.empty else []
gcc_rows = gcc.rows()
gcc_summary = gcc_market.agencies_summary(gcc_rows)
gcc_agencies = gcc_summary["agency"].tolist()
gcc_label = {r["agency"]: gcc_market.describe(r) for r in gcc_summary.to_dict("records")}
decisions = class_matches.listing()


# the pay beside the agency (a column at the end was off screen)
ACROSS_COLUMNS = ["class_label", "agency", "value", "schedule_date", "detail", "source_ref"]


def comparator_label(name: str) -> str:
    return f"{name} ({gcc_label[name]})" if name in gcc_label else name


def default_comparators() -> list[str]:
    return common.cached(
        agencies.default_comparators,
        c.agency,
        [*upload_agencies, *gcc_agencies],
        always=gcc.agencies_for(c.agency),
    )


tab_net, tab_cov, tab_dots, tab_up = common.tabs(
    ["Survey network", "Coverage", "Class across agencies", "Upload survey data"], key="surveys_tab"
)

with tab_net:
    if tab_net.open:
        common.not_applying("Pay basis", "dollars", reason="the network shows who surveys whom.")
        edges = common.cached(network.survey_network)
        nodes = common.cached(network.network_nodes, gcc_summary, tuple(upload_agencies))
        e = edges.assign(
            agency_node=edges["agency"],
            survey_node=edges["loaded_agency"].fillna(edges["survey_agency"]),
        ).drop_duplicates(["agency_node", "survey_node"])
        loose = tuple(nodes.loc[nodes["kind"] == "imported survey agency", "node"])
        common.chart(
            common.figure(
                network_chart.network,
                e,
                network.nodes_with_pay(nodes),
                "Who surveys whom: arrows point from the agency whose agreement names the survey "
                "to the agencies it surveys",
                loose=loose,
                hover=dict(zip(nodes["node"], nodes["gcc"].fillna(""), strict=True)),
            ),
            "survey_network",
            "Filled circles: pay data in the warehouse, in your uploaded survey data or in your "
            "State Controller imports (the row below: imported agencies no survey list names). "
            "Sources: each agreement's survey article (the table below cites each line).",
        )
        common.table(edges, "survey_network", cited=True)
        common.table(
            nodes[["node", "kind", "surveyed_by", "has_salary_data", "uploaded", "gcc"]],
            "survey_network_agencies",
            key="net_nodes",
        )

with tab_cov:
    if tab_cov.open:
        common.not_applying(
            "Pay basis", "dollars", reason="coverage counts which classes have data."
        )
        if not c.has_salary_table:
            st.info(f"{c.agency} has no salary table; pick an agency with one in the sidebar.")
        else:
            others = [a for a in common.cached(agencies.names) if a != c.agency]
            own_list = common.cached(agencies.survey_list, c.agency)
            choices = list(dict.fromkeys([*others, *own_list, *upload_agencies, *gcc_agencies]))
            comps = st.multiselect(
                "Comparators",
                choices,
                key=f"cov_comps_{c.agency}",
                **common.initial(f"cov_comps_{c.agency}", choices, default=default_comparators()),
                format_func=comparator_label,
            )
            cov = common.cached(
                coverage.coverage,
                c.agency,
                tuple(comps),
                uploaded,
                gcc_rows=gcc_rows,
                user_decisions=decisions,
            )
            only = st.toggle(
                "Only benchmarks with data from at least one comparator",
                key="cov_only",
                **common.initial("cov_only", value=True),
            )
            shown = cov[cov["comparators_with_pay"] > 0] if only else cov
            st.caption(
                f"{int((cov['comparators_with_pay'] > 0).sum())} of {len(cov)} {c.agency} classes "
                "have pay data from at least one comparator. yes = the comparator has a matched "
                "class with pay (warehouse, uploaded survey data or a State Controller import)."
            )
            common.table(shown, f"coverage_{c.agency}")

with tab_dots:
    if tab_dots.open:
        if not c.has_salary_table:
            st.info(f"{c.agency} has no salary table; pick an agency with one in the sidebar.")
        else:
            default = default_comparators()
            res = common.cached(
                market.run_gap,
                c.agency,
                tuple(default),
                c.as_of,
                survey_rows=uploaded,
                gcc_rows=gcc_rows,
                user_decisions=decisions,
            )
            if res.table.empty:
                st.info("No matched benchmark classes.")
            else:
                titles = dict(
                    zip(res.table["subject_class_code"], res.table["subject_title"], strict=True)
                )
                picked = st.multiselect(
                    "Benchmark classes",
                    list(titles),
                    format_func=lambda code: titles[code],
                    key=f"dots_classes_{c.agency}",
                    **common.initial(
                        f"dots_classes_{c.agency}", list(titles), default=list(titles)[:8]
                    ),
                )
                dots = market_tables.class_across(res, picked)
                dots["value"] = pay.convert_series(dots["annual"], "annual", c.basis).round(2)
                if c.real:
                    dots = inflation.to_real(dots, ["value"], c.as_of, c.real_month, c.cpi_series)
                # comparators outside their term are carried to the date by CPI (the
                # detail says how): the title must not call those dollars nominal
                aged = dots["detail"].str.contains(" by CPI ", regex=False).any()
                dollars = (
                    f"dollars of {c.as_of:%m/%Y}, other eras carried by CPI"
                    if aged and not c.real
                    else c.dollars_label()
                )
                if not dots.empty:
                    common.chart(
                        common.figure(
                            charts.dot_plot,
                            dots,
                            f"Top-step pay by agency, as of {c.as_of:%m/%d/%Y} ({dollars})",
                            c.unit,
                            common.cached(agencies.colors),
                        ),
                        "class_across_agencies",
                        f"Comparators: {', '.join(default)} (the default for {c.agency}). "
                        + " ".join(res.notes),
                    )
                    # one pay column, in the sidebar's basis and dollars (the chart's)
                    pay_col = f"{c.basis} pay, {'real' if c.real else 'as of the date'}"
                    common.table(
                        dots[ACROSS_COLUMNS].rename(columns={"value": pay_col}),
                        "class_across_agencies",
                        money=(pay_col,),
                        cited=True,
                    )


def template_upload() -> None:
    st.markdown(
        "**Survey template** (CSV): `agency, class_title, pay, pay_period, effective_date, "
        "source` — pay is the top step; pay_period is hourly, biweekly, monthly or annual; "
        "dates YYYY-MM-DD."
    )
    template = (defaults.TEMPLATES_DIR / "survey_template.csv").read_bytes()
    st.download_button(
        "Survey template (CSV)",
        template,
        "survey_template.csv",
        "text/csv",
        key="up_template",
        icon=":material/download:",
    )
    f = st.file_uploader(
        f"Survey file (CSV or XLSX, up to {defaults.MAX_UPLOAD_MB} MB)",
        type=["csv", "xlsx"],
        key="up_file",
        max_upload_size=defaults.MAX_UPLOAD_MB,
    )
    if f is not None:
        data = f.getvalue()
        try:
            parsed = parse_survey_csv(data, f.name)
        except SurveyImportError as exc:
            surveys_gcc.problems(exc, "up_problems")
        else:
            st.text(f"{len(parsed):,} rows read from {f.name}; nothing is stored until you save.")
            if parsed.attrs.get("encoding_note"):
                st.text(f"Encoding: {parsed.attrs['encoding_note']}")
            common.table(parsed.head(200), "upload_preview", key="up_preview")
            sha = survey_data.file_hash(data)
            earlier = survey_data.same_file(sha)
            agree = common.save_again_ok(
                [
                    f"upload #{r.upload_id} on {r.uploaded_at} by {common.md_escape(r.uploaded_by)}"
                    for r in earlier.itertuples()
                ],
                "saved",
                "Saving it again would count its rows twice.",
                key="up_again",
            )
            if st.button("Save to my survey data", key="up_save", disabled=not agree):
                upload_id = survey_data.save(
                    f.name, "template", parsed, actor=common.actor(), sha256=sha
                )
                st.toast(f"Saved as upload #{upload_id}.")
                st.rerun()
    ups = survey_data.uploads()
    if ups.empty:
        st.caption("No survey template uploaded yet.")
    else:
        st.markdown("**Your uploads** (kept apart from the rebuilt reference data)")
        common.table(ups.drop(columns=["sha256"], errors="ignore"), "survey_uploads")
        d1, d2, d3 = st.columns([1, 1, 2])
        gone = d1.selectbox("Delete upload #", ups["upload_id"].tolist(), key="up_delete_id")
        sure = d2.checkbox(f"Yes, delete upload #{gone}", key=f"up_delete_sure_{gone}")
        if d3.button("Delete this upload", key="up_delete", disabled=not sure):
            survey_data.delete(int(gone), actor=common.actor())
            st.rerun()


with tab_up:
    if tab_up.open:
        common.not_applying("Pay basis", "dollars", reason="uploads are stored as given.")
        kind = st.radio(
            "Format",
            ["sco_gcc", "template"],
            horizontal=True,
            key="up_kind",
            format_func={
                "template": "Survey template",
                "sco_gcc": "State Controller export (ZIP or CSV, any size)",
            }.get,
        )
        if kind == "template":
            template_upload()
        else:
            surveys_gcc.section(c.agency)
