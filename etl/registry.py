"""The registry of agreements: the one place that describes every published agreement the
warehouse is built from, and how each is read.

An entry names the agency, union and agreement; its documents in data/raw/; the parser module
that reads them (`parse(raw_dir, reference_dir) -> ParseResult`); whether it prints a salary
table (and, when not, why); how employees move through its steps, each rule quoted from the
text; and a colour for charts. Facts the text states (term, units, survey lists) are parsed
from it, not typed here. Agreements a user brings (etl/schedule_import/) are registered at
build time from the user's data with the same fields, so everything downstream reads one
`agreements` and one `step_rules` view, whatever the source.

Adding a published agreement is one parser module and one entry in `PUBLISHED`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.pay import HOURS_PER_PAY_PERIOD, PAY_PERIODS_PER_YEAR


@dataclass(frozen=True)
class Quote:
    """A verbatim quote and its section; the build finds the line it is on."""

    section: str
    text: str


@dataclass(frozen=True)
class StepRuleSpec:
    """How employees move through the steps of their range, as the agreement states it."""

    steps: tuple[str, ...]  # the range, bottom to top
    step_pct: float | None  # nominal percent between adjacent steps (None: not stated)
    hire_step: str
    first_advance_hours: int  # in-service hours in the class before the first advance
    advance_hours: int  # in-service hours at each later step before the next advance
    steps_per_advance: int  # steps gained per advance (capped at the top step)
    automatic: bool  # False: each advance needs an approved evaluation
    condition: str  # what besides time an advance needs
    quotes: tuple[Quote, ...] = ()  # the text the rule is read from
    notes: tuple[str, ...] = ()
    stated: bool = True  # False: a default the importer assumed, labelled so


@dataclass(frozen=True)
class CpiReopenerSpec:
    """A salary reopener triggered by the consumer price index: the agreement reopens when
    the twelve-month average ending `end_month` of each year rises by `threshold` percent or
    more over the year before. `quote` is the clause (the build finds its line); `index_notes`
    say how the index the text names is stood in for by the bundled series."""

    section: str
    quote: str
    years: tuple[int, ...]
    threshold: float
    end_month: int
    published_values: int  # how many published values the text's window holds
    index_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    doc: str  # file name in data/raw/
    description: str


@dataclass(frozen=True)
class Entry:
    """One agreement."""

    agreement_id: str
    agency: str
    union: str
    title: str
    documents: tuple[Document, ...]
    parser: str  # module with parse(raw_dir, reference_dir) -> ParseResult
    has_salary_table: bool
    no_table_reason: str | None = None  # why there is no step pay, in plain words
    step_rule: StepRuleSpec | None = None
    color: str = "#555555"
    kind: str = "published"  # 'published' | 'imported'
    notes: tuple[str, ...] = field(default=())
    cpi_reopeners: tuple[CpiReopenerSpec, ...] = ()

    @property
    def doc(self) -> str:
        """The main document (the first)."""
        return self.documents[0].doc


SONOMA = Entry(
    agreement_id="sonoma-seiu707-2002-2008",
    agency="Sonoma",
    union="SEIU Local 707",
    title=(
        "Memorandum of Understanding between the County of Sonoma and Related Agencies and "
        "SEIU Local 707, 2002-2008"
    ),
    documents=(
        Document(
            "sonoma_seiu707_mou_2002_2008.txt",
            "County of Sonoma - SEIU Local 707 MOU, 7/23/2002 - 6/30/2008",
        ),
    ),
    parser="etl.sources.sonoma.parser",
    has_salary_table=True,
    color="#1f5fa8",
    cpi_reopeners=(
        CpiReopenerSpec(
            section="8.19",
            quote="annual average of the prior twelve months (six bi-monthly periods) ending "
            "the month of April 2005, April 2006 and April 2007 rises to 4.5% or above",
            years=(2005, 2006, 2007),
            threshold=4.5,
            end_month=4,
            published_values=6,
            index_notes=(
                "CPI-U (all urban consumers) stands in for the CPI-W (urban wage earners and "
                "clerical workers) the text names; the package ships CPI-U only",
                "BLS series CUURS49BSA0 continues the San Francisco area index the text calls "
                "San Francisco-Oakland-San Jose (the 2018 geographic revision renamed the area "
                "San Francisco-Oakland-Hayward)",
            ),
        ),
    ),
    step_rule=StepRuleSpec(
        steps=tuple("ABCDEFGHI"),
        step_pct=2.5,
        hire_step="A",
        first_advance_hours=1040,
        advance_hours=2080,
        steps_per_advance=2,
        automatic=False,
        condition="written approval in a performance evaluation rated satisfactory or better",
        quotes=(
            Quote(
                "3.2",
                "The salary range shall consist of nine salary steps, each approximately 2-1/2% "
                'apart and identified with the letters "A" through "I".',
            ),
            Quote("8.16.1", "Merit increases within a range shall not be automatic."),
            Quote(
                "8.16.1",
                "computing the new salary step rate which is most closely equivalent to five "
                "percent (5%) higher than the previous base hourly rate.",
            ),
            Quote(
                "8.16.2",
                "Each employee shall be considered for an initial merit increase when the "
                "employee's total inservice hours within the current class equals 1,040 hours. "
                "Each such employee shall be considered for subsequent merit increases when the "
                "employee's total inservice hours at each step to which advanced equals 2,080 "
                "hours.",
            ),
        ),
        notes=(
            "Steps are about 2.5% apart (Art. 3.2), so a merit of about 5% moves two steps "
            "(A to C, C to E, ...); from H the next merit stops at I, the top of the range.",
            "8.17 dates a merit from the start of the pay period in or after which the employee "
            "becomes eligible; monthly rows ignore that shift of up to 14 days.",
        ),
    ),
)

MENDOCINO = Entry(
    agreement_id="mendocino-seiu1021-2015-2017",
    agency="Mendocino",
    union="SEIU Local 1021",
    title=(
        "Memorandum of Understanding between the County of Mendocino and Related Agencies and "
        "SEIU Local 1021, 2015-2017"
    ),
    documents=(
        Document(
            "mendocino_seiu1021_mou_2015_2017.txt",
            "County of Mendocino - SEIU Local 1021 MOU, 7/1/2015 - 6/30/2017",
        ),
    ),
    parser="etl.sources.mendocino.parser",
    has_salary_table=True,
    color="#2e8b57",
    step_rule=StepRuleSpec(
        steps=("1", "2", "3", "4", "5"),
        step_pct=5.0,
        hire_step="1",
        first_advance_hours=PAY_PERIODS_PER_YEAR * HOURS_PER_PAY_PERIOD,
        advance_hours=PAY_PERIODS_PER_YEAR * HOURS_PER_PAY_PERIOD,
        steps_per_advance=1,
        automatic=False,
        condition="an overall rating equivalent to satisfactory, or above",
        quotes=(
            Quote(
                "7.5",
                "Each step represents a five percent (5%) increase in salary above the previous "
                "step.",
            ),
            Quote("7.5", "Step 1 shall be paid upon initial employment"),
            Quote(
                "7.5",
                "Step 2 shall be authorized upon receiving an overall rating equivalent to "
                "satisfactory, or above, after completion of twenty-six (26) pay periods of "
                "employment at Step 1.",
            ),
            Quote(
                "7.5",
                "Step 5 shall be authorized upon receiving an overall rating equivalent to "
                "satisfactory, or above, after completion of twenty six (26) pay periods of "
                "employment at Step 4.",
            ),
        ),
        notes=(
            "26 biweekly pay periods are 52 weeks (364 days); the monthly timeline counts them "
            "as 12 months.",
            "7.6/7.7 allow hiring at a higher step for extraordinary qualifications "
            "(pass start_step).",
        ),
    ),
)

CONTRA_COSTA = Entry(
    agreement_id="contra-costa-afscme2700-1993-1995",
    agency="Contra Costa",
    union="AFSCME Local 2700",
    title=(
        "Contra Costa County – AFSCME Local 2700 Letter of Understanding (June 24, 1994), "
        "adopted by Board Resolution No. 94/412"
    ),
    documents=(
        Document(
            "contra_costa_afscme2700_lou_1993_1995.txt",
            "Contra Costa County - AFSCME Local 2700 Letter of Understanding, "
            "10/1/1993 - 9/30/1995",
        ),
    ),
    parser="etl.sources.contra_costa.parser",
    has_salary_table=False,
    no_table_reason=(
        "its agreement (a letter of understanding) has no salary table and no step rules: its "
        "wages move in salary levels (see wage increases), so there is no step pay to compare"
    ),
    color="#b5651d",
)

SONOMA_TELEWORK = Entry(
    agreement_id="sonoma-telework",
    agency="Sonoma",
    union="Sonoma County employee unions (coalition)",
    title="Sonoma County telework agreement and temporary telework guidelines",
    documents=(
        Document(
            "sonoma_telework_agreement_announcement.txt",
            "Sonoma County: union announcement of the permanent telework agreement",
        ),
        Document(
            "sonoma_temporary_telework_guidelines.txt",
            "Sonoma County: Temporary Telework Guidelines",
        ),
    ),
    parser="etl.sources.sonoma.telework",
    has_salary_table=False,
    no_table_reason="a telework agreement: provisions only, no pay",
    color=SONOMA.color,
)

PUBLISHED: tuple[Entry, ...] = (SONOMA, MENDOCINO, CONTRA_COSTA, SONOMA_TELEWORK)

# Colours for agencies without one of their own (imported agreements, survey agencies),
# assigned in order of name so a chart keeps them from run to run.
PALETTE = ("#8e44ad", "#c0392b", "#16a085", "#d35400", "#2c3e50", "#7f8c8d", "#27ae60", "#e84393")


def published(agreement_id: str) -> Entry:
    """The published entry with this id (KeyError naming the known ids otherwise)."""
    for e in PUBLISHED:
        if e.agreement_id == agreement_id:
            return e
    raise KeyError(
        f"no published agreement {agreement_id!r}; known: {[e.agreement_id for e in PUBLISHED]}"
    )


def documents() -> list[tuple[Entry, Document]]:
    """Every published document with its agreement, in registry order."""
    return [(e, d) for e in PUBLISHED for d in e.documents]
