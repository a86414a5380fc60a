"""The pipeline: files -> tables (etl/uploads) -> layouts -> the tables to read -> rows ->
checks -> warehouse rows. `detect` and `read` run the same pipeline; `read` refuses anything
with a problem, so nothing partial is ever returned or stored."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import PurePath
from typing import Any

from etl.citations import user_doc_name
from etl.errors import InputError, Problem, Problems
from etl.records import ParseResult
from etl.schedule_import import assemble, classes, headers
from etl.schedule_import import options as opts
from etl.schedule_import.detection import Detection, Summary, table_use
from etl.schedule_import.extract import Extracted, Where
from etl.schedule_import.layout import Layout, describe, lay_out
from etl.schedule_import.rows import read_table
from etl.schedule_import.select import Read, select
from etl.schedule_import.stored import ImportedFile
from etl.uploads import reader as uploads

PREVIEW_IMPORT_ID = 0  # the upload id in the citations of a read before anything is stored


class ScheduleImportError(InputError):
    """An imported salary table that cannot be used, with every problem found (file, sheet,
    row, column); nothing from it was stored."""


@dataclass
class ImportedRead:
    """An imported agreement as the build loads it."""

    result: ParseResult
    # (doc, agency, agreement_id, description, lines): lines[i] is row i + 1 of the table
    documents: list[tuple[str, str, str, str, list[str]]]
    detection: Detection
    summary: Summary
    files: tuple[ImportedFile, ...]  # the files with their roles (schedule/grades/classes)
    options: opts.Options
    notes: list[str] = field(default_factory=list)
    doc_files: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # doc -> file, sheet


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return s[:40].strip("-") or "agency"


def agreement_id_for(agency: str, import_id: int) -> str:
    """'imported-<agency slug>-<import id>'."""
    return f"imported-{slug(agency)}-{import_id}"


@dataclass
class _Run:
    files: list[ImportedFile]
    options: opts.Options
    problems: Problems = field(default_factory=Problems)
    detection: Detection = field(default_factory=lambda: Detection(None))
    layouts: list[tuple[ImportedFile, Layout]] = field(default_factory=list)


def _as_options(options: opts.Options | Mapping[str, Any]) -> tuple[opts.Options, list[Problem]]:
    if isinstance(options, opts.Options):
        return options, []
    return opts.parse(options)


def _with_file(problems: list[Problem], file_name: str) -> list[Problem]:
    return [replace(p, file=p.file or file_name) for p in problems]


def _load(run: _Run) -> None:
    """Every table of every file, laid out (problems collected)."""
    names = [f.file_name for f in run.files]
    for n in dict.fromkeys(names):
        if names.count(n) > 1:
            run.problems.add(None, None, f"two files are named {n!r}; rename one", file=n)
    wanted = list(run.options.sheets)
    found_sheets: set[str] = set()
    for f in run.files:
        role = f.role if f.role in ("grades", "classes") else None
        try:
            kind = uploads.file_kind(f.data, f.file_name, pdf=True)
            sheets = None
            if kind == "xlsx":
                all_sheets = uploads.sheet_names(f.data, f.file_name)
                run.detection.sheets[f.file_name] = all_sheets
                picked = [uploads.pick_sheet(all_sheets, w) for w in wanted]
                found_sheets |= {w for w, p in zip(wanted, picked, strict=True) if p}
                sheets = [p for p in picked if p] if wanted else all_sheets
                if not sheets:
                    continue
            known = frozenset(headers.normalize(m.header) for m in run.options.mapping)
            tables = uploads.read_sheets(
                f.data, f.file_name, sheets, header_row=None, strict=False, pdf=known
            )
        except uploads.UploadError as exc:
            run.problems.extend(_with_file(exc.problems, f.file_name))
            continue
        run.layouts.extend((f, lay_out(t, run.options, role)) for t in tables)
    missing = [w for w in wanted if w not in found_sheets]
    if missing:
        run.problems.add(
            None,
            None,
            f"no workbook has a sheet named {', '.join(map(repr, missing))}"
            + (f" (the sheets: {_sheet_list(run)})" if run.detection.sheets else ""),
        )


def _sheet_list(run: _Run) -> str:
    return "; ".join(f"{k}: {', '.join(v)}" for k, v in run.detection.sheets.items())


def _doc_names(import_id: int, tables: list[Layout]) -> dict[tuple[str, str | None], str]:
    """One document per table: the file's name, or file-sheet when a workbook gives two."""
    per_file: dict[str, int] = {}
    for lay in tables:
        per_file[lay.table.file] = per_file.get(lay.table.file, 0) + 1
    out: dict[tuple[str, str | None], str] = {}
    for lay in tables:
        t = lay.table
        name = t.file
        if per_file[t.file] > 1:
            p = PurePath(t.file)
            name = f"{p.stem}-{t.sheet}{p.suffix}"
        doc, k = user_doc_name(import_id, name), 2
        while doc in out.values():
            doc, k = user_doc_name(import_id, f"{name}-{k}"), k + 1
        out[(t.file, t.sheet)] = doc
    return out


