//! `ics = "file.ics"` in a holiday set: all-day events of an iCalendar file,
//! read with the `icalendar` crate's parser, recurrences expanded with the
//! `rrule` crate, as holiday rules.
//!
//! A yearly rule on one month and day (`FREQ=YEARLY`, no `BYDAY` and the
//! like) becomes [`HolidayRule::Fixed`] limited to its years (split around
//! each `EXDATE`), so a rule without an end needs no expansion; anything
//! else becomes an explicit date list within [`YEARS`]. A timed event is an
//! error: slacalc will not guess which day a moment in some time zone is.

use std::path::Path;

use chrono::{Duration, NaiveDate};
use icalendar::parser::{Component, Property, read_calendar_simple};

use super::*;
use crate::engine::holiday::YEARS;

/// Why part of an `.ics` file is refused: a date that carries a time (the
/// event is then named a timed event), or another problem, worded in full.
#[derive(Debug)]
enum Problem {
    /// `PROPERTY VALUE is a time, not NOT` (`DTSTART 20261225T100000 …`).
    Timed { property: String, value: String, not: &'static str },
    /// Any other problem.
    Other(String),
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Timed { property, value, not } => write!(f, "{property} {value} is a time, not {not}"),
            Problem::Other(m) => f.write_str(m),
        }
    }
}

impl From<&str> for Problem {
    fn from(m: &str) -> Problem {
        Problem::Other(m.to_string())
    }
}

impl From<String> for Problem {
    fn from(m: String) -> Problem {
        Problem::Other(m)
    }
}

/// What the import's steps give.
type Read<T> = Result<T, Problem>;

/// One all-day event, read from its properties.
struct Event {
    name: String,
    uid: Option<String>,
    start: NaiveDate,
    /// Days each occurrence lasts (`DTEND` − `DTSTART`, or `DURATION`).
    days: i64,
    rrule: Option<String>,
    rdates: Vec<NaiveDate>,
    exdates: Vec<NaiveDate>,
    /// `RECURRENCE-ID`: this event replaces that occurrence of the event with its `UID`.
    replaces: Option<NaiveDate>,
    cancelled: bool,
}

impl Cx<'_> {
    /// The rules of the `.ics` file `ics` names, relative to the plan file.
    pub(super) fn ics_rules(&self, fi: usize, ics: &SStr) -> R<Vec<Holiday>> {
        let src = &self.sources[fi];
        let at = |msg: String| self.err(fi, ics.span(), msg);
        let shown = cut(ics.get_ref(), SHOWN_CHARS);
        if src.name.starts_with("embedded:") {
            return Err(at(format!("ics = \"{shown}\": an embedded plan file cannot read an .ics file")));
        }
        let path = Path::new(&src.name).parent().unwrap_or(Path::new("")).join(ics.get_ref());
        let bytes = read_bounded(&path).map_err(|e| at(format!("ics = \"{shown}\": {e}")))?;
        let text = prepare(&bytes).map_err(|e| at(format!("ics = \"{shown}\": {} {e}", path.display())))?;
        let (text, ends) = text;
        let mut top = Vec::new();
        let mut from = 0;
        // The crate's parser reads one object to the end of its input: each
        // top-level object (a stream may hold several VCALENDARs, RFC 5545
        // §3.4) is given on its own.
        for end in ends.into_iter().chain(std::iter::once(text.len())) {
            let part = &text[from..end];
            if !part.trim().is_empty() {
                top.extend(read_calendar_simple(part).map_err(|e| {
                    // nom's own message is a multi-line trace quoting the file: say where, not what.
                    let line = text.get(..end.saturating_sub(e.input.len())).unwrap_or("").matches('\n').count() + 1;
                    at(format!(
                        "ics = \"{shown}\": {} is not valid iCalendar (it cannot be read past line {line}, lines unfolded)",
                        path.display()
                    ))
                })?);
            }
            from = end;
        }
        let mut events = Vec::new();
        // An iCalendar stream may hold several VCALENDAR objects (RFC 5545 §3.4).
        let is = |c: &Component<'_>, n: &str| c.name.as_str().eq_ignore_ascii_case(n);
        let nested = top.iter().filter(|c| is(c, "VCALENDAR")).flat_map(|c| c.components.iter());
        for e in top.iter().chain(nested).filter(|c| is(c, "VEVENT")) {
            events.push(event(e).map_err(|m| at(format!("ics = \"{shown}\": {m}")))?);
        }
        if events.is_empty() {
            return Err(at(format!("ics = \"{shown}\" holds no VEVENT")));
        }
        // An event with RECURRENCE-ID replaces one occurrence of its UID's event.
        let moved: Vec<(String, NaiveDate)> =
            events.iter().filter_map(|e| Some((e.uid.clone()?, e.replaces?))).collect();
        for (uid, day) in moved {
            for e in events.iter_mut().filter(|e| e.replaces.is_none() && e.uid.as_deref() == Some(&uid)) {
                e.exdates.push(day);
            }
        }
        let mut rules = Vec::new();
        let mut budget = Budget { items: MAX_ITEMS, days: MAX_EXPANSION_DAYS };
        for e in events.iter().filter(|e| !e.cancelled) {
            let name = cut(&e.name, SHOWN_CHARS);
            for rule in expand(e, &mut budget).map_err(|m| at(format!("ics = \"{shown}\": event \"{name}\": {m}")))? {
                let items = match &rule {
                    HolidayRule::Dates(d) => d.len(),
                    _ => 1,
                };
                // Stop as soon as the running total passes the limit.
                budget.items = budget.items.checked_sub(items).ok_or_else(|| {
                    at(format!(
                        "ics = \"{shown}\" gives more than {MAX_ITEMS} holiday dates and rules; the limit is \
                         {MAX_ITEMS} (give recurring events an UNTIL or COUNT)"
                    ))
                })?;
                rules.push(Holiday { name: e.name.clone(), rule });
            }
        }
        Ok(rules)
    }
}

