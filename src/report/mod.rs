//! `report`: `batch` or `replay` output (CSV or JSON Lines) summed up per
//! group — counts per state, attainment, nearest-rank percentiles of the
//! stopped cycles' elapsed time (SPEC §6).
//!
//! The input is streamed: memory grows with the number of groups, never with
//! the number of rows. Each group keeps its counts, an exact sum and a
//! histogram of the distinct elapsed values of its stopped cycles, bounded
//! by [`MAX_DISTINCT`] (see [`Report::notes`] and DESIGN.md for what happens
//! past it). Rendering: [`Report`] serializes to the JSON contract;
//! [`Report::to_csv`], [`html::render`] and [`openmetrics::render`] write the
//! other formats (the table is the command line's).

pub mod html;
pub mod openmetrics;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read};

use chrono::{Datelike as _, NaiveDate};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::decimal::BasisPoints;
use crate::error::{Error, Result};
use crate::input::{CsvInput, Problem, Row};
use crate::text::{cut, escape_controls};

/// Longest input record, in bytes (as for `batch` and `replay`): 64 KiB.
pub const MAX_RECORD_BYTES: usize = crate::batch::MAX_RECORD_BYTES;

/// Most distinct elapsed values a group keeps exactly. Past it, the group's
/// values are put in bins of 2, 4, 8, … seconds (the width doubling until
/// the bins fit again); its percentiles are then the lower bound of their
/// bin, and a note says so. The count and the mean stay exact.
pub const MAX_DISTINCT: usize = 16_384;

/// A grouping key of `--by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    /// The row's plan id, as printed.
    Plan,
    /// The row's priority, as printed.
    Priority,
    /// The cycle's metric (`first_response` for every batch row).
    Metric,
    /// The month of the cycle's start, `2026-11`.
    Month,
    /// The ISO week of the cycle's start, `2026-W47`.
    Week,
    /// The date of the cycle's start, `2026-11-20`.
    Day,
}

impl Key {
    /// Every key, in the order the help lists them.
    pub const ALL: [Key; 6] = [Key::Plan, Key::Priority, Key::Metric, Key::Month, Key::Week, Key::Day];

    /// The key's name (`--by` value, JSON field, CSV column, label).
    pub fn name(self) -> &'static str {
        match self {
            Key::Plan => "plan",
            Key::Priority => "priority",
            Key::Metric => "metric",
            Key::Month => "month",
            Key::Week => "week",
            Key::Day => "day",
        }
    }

    /// True for the keys that cut time (month, week, day).
    pub fn is_time(self) -> bool {
        matches!(self, Key::Month | Key::Week | Key::Day)
    }
}

/// The default `--by`: plan, priority, metric.
pub const DEFAULT_BY: [Key; 3] = [Key::Plan, Key::Priority, Key::Metric];

/// Parses `--by`: a comma-separated list of key names, case-insensitive,
/// each at most once.
///
/// # Errors
/// [`Error::Input`] for an empty list, an unknown or a repeated key.
pub fn parse_by(text: &str) -> Result<Vec<Key>> {
    let expected = Key::ALL.map(Key::name).join(", ");
    let mut keys = Vec::new();
    for part in text.split(',') {
        let name = part.trim();
        if name.is_empty() {
            return Err(Error::Input(format!(
                "--by \"{}\" has an empty key (expected a comma-separated list of: {expected})",
                cut(text, 80)
            )));
        }
        let key = Key::ALL.into_iter().find(|k| k.name().eq_ignore_ascii_case(name)).ok_or_else(|| {
            Error::Input(format!("--by: unknown key \"{}\" (expected one or more of: {expected})", cut(name, 40)))
        })?;
        if keys.contains(&key) {
            return Err(Error::Input(format!("--by: key \"{}\" is given twice", key.name())));
        }
        keys.push(key);
    }
    Ok(keys)
}

pub use crate::input::InputFormat;

/// What to report.
#[derive(Debug, Clone)]
pub struct Options {
    /// The grouping keys, in order.
    pub by: Vec<Key>,
    /// Input format; `None`: told by the first non-blank byte (`{`: JSON Lines).
    pub input_format: Option<InputFormat>,
}

/// The counts of one group (SPEC §6).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Rows without an error.
    pub cycles: u64,
    /// State `met`.
    pub met: u64,
    /// State `missed`.
    pub missed: u64,
    /// State `breached`.
    pub breached: u64,
    /// State `running`.
    pub running: u64,
    /// State `at-risk`.
    pub at_risk: u64,
    /// State `paused`.
    pub paused: u64,
    /// State `no-commitment`.
    pub no_commitment: u64,
    /// Rows with an error (counted in nothing else).
    pub errors: u64,
}

