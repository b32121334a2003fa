//! `batch`: a whole ticket export through the same deadline/status functions
//! as the single commands, streamed row by row (memory does not grow with the
//! input). Plans and priorities are resolved once per distinct (plan,
//! priority) pair; a bad row gets its message in `error` and the rest go on.

use std::io::{Read, Write};
use std::sync::Arc;

use chrono_tz::Tz;
use serde::Serialize;
use serde::ser::SerializeMap;

use crate::error::{Error, Result};
use rustc_hash::FxHashMap;

use crate::engine::Calendar;
use crate::instant::{Display, parse_instant_in, write_instant_bytes, write_with_offset_bytes};
use crate::io::plain::{Block, BlockNext, Joined, Next, Record, Source, text_record};
use crate::io::{MAX_RECORD_BYTES, Problem, Records, Row, RowFormat, Spill};
use crate::loader::PlanSet;
use crate::mapping::{DurationUnit, Mapping};
use crate::plan::lifecycle::Metric;
use crate::sla::{self, ClockState, Resolved};

mod csv_row;

use crate::offsets::OffsetMemo;
use csv_row::{RowWriter, is_plain};

/// The output columns of a `first_response` run, in order, before any extra
/// input columns ([`columns`] gives them for any metric).
pub(crate) const COLUMNS: [&str; 11] = [
    "id",
    "plan",
    "priority",
    "metric",
    "opened",
    "deadline",
    "responded",
    "state",
    "elapsed_seconds",
    "remaining_seconds",
    "error",
];

/// The output columns of a run measuring `metric`: [`COLUMNS`], the stop
/// column named after the input column the clock stops at (`responded`,
/// or `resolved` for resolution), so an analyst reads the same name in and
/// out, and output fed back in reads the same stops.
pub(crate) fn columns(metric: Metric) -> [&'static str; 11] {
    let mut c = COLUMNS;
    c[6] = stop_field(metric);
    c
}

/// The input column a metric's clock stops at: `responded`, or `resolved`.
pub(crate) fn stop_field(metric: Metric) -> &'static str {
    if metric == Metric::Resolution { "resolved" } else { "responded" }
}

/// The input column holding the wall-clock time from `opened` to the stop:
/// `responded_after`, or `resolved_after`.
pub(crate) fn after_field(metric: Metric) -> &'static str {
    if metric == Metric::Resolution { "resolved_after" } else { "responded_after" }
}

/// How a batch run behaves.
#[derive(Debug, Clone)]
pub struct BatchOptions {
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
    pub format: RowFormat,
    /// Stop at the first bad row; a row opened after now is then an error,
    /// not left out.
    pub strict: bool,
    /// The clock each row measures: `first_response` or `resolution`.
    pub metric: Metric,
    /// Keep only rows opened on or after this date (days since 1970-01-01,
    /// in the row's plan zone); `None`: no lower bound.
    pub from_day: Option<i64>,
    /// Keep only rows opened on or before this date (inclusive), as `from_day`.
    pub to_day: Option<i64>,
}

/// Counts reported at the end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Input columns named like output columns (yesterday's output fed back
    /// in): replaced by the fresh values, each printed once.
    pub replaced_columns: Vec<String>,
    /// Input columns passed through under another name, as (name, printed
    /// as): a second column of one name (`note`, `note_2`), or one named like
    /// a field that `--columns` reads from another column.
    pub renamed_columns: Vec<(String, String)>,
    /// Rows written: the rows read but those left out.
    pub rows: u64,
    /// Rows left out because they were opened after now (not with `strict`).
    pub after_now: u64,
    /// Rows left out because they were opened outside `from_day..=to_day`.
    pub out_of_range: u64,
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
    /// Both names print as they are ([`is_plain`]): checked once, not per row.
    names_plain: bool,
}

/// The cache entry of a pair: resolved, or the error every such row gets.
type Cached = std::result::Result<Arc<Entry>, Arc<str>>;

/// What one row came to. Its instants are printed as the row is written
/// ([`Printer`]), straight into the output.
#[derive(Debug, Default)]
struct RowOut {
    entry: Option<Arc<Entry>>,
    opened: Option<i64>,
    deadline: Option<i64>,
    /// The stop as of now (`None` when it has not happened, or is unknown).
    stop: Option<i64>,
    state: Option<ClockState>,
    elapsed: Option<i64>,
    remaining: Option<i64>,
    error: Option<String>,
    /// The row is left out: no output row.
    skip: Option<Skip>,
}

/// Why a row is left out of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    /// Opened after now (SPEC §9: rows are read as of now).
    AfterNow,
    /// Opened outside `--from`/`--to`.
    OutOfRange,
}

impl RowOut {
    fn clear(&mut self) {
        self.entry = None;
        self.opened = None;
        self.deadline = None;
        self.stop = None;
        self.state = None;
        self.elapsed = None;
        self.remaining = None;
        self.error = None;
        self.skip = None;
    }
}

/// Prints a row's instants: in its plan's zone (the default), with offsets
/// from the zone's calendar, remembered for the span they hold
/// ([`OffsetMemo`]); else as `--utc` or `--tz` says.
struct Printer<'a> {
    offsets: &'a mut OffsetMemo,
    display: Option<Display>,
}

impl Printer<'_> {
    fn print(&mut self, buf: &mut Vec<u8>, entry: &Entry, t: i64) {
        match self.display {
            None => write_with_offset_bytes(buf, t, Some(self.offsets.offset(&entry.zone_cal, t))),
            Some(d) => write_instant_bytes(buf, t, d),
        }
    }
}

/// The columns a row may be read from: the stop columns of both metrics are
/// never "computed", so the one a run does not read passes through.
const INPUTS: [&str; 6] = ["id", "plan", "priority", "opened", "responded", "resolved"];