/// Most days of recurrence one `.ics` file may expand, over all its rules:
/// a rule walks its days from DTSTART to its end (UNTIL, the COUNT-th date,
/// or the year 9999), whether they match or not, so this bounds the work of
/// a file (a daily rule matching once in 28 years from 1583 walks 3 million
/// days). One million is some 2 700 years of a daily rule; a rule's INTERVAL
/// divides its days.
pub(super) const MAX_EXPANSION_DAYS: i64 = 1_000_000;

/// What is left of a file's allowances as its events are expanded.
struct Budget {
    /// Holiday dates and rules.
    items: usize,
    /// Days of recurrence ([`MAX_EXPANSION_DAYS`]).
    days: i64,
}

/// Deepest nesting of components read (VCALENDAR > VEVENT > VALARM is 3):
/// the crate's parser recurses once per level and would overflow the stack.
const MAX_DEPTH: usize = 16;

/// The file's bytes, refusing more than [`MAX_FILE_BYTES`]; a FIFO with no
/// writer is an error at once, never a hang.
fn read_bounded(path: &Path) -> Read<Vec<u8>> {
    let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let f = crate::io::open_for_reading(path).map_err(cannot)?;
    let regular = f.metadata().map_err(cannot)?.is_file();
    let Some(buf) = crate::io::file::read_at_most(f, MAX_FILE_BYTES as u64).map_err(cannot)? else {
        return Err(format!("{} is over {MAX_FILE_BYTES} bytes (1 MiB)", path.display()).into());
    };
    if buf.is_empty() && !regular {
        return Err(cannot(crate::io::file::nothing_to_read()).into());
    }
    Ok(buf)
}

/// The text the parser is given: a leading UTF-8 BOM dropped, lines
/// unfolded on bytes (a fold may split a UTF-8 character, RFC 5545 §3.1),
/// then decoded; property and component names in upper case (names are
/// case-insensitive); and no deeper nesting than [`MAX_DEPTH`]. Errors name
/// no content of the file, which may be any file (`/proc/self/environ`).
///
/// Also gives where each top-level object ends (after its `END` line).
fn prepare(bytes: &[u8]) -> Read<(String, Vec<usize>)> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut unfolded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i..] {
            [b'\r', b'\n', b' ' | b'\t', ..] => i += 3,
            [b'\n', b' ' | b'\t', ..] => i += 2,
            [b, ..] => {
                unfolded.push(b);
                i += 1;
            }
            [] => break,
        }
    }
    let first = unfolded.split(|&b| b == b'\n').next().unwrap_or(&[]);
    if !first.trim_ascii_end().eq_ignore_ascii_case(b"BEGIN:VCALENDAR") {
        return Err("is not an iCalendar file (expected BEGIN:VCALENDAR on line 1)".into());
    }
    let text = String::from_utf8(unfolded).map_err(|_| "is not UTF-8 text".to_string())?;
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut ends = Vec::new();
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let end = line.find([';', ':']).unwrap_or(line.len());
        let (name, rest) = line.split_at(end);
        let name = name.to_ascii_uppercase();
        if name == "BEGIN" || name == "END" {
            // The component's name is a name too.
            out.push_str(&name);
            out.push_str(&rest.to_ascii_uppercase());
            if name == "BEGIN" {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!(
                        "has components nested too deeply (more than {MAX_DEPTH} levels, at line {})",
                        n + 1
                    )
                    .into());
                }
            } else {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    ends.push(out.len());
                }
            }
        } else {
            out.push_str(&name);
            out.push_str(rest);
        }
    }
    Ok((out, ends))
}

