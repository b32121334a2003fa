//! `replay`: ticket event histories (CSV or JSON Lines) through the
//! lifecycle clocks of [`crate::sla::lifecycle`], streamed ticket by ticket.
//!
//! Only the current ticket's events are held (at most [`MAX_EVENTS`]); a
//! ticket is answered and written when the next one starts. Memory grows by
//! one 16-byte fingerprint per ticket id seen, to catch an id that comes back
//! after other tickets (SPEC §5), and by nothing else.

use std::hash::{Hash, Hasher};
use std::io::{BufReader, Read, Write};

use chrono_tz::Tz;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::io::{CsvInput, JsonLines, MAX_RECORD_BYTES, Problem, Records, RowFormat, column};
use crate::instant::{Display, TimeFormat, is_local, parse_instant_in, write_instant};
use crate::loader::PlanSet;
use crate::mapping::Mapping;
use crate::plan::Plan;
use crate::plan::lifecycle::StatusClass;
use crate::sla::State;
use crate::sla::lifecycle::{Author, CycleRow, Event, EventKind, TicketAnswer, replay};
use crate::text::{cut, escape_controls};

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
pub struct Options {
    /// "Now": events after it are ignored.
    pub now: i64,
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

/// One input record's fields, in reused buffers.
#[derive(Default)]
struct Rec {
    line: u64,
    id: String,
    at: String,
    event: String,
    value: String,
    plan: String,
    priority: String,
}

/// The ticket being read.
#[derive(Default)]
struct Ticket<'p> {
    id: String,
    first_line: u64,
    plan: Option<&'p Plan>,
    /// The plan as typed, for an error row before it is known.
    plan_typed: String,
    priority_typed: String,
    events: Vec<Event>,
    error: Option<String>,
    /// Line of the last record read.
    last_line: u64,
    /// Fingerprint of the id (see [`fingerprint`]).
    hash: u64,
    /// False when the id came back after other tickets.
    contiguous: bool,
}