/// Column positions in the input header.
struct Header {
    id: usize,
    plan: Option<usize>,
    priority: Option<usize>,
    opened: usize,
    /// The metric's stop column (`responded` or `resolved`).
    stop: Option<usize>,
    /// The metric's duration column (`responded_after` or `resolved_after`).
    after: Option<usize>,
    /// The input has a stop or duration column of the other metric.
    other_stop: bool,
    pauses: Option<usize>,
    /// The output columns of this run ([`columns`]).
    columns: [&'static str; 11],
    /// The run's metric, as printed in the `metric` column.
    metric: &'static str,
    extras: Vec<(usize, String)>,
    /// Input columns named like computed output columns, left out.
    replaced: Vec<String>,
    /// Extra columns whose name is taken in the output: (name, printed as).
    renamed: Vec<(String, String)>,
    /// Value maps and defaults.
    map: Mapping,
    /// Whether any value is mapped (else rows skip the look-up).
    mapped_values: bool,
}

/// The fields a batch export may map to its own columns.
pub(crate) const FIELDS: [&str; 9] =
    ["id", "plan", "priority", "opened", "responded", "pauses", "resolved", "responded_after", "resolved_after"];

/// The fields whose values a batch profile may map (`[values.plan]`, …).
pub(crate) const VALUED: [&str; 2] = ["plan", "priority"];

impl Header {
    fn read(h: &csv::StringRecord, map: &Mapping, metric: Metric) -> Result<Header> {
        let names: Vec<String> = h.iter().map(|c| c.trim().trim_start_matches('\u{feff}').to_lowercase()).collect();
        if names.iter().all(String::is_empty) {
            return Err(Error::Input(format!("batch input is empty (expected a header {EXPECTED_HEADER})")));
        }
        let find = |field: &str| {
            let want = map.column(field).trim().to_lowercase();
            names.iter().position(|c| *c == want)
        };
        // With a default, a column may be absent.
        let required =
            [("id", false), ("plan", map.plan.is_some()), ("priority", map.priority.is_some()), ("opened", false)];
        let missing: Vec<&str> =
            required.iter().filter(|(f, default)| !default && find(f).is_none()).map(|(f, _)| *f).collect();
        let (Some(id), Some(opened), true) = (find("id"), find("opened"), missing.is_empty()) else {
            let found: Vec<usize> = FIELDS.iter().filter_map(|f| find(f)).collect();
            return Err(missing_columns(&missing, h, &names, &found, map));
        };
        let (plan, priority) = (find("plan"), find("priority"));
        let (stop, after, pauses) = (find(stop_field(metric)), find(after_field(metric)), find("pauses"));
        let other = if metric == Metric::Resolution { Metric::FirstResponse } else { Metric::Resolution };
        let other_stop = find(stop_field(other)).is_some() || find(after_field(other)).is_some();
        // A column whose values a profile maps (Organization → plan) also
        // passes through as the export wrote it, under its own name: the
        // output's plan is the mapped value, and an analyst still groups by
        // the organisation (`report --by plan,Organization`).
        let source = |col: Option<usize>, field: &str| col.filter(|&i| !(map.maps_values(field) && names[i] != field));
        let used: Vec<usize> = [Some(id), source(plan, "plan"), source(priority, "priority"), Some(opened), stop]
            .into_iter()
            .flatten()
            .collect();
        let columns = columns(metric);
        let computed = |n: &str| columns.contains(&n) && !INPUTS.contains(&n);
        // Names in the output so far (lowercased: slacalc reads header names
        // in any case): the contract columns, then each extra as it comes. An
        // extra whose name is taken (a second "note"; an "id" column when
        // --columns reads the id from another) is passed through renamed,
        // "note_2", to a name no input column has.
        let mut taken: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
        let (mut extras, mut renamed) = (Vec::new(), Vec::new());
        for (i, n) in h.iter().enumerate() {
            if used.contains(&i) || computed(&names[i]) {
                continue;
            }
            let name = if taken.contains(&names[i]) {
                let base = n.trim().trim_start_matches('\u{feff}');
                let free = (2..)
                    .map(|k| format!("{base}_{k}"))
                    .find(|c| {
                        let c = c.to_lowercase();
                        !taken.contains(&c) && !names.contains(&c)
                    })
                    .unwrap_or_default();
                renamed.push((base.to_string(), free.clone()));
                free
            } else {
                n.to_string()
            };
            taken.push(name.to_lowercase());
            extras.push((i, name));
        }
        Ok(Header {
            id,
            plan,
            priority,
            opened,
            stop,
            after,
            other_stop,
            pauses,
            columns,
            metric: metric.as_str(),
            extras,
            replaced: h
                .iter()
                .enumerate()
                .filter(|(i, _)| computed(&names[*i]))
                .map(|(_, n)| n.trim().to_string())
                .collect(),
            renamed,
            map: map.clone(),
            mapped_values: VALUED.iter().any(|f| map.maps_values(f)),
        })
    }

    /// The row's plan as slacalc names it: mapped, else the default (an
    /// empty cell is not mapped).
    ///
    /// A value the profile's `[values.plan]` does not name is the row's
    /// error, naming the map.
    fn plan<'a>(&'a self, rec: &Record<'a>) -> std::result::Result<&'a str, String> {
        let raw = cell(self.plan, rec);
        if raw.is_empty() {
            Ok(self.map.plan.as_deref().unwrap_or(""))
        } else if self.mapped_values {
            match self.map.map_value("plan", self.map.column("plan"), raw)? {
                // Mapped to nothing ("*" = ""): as an empty cell.
                "" => self.map.plan.as_deref().ok_or_else(|| {
                    format!(
                        "{} \"{}\" is mapped to no plan by [values.plan] of {} (give --plan, or map it to a plan)",
                        crate::text::cut(self.map.column("plan"), 80),
                        crate::text::cut(raw, 80),
                        self.map.profile.as_deref().unwrap_or("the profile")
                    )
                }),
                p => Ok(p),
            }
        } else {
            // No value map (the usual case): no look-up per row.
            Ok(raw)
        }
    }

    /// The row's plan as printed on a row that could not be answered:
    /// mapped when the map names it, else as typed.
    fn plan_shown<'a>(&'a self, rec: &Record<'a>) -> &'a str {
        let raw = cell(self.plan, rec);
        if raw.is_empty() {
            self.map.plan.as_deref().unwrap_or("")
        } else if self.mapped_values {
            self.map.value("plan", raw)
        } else {
            raw
        }
    }

    /// The row's priority as printed: mapped (for `plan_id`'s own map when
    /// it is known) when a map names it, else as typed, else the default.
    fn priority_shown<'a>(&'a self, rec: &Record<'a>, plan_id: Option<&str>) -> &'a str {
        let raw = cell(self.priority, rec);
        if raw.is_empty() {
            self.map.priority.as_deref().unwrap_or("")
        } else if self.mapped_values {
            match plan_id {
                Some(id) => self.map.map_priority(id, "", raw).unwrap_or(raw),
                None => self.map.value("priority", raw),
            }
        } else {
            raw
        }
    }
}

/// Column `col` of `rec`, trimmed; empty when there is no such column.
fn cell<'a>(col: Option<usize>, rec: &Record<'a>) -> &'a str {
    col.and_then(|i| rec.get(i)).map_or("", crate::text::trim)
}

/// The header `batch` reads when nothing is mapped.
const EXPECTED_HEADER: &str = "id,plan,priority,opened[,responded][,pauses]";

/// Header names that often hold a field, for the `--columns` line an error
/// suggests.
const LIKELY: [(&str, &[&str]); 4] = [
    ("id", &["ticket id", "ticket_id", "ticket", "key", "issue key", "number", "ticket number", "id"]),
    ("plan", &["plan", "sla", "sla plan", "organization", "organisation", "customer", "account"]),
    ("priority", &["priority", "severity", "urgency"]),
    ("opened", &["created at", "created", "created_at", "opened", "opened at", "date opened", "submitted"]),
];

/// Every required column the header lacks, in one message, with the
/// `--columns` (and `--plan`/`--priority`) options to paste; `found` are
/// the columns read for other fields.
fn missing_columns(missing: &[&str], h: &csv::StringRecord, names: &[String], found: &[usize], map: &Mapping) -> Error {
    let got = crate::text::cut(&names.join(","), 200).into_owned();
    // One column that holds separators of another kind: the file is not
    // separated the way --delimiter says.
    let hint = crate::io::delimiter_hint(h, map.delimiter);
    let quoted = |f: &str| format!("\"{}\"", crate::text::cut(f, 80));
    let (named, plain): (Vec<&str>, Vec<&str>) = missing.iter().partition(|f| map.is_mapped(f));
    let mut parts = Vec::new();
    for f in &named {
        parts.push(format!("no {} column for {f} (named by --columns or --profile)", quoted(map.column(f))));
    }
    if !plain.is_empty() {
        let list: Vec<String> = plain.iter().map(|f| quoted(f)).collect();
        let list = match list.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        parts.push(format!("no {list} column"));
    }
    // The line to paste (unless the separator is the problem): the
    // columns already named, and for each missing field a likely column of
    // the header, else a placeholder.
    let mut fix = String::new();
    if hint.is_empty() {
        let mut guessed: Vec<usize> = Vec::new();
        let mut pairs = Vec::new();
        for f in FIELDS {
            let column = if missing.contains(&f) {
                let likely = LIKELY.iter().find(|(field, _)| *field == f).map_or(&[][..], |(_, l)| l);
                let pick = likely.iter().find_map(|l| {
                    names.iter().position(|n| n == l).filter(|i| !guessed.contains(i) && !found.contains(i))
                });
                match pick {
                    Some(i) => {
                        guessed.push(i);
                        h.get(i).unwrap_or("").trim().trim_start_matches('\u{feff}').to_string()
                    }
                    None => "COLUMN".to_string(),
                }
            } else if map.is_mapped(f) {
                map.column(f).to_string()
            } else {
                continue;
            };
            pairs.push(format!("{f}=\"{}\"", crate::text::cut(&column, 80).replace('\'', "'\\''")));
        }
        fix = format!("; add: --columns '{}'", pairs.join(","));
        let defaults: Vec<&str> = missing
            .iter()
            .filter_map(|f| match *f {
                "plan" => Some("--plan PLAN"),
                "priority" => Some("--priority NAME"),
                _ => None,
            })
            .collect();
        if !defaults.is_empty() {
            fix.push_str(&format!(" (or one for every row: {})", defaults.join(" ")));
        }
    }
    Error::Input(format!(
        "batch input has {} (expected a header {EXPECTED_HEADER}, or --columns/--profile to name yours; got: {got}){hint}{fix}",
        parts.join(", ")
    ))
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
    opts: &BatchOptions,
    progress: impl FnMut(u64),
) -> Result<Summary> {
    run_jobs(plans, input, out, opts, 1, progress)
}