/// The first property named `name`, in any case.
fn prop<'c>(c: &'c Component<'_>, name: &'c str) -> Option<&'c Property<'c>> {
    props(c, name).next()
}

fn props<'c>(c: &'c Component<'_>, name: &'c str) -> impl Iterator<Item = &'c Property<'c>> + 'c {
    c.properties.iter().filter(move |p| p.name.as_str().eq_ignore_ascii_case(name))
}

/// A date-valued property's dates (`EXDATE` may list several, comma-separated);
/// `Err` if it holds a date-time.
fn dates(p: &Property<'_>) -> Read<Vec<NaiveDate>> {
    let is_date = p.params.iter().any(|q| {
        q.key.as_str().eq_ignore_ascii_case("VALUE")
            && q.val.as_ref().is_some_and(|v| v.as_str().eq_ignore_ascii_case("DATE"))
    });
    p.val
        .as_str()
        .split(',')
        .map(|v| {
            let v = v.trim();
            if !is_date && v.contains(['T', 't']) {
                return Err(Problem::Timed {
                    property: p.name.as_str().to_string(),
                    value: cut(v, SHOWN_CHARS).into_owned(),
                    not: "a day",
                });
            }
            NaiveDate::parse_from_str(v, "%Y%m%d")
                .map_err(|_| format!("{} \"{}\" is not a date (YYYYMMDD)", p.name.as_str(), cut(v, SHOWN_CHARS)).into())
        })
        .collect()
}

fn one_date(p: &Property<'_>) -> Read<NaiveDate> {
    match dates(p)?.as_slice() {
        [d] => Ok(*d),
        _ => Err(format!("{} must hold one date", p.name.as_str()).into()),
    }
}

/// `PnD` or `PnW`.
fn duration_days(v: &str) -> Option<i64> {
    let v = v.strip_prefix('+').unwrap_or(v).strip_prefix('P')?;
    if let Some(n) = v.strip_suffix('D') {
        return n.parse().ok();
    }
    v.strip_suffix('W')?.parse::<i64>().ok().map(|w| w * 7)
}

fn event(c: &Component<'_>) -> Read<Event> {
    let name = c
        .find_prop("SUMMARY")
        .map(|p| p.val.clone().unescape_text().as_str().trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "(no SUMMARY)".to_string());
    let shown = cut(&name, SHOWN_CHARS);
    let fail = |m: String| Problem::Other(format!("event \"{shown}\": {m}"));
    let timed = |m: Problem| match m {
        Problem::Timed { .. } => Problem::Other(format!(
            "event \"{shown}\" is a timed event ({m}); only all-day events (DTSTART;VALUE=DATE:YYYYMMDD) are holidays"
        )),
        Problem::Other(m) => fail(m),
    };
    let start = one_date(prop(c, "DTSTART").ok_or_else(|| fail("has no DTSTART".into()))?).map_err(timed)?;
    let days = match (prop(c, "DTEND"), prop(c, "DURATION")) {
        (Some(end), _) => (one_date(end).map_err(timed)? - start).num_days(),
        (None, Some(d)) => duration_days(d.val.as_str().trim()).ok_or_else(|| {
            timed(Problem::Timed {
                property: "DURATION".into(),
                value: cut(d.val.as_str(), SHOWN_CHARS).into_owned(),
                not: "whole days",
            })
        })?,
        (None, None) => 1,
    };
    if !(1..=366).contains(&days) {
        return Err(fail(format!("lasts {days} days (1 to 366)")));
    }
    let rrules: Vec<_> = props(c, "RRULE").collect();
    if rrules.len() > 1 {
        return Err(fail("has more than one RRULE".into()));
    }
    let mut rdates = Vec::new();
    for p in props(c, "RDATE") {
        rdates.extend(dates(p).map_err(timed)?);
    }
    let mut exdates = Vec::new();
    for p in props(c, "EXDATE") {
        exdates.extend(dates(p).map_err(timed)?);
    }
    if props(c, "EXRULE").next().is_some() {
        return Err(fail("EXRULE is not supported (list the exceptions with EXDATE)".into()));
    }
    let replaces = match prop(c, "RECURRENCE-ID") {
        Some(p) => Some(one_date(p).map_err(timed)?),
        None => None,
    };
    Ok(Event {
        uid: prop(c, "UID").map(|p| p.val.as_str().trim().to_string()),
        start,
        days,
        rrule: rrules.first().map(|p| p.val.as_str().trim().to_string()),
        rdates,
        exdates,
        replaces,
        cancelled: prop(c, "STATUS").is_some_and(|p| p.val.as_str().trim().eq_ignore_ascii_case("CANCELLED")),
        name,
    })
}

