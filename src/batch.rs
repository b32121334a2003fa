//! `batch`: a whole ticket export through the same deadline/status functions
//! as the single commands, streamed row by row (memory does not grow with the
//! input). Plans and priorities are resolved once per distinct (plan,
//! priority) pair; a bad row gets its message in `error` and the rest go on.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::Arc;

use chrono_tz::Tz;
use serde::Serialize;
use serde::ser::SerializeMap;

use crate::error::{Error, Result};
use crate::instant::{Display, format_instant, parse_instant};
use crate::loader::PlanSet;
use crate::sla::{self, Resolved, State};

/// Longest input record accepted, in bytes; a longer one is an error row.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

/// The output columns, in order, before any extra input columns.
pub const COLUMNS: [&str; 10] = [
    "id",
    "plan",
    "priority",
    "opened",
    "deadline",
    "responded",
    "state",
    "elapsed_seconds",
    "remaining_seconds",
    "error",
];

/// Output format of a batch run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// How a batch run behaves.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// "Now", for states and elapsed time.
    pub now: i64,
    /// Zone for local input times (default: each plan's).
    pub input_zone: Option<Tz>,
    /// How to print instants (default: each plan's zone).
    pub display: Option<Display>,
    /// Output format.
    pub format: Format,
    /// Stop at the first bad row.
    pub strict: bool,
}

/// Counts reported at the end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows read (= rows written).
    pub rows: u64,
    /// Rows whose state is `breached`.
    pub breached: u64,
    /// Rows whose state is `at-risk`.
    pub at_risk: u64,
    /// Rows whose state is `missed`.
    pub missed: u64,
    /// Rows with an error.
    pub errors: u64,
}

/// What one row came to.
#[derive(Debug, Default)]
struct RowOut {
    plan: Option<String>,
    priority: Option<String>,
    opened: Option<String>,
    deadline: Option<String>,
    responded: Option<String>,
    state: Option<&'static str>,
    elapsed: Option<i64>,
    remaining: Option<i64>,
    error: Option<String>,
}

/// A (plan, priority) resolved once: plan zone and the resolved target.
type Cached = std::result::Result<(Tz, Arc<Resolved>, String), String>;

/// Column positions in the input header.
struct Header {
    id: usize,
    plan: usize,
    priority: usize,
    opened: usize,
    responded: Option<usize>,
    extras: Vec<(usize, String)>,
}

impl Header {
    fn read(h: &csv::StringRecord) -> Result<Header> {
        let names: Vec<String> = h.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_lowercase()).collect();
        let find = |n: &str| names.iter().position(|c| c == n);
        let need = |n: &str| {
            find(n).ok_or_else(|| {
                Error::Input(format!(
                    "batch input has no \"{n}\" column (expected a header with id,plan,priority,opened[,responded]; got: {})",
                    names.join(",")
                ))
            })
        };
        let known = ["id", "plan", "priority", "opened", "responded"];
        Ok(Header {
            id: need("id")?,
            plan: need("plan")?,
            priority: need("priority")?,
            opened: need("opened")?,
            responded: find("responded"),
            extras: h
                .iter()
                .enumerate()
                .filter(|(i, _)| !known.contains(&names[*i].as_str()))
                .map(|(i, n)| (i, n.to_string()))
                .collect(),
        })
    }
}