impl Counts {
    /// met + missed + breached: the cycles that attainment is measured on.
    pub fn denominator(&self) -> u64 {
        self.met + self.missed + self.breached
    }

    /// The state counts with their JSON names, in the contract's order
    /// (`cycles` and `errors` left out).
    pub fn states(&self) -> [(&'static str, u64); 7] {
        [
            ("met", self.met),
            ("missed", self.missed),
            ("breached", self.breached),
            ("running", self.running),
            ("at_risk", self.at_risk),
            ("paused", self.paused),
            ("no_commitment", self.no_commitment),
        ]
    }
}

/// One group's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The key values, one per [`Report::by`] key; `None` when the row did
    /// not have it (an error row without a plan or a time).
    pub keys: Vec<Option<String>>,
    /// Counts per state.
    pub counts: Counts,
    /// met / (met + missed + breached) × 100, rounded half up to two
    /// decimals; `None` when the denominator is 0.
    pub attainment_percent: Option<BasisPoints>,
    /// Nearest-rank 50th percentile of the stopped cycles' elapsed seconds.
    pub p50_seconds: Option<i64>,
    /// Nearest-rank 90th percentile.
    pub p90_seconds: Option<i64>,
    /// Nearest-rank 95th percentile.
    pub p95_seconds: Option<i64>,
    /// Mean of the stopped cycles' elapsed seconds, rounded down.
    pub mean_seconds: Option<i64>,
    /// Width in seconds of the bins the percentiles were read from, when the
    /// group had more than [`MAX_DISTINCT`] distinct values (else `None`:
    /// exact).
    pub bin_seconds: Option<i64>,
}

impl Group {
    /// The key values joined with ` · ` (`—` for a missing one), for labels.
    pub fn label(&self) -> String {
        let parts: Vec<&str> = self.keys.iter().map(|k| k.as_deref().unwrap_or("—")).collect();
        parts.join(" · ")
    }
}

/// A whole report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The grouping keys.
    pub by: Vec<Key>,
    /// The groups, sorted by their key values (a missing value first).
    pub groups: Vec<Group>,
    /// Rows read.
    pub rows: u64,
    /// What the reader wants the user to know (binned percentiles).
    pub notes: Vec<String>,
}

impl Report {
    /// The groups whose attainment (as printed, two decimals) is below `min`;
    /// groups without a denominator are never below.
    pub fn below(&self, min: BasisPoints) -> Vec<&Group> {
        self.groups.iter().filter(|g| g.attainment_percent.is_some_and(|a| a < min)).collect()
    }

    /// All groups added up (for headlines): counts and attainment.
    pub fn total(&self) -> Counts {
        let mut t = Counts::default();
        for g in &self.groups {
            let c = &g.counts;
            t.cycles += c.cycles;
            t.met += c.met;
            t.missed += c.missed;
            t.breached += c.breached;
            t.running += c.running;
            t.at_risk += c.at_risk;
            t.paused += c.paused;
            t.no_commitment += c.no_commitment;
            t.errors += c.errors;
        }
        t
    }