/// What the header says about the run, told before the first row is
/// answered ([`run_noted`]): the note for the user, without `note: `.
///
/// `other_metric` says the input has the stop (or duration) column of the
/// other metric: a ticket export with a solved time but no first-reply
/// time is measured for resolution, and the note says how.
pub(crate) fn header_notes(opts: &BatchOptions, stop_mapped: bool, other_metric: bool) -> Option<String> {
    if stop_mapped {
        return None;
    }
    let (stop, after) = (stop_field(opts.metric), after_field(opts.metric));
    let state = if opts.metric == Metric::Resolution { "unresolved" } else { "unanswered" };
    let other = match opts.metric {
        Metric::Resolution => "; it has a responded column: --metric first_response measures that",
        _ => "; it has a resolved column: --metric resolution measures that",
    };
    Some(format!(
        "no {stop} column: every ticket is measured as {state} as of now (name one with --columns {stop}=COLUMN or {after}=COLUMN){}",
        if other_metric { other } else { "" }
    ))
}

/// Rows handed to a worker at a time by [`run_jobs`].
const CHUNK_ROWS: usize = 4096;

/// Most worker threads [`run_jobs`] starts (`--jobs` above it is refused by
/// the CLI; the library takes it as this many). The reading and writing
/// thread is the limit well before: more threads would only hold more
/// chunks in memory.
pub(crate) const MAX_JOBS: usize = 64;

/// [`run`] on `jobs` threads: this one reads the input and writes the
/// output; `jobs` workers answer chunks of `CHUNK_ROWS` rows, and the
/// chunks are written in input order, at the same points as one job writes
/// ([`Spill`]), so the output is byte for byte that of one job, also when
/// the run fails (a quote never closed leaves nothing on stdout early in the
/// file, as with one job). At most two chunks per worker are in flight
/// (memory stays bounded). `jobs` of 0 or 1 answers every row on this
/// thread, as does a run where no worker thread could be started; `jobs` is
/// taken as at most [`MAX_JOBS`].
///
/// # Errors
/// As [`run`]; with `strict`, the first bad row in input order.
pub(crate) fn run_jobs(
    plans: &PlanSet,
    input: impl Read,
    out: impl Write,
    opts: &BatchOptions,
    jobs: usize,
    progress: impl FnMut(u64),
) -> Result<Summary> {
    run_noted(plans, input, out, opts, jobs, progress, |_| {})
}

/// [`run_jobs`], calling `note` with what the header says (see
/// [`header_notes`]) once it is read, before any row is answered or
/// written.
///
/// # Errors
/// As [`run_jobs`].
pub(crate) fn run_noted(
    plans: &PlanSet,
    input: impl Read,
    mut out: impl Write,
    opts: &BatchOptions,
    jobs: usize,
    mut progress: impl FnMut(u64),
    mut note: impl FnMut(&str),
) -> Result<Summary> {
    // Plain lines read straight from a buffer; from the first line that is
    // not, the guarded reader (bounded records, unclosed quotes refused, one
    // line count: crate::io::plain, crate::io::input).
    let delimiter = opts.mapping.delimiter;
    let (h, mut reader) = Source::open(input, delimiter)?;
    let header = Header::read(&h, &opts.mapping, opts.metric)?;
    if let Some(n) = header_notes(opts, header.stop.is_some() || header.after.is_some(), header.other_stop) {
        note(&n);
    }
    let mut summary = Summary {
        replaced_columns: header.replaced.clone(),
        renamed_columns: header.renamed.clone(),
        ..Summary::default()
    };
    let mut first = Worker::new(opts);
    if !first.sink.json {
        let mut cols: Vec<&str> = header.columns.to_vec();
        cols.extend(header.extras.iter().map(|(_, n)| n.as_str()));
        first.sink.csv.write_record(&cols).map_err(write_error)?;
        // Rows are written straight into the buffer, after the header.
        first.sink.csv.flush().map_err(Error::Write)?;
    }
    let jobs = jobs.min(MAX_JOBS);
    if jobs > 1 {
        let head = std::mem::take(&mut *first.sink.csv.get_ref().borrow_mut());
        match run_workers(plans, &mut reader, &mut out, opts, &header, jobs, head, summary, &mut progress)? {
            Workers::Ran(summary) => return Ok(summary),
            Workers::NoThread(head, s) => {
                // No worker thread could be started: answer on this one.
                *first.sink.csv.get_ref().borrow_mut() = head;
                summary = s;
            }
        }
    }
    let (mut record, mut joined) = (csv::StringRecord::new(), Joined::default());
    while let Some((r, rec)) = reader.next_record(&mut record, &mut joined, delimiter)? {
        first.row(plans, rec, r, &header, opts, &mut summary)?;
        first.spill(&mut out, false)?;
        if summary.rows.is_multiple_of(65_536) {
            progress(summary.rows);
        }
    }
    first.spill(&mut out, true)?;
    Ok(summary)
}

/// How [`run_workers`] ended.
enum Workers {
    /// The run is done.
    Ran(Summary),
    /// No thread could be started; nothing was read or written (the header
    /// and the summary are handed back).
    NoThread(Vec<u8>, Summary),
}

/// What a worker hands back for a chunk: its counts, and the error that
/// stopped it (with `strict`), after the rows before it. Its output bytes
/// are in the chunk's `out`.
type Answer = (Summary, Option<Error>);

