//! `replay`: ticket event histories (CSV or JSON Lines) through the
//! lifecycle clocks of [`crate::sla::lifecycle`], streamed ticket by ticket.
//!
//! Only the current ticket's events are held (at most [`MAX_EVENTS`]); a
//! ticket is answered and written when the next one starts. Memory grows by
//! one 16-byte fingerprint per ticket id seen, to catch an id that comes back
//! after other tickets (SPEC §5), and by nothing else.

use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Read, Write};

use chrono_tz::Tz;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::batch::MAX_RECORD_BYTES;
use crate::error::{Error, Result};
use crate::instant::{Display, is_local, parse_instant, write_instant};
use crate::loader::PlanSet;
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

/// How the input is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

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
    pub format: crate::batch::Format,
    /// Input format; `None`: told by the first non-blank byte (`{`: JSON Lines).
    pub input_format: Option<InputFormat>,
    /// Stop at the first ticket that cannot be replayed.
    pub strict: bool,
    /// Plan of tickets whose `created` event names none.
    pub plan: Option<String>,
    /// Priority of tickets whose `created` event names none.
    pub priority: Option<String>,
}

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
    let format = match opts.input_format {
        Some(f) => f,
        None => {
            let head = reader.fill_buf().map_err(read_error)?;
            match head.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') => InputFormat::JsonLines,
                _ => InputFormat::Csv,
            }
        }
    };
    let mut state = Replay {
        plans,
        opts,
        sink: Sink {
            out,
            buf: Vec::with_capacity(SINK_BYTES + 4096),
            json: opts.format == crate::batch::Format::JsonLines,
        },
        seen: FxHashMap::default(),
        ticket: Ticket::default(),
        summary: Summary::default(),
        text: RowText::default(),
    };
    if !state.sink.json {
        state.sink.header();
    }
    let mut rec = Rec::default();
    match format {
        InputFormat::Csv => {
            let mut csv = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(Guard::new(reader));
            let mut record = csv::ByteRecord::new();
            if !csv.read_byte_record(&mut record).map_err(csv_error)? {
                return Err(Error::Input(
                    "replay input is empty (expected a header id,at,event,value[,plan,priority])".into(),
                ));
            }
            let cols = Columns::read(&record)?;
            while csv.read_byte_record(&mut record).map_err(csv_error)? {
                rec.line = record.position().map_or(0, csv::Position::line);
                if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                cols.fill(&record, &mut rec)?;
                state.event(&rec)?;
                if state.summary.events % 65_536 == 0 {
                    progress(state.summary.events);
                }
            }
        }
        InputFormat::JsonLines => {
            let mut line = Vec::with_capacity(1024);
            let mut n = 0u64;
            loop {
                n += 1;
                if !read_line(&mut reader, &mut line, n)? {
                    break;
                }
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                rec.line = n;
                json_fields(&line, &mut rec)?;
                state.event(&rec)?;
                if state.summary.events % 65_536 == 0 {
                    progress(state.summary.events);
                }
            }
        }
    }
    state.finish_ticket()?;
    state.sink.commit(true)?;
    Ok(state.summary)
}

fn read_error(e: std::io::Error) -> Error {
    Error::Input(format!("cannot read replay input: {e}"))
}