/// Runs a batch: reads CSV from `input`, writes one output row per input row
/// to `out`, calls `progress` with the row count every 65,536 rows.
///
/// # Errors
/// A missing header column, an unreadable input, a write error, or (with
/// `strict`) the first bad row, naming its line.
pub fn run(
    plans: &PlanSet,
    input: impl Read,
    out: impl Write,
    opts: &Options,
    mut progress: impl FnMut(u64),
) -> Result<Summary> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(input);
    let header = Header::read(reader.headers().map_err(|e| read_error(&e))?)?;
    let json = opts.format == Format::JsonLines;
    let mut writer = if json {
        Sink::Json(std::io::BufWriter::with_capacity(1 << 16, out))
    } else {
        let mut w = csv::WriterBuilder::new().from_writer(out);
        let mut cols: Vec<&str> = COLUMNS.to_vec();
        cols.extend(header.extras.iter().map(|(_, n)| n.as_str()));
        w.write_record(&cols).map_err(|e| write_error(&e))?;
        Sink::Csv(Box::new(w))
    };
    let mut cache: HashMap<String, Cached> = HashMap::new();
    let mut key = String::new();
    let mut summary = Summary::default();
    let mut record = csv::StringRecord::new();
    let mut line_buf: Vec<u8> = Vec::with_capacity(256);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                if let csv::ErrorKind::Utf8 { .. } = e.kind() {
                    // A row that is not UTF-8 still gets its output row.
                    let r = RowOut { error: Some("row is not valid UTF-8".into()), ..RowOut::default() };
                    summary.rows += 1;
                    summary.errors += 1;
                    if opts.strict {
                        return Err(Error::Input(format!("{}: row is not valid UTF-8", line_of(&e))));
                    }
                    emit(&mut writer, &mut line_buf, "", &r, &[], &header)?;
                    continue;
                }
                return Err(read_error(&e));
            }
        }
        summary.rows += 1;
        let line = record.position().map_or(0, csv::Position::line);
        let r = if record.as_slice().len() > MAX_RECORD_BYTES {
            RowOut { error: Some(format!("row is longer than {MAX_RECORD_BYTES} bytes")), ..RowOut::default() }
        } else {
            row(plans, &record, &header, opts, &mut cache, &mut key)
        };
        match r.state {
            Some("breached") => summary.breached += 1,
            Some("at-risk") => summary.at_risk += 1,
            Some("missed") => summary.missed += 1,
            _ => {}
        }
        if let Some(e) = &r.error {
            summary.errors += 1;
            if opts.strict {
                return Err(Error::Input(format!("line {line}: {e}")));
            }
        }
        let id = record.get(header.id).unwrap_or("");
        let extras: Vec<&str> = header.extras.iter().map(|(i, _)| record.get(*i).unwrap_or("")).collect();
        emit(&mut writer, &mut line_buf, id, &r, &extras, &header)?;
        if summary.rows % 65_536 == 0 {
            progress(summary.rows);
        }
    }
    match &mut writer {
        Sink::Csv(w) => w.flush(),
        Sink::Json(w) => w.flush(),
    }
    .map_err(|e| Error::Io { path: "output".into(), reason: e.to_string() })?;
    Ok(summary)
}

fn line_of(e: &csv::Error) -> String {
    e.position().map_or_else(|| "input".to_string(), |p| format!("line {}", p.line()))
}

fn read_error(e: &csv::Error) -> Error {
    Error::Input(format!("cannot read batch input: {e}"))
}

fn write_error(e: &csv::Error) -> Error {
    match e.kind() {
        csv::ErrorKind::Io(io) => Error::Io { path: "output".into(), reason: io.to_string() },
        _ => Error::Io { path: "output".into(), reason: e.to_string() },
    }
}