/// The threaded part of [`run_jobs`]: `head` is the output so far (the CSV
/// header), written with the rows as [`Spill`] says.
///
/// While the input is plain lines, this thread only reads: it hands out
/// blocks of whole lines ([`io::plain::Lines::block`]), copied as they were
/// read, with the line number of the first, and each worker reads its
/// block's lines itself ([`Block`]), as one job would have read them. A
/// worker that meets a line this path does not read (a quote, a CR, a line
/// too long) answers the lines before it and says where it stopped; the
/// bytes from there on (that block's, the later blocks', whose answers are
/// dropped, and the rest of the input) then go to the guarded reader, as
/// with one job, and this thread reads their records and hands them out in
/// chunks of [`CHUNK_ROWS`].
///
/// [`io::plain::Lines::block`]: crate::io::plain::Lines::block
#[allow(clippy::too_many_arguments)]
fn run_workers<R: Read>(
    plans: &PlanSet,
    reader: &mut Source<R>,
    out: &mut impl Write,
    opts: &BatchOptions,
    header: &Header,
    jobs: usize,
    head: Vec<u8>,
    mut summary: Summary,
    progress: &mut impl FnMut(u64),
) -> Result<Workers> {
    let delimiter = opts.mapping.delimiter;
    std::thread::scope(|scope| -> Result<Workers> {
        let (work_tx, work_rx) = std::sync::mpsc::sync_channel::<(u64, Chunk)>(jobs);
        let work_rx = std::sync::Arc::new(std::sync::Mutex::new(work_rx));
        let (done_tx, done_rx) = std::sync::mpsc::channel::<(u64, Chunk, Answer)>();
        let mut started = 0usize;
        for _ in 0..jobs {
            let (work_rx, done_tx) = (std::sync::Arc::clone(&work_rx), done_tx.clone());
            let worker = move || {
                let mut w = Worker::new(opts);
                loop {
                    // A poisoned lock or a closed channel: no more work.
                    let next = work_rx.lock().map_err(drop).and_then(|rx| rx.recv().map_err(drop));
                    let Ok((seq, mut chunk)) = next else { return };
                    let answer = w.chunk(plans, &mut chunk, header, opts);
                    if done_tx.send((seq, chunk, answer)).is_err() {
                        return;
                    }
                }
            };
            // A thread that cannot be started (a process or memory limit):
            // the ones that could do the work; the output is the same.
            if std::thread::Builder::new().spawn_scoped(scope, worker).is_err() {
                break;
            }
            started += 1;
        }
        drop(done_tx);
        if started == 0 {
            return Ok(Workers::NoThread(head, summary));
        }
        let stopped = || Error::Write(std::io::Error::other("a batch worker stopped"));
        let mut spill = Spill::new(head);
        let mut spare: Vec<Chunk> = Vec::new();
        let mut pending: std::collections::BTreeMap<u64, (Chunk, Answer)> = Default::default();
        let (mut sent, mut written, mut eof) = (0u64, 0u64, false);
        // A read error ends the reading; the rows before it are still
        // answered and written, as with one job, then it is returned.
        let mut read_error = None;
        // The blocks end at a line the guarded reader reads: once every
        // block handed out is answered (one may stop earlier), it does.
        let mut guard_next = false;
        loop {
            if guard_next && written == sent {
                guard_next = false;
                if let Err(e) = reader.guard(delimiter) {
                    read_error = Some(e);
                    eof = true;
                }
            }
            // Keep every worker busy, two chunks ahead at most.
            while !eof && !guard_next && sent - written < 2 * started as u64 {
                let mut chunk = spare.pop().unwrap_or_default();
                chunk.len = 0;
                chunk.first_line = None;
                if let Source::Fast(lines) = reader {
                    match lines.block(&mut chunk.bytes, BLOCK_BYTES) {
                        BlockNext::Lines(first) => chunk.first_line = Some(first),
                        BlockNext::End => {
                            eof = true;
                            spare.push(chunk);
                            break;
                        }
                        BlockNext::Other if written < sent => {
                            guard_next = true;
                            spare.push(chunk);
                            break;
                        }
                        BlockNext::Other => {
                            if let Err(e) = reader.guard(delimiter) {
                                read_error = Some(e);
                                eof = true;
                                break;
                            }
                        }
                    }
                }
                if chunk.first_line.is_none() {
                    while chunk.len < CHUNK_ROWS {
                        if chunk.records.len() == chunk.len {
                            chunk.records.push((csv::StringRecord::new(), Row { line: 0, problem: None }));
                        }
                        let (rec, row) = &mut chunk.records[chunk.len];
                        let read = match reader {
                            Source::Guarded(csv) => csv.read(rec),
                            _ => Ok(None),
                        };
                        match read {
                            Ok(Some(r)) => *row = r,
                            Ok(None) => {
                                eof = true;
                                break;
                            }
                            Err(e) => {
                                read_error = Some(e);
                                eof = true;
                                break;
                            }
                        }
                        chunk.len += 1;
                    }
                    if chunk.len == 0 {
                        break;
                    }
                }
                if work_tx.send((sent, chunk)).is_err() {
                    return Err(stopped());
                }
                sent += 1;
            }
            if written == sent {
                if guard_next {
                    continue;
                }
                break;
            }
            let Ok((seq, chunk, answer)) = done_rx.recv() else {
                return Err(stopped());
            };
            pending.insert(seq, (chunk, answer));
            while let Some((chunk, (part, failed))) = pending.remove(&written) {
                spill.push(&chunk.out, out)?;
                if let Some(e) = failed {
                    return Err(e);
                }
                let before = summary.rows;
                summary.add(&part);
                if before / 65_536 != summary.rows / 65_536 {
                    progress(summary.rows);
                }
                written += 1;
                if let Some((at, line)) = chunk.stop {
                    // The guarded reader reads on from the line this block
                    // stopped at: its bytes, then the later blocks' (their
                    // answers dropped), then the rest of the input.
                    let mut unread = chunk.bytes[at..].to_vec();
                    while (pending.len() as u64) < sent - written {
                        let Ok((seq, chunk, answer)) = done_rx.recv() else {
                            return Err(stopped());
                        };
                        pending.insert(seq, (chunk, answer));
                    }
                    for (_, (later, _)) in std::mem::take(&mut pending) {
                        unread.extend_from_slice(&later.bytes);
                        spare.push(later);
                    }
                    sent = written;
                    guard_next = false;
                    match reader.guard_after(&unread, line, delimiter) {
                        Ok(()) => eof = false,
                        Err(e) => {
                            read_error = Some(e);
                            eof = true;
                        }
                    }
                }
                spare.push(chunk);
            }
        }
        drop(work_tx);
        if let Some(e) = read_error {
            return Err(e);
        }
        spill.finish(out)?;
        Ok(Workers::Ran(summary))
    })
}

/// Bytes of plain lines handed to a worker at a time by [`run_workers`]
/// (about 1,800 rows of a usual export). The unit tests hand out blocks of
/// a few rows, so that their inputs cross many block ends.
const BLOCK_BYTES: usize = if cfg!(test) { 300 } else { 128 * 1024 };

/// Work for a worker, reused from chunk to chunk: a block of plain lines
/// (`bytes`, from line `first_line`), or the first `len` of `records` (read
/// by the guarded reader); `out` gets their output rows.
#[derive(Default)]
struct Chunk {
    bytes: Vec<u8>,
    /// The line of the block's first byte; `None`: the chunk is `records`.
    first_line: Option<u64>,
    /// Where the block's reader stopped at a line it does not read, and
    /// that line's number ([`Block::stop`]).
    stop: Option<(usize, u64)>,
    records: Vec<(csv::StringRecord, Row)>,
    len: usize,
    out: Vec<u8>,
    /// Buffers of the worker's reading, kept from chunk to chunk.
    ends: Vec<usize>,
    joined: Joined,
}

impl Summary {
    fn add(&mut self, o: &Summary) {
        self.rows += o.rows;
        self.after_now += o.after_now;
        self.out_of_range += o.out_of_range;
        self.breached += o.breached;
        self.at_risk += o.at_risk;
        self.missed += o.missed;
        self.errors += o.errors;
    }
}

/// What answering rows needs: the pair cache, the offset memo, and the
/// buffer the output rows are written into.
struct Worker {
    cache: PairCache,
    offsets: OffsetMemo,
    out: RowOut,
    sink: Sink,
    /// A JSON line, and its instants ([`emit`]).
    line_buf: [Vec<u8>; 2],
    /// The record a row over the limit is written from (its id alone).
    short: Joined,
}

impl Worker {
    fn new(opts: &BatchOptions) -> Worker {
        Worker {
            cache: PairCache::default(),
            offsets: OffsetMemo::default(),
            out: RowOut::default(),
            sink: Sink {
                csv: csv::WriterBuilder::new().from_writer(Records::default()),
                core: csv_core::Writer::new(),
                json: opts.format == RowFormat::JsonLines,
            },
            line_buf: [Vec::with_capacity(256), Vec::with_capacity(64)],
            short: Joined::default(),
        }
    }