/// A 64-bit hash of a ticket id: what is kept of each ticket once it is
/// done, so that an id coming back after other tickets is caught with a
/// fixed-size fingerprint per id, never the ids themselves. SipHash with
/// fixed keys: two distinct ids share a fingerprint with probability about
/// n²/2⁶⁵ (3·10⁻⁸ for a million tickets); such a pair would be reported as a
/// reappearance.
fn fingerprint(id: &str) -> u64 {
    #[allow(deprecated)] // SipHasher is the stable, keyed-by-zero SipHash-2-4.
    let mut h = std::hash::SipHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// Runs a replay: reads events from `input`, writes rows to `out`, calls
/// `progress` with the event count every 65,536 events.
///
/// # Errors
/// A missing header column, an unreadable input, a record over
/// [`MAX_RECORD_BYTES`], a quote never closed, a write error, an unknown
/// `--plan`, or (with `strict`) the first ticket that cannot be replayed,
/// naming its line.
pub fn run(
    plans: &PlanSet,
    input: impl Read,
    out: impl Write,
    opts: &Options,
    mut progress: impl FnMut(u64),
) -> Result<Summary> {
    if let Some(p) = &opts.plan {
        plans.get(p)?;
    }
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let format = RowFormat::detect(opts.input_format, &mut reader)?;
    let mut state = Replay {
        plans,
        opts,
        sink: Sink { out, records: Records::default(), json: opts.format == RowFormat::JsonLines },
        seen: FxHashMap::default(),
        ticket: Ticket::default(),
        pending: None,
        summary: Summary::default(),
        text: RowText::default(),
    };
    if !state.sink.json {
        state.sink.header();
    }
    let mut rec = Rec::default();
    match format {
        RowFormat::Csv => {
            // Bounded records, unclosed quotes refused, one line count (crate::input).
            let mut csv = CsvInput::events_with(reader, opts.mapping.delimiter);
            let header = csv.header()?;
            if header.is_empty() {
                return Err(Error::Input(
                    "replay input is empty (expected a header id,at,event,value[,plan,priority])".into(),
                ));
            }
            let cols = Columns::read(&header, &opts.mapping)?;
            let mut record = csv::ByteRecord::new();
            while let Some(row) = csv.read_bytes(&mut record)? {
                rec.line = row.line;
                if row.problem.is_none() && record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                let read = cols.fill(&record, row.problem, &mut rec, &opts.mapping);
                state.record(&rec, read)?;
                if state.summary.events % 65_536 == 0 {
                    progress(state.summary.events);
                }
            }
        }
        RowFormat::JsonLines => {
            let mut lines = JsonLines::new(reader, "replay input");
            while let Some(l) = lines.next()? {
                if !l.too_long && lines.bytes().iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                rec.line = l.line;
                let read = if l.too_long {
                    Err(Unreadable::anonymous(too_long_message()))
                } else {
                    json_fields(lines.bytes(), &mut rec, &opts.mapping)
                };
                state.record(&rec, read)?;
                if state.summary.events % 65_536 == 0 {
                    progress(state.summary.events);
                }
            }
        }
    }
    state.flush_pending()?;
    state.finish_ticket()?;
    state.sink.commit(true)?;
    Ok(state.summary)
}

/// A record that cannot be read as an event: over [`MAX_RECORD_BYTES`]
/// (cut while reading, SPEC §8), a field that is not UTF-8, a JSON line that
/// is not an object or has a field that is not a string.
///
/// Such a record is an error of its ticket, not of the run (SPEC §5: bad
/// events are error rows; exit 0 unless `--strict`). Its ticket is
///
/// - the id read from the record itself, when that field is whole and
///   readable (a long CSV record keeps its fields before the cut; a
///   non-UTF-8 CSV field spoils only itself; a JSON object with a bad field
///   still names its id);
/// - else the ticket around it, when the records before and after it are of
///   the same ticket (its events are contiguous, so it can be no other);
/// - else no ticket: at a boundary between two tickets (or at the end) it
///   may belong to either, so it gets a row of its own with an empty id and
///   the error naming its line, between the two tickets' rows.
///
/// Such a record is an error whatever its time: its time cannot be trusted
/// to be after `--now`.
#[derive(Debug)]
struct Unreadable {
    message: String,
    /// The record's id was read into [`Rec::id`].
    id_known: bool,
}

impl Unreadable {
    fn anonymous(message: String) -> Unreadable {
        Unreadable { message, id_known: false }
    }
}

fn too_long_message() -> String {
    format!("record is longer than {MAX_RECORD_BYTES} bytes (replay records are limited to 64 KiB)")
}

/// Unreadable records whose ticket is not known yet (see [`Unreadable`]):
/// the first one's line and message, and the last one's line.
struct Pending {
    line: u64,
    message: String,
    last_line: u64,
}

impl Pending {
    fn text(&self) -> String {
        if self.last_line == self.line {
            format!("line {}: {}", self.line, self.message)
        } else {
            format!(
                "line {}: {} (and every record up to line {}, unreadable too)",
                self.line, self.message, self.last_line
            )
        }
    }
}

/// Column positions in a CSV header.
struct Columns {
    id: usize,
    at: usize,
    event: usize,
    value: Option<usize>,
    plan: Option<usize>,
    priority: Option<usize>,
}

impl Columns {
    fn read(h: &csv::StringRecord, map: &Mapping) -> Result<Columns> {
        let column = |h: &csv::StringRecord, n: &str| column(h, map.column(n));
        let need = |n: &str| {
            column(h, n).ok_or_else(|| {
                let names: Vec<String> =
                    h.iter().map(|c| c.trim_start_matches('\u{feff}').trim().to_lowercase()).collect();
                let named = if map.is_mapped(n) {
                    format!(" (named \"{}\" by --columns or --profile)", cut(map.column(n), 80))
                } else {
                    String::new()
                };
                Error::Input(format!(
                    "replay input has no \"{}\" column{named} (expected a header id,at,event,value[,plan,priority]; got: {})",
                    cut(map.column(n), 80),
                    cut(&names.join(","), 200)
                ))
            })
        };
        Ok(Columns {
            id: need("id")?,
            at: need("at")?,
            event: need("event")?,
            value: column(h, "value"),
            plan: column(h, "plan"),
            priority: column(h, "priority"),
        })
    }

    /// The fields of record `r` into `rec`; a record cut while reading
    /// (`problem`) or with a field that is not UTF-8 is [`Unreadable`], its
    /// id kept when that field is whole. A created event (named so by the
    /// export, or through `map`'s `[values.event]`) also reads its plan and
    /// priority.
    fn fill(
        &self,
        r: &csv::ByteRecord,
        problem: Option<Problem>,
        rec: &mut Rec,
        map: &Mapping,
    ) -> std::result::Result<(), Unreadable> {
        let put = |i: Option<usize>, dst: &mut String, name: &str| -> std::result::Result<(), String> {
            dst.clear();
            let raw = i.and_then(|i| r.get(i)).unwrap_or(b"");
            let s = std::str::from_utf8(raw).map_err(|_| format!("column {name} is not valid UTF-8"))?;
            dst.push_str(s.trim());
            Ok(())
        };
        let id = put(Some(self.id), &mut rec.id, "id");
        if problem.is_some() {
            // Of a cut record, only the fields before the last one are whole.
            let id_known = self.id + 1 < r.len() && id.is_ok();
            return Err(Unreadable { message: too_long_message(), id_known });
        }
        let id_known = id.is_ok();
        let fail = |message: String| Unreadable { message, id_known };
        id.map_err(fail)?;
        put(Some(self.at), &mut rec.at, "at").map_err(fail)?;
        put(Some(self.event), &mut rec.event, "event").map_err(fail)?;
        put(self.value, &mut rec.value, "value").map_err(fail)?;
        // Only a created event reads its plan and priority: told after the
        // value map, as take() tells it (and as JSON Lines rows are read).
        if map.value("event", &rec.event).eq_ignore_ascii_case("created") {
            put(self.plan, &mut rec.plan, "plan").map_err(fail)?;
            put(self.priority, &mut rec.priority, "priority").map_err(fail)?;
        } else {
            rec.plan.clear();
            rec.priority.clear();
        }
        Ok(())
    }
}

/// The fields of one JSON Lines event.
fn json_fields(line: &[u8], rec: &mut Rec, map: &Mapping) -> std::result::Result<(), Unreadable> {
    rec.id.clear();
    let (obj, utf8) = match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(line) {
        Ok(obj) => (obj, true),
        // Not UTF-8: read it with the bad bytes replaced, only to find its id.
        Err(_) if std::str::from_utf8(line).is_err() => match serde_json::from_str(&String::from_utf8_lossy(line)) {
            Ok(obj) => (obj, false),
            Err(_) => return Err(Unreadable::anonymous("the line is not valid UTF-8".into())),
        },
        Err(e) => {
            return Err(Unreadable::anonymous(format!(
                "not a JSON object ({e}); expected e.g. {{\"id\":\"T1\",\"at\":\"…\",\"event\":\"created\"}}"
            )));
        }
    };
    let get = |k: &str, dst: &mut String| -> std::result::Result<(), String> {
        dst.clear();
        match obj.get(map.column(k)) {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::String(s)) => dst.push_str(s.trim()),
            Some(serde_json::Value::Number(x)) => dst.push_str(&x.to_string()),
            Some(other) => {
                return Err(format!("field \"{k}\" is {} (expected a string)", cut(&other.to_string(), 80)));
            }
        }
        Ok(())
    };
    let id = get("id", &mut rec.id);
    // An id with a replaced byte is not the ticket's id.
    let id_known = id.is_ok() && (utf8 || !rec.id.contains('\u{fffd}'));
    let fail = |message: String| Unreadable { message, id_known };
    id.map_err(fail)?;
    if !utf8 {
        return Err(fail("the line is not valid UTF-8".into()));
    }
    get("at", &mut rec.at).map_err(fail)?;
    get("event", &mut rec.event).map_err(fail)?;
    get("value", &mut rec.value).map_err(fail)?;
    get("plan", &mut rec.plan).map_err(fail)?;
    get("priority", &mut rec.priority).map_err(fail)?;
    Ok(())
}