def _roles(run: _Run, main: Layout, classes: Layout | None) -> tuple[ImportedFile, ...]:
    if classes is None or main.table.file == classes.table.file:
        return tuple(replace(f, role="schedule") for f in run.files)
    role = {main.table.file: "grades", classes.table.file: "classes"}
    return tuple(replace(f, role=role.get(f.file_name, f.role)) for f in run.files)


def _run(
    files: list[ImportedFile],
    options: opts.Options | Mapping[str, Any],
    import_id: int,
    agreement_id: str | None,
    title: str | None,
) -> tuple[Detection, ImportedRead | None, str]:
    parsed, option_problems = _as_options(options)
    run = _Run(list(files), parsed, Problems(option_problems))
    typed = options.get("agency") if isinstance(options, Mapping) else None
    if isinstance(typed, str) and parsed.agency and " ".join(typed.split()) != parsed.agency:
        run.detection.notes.append(
            f"the agency {typed!r} is the published agency {parsed.agency!r}: the schedule is "
            f"imported as {parsed.agency}'s"
        )
    source = ", ".join(f.file_name for f in files) or "salary schedule"
    if not files:
        run.problems.add(None, None, "give the salary table (a CSV, XLSX or PDF file)")
    _load(run)
    chosen = select(run.layouts, run.options, run.problems, run.detection.notes)
    got = _read(run, chosen, import_id, agreement_id, title) if chosen else None
    used = {id(lay) for pair in chosen for lay in pair if lay is not None}
    run.detection.problems = list(run.problems.items)
    run.detection.total_problems = run.problems.total
    run.detection.shape = _shape(chosen)
    run.detection.tables = [table_use(lay, id(lay) in used) for _, lay in run.layouts]
    return run.detection, (got if not run.problems else None), source


def _shape(chosen: list[Read]) -> str | None:
    if not chosen:
        return None
    return "grades+classes" if chosen[0][1] is not None else chosen[0][0].shape


def _merged(parts: list[Extracted]) -> Extracted:
    out = Extracted()
    for p in parts:
        out.classes += p.classes
        out.cells += p.cells
    return out


def _read(
    run: _Run, chosen: list[Read], import_id: int, agreement_id: str | None, title: str | None
) -> ImportedRead | None:
    o = run.options
    main_rows = [read_table(m, o) for m, _ in chosen]
    class_rows = [read_table(c, o) for _, c in chosen if c is not None]
    tables = [lay for pair in chosen for lay in pair if lay is not None]
    for lay in tables:
        run.problems.extend(lay.problems)
        run.detection.notes.extend(lay.notes)
    has_code = any("class_code" in lay.fields for lay in tables)
    resolved = classes.resolve([*main_rows, *class_rows], has_code)
    run.problems.extend(resolved.problems)
    run.detection.notes.extend(_class_notes(resolved))
    main, class_list = _merged(main_rows), None
    main.classes, main.cells = (
        ([], resolved.cells) if class_rows else (resolved.classes, resolved.cells)
    )
    if class_rows:
        class_list = Extracted(classes=resolved.classes)
    first, classes_lay = chosen[0]
    checked = assemble.check(main, class_list, o, first.shape == "wide")
    _describe_rows(run, chosen, main_rows, class_rows, checked)
    run.problems.extend(checked.problems)
    if o.hire_step and checked.steps and o.hire_step not in checked.steps:
        run.problems.add(None, None, f"option 'hire_step': {o.hire_step!r} is not a step")
    last = max((c.date for c in checked.cells), default=None)
    if o.term_start and last and not o.term_end and o.term_start > last:
        run.problems.add(
            None,
            None,
            f"option 'term_start': {o.term_start} is after the last effective date {last}; "
            "give term_end too",
        )
    if run.problems or not checked.cells:
        if not run.problems:
            run.problems.add(None, None, "the table has no pay to import")
        return None
    names = assemble.Names(
        o.agency,
        agreement_id or agreement_id_for(o.agency, import_id),
        title or o.title or f"{o.agency} salary schedule (imported)",
        _doc_names(import_id, tables),
    )
    result = assemble.records(
        checked,
        o,
        names,
        names.docs[(first.table.file, first.table.sheet)],
        _rule_cite(first, checked.steps),
        _class_column(classes_lay or first),
    )
    documents = [
        (
            names.docs[(lay.table.file, lay.table.sheet)],
            o.agency,
            names.agreement_id,
            f"{lay.name}: {describe(lay)}, imported for {o.agency}",
            lay.table.lines(),
        )
        for lay in tables
    ]
    summary = replace(
        _summary(result, checked, resolved),
        date_rows=tuple(sorted(run.detection.date_rows.items())),
    )
    return ImportedRead(
        result,
        documents,
        run.detection,
        summary,
        _roles(run, first, classes_lay),
        o,
        list(run.detection.notes),
        {doc: key for key, doc in names.docs.items()},
    )