fn csv_error(e: csv::Error) -> Error {
    let line = e.position().map(csv::Position::line);
    match e.into_kind() {
        // The guard's own refusals already name their line.
        csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => Error::Input(io.to_string()),
        csv::ErrorKind::Io(io) => read_error(io),
        other => Error::Input(format!(
            "cannot read replay input{}: {other:?}",
            line.map_or(String::new(), |l| format!(" at line {l}"))
        )),
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
    fn read(h: &csv::ByteRecord) -> Result<Columns> {
        let names: Vec<String> =
            h.iter().map(|c| String::from_utf8_lossy(c).trim().trim_start_matches('\u{feff}').to_lowercase()).collect();
        let find = |n: &str| names.iter().position(|c| c == n);
        let need = |n: &str| {
            find(n).ok_or_else(|| {
                Error::Input(format!(
                    "replay input has no \"{n}\" column (expected a header id,at,event,value[,plan,priority]; got: {})",
                    cut(&names.join(","), 200)
                ))
            })
        };
        Ok(Columns {
            id: need("id")?,
            at: need("at")?,
            event: need("event")?,
            value: find("value"),
            plan: find("plan"),
            priority: find("priority"),
        })
    }

    fn fill(&self, r: &csv::ByteRecord, rec: &mut Rec) -> Result<()> {
        let line = rec.line;
        let put = |i: Option<usize>, dst: &mut String, name: &str| -> Result<()> {
            dst.clear();
            let raw = i.and_then(|i| r.get(i)).unwrap_or(b"");
            let s = std::str::from_utf8(raw)
                .map_err(|_| Error::Input(format!("line {line}: column {name} is not valid UTF-8")))?;
            dst.push_str(s.trim());
            Ok(())
        };
        put(Some(self.id), &mut rec.id, "id")?;
        put(Some(self.at), &mut rec.at, "at")?;
        put(Some(self.event), &mut rec.event, "event")?;
        put(self.value, &mut rec.value, "value")?;
        // Only a created event reads its plan and priority.
        if rec.event.eq_ignore_ascii_case("created") {
            put(self.plan, &mut rec.plan, "plan")?;
            put(self.priority, &mut rec.priority, "priority")?;
        } else {
            rec.plan.clear();
            rec.priority.clear();
        }
        Ok(())
    }
}

/// Reads one line (without its `\n`) into `buf`, never more than
/// [`MAX_RECORD_BYTES`] of it. False at the end of the input.
fn read_line(r: &mut impl BufRead, buf: &mut Vec<u8>, line: u64) -> Result<bool> {
    buf.clear();
    let mut any = false;
    loop {
        let avail = r.fill_buf().map_err(read_error)?;
        if avail.is_empty() {
            return Ok(any);
        }
        any = true;
        let (take, done) = match avail.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (avail.len(), false),
        };
        if buf.len() + take > MAX_RECORD_BYTES {
            return Err(too_long(line));
        }
        buf.extend_from_slice(&avail[..take]);
        r.consume(take + usize::from(done));
        if done {
            return Ok(true);
        }
    }
}

fn too_long(line: u64) -> Error {
    Error::Input(format!(
        "line {line}: record is longer than {MAX_RECORD_BYTES} bytes (replay records are limited to 64 KiB)"
    ))
}

/// The fields of one JSON Lines event.
fn json_fields(line: &[u8], rec: &mut Rec) -> Result<()> {
    let n = rec.line;
    let obj: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(line).map_err(|e| {
        Error::Input(format!(
            "line {n}: not a JSON object ({e}); expected e.g. {{\"id\":\"T1\",\"at\":\"…\",\"event\":\"created\"}}"
        ))
    })?;
    let get = |k: &str, dst: &mut String| -> Result<()> {
        dst.clear();
        match obj.get(k) {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::String(s)) => dst.push_str(s.trim()),
            Some(serde_json::Value::Number(x)) => dst.push_str(&x.to_string()),
            Some(other) => {
                return Err(Error::Input(format!(
                    "line {n}: field \"{k}\" is {} (expected a string)",
                    cut(&other.to_string(), 80)
                )));
            }
        }
        Ok(())
    };
    get("id", &mut rec.id)?;
    get("at", &mut rec.at)?;
    get("event", &mut rec.event)?;
    get("value", &mut rec.value)?;
    get("plan", &mut rec.plan)?;
    get("priority", &mut rec.priority)?;
    Ok(())
}

/// Bytes of whole rows gathered before one write: output is written only at
/// ticket boundaries, so an interrupted run never leaves half a row.
const SINK_BYTES: usize = 1 << 16;

struct Sink<W: Write> {
    out: W,
    buf: Vec<u8>,
    json: bool,
}

impl<W: Write> Sink<W> {
    fn header(&mut self) {
        self.buf.extend_from_slice(COLUMNS.join(",").as_bytes());
        self.buf.push(b'\n');
    }

    fn commit(&mut self, last: bool) -> Result<()> {
        if self.buf.len() >= SINK_BYTES || last {
            self.out.write_all(&self.buf).map_err(Error::Write)?;
            self.buf.clear();
        }
        if last {
            self.out.flush().map_err(Error::Write)?;
        }
        Ok(())
    }