/// `text` without its `UNTIL` and `COUNT` parts, and the date `UNTIL`
/// names (a date, the form RFC 5545 §3.3.10 requires for an all-day event,
/// or a date-time, whose date is taken: occurrences are at midnight UTC) and
/// the `COUNT` (one beyond `u32` is as endless as `u32::MAX` for the
/// engine's years).
fn split_rule(text: &str) -> Read<(String, Option<NaiveDate>, Option<u32>)> {
    let mut rest = Vec::new();
    let (mut until, mut count) = (None, None);
    for part in text.split(';') {
        let (key, value) = part.split_once('=').unwrap_or((part, ""));
        let value = value.trim();
        if key.trim().eq_ignore_ascii_case("UNTIL") {
            let day =
                value.get(..8).filter(|_| value.get(8..).is_some_and(|t| t.is_empty() || t.starts_with(['T', 't'])));
            let date = day
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok())
                .ok_or_else(|| format!("UNTIL \"{}\" is not a date (YYYYMMDD)", cut(value, SHOWN_CHARS)))?;
            until = Some(date);
        } else if key.trim().eq_ignore_ascii_case("COUNT")
            && !value.is_empty()
            && value.bytes().all(|b| b.is_ascii_digit())
        {
            count = Some(value.parse::<u64>().map_or(u32::MAX, |n| u32::try_from(n).unwrap_or(u32::MAX)));
        } else {
            rest.push(part);
        }
    }
    Ok((rest.join(";"), until, count))
}