    /// Answers a chunk into its `out`: the counts, and the error that
    /// stopped it (with `strict`), its `out` then holding the rows before.
    fn chunk(&mut self, plans: &PlanSet, chunk: &mut Chunk, h: &Header, opts: &BatchOptions) -> Answer {
        let mut part = Summary::default();
        let mut failed = None;
        let delimiter = opts.mapping.delimiter;
        chunk.stop = None;
        if let Some(first) = chunk.first_line {
            let mut block = Block::new(&chunk.bytes, first, delimiter, std::mem::take(&mut chunk.ends));
            loop {
                match block.next() {
                    Next::Record(line) => {
                        let (bytes, ends) = block.line();
                        let (r, rec) = text_record(line, bytes, ends, delimiter, &mut chunk.joined);
                        if let Err(e) = self.row(plans, rec, r, h, opts, &mut part) {
                            failed = Some(e);
                            break;
                        }
                    }
                    Next::End => break,
                    Next::Other => {
                        chunk.stop = Some(block.stop());
                        break;
                    }
                }
            }
            chunk.ends = block.into_ends();
        } else {
            for (rec, r) in &chunk.records[..chunk.len] {
                chunk.joined.fill(rec.iter());
                if let Err(e) = self.row(plans, chunk.joined.record(), *r, h, opts, &mut part) {
                    failed = Some(e);
                    break;
                }
            }
        }
        chunk.out.clear();
        if let Err(e) = self.spill(&mut chunk.out, true) {
            failed.get_or_insert(e);
        }
        (part, failed)
    }

    /// Answers one record and writes its output row into the buffer.
    fn row(
        &mut self,
        plans: &PlanSet,
        record: Record<'_>,
        Row { line, problem }: Row,
        header: &Header,
        opts: &BatchOptions,
        summary: &mut Summary,
    ) -> Result<()> {
        let out = &mut self.out;
        if problem == Some(Problem::NotUtf8) {
            // A row that is not UTF-8 still gets its output row.
            out.clear();
            out.error = Some("row is not valid UTF-8".into());
            summary.rows += 1;
            summary.errors += 1;
            if opts.strict {
                return Err(Error::NotUtf8 { what: "row".into() }.at_line(None, line));
            }
            self.short.clear();
            let mut p = Printer { offsets: &mut self.offsets, display: opts.display };
            return emit(&mut self.sink, &mut self.line_buf, &self.short.record(), out, header, &mut p);
        }
        out.clear();
        // A row over the limit was cut while reading: only its start is here.
        let record = if problem == Some(Problem::TooLong) {
            out.error = Some(format!("row is longer than {MAX_RECORD_BYTES} bytes"));
            // Its fields are not copied out: keep only a short id, so one
            // huge row does not make a huge output row.
            let id = record.get(header.id).filter(|id| id.len() <= 256).unwrap_or("");
            self.short.clear();
            for _ in 0..header.id {
                self.short.push("");
            }
            self.short.push(id);
            self.short.record()
        } else {
            row(plans, &record, header, opts, &mut self.cache, &mut self.offsets, out);
            record
        };
        match out.skip {
            Some(Skip::AfterNow) => {
                summary.after_now += 1;
                return Ok(());
            }
            Some(Skip::OutOfRange) => {
                summary.out_of_range += 1;
                return Ok(());
            }
            None => summary.rows += 1,
        }
        match out.state {
            Some(ClockState::Breached) => summary.breached += 1,
            Some(ClockState::AtRisk) => summary.at_risk += 1,
            Some(ClockState::Missed) => summary.missed += 1,
            _ => {}
        }
        if let Some(e) = &out.error {
            summary.errors += 1;
            if opts.strict {
                return Err(Error::Input(e.clone()).at_line(None, line));
            }
        }
        let mut p = Printer { offsets: &mut self.offsets, display: opts.display };
        emit(&mut self.sink, &mut self.line_buf, &record, out, header, &mut p)
    }

    /// Writes the finished records to `out` when they fill the buffer (or
    /// at the end, with `last`, then flushes `out`).
    fn spill(&mut self, out: &mut impl Write, last: bool) -> Result<()> {
        self.sink.csv.flush().map_err(Error::Write)?;
        self.sink.csv.get_ref().commit(out, last)
    }
}

fn write_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Write(io),
        other => Error::Write(std::io::Error::other(format!("{other:?}"))),
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

/// The pair of a row whose plan (mapped) is `plan` and whose priority cell
/// is `cell` (as typed: the priority map, which may depend on the plan, is
/// applied here, once per distinct pair), for `metric`.
fn lookup(plans: &PlanSet, cache: &mut PairCache, plan: &str, cell: &str, h: &Header, metric: Metric) -> Cached {
    if let Some(c) = cache.map.get(plan).and_then(|m| m.get(cell)) {
        return c.clone();
    }
    if cache.pairs >= MAX_CACHED_PAIRS {
        cache.map.clear();
        cache.pairs = 0;
    }
    let resolved = resolve_pair(plans, plan, cell, h, metric).map_err(Arc::from);
    cache.map.entry(plan.to_string()).or_default().insert(cell.to_string(), resolved.clone());
    cache.pairs += 1;
    resolved
}

/// [`lookup`]'s work on a miss. An unknown name's message says where the
/// fix lives: the profile's value map that gave it, or the one that would
/// map it.
fn resolve_pair(
    plans: &PlanSet,
    plan: &str,
    cell: &str,
    h: &Header,
    metric: Metric,
) -> std::result::Result<Arc<Entry>, String> {
    let map = &h.map;
    let profile = map.profile.as_deref().unwrap_or("the profile");
    let p = plans.get(plan).map_err(|e| {
        if map.maps_values("plan") {
            format!("{e} (given by [values.plan] of {profile})")
        } else {
            format!("{e}; map yours with [values.plan] in a --profile")
        }
    })?;
    let (priority, mapped) = if cell.is_empty() {
        (map.priority.as_deref().unwrap_or(""), false)
    } else if map.maps_values("priority") {
        match map.map_priority(&p.id, map.column("priority"), cell)? {
            // Mapped to nothing ("*" = ""): as an empty cell.
            "" => (map.priority.as_deref().unwrap_or(""), false),
            to => (to, true),
        }
    } else {
        (cell, false)
    };
    let r = sla::resolve(p, (!priority.is_empty()).then_some(priority), metric, sla::Untracked::NoCommitment).map_err(
        |e| match e {
            Error::UnknownPriority { .. } if mapped => format!(
                "{e} (mapped from \"{}\" by [values.priority] of {profile}; map it for this plan with [values.priority.{}])",
                crate::text::cut(cell, 80),
                p.id
            ),
            Error::UnknownPriority { .. } if !cell.is_empty() => {
                let default = if map.priority.is_some() { " (--priority gives only empty cells)" } else { "" };
                format!("{e}; map it with [values.priority] in a --profile{default}")
            }
            e => e.to_string(),
        },
    )?;
    let priority = r.priority.clone().unwrap_or_default();
    Ok(Arc::new(Entry {
        zone: p.calendar.calendar.tz(),
        zone_cal: Arc::clone(&p.calendar.calendar),
        resolved: r,
        names_plain: is_plain(p.id.as_bytes()) && is_plain(priority.as_bytes()),
        plan_id: p.id.clone(),
        priority,
    }))
}

