-- The warehouse schema: staging tables (one row per parsed record, loaded by etl/build.py),
-- then the public views. The app, the exports and outside BI tools read ONLY the views;
-- their names and columns are the stable interface (documented in README.md).
--
-- Every staging row carries source_doc / source_line / source_col / source_section: the raw
-- file in data/raw/ (or a file a user imported), the 1-based line (spreadsheet row), the
-- character offset within the line (only for one-line documents) and the article/section
-- (sheet and column); source_ref is the same as text, in the one citation format of
-- etl/citations.py, written by the build.

CREATE TABLE build_info (
    schema_version INTEGER NOT NULL,
    built_at TIMESTAMP NOT NULL,
    source_fingerprint VARCHAR NOT NULL,
    build_seconds DOUBLE
);

CREATE TABLE documents (
    doc VARCHAR PRIMARY KEY,
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    description VARCHAR,
    kind VARCHAR NOT NULL,  -- 'published' (data/raw/) | 'imported' (a user's file)
    sha256 VARCHAR NOT NULL,
    n_lines INTEGER NOT NULL
);

-- The raw text, line by line, so the Sources page can show the text around any cited value.
CREATE TABLE source_lines (
    doc VARCHAR NOT NULL,
    line_no INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    PRIMARY KEY (doc, line_no)
);

CREATE TABLE stg_agreements (
    agreement_id VARCHAR PRIMARY KEY,
    agency VARCHAR NOT NULL,
    union_name VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    doc VARCHAR NOT NULL,
    units VARCHAR,
    term_start DATE,
    term_end DATE,
    kind VARCHAR NOT NULL,
    has_salary_table BOOLEAN NOT NULL,
    no_table_reason VARCHAR,
    color VARCHAR,
    ordinal INTEGER NOT NULL  -- registry order (published first, then imported)
);

-- Step rules from the registry (published) or given at import (imported; stated = false
-- when the importer's default was used).
CREATE TABLE stg_step_rules (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR PRIMARY KEY,
    steps VARCHAR[] NOT NULL,
    step_pct DOUBLE,
    hire_step VARCHAR NOT NULL,
    first_advance_hours INTEGER NOT NULL,
    advance_hours INTEGER NOT NULL,
    steps_per_advance INTEGER NOT NULL,
    automatic BOOLEAN NOT NULL,
    condition VARCHAR NOT NULL,
    citation_refs VARCHAR[] NOT NULL,
    citation_quotes VARCHAR[] NOT NULL,
    notes VARCHAR[] NOT NULL,
    stated BOOLEAN NOT NULL,
    source_ref VARCHAR NOT NULL
);

CREATE TABLE stg_classes (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    bargaining_unit VARCHAR,
    class_code VARCHAR NOT NULL,
    class_title VARCHAR,
    payroll_only BOOLEAN NOT NULL,
    grade VARCHAR,
    source_doc VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    source_col INTEGER,
    source_section VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL
);

CREATE TABLE stg_salary_rates (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    bargaining_unit VARCHAR,
    class_code VARCHAR NOT NULL,
    effective_date DATE NOT NULL,
    step VARCHAR NOT NULL,
    hourly DOUBLE NOT NULL,
    is_derived BOOLEAN NOT NULL,
    derivation VARCHAR,
    source_doc VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    source_col INTEGER,
    source_section VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL
);

CREATE TABLE stg_wage_increases (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    effective_date DATE,
    kind VARCHAR NOT NULL,
    class_code VARCHAR,
    pct DOUBLE,
    amount DOUBLE,
    note VARCHAR,
    source_doc VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    source_col INTEGER,
    source_section VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL
);

CREATE TABLE stg_premiums (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    premium VARCHAR NOT NULL,
    basis VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    effective_date DATE,
    eligibility VARCHAR,
    paid_to_class VARCHAR,
    source_doc VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    source_col INTEGER,
    source_section VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL
);

CREATE TABLE stg_benefit_shares (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    benefit VARCHAR NOT NULL,
    plan VARCHAR,
    tier VARCHAR,
    employer_pct DOUBLE,
    employee_pct DOUBLE,
    employee_amount DOUBLE,
    amount_period VARCHAR,
    effective_date DATE,
    note VARCHAR,
    employee_group VARCHAR,
    source_doc VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    source_col INTEGER,
    source_section VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL
);

CREATE TABLE stg_survey_agencies (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    survey_agency VARCHAR NOT NULL,
    purpose VARCHAR NOT NULL,
    source_doc VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    source_col INTEGER,
    source_section VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL
);

CREATE TABLE stg_provisions (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    topic VARCHAR NOT NULL,
    summary VARCHAR NOT NULL,
    source_doc VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    source_col INTEGER,
    source_section VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL
);

CREATE TABLE stg_audit (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    "check" VARCHAR NOT NULL,
    class_code VARCHAR,
    effective_date DATE,
    expected DOUBLE,
    actual DOUBLE,
    explained_by VARCHAR,
    status VARCHAR NOT NULL,
    detail VARCHAR,
    source_doc VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    source_col INTEGER,
    source_section VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL
);

-- Public views ---------------------------------------------------------------------------------

-- agreements: which agreements are loaded (Overview page, every export's header).
CREATE VIEW agreements AS
SELECT agreement_id, agency, union_name, title, doc, units, term_start, term_end, kind,
       has_salary_table, no_table_reason, color, ordinal
FROM stg_agreements;

-- step_rules: how employees move through the steps (step progression, costing, defaults).
CREATE VIEW step_rules AS
SELECT agency, agreement_id, steps, step_pct, hire_step, first_advance_hours, advance_hours,
       steps_per_advance, automatic, condition, citation_refs, citation_quotes, notes, stated,
       source_ref
FROM stg_step_rules;

-- job_classes: the class list of each agreement (class search, crosswalk, roster validation).
CREATE VIEW job_classes AS
SELECT agency, agreement_id, bargaining_unit, class_code, class_title, payroll_only, grade,
       source_ref,
       source_doc, source_line
FROM stg_classes;

-- salary_schedule: one row per class x effective date x step, in four pay bases
-- (the constants of etl/pay.py, substituted by the build). Read by the
-- schedule browser, step progression, market gap and costing.
CREATE VIEW salary_schedule AS
SELECT r.agency, r.agreement_id, r.bargaining_unit, r.class_code, c.class_title,
       r.effective_date, r.step,
       r.hourly,
       round(r.hourly * $HOURS_PER_PAY_PERIOD, 2) AS biweekly,
       round(r.hourly * $HOURS_PER_YEAR / $MONTHS_PER_YEAR, 2) AS monthly,
       round(r.hourly * $HOURS_PER_YEAR, 2) AS annual,
       r.is_derived,
       r.source_ref,
       r.derivation, c.payroll_only,
       r.source_doc, r.source_line
FROM stg_salary_rates r
LEFT JOIN stg_classes c
  ON c.agreement_id = r.agreement_id AND c.class_code = r.class_code
 AND c.bargaining_unit IS NOT DISTINCT FROM r.bargaining_unit;

-- wage_increases: general (all classes), market (per class, Sonoma Appendix B), one_time
-- (dollars), level (Contra Costa salary levels). Read by trajectories, aging and costing.
CREATE VIEW wage_increases AS
SELECT agency, agreement_id, effective_date, kind, class_code, pct, amount,
       source_ref,
       note, source_doc, source_line
FROM stg_wage_increases;

-- premiums: every premium with a stated rate; basis says how value is expressed;
-- paid_to_class: the class every employee of which is paid it (NULL: when eligible).
CREATE VIEW premiums AS
SELECT agency, agreement_id, premium, basis, value, effective_date, eligibility,
       paid_to_class, source_ref,
       source_doc, source_line
FROM stg_premiums;

-- benefit_shares: employer / employee shares of health and other benefits; employee_group
-- names a special group the row is for (NULL: every regular employee).
CREATE VIEW benefit_shares AS
SELECT agency, agreement_id, benefit, plan, tier, employer_pct, employee_pct, employee_amount,
       amount_period, effective_date, employee_group,
       source_ref,
       note, source_doc, source_line
FROM stg_benefit_shares;

-- survey_agencies: who surveys whom, and for what (survey network page, comparator defaults).
CREATE VIEW survey_agencies AS
SELECT agency, agreement_id, survey_agency, purpose,
       source_ref,
       source_doc, source_line
FROM stg_survey_agencies;

-- provisions: non-money provisions worth comparing (telework, merit rules, reopeners...).
CREATE VIEW provisions AS
SELECT agency, agreement_id, topic, summary,
       source_ref,
       source_doc, source_line
FROM stg_provisions;

-- audit: arithmetic checks of the printed tables (Sources and audit page, `bargain build`).
CREATE VIEW audit AS
SELECT agency, agreement_id, class_code, effective_date, expected, actual, explained_by, status,
       "check", detail,
       source_ref,
       source_doc, source_line
FROM stg_audit;

-- time_off (added for issue 13): paid and unpaid leave entitlements, one row per kind x unit x
-- service band. Hours are for a full-time employee; a derived figure says so in note.
CREATE TABLE stg_time_off (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    bargaining_unit VARCHAR,
    kind VARCHAR NOT NULL,
    service_years_min DOUBLE,
    service_years_max DOUBLE,
    hours_per_year DOUBLE,
    cap_hours DOUBLE,
    effective_date DATE,
    note VARCHAR NOT NULL,
    source_doc VARCHAR NOT NULL,
    source_line INTEGER NOT NULL,
    source_col INTEGER,
    source_section VARCHAR NOT NULL,
    source_ref VARCHAR NOT NULL
);

CREATE VIEW time_off AS
SELECT agency, agreement_id, bargaining_unit, kind, service_years_min, service_years_max,
       hours_per_year, cap_hours, effective_date,
       source_ref,
       note, source_doc, source_line
FROM stg_time_off;


-- Total compensation at the default years of service (etl/total_compensation.py, computed by
-- the build from the views above): base pay at the step reached, employer-paid benefits the
-- agreement prices, and the value of paid time off; `missing` names what could not be priced.
CREATE TABLE stg_total_compensation (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    class_code VARCHAR NOT NULL,
    class_title VARCHAR,
    bargaining_unit VARCHAR,
    effective_date DATE NOT NULL,
    years_of_service DOUBLE NOT NULL,
    step VARCHAR NOT NULL,
    base_annual DOUBLE NOT NULL,
    employer_benefits_annual DOUBLE NOT NULL,
    time_off_hours DOUBLE NOT NULL,
    time_off_value_annual DOUBLE NOT NULL,
    total_annual DOUBLE NOT NULL,
    missing VARCHAR,
    note VARCHAR,
    source_refs VARCHAR NOT NULL
);

-- total_compensation: one row per class x schedule date (Premiums and benefits page, market
-- gap on total compensation, exports).
CREATE VIEW total_compensation AS
SELECT agency, agreement_id, class_code, class_title, bargaining_unit, effective_date, step,
       years_of_service, base_annual, employer_benefits_annual, time_off_hours,
       time_off_value_annual, total_annual, missing, note, source_refs
FROM stg_total_compensation;


-- CPI salary reopeners from the registry, each clause located in its agreement (the
-- Premiums and benefits page computes whether each year triggered).
CREATE TABLE stg_cpi_reopeners (
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    section VARCHAR NOT NULL,
    quote VARCHAR NOT NULL,
    years INTEGER[] NOT NULL,
    threshold DOUBLE NOT NULL,
    end_month INTEGER NOT NULL,
    published_values INTEGER NOT NULL,
    index_notes VARCHAR[] NOT NULL,
    source_ref VARCHAR NOT NULL
);

CREATE VIEW cpi_reopeners AS
SELECT agency, agreement_id, section, quote, years, threshold, end_month, published_values,
       index_notes, source_ref
FROM stg_cpi_reopeners;

-- Agreement text for clause search (etl/agreement_text/): each published document's passages
-- (a line, or a stretch of a very long line from character `col`) with the article/section
-- its numbering puts them in, and the sections with the lines they span (subsections
-- included). Table-of-contents lines are not clauses. The full-text index is built over
-- `clauses` (with the user's imported texts) by analysis/clauses.py.
CREATE TABLE stg_clauses (
    doc VARCHAR NOT NULL,
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    section VARCHAR NOT NULL,  -- '' before the first heading (a cover page, a one-line OCR text)
    heading VARCHAR NOT NULL,
    line_no INTEGER NOT NULL,
    last_line INTEGER NOT NULL,
    col INTEGER,
    text VARCHAR NOT NULL
);

CREATE TABLE stg_sections (
    doc VARCHAR NOT NULL,
    agency VARCHAR NOT NULL,
    agreement_id VARCHAR NOT NULL,
    section VARCHAR NOT NULL,
    heading VARCHAR NOT NULL,
    article VARCHAR,
    depth INTEGER NOT NULL,
    first_line INTEGER NOT NULL,
    last_line INTEGER NOT NULL
);

CREATE VIEW clauses AS
SELECT doc, agency, agreement_id, section, heading, line_no, last_line, col, text,
       doc || ':' || line_no || coalesce(':' || col, '') || ' §'
           || coalesce(nullif(section, ''), 'text') AS source_ref,
       doc AS source_doc, line_no AS source_line
FROM stg_clauses;

CREATE VIEW clause_sections AS
SELECT doc, agency, agreement_id, section, heading, article, depth, first_line, last_line,
       doc || ':' || first_line || ' §' || section AS source_ref,
       doc AS source_doc, first_line AS source_line
FROM stg_sections;
