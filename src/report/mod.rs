//! `report`: `batch` or `replay` output (CSV or JSON Lines) summed up per
//! group — counts per state, attainment, nearest-rank percentiles of the
//! stopped cycles' elapsed time (SPEC §6).
//!
//! The input is streamed: memory grows with the number of groups, never with
//! the number of rows. Each group keeps its counts, an exact sum and a
//! histogram of the distinct elapsed values of its stopped cycles, bounded
//! by [`MAX_DISTINCT`] (see [`Report::notes`] and DESIGN.md for what happens
//! past it). Rendering: [`Report`] serializes to the JSON contract;
//! [`Report::to_csv`], `html::render` and `openmetrics::render` write the
//! other formats (the table is the command line's).

mod acc;
pub(crate) mod html;
pub(crate) mod openmetrics;
mod read;

use std::borrow::Cow;
use std::io::{BufReader, Read};

use chrono_tz::Tz;
use rustc_hash::FxHashMap;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::decimal::BasisPoints;
use crate::engine::day::WorkSpan;
use crate::error::{Error, Result};
use crate::io::RowFormat;
use crate::text::{cut, escape_controls};
use acc::Groups;
use read::{read_csv, read_jsonl};

/// Most distinct elapsed values a group keeps exactly. Past it, the group's
/// values are put in bins of 2, 4, 8, … seconds (the width doubling until
/// the bins fit again); its percentiles are then the lower bound of their
/// bin, and a note says so. The count and the mean stay exact.
pub const MAX_DISTINCT: usize = 16_384;

/// A grouping key of `--by`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    /// Any other column of the input (a pass-through column such as
    /// `Organization`), its value as it is. Named as `--by` gave it until
    /// the input is read ([`run`] checks that the input has it), then as
    /// the input names it.
    Column(String),
}

impl Key {
    /// Every key but [`Key::Column`], in the order the help lists them.
    pub const ALL: [Key; 6] = [Key::Plan, Key::Priority, Key::Metric, Key::Month, Key::Week, Key::Day];

    /// The key's name (`--by` value, JSON field, CSV column, label).
    pub fn name(&self) -> &str {
        match self {
            Key::Plan => "plan",
            Key::Priority => "priority",
            Key::Metric => "metric",
            Key::Month => "month",
            Key::Week => "week",
            Key::Day => "day",
            Key::Column(c) => c,
        }
    }

    /// True for the keys that cut time (month, week, day).
    pub fn is_time(&self) -> bool {
        matches!(self, Key::Month | Key::Week | Key::Day)
    }
}

/// The known keys as the messages list them: `plan, priority, …, day`.
fn known_keys() -> String {
    Key::ALL.iter().map(Key::name).collect::<Vec<_>>().join(", ")
}

/// The default `--by`: plan, priority, metric.
pub const DEFAULT_BY: [Key; 3] = [Key::Plan, Key::Priority, Key::Metric];

/// Parses `--by`: a comma-separated list of key names, case-insensitive,
/// each at most once. A name that is no known key is taken for a column of
/// the input ([`Key::Column`]); [`run`] refuses it when the input has no
/// such column.
///
/// # Errors
/// [`Error::Input`] for an empty list, an empty or a repeated key.
pub fn parse_by(text: &str) -> Result<Vec<Key>> {
    let mut keys: Vec<Key> = Vec::new();
    for part in text.split(',') {
        let name = part.trim();
        if name.is_empty() {
            return Err(Error::Input(format!(
                "--by \"{}\" has an empty key (expected a comma-separated list of: {}, or columns of the input)",
                cut(&escape_controls(text), 80),
                known_keys()
            )));
        }
        let key = Key::ALL
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(name))
            .unwrap_or_else(|| Key::Column(name.to_string()));
        if keys.iter().any(|k| k.name().eq_ignore_ascii_case(key.name())) {
            return Err(Error::Input(format!(
                "--by: key \"{}\" is given twice",
                cut(&escape_controls(key.name()), 40)
            )));
        }
        keys.push(key);
    }
    Ok(keys)
}