/// Answers one row into `out`, or marks it left out (`out.skip`).
fn row(
    plans: &PlanSet,
    rec: &Record<'_>,
    h: &Header,
    opts: &BatchOptions,
    cache: &mut PairCache,
    offsets: &mut OffsetMemo,
    out: &mut RowOut,
) {
    let field = |i: usize| rec.get(i).map_or("", crate::text::trim);
    let opened_s = field(h.opened);
    let plan_s = match h.plan(rec) {
        Ok(p) => p,
        Err(e) => {
            out.error = Some(e);
            return;
        }
    };
    let stop_s = h.stop.map(field).filter(|s| !s.is_empty());
    // The duration counts only where the stop column is empty.
    let after_s = if stop_s.is_none() { h.after.map(field).filter(|s| !s.is_empty()) } else { None };
    let pauses_s = h.pauses.map(field).filter(|s| !s.is_empty());
    if plan_s.is_empty() {
        out.error = Some("plan is empty (expected a plan id or alias, e.g. apizee-gold or gold)".into());
        return;
    }
    let entry = match lookup(plans, cache, plan_s, cell(h.priority, rec), h, opts.metric) {
        Ok(e) => e,
        Err(e) => {
            out.error = Some(e.to_string());
            return;
        }
    };
    let input_zone = opts.input_zone.unwrap_or(entry.zone);
    let disp = opts.display.unwrap_or(Display::Zone(entry.zone));
    let answer = (|| -> Result<Option<sla::StatusAnswer>> {
        if opened_s.is_empty() {
            return Err(Error::Empty { what: "opened".into(), expected: "the time the ticket was opened".into() });
        }
        let (format, ambiguous) = (&opts.mapping.time_format, opts.mapping.ambiguous);
        let opened = parse_instant_in(opened_s, input_zone, opts.now, format, ambiguous).map_err(|e| e.of("opened"))?;
        if opts.from_day.is_some() || opts.to_day.is_some() {
            // The date the ticket was opened on, in its plan's zone.
            let day = (opened + offsets.offset(&entry.zone_cal, opened)).div_euclid(86_400);
            if opts.from_day.is_some_and(|d| day < d) || opts.to_day.is_some_and(|d| day > d) {
                out.skip = Some(Skip::OutOfRange);
                return Ok(None);
            }
        }
        let opened_at =
            sla::Given { what: "opened", at: crate::Timestamp::from_secs(opened), typed: "", quoted: false };
        if opened > opts.now {
            if !opts.strict {
                out.skip = Some(Skip::AfterNow);
                return Ok(None);
            }
            // --strict: the ticket's refusal, before its stop is read.
            sla::Ticket::new(opened_at, None, crate::Timestamp::from_secs(opts.now), sla::StopAfterNow::NotYet, disp)?;
        }
        let stop_name = stop_field(opts.metric);
        let stop = match (stop_s, after_s) {
            (Some(s), _) => {
                let t = parse_instant_in(s, input_zone, opts.now, format, ambiguous).map_err(|e| e.of(stop_name))?;
                Some(sla::Given { what: stop_name, at: crate::Timestamp::from_secs(t), typed: s, quoted: true })
            }
            (None, Some(d)) => {
                let secs = parse_after(d, opts.mapping.duration_unit, after_field(opts.metric))?;
                let t = opened.checked_add(secs).ok_or_else(|| Error::OutOfRange {
                    what: format!("{} \"{}\"", after_field(opts.metric), crate::text::cut(d, 40)),
                    range: "a stop in the years 1583 to 9999".into(),
                })?;
                // Never before opened: the duration is not negative.
                Some(sla::Given { what: stop_name, at: crate::Timestamp::from_secs(t), typed: "", quoted: false })
            }
            (None, None) => None,
        };
        let now = crate::Timestamp::from_secs(opts.now);
        // Most rows: no pauses and nothing to refuse, answered without the
        // ticket and its full answer; the rest (and every error, with its
        // message) as below. The same walk either way.
        if pauses_s.is_none()
            && let Some(s) = sla::row_status(&entry.resolved, opened_at.at, stop.as_ref().map(|g| g.at), now)
        {
            out.opened = Some(opened);
            out.deadline = s.deadline.map(crate::Timestamp::secs);
            out.stop = s.stop.map(crate::Timestamp::secs);
            out.state = Some(s.state);
            out.elapsed = Some(s.elapsed.secs());
            out.remaining = s.remaining.map(crate::WorkSpan::secs);
            return Ok(None);
        }
        // As of now: a stop after now has not happened yet.
        let ticket = sla::Ticket::new(opened_at, stop, now, sla::StopAfterNow::NotYet, disp)?;
        let pauses = match pauses_s {
            Some(p) => sla::parse_pause_list_as(p, input_zone, opts.now, "pauses", Some((format, ambiguous)))?,
            None => Vec::new(),
        };
        ticket.with_pauses(pauses).status(&entry.resolved, now, false).map(Some)
    })();
    match answer {
        Ok(Some(s)) => {
            out.opened = Some(s.deadline.opened.secs());
            out.deadline = s.deadline.deadline.map(crate::Timestamp::secs);
            out.stop = s.responded.map(crate::Timestamp::secs);
            out.state = Some(s.state);
            out.elapsed = Some(s.elapsed.secs());
            out.remaining =
                if s.state == ClockState::NoCommitment { None } else { s.remaining.map(crate::WorkSpan::secs) };
        }
        Ok(None) => {}
        Err(e) => out.error = Some(e.to_string()),
    }
    out.entry = Some(entry);
}

/// A duration column's value (`responded_after`, `resolved_after`): a plain
/// number of `unit`s, decimals allowed (`12.5`), or a duration as slacalc
/// writes them (`1h30m`, `90s`); truncated to the second.
///
/// # Errors
/// [`Error::Invalid`] naming the column, the value and the forms accepted.
fn parse_after(s: &str, unit: DurationUnit, what: &'static str) -> Result<i64> {
    let bad = || {
        let unit = match unit {
            DurationUnit::Seconds => "seconds",
            DurationUnit::Minutes => "minutes",
            DurationUnit::Hours => "hours",
        };
        Error::invalid(
            what,
            crate::text::cut(s, 40),
            format!("a number of {unit} (the profile's duration_unit) such as 90 or 12.5, or a duration such as 1h30m"),
        )
    };
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if !(whole.is_empty() && frac.is_empty())
        && digits(whole)
        && digits(frac)
        && (!whole.is_empty() || !frac.is_empty())
    {
        let per = unit.seconds();
        let w: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
        // At most nine decimals count (a nanosecond of an hour is below a second).
        let f = &frac[..frac.len().min(9)];
        let part = if f.is_empty() {
            0
        } else {
            let n: i64 = f.parse().map_err(|_| bad())?;
            n * per / 10i64.pow(f.len() as u32)
        };
        return w.checked_mul(per).and_then(|x| x.checked_add(part)).ok_or_else(bad);
    }
    crate::engine::parse_duration(s).map_err(|_| bad())
}

/// One output row, as JSON Lines and CSV show it: the contract columns in
/// order ([`columns`]: the stop column is named after the metric's), then
/// the extra input columns. Output values are canonical names when
/// resolved, else as typed (an error row keeps what the input said).
struct RowView<'a> {
    id: &'a str,
    plan: &'a str,
    priority: Option<&'a str>,
    metric: &'static str,
    opened: &'a str,
    deadline: Option<&'a str>,
    /// (`responded` or `resolved`, the stop).
    stop: (&'static str, Option<&'a str>),
    state: Option<&'static str>,
    elapsed_seconds: Option<i64>,
    remaining_seconds: Option<i64>,
    error: Option<&'a str>,
    extras: Extras<'a>,
}

impl Serialize for RowView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(11 + self.extras.header.extras.len()))?;
        m.serialize_entry("id", self.id)?;
        m.serialize_entry("plan", self.plan)?;
        m.serialize_entry("priority", &self.priority)?;
        m.serialize_entry("metric", self.metric)?;
        m.serialize_entry("opened", self.opened)?;
        m.serialize_entry("deadline", &self.deadline)?;
        m.serialize_entry(self.stop.0, &self.stop.1)?;
        m.serialize_entry("state", &self.state)?;
        m.serialize_entry("elapsed_seconds", &self.elapsed_seconds)?;
        m.serialize_entry("remaining_seconds", &self.remaining_seconds)?;
        m.serialize_entry("error", &self.error)?;
        for ((_, name), v) in self.extras.header.extras.iter().zip(self.extras.values()) {
            m.serialize_entry(name, v)?;
        }
        m.end()
    }
}

/// The input columns passed through, by name.
struct Extras<'a> {
    rec: &'a Record<'a>,
    header: &'a Header,
}

