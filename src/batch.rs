//! `batch`: a whole ticket export through the same deadline/status functions
//! as the single commands, streamed row by row (memory does not grow with the
//! input). Plans and priorities are resolved once per distinct (plan,
//! priority) pair; a bad row gets its message in `error` and the rest go on.

use std::borrow::Cow;
use std::io::{Read, Write};
use std::sync::Arc;

use chrono_tz::Tz;
use serde::Serialize;
use serde::ser::SerializeMap;

use crate::error::{Error, Result};
use rustc_hash::FxHashMap;

use crate::engine::{Calendar, YearCursor};
use crate::input::{CsvInput, Problem, Row};
use crate::instant::{Display, parse_instant_as, write_instant, write_with_offset};
use crate::loader::PlanSet;
use crate::mapping::Mapping;
use crate::sla::{self, Resolved, State};
use crate::text::escape_controls;

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
#[derive(Debug, Clone)]
pub struct Options {
    /// Which columns hold what, value maps, time format, delimiter and the
    /// plan/priority defaults ([`Mapping::new`]: the header names them).
    pub mapping: Mapping,
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Input columns named like output columns (yesterday's output fed back
    /// in): replaced by the fresh values, each printed once.
    pub replaced_columns: Vec<String>,
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

/// A (plan, priority) pair resolved once and shared by every row that names it.
#[derive(Debug)]
struct Entry {
    zone: Tz,
    /// The plan's business calendar: its year cache answers display offsets.
    zone_cal: Arc<Calendar>,
    resolved: Resolved,
    plan_id: String,
    priority: String,
}

/// The cache entry of a pair: resolved, or the error every such row gets.
type Cached = std::result::Result<Arc<Entry>, Arc<str>>;

/// What one row came to. Instants are written into reused buffers.
#[derive(Debug, Default)]
struct RowOut {
    entry: Option<Arc<Entry>>,
    opened: String,
    deadline: String,
    responded: String,
    state: Option<&'static str>,
    elapsed: Option<i64>,
    remaining: Option<i64>,
    error: Option<String>,
}

impl RowOut {
    fn clear(&mut self) {
        self.entry = None;
        self.opened.clear();
        self.deadline.clear();
        self.responded.clear();
        self.state = None;
        self.elapsed = None;
        self.remaining = None;
        self.error = None;
    }
}

/// The columns a row is read from (the rest pass through).
const INPUTS: [&str; 5] = ["id", "plan", "priority", "opened", "responded"];

/// Column positions in the input header.
struct Header {
    id: usize,
    plan: Option<usize>,
    priority: Option<usize>,
    opened: usize,
    responded: Option<usize>,
    pauses: Option<usize>,
    extras: Vec<(usize, String)>,
    /// Input columns named like computed output columns, left out.
    replaced: Vec<String>,
    /// Value maps and defaults.
    map: Mapping,
    /// Whether any value is mapped (else rows skip the look-up).
    mapped_values: bool,
}

/// The fields a batch export may map to its own columns.
pub const FIELDS: [&str; 6] = ["id", "plan", "priority", "opened", "responded", "pauses"];

/// The fields whose values a batch profile may map (`[values.plan]`, …).
pub const VALUED: [&str; 2] = ["plan", "priority"];

impl Header {
    fn read(h: &csv::StringRecord, map: &Mapping) -> Result<Header> {
        let names: Vec<String> = h.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_lowercase()).collect();
        let find = |field: &str| {
            let want = map.column(field).trim().to_lowercase();
            names.iter().position(|c| *c == want)
        };
        let need = |field: &str| {
            find(field).ok_or_else(|| {
                let got = crate::text::cut(&names.join(","), 200).into_owned();
                // One column that holds separators of another kind: the
                // file is not comma-separated.
                let hint = match (names.len(), map.delimiter) {
                    (1, b',') if names[0].contains(';') => " (the header holds ';': try --delimiter ';')",
                    (1, b',') if names[0].contains('\t') => " (the header holds tabs: try --delimiter tab)",
                    _ => "",
                };
                if map.is_mapped(field) {
                    Error::Input(format!(
                        "batch input has no \"{}\" column for {field} (named by --columns or --profile; got: {got}){hint}",
                        crate::text::cut(map.column(field), 80)
                    ))
                } else {
                    Error::Input(format!(
                        "batch input has no \"{field}\" column (expected a header with id,plan,priority,opened[,responded][,pauses], or --columns/--profile to name yours; got: {got}){hint}"
                    ))
                }
            })
        };
        // With a default, a column may be absent.
        let id = need("id")?;
        let plan = if map.plan.is_some() { find("plan") } else { Some(need("plan")?) };
        let priority = if map.priority.is_some() { find("priority") } else { Some(need("priority")?) };
        let opened = need("opened")?;
        let (responded, pauses) = (find("responded"), find("pauses"));
        let used: Vec<usize> = [Some(id), plan, priority, Some(opened), responded].into_iter().flatten().collect();
        let computed = |n: &str| COLUMNS.contains(&n) && !INPUTS.contains(&n);
        Ok(Header {
            id,
            plan,
            priority,
            opened,
            responded,
            pauses,
            extras: h
                .iter()
                .enumerate()
                .filter(|(i, _)| !used.contains(i) && !INPUTS.contains(&names[*i].as_str()) && !computed(&names[*i]))
                .map(|(i, n)| (i, n.to_string()))
                .collect(),
            replaced: h
                .iter()
                .enumerate()
                .filter(|(i, _)| computed(&names[*i]))
                .map(|(_, n)| n.trim().to_string())
                .collect(),
            map: map.clone(),
            mapped_values: VALUED.iter().any(|f| map.maps_values(f)),
        })
    }

    /// The row's plan as slacalc names it: mapped, else the default.
    fn plan<'a>(&'a self, rec: &'a csv::StringRecord) -> &'a str {
        self.value("plan", self.plan, self.map.plan.as_deref(), rec)
    }

    /// The row's priority as slacalc names it: mapped, else the default.
    fn priority<'a>(&'a self, rec: &'a csv::StringRecord) -> &'a str {
        self.value("priority", self.priority, self.map.priority.as_deref(), rec)
    }

    fn value<'a>(
        &'a self,
        field: &str,
        col: Option<usize>,
        default: Option<&'a str>,
        rec: &'a csv::StringRecord,
    ) -> &'a str {
        let raw = col.and_then(|i| rec.get(i)).map_or("", str::trim);
        if raw.is_empty() {
            default.unwrap_or("")
        } else if self.mapped_values {
            self.map.value(field, raw)
        } else {
            // No value map (the usual case): no look-up per row.
            raw
        }
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
    // Bounded records, unclosed quotes refused, one line count (crate::input).
    let mut reader = CsvInput::batch_with(input, opts.mapping.delimiter);
    let header = Header::read(&reader.header()?, &opts.mapping)?;
    let json = opts.format == Format::JsonLines;
    let mut writer = Sink {
        out,
        csv: csv::WriterBuilder::new().from_writer(Records(Vec::with_capacity(SINK_BYTES + 4096).into())),
        json,
    };
    if !json {
        let mut cols: Vec<&str> = COLUMNS.to_vec();
        cols.extend(header.extras.iter().map(|(_, n)| n.as_str()));
        writer.csv.write_record(&cols).map_err(write_error)?;
        writer.commit(false)?;
    }
    let mut cache = PairCache::default();
    let mut out = RowOut::default();
    let mut offsets = OffsetMemo::default();
    let mut summary = Summary { replaced_columns: header.replaced.clone(), ..Summary::default() };
    let mut record = csv::StringRecord::new();
    let mut line_buf: Vec<u8> = Vec::with_capacity(256);
    while let Some(Row { line, problem }) = reader.read(&mut record)? {
        if problem == Some(Problem::NotUtf8) {
            // A row that is not UTF-8 still gets its output row.
            out.clear();
            out.error = Some("row is not valid UTF-8".into());
            summary.rows += 1;
            summary.errors += 1;
            if opts.strict {
                return Err(Error::Input(format!("line {line}: row is not valid UTF-8")));
            }
            emit(&mut writer, &mut line_buf, &csv::StringRecord::new(), &out, &header)?;
            continue;
        }
        summary.rows += 1;
        out.clear();
        // A row over the limit was cut while reading: only its start is here.
        if problem == Some(Problem::TooLong) {
            out.error = Some(format!("row is longer than {MAX_RECORD_BYTES} bytes"));
            // Its fields are not copied out: keep only a short id, so one
            // huge row does not make a huge output row.
            let id = record.get(header.id).filter(|id| id.len() <= 256).unwrap_or("").to_string();
            let mut short = csv::StringRecord::new();
            for i in 0..=header.id {
                short.push_field(if i == header.id { &id } else { "" });
            }
            record = short;
        } else {
            row(plans, &record, &header, opts, &mut cache, &mut offsets, &mut out);
        }
        match out.state {
            Some("breached") => summary.breached += 1,
            Some("at-risk") => summary.at_risk += 1,
            Some("missed") => summary.missed += 1,
            _ => {}
        }
        if let Some(e) = &out.error {
            summary.errors += 1;
            if opts.strict {
                return Err(Error::Input(format!("line {line}: {e}")));
            }
        }
        emit(&mut writer, &mut line_buf, &record, &out, &header)?;
        if summary.rows % 65_536 == 0 {
            progress(summary.rows);
        }
    }
    writer.commit(true)?;
    Ok(summary)
}