/// The event as rules: `Fixed` over year ranges for a plain yearly rule,
/// else one explicit date list (empty: no rule). A list's expansion is
/// charged to the file's `budget` and refused when it would pass it.
fn expand(e: &Event, budget: &mut Budget) -> Read<Vec<HolidayRule>> {
    let last = *YEARS.end();
    let in_range = |d: &NaiveDate| YEARS.contains(&d.year());
    let mut starts: Vec<NaiveDate> = Vec::new();
    if let Some(text) = &e.rrule {
        let shown = cut(text, SHOWN_CHARS);
        let utc = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc().with_timezone(&rrule::Tz::UTC);
        let dt_start = utc(e.start);
        let (rest, until, count) = split_rule(text).map_err(|m| format!("RRULE {shown}: {m}"))?;
        let parsed = rest.parse::<rrule::RRule<rrule::Unvalidated>>().map_err(|err| format!("RRULE {shown}: {err}"))?;
        let parsed = match count {
            Some(n) => parsed.count(n),
            None => parsed,
        };
        let with_until = |r: rrule::RRule<rrule::Unvalidated>, d: Option<NaiveDate>| match d {
            Some(d) => r.until(utc(d)),
            None => r,
        };
        let rule =
            with_until(parsed.clone(), until).validate(dt_start).map_err(|err| format!("RRULE {shown}: {err}"))?;
        // Validation fills BYHOUR etc. from DTSTART (midnight): any other time is within a day.
        if rule.get_by_hour().iter().any(|h| *h != 0)
            || rule.get_by_minute().iter().any(|m| *m != 0)
            || rule.get_by_second().iter().any(|s| *s != 0)
            || matches!(
                rule.get_freq(),
                rrule::Frequency::Hourly | rrule::Frequency::Minutely | rrule::Frequency::Secondly
            )
        {
            return Err(format!("RRULE {shown} repeats within a day; holidays are whole days").into());
        }
        if let Some(fixed) = yearly_fixed(e, &rule) {
            return Ok(fixed);
        }
        // The days the rule would walk: DTSTART to UNTIL or the engine's last day.
        let end = NaiveDate::from_ymd_opt(last, 12, 31).unwrap_or(NaiveDate::MAX);
        let end = until.map_or(end, |u| u.min(end));
        let interval = i64::from(rule.get_interval().max(1));
        let cost = |to: NaiveDate| (((to - e.start).num_days() + 1).max(0) + interval - 1) / interval;
        let limit = || -> Problem {
            format!(
                "RRULE {shown} would walk {} days from DTSTART {} to {end}; the limit is {MAX_EXPANSION_DAYS} days \
                 of recurrence per file (give it an UNTIL or COUNT that ends it sooner)",
                cost(end),
                e.start
            )
            .into()
        };
        if cost(end) > budget.days && count.is_none() {
            return Err(limit());
        }
        // With a COUNT, the walk stops at the COUNT-th date: cut it where the budget ends.
        let cap = e.start.checked_add_signed(Duration::days(budget.days.saturating_mul(interval))).unwrap_or(end);
        let capped = cap < end;
        let rule = if capped {
            with_until(parsed, Some(cap)).validate(dt_start).map_err(|err| format!("RRULE {shown}: {err}"))?
        } else {
            rule
        };
        let set = rrule::RRuleSet::new(dt_start).rrule(rule).before(utc(end));
        let allowed = budget.items.min(MAX_ITEMS);
        let got = set.all(u16::try_from(allowed + 1).unwrap_or(u16::MAX));
        if got.dates.len() > allowed {
            return Err(format!(
                "RRULE {shown} gives more than {allowed} dates, the file's limit of {MAX_ITEMS} holiday dates and \
                 rules less those before it; give it an UNTIL or COUNT"
            )
            .into());
        }
        let reached = count.is_some_and(|n| usize::try_from(n).is_ok_and(|n| got.dates.len() >= n));
        if capped && !reached {
            return Err(limit());
        }
        let walked = match got.dates.last() {
            Some(d) if reached => d.date_naive(),
            _ => end.min(cap),
        };
        budget.days -= cost(walked).min(budget.days);
        starts.extend(got.dates.iter().map(|d| d.date_naive()));
    } else {
        starts.push(e.start);
    }
    starts.extend(&e.rdates);
    starts.retain(|d| !e.exdates.contains(d));
    let mut out: Vec<NaiveDate> = Vec::new();
    for s in starts {
        for k in 0..e.days {
            out.extend(s.checked_add_signed(Duration::days(k)).filter(in_range));
        }
        if out.len() > budget.items {
            return Err(format!(
                "gives more than {} dates, what is left of the file's limit of {MAX_ITEMS}",
                budget.items
            )
            .into());
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(if out.is_empty() { Vec::new() } else { vec![HolidayRule::Dates(out.into())] })
}

/// `FREQ=YEARLY` on the start's month and day, one day long, with no other
/// `BY…` part and no `RDATE`: `Fixed` in its years, split around each
/// `EXDATE` on that day. `None` for anything else.
fn yearly_fixed(e: &Event, rule: &rrule::RRule) -> Option<Vec<HolidayRule>> {
    let (month, day) = (e.start.month(), e.start.day());
    let plain = rule.get_freq() == rrule::Frequency::Yearly
        && rule.get_interval() == 1
        && e.days == 1
        && e.rdates.is_empty()
        && !(month == 2 && day == 29)
        && rule.get_by_month().iter().all(|m| u32::from(*m) == month)
        && rule.get_by_month_day().iter().all(|d| i64::from(*d) == i64::from(day))
        && rule.get_by_weekday().is_empty()
        && rule.get_by_year_day().is_empty()
        && rule.get_by_week_no().is_empty()
        && rule.get_by_set_pos().is_empty();
    if !plain {
        return None;
    }
    let since = e.start.year().max(*YEARS.start());
    let mut until = *YEARS.end();
    if let Some(n) = rule.get_count() {
        // A COUNT beyond the engine's years is no end.
        if let Ok(y) = i32::try_from(i64::from(e.start.year()) + i64::from(n) - 1) {
            until = until.min(y);
        }
    }
    if let Some(u) = rule.get_until() {
        let u = u.date_naive();
        until = until.min(if (u.month(), u.day()) >= (month, day) { u.year() } else { u.year() - 1 });
    }
    let mut cuts: Vec<i32> =
        e.exdates.iter().filter(|d| (d.month(), d.day()) == (month, day)).map(|d| d.year()).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut from = since;
    for y in cuts.into_iter().chain(std::iter::once(until + 1)) {
        let to = (y - 1).min(until);
        if from <= to {
            let fixed = HolidayRule::Fixed { month, day };
            out.push(if from == *YEARS.start() && to == *YEARS.end() {
                fixed
            } else {
                HolidayRule::Years { rule: Box::new(fixed), since: from, until: to }
            });
        }
        from = from.max(y + 1);
    }
    Some(out)
}