    /// The CSV form: a header row (the keys, then the JSON field names), one
    /// row per group; a null is an empty field, attainment has two decimals.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<&str> = self.by.iter().map(|k| k.name()).collect();
        header.extend(FIELDS);
        let _ = w.write_record(&header);
        for g in &self.groups {
            let mut rec: Vec<String> =
                g.keys.iter().map(|k| escape_controls(k.as_deref().unwrap_or("")).into_owned()).collect();
            rec.extend(g.figures().map(|f| f.unwrap_or_default()));
            let _ = w.write_record(&rec);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// The figures of a group, after its keys, in the JSON contract's order.
pub const FIELDS: [&str; 14] = [
    "cycles",
    "met",
    "missed",
    "breached",
    "running",
    "at_risk",
    "paused",
    "no_commitment",
    "errors",
    "attainment_percent",
    "p50_seconds",
    "p90_seconds",
    "p95_seconds",
    "mean_seconds",
];

impl Group {
    /// The [`FIELDS`] as text (`None` for null; attainment with two decimals).
    pub fn figures(&self) -> impl Iterator<Item = Option<String>> + '_ {
        let c = &self.counts;
        let counts = [c.cycles, c.met, c.missed, c.breached, c.running, c.at_risk, c.paused, c.no_commitment, c.errors];
        let secs = [self.p50_seconds, self.p90_seconds, self.p95_seconds, self.mean_seconds];
        counts
            .into_iter()
            .map(|n| Some(n.to_string()))
            .chain(std::iter::once(self.attainment_percent.map(|a| format!("{a:.2}"))))
            .chain(secs.into_iter().map(|s| s.map(|s| s.to_string())))
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        struct View<'a>(&'a [Key], &'a Group);
        impl Serialize for View<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                let (by, g) = (self.0, self.1);
                let c = &g.counts;
                let mut m = s.serialize_map(Some(by.len() + FIELDS.len()))?;
                for (k, v) in by.iter().zip(&g.keys) {
                    m.serialize_entry(k.name(), v)?;
                }
                m.serialize_entry("cycles", &c.cycles)?;
                for (name, n) in c.states() {
                    m.serialize_entry(name, &n)?;
                }
                m.serialize_entry("errors", &c.errors)?;
                m.serialize_entry("attainment_percent", &g.attainment_percent)?;
                m.serialize_entry("p50_seconds", &g.p50_seconds)?;
                m.serialize_entry("p90_seconds", &g.p90_seconds)?;
                m.serialize_entry("p95_seconds", &g.p95_seconds)?;
                m.serialize_entry("mean_seconds", &g.mean_seconds)?;
                m.end()
            }
        }
        let by: Vec<&str> = self.by.iter().map(|k| k.name()).collect();
        let groups: Vec<View<'_>> = self.groups.iter().map(|g| View(&self.by, g)).collect();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("by", &by)?;
        m.serialize_entry("groups", &groups)?;
        if !self.notes.is_empty() {
            m.serialize_entry("notes", &self.notes)?;
        }
        m.end()
    }
}

/// A state as printed by `batch` and `replay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Met,
    Missed,
    Breached,
    Running,
    AtRisk,
    Paused,
    NoCommitment,
}

impl State {
    fn parse(s: &str) -> Option<State> {
        Some(match s {
            "met" => State::Met,
            "missed" => State::Missed,
            "breached" => State::Breached,
            "running" => State::Running,
            "at-risk" => State::AtRisk,
            "paused" => State::Paused,
            "no-commitment" => State::NoCommitment,
            _ => return None,
        })
    }
}

/// The fields of one input row that a report reads.
#[derive(Debug, Default)]
struct Fields<'a> {
    plan: &'a str,
    priority: &'a str,
    /// `None` for a batch row written before batch printed its metric: its
    /// metric is `first_response`.
    metric: Option<&'a str>,
    /// `opened` (batch) or `start` (replay), as printed.
    time: &'a str,
    state: &'a str,
    elapsed: &'a str,
    error: &'a str,
}

/// One group while reading.
#[derive(Debug, Default)]
struct Acc {
    counts: Counts,
    sum: i128,
    /// Distinct (binned) elapsed values and how often each came.
    hist: FxHashMap<i64, u64>,
    /// Bin width is `1 << shift` seconds.
    shift: u32,
}

impl Acc {
    fn add_elapsed(&mut self, v: i64) {
        self.sum += i128::from(v);
        *self.hist.entry((v >> self.shift) << self.shift).or_insert(0) += 1;
        while self.hist.len() > MAX_DISTINCT && self.shift < 62 {
            self.shift += 1;
            let shift = self.shift;
            let old = std::mem::take(&mut self.hist);
            for (v, n) in old {
                *self.hist.entry((v >> shift) << shift).or_insert(0) += n;
            }
        }
    }

    fn finish(self, keys: Vec<Option<String>>) -> Group {
        let c = self.counts;
        let den = c.denominator();
        let attainment = if den == 0 {
            None
        } else {
            // Two decimals of a percent, half up; met <= den, so it fits.
            i64::try_from(c.met).ok().zip(i64::try_from(den).ok()).and_then(|(m, d)| BasisPoints::ratio(m, d))
        };
        let mut values: Vec<(i64, u64)> = self.hist.into_iter().collect();
        values.sort_unstable();
        let n: u64 = values.iter().map(|v| v.1).sum();
        let rank = |p: u64| -> Option<i64> {
            if n == 0 {
                return None;
            }
            // Nearest rank: the smallest value with at least p % of the
            // values at or below it, i.e. at rank ceil(p × n / 100).
            let want = (u128::from(p) * u128::from(n)).div_ceil(100).max(1);
            let mut seen = 0u128;
            values
                .iter()
                .find(|(_, k)| {
                    seen += u128::from(*k);
                    seen >= want
                })
                .map(|v| v.0)
        };
        let mean = if n == 0 { None } else { i64::try_from(self.sum.div_euclid(i128::from(n))).ok() };
        Group {
            keys,
            counts: c,
            attainment_percent: attainment,
            p50_seconds: rank(50),
            p90_seconds: rank(90),
            p95_seconds: rank(95),
            mean_seconds: mean,
            bin_seconds: (self.shift > 0).then(|| 1i64 << self.shift),
        }
    }
}