fn write_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Write(io),
        other => Error::Write(std::io::Error::other(format!("{other:?}"))),
    }
}

/// The UTC offsets of the plans' zones, each with the span it holds for, so
/// most rows print their instants without a time-zone look-up.
#[derive(Default)]
struct OffsetMemo {
    /// (calendar, offset, valid from, valid until, its year cursor)
    zones: Vec<(Arc<Calendar>, i64, i64, i64, YearCursor)>,
}

impl OffsetMemo {
    fn offset(&mut self, cal: &Arc<Calendar>, t: i64) -> i64 {
        let i = match self.zones.iter().position(|z| Arc::ptr_eq(&z.0, cal)) {
            Some(i) => i,
            None => {
                self.zones.push((Arc::clone(cal), 0, 1, 0, YearCursor::new()));
                self.zones.len() - 1
            }
        };
        let z = &mut self.zones[i];
        if t < z.2 || t >= z.3 {
            let (off, from, to) = z.0.offset_span(t, &mut z.4);
            (z.1, z.2, z.3) = (off, from, to);
        }
        z.1
    }
}

/// Most (plan, priority) pairs the cache holds before it starts afresh: a
/// real export has a few dozen; a hostile one millions of distinct names,
/// which must not grow memory.
const MAX_CACHED_PAIRS: usize = 4096;

