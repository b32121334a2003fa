//! `replay`: ticket event histories (CSV or JSON Lines) through the
//! lifecycle clocks of `crate::sla::lifecycle`, streamed ticket by ticket.
//!
//! Only the current ticket's events are held (at most [`MAX_EVENTS`]); a
//! ticket is answered and written when the next one starts. Memory grows by
//! one 16-byte fingerprint per ticket id seen, to catch an id that comes back
//! after other tickets (SPEC §5), and by nothing else.
//!
//! `read` reads events (CSV or JSON Lines) into records, `ticket` groups
//! them into tickets and replays each, [`write`] writes the rows.

mod read;
mod table;
mod ticket;
mod write;

use std::io::{BufReader, Read, Write};

use chrono_tz::Tz;
use rustc_hash::FxHashMap;

use crate::engine::day::Timestamp;
use crate::error::{Error, Result};
use crate::instant::Display;
use crate::io::plain::{Next, Source};
use crate::io::{JsonLines, RowFormat};
use crate::loader::PlanSet;
use crate::mapping::Mapping;
use crate::sla::lifecycle::Scratch;
use read::{Columns, JsonRec, Pending, Unreadable, json_fields, too_long_message};
use ticket::{Lookups, Ticket};
use write::{Out, Sink};

pub use read::Columns as EventColumns;
pub use table::{Cycle, EventRow, EventTime, Failed, Output, event_columns, run_rows};

/// Most events one ticket may have; more is that ticket's error.
pub const MAX_EVENTS: usize = 100_000;

/// The output columns, in order.
pub const COLUMNS: [&str; 16] = [
    "id",
    "plan",
    "priority",
    "metric",
    "cycle",
    "start",
    "stop",
    "target",
    "target_seconds",
    "clock",
    "deadline",
    "elapsed_seconds",
    "paused_seconds",
    "remaining_seconds",
    "state",
    "error",
];

/// How a replay run behaves.
#[derive(Debug, Clone)]
pub struct ReplayOptions {
    /// "Now": events after it are ignored.
    pub now: Timestamp,
    /// Zone for local input times (default: each ticket's plan zone).
    pub input_zone: Option<Tz>,
    /// How to print instants (default: each ticket's plan zone).
    pub display: Option<Display>,
    /// Output format.
    pub format: RowFormat,
    /// Input format; `None`: told by the first non-blank byte (`{`: JSON Lines).
    pub input_format: Option<RowFormat>,
    /// Stop at the first ticket that cannot be replayed.
    pub strict: bool,
    /// Plan of tickets whose `created` event names none.
    pub plan: Option<String>,
    /// Priority of tickets whose `created` event names none.
    pub priority: Option<String>,
    /// The export's column names, value maps, time format and delimiter.
    pub mapping: Mapping,
}

impl ReplayOptions {
    /// A replay as of `now` with every default: CSV out, the input format
    /// told by its first byte, times read and printed in each ticket's plan
    /// zone, slacalc's own column names, a bad ticket reported in its row.
    #[must_use]
    pub fn new(now: Timestamp) -> ReplayOptions {
        ReplayOptions {
            now,
            input_zone: None,
            display: None,
            format: RowFormat::Csv,
            input_format: None,
            strict: false,
            plan: None,
            priority: None,
            mapping: Mapping::new(),
        }
    }
}

/// The columns a replay export may map to its own (`--columns`).
pub const FIELDS: [&str; 6] = ["id", "at", "event", "value", "plan", "priority"];

/// The fields whose values a profile may map: plan and priority names, event
/// kinds, reply authors and status names (to a class or a plan's status).
pub const VALUED: [&str; 5] = ["plan", "priority", "event", "author", "status"];

/// Counts reported at the end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Events read (input records).
    pub events: u64,
    /// Tickets seen.
    pub tickets: u64,
    /// Rows written.
    pub rows: u64,
    /// Rows `breached`.
    pub breached: u64,
    /// Rows `at-risk`.
    pub at_risk: u64,
    /// Rows `missed`.
    pub missed: u64,
    /// Rows `paused`.
    pub paused: u64,
    /// Tickets that could not be replayed (one error row each).
    pub errors: u64,
    /// Events at or before now that `[values.event]` maps to `"ignore"`.
    pub ignored: u64,
}

