//! Summing rows up: one accumulator per group (counts, an exact sum and a
//! bounded histogram of elapsed times), and the groups by key while reading.

use std::fmt::Write as _;

use chrono::{Datelike as _, NaiveDate};
use chrono_tz::Tz;
use rustc_hash::FxHashMap;

use super::{Counts, Group, Key, Levels, MAX_DISTINCT, Report, ReportOptions};
use crate::decimal::BasisPoints;
use crate::engine::day::WorkSpan;
use crate::error::{Error, Result};
use crate::text::{cut, escape_controls};

/// A state as printed by `batch` and `replay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowState {
    Met,
    Missed,
    Breached,
    Running,
    AtRisk,
    Paused,
    NoCommitment,
}

impl RowState {
    pub(super) fn parse(s: &str) -> Option<RowState> {
        Some(match s {
            "met" => RowState::Met,
            "missed" => RowState::Missed,
            "breached" => RowState::Breached,
            "running" => RowState::Running,
            "at-risk" => RowState::AtRisk,
            "paused" => RowState::Paused,
            "no-commitment" => RowState::NoCommitment,
            _ => return None,
        })
    }
}

/// The fields of one input row that a report reads.
#[derive(Debug, Default)]
pub(super) struct Fields<'a> {
    pub(super) plan: &'a str,
    pub(super) priority: &'a str,
    /// `None` for a batch row written before batch printed its metric: its
    /// metric is `first_response`.
    pub(super) metric: Option<&'a str>,
    /// `opened` (batch) or `start` (replay), as printed.
    pub(super) time: &'a str,
    pub(super) state: &'a str,
    pub(super) elapsed: &'a str,
    pub(super) error: &'a str,
    /// The values of the [`Key::Column`] keys, in order.
    pub(super) columns: Vec<&'a str>,
}

/// One group while reading.
#[derive(Debug, Default)]
pub(super) struct Acc {
    pub(super) counts: Counts,
    pub(super) sum: i128,
    /// Distinct (binned) elapsed values and how often each came.
    pub(super) hist: FxHashMap<i64, u64>,
    /// Bin width is `1 << shift` seconds.
    pub(super) shift: u32,
    /// The lowest priority level of its rows (see [`Levels`]).
    pub(super) level: Option<u32>,
}

impl Acc {
    /// Counts one row: an error row (`None`) only in `errors`.
    pub(super) fn add(&mut self, state: Option<RowState>, elapsed: Option<i64>) {
        let Some(state) = state else {
            self.counts.errors += 1;
            return;
        };
        let c = &mut self.counts;
        c.cycles += 1;
        match state {
            RowState::Met => c.met += 1,
            RowState::Missed => c.missed += 1,
            RowState::Breached => c.breached += 1,
            RowState::Running => c.running += 1,
            RowState::AtRisk => c.at_risk += 1,
            RowState::Paused => c.paused += 1,
            RowState::NoCommitment => c.no_commitment += 1,
        }
        if let Some(v) = elapsed {
            self.add_elapsed(v);
        }
    }

    pub(super) fn add_elapsed(&mut self, v: i64) {
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

    pub(super) fn finish(self, keys: Vec<Option<String>>) -> Group {
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
            p50_seconds: rank(50).map(WorkSpan::new),
            p90_seconds: rank(90).map(WorkSpan::new),
            p95_seconds: rank(95).map(WorkSpan::new),
            mean_seconds: mean.map(WorkSpan::new),
            bin_seconds: (self.shift > 0).then(|| WorkSpan::new(1i64 << self.shift)),
        }
    }
}

/// Groups while reading: key text (values joined by U+001F) → accumulator.
pub(super) struct Groups<'o> {
    pub(super) by: Vec<Key>,
    pub(super) zone: Option<Tz>,
    pub(super) levels: &'o Levels,
    /// Whether a group's priority level is wanted (`priority` is a key).
    pub(super) by_level: bool,
    pub(super) index: FxHashMap<Box<str>, usize>,
    pub(super) accs: Vec<(Box<str>, Acc)>,
    pub(super) total: Acc,
    pub(super) key: String,
    pub(super) rows: u64,
}

/// Separates key values inside a group's key text.
pub(super) const SEP: char = '\u{1f}';