/// (plan as typed → (priority as typed → resolved pair)): two look-ups by
/// `&str`, so a row allocates nothing to find its plan. Bounded by
/// [`MAX_CACHED_PAIRS`].
#[derive(Default)]
struct PairCache {
    map: FxHashMap<String, FxHashMap<String, Cached>>,
    pairs: usize,
}

fn lookup(plans: &PlanSet, cache: &mut PairCache, plan: &str, priority: &str) -> Cached {
    if let Some(c) = cache.map.get(plan).and_then(|m| m.get(priority)) {
        return c.clone();
    }
    if cache.pairs >= MAX_CACHED_PAIRS {
        cache.map.clear();
        cache.pairs = 0;
    }
    let resolved: Cached = plans
        .get(plan)
        .and_then(|p| {
            let r = sla::resolve(p, (!priority.is_empty()).then_some(priority))?;
            let priority = r.priority.clone().unwrap_or_default();
            Ok(Arc::new(Entry {
                zone: p.calendar.calendar.tz(),
                zone_cal: Arc::clone(&p.calendar.calendar),
                resolved: r,
                plan_id: p.id.clone(),
                priority,
            }))
        })
        .map_err(|e| Arc::from(e.to_string()));
    cache.map.entry(plan.to_string()).or_default().insert(priority.to_string(), resolved.clone());
    cache.pairs += 1;
    resolved
}