/// Puts the input's name on each [`Key::Column`] of `by`, found among
/// `names` (case-insensitive, spaces around it and a byte-order mark
/// ignored); returns the position of each, in order. `what` names the
/// columns in the message (`the input's columns`).
fn resolve_columns(by: &mut [Key], names: &[&str], what: &str) -> Result<Vec<usize>> {
    let clean = |n: &str| n.trim_start_matches('\u{feff}').trim().to_string();
    let mut at = Vec::new();
    for key in by.iter_mut() {
        let Key::Column(want) = key else { continue };
        let found = names
            .iter()
            .position(|n| clean(n) == *want)
            .or_else(|| names.iter().position(|n| clean(n).eq_ignore_ascii_case(want)));
        let Some(i) = found else {
            let cleaned: Vec<String> = names.iter().map(|n| clean(n)).collect();
            let close = crate::error::suggest(want, cleaned.iter().map(String::as_str));
            return Err(Error::Input(format!(
                "--by: unknown key \"{}\"{} (expected one or more of: {}, or a column of the input; {what}: {})",
                cut(&escape_controls(want), 40),
                crate::error::did_you_mean(&close),
                known_keys(),
                cut(&escape_controls(&cleaned.join(", ")), 300)
            )));
        };
        let name = clean(names[i]);
        if FIELDS.contains(&name.as_str()) {
            return Err(Error::Input(format!(
                "--by: column \"{name}\" has the name of a report field, so its groups could not be told from the field (rename the column in the input)"
            )));
        }
        if at.contains(&i) {
            return Err(Error::Input(format!("--by: column \"{}\" is given twice", cut(&escape_controls(&name), 40))));
        }
        *want = name;
        at.push(i);
    }
    Ok(at)
}

/// What to report.
#[derive(Debug, Clone, Default)]
pub struct ReportOptions {
    /// The grouping keys, in order.
    pub by: Vec<Key>,
    /// Input format; `None`: told by the first non-blank byte (`{`: JSON Lines).
    pub input_format: Option<RowFormat>,
    /// The zone `month`, `week` and `day` are cut in; `None`: each row's own
    /// offset, as printed.
    pub zone: Option<Tz>,
    /// The CSV field separator (`,`, `;`, tab).
    pub delimiter: u8,
    /// The priority levels of the loaded plans, to sort priorities by.
    pub levels: Levels,
}

impl ReportOptions {
    /// The options for `by`, everything else as by default: the format told by
    /// the input, each row's own offset, `,` between fields, no known plan.
    pub fn new(by: Vec<Key>) -> ReportOptions {
        ReportOptions { by, delimiter: b',', ..ReportOptions::default() }
    }
}

/// The priority levels of the plans a report knows (the loaded ones), so
/// that priorities sort in their plan's order (p1 first) rather than by
/// name. Plans and priorities are found by id, name or alias
/// (case-insensitive); `p1`, `p2`, … name the levels too.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    plans: FxHashMap<String, usize>,
    priorities: Vec<FxHashMap<String, u32>>,
}

impl Levels {
    /// The levels of every plan of `plans`.
    pub fn from_plans(plans: &crate::PlanSet) -> Levels {
        let mut levels = Levels::default();
        for plan in plans.plans() {
            let at = levels.priorities.len();
            let mut names = FxHashMap::default();
            for (i, p) in plan.priorities.iter().enumerate() {
                let level = u32::try_from(i + 1).unwrap_or(u32::MAX);
                names.entry(p.name.to_lowercase()).or_insert(level);
                for a in &p.aliases {
                    names.entry(a.to_lowercase()).or_insert(level);
                }
                names.entry(format!("p{level}")).or_insert(level);
            }
            levels.priorities.push(names);
            levels.plans.insert(plan.id.to_lowercase(), at);
            for a in &plan.aliases {
                levels.plans.entry(a.to_lowercase()).or_insert(at);
            }
        }
        levels
    }