/// Rows written whole, at ticket boundaries ([`Records`]): an interrupted
/// run never leaves half a row.
struct Sink<W: Write> {
    out: W,
    records: Records,
    json: bool,
}

impl<W: Write> Sink<W> {
    fn buf(&mut self) -> &mut Vec<u8> {
        self.records.buf()
    }

    fn header(&mut self) {
        let buf = self.buf();
        buf.extend_from_slice(COLUMNS.join(",").as_bytes());
        buf.push(b'\n');
    }

    fn commit(&mut self, last: bool) -> Result<()> {
        self.records.commit(&mut self.out, last)
    }

    /// A computed field (a number, an instant, a name slacalc spells): no
    /// quoting or escaping needed.
    fn raw(&mut self, s: &str) {
        self.buf().push(b',');
        self.buf().extend_from_slice(s.as_bytes());
    }

    /// One CSV field (quoted when it must be), control characters escaped.
    fn field(&mut self, s: &str, first: bool) {
        if !first {
            self.buf().push(b',');
        }
        if s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b',' && b != b'"') {
            self.buf().extend_from_slice(s.as_bytes());
            return;
        }
        let s = escape_controls(s);
        if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
            self.buf().push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    self.buf().push(b'"');
                }
                self.buf().push(b);
            }
            self.buf().push(b'"');
        } else {
            self.buf().extend_from_slice(s.as_bytes());
        }
    }
}

