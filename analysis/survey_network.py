"""Who surveys whom: the loaded agreements' own survey lists as a network, which of its
agencies have pay data (a salary table in the warehouse, survey template uploads, imported
State Controller positions), and the imported agencies no list names."""

from __future__ import annotations

import duckdb
import pandas as pd

from analysis import agencies
from analysis.crosswalk import match as crosswalk
from analysis.warehouse import query
from etl.agency_names import resolve_typed, same_agency

SURVEY_EDGES_SQL = """
SELECT agency, survey_agency, purpose, source_ref
FROM survey_agencies
ORDER BY agency, source_ref, survey_agency
"""

# What each loaded agency has in the warehouse (salary tables, increases, benefit shares).
AGENCY_DATA_SQL = """
SELECT a.agency,
       (SELECT count(*) FROM salary_schedule s WHERE s.agency = a.agency) AS salary_rows,
       (SELECT count(*) FROM wage_increases w WHERE w.agency = a.agency) AS increase_rows,
       (SELECT count(*) FROM benefit_shares b WHERE b.agency = a.agency) AS benefit_rows
FROM (SELECT DISTINCT agency FROM agreements) a
ORDER BY a.agency
"""

PAID_CLASSES_SQL = "SELECT DISTINCT class_code FROM salary_schedule WHERE agency = ?"


def _agency_data(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return query(con, AGENCY_DATA_SQL).set_index("agency")


def survey_network(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Who surveys whom, from the loaded agreements' own survey lists: one row per agency x
    survey_agency x purpose, with loaded_agency (the survey agency's loaded agreement, or None)
    and has_salary_data (its salary table is in the warehouse)."""
    edges = query(con, SURVEY_EDGES_SQL)
    data = _agency_data(con)
    known = agencies.names(con)
    loaded = [resolve_typed(n, known) for n in edges["survey_agency"]]
    edges["loaded_agency"] = pd.Series(loaded, index=edges.index, dtype=object)
    edges["has_salary_data"] = [
        bool(a is not None and a in data.index and data.loc[a, "salary_rows"] > 0) for a in loaded
    ]
    return edges


def network_nodes(
    con: duckdb.DuckDBPyConnection,
    gcc_summary: pd.DataFrame | None = None,
    uploaded_agencies: tuple[str, ...] = (),
) -> pd.DataFrame:
    """One row per agency in the survey network: node (the loaded agency name, or the survey
    agency name), kind ('loaded agreement' | 'survey agency' | 'imported survey agency', the
    last for an imported State Controller agency no survey list names), and what the
    warehouse holds for it (salary tables, wage increases, benefit shares), surveys (how many
    agencies its agreement surveys), surveyed_by (the loaded agencies whose lists name it),
    uploaded (template rows under any spelling of its name) and gcc (the State Controller
    import that gives its pay: years, positions, file; `gcc_summary` is
    analysis.market.gcc.agencies_summary), has_pay_data (any of the three)."""
    out = _listed_nodes(con)
    out["uploaded"] = [any(same_agency(n, u) for u in uploaded_agencies) for n in out["node"]]
    out["gcc"] = None
    out["gcc_agency"] = None
    if gcc_summary is not None and not gcc_summary.empty:
        from analysis.market.gcc import describe

        extra = []
        for g in gcc_summary.to_dict("records"):
            hit = [i for i, n in enumerate(out["node"]) if same_agency(n, g["agency"])]
            if hit:
                out.loc[hit, "gcc"] = describe(g)
                out.loc[hit, "gcc_agency"] = g["agency"]
            else:
                extra.append(_imported_node(g, describe(g)))
        if extra:
            out = pd.concat([out, pd.DataFrame(extra)], ignore_index=True)
    out["has_pay_data"] = out["has_salary_data"] | out["uploaded"] | out["gcc"].notna()
    return crosswalk.with_none(out, ["loaded_agency", "gcc", "gcc_agency"])


def _imported_node(g: dict, text: str) -> dict:
    return {
        "node": g["agency"],
        "kind": "imported survey agency",
        "loaded_agency": None,
        "has_salary_data": False,
        "has_wage_increases": False,
        "has_benefit_shares": False,
        "surveys": 0,
        "surveyed_by": "",
        "uploaded": False,
        "gcc": text,
        "gcc_agency": g["agency"],
    }


def _listed_nodes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The nodes of the loaded agreements and the agencies their survey lists name."""
    edges = survey_network(con)
    data = _agency_data(con)
    nodes: dict[str, dict] = {}

    def node(name: str, loaded: str | None) -> dict:
        key = loaded or name
        if key not in nodes:
            d = data.loc[loaded] if loaded in data.index else None
            nodes[key] = {
                "node": key,
                "kind": "loaded agreement" if loaded else "survey agency",
                "loaded_agency": loaded,
                "has_salary_data": bool(d is not None and d["salary_rows"] > 0),
                "has_wage_increases": bool(d is not None and d["increase_rows"] > 0),
                "has_benefit_shares": bool(d is not None and d["benefit_rows"] > 0),
                "surveys": set(),
                "surveyed_by": set(),
            }
        return nodes[key]

    for agency in data.index:
        node(agency, agency)
    for agency, survey_agency, loaded in zip(
        edges["agency"], edges["survey_agency"], edges["loaded_agency"], strict=True
    ):
        src = node(agency, agency)
        dst = node(survey_agency, loaded)
        src["surveys"].add(dst["node"])
        dst["surveyed_by"].add(src["node"])
    rows = []
    for n in nodes.values():
        rows.append(
            {
                **n,
                "surveys": len(n["surveys"]),
                "surveyed_by": ", ".join(sorted(n["surveyed_by"])),
            }
        )
    out = crosswalk.with_none(pd.DataFrame(rows), ["loaded_agency"])
    order = out["kind"].eq("survey agency")
    return (
        out.assign(_o=order).sort_values(["_o", "node"]).drop(columns="_o").reset_index(drop=True)
    )


def nodes_with_pay(nodes: pd.DataFrame) -> set[str]:
    """The network nodes with pay data (network_nodes' has_pay_data), for the chart."""
    return set(nodes.loc[nodes["has_pay_data"].astype(bool), "node"])