def _rule_cite(main: Layout, steps: tuple[str, ...]) -> tuple[Where, str]:
    t = main.table
    col = main.fields.get("step")
    if col is not None:
        column = col.header
    else:
        column = main.steps[0].header + (f"…{main.steps[-1].header}" if len(main.steps) > 1 else "")
    page, at = t.place(t.header_row)
    where = Where(t.file, t.sheet, t.header_row, column, page, at if page else None)
    return where, f"steps {', '.join(steps)}"


def _class_column(lay: Layout) -> str | None:
    col = lay.fields.get("class_code") or lay.fields.get("class_title")
    return col.header if col else None


def _describe_rows(run, chosen: list[Read], main_rows, class_rows, checked) -> None:
    d = run.detection
    mains = [m for m, _ in chosen]
    cells = [c for ext in main_rows for c in ext.cells]
    cols = [c for m in mains for c in (m.pays if m.shape == "long" else m.steps)]
    d.periods = sorted({c.period for c in cells} or {c.period for c in cols if c.period})
    d.dates = sorted({c.date for c in cells})
    for m in mains:
        for when, n in m.row_dates.items():
            d.date_rows[when] = d.date_rows.get(when, 0) + n
    d.steps = list(checked.steps)
    d.notes.extend(checked.notes)
    pairs = [*zip(mains, main_rows, strict=True)]
    pairs += [*zip([c for _, c in chosen if c is not None], class_rows, strict=True)]
    for lay, ext in pairs:
        if ext.skipped:
            shown = "; ".join(f"{lay.place(n)} ({why})" for n, why in ext.skipped[:8])
            more = f"; and {len(ext.skipped) - 8} more" if len(ext.skipped) > 8 else ""
            d.notes.append(f"{lay.name}: rows not read: {shown}{more}")
        if ext.filled:
            d.notes.append(
                f"{lay.name}: {len(ext.filled)} rows name no class and are read as the class "
                f"above them (merged or blank cells), e.g. {lay.place(ext.filled[0][0])} as "
                f"{lay.place(ext.filled[0][1])}"
            )


def _class_notes(resolved: classes.Resolved) -> list[str]:
    out = []
    if resolved.derived:
        out.append(
            f"no class code column; {resolved.derived} codes derived from the titles (the same "
            "title always gives the same code, e.g. 'ACCOUNT-CLERK-II')"
        )
    if resolved.by_title:
        out.append(
            f"{resolved.by_title} classes have no code (their code cells are blank): each is "
            "keyed by its title within its unit (the same title always gives the same key)"
        )
    if resolved.reused:
        shown = "; ".join(
            f"{code} ({', '.join(titles)}){f' in {unit}' if unit else ''}"
            for unit, code, titles in resolved.reused[:10]
        )
        more = f"; and {len(resolved.reused) - 10} more" if len(resolved.reused) > 10 else ""
        out.append(
            f"{len(resolved.reused)} class codes name two or more titles; each title is kept "
            f"as its own class, stored as CODE/TITLE (their pay is never merged): {shown}{more}"
        )
    return out


def _summary(result: ParseResult, checked: assemble.Checked, resolved) -> Summary:
    rates = result.salary_rates
    units: dict[str, int] = {}
    for c in result.classes:
        if c.bargaining_unit:
            units[c.bargaining_unit] = units.get(c.bargaining_unit, 0) + 1
    return Summary(
        classes=len(result.classes),
        rates=len(rates),
        steps=checked.steps,
        dates=tuple(sorted({r.effective_date for r in rates})),
        hourly_min=min((r.hourly for r in rates), default=None),
        hourly_max=max((r.hourly for r in rates), default=None),
        derived_codes=resolved.derived,
        units=tuple(units.items()),
        reused=tuple(resolved.reused),
        by_title=resolved.by_title,
    )


# The API -----------------------------------------------------------------------------------------


def detect(files: list[ImportedFile], options: opts.Options | Mapping[str, Any]) -> Detection:
    """What the reader sees in the files, with every problem; never raises for the files'
    content (the app and the CLI show it before anything is stored)."""
    return _run(files, options, PREVIEW_IMPORT_ID, None, None)[0]


def read(
    files: list[ImportedFile],
    options: opts.Options | Mapping[str, Any],
    *,
    import_id: int = PREVIEW_IMPORT_ID,
    agreement_id: str | None = None,
    title: str | None = None,
) -> ImportedRead:
    """The files read into warehouse rows; ScheduleImportError listing every problem (file,
    sheet, row, column) otherwise. Citations use `import_id` (0 before the import is stored)."""
    detection, got, source = _run(files, options, import_id, agreement_id, title)
    if got is None:
        raise ScheduleImportError(source, detection.problems, total=detection.total_problems)
    return got


def read_imported(item) -> ImportedRead:
    """A stored imported agreement (stored.Imported), read again for a build."""
    options = {**item.options, "agency": item.agency}
    return read(
        list(item.files),
        options,
        import_id=item.import_id,
        agreement_id=item.agreement_id,
        title=item.title,
    )