impl Extras<'_> {
    fn values(&self) -> impl Iterator<Item = &str> {
        self.header.extras.iter().map(|(i, _)| self.rec.get(*i).unwrap_or(""))
    }
}

impl<'a> RowView<'a> {
    /// `instants`: the row's opened, deadline and stop as printed (empty
    /// when the row has none).
    fn of(rec: &'a Record<'a>, r: &'a RowOut, h: &'a Header, instants: [&'a str; 3]) -> RowView<'a> {
        let field = |i: usize| rec.get(i).map_or("", crate::text::trim);
        let some = |v: &'a str| (!v.is_empty()).then_some(v);
        let (plan, priority) = match &r.entry {
            Some(e) => (
                e.plan_id.as_str(),
                if e.priority.is_empty() { h.priority_shown(rec, Some(&e.plan_id)) } else { e.priority.as_str() },
            ),
            None => (h.plan_shown(rec), h.priority_shown(rec, None)),
        };
        let [opened, deadline, stop] = instants;
        // An answered row shows its stop as of now (none: empty); an error
        // row what the input said.
        let stop = match (r.stop.is_none(), r.state.is_some()) {
            (false, _) => stop,
            (true, true) => "",
            (true, false) => h.stop.map_or("", field),
        };
        RowView {
            id: rec.get(h.id).unwrap_or(""),
            plan,
            priority: some(priority),
            metric: h.metric,
            opened: if r.opened.is_none() { field(h.opened) } else { opened },
            deadline: some(deadline),
            stop: (h.columns[6], some(stop)),
            state: r.state.map(ClockState::as_str),
            elapsed_seconds: r.elapsed,
            remaining_seconds: r.remaining,
            error: r.error.as_deref(),
            extras: Extras { rec, header: h },
        }
    }
}

/// Where rows go: whole records gathered in `csv`'s [`Records`] (JSON lines
/// are appended to the same buffer), written out in whole records by
/// [`Worker::spill`].
struct Sink {
    csv: csv::Writer<Records>,
    /// csv's field writer for the rows (`csv` writes only the header).
    core: csv_core::Writer,
    json: bool,
}

/// Writes the row into the sink; `line` and `printed` are buffers for a JSON
/// line and its instants.
fn emit(
    sink: &mut Sink,
    [line, printed]: &mut [Vec<u8>; 2],
    rec: &Record<'_>,
    r: &RowOut,
    h: &Header,
    p: &mut Printer,
) -> Result<()> {
    if sink.json {
        // The instants printed first, one after the other.
        printed.clear();
        let mut ends = [0; 3];
        for (end, t) in ends.iter_mut().zip([r.opened, r.deadline, r.stop]) {
            if let (Some(t), Some(e)) = (t, &r.entry) {
                p.print(printed, e, t);
            }
            *end = printed.len();
        }
        // Printed instants are ASCII: the check cannot fail.
        let text = |from: usize, to: usize| std::str::from_utf8(&printed[from..to]).unwrap_or_default();
        let instants = [text(0, ends[0]), text(ends[0], ends[1]), text(ends[1], ends[2])];
        let v = RowView::of(rec, r, h, instants);
        line.clear();
        serde_json::to_writer(&mut *line, &v).map_err(|e| Error::Write(e.into()))?;
        line.push(b'\n');
        sink.csv.flush().map_err(Error::Write)?;
        sink.csv.get_ref().borrow_mut().extend_from_slice(line);
        return Ok(());
    }
    emit_csv(sink, rec, r, h, p);
    Ok(())
}

/// The CSV row: [`RowView`]'s fields in order, `null` as an empty field,
/// written by [`RowWriter`].
fn emit_csv(sink: &mut Sink, rec: &Record<'_>, r: &RowOut, h: &Header, p: &mut Printer) {
    let field = |i: usize| rec.get(i).map_or("", crate::text::trim);
    let (plan, priority) = match &r.entry {
        Some(e) => (
            e.plan_id.as_str(),
            if e.priority.is_empty() { h.priority_shown(rec, Some(&e.plan_id)) } else { e.priority.as_str() },
        ),
        None => (h.plan_shown(rec), h.priority_shown(rec, None)),
    };
    let mut buf = sink.csv.get_ref().borrow_mut();
    // One check of the whole record (its fields' bytes, one after the
    // other) answers for every field taken from it.
    let record_plain = rec.plain();
    let mut w = RowWriter { buf: &mut buf, core: &mut sink.core, after_csv: false, record_plain };
    w.record_field(rec.get(h.id).unwrap_or(""));
    w.delimiter();
    match &r.entry {
        Some(e) if e.names_plain && !e.priority.is_empty() => {
            w.printed(e.plan_id.as_bytes());
            w.delimiter();
            w.printed(e.priority.as_bytes());
        }
        _ => {
            w.input(plan);
            w.delimiter();
            w.input(priority);
        }
    }
    w.delimiter();
    w.printed(h.metric.as_bytes());
    w.delimiter();
    let mut instant = |w: &mut RowWriter, t: Option<i64>| {
        if let (Some(t), Some(e)) = (t, &r.entry) {
            p.print(w.buf, e, t);
            w.after_csv = false;
        }
    };
    match r.opened {
        Some(_) => instant(&mut w, r.opened),
        None => w.record_field(field(h.opened)),
    }
    w.delimiter();
    instant(&mut w, r.deadline);
    w.delimiter();
    // As in [`RowView::of`]: an answered row's stop as of now, an error
    // row's as the input said.
    match (r.stop.is_none(), r.state.is_some(), h.stop) {
        (false, _, _) => instant(&mut w, r.stop),
        (true, false, Some(i)) => w.record_field(field(i)),
        (true, _, _) => {}
    }
    w.delimiter();
    w.printed(r.state.map_or("", ClockState::as_str).as_bytes());
    w.delimiter();
    w.number(r.elapsed);
    w.delimiter();
    w.number(r.remaining);
    w.delimiter();
    if let Some(e) = &r.error {
        w.input(e);
    }
    for (i, _) in &h.extras {
        w.delimiter();
        w.record_field(rec.get(*i).unwrap_or(""));
    }
    w.terminator();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(format: RowFormat, strict: bool) -> BatchOptions {
        let now = crate::instant::parse_instant("2026-12-31T00:00:00Z", chrono_tz::UTC, 0).unwrap();
        BatchOptions {
            mapping: Mapping::new(),
            now,
            input_zone: None,
            display: None,
            format,
            strict,
            metric: Metric::FirstResponse,
            from_day: None,
            to_day: None,
        }
    }

    /// Rows of every kind: good, unknown plan, bad time, not UTF-8, quoted.
    fn input(rows: usize) -> Vec<u8> {
        let mut s = b"id,plan,priority,opened,responded,note\n".to_vec();
        let plans = ["gold", "silver", "cloud", "free", "nope", "premium", ""];
        for i in 0..rows {
            let p = plans[i % plans.len()];
            let line = match i % 11 {
                3 => format!("T{i},{p},,yesterday,,x\n"),
                5 => format!("T{i},{p},,2026-03-0{}T09:00:00Z,,\"a,\"\"b\"\n", 1 + i % 9),
                _ => format!("T{i},{p},,2026-{:02}-1{}T0{}:30:00Z,,n{i}\n", 1 + i % 12, i % 10, i % 10),
            };
            s.extend_from_slice(line.as_bytes());
            if i % 997 == 0 {
                s.extend_from_slice(b"X,gold,,\xff\xfe,,\n");
            }
        }
        s
    }

    #[test]
    fn jobs_give_the_bytes_of_one_job_in_order() {
        let plans = PlanSet::load(&[]).unwrap();
        let text = input(3 * CHUNK_ROWS + 17);
        for format in [RowFormat::Csv, RowFormat::JsonLines] {
            let o = opts(format, false);
            let mut one = Vec::new();
            let s1 = run(&plans, &text[..], &mut one, &o, |_| {}).unwrap();
            for jobs in [2, 3, 8] {
                let mut many = Vec::new();
                let s = run_jobs(&plans, &text[..], &mut many, &o, jobs, |_| {}).unwrap();
                assert!(one == many, "{format:?} with {jobs} jobs");
                assert_eq!(s, s1);
            }
            assert!(s1.errors > 0 && s1.rows > 3 * CHUNK_ROWS as u64);
        }
    }

    /// A source that hands out `step` bytes per read (so blocks end where
    /// reads end, mid-line), then fails when `fail` says so.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
        fail: bool,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            if self.bytes.is_empty() && self.fail {
                self.fail = false;
                return Err(std::io::Error::other("disk on fire"));
            }
            let k = self.step.min(out.len()).min(self.bytes.len());
            out[..k].copy_from_slice(&self.bytes[..k]);
            self.bytes = &self.bytes[k..];
            Ok(k)
        }
    }