    /// The level (1 for p1) of `priority` in `plan`, if both are known.
    fn level(&self, plan: &str, priority: &str) -> Option<u32> {
        if self.plans.is_empty() || priority.is_empty() {
            return None;
        }
        let plan = match self.plans.get(plan) {
            Some(&p) => p,
            None => *self.plans.get(&plan.to_lowercase())?,
        };
        let names = self.priorities.get(plan)?;
        match names.get(priority) {
            Some(&l) => Some(l),
            None => names.get(&priority.to_lowercase()).copied(),
        }
    }
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
    pub p50_seconds: Option<WorkSpan>,
    /// Nearest-rank 90th percentile.
    pub p90_seconds: Option<WorkSpan>,
    /// Nearest-rank 95th percentile.
    pub p95_seconds: Option<WorkSpan>,
    /// Mean of the stopped cycles' elapsed seconds, rounded down.
    pub mean_seconds: Option<WorkSpan>,
    /// Width in seconds of the bins the percentiles were read from, when the
    /// group had more than [`MAX_DISTINCT`] distinct values (else `None`:
    /// exact).
    pub bin_seconds: Option<WorkSpan>,
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
    /// The groups, sorted by their key values (a missing value first; a
    /// priority of a known plan in its plan's level order, before the
    /// others).
    pub groups: Vec<Group>,
    /// Every row together, as one group without keys.
    pub total: Group,
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

    /// All groups added up (for headlines): the counts of [`Report::total`].
    pub fn total(&self) -> Counts {
        self.total.counts
    }

    /// The CSV form: a header row (the keys, then the JSON field names), one
    /// row per group; a null is an empty field, attainment has two decimals.
    /// No total row: any text in the key columns could be a group's own
    /// (a plan named `total`; empty for a missing value), so a reader could
    /// not tell it from a group, and a sum of a column would count it twice.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header: Vec<Cow<'_, str>> = self.by.iter().map(|k| escape_controls(k.name())).collect();
        header.extend(FIELDS.map(Cow::from));
        let _ = w.write_record(header.iter().map(|h| h.as_bytes()));
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
            .chain(secs.into_iter().map(|s| s.map(|s| s.secs().to_string())))
    }
}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        struct View<'a>(&'a [Key], &'a Group);
        impl Serialize for View<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                let (by, g) = (self.0, self.1);
                let c = &g.counts;
                let mut m = s.serialize_map(Some(by.len().min(g.keys.len()) + FIELDS.len()))?;
                for (k, v) in by.iter().zip(&g.keys) {
                    m.serialize_entry(k.name(), v)?;
                }
                m.serialize_entry("cycles", &c.cycles)?;
                for (name, n) in c.states() {
                    m.serialize_entry(name, &n)?;
                }
                m.serialize_entry("errors", &c.errors)?;
                m.serialize_entry("attainment_percent", &g.attainment_percent)?;
                m.serialize_entry("p50_seconds", &g.p50_seconds.map(WorkSpan::secs))?;
                m.serialize_entry("p90_seconds", &g.p90_seconds.map(WorkSpan::secs))?;
                m.serialize_entry("p95_seconds", &g.p95_seconds.map(WorkSpan::secs))?;
                m.serialize_entry("mean_seconds", &g.mean_seconds.map(WorkSpan::secs))?;
                m.end()
            }
        }
        let by: Vec<&str> = self.by.iter().map(|k| k.name()).collect();
        let groups: Vec<View<'_>> = self.groups.iter().map(|g| View(&self.by, g)).collect();
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("by", &by)?;
        m.serialize_entry("groups", &groups)?;
        m.serialize_entry("total", &View(&[], &self.total))?;
        if !self.notes.is_empty() {
            m.serialize_entry("notes", &self.notes)?;
        }
        m.end()
    }
}

