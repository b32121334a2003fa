//! Replay of events held as columns (a table in memory, such as the Arrow
//! table the Python package is given), its rows handed over as values
//! instead of text: no CSV is written, read or parsed on the way.
//!
//! The events go through the very code [`super::run`] uses after reading a
//! record: [`read_fields`] (which fields a record reads, and which ticket an
//! unreadable one spoils), `Replay::record` (grouping into tickets, each
//! event read against the ticket's plan) and `Replay::finish_ticket` (the
//! lifecycle replay, the error rows). Only the reading of text and the
//! writing of rows differ, so that a table's answers are those `run` gives
//! for the same table written as CSV, bit for bit.

use super::read::{At, Columns, Field, read_fields, trim};
use super::ticket::Ticket;
use super::write::{Out, TargetText};
use super::{Replay, ReplayOptions, Summary, empty_input};
use crate::error::{Error, Result};
use crate::loader::PlanSet;
use crate::plan::Plan;
use crate::sla::lifecycle::CycleRow;
use crate::text::escape_controls;

/// When an event happened, as a table holds it.
#[derive(Debug, Clone, Copy)]
pub enum EventTime<'a> {
    /// Text, read as a CSV cell is (RFC 3339, a local time in the plan's
    /// zone, `--time-format`); empty for a null.
    Text(&'a [u8]),
    /// An instant, in Unix seconds: read as its RFC 3339 text in UTC would
    /// be (an instant outside the years slacalc reads is that text's error).
    Secs(i64),
}

/// One event: the cells of one row of a table, in the columns
/// [`event_columns`] found (a column that is not there, or a null, is
/// empty). Cells are bytes: one that is not UTF-8 is its record's error, as
/// in a CSV file.
#[derive(Debug, Clone, Copy)]
pub struct EventRow<'a> {
    /// The line messages name: for a table, the line of its CSV export
    /// (the header is line 1, the first row line 2).
    pub line: u64,
    /// The ticket id.
    pub id: &'a [u8],
    /// When the event happened.
    pub at: EventTime<'a>,
    /// The event kind.
    pub event: &'a [u8],
    /// The reply author, status or priority name.
    pub value: &'a [u8],
    /// The plan (read on a created event).
    pub plan: &'a [u8],
    /// The priority (read on a created event).
    pub priority: &'a [u8],
    /// The row has a cell that is not blank in a column replay does not
    /// read: a row is skipped, as a blank CSV line is, only when every cell
    /// of it is blank.
    pub more: bool,
}

/// One (ticket, metric, cycle) row: replay's output columns
/// ([`super::COLUMNS`]) as values, text as replay's CSV output holds it
/// (control characters escaped, SPEC §8), empty for none.
#[derive(Debug, Clone, Copy)]
pub struct Cycle<'a> {
    /// The ticket id.
    pub id: &'a str,
    /// The plan's id.
    pub plan: &'a str,
    /// The priority in force at the end (empty: none).
    pub priority: &'a str,
    /// `first_response`, `next_response` or `resolution`.
    pub metric: &'static str,
    /// 1 for first response and resolution; 1, 2, … for next responses.
    pub cycle: u32,
    /// When the cycle started (Unix seconds).
    pub start: i64,
    /// When it stopped, if it did by now.
    pub stop: Option<i64>,
    /// The target, as printed (`4h`, `2bd`, `best-effort`).
    pub target: &'a str,
    /// Working seconds of the target; `None` without commitment.
    pub target_seconds: Option<i64>,
    /// The clock of the priority the cycle is evaluated on.
    pub clock: &'static str,
    /// The deadline; `None` without commitment, or paused before the target.
    pub deadline: Option<i64>,
    /// Working seconds counted.
    pub elapsed: i64,
    /// Working seconds pauses took off.
    pub paused: i64,
    /// Target minus elapsed; `None` without commitment.
    pub remaining: Option<i64>,
    /// The state (`met`, `breached`, …).
    pub state: &'static str,
}

/// The one row of a ticket that could not be replayed (or, with an empty
/// id, of unreadable records whose ticket cannot be told), text as replay's
/// CSV output holds it; every other column is empty.
#[derive(Debug, Clone, Copy)]
pub struct Failed<'a> {
    /// The ticket id.
    pub id: &'a str,
    /// The plan's id, or as typed when it is not known.
    pub plan: &'a str,
    /// The priority as typed (empty: none).
    pub priority: &'a str,
    /// Why, naming the line.
    pub error: &'a str,
}