    /// A computed field (a number, an instant, a name slacalc spells): no
    /// quoting or escaping needed.
    fn raw(&mut self, s: &str) {
        self.buf.push(b',');
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// One CSV field (quoted when it must be), control characters escaped.
    fn field(&mut self, s: &str, first: bool) {
        if !first {
            self.buf.push(b',');
        }
        if s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b',' && b != b'"') {
            self.buf.extend_from_slice(s.as_bytes());
            return;
        }
        let s = escape_controls(s);
        if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
            self.buf.push(b'"');
            for b in s.bytes() {
                if b == b'"' {
                    self.buf.push(b'"');
                }
                self.buf.push(b);
            }
            self.buf.push(b'"');
        } else {
            self.buf.extend_from_slice(s.as_bytes());
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
    summary: Summary,
    text: RowText,
}

impl<'p, W: Write> Replay<'p, '_, W> {
    /// Takes one input record.
    fn event(&mut self, rec: &Rec) -> Result<()> {
        self.summary.events += 1;
        if rec.id != self.ticket.id || self.ticket.first_line == 0 {
            self.finish_ticket()?;
            self.start_ticket(rec);
        }
        if self.ticket.error.is_none() {
            if let Err(e) = self.take(rec) {
                self.ticket.error = Some(format!("line {}: {e}", rec.line));
            }
        }
        self.ticket.last_line = rec.line;
        Ok(())
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
        let kind = ["created", "reply", "status", "priority"]
            .into_iter()
            .find(|k| rec.event.eq_ignore_ascii_case(k))
            .unwrap_or("");
        let t = &mut self.ticket;
        let mut plan_err = None;
        if kind == "created" && t.plan.is_none() {
            let typed = if rec.plan.is_empty() { opts.plan.as_deref().unwrap_or("") } else { rec.plan.as_str() };
            t.plan_typed.clear();
            t.plan_typed.push_str(typed);
            if typed.is_empty() {
                plan_err = Some("created event has no plan (expected a plan column, or --plan)".to_string());
            } else {
                match plans.get(typed) {
                    Ok(p) => t.plan = Some(p),
                    Err(e) => plan_err = Some(e.to_string()),
                }
            }
        }
        let zone = opts
            .input_zone
            .or_else(|| t.plan.map(|p| p.calendar.calendar.tz()))
            .or_else(|| opts.plan.as_deref().and_then(|p| plans.get(p).ok()).map(|p| p.calendar.calendar.tz()));
        if rec.at.is_empty() {
            return Err("at is empty (expected the time of the event)".into());
        }
        let at = match zone {
            Some(z) => parse_instant(&rec.at, z, opts.now),
            None if !is_local(&rec.at) => parse_instant(&rec.at, chrono_tz::UTC, opts.now),
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
                    let typed =
                        if rec.priority.is_empty() { opts.priority.as_deref().unwrap_or("") } else { &rec.priority };
                    t.priority_typed.clear();
                    t.priority_typed.push_str(typed);
                    EventKind::Created(priority_index(plan, typed)?)
                } else {
                    // A second one: the replay names both lines.
                    EventKind::Created(None)
                }
            }
            "reply" => EventKind::Reply(match rec.value.as_str() {
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
                let class: StatusClass = plan.lifecycle.class_of(&rec.value).ok_or_else(|| {
                    format!(
                        "unknown status \"{}\" for plan {} (expected one of: {}; add names under [plans.statuses])",
                        cut(&rec.value, 80),
                        plan.id,
                        plan.lifecycle.status_names().join(", ")
                    )
                })?;
                EventKind::Status(class)
            }
            "priority" => {
                let plan = plan_of(t)?;
                if rec.value.is_empty() {
                    return Err("priority event has no value (expected a priority name of the ticket's plan)".into());
                }
                EventKind::Priority(priority_index(plan, &rec.value)?)
            }
            _ => {
                return Err(format!(
                    "unknown event \"{}\" (expected created, reply, status or priority)",
                    cut(&rec.event, 80)
                ));
            }
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
            self.sink.buf.push(b'\n');
        }
    }

    fn json(&mut self, row: &JsonRow<'_>) {
        // Serializing plain strings and numbers into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.sink.buf, row);
        self.sink.buf.push(b'\n');
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
                self.sink.buf.push(b'\n');
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

/// A reader that bounds CSV records while reading (SPEC §8): it follows the
/// quoting, so it knows where a record ends, and refuses a record longer
/// than [`MAX_RECORD_BYTES`] before `csv` has buffered it whole, and a quote
/// never closed, naming the line where it opened.
struct Guard<R: Read> {
    inner: R,
    state: Scan,
    /// Bytes of the current record so far.
    len: usize,
    /// Physical line (1-based) of the byte being read.
    line: u64,
    /// Line where the current record started.
    record_line: u64,
    /// Line where the open quote opened.
    quote_line: u64,
    /// An error to give on the next read.
    pending: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    FieldStart,
    Unquoted,
    Quoted,
    /// A `"` inside a quoted field: the end of the quote, or the first of `""`.
    AfterQuote,
}

impl<R: Read> Guard<R> {
    fn new(inner: R) -> Guard<R> {
        Guard { inner, state: Scan::FieldStart, len: 0, line: 1, record_line: 1, quote_line: 0, pending: None }
    }
}

impl<R: Read> Guard<R> {
    fn too_long(&self) -> std::io::Error {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "line {}: record is longer than {MAX_RECORD_BYTES} bytes (replay records are limited to 64 KiB)",
                self.record_line
            ),
        )
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if let Some(e) = self.pending.take() {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e));
        }
        let n = self.inner.read(buf)?;
        if n == 0 && self.state == Scan::Quoted {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("line {}: a quote opened here is never closed", self.quote_line),
            ));
        }
        let chunk = &buf[..n];
        // Fast path, almost every chunk: no quote in it and none open. Then
        // records end at each newline; a chunk is far shorter than the
        // limit, so only the bytes after the last newline carry over.
        if n <= MAX_RECORD_BYTES
            && self.state != Scan::Quoted
            && self.state != Scan::AfterQuote
            && !chunk.contains(&b'"')
        {
            match chunk.iter().rposition(|&b| b == b'\n') {
                Some(last) => {
                    // The record that was open ends at the first newline.
                    let first = chunk.iter().position(|&b| b == b'\n').unwrap_or(last);
                    if self.len + first > MAX_RECORD_BYTES {
                        self.len += first + 1;
                        return Err(self.too_long());
                    }
                    self.line += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
                    self.record_line = self.line;
                    self.len = n - last - 1;
                }
                None => self.len += n,
            }
            self.state = match chunk.last() {
                Some(b',' | b'\n') => Scan::FieldStart,
                Some(_) => Scan::Unquoted,
                None => self.state,
            };
            if self.len <= MAX_RECORD_BYTES {
                return Ok(n);
            }
            return Err(self.too_long());
        }
        for (i, &b) in chunk.iter().enumerate() {
            self.len += 1;
            self.state = match (self.state, b) {
                (Scan::Quoted, b'"') => Scan::AfterQuote,
                (Scan::Quoted, _) => Scan::Quoted,
                (Scan::AfterQuote, b'"') => Scan::Quoted,
                (Scan::FieldStart, b'"') => {
                    self.quote_line = self.line;
                    Scan::Quoted
                }
                (_, b',') => Scan::FieldStart,
                (_, b'\n') => {
                    self.len = 0;
                    self.record_line = self.line + 1;
                    Scan::FieldStart
                }
                _ => Scan::Unquoted,
            };
            if b == b'\n' {
                self.line += 1;
            }
            if self.len > MAX_RECORD_BYTES {
                self.pending = Some(format!(
                    "line {}: record is longer than {MAX_RECORD_BYTES} bytes (replay records are limited to 64 KiB)",
                    self.record_line
                ));
                if i == 0 {
                    let e = self.pending.take().unwrap_or_default();
                    return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e));
                }
                return Ok(i);
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gives at most `step` bytes per read, as a pipe may.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn through(data: &[u8], step: usize) -> std::result::Result<usize, String> {
        let mut g = Guard::new(Trickle(data, step));
        let mut out = Vec::new();
        g.read_to_end(&mut out).map_err(|e| e.to_string())?;
        Ok(out.len())
    }

    #[test]
    fn the_guard_measures_records_across_reads() {
        for step in [1, 7, 1000, 8192, 100_000] {
            let ok = format!("a,b\nx,{}\ny,\"q\nq\"\n", "v".repeat(MAX_RECORD_BYTES - 3));
            assert_eq!(through(ok.as_bytes(), step), Ok(ok.len()), "step {step}");
            let long = format!("a,b\nx,{}\ny,z\n", "v".repeat(MAX_RECORD_BYTES));
            let e = through(long.as_bytes(), step).unwrap_err();
            assert!(e.contains("line 2") && e.contains("longer than"), "step {step}: {e}");
            let quoted = format!("a,b\nx,\"{}\"\n", "v\n".repeat(MAX_RECORD_BYTES / 2));
            let e = through(quoted.as_bytes(), step).unwrap_err();
            assert!(e.contains("line 2") && e.contains("longer than"), "step {step}: {e}");
            let open = "a,b\nx,y\nz,\"never\nclosed\n";
            let e = through(open.as_bytes(), step).unwrap_err();
            assert!(e.contains("line 3") && e.contains("never closed"), "step {step}: {e}");
        }
    }
}
