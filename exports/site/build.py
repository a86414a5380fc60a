"""`bargain publish DIR`: the member site written from the warehouse, every agreement it
holds (published and imported alike) or the agencies asked for.

What bounds the time is the figures of each class (analysis.member.class_figures, about 30 ms of
pandas a class on one core once an agency's rows are read), so the classes are shared out
over `jobs` processes, each with its own read-only connection; the pages come back to this
process, which writes the folder once (exports/site/writer.py). The output depends only on
the warehouse, the dates and the code: the same inputs give byte-identical files.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from analysis import agencies, inflation, warehouse
from analysis.member import class_figures as member_class
from analysis.member import data as member_data
from etl.errors import BargainError
from exports.site import assets, class_page, index_pages, manifest, writer
from exports.site.class_page import AgencyInfo, Where
from exports.site.html import e
from exports.site.index_pages import AgencyPlan, ClassLink
from exports.site.paths import INDEX, MANIFEST, SEARCH, Names, agency_index, rel, slug
from exports.site.quotes import Quotes

BUILD_SQL = "SELECT source_fingerprint, built_at FROM build_info"
PAGES_PER_CHUNK = 40
PARALLEL_FROM = 120  # fewer classes than this: one process (starting others costs more)


@dataclass(frozen=True)
class Task:
    agency: str
    code: str
    unit: str | None
    title: str
    payroll_only: bool
    path: str


@dataclass
class Published:
    target: Path
    files: int
    pages: int
    manifest: dict


def _agency_info(agr: pd.DataFrame, name: str, rule_agreement: str | None) -> AgencyInfo:
    rows = agr[agr["agency"] == name]
    pick = rows[rows["agreement_id"] == rule_agreement] if rule_agreement else rows
    r = (pick if not pick.empty else rows).sort_values("ordinal").iloc[0]
    start = None if pd.isna(r["term_start"]) else r["term_start"].date()
    end = None if pd.isna(r["term_end"]) else r["term_end"].date()
    return AgencyInfo(name, str(r["union_name"]), str(r["title"]), start, end, str(r["kind"]))


def _as_of(con, name: str, given: date | None) -> date:
    if given is None:
        return agencies.default_as_of(con, name)
    first = min(agencies.schedule_dates(con, name), default=None)
    if first is not None and given < first:
        raise BargainError(
            f"--as-of {given} is before {name}'s first salary schedule ({first:%m/%d/%Y}); "
            "give a later date, or leave it out with --agency"
        )
    return given


def _classes(con, a: AgencyPlan) -> list[ClassLink]:
    c = member_data.classes(con, a.info.name)
    units = Names({"index"})
    unit_dir = {u: f"u-{units.get(u)}" for u in sorted(c["bargaining_unit"].dropna().unique())}
    files: dict[str | None, Names] = {}
    out = []
    for r in c.itertuples():
        unit = None if pd.isna(r.bargaining_unit) else str(r.bargaining_unit)
        names = files.setdefault(unit, Names({"index"}))
        folder = a.folder + (f"/{unit_dir[unit]}" if unit is not None else "")
        path = f"{folder}/{names.get(r.class_code)}.html"
        out.append(ClassLink(str(r.class_code), str(r.class_title or ""), unit, path,
                             bool(r.payroll_only)))  # fmt: skip
    return out


def plan(con, names: list[str] | None, as_of: date | None) -> list[AgencyPlan]:
    """Every agency to publish, in registry order, with its folder, date and classes."""
    table = agencies.agencies(con)
    wanted = None if not names else {agencies.resolve(con, n) for n in names}
    agr = warehouse.agreements(con)
    folders = Names({"assets", "index", "search", "manifest"})
    plans = []
    for row in table.itertuples():
        if wanted is not None and row.agency not in wanted:
            continue
        folder = folders.get(row.agency)
        if not row.has_salary_table:
            info = _agency_info(agr, row.agency, None)
            raises = member_data.raises(con, row.agency)
            raises = raises.assign(
                what=[member_class.increase_text(r) for r in raises.itertuples()]
            )
            plans.append(AgencyPlan(info, folder, None, row.no_table_reason, raises=raises))
            continue
        when = _as_of(con, row.agency, as_of)
        rule = agencies.step_rule(con, row.agency, when)
        a = AgencyPlan(_agency_info(agr, row.agency, rule.agreement_id), folder, when, None)
        a.classes = _classes(con, a)
        plans.append(a)
    return plans


def footer(about: dict) -> str:
    fp = about["data_fingerprint"][:16]
    return (
        f"Published with <code>bargain publish</code> from the warehouse built "
        f"{e(about['warehouse_built_at'][:10])} (data fingerprint {e(fp)}…). Every figure is "
        "printed in its agreement or derived from it by the rule it states, and cites its line. "
        f'<span class="screen-only">Real figures: {e(about["cpi"]["label"])}.</span>'
    )


# Rendering (in worker processes) -------------------------------------------------------------

_OPEN: dict[str, tuple] = {}  # per process: db path -> (connection, Quotes)


def _connection(db: str) -> tuple:
    if db not in _OPEN:
        con = warehouse.connect(Path(db))
        _OPEN[db] = (con, Quotes(con))
    return _OPEN[db]


def render_chunk(db: str, tasks: list[Task], ctx: dict) -> list[tuple[str, str]]:
    """The pages of `tasks` (site path, HTML), from a connection of this process."""
    con, quotes = _connection(db)
    out = []
    for t in tasks:
        info = ctx["infos"][t.agency]
        where = Where(
            t.path,
            rel(t.path, INDEX),
            rel(t.path, agency_index(ctx["folders"][t.agency])),
            rel(t.path, assets.css_path()),
        )
        try:
            f = member_class.class_figures(
                con, t.agency, t.code, t.unit, ctx["as_of"][t.agency],
                real_month=ctx["month"], cpi_series=ctx["series"],
            )  # fmt: skip
        except ValueError as exc:
            html = class_page.no_schedule(t.code, t.title, info, str(exc), where, ctx["footer"])
        else:
            unit = index_pages.unit_label(t.unit)
            html = class_page.render(f, info, unit, t.payroll_only, where, quotes, ctx["footer"])
        out.append((t.path, html))
    return out


def _chunks(tasks: list[Task]) -> list[list[Task]]:
    return [tasks[i : i + PAGES_PER_CHUNK] for i in range(0, len(tasks), PAGES_PER_CHUNK)]


def render_all(db: Path, tasks: list[Task], ctx: dict, jobs: int) -> dict[str, str]:
    if jobs <= 1 or len(tasks) < PARALLEL_FROM:
        return dict(render_chunk(str(db), tasks, ctx))
    out: dict[str, str] = {}
    # spawn, not fork: a forked child would share this process's DuckDB connection.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(render_chunk, str(db), chunk, ctx) for chunk in _chunks(tasks)]
        for fut in futures:
            out.update(fut.result())
    return out


# The whole site --------------------------------------------------------------------------


def _about(con, plans: list[AgencyPlan], month: date, series: str) -> dict:
    # read directly, not through a query cache: the stamp must be this file's build
    fp, built = con.execute(BUILD_SQL).fetchone()
    return {
        "data_fingerprint": str(fp),
        "warehouse_built_at": pd.Timestamp(built).isoformat(),
        "as_of": {a.info.name: (a.as_of.isoformat() if a.as_of else None) for a in plans},
        "agencies": [a.info.name for a in plans],
        "cpi": {
            "series": series,
            "name": inflation.SERIES_NAMES[series],
            "real_month": f"{month:%Y-%m}",
            "label": inflation.label(series, month),
        },
    }


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def publish(
    db: Path,
    target: Path,
    agency_names: list[str] | None = None,
    as_of: date | None = None,
    *,
    jobs: int | None = None,
    cpi_series: str = inflation.DEFAULT_SERIES,
) -> Published:
    """Write the member site of the warehouse `db` into the folder `target` (new, empty, or
    an earlier site: writer.check_target), for `agency_names` (default every agency) on
    `as_of` (default each agency's own date inside its term)."""
    target = Path(target)
    writer.check_target(target.absolute())
    con = warehouse.connect(Path(db))
    month = inflation.latest_month(cpi_series)
    plans = plan(con, agency_names, as_of)
    about = _about(con, plans, month, cpi_series)
    foot = footer(about)
    ctx = {
        "infos": {a.info.name: a.info for a in plans},
        "folders": {a.info.name: a.folder for a in plans},
        "as_of": {a.info.name: a.as_of for a in plans},
        "month": month,
        "series": cpi_series,
        "footer": foot,
    }
    tasks = [
        Task(a.info.name, c.code, c.unit, c.title, c.payroll_only, c.path)
        for a in plans
        for c in a.classes
    ]
    pages = render_all(Path(db), tasks, ctx, jobs or default_jobs())
    quotes = Quotes(con)
    files = {p: h.encode() for p, h in pages.items()}
    files[INDEX] = index_pages.front_page(plans, foot).encode()
    for a in plans:
        files[agency_index(a.folder)] = index_pages.agency_page(a, quotes, foot).encode()
    files[SEARCH] = index_pages.search_index(plans)
    files.update(assets.files())
    files.update(writer.gzip_copies(files))
    listing = [
        {"agency": t.agency, "unit": t.unit, "class_code": t.code, "path": t.path} for t in tasks
    ]
    files[MANIFEST] = manifest.make(files, about, listing)
    writer.write_site(target, files)
    return Published(target, len(files), len(tasks), json.loads(files[MANIFEST]))


__all__ = ["Published", "publish", "slug"]