/// Groups while reading: key text (values joined by U+001F) → accumulator.
struct Groups<'k> {
    by: &'k [Key],
    index: FxHashMap<Box<str>, usize>,
    accs: Vec<(Box<str>, Acc)>,
    key: String,
    rows: u64,
}

/// Separates key values inside a group's key text.
const SEP: char = '\u{1f}';

impl Groups<'_> {
    fn add(&mut self, line: u64, f: &Fields<'_>) -> Result<()> {
        self.rows += 1;
        let error = !f.error.is_empty();
        let state = if error {
            None
        } else {
            Some(State::parse(f.state).ok_or_else(|| {
                Error::Input(format!(
                    "line {line}: unknown state \"{}\" (expected one of: met, missed, breached, running, at-risk, paused, no-commitment: the output of batch or replay)",
                    cut(&escape_controls(f.state), 40)
                ))
            })?)
        };
        self.key.clear();
        for (i, k) in self.by.iter().enumerate() {
            if i > 0 {
                self.key.push(SEP);
            }
            match k {
                Key::Plan => push_value(&mut self.key, f.plan),
                Key::Priority => push_value(&mut self.key, f.priority),
                // A batch row without a metric (batch output written before
                // the column) is first_response, error rows too.
                Key::Metric => {
                    push_value(&mut self.key, f.metric.unwrap_or("first_response"));
                }
                Key::Month | Key::Week | Key::Day => match date_of(f.time) {
                    Some(d) => match k {
                        Key::Month => self.key.push_str(&f.time[..7]),
                        Key::Day => self.key.push_str(&f.time[..10]),
                        _ => {
                            let w = d.iso_week();
                            let _ = write!(self.key, "{:04}-W{:02}", w.year(), w.week());
                        }
                    },
                    // An error row may hold the time as it was typed, or none.
                    None if error => {}
                    None => {
                        return Err(Error::Input(format!(
                            "line {line}: the cycle's start \"{}\" is not a date-time (expected RFC 3339, as batch and replay print it)",
                            cut(&escape_controls(f.time), 40)
                        )));
                    }
                },
            }
        }
        let at = match self.index.get(self.key.as_str()) {
            Some(&i) => i,
            None => {
                let k: Box<str> = self.key.as_str().into();
                self.accs.push((k.clone(), Acc::default()));
                self.index.insert(k, self.accs.len() - 1);
                self.accs.len() - 1
            }
        };
        let acc = &mut self.accs[at].1;
        let Some(state) = state else {
            acc.counts.errors += 1;
            return Ok(());
        };
        let c = &mut acc.counts;
        c.cycles += 1;
        match state {
            State::Met => c.met += 1,
            State::Missed => c.missed += 1,
            State::Breached => c.breached += 1,
            State::Running => c.running += 1,
            State::AtRisk => c.at_risk += 1,
            State::Paused => c.paused += 1,
            State::NoCommitment => c.no_commitment += 1,
        }
        if matches!(state, State::Met | State::Missed) {
            let v = f.elapsed.parse::<i64>().map_err(|_| {
                Error::Input(format!(
                    "line {line}: elapsed_seconds \"{}\" of a {} cycle is not a whole number of seconds",
                    cut(&escape_controls(f.elapsed), 40),
                    f.state
                ))
            })?;
            acc.add_elapsed(v);
        }
        Ok(())
    }

    fn finish(self) -> Report {
        let n = self.by.len();
        let mut groups: Vec<Group> = self
            .accs
            .into_iter()
            .map(|(k, acc)| {
                let keys: Vec<Option<String>> =
                    k.split(SEP).take(n).map(|s| Some(s.to_string()).filter(|s| !s.is_empty())).collect();
                acc.finish(keys)
            })
            .collect();
        groups.sort_by(|a, b| a.keys.cmp(&b.keys));
        let notes = groups
            .iter()
            .filter_map(|g| {
                g.bin_seconds.map(|w| {
                    format!(
                        "group {}: more than {MAX_DISTINCT} distinct elapsed values; its percentiles are rounded down to a multiple of {w} s (counts and mean are exact)",
                        g.label()
                    )
                })
            })
            .collect();
        Report { by: self.by.to_vec(), groups, rows: self.rows, notes }
    }
}