/// Answers one row.
fn row(
    plans: &PlanSet,
    rec: &csv::StringRecord,
    h: &Header,
    opts: &Options,
    cache: &mut HashMap<String, Cached>,
    key: &mut String,
) -> RowOut {
    let field = |i: usize| rec.get(i).map_or("", str::trim);
    let (plan_s, prio_s, opened_s) = (field(h.plan), field(h.priority), field(h.opened));
    let responded_s = h.responded.map(field).filter(|s| !s.is_empty());
    let mut out = RowOut {
        plan: Some(plan_s.to_string()),
        priority: Some(prio_s.to_string()),
        opened: Some(opened_s.to_string()),
        responded: responded_s.map(str::to_string),
        ..RowOut::default()
    };
    key.clear();
    key.push_str(plan_s);
    key.push('\u{0}');
    key.push_str(prio_s);
    if !cache.contains_key(key.as_str()) {
        let resolved = plans.get(plan_s).and_then(|p| {
            let r = sla::resolve(p, (!prio_s.is_empty()).then_some(prio_s))?;
            Ok((p.calendar.calendar.tz(), Arc::new(r), p.id.clone()))
        });
        cache.insert(key.clone(), resolved.map_err(|e| e.to_string()));
    }
    let (zone, resolved, plan_id) = match cache.get(key.as_str()) {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            out.error = Some(e.clone());
            return out;
        }
        None => return out,
    };
    out.plan = Some(plan_id.clone());
    out.priority = resolved.priority.clone().or(out.priority);
    let input_zone = opts.input_zone.unwrap_or(*zone);
    let disp = opts.display.unwrap_or(Display::Zone(*zone));
    let answer = (|| -> Result<sla::StatusAnswer> {
        let opened = parse_instant(opened_s, input_zone, opts.now).map_err(|e| Error::Input(format!("opened: {e}")))?;
        let responded = responded_s
            .map(|s| parse_instant(s, input_zone, opts.now).map_err(|e| Error::Input(format!("responded: {e}"))))
            .transpose()?;
        if let Some(r) = responded {
            if r < opened {
                return Err(Error::Input(format!("responded \"{}\" is before opened", responded_s.unwrap_or(""))));
            }
        }
        sla::status(resolved, opened, responded, opts.now, &[], false)
    })();
    match answer {
        Ok(s) => {
            out.opened = Some(format_instant(s.deadline.opened, disp));
            out.deadline = s.deadline.deadline.map(|d| format_instant(d, disp));
            out.responded = s.responded.map(|t| format_instant(t, disp));
            out.state = Some(s.state.as_str());
            out.elapsed = Some(s.elapsed);
            out.remaining = s.remaining;
            if s.state == State::NoCommitment {
                out.remaining = None;
            }
        }
        Err(e) => out.error = Some(e.to_string()),
    }
    out
}

/// One JSON Lines row: the contract columns, then the extra input columns.
struct JsonRow<'a> {
    id: &'a str,
    r: &'a RowOut,
    extras: &'a [&'a str],
    header: &'a Header,
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let r = self.r;
        let mut m = s.serialize_map(Some(COLUMNS.len() + self.extras.len()))?;
        m.serialize_entry("id", self.id)?;
        m.serialize_entry("plan", &r.plan)?;
        m.serialize_entry("priority", &r.priority)?;
        m.serialize_entry("opened", &r.opened)?;
        m.serialize_entry("deadline", &r.deadline)?;
        m.serialize_entry("responded", &r.responded)?;
        m.serialize_entry("state", &r.state)?;
        m.serialize_entry("elapsed_seconds", &r.elapsed)?;
        m.serialize_entry("remaining_seconds", &r.remaining)?;
        m.serialize_entry("error", &r.error)?;
        for ((_, name), v) in self.header.extras.iter().zip(self.extras) {
            m.serialize_entry(name, v)?;
        }
        m.end()
    }
}

/// Where rows go: a CSV writer, or a buffered stream of JSON lines.
enum Sink<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json(std::io::BufWriter<W>),
}

fn emit<W: Write>(
    sink: &mut Sink<W>,
    line: &mut Vec<u8>,
    id: &str,
    r: &RowOut,
    extras: &[&str],
    header: &Header,
) -> Result<()> {
    let w = match sink {
        Sink::Json(w) => {
            line.clear();
            serde_json::to_writer(&mut *line, &JsonRow { id, r, extras, header })
                .map_err(|e| Error::Io { path: "output".into(), reason: e.to_string() })?;
            line.push(b'\n');
            return w.write_all(line).map_err(|e| Error::Io { path: "output".into(), reason: e.to_string() });
        }
        Sink::Csv(w) => w,
    };
    let opt = |s: &Option<String>| s.as_deref().unwrap_or("").to_string();
    let num = |n: Option<i64>| n.map_or(String::new(), |n| n.to_string());
    let fields = [
        id.to_string(),
        opt(&r.plan),
        opt(&r.priority),
        opt(&r.opened),
        opt(&r.deadline),
        opt(&r.responded),
        r.state.unwrap_or("").to_string(),
        num(r.elapsed),
        num(r.remaining),
        opt(&r.error),
    ];
    let all = fields.iter().map(String::as_str).chain(extras.iter().copied());
    w.write_record(all).map_err(|e| write_error(&e))
}