/// Answers one row into `out`.
fn row(
    plans: &PlanSet,
    rec: &csv::StringRecord,
    h: &Header,
    opts: &Options,
    cache: &mut PairCache,
    offsets: &mut OffsetMemo,
    out: &mut RowOut,
) {
    let field = |i: usize| rec.get(i).map_or("", str::trim);
    let (plan_s, prio_s, opened_s) = (h.plan(rec), h.priority(rec), field(h.opened));
    let responded_s = h.responded.map(field).filter(|s| !s.is_empty());
    let pauses_s = h.pauses.map(field).filter(|s| !s.is_empty());
    if plan_s.is_empty() {
        out.error = Some("plan is empty (expected a plan id or alias, e.g. apizee-gold or gold)".into());
        return;
    }
    let entry = match lookup(plans, cache, plan_s, prio_s) {
        Ok(e) => e,
        Err(e) => {
            out.error = Some(e.to_string());
            return;
        }
    };
    let input_zone = opts.input_zone.unwrap_or(entry.zone);
    let disp = opts.display.unwrap_or(Display::Zone(entry.zone));
    let answer = (|| -> Result<sla::StatusAnswer> {
        if opened_s.is_empty() {
            return Err(Error::Empty { what: "opened".into(), expected: "the time the ticket was opened".into() });
        }
        let format = &opts.mapping.time_format;
        let opened = parse_instant_as(opened_s, input_zone, opts.now, format)
            .map_err(|e| Error::Input(format!("opened: {e}")))?;
        let responded = responded_s
            .map(|s| {
                parse_instant_as(s, input_zone, opts.now, format).map_err(|e| Error::Input(format!("responded: {e}")))
            })
            .transpose()?;
        sla::not_after_now("opened", opened, opts.now, disp)?;
        if let Some(r) = responded {
            if r < opened {
                return Err(Error::Input(format!(
                    "responded \"{}\" is before opened",
                    crate::text::cut(responded_s.unwrap_or(""), 80)
                )));
            }
            sla::not_after_now("responded", r, opts.now, disp)?;
        }
        let pauses = match pauses_s {
            Some(p) => sla::parse_pause_list(p, input_zone, opts.now, "pauses")?,
            None => Vec::new(),
        };
        sla::status(&entry.resolved, opened, responded, opts.now, &pauses, false)
    })();
    // Printing in the plan's own zone (the default) takes offsets from its
    // calendar's year cache, remembered for the span they hold.
    let mut print = |buf: &mut String, t: i64| match opts.display {
        None => write_with_offset(buf, t, Some(offsets.offset(&entry.zone_cal, t))),
        Some(d) => write_instant(buf, t, d),
    };
    match answer {
        Ok(s) => {
            print(&mut out.opened, s.deadline.opened);
            if let Some(d) = s.deadline.deadline {
                print(&mut out.deadline, d);
            }
            if let Some(t) = s.responded {
                print(&mut out.responded, t);
            }
            out.state = Some(s.state.as_str());
            out.elapsed = Some(s.elapsed);
            out.remaining = if s.state == State::NoCommitment { None } else { s.remaining };
        }
        Err(e) => out.error = Some(e.to_string()),
    }
    out.entry = Some(entry);
}

/// One output row, as JSON Lines and CSV show it: the contract columns in
/// order ([`COLUMNS`]), then the extra input columns. Output values are
/// canonical names when resolved, else as typed (an error row keeps what the
/// input said).
#[derive(Serialize)]
struct RowView<'a> {
    id: &'a str,
    plan: &'a str,
    priority: Option<&'a str>,
    opened: &'a str,
    deadline: Option<&'a str>,
    responded: Option<&'a str>,
    state: Option<&'static str>,
    elapsed_seconds: Option<i64>,
    remaining_seconds: Option<i64>,
    error: Option<&'a str>,
    #[serde(flatten)]
    extras: Extras<'a>,
}

/// The input columns passed through, by name.
struct Extras<'a> {
    rec: &'a csv::StringRecord,
    header: &'a Header,
}

impl Extras<'_> {
    fn values(&self) -> impl Iterator<Item = &str> {
        self.header.extras.iter().map(|(i, _)| self.rec.get(*i).unwrap_or(""))
    }
}

impl Serialize for Extras<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.header.extras.len()))?;
        for ((_, name), v) in self.header.extras.iter().zip(self.values()) {
            m.serialize_entry(name, v)?;
        }
        m.end()
    }
}