/// Reads `batch` or `replay` output from `input` and sums it up per group.
///
/// # Errors
/// [`Error::Input`] naming the line for an input that is not batch or
/// replay output (missing columns, an unknown state, a non-integer elapsed
/// time of a stopped cycle, a start that is not a date-time when grouping by
/// time), a `--by` key that is no key and no column of the input, a record
/// over `MAX_RECORD_BYTES`, a quote never closed, bad UTF-8 or bad JSON;
/// [`Error::Io`] for a read error.
///
/// # Example
///
/// ```
/// use slacalc::{WorkSpan, report};
///
/// // What `replay` (or `status`-like `batch` rows) wrote.
/// let rows = "id,plan,priority,metric,cycle,start,stop,target,target_seconds,clock,deadline,\
///             elapsed_seconds,paused_seconds,remaining_seconds,state,error\n\
///             T1,apizee-gold,major,first_response,1,2026-11-16T10:00:00+01:00,\
///             2026-11-16T11:00:00+01:00,4h,14400,business,2026-11-16T16:00:00+01:00,3600,0,10800,met,\n";
/// let r = report::run(rows.as_bytes(), &report::ReportOptions::new(report::DEFAULT_BY.to_vec()))?;
/// assert_eq!(r.rows, 1);
/// assert_eq!(r.groups.len(), 1);
/// assert_eq!((r.groups[0].counts.cycles, r.groups[0].counts.met), (1, 1));
/// assert_eq!(r.groups[0].p50_seconds, Some(WorkSpan::new(3600)));
/// # Ok::<(), slacalc::Error>(())
/// ```
pub fn run(input: impl Read, opts: &ReportOptions) -> Result<Report> {
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let format = RowFormat::detect(opts.input_format, &mut reader)?;
    let mut groups = Groups::new(opts);
    match format {
        RowFormat::Csv => read_csv(reader, opts.delimiter, &mut groups)?,
        RowFormat::JsonLines => read_jsonl(reader, &mut groups)?,
    }
    Ok(groups.finish())
}

#[cfg(test)]
mod tests {
    use super::acc::{Acc, date_of};
    use super::*;
    use chrono::NaiveDate;

    fn report(text: &str, by: &[Key]) -> Report {
        run(text.as_bytes(), &ReportOptions::new(by.to_vec())).unwrap()
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
            (Some(WorkSpan::new(50)), Some(WorkSpan::new(90)), Some(WorkSpan::new(100)), Some(WorkSpan::new(55)))
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
        assert_eq!(g.bin_seconds, Some(WorkSpan::new(4)));
        assert_eq!(g.mean_seconds, Some(WorkSpan::new((MAX_DISTINCT as i64 * 4 - 1) / 2)));
        // True p50 is 32767; binned to 4 s it reads 32764.
        assert_eq!(g.p50_seconds, Some(WorkSpan::new(32_764)));
    }

    #[test]
    fn unknown_by_names_are_columns_until_the_input_is_read() {
        let by = parse_by("Plan, org").unwrap();
        assert_eq!(by, vec![Key::Plan, Key::Column("org".into())]);
        assert!(parse_by("org,ORG").is_err());
        let text =
            "id,plan,priority,opened,state,elapsed_seconds,error,\u{feff}Org\n1,p,x,2026-11-20T10:00:00Z,met,5,,A\n";
        let r = report(text, &by);
        assert_eq!(r.by[1], Key::Column("Org".into()), "the input's spelling");
        assert_eq!(r.groups[0].keys, vec![Some("p".to_string()), Some("A".to_string())]);
        let e = run(text.as_bytes(), &ReportOptions::new(vec![Key::Column("team".into())])).unwrap_err().to_string();
        assert!(e.contains("unknown key \"team\"") && e.contains("Org"), "{e}");
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