    /// `n` plain rows from line 2, each with its line number as id (and
    /// in its note), every `bad`-th with a bad time (0: none).
    fn plain_rows(n: usize, bad: usize) -> Vec<String> {
        let plans = [("gold", "minor"), ("silver", "moderate"), ("paying", ""), ("cirrus-free", "")];
        (0..n)
            .map(|i| {
                let line = i + 2;
                let opened = if bad > 0 && i % bad == bad - 1 {
                    "soon".to_string()
                } else {
                    format!("2026-{:02}-1{}T0{}:30:00Z", 1 + i % 12, i % 10, i % 10)
                };
                let (plan, priority) = plans[i % plans.len()];
                format!("L{line},{plan},{priority},{opened},,n{line}\n")
            })
            .collect()
    }

    /// One job and several give the same bytes, counts and error, CSV and
    /// JSON Lines, with and without `--strict`, read at once or a few bytes
    /// at a time (with a read error at the end, or not).
    fn same_with_jobs(text: &[u8], what: &str) {
        let plans = PlanSet::load(&[]).unwrap();
        for format in [RowFormat::Csv, RowFormat::JsonLines] {
            for strict in [false, true] {
                let o = opts(format, strict);
                for (step, fail) in [(usize::MAX, false), (997, false), (4093, true)] {
                    let mut one = Vec::new();
                    let want = run(&plans, Trickle { bytes: text, step, fail }, &mut one, &o, |_| {})
                        .map_err(|e| e.to_string());
                    for jobs in [2, 3] {
                        let mut many = Vec::new();
                        let src = Trickle { bytes: text, step, fail };
                        let got = run_jobs(&plans, src, &mut many, &o, jobs, |_| {}).map_err(|e| e.to_string());
                        let at = format!("{what}: {format:?}, strict {strict}, step {step}, fail {fail}, {jobs} jobs");
                        assert_eq!(got, want, "{at}");
                        assert!(one == many, "{at}: {} vs {} bytes", one.len(), many.len());
                    }
                }
            }
        }
    }

    /// Blocks of plain lines, then a line the guarded reader takes (a
    /// quoted field holding line ends, a CRLF, a quote left open, a line
    /// over the limit) at every place around a block's end: the blocks
    /// handed out after it are read again by the guarded reader, and rows,
    /// errors and their lines are those of one job.
    #[test]
    fn jobs_hand_the_guarded_reader_the_rest_at_any_block_end() {
        let head = "id,plan,priority,opened,responded,note\n";
        let rows = plain_rows(60, 0);
        let long = format!("L0,gold,minor,2026-03-01T09:00:00Z,,{}\n", "x".repeat(MAX_RECORD_BYTES));
        let specials: [(&str, String); 5] = [
            ("quoted line ends", "Q,gold,minor,2026-03-01T09:00:00Z,,\"a,\n\nb\"\n".into()),
            ("CRLF from here", String::new()),
            ("lone CR", "C,gold,minor,2026-03-01T09:00:00Z,,\r\n".into()),
            ("open quote", "O,gold,minor,2026-03-01T09:00:00Z,,\"a\n".into()),
            ("too long", long),
        ];
        for (what, special) in &specials {
            // Every place in the first blocks, and then some.
            for at in (0..16).chain([40, 59]) {
                let mut text = head.to_string();
                for (i, r) in rows.iter().enumerate() {
                    if i == at {
                        text.push_str(special);
                    }
                    if *what == "CRLF from here" && i >= at {
                        text.push_str(&r.replace('\n', "\r\n"));
                    } else {
                        text.push_str(r);
                    }
                }
                same_with_jobs(text.as_bytes(), &format!("{what} at row {at}"));
            }
        }
    }

    /// Rows with errors in several blocks: with `--strict`, the first in
    /// input order stops the run, naming its line, whichever worker
    /// answered first; blank lines and a row not UTF-8 keep the count.
    #[test]
    fn strict_jobs_stop_at_the_first_error_in_input_order_with_its_line() {
        let mut text = "id,plan,priority,opened,responded,note\n".to_string();
        let rows = plain_rows(200, 0);
        for (i, r) in rows.iter().enumerate() {
            match i {
                // Blank lines count as lines.
                30 => text.push_str(&format!("\n\n{r}")),
                // Bad rows in later blocks.
                80 | 150 => text.push_str(&r.replace("2026-", "soon-")),
                _ => text.push_str(r),
            }
        }
        // Row 80 is on line 80 + 2 + the two blank lines.
        let plans = PlanSet::load(&[]).unwrap();
        let o = opts(RowFormat::Csv, true);
        for jobs in [1, 2, 4] {
            let e = run_jobs(&plans, text.as_bytes(), Vec::new(), &o, jobs, |_| {}).unwrap_err().to_string();
            assert!(e.starts_with("line 84: opened: invalid time \"soon-"), "{jobs} jobs: {e}");
        }
        same_with_jobs(text.as_bytes(), "errors in later blocks");
        let mut bytes = text.into_bytes();
        bytes.extend_from_slice(b"X,gold,,\xff\xfe,,\n");
        bytes.extend_from_slice(plain_rows(20, 3).concat().as_bytes());
        same_with_jobs(&bytes, "not UTF-8, then bad times");
    }

    #[test]
    fn durations_read_as_numbers_of_the_unit_or_as_slacalc_writes_them() {
        let m = DurationUnit::Minutes;
        assert_eq!(parse_after("90", m, "responded_after").unwrap(), 5400);
        assert_eq!(parse_after("12.51", m, "responded_after").unwrap(), 750, "truncated to the second");
        assert_eq!(parse_after(".5", DurationUnit::Hours, "x").unwrap(), 1800);
        assert_eq!(parse_after("7", DurationUnit::Seconds, "x").unwrap(), 7);
        assert_eq!(parse_after("1h30m", m, "x").unwrap(), 5400);
        for bad in ["", ".", "-5", "1,5", "soon", "99999999999999999999", "1e3"] {
            let e = parse_after(bad, m, "responded_after").unwrap_err().to_string();
            assert!(e.contains("responded_after") && e.contains("minutes"), "{bad}: {e}");
        }
    }

    #[test]
    fn strict_jobs_stop_at_the_first_bad_row() {
        let plans = PlanSet::load(&[]).unwrap();
        let text = input(2 * CHUNK_ROWS);
        let o = opts(RowFormat::Csv, true);
        let (mut one_out, mut many_out) = (Vec::new(), Vec::new());
        let one = run(&plans, &text[..], &mut one_out, &o, |_| {}).unwrap_err().to_string();
        let many = run_jobs(&plans, &text[..], &mut many_out, &o, 4, |_| {}).unwrap_err().to_string();
        assert_eq!(one, many);
        // What was written before the error is the same too.
        assert!(one_out == many_out, "{} vs {} bytes", one_out.len(), many_out.len());
    }
}