/// Runs a replay: reads events from `input`, writes rows to `out`, calls
/// `progress` with the event count every 65,536 events.
///
/// # Errors
/// A missing header column, an unreadable input, a record over
/// `MAX_RECORD_BYTES`, a quote never closed, a write error, an unknown
/// `--plan`, or (with `strict`) the first ticket that cannot be replayed,
/// naming its line.
///
/// # Example
///
/// ```
/// use slacalc::{PlanSet, Timestamp, replay};
///
/// let plans = PlanSet::load(&[])?;
/// let events = "id,at,event,value,plan,priority\n\
///               T1,2026-11-16T09:00:00Z,created,,apizee-gold,major\n\
///               T1,2026-11-16T10:00:00Z,reply,agent\n";
/// let now = Timestamp::from_secs(1_795_179_600); // 2026-11-20T13:00:00Z
/// let mut rows = Vec::new();
/// let summary = replay::run(&plans, events.as_bytes(), &mut rows, &replay::ReplayOptions::new(now), |_| {})?;
/// assert_eq!((summary.tickets, summary.rows, summary.errors), (1, 1, 0));
/// let rows = String::from_utf8(rows).expect("CSV is UTF-8");
/// assert!(rows.lines().nth(1).is_some_and(|r| r.ends_with(",3600,0,10800,met,")));
/// # Ok::<(), slacalc::Error>(())
/// ```
pub fn run(
    plans: &PlanSet,
    input: impl Read,
    out: impl Write,
    opts: &ReplayOptions,
    mut progress: impl FnMut(u64),
) -> Result<Summary> {
    let mut state = Replay::new(plans, opts, Sink::new(out, opts.format == RowFormat::JsonLines, opts.display))?;
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let format = RowFormat::detect(opts.input_format, &mut reader)?;
    if !state.sink.json {
        state.sink.header();
    }
    match format {
        RowFormat::Csv => {
            let delimiter = opts.mapping.delimiter;
            // Plain lines are read by `io::plain::Lines`; the first line it
            // cannot vouch for hands the rest to the guarded reader
            // (bounded records, unclosed quotes refused, one line count:
            // crate::io::input).
            let (header, mut csv) = Source::open(reader, delimiter)?;
            if header.is_empty() {
                return Err(empty_input());
            }
            let cols = Columns::read(&header, &opts.mapping)?;
            let mut record = csv::ByteRecord::new();
            loop {
                let (rec, read) = match &mut csv {
                    Source::Fast(lines) => match lines.next() {
                        Next::Record(line) => {
                            if lines.fields().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                                continue;
                            }
                            cols.fill(lines, line, None, &opts.mapping)
                        }
                        Next::End => break,
                        Next::Other => {
                            csv.guard(delimiter)?;
                            continue;
                        }
                    },
                    Source::Guarded(c) => match c.read_bytes(&mut record)? {
                        Some(row) => {
                            if row.problem.is_none() && record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                                continue;
                            }
                            cols.fill(&record, row.line, row.problem, &opts.mapping)
                        }
                        None => break,
                    },
                    Source::Done => break,
                };
                state.record(&rec, read)?;
                if state.summary.events.is_multiple_of(65_536) {
                    progress(state.summary.events);
                }
            }
        }
        RowFormat::JsonLines => {
            let mut lines = JsonLines::new(reader, "replay input");
            let mut fields = JsonRec::default();
            while let Some(l) = lines.read()? {
                if !l.too_long && lines.bytes().iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let read = if l.too_long {
                    Err(Unreadable::anonymous(too_long_message()))
                } else {
                    json_fields(lines.bytes(), &mut fields, &opts.mapping)
                };
                state.record(&fields.rec(l.line), read)?;
                if state.summary.events.is_multiple_of(65_536) {
                    progress(state.summary.events);
                }
            }
        }
    }
    state.finish()
}

/// The message for an input without a header row (or a table without columns).
fn empty_input() -> Error {
    Error::Input("replay input is empty (expected a header id,at,event,value[,plan,priority])".into())
}

/// A replay under way, whatever its input: records go in one at a time
/// ([`Replay::record`]), rows come out into `sink` ticket by ticket.
struct Replay<'p, 'o, S: Out> {
    plans: &'p PlanSet,
    opts: &'o ReplayOptions,
    sink: S,
    /// Fingerprint of each finished ticket id → the last line of its events.
    seen: FxHashMap<u64, u64>,
    ticket: Ticket<'p>,
    /// Unreadable records whose ticket is not known yet.
    pending: Option<Pending>,
    summary: Summary,
    lookups: Lookups<'p>,
    /// The lifecycle replay's buffers, kept from ticket to ticket.
    scratch: Scratch,
}

impl<'p, 'o, S: Out> Replay<'p, 'o, S> {
    /// A replay into `sink`.
    ///
    /// # Errors
    /// An unknown `--plan` (checked before any input is read).
    fn new(plans: &'p PlanSet, opts: &'o ReplayOptions, sink: S) -> Result<Replay<'p, 'o, S>> {
        if let Some(p) = &opts.plan {
            plans.get(p)?;
        }
        Ok(Replay {
            plans,
            opts,
            sink,
            seen: FxHashMap::default(),
            ticket: Ticket::default(),
            pending: None,
            summary: Summary::default(),
            lookups: Lookups::default(),
            scratch: Scratch::default(),
        })
    }

    /// At the end of the input: the last ticket, then any unreadable
    /// records after it, all rows written.
    fn finish(mut self) -> Result<Summary> {
        self.flush_pending()?;
        self.finish_ticket()?;
        self.sink.commit(true)?;
        Ok(self.summary)
    }
}