/// Appends a key value; the separator itself (a control character) becomes
/// a space, so the key text splits back into its values.
fn push_value(key: &mut String, v: &str) {
    if v.contains(SEP) {
        key.push_str(&v.replace(SEP, " "));
    } else {
        key.push_str(v);
    }
}

/// The date of `YYYY-MM-DD…` (the start of an RFC 3339 instant, in its own
/// offset), if the text starts with a valid one.
fn date_of(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, &d| d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0')))
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if b.len() > 10 && b[10].is_ascii_digit() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// Reads `batch` or `replay` output from `input` and sums it up per group.
///
/// # Errors
/// [`Error::Input`] naming the line for an input that is not batch or
/// replay output (missing columns, an unknown state, a non-integer elapsed
/// time of a stopped cycle, a start that is not a date-time when grouping by
/// time), a record over [`MAX_RECORD_BYTES`], a quote never closed, bad
/// UTF-8 or bad JSON; [`Error::Io`] for a read error.
pub fn run(input: impl Read, opts: &Options) -> Result<Report> {
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let format = InputFormat::detect(opts.input_format, &mut reader)?;
    let mut groups =
        Groups { by: &opts.by, index: FxHashMap::default(), accs: Vec::new(), key: String::new(), rows: 0 };
    match format {
        InputFormat::Csv => read_csv(reader, &mut groups)?,
        InputFormat::JsonLines => read_jsonl(reader, &mut groups)?,
    }
    Ok(groups.finish())
}

fn read_error(e: std::io::Error) -> Error {
    Error::Io { path: "input".into(), error: e }
}

const EXPECTED: &str = "batch output (id,plan,priority,opened,…,state,elapsed_seconds,remaining_seconds,error) or replay output (id,plan,priority,metric,cycle,start,…,state,error)";

fn read_csv(reader: impl Read, groups: &mut Groups<'_>) -> Result<()> {
    // An over-long row is fatal here: fail at the limit, never wait for the
    // end of a record that may not come.
    let mut input = CsvInput::report(reader);
    let header = input.header()?;
    if header.is_empty() {
        return Err(Error::Input(format!("report input is empty (expected {EXPECTED})")));
    }
    let need = |n: &str| {
        crate::input::column(&header, n).ok_or_else(|| {
            Error::Input(format!(
                "report input has no \"{n}\" column (expected {EXPECTED}; got: {})",
                cut(&escape_controls(&header.iter().collect::<Vec<_>>().join(",")), 200)
            ))
        })
    };
    let batch = crate::input::column(&header, "opened").is_some();
    // Batch output has a metric column since it measures resolution too;
    // older batch output has none (its rows are first_response).
    let (time, metric) = if batch {
        (need("opened")?, crate::input::column(&header, "metric"))
    } else {
        (need("start")?, Some(need("metric")?))
    };
    let cols = [need("plan")?, need("priority")?, need("state")?, need("elapsed_seconds")?, need("error")?];
    let mut rec = csv::StringRecord::new();
    while let Some(Row { line, problem }) = input.read(&mut rec)? {
        match problem {
            Some(Problem::TooLong) => {
                return Err(Error::Input(format!("line {line}: row is longer than {MAX_RECORD_BYTES} bytes")));
            }
            Some(Problem::NotUtf8) => return Err(Error::Input(format!("line {line}: row is not valid UTF-8"))),
            None => {}
        }
        if rec.iter().all(str::is_empty) {
            continue;
        }
        let get = |i: usize| rec.get(i).unwrap_or("");
        let f = Fields {
            plan: get(cols[0]),
            priority: get(cols[1]),
            metric: metric.map(get),
            time: get(time),
            state: get(cols[2]),
            elapsed: get(cols[3]),
            error: get(cols[4]),
        };
        groups.add(line, &f)?;
    }
    Ok(())
}

/// A JSON field that was there (maybe `null`) or not.
#[derive(Debug, Default)]
struct Present<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Present<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        T::deserialize(d).map(|v| Present(Some(v)))
    }
}