/// Where [`run_rows`] puts its rows, in order: tickets in input order, a
/// ticket's rows in [`super::COLUMNS`]' metric order.
pub trait Output {
    /// One answered cycle.
    fn cycle(&mut self, row: &Cycle<'_>);
    /// One ticket that could not be replayed.
    fn failed(&mut self, row: &Failed<'_>);
}

/// Where replay's input columns are among `header` (a table's column
/// names), found as in a CSV header row: names in any case, spaces and a
/// byte-order mark around them ignored, `opts.mapping`'s names used.
///
/// # Errors
/// No columns at all, or no `id`, `at` or `event` column (the message names
/// the columns there are), as `run` says of such a header.
pub fn event_columns(header: &[&str], opts: &ReplayOptions) -> Result<Columns> {
    if header.is_empty() {
        return Err(empty_input());
    }
    Columns::read(&csv::StringRecord::from(header.to_vec()), &opts.mapping)
}

/// Runs a replay of `rows` (the rows of a table, in order), its rows into
/// `out`: what [`super::run`] answers for the same table as CSV, without
/// the text in between. `opts`' formats and `display` are not read (no text
/// is read or written).
///
/// # Errors
/// An unknown `--plan`, or (with `strict`) the first ticket that cannot be
/// replayed, naming its line.
///
/// # Example
///
/// ```
/// use slacalc::{PlanSet, Timestamp, replay};
/// use slacalc::replay::{Cycle, EventRow, EventTime, Failed, Output};
///
/// #[derive(Default)]
/// struct States(Vec<String>);
/// impl Output for States {
///     fn cycle(&mut self, row: &Cycle<'_>) {
///         self.0.push(format!("{} {} {}", row.id, row.metric, row.state));
///     }
///     fn failed(&mut self, row: &Failed<'_>) {
///         self.0.push(format!("{}: {}", row.id, row.error));
///     }
/// }
///
/// let plans = PlanSet::load(&[])?;
/// let created = EventRow {
///     line: 2,
///     id: b"T1",
///     at: EventTime::Secs(1_795_165_200), // 2026-11-20T09:00:00Z
///     event: b"created",
///     value: b"",
///     plan: b"apizee-gold",
///     priority: b"p1",
///     more: false,
/// };
/// let reply = EventRow { line: 3, at: EventTime::Secs(1_795_168_800), event: b"reply", value: b"agent", ..created };
/// let now = Timestamp::from_secs(1_795_179_600); // 2026-11-20T13:00:00Z
/// let mut out = States::default();
/// let summary = replay::run_rows(&plans, [created, reply], &mut out, &replay::ReplayOptions::new(now))?;
/// assert_eq!((summary.events, summary.rows), (2, 1));
/// assert_eq!(out.0, ["T1 first_response met"]);
/// # Ok::<(), slacalc::Error>(())
/// ```
pub fn run_rows<'a>(
    plans: &PlanSet,
    rows: impl IntoIterator<Item = EventRow<'a>>,
    out: &mut impl Output,
    opts: &ReplayOptions,
) -> Result<Summary> {
    let mut state = Replay::new(plans, opts, Rows { out, targets: TargetText::default() })?;
    for row in rows {
        let blank = |b: &[u8]| b.iter().all(u8::is_ascii_whitespace);
        let at_blank = match row.at {
            EventTime::Text(b) => blank(b),
            EventTime::Secs(_) => false,
        };
        if !row.more && at_blank && [row.id, row.event, row.value, row.plan, row.priority].into_iter().all(blank) {
            continue;
        }
        let cell = |b: &'a [u8], name: &str| -> Result<&'a str> {
            std::str::from_utf8(b).map(trim).map_err(|_| Error::NotUtf8 { what: format!("column {name}").into() })
        };
        let (rec, read) = read_fields(
            row.line,
            cell(row.id, "id"),
            |f| match f {
                Field::At => match row.at {
                    EventTime::Text(b) => cell(b, "at"),
                    EventTime::Secs(_) => Ok(""),
                },
                Field::Event => cell(row.event, "event"),
                Field::Value => cell(row.value, "value"),
                Field::Plan => cell(row.plan, "plan"),
                Field::Priority => cell(row.priority, "priority"),
            },
            |get| match row.at {
                EventTime::Text(_) => get(Field::At).map(At::Text),
                EventTime::Secs(t) => Ok(At::Secs(t)),
            },
            &opts.mapping,
        );
        state.record(&rec, read)?;
    }
    state.finish()
}

/// [`Out`] into a caller's [`Output`]: the rows as values, text escaped as
/// replay's CSV output escapes it.
struct Rows<'o, O: Output> {
    out: &'o mut O,
    targets: TargetText,
}

impl<O: Output> Out for Rows<'_, O> {
    fn error_row(&mut self, t: &Ticket<'_>, e: &str) {
        let plan = t.plan.map_or(t.plan_typed.as_str(), |p| p.id.as_str());
        self.out.failed(&Failed {
            id: &escape_controls(&t.id),
            plan: &escape_controls(plan),
            priority: &escape_controls(&t.priority_typed),
            error: &escape_controls(e),
        });
    }

    fn cycle_row(&mut self, t: &Ticket<'_>, plan: &Plan, priority: &str, r: &CycleRow) {
        let target = self.targets.text(r.target);
        self.out.cycle(&Cycle {
            id: &escape_controls(&t.id),
            plan: &plan.id,
            priority: &escape_controls(priority),
            metric: r.metric.as_str(),
            cycle: r.cycle,
            start: r.start,
            stop: r.stop,
            // A target's text is ASCII (a duration, `Nbd`, a word).
            target: std::str::from_utf8(target).unwrap_or_default(),
            target_seconds: r.target_seconds,
            clock: r.clock.as_str(),
            deadline: r.deadline,
            elapsed: r.elapsed,
            paused: r.paused,
            remaining: r.remaining,
            state: r.state.as_str(),
        });
    }

    fn commit(&mut self, _last: bool) -> Result<()> {
        Ok(())
    }
}