impl<'o> Groups<'o> {
    pub(super) fn new(opts: &'o ReportOptions) -> Groups<'o> {
        Groups {
            by: opts.by.clone(),
            zone: opts.zone,
            levels: &opts.levels,
            by_level: opts.by.contains(&Key::Priority),
            index: FxHashMap::default(),
            accs: Vec::new(),
            total: Acc::default(),
            key: String::new(),
            rows: 0,
        }
    }

    /// The date of the cycle's start: as printed (in its own offset), or in
    /// the zone asked for. `None` for an error row without a date.
    pub(super) fn date(&self, line: u64, time: &str, error: bool) -> Result<Option<NaiveDate>> {
        let printed = date_of(time);
        let Some(zone) = self.zone else {
            return match printed {
                Some(d) => Ok(Some(d)),
                // An error row may hold the time as it was typed, or none.
                None if error => Ok(None),
                None => Err(Error::Input(format!(
                    "the cycle's start \"{}\" is not a date-time (expected RFC 3339, as batch and replay print it)",
                    cut(&escape_controls(time), 40)
                ))
                .at_line(None, line)),
            };
        };
        match chrono::DateTime::parse_from_rfc3339(time.trim()) {
            Ok(t) => Ok(Some(t.with_timezone(&zone).date_naive())),
            // An error row's time as typed (no offset): its date as written.
            Err(_) if error => Ok(printed),
            Err(_) if printed.is_some() => Err(Error::Input(format!(
                "the cycle's start \"{}\" has no UTC offset, so it cannot be put in {} (expected RFC 3339 with an offset, as batch and replay print it)",
                cut(&escape_controls(time), 40),
                zone.name()
            )).at_line(None, line)),
            Err(_) => Err(Error::Input(format!(
                "the cycle's start \"{}\" is not a date-time (expected RFC 3339, as batch and replay print it)",
                cut(&escape_controls(time), 40)
            )).at_line(None, line)),
        }
    }

    pub(super) fn add(&mut self, line: u64, f: &Fields<'_>) -> Result<()> {
        self.rows += 1;
        let error = !f.error.is_empty();
        let state = if error {
            None
        } else {
            Some(RowState::parse(f.state).ok_or_else(|| {
                Error::Input(format!(
                    "unknown state \"{}\" (expected one of: met, missed, breached, running, at-risk, paused, no-commitment: the output of batch or replay)",
                    cut(&escape_controls(f.state), 40)
                )).at_line(None, line)
            })?)
        };
        let date = if self.by.iter().any(Key::is_time) { self.date(line, f.time, error)? } else { None };
        self.key.clear();
        let mut columns = f.columns.iter();
        for (i, k) in self.by.iter().enumerate() {
            if i > 0 {
                self.key.push(SEP);
            }
            match k {
                Key::Plan => push_value(&mut self.key, f.plan),
                Key::Priority => push_value(&mut self.key, f.priority),
                // A batch row without a metric (batch output written before
                // the column) is first_response, error rows too.
                Key::Metric => push_value(&mut self.key, f.metric.unwrap_or("first_response")),
                Key::Column(_) => push_value(&mut self.key, columns.next().copied().unwrap_or("")),
                Key::Month | Key::Week | Key::Day => {
                    if let Some(d) = date {
                        let _ = match k {
                            Key::Month => write!(self.key, "{:04}-{:02}", d.year(), d.month()),
                            Key::Day => write!(self.key, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
                            _ => {
                                let w = d.iso_week();
                                write!(self.key, "{:04}-W{:02}", w.year(), w.week())
                            }
                        };
                    }
                }
            }
        }
        let elapsed = match state {
            Some(RowState::Met | RowState::Missed) => Some(f.elapsed.parse::<i64>().map_err(|_| {
                Error::Input(format!(
                    "elapsed_seconds \"{}\" of a {} cycle is not a whole number of seconds",
                    cut(&escape_controls(f.elapsed), 40),
                    f.state
                ))
                .at_line(None, line)
            })?),
            _ => None,
        };
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
        let level = if self.by_level { self.levels.level(f.plan, f.priority) } else { None };
        if let Some(l) = level {
            acc.level = Some(acc.level.map_or(l, |m| m.min(l)));
        }
        acc.add(state, elapsed);
        self.total.add(state, elapsed);
        Ok(())
    }

    pub(super) fn finish(self) -> Report {
        let n = self.by.len();
        let priority = self.by.iter().position(|k| *k == Key::Priority);
        let mut groups: Vec<(Option<u32>, Group)> = self
            .accs
            .into_iter()
            .map(|(k, acc)| {
                let keys: Vec<Option<String>> =
                    k.split(SEP).take(n).map(|s| Some(s.to_string()).filter(|s| !s.is_empty())).collect();
                (acc.level, acc.finish(keys))
            })
            .collect();
        groups.sort_by(|(la, a), (lb, b)| {
            for (i, (x, y)) in a.keys.iter().zip(&b.keys).enumerate() {
                let o = match (x, y) {
                    // Priorities of known plans first, in level order, then
                    // the others by name.
                    (Some(_), Some(_)) if Some(i) == priority => {
                        (la.is_none(), la).cmp(&(lb.is_none(), lb)).then_with(|| x.cmp(y))
                    }
                    _ => x.cmp(y),
                };
                if o.is_ne() {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
        let groups: Vec<Group> = groups.into_iter().map(|(_, g)| g).collect();
        let total = self.total.finish(Vec::new());
        let binned = |label: String, w: WorkSpan| {
            let w = w.secs();
            format!(
                "{label}: more than {MAX_DISTINCT} distinct elapsed values; its percentiles are rounded down to a multiple of {w} s (counts and mean are exact)"
            )
        };
        let mut notes: Vec<String> =
            groups.iter().filter_map(|g| g.bin_seconds.map(|w| binned(format!("group {}", g.label()), w))).collect();
        if let Some(w) = total.bin_seconds {
            notes.push(binned("the total".to_string(), w));
        }
        Report { by: self.by, groups, total, rows: self.rows, notes }
    }
}

/// Appends a key value; the separator itself (a control character) becomes
/// a space, so the key text splits back into its values.
pub(super) fn push_value(key: &mut String, v: &str) {
    if v.contains(SEP) {
        key.push_str(&v.replace(SEP, " "));
    } else {
        key.push_str(v);
    }
}

/// The date of `YYYY-MM-DD…` (the start of an RFC 3339 instant, in its own
/// offset), if the text starts with a valid one.
pub(super) fn date_of(s: &str) -> Option<NaiveDate> {
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