impl<'a> RowView<'a> {
    fn of(rec: &'a csv::StringRecord, r: &'a RowOut, h: &'a Header) -> RowView<'a> {
        let field = |i: usize| rec.get(i).map_or("", str::trim);
        let some = |v: &'a str| (!v.is_empty()).then_some(v);
        let (plan, priority) = match &r.entry {
            Some(e) => (e.plan_id.as_str(), if e.priority.is_empty() { h.priority(rec) } else { e.priority.as_str() }),
            None => (h.plan(rec), h.priority(rec)),
        };
        let responded = if r.responded.is_empty() { h.responded.map_or("", field) } else { r.responded.as_str() };
        RowView {
            id: rec.get(h.id).unwrap_or(""),
            plan,
            priority: some(priority),
            opened: if r.opened.is_empty() { field(h.opened) } else { r.opened.as_str() },
            deadline: some(&r.deadline),
            responded: some(responded),
            state: r.state,
            elapsed_seconds: r.elapsed,
            remaining_seconds: r.remaining,
            error: r.error.as_deref(),
            extras: Extras { rec, header: h },
        }
    }
}

/// Bytes of whole records gathered before one write: output is written only
/// at record boundaries, so an interrupted run never leaves half a row.
const SINK_BYTES: usize = 1 << 16;

/// Where rows go: whole records gathered in `csv`'s buffer (JSON lines are
/// appended to the same buffer), written out in one piece when it is full.
struct Sink<W: Write> {
    out: W,
    csv: csv::Writer<Records>,
    json: bool,
}

/// The buffer the CSV writer writes into; a `RefCell` because `csv::Writer`
/// lends its inner writer out only by shared reference.
struct Records(std::cell::RefCell<Vec<u8>>);

impl Write for Records {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.get_mut().extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Sink<W> {
    /// Moves the finished records to the buffer, and writes the buffer out
    /// when it is full (or at the end, with `last`).
    fn commit(&mut self, last: bool) -> Result<()> {
        let io = Error::Write;
        self.csv.flush().map_err(io)?;
        let mut buf = self.csv.get_ref().0.borrow_mut();
        if buf.len() >= SINK_BYTES || last {
            self.out.write_all(&buf).map_err(io)?;
            buf.clear();
        }
        drop(buf);
        if last {
            self.out.flush().map_err(io)?;
        }
        Ok(())
    }
}

fn emit<W: Write>(
    sink: &mut Sink<W>,
    line: &mut Vec<u8>,
    rec: &csv::StringRecord,
    r: &RowOut,
    h: &Header,
) -> Result<()> {
    let v = RowView::of(rec, r, h);
    if sink.json {
        line.clear();
        serde_json::to_writer(&mut *line, &v).map_err(|e| Error::Write(e.into()))?;
        line.push(b'\n');
        sink.csv.flush().map_err(Error::Write)?;
        sink.csv.get_ref().0.borrow_mut().extend_from_slice(line);
        return sink.commit(false);
    }
    // CSV: the same view, `null` as an empty field.
    let w = &mut sink.csv;
    let mut nums = itoa_pair(v.elapsed_seconds, v.remaining_seconds);
    let (elapsed, remaining) = nums.split();
    let fields = [
        v.id,
        v.plan,
        v.priority.unwrap_or(""),
        v.opened,
        v.deadline.unwrap_or(""),
        v.responded.unwrap_or(""),
        v.state.unwrap_or(""),
        elapsed,
        remaining,
        v.error.unwrap_or(""),
    ];
    // Fields from the input (and messages quoting it) are escaped; the ones
    // slacalc printed itself (instants, state, numbers) cannot hold a
    // control character.
    const PRINTED: [bool; 10] = [false, false, false, false, true, false, true, true, true, false];
    for (i, f) in fields.iter().copied().chain(v.extras.values()).enumerate() {
        let f = if PRINTED.get(i) == Some(&true) { Cow::Borrowed(f) } else { escape_controls(f) };
        w.write_field(f.as_bytes()).map_err(write_error)?;
    }
    w.write_record(None::<&[u8]>).map_err(write_error)?;
    sink.commit(false)
}

/// Two optional integers printed into one small buffer.
struct Nums {
    buf: String,
    split: usize,
}

impl Nums {
    fn split(&mut self) -> (&str, &str) {
        self.buf.split_at(self.split)
    }
}

fn itoa_pair(a: Option<i64>, b: Option<i64>) -> Nums {
    use std::fmt::Write as _;
    let mut buf = String::with_capacity(24);
    if let Some(a) = a {
        let _ = write!(buf, "{a}");
    }
    let split = buf.len();
    if let Some(b) = b {
        let _ = write!(buf, "{b}");
    }
    Nums { buf, split }
}