/// The text of one output row.
#[derive(Serialize, Default)]
struct JsonRow<'a> {
    id: &'a str,
    plan: &'a str,
    priority: Option<&'a str>,
    metric: Option<&'a str>,
    cycle: Option<u32>,
    start: Option<&'a str>,
    stop: Option<&'a str>,
    target: Option<&'a str>,
    target_seconds: Option<i64>,
    clock: Option<&'a str>,
    deadline: Option<&'a str>,
    elapsed_seconds: Option<i64>,
    paused_seconds: Option<i64>,
    remaining_seconds: Option<i64>,
    state: Option<&'a str>,
    error: Option<&'a str>,
}

/// Reused buffers for a row's instants.
#[derive(Default)]
struct RowText {
    num: String,
    start: String,
    stop: String,
    deadline: String,
    target: String,
}

struct Replay<'p, 'o, W: Write> {
    plans: &'p PlanSet,
    opts: &'o Options,
    sink: Sink<W>,
    /// Fingerprint of each finished ticket id → the last line of its events.
    seen: FxHashMap<u64, u64>,
    ticket: Ticket<'p>,
    /// Unreadable records whose ticket is not known yet.
    pending: Option<Pending>,
    summary: Summary,
    text: RowText,
}

impl<'p, W: Write> Replay<'p, '_, W> {
    /// Takes one input record: its fields in `rec`, or why it could not be
    /// read (see [`Unreadable`] for which ticket that is an error of).
    fn record(&mut self, rec: &Rec, read: std::result::Result<(), Unreadable>) -> Result<()> {
        self.summary.events += 1;
        let bad = match read {
            Ok(()) => None,
            Err(u) if u.id_known => Some(u.message),
            Err(u) => {
                // Its ticket is known once the next record is.
                match &mut self.pending {
                    Some(p) => p.last_line = rec.line,
                    None => self.pending = Some(Pending { line: rec.line, message: u.message, last_line: rec.line }),
                }
                return Ok(());
            }
        };
        let same = self.ticket.first_line != 0 && rec.id == self.ticket.id;
        if let Some(p) = self.pending.take() {
            if same {
                // Between two records of this ticket: it is this ticket's.
                if self.ticket.error.is_none() {
                    self.ticket.error = Some(p.text());
                }
            } else {
                self.finish_ticket()?;
                self.orphan_row(&p)?;
            }
        }
        if !same {
            self.finish_ticket()?;
            self.start_ticket(rec);
        }
        if self.ticket.error.is_none() {
            let taken = match bad {
                Some(e) => Err(e),
                None => self.take(rec),
            };
            if let Err(e) = taken {
                self.ticket.error = Some(format!("line {}: {e}", rec.line));
            }
        }
        self.ticket.last_line = rec.line;
        Ok(())
    }

    /// At the end of the input: the current ticket, then any unreadable
    /// records after it (their ticket cannot be known).
    fn flush_pending(&mut self) -> Result<()> {
        if let Some(p) = self.pending.take() {
            self.finish_ticket()?;
            self.orphan_row(&p)?;
        }
        Ok(())
    }

    /// The row of unreadable records whose ticket cannot be known: an empty
    /// id, the error naming the line.
    fn orphan_row(&mut self, p: &Pending) -> Result<()> {
        self.summary.errors += 1;
        let e = format!("{}; its ticket cannot be told (the records around it are not of one ticket)", p.text());
        if self.opts.strict {
            return Err(Error::Input(e));
        }
        let t = Ticket::default();
        self.error_row(&t, &e);
        self.sink.commit(false)
    }

    fn start_ticket(&mut self, rec: &Rec) {
        let t = &mut self.ticket;
        t.id.clear();
        t.id.push_str(&rec.id);
        t.first_line = rec.line;
        t.plan = None;
        t.plan_typed.clear();
        t.priority_typed.clear();
        t.events.clear();
        t.error = None;
        t.hash = fingerprint(&rec.id);
        t.contiguous = true;
        self.summary.tickets += 1;
        if rec.id.is_empty() {
            t.error = Some(format!("line {}: id is empty (expected the ticket's id)", rec.line));
        } else if let Some(last) = self.seen.get(&t.hash) {
            t.contiguous = false;
            t.error = Some(format!(
                "line {}: ticket id \"{}\" reappears after other tickets' events (its earlier events end at line {last}); a ticket's events must be contiguous: sort the export by ticket, then time",
                rec.line,
                cut(&rec.id, 80)
            ));
        }
    }

    /// Reads one record into the current ticket's events.
    fn take(&mut self, rec: &Rec) -> std::result::Result<(), String> {
        let (opts, plans) = (self.opts, self.plans);
        // The event kind, matched without allocating: it is read a million times.
        let map = &opts.mapping;
        // A name [values.event] does not map is the ticket's error (once the
        // event is known to be at or before now).
        let (event, not_in_map) = match map.map_value("event", map.column("event"), &rec.event) {
            Ok(e) => (e, None),
            Err(e) => ("", Some(e)),
        };
        let ignored = event.eq_ignore_ascii_case(crate::mapping::IGNORE);
        let kind = ["created", "reply", "status", "priority"]
            .into_iter()
            .find(|k| event.eq_ignore_ascii_case(k))
            .unwrap_or("");
        let unknown_event = || {
            if let Some(e) = &not_in_map {
                return e.clone();
            }
            let known = "expected created, reply, status or priority";
            match map.mapped("event", &rec.event) {
                Some(to) => format!(
                    "unknown event \"{}\" (mapped from \"{}\" by [values.event]; {known})",
                    cut(to, 80),
                    cut(&rec.event, 80)
                ),
                None => format!(
                    "unknown event \"{}\" ({known}; map yours with [values.event] in a --profile)",
                    cut(&rec.event, 80)
                ),
            }
        };
        let t = &mut self.ticket;
        let mut plan_err = None;
        if kind == "created" && t.plan.is_none() {
            let typed = if rec.plan.is_empty() {
                Ok(opts.plan.as_deref().unwrap_or(""))
            } else {
                // Mapped to nothing ("*" = ""): as an empty cell.
                map.map_value("plan", map.column("plan"), &rec.plan)
                    .map(|p| if p.is_empty() { opts.plan.as_deref().unwrap_or("") } else { p })
            };
            t.plan_typed.clear();
            t.plan_typed.push_str(typed.as_ref().map_or(rec.plan.as_str(), |p| p));
            match typed {
                Err(e) => plan_err = Some(e),
                Ok("") => {
                    plan_err = Some("created event has no plan (expected a plan column, or --plan)".to_string());
                }
                Ok(typed) => match plans.get(typed) {
                    Ok(p) => t.plan = Some(p),
                    Err(e) if !rec.plan.is_empty() && !map.maps_values("plan") => {
                        plan_err = Some(format!("{e}; map yours with [values.plan] in a --profile"));
                    }
                    Err(e) => plan_err = Some(e.to_string()),
                },
            }
        }
        let zone = opts
            .input_zone
            .or_else(|| t.plan.map(|p| p.calendar.calendar.tz()))
            .or_else(|| opts.plan.as_deref().and_then(|p| plans.get(p).ok()).map(|p| p.calendar.calendar.tz()));
        if ignored {
            // Skipped, but counted only when it happened by now (an event
            // after now is left out as every other is).
            let after_now = zone
                .or_else(|| (!is_local(&rec.at)).then_some(chrono_tz::UTC))
                .and_then(|z| parse_instant_in(&rec.at, z, opts.now, &map.time_format, map.ambiguous).ok())
                .is_some_and(|at| at > opts.now);
            if !after_now {
                self.summary.ignored += 1;
            }
            return Ok(());
        }
        if rec.at.is_empty() {
            return Err("at is empty (expected the time of the event)".into());
        }
        let at = match zone {
            Some(z) => parse_instant_in(&rec.at, z, opts.now, &map.time_format, map.ambiguous),
            // Without a zone yet, only a time that carries its offset reads.
            None if !is_local(&rec.at) && map.time_format == TimeFormat::Auto => {
                parse_instant_in(&rec.at, chrono_tz::UTC, opts.now, &map.time_format, map.ambiguous)
            }
            None if kind.is_empty() => return Err(unknown_event()),
            None => {
                return Err(plan_err.unwrap_or_else(|| {
                    format!(
                        "{} event before the ticket's created event: no plan yet to read the local time \"{}\" in (give --input-tz, or put the created event first)",
                        cut(&rec.event, 40),
                        cut(&rec.at, 40)
                    )
                }));
            }
        }
        .map_err(|e| format!("at: {e}"))?;
        if at > opts.now {
            // As of now, this event has not happened: not even validated.
            return Ok(());
        }
        if let Some(e) = plan_err {
            return Err(e);
        }
        if kind.is_empty() {
            return Err(unknown_event());
        }
        if t.plan.is_none() {
            return Err(format!(
                "{} event before the ticket's created event (expected created first)",
                cut(&rec.event, 40)
            ));
        }
        let plan_of = |t: &Ticket<'p>| {
            t.plan.ok_or_else(|| {
                format!("{} event before the ticket's created event (expected created first)", cut(&rec.event, 40))
            })
        };
        let kind = match kind {
            "created" => {
                let plan = plan_of(t)?;
                if t.events.is_empty() {
                    let typed = if rec.priority.is_empty() {
                        opts.priority.as_deref().unwrap_or("")
                    } else {
                        t.priority_typed.clear();
                        t.priority_typed.push_str(&rec.priority);
                        match map.map_priority(&plan.id, map.column("priority"), &rec.priority)? {
                            // Mapped to nothing ("*" = ""): as an empty cell.
                            "" => opts.priority.as_deref().unwrap_or(""),
                            p => p,
                        }
                    };
                    t.priority_typed.clear();
                    t.priority_typed.push_str(typed);
                    EventKind::Created(priority_index(plan, typed)?)
                } else {
                    // A second one: the replay names both lines.
                    EventKind::Created(None)
                }
            }
            "reply" => EventKind::Reply(match map.map_value("author", map.column("value"), &rec.value)? {
                v if v.eq_ignore_ascii_case("agent") => Author::Agent,
                v if v.eq_ignore_ascii_case("customer") => Author::Customer,
                _ => {
                    return Err(format!(
                        "unknown reply author \"{}\" (expected agent or customer)",
                        cut(&rec.value, 80)
                    ));
                }
            }),
            "status" => {
                let plan = plan_of(t)?;
                // A profile's [values.status] may name a status or a class, as
                // pause_on spells it (on_hold is no default status name).
                let mapped = match map.map_value("status", map.column("value"), &rec.value)? {
                    v if map.maps_values("status") => Some(v),
                    _ => None,
                };
                let name = mapped.unwrap_or(&rec.value);
                let class = plan.lifecycle.class_of(name).or_else(|| mapped.and_then(StatusClass::parse));
                let class: StatusClass = class.ok_or_else(|| match mapped {
                    Some(to) => format!(
                        "unknown status \"{}\" (mapped from \"{}\" by [values.status]) for plan {} (expected a class: {}; or a status name: {})",
                        cut(to, 80),
                        cut(&rec.value, 80),
                        plan.id,
                        StatusClass::ALL.map(StatusClass::as_str).join(", "),
                        plan.lifecycle.status_names().join(", ")
                    ),
                    None => format!(
                        "unknown status \"{}\" for plan {} (expected one of: {}; add names under [plans.statuses])",
                        cut(&rec.value, 80),
                        plan.id,
                        plan.lifecycle.status_names().join(", ")
                    ),
                })?;
                EventKind::Status(class)
            }
            "priority" => {
                let plan = plan_of(t)?;
                if rec.value.is_empty() {
                    return Err("priority event has no value (expected a priority name of the ticket's plan)".into());
                }
                EventKind::Priority(priority_index(plan, map.map_priority(&plan.id, map.column("value"), &rec.value)?)?)
            }
            _ => return Err(unknown_event()),
        };
        if t.events.len() >= MAX_EVENTS {
            return Err(format!("the ticket has more than {MAX_EVENTS} events"));
        }
        t.events.push(Event { at, line: rec.line, kind });
        Ok(())
    }

    /// Answers the current ticket and writes its rows.
    fn finish_ticket(&mut self) -> Result<()> {
        if self.ticket.first_line == 0 {
            return Ok(());
        }
        let t = std::mem::take(&mut self.ticket);
        if t.contiguous && !t.id.is_empty() {
            self.seen.insert(t.hash, t.last_line);
        }
        let outcome: std::result::Result<Option<TicketAnswer>, String> = match (&t.error, t.plan) {
            (Some(e), _) => Err(e.clone()),
            // Every event was after now, or there was none.
            (None, None) => Ok(None),
            (None, Some(plan)) => replay(plan, &t.events, self.opts.now).map_err(|e| e.to_string()),
        };
        match outcome {
            Ok(None) => {}
            Ok(Some(a)) => {
                if let Some(plan) = t.plan {
                    self.rows(&t, plan, &a)?;
                }
            }
            Err(e) => {
                self.summary.errors += 1;
                if self.opts.strict {
                    return Err(Error::Input(format!("ticket \"{}\": {e}", cut(&t.id, 80))));
                }
                self.error_row(&t, &e);
            }
        }
        // Keep the buffers for the next ticket.
        self.ticket = t;
        self.ticket.first_line = 0;
        self.sink.commit(false)
    }

    fn error_row(&mut self, t: &Ticket<'_>, e: &str) {
        self.summary.rows += 1;
        let plan = t.plan.map_or(t.plan_typed.as_str(), |p| p.id.as_str());
        if self.sink.json {
            let row = JsonRow {
                id: &t.id,
                plan,
                priority: (!t.priority_typed.is_empty()).then_some(t.priority_typed.as_str()),
                error: Some(e),
                ..JsonRow::default()
            };
            self.json(&row);
        } else {
            let mut fields = [""; 16];
            fields[0] = &t.id;
            fields[1] = plan;
            fields[2] = &t.priority_typed;
            fields[15] = e;
            for (i, f) in fields.iter().enumerate() {
                self.sink.field(f, i == 0);
            }
            self.sink.buf().push(b'\n');
        }
    }

    fn json(&mut self, row: &JsonRow<'_>) {
        // Serializing plain strings and numbers into a Vec cannot fail.
        let _ = serde_json::to_writer(self.sink.buf(), row);
        self.sink.buf().push(b'\n');
    }

    fn rows(&mut self, t: &Ticket<'_>, plan: &Plan, a: &TicketAnswer) -> Result<()> {
        use std::fmt::Write as _;
        let disp = self.opts.display.unwrap_or(Display::Zone(plan.calendar.calendar.tz()));
        let priority = a.priority.and_then(|i| plan.priorities.get(i)).map_or("", |p| p.name.as_str());
        for r in &a.rows {
            self.summary.rows += 1;
            match r.state {
                State::Breached => self.summary.breached += 1,
                State::AtRisk => self.summary.at_risk += 1,
                State::Missed => self.summary.missed += 1,
                State::Paused => self.summary.paused += 1,
                _ => {}
            }
            let mut text = std::mem::take(&mut self.text);
            fill_text(&mut text, r, disp);
            let row = JsonRow {
                id: &t.id,
                plan: &plan.id,
                priority: nonempty(priority),
                metric: Some(r.metric.as_str()),
                cycle: Some(r.cycle),
                start: Some(text.start.as_str()),
                stop: nonempty(&text.stop),
                target: Some(text.target.as_str()),
                target_seconds: r.target_seconds,
                clock: Some(r.clock.as_str()),
                deadline: nonempty(&text.deadline),
                elapsed_seconds: Some(r.elapsed),
                paused_seconds: Some(r.paused),
                remaining_seconds: r.remaining,
                state: Some(r.state.as_str()),
                error: None,
            };
            if self.sink.json {
                self.json(&row);
            } else {
                self.sink.field(row.id, true);
                self.sink.raw(row.plan);
                self.sink.field(priority, false);
                self.sink.raw(r.metric.as_str());
                let n = &mut text.num;
                let mut num = |sink: &mut Sink<W>, v: Option<i64>| {
                    n.clear();
                    if let Some(v) = v {
                        let _ = write!(n, "{v}");
                    }
                    sink.raw(n);
                };
                num(&mut self.sink, Some(i64::from(r.cycle)));
                self.sink.raw(&text.start);
                self.sink.raw(&text.stop);
                self.sink.raw(&text.target);
                num(&mut self.sink, r.target_seconds);
                self.sink.raw(r.clock.as_str());
                self.sink.raw(&text.deadline);
                num(&mut self.sink, Some(r.elapsed));
                num(&mut self.sink, Some(r.paused));
                num(&mut self.sink, r.remaining);
                self.sink.raw(r.state.as_str());
                self.sink.raw("");
                self.sink.buf().push(b'\n');
            }
            self.text = text;
        }
        Ok(())
    }
}