/// The fields of a batch or replay JSON Lines row that a report reads.
#[derive(Debug, Deserialize)]
struct JsonRow<'a> {
    #[serde(borrow, default)]
    plan: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    priority: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    metric: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    opened: Present<Option<Cow<'a, str>>>,
    #[serde(borrow, default)]
    start: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    state: Option<Cow<'a, str>>,
    #[serde(default)]
    elapsed_seconds: Option<i64>,
    #[serde(borrow, default)]
    error: Option<Cow<'a, str>>,
}

fn read_jsonl(mut reader: impl BufRead, groups: &mut Groups<'_>) -> Result<()> {
    let mut buf = Vec::with_capacity(1024);
    let mut line = 0u64;
    let mut elapsed = String::new();
    loop {
        line += 1;
        if !read_line(&mut reader, &mut buf, line)? {
            return Ok(());
        }
        if line == 1 && buf.starts_with(crate::input::BOM) {
            buf.drain(..crate::input::BOM.len());
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let row: JsonRow<'_> = serde_json::from_slice(&buf).map_err(|e| {
            Error::Input(format!(
                "line {line}: not a batch or replay JSON row ({e}); expected one object per line, as `--format json` prints"
            ))
        })?;
        elapsed.clear();
        if let Some(e) = row.elapsed_seconds {
            let _ = write!(elapsed, "{e}");
        }
        let batch = row.opened.0.is_some();
        let opened = row.opened.0.as_ref().and_then(|o| o.as_deref());
        let f = Fields {
            plan: text(&row.plan),
            priority: text(&row.priority),
            // A batch row's metric, when it has one (older output has none).
            metric: if batch { row.metric.as_deref() } else { Some(text(&row.metric)) },
            time: if batch { opened.unwrap_or("") } else { text(&row.start) },
            state: text(&row.state),
            elapsed: &elapsed,
            error: text(&row.error),
        };
        groups.add(line, &f)?;
    }
}

/// A string field's text, `""` for a missing or null one.
fn text<'a>(v: &'a Option<Cow<'_, str>>) -> &'a str {
    v.as_deref().unwrap_or("")
}

/// Reads one line (without its `\n` or `\r\n`) into `buf`, never more than
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
            return Err(Error::Input(format!("line {line}: row is longer than {MAX_RECORD_BYTES} bytes")));
        }
        buf.extend_from_slice(&avail[..take]);
        r.consume(take + usize::from(done));
        if done {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(text: &str, by: &[Key]) -> Report {
        run(text.as_bytes(), &Options { by: by.to_vec(), input_format: None }).unwrap()
    }

    #[test]
    fn nearest_rank_and_mean() {
        let mut acc = Acc::default();
        for v in [10, 20, 30, 40, 50, 60, 70, 80, 90, 100] {
            acc.add_elapsed(v);
        }
        acc.counts.met = 10;
        let g = acc.finish(vec![]);
        assert_eq!(
            (g.p50_seconds, g.p90_seconds, g.p95_seconds, g.mean_seconds),
            (Some(50), Some(90), Some(100), Some(55))
        );
    }

    #[test]
    fn bins_past_the_cap_stay_bounded() {
        let mut acc = Acc::default();
        for v in 0..(MAX_DISTINCT as i64 * 4) {
            acc.add_elapsed(v);
        }
        assert!(acc.hist.len() <= MAX_DISTINCT);
        let g = acc.finish(vec![]);
        assert_eq!(g.bin_seconds, Some(4));
        assert_eq!(g.mean_seconds, Some((MAX_DISTINCT as i64 * 4 - 1) / 2));
        // True p50 is 32767; binned to 4 s it reads 32764.
        assert_eq!(g.p50_seconds, Some(32_764));
    }

    #[test]
    fn dates_and_weeks() {
        assert_eq!(date_of("2026-11-20T10:00:00+01:00"), NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(date_of("2026-11-20 10:00"), NaiveDate::from_ymd_opt(2026, 11, 20));
        assert_eq!(date_of("2026-02-30T10:00:00Z"), None);
        assert_eq!(date_of("20261-1-20"), None);
        assert_eq!(date_of(""), None);
        let r = report(
            "id,plan,priority,opened,state,elapsed_seconds,error\n1,p,x,2027-01-01T10:00:00Z,met,5,\n",
            &[Key::Week],
        );
        assert_eq!(r.groups[0].keys, vec![Some("2026-W53".to_string())]);
    }
}
