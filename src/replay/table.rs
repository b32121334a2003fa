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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instant::{Display, format_instant};
    use crate::{PlanSet, Timestamp};

    /// Rows as replay's CSV output holds them (instants in UTC).
    #[derive(Default)]
    struct Texts(Vec<Vec<String>>);

    impl Output for Texts {
        fn cycle(&mut self, r: &Cycle<'_>) {
            let t = |v: Option<i64>| v.map(|t| format_instant(t, Display::Utc)).unwrap_or_default();
            let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
            self.0.push(vec![
                r.id.into(),
                r.plan.into(),
                r.priority.into(),
                r.metric.into(),
                r.cycle.to_string(),
                t(Some(r.start)),
                t(r.stop),
                r.target.into(),
                n(r.target_seconds),
                r.clock.into(),
                t(r.deadline),
                r.elapsed.to_string(),
                r.paused.to_string(),
                n(r.remaining),
                r.state.into(),
                String::new(),
            ]);
        }
        fn failed(&mut self, r: &Failed<'_>) {
            let mut row = vec![String::new(); 16];
            row[0] = r.id.into();
            row[1] = r.plan.into();
            row[2] = r.priority.into();
            row[15] = r.error.into();
            self.0.push(row);
        }
    }

    fn vendor() -> PlanSet {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/lifecycle-vendor.toml");
        PlanSet::load(&[path]).expect("the example plans load")
    }

    /// `run` on `csv` (a header `id,at,event,value,plan,priority` first),
    /// and `run_rows` on its records, `at` as text or (`secs`) as the
    /// instant an RFC 3339 UTC time names: the same rows and summary.
    fn same_as_run(plans: &PlanSet, csv: &[u8], now: i64, secs: bool) -> Summary {
        let mut opts = ReplayOptions::new(Timestamp::from_secs(now));
        opts.display = Some(Display::Utc);
        let mut text = Vec::new();
        let want_summary = super::super::run(plans, csv, &mut text, &opts, |_| {}).expect("run");
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_slice());
        let want: Vec<Vec<String>> =
            rdr.records().skip(1).map(|r| r.expect("CSV out").iter().map(String::from).collect()).collect();

        let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv);
        let records: Vec<csv::ByteRecord> = rdr.byte_records().map(|r| r.expect("CSV in")).collect();
        let header: Vec<String> = records[0].iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let c = event_columns(&header, &opts).expect("columns");
        let rows = records[1..].iter().map(|r| {
            let f = |i: Option<usize>| i.and_then(|i| r.get(i)).unwrap_or_default();
            let at = f(Some(c.at));
            let at =
                match std::str::from_utf8(at).ok().filter(|_| secs).and_then(|s| {
                    crate::instant::parse_instant(s, chrono_tz::UTC, now).ok().filter(|_| s.ends_with('Z'))
                }) {
                    Some(t) => EventTime::Secs(t),
                    None => EventTime::Text(at),
                };
            let used = [Some(c.id), Some(c.at), Some(c.event), c.value, c.plan, c.priority];
            let more = (0..r.len()).any(|i| !used.contains(&Some(i)) && !r[i].iter().all(u8::is_ascii_whitespace));
            let line = r.position().map_or(0, csv::Position::line);
            EventRow {
                line,
                id: f(Some(c.id)),
                at,
                event: f(Some(c.event)),
                value: f(c.value),
                plan: f(c.plan),
                priority: f(c.priority),
                more,
            }
        });
        let mut got = Texts::default();
        let summary = run_rows(plans, rows, &mut got, &opts).expect("run_rows");
        assert_eq!(got.0, want);
        assert!(!want.is_empty());
        assert_eq!(summary, want_summary);
        summary
    }

    const NOW: i64 = 1_795_824_000; // 2026-11-28T00:00:00Z

    #[test]
    fn the_example_events_answer_as_run() {
        let csv = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/ticket-events.csv"))
            .expect("example events");
        let s = same_as_run(&vendor(), csv.as_bytes(), NOW, false);
        assert!(s.rows > 10 && s.breached + s.missed + s.paused > 0, "{s:?}");
    }

    /// Every kind of bad event, as text and as instants.
    #[test]
    fn bad_events_answer_as_run() {
        let csv = "id,at,event,value,plan,priority,note\n\
            A,2026-11-16T09:00:00Z,created,,nimbus-pro,normal,\n\
            A,2026-11-16T10:00:00Z,priority,urgent,,,\n\
            A,2026-11-16T11:00:00Z,status,awaiting-customer,,,\n\
            A,2026-11-17T11:00:00Z,reply,customer,,,\n\
            A,2026-11-17T12:00:00Z,reply,agent,,,\n\
            ,,,,,,\n\
            B,2026-11-16T09:00:00Z,created,,nimbus-pro,bogus,\n\
            C,2026-11-16T09:00:00Z,reply,agent,,,\n\
            D,2026-11-16T09:00:00Z,created,,nope,,\n\
            E,2026-11-16T09:00:00Z,created,,nimbus-pro,normal,\n\
            E,2026-11-16T08:00:00Z,reply,agent,,,\n\
            F,2026-11-16 09:00,created,,nimbus-pro,high,\n\
            F,not a time,reply,agent,,,\n\
            G,2026-11-16T09:00:00Z,created,,nimbus-pro,high,\n\
            G,2026-11-16T10:00:00Z,dance,,,,\n\
            A,2026-11-18T09:00:00Z,reply,agent,,,\n\
            H,2026-12-16T09:00:00Z,created,,nimbus-pro,high,\n\
            I,2026-11-16T09:00:00Z,created,,nimbus-pro,low,\n\
            I,2026-11-16T09:30:00Z,status,closed,,,\n\
            I,2026-11-16T09:40:00Z,reply,customer,,,\n\
            J,2026-11-16T09:00:00Z,created,,nimbus-pro,normal,\n\
            J,2026-11-16T09:10:00Z,status,limbo,,,\n\
            K,1400-01-01T00:00:00Z,created,,nimbus-pro,normal,\n\
            ,,,,,,x\n\
            L,2026-11-16T09:00:00Z,created,,,,\n\
            M,2026-11-16T09:00:00Z,reply,shouter,,,\n";
        for secs in [false, true] {
            let s = same_as_run(&vendor(), csv.as_bytes(), NOW, secs);
            assert_eq!((s.events, s.errors), (25, 13), "{s:?}");
        }
    }

    /// Fields that are not UTF-8 spoil their record, as in a CSV file.
    #[test]
    fn cells_that_are_not_utf8_answer_as_run() {
        let mut csv = b"id,at,event,value,plan,priority\nA,2026-11-16T09:00:00Z,created,,nimbus-pro,normal\n".to_vec();
        csv.extend_from_slice(b"A,2026-11-16T10:00:00Z,reply,ag\xffent,,\n");
        csv.extend_from_slice(b"B\xff,2026-11-16T10:00:00Z,created,,nimbus-pro,normal\n");
        csv.extend_from_slice(b"C,2026-11-16T10:00:00Z,created,,nimbus-pro,normal\n");
        let s = same_as_run(&vendor(), &csv, NOW, false);
        assert_eq!((s.tickets, s.errors), (2, 2), "{s:?}");
    }

    /// An instant in seconds reads as its RFC 3339 text in UTC, inside and
    /// outside the years slacalc reads.
    #[test]
    fn seconds_read_as_their_text() {
        let z = chrono_tz::Europe::Paris;
        for t in
            [-12_212_553_601, -12_212_553_600, 0, NOW, 253_402_300_799, 253_402_300_800, i64::MIN / 2, i64::MAX / 2]
        {
            let text = format_instant(t, Display::Utc);
            let fmt = crate::instant::TimeFormat::Auto;
            let amb = crate::instant::Ambiguous::Reject;
            let (a, b) = (At::Secs(t).instant(z, NOW, &fmt, amb), At::Text(&text).instant(z, NOW, &fmt, amb));
            assert_eq!(a.map_err(|e| e.to_string()), b.map_err(|e| e.to_string()), "{t}");
        }
    }
}