fn nonempty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

fn fill_text(text: &mut RowText, r: &CycleRow, disp: Display) {
    use std::fmt::Write as _;
    text.start.clear();
    text.stop.clear();
    text.deadline.clear();
    text.target.clear();
    write_instant(&mut text.start, r.start, disp);
    if let Some(s) = r.stop {
        write_instant(&mut text.stop, s, disp);
    }
    if let Some(d) = r.deadline {
        write_instant(&mut text.deadline, d, disp);
    }
    let _ = write!(text.target, "{}", r.target);
}

/// A priority name of `plan` as an index; empty: the plan's only target
/// (no levels, or all levels alike).
fn priority_index(plan: &Plan, name: &str) -> std::result::Result<Option<usize>, String> {
    let expected = || {
        let names = plan.priority_names();
        if names.is_empty() { "none: this plan has no priority levels".to_string() } else { names.join(", ") }
    };
    if name.is_empty() {
        if plan.priorities.is_empty() {
            return Ok(None);
        }
        if plan.priority_optional() {
            return Ok(Some(0));
        }
        return Err(format!("plan {} needs a priority (expected one of: {})", plan.id, expected()));
    }
    let found = plan.priority(name).and_then(|p| plan.priorities.iter().position(|q| std::ptr::eq(q, p)));
    match found {
        Some(i) => Ok(Some(i)),
        None => Err(format!(
            "unknown priority \"{}\" for plan {} (expected one of: {})",
            cut(name, 80),
            plan.id,
            expected()
        )),
    }
}
