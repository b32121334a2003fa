//! Reading and printing instants (SPEC §3): RFC 3339, or a local date-time read
//! in a zone, where a time in a DST gap or fold is an error naming the offsets.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, Utc};
use chrono_tz::Tz;

use crate::engine::LocalSeconds;
use crate::engine::zone::{self, Disambiguation, Local};
use crate::error::{Error, Result};

/// Parses `s` as an instant: `now`, RFC 3339 (`2026-11-20T17:30:00+01:00`,
/// `…Z`), or local `YYYY-MM-DD[T ]HH:MM[:SS[.fff]]` read in `tz`. Sub-second
/// digits are truncated. Returns UTC seconds.
///
/// # Errors
/// [`Error::Invalid`] naming the value and the accepted forms,
/// [`Error::OutOfRange`] outside the years 1583–9999, or, for a local
/// time in a DST gap or fold, both possible offsets.
pub fn parse_instant(s: &str, tz: Tz, now: i64) -> Result<i64> {
    parse_instant_amb(s, tz, now, None)
}

/// [`parse_instant`] with a fold policy for a local time: `None` for a time
/// typed on the command line (a fold is an error), `Some` for a time in a
/// file (`--ambiguous`).
fn parse_instant_amb(s: &str, tz: Tz, now: i64, ambiguous: Option<Ambiguous>) -> Result<i64> {
    let t = crate::text::trim(s);
    if t.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    let bad = || {
        Error::invalid(
            "time",
            s,
            "RFC 3339 like 2026-11-20T17:30:00+01:00, a local time like \"2026-11-20 17:30\", or now",
        )
    };
    if t.is_empty() || t.len() > 64 {
        return Err(bad());
    }
    if let Some(secs) = parse_rfc3339_fast(t.as_bytes()) {
        return in_range(secs, s);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return in_range(dt.timestamp(), s);
    }
    // RFC 3339 with a space instead of T.
    if let Ok(dt) = DateTime::parse_from_rfc3339(&t.replacen(' ', "T", 1)) {
        return in_range(dt.timestamp(), s);
    }
    // An offset without a colon (`+0000`) or after a space (`… -0500`), as
    // many exports write it.
    if let Some(t) = parse_offset_forms(t) {
        return in_range(t, s);
    }
    let naive = parse_local(t).ok_or_else(bad)?;
    in_range(resolve_local_with(naive, tz, s, ambiguous)?, s)
}

/// What a local time in an input file that happens twice (the hour the
/// clocks go back) stands for: `--ambiguous` of `batch` and `replay`, or a
/// profile's `ambiguous` key. A time in a gap (the hour that does not
/// happen) is always an error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Ambiguous {
    /// The first occurrence (the offset before the change, e.g. +02:00 in
    /// Paris in October).
    Earlier,
    /// The second occurrence (the offset after the change).
    Later,
    /// An error naming both offsets (the default).
    #[default]
    Reject,
}

impl Ambiguous {
    /// `earlier`, `later` or `reject`.
    ///
    /// # Errors
    /// [`Error::Input`] naming the value and the accepted ones.
    pub fn parse(s: &str) -> Result<Ambiguous> {
        match s.trim().to_ascii_lowercase().as_str() {
            "earlier" => Ok(Ambiguous::Earlier),
            "later" => Ok(Ambiguous::Later),
            "reject" => Ok(Ambiguous::Reject),
            _ => Err(Error::Input(format!(
                "invalid ambiguous \"{}\" (expected earlier, later or reject)",
                crate::text::cut(s, 20)
            ))),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` and `YYYY-MM-DDTHH:MM:SS±HH:MM`, the shapes most
/// files hold, read by byte checks and day arithmetic: the same UTC seconds
/// as chrono's RFC 3339 parser. `None` for any other shape or a field out of
/// range (a leap second too), which then goes the general way.
fn parse_rfc3339_fast(b: &[u8]) -> Option<i64> {
    if b.len() != 20 && b.len() != 25 {
        return None;
    }
    // Every digit position checked at once, then read without checks.
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !digits_at(b) {
        return None;
    }
    let two = |i: usize| i64::from(b[i].wrapping_sub(b'0')) * 10 + i64::from(b[i + 1].wrapping_sub(b'0'));
    let offset = match b[19] {
        b'Z' if b.len() == 20 => 0,
        sign @ (b'+' | b'-') if b.len() == 25 && b[22] == b':' => {
            if [20, 21, 23, 24].iter().any(|&i| b[i].wrapping_sub(b'0') > 9) {
                return None;
            }
            let (h, m) = (two(20), two(23));
            if h >= 24 || m >= 60 {
                return None;
            }
            if sign == b'-' { -(h * 3600 + m * 60) } else { h * 3600 + m * 60 }
        }
        _ => return None,
    };
    let year = two(0) * 100 + two(2);
    let (month, day) = (two(5), two(8));
    let (hour, minute, second) = (two(11), two(14), two(17));
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > month_days || hour >= 24 || minute >= 60 || second >= 60 {
        return None;
    }
    // Every field is two digits: the casts are exact.
    let days = days_from_civil4(year as u32, month as u32, day as u32);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// Days since 1970-01-01 of a valid date whose year is 0 to 9999 (what
/// [`parse_rfc3339_fast`] reads): `Day::from_civil`'s arithmetic on years
/// moved 400 on (one cycle of the calendar), so that it is unsigned and
/// its divisions by constants are cheap.
fn days_from_civil4(year: u32, month: u32, day: u32) -> i64 {
    // The year as it runs from March, so that the leap day ends it.
    let y = year + 400 - u32::from(month <= 2);
    let m = if month > 2 { month - 3 } else { month + 9 };
    let of_year = (153 * m + 2) / 5 + day - 1;
    let days = y * 365 + y / 4 - y / 100 + y / 400 + of_year;
    // From 0000-03-01 less one cycle (146,097 days) to 1970-01-01.
    i64::from(days) - 719_468 - 146_097
}

/// Whether bytes 0..19 hold digits where `YYYY-MM-DDTHH:MM:SS` has them
/// (the separators checked apart), as three words: each byte XORed with the
/// shape is 0..=9 exactly for a digit (a separator gives 0), and a byte of
/// 10 or more, or 0x80 or more, shows in the high bit of `x + 0x76` or of `x`.
fn digits_at(b: &[u8]) -> bool {
    const SHAPE: &[u8; 19] = b"0000-00-00T00:00:00";
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let word = |bytes: &[u8], at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(bytes.get(at..at + 8)?);
        Some(u64::from_le_bytes(w))
    };
    [0, 8, 11].iter().all(|&at| match (word(b, at), word(SHAPE, at)) {
        (Some(w), Some(shape)) => {
            let x = w ^ shape;
            (x.wrapping_add(0x7676_7676_7676_7676) | x) & HIGH == 0
        }
        _ => false,
    })
}

/// How the times of an input file are written: the forms [`parse_instant`]
/// reads, a strftime pattern (`%d/%b/%y %I:%M %p`), or Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TimeFormat {
    /// RFC 3339, `+0000` offsets, local times ([`parse_instant`]).
    #[default]
    Auto,
    /// A strftime pattern, checked when parsed to mean exactly one instant
    /// (see [`Pattern`]).
    Pattern(Pattern),
    /// Seconds since 1970-01-01T00:00:00Z (a fraction is truncated, so
    /// floored: −0.5 is −1).
    Unix,
}

/// A strftime pattern slacalc honours exactly, and how its text becomes an
/// instant.
///
/// Every field chrono reads is one of:
/// - **honoured**: dates (`%Y %C %y %m %b %B %h %d %e %j`, `%U`/`%W` and
///   `%G`/`%g`/`%V` weeks with a weekday, `%a %A %u %w %q` checked against
///   the date; `%D %F %x %v %c`), times (`%H %k %I %l` with `%p`/`%P`,
///   `%M %S %R %T %X %r`, fractions `%f %.f %.3f %3f …`, truncated), the
///   offsets `%z %:z %::z %:::z %#z` (the text carries its own offset),
///   `%+` (RFC 3339, with its offset) and `%s` (Unix seconds, an absolute
///   instant: no zone applies). Without an offset the text is a local time
///   (or a date, read as its midnight) in the input zone.
/// - **refused** when the pattern is parsed: `%Z` (a zone abbreviation:
///   chrono skips it, and `CST` names three offsets), `%I`/`%l` without
///   `%p` (which half of the day?), `%s` beside other fields (the seconds are
///   the instant already), and a pattern with no year at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    text: String,
    kind: PatternKind,
}

/// What a pattern's text gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PatternKind {
    /// A wall-clock time (or date) without an offset: read in the input zone.
    Local,
    /// A time with its own UTC offset (`%z` and kin, `%+`).
    Offset,
    /// Unix seconds (`%s`).
    Timestamp,
}

impl Pattern {
    /// The pattern as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Checks `p` field by field (see [`Pattern`]); the error is the problem,
    /// for a message.
    fn check(p: &str) -> std::result::Result<Pattern, String> {
        use chrono::format::{Fixed, Item, Numeric};
        let (mut offset, mut timestamp, mut year, mut hour12, mut am_pm) = (false, false, false, false, false);
        let mut others = 0usize;
        for item in chrono::format::StrftimeItems::new(p) {
            match item {
                Item::Error => return Err("it is not a strftime pattern chrono can read".into()),
                Item::Literal(_) | Item::OwnedLiteral(_) | Item::Space(_) | Item::OwnedSpace(_) => {}
                Item::Fixed(Fixed::TimezoneName) => {
                    return Err("a zone abbreviation such as CST names several offsets, so %Z cannot be resolved exactly: use %z (a numeric offset such as +0100), or --input-tz ZONE for local times".into());
                }
                Item::Fixed(
                    Fixed::TimezoneOffset
                    | Fixed::TimezoneOffsetZ
                    | Fixed::TimezoneOffsetColon
                    | Fixed::TimezoneOffsetColonZ
                    | Fixed::TimezoneOffsetDoubleColon
                    | Fixed::TimezoneOffsetTripleColon,
                ) => offset = true,
                Item::Fixed(Fixed::RFC3339 | Fixed::RFC2822) => {
                    (offset, year) = (true, true);
                    others += 1;
                }
                Item::Fixed(Fixed::Nanosecond | Fixed::Nanosecond3 | Fixed::Nanosecond6 | Fixed::Nanosecond9) => {}
                Item::Fixed(Fixed::LowerAmPm | Fixed::UpperAmPm) => am_pm = true,
                // `%#z` (an offset whose minutes may be left out) and the
                // fractions without a dot (`%3f`) have no public name.
                Item::Fixed(Fixed::Internal(i)) => {
                    if format!("{i:?}").contains("Offset") {
                        offset = true;
                    }
                }
                Item::Fixed(_) => others += 1,
                Item::Numeric(Numeric::Timestamp, _) => timestamp = true,
                Item::Numeric(Numeric::Nanosecond, _) => {}
                Item::Numeric(n, _) => {
                    others += 1;
                    match n {
                        Numeric::Year | Numeric::YearMod100 | Numeric::IsoYear | Numeric::IsoYearMod100 => year = true,
                        Numeric::Hour12 => hour12 = true,
                        _ => {}
                    }
                }
            }
        }
        if timestamp {
            if others > 0 || offset || am_pm {
                return Err("%s is a whole instant (Unix seconds): use it alone, or --time-format unix".into());
            }
            return Ok(Pattern { text: p.to_string(), kind: PatternKind::Timestamp });
        }
        if !year {
            return Err("it has no year (%Y, %y or %G), so it cannot name one instant".into());
        }
        if hour12 && !am_pm {
            return Err("%I (or %l) is an hour from 1 to 12 and needs %p (AM or PM): use %H for 0 to 23".into());
        }
        let kind = if offset { PatternKind::Offset } else { PatternKind::Local };
        Ok(Pattern { text: p.to_string(), kind })
    }

    /// The instant `t` names, if it matches.
    fn read(&self, t: &str, tz: Tz, shown: &str, amb: Option<Ambiguous>) -> Option<Result<i64>> {
        let p = self.text.as_str();
        match self.kind {
            PatternKind::Offset => DateTime::parse_from_str(t, p).ok().map(|dt| in_range(dt.timestamp(), shown)),
            // chrono gives Unix seconds as their UTC wall time.
            PatternKind::Timestamp => {
                NaiveDateTime::parse_from_str(t, p).ok().map(|n| in_range(n.and_utc().timestamp(), shown))
            }
            PatternKind::Local => {
                if let Ok(naive) = NaiveDateTime::parse_from_str(t, p) {
                    Some(resolve_local_with(naive, tz, shown, amb).and_then(|x| in_range(x, shown)))
                } else if let Ok(date) = NaiveDate::parse_from_str(t, p) {
                    Some(
                        resolve_local_with(date.and_time(chrono::NaiveTime::MIN), tz, shown, amb)
                            .and_then(|x| in_range(x, shown)),
                    )
                } else {
                    None
                }
            }
        }
    }
}

impl TimeFormat {
    /// `--time-format VALUE`: `unix`, or a strftime pattern that names one
    /// instant exactly (see [`Pattern`]).
    ///
    /// # Errors
    /// [`Error::Invalid`] for a pattern with no `%` field, or one slacalc
    /// cannot honour exactly, saying why.
    pub fn parse(s: &str) -> Result<TimeFormat> {
        TimeFormat::parse_named(s, "--time-format")
    }

    /// [`TimeFormat::parse`], naming the value `what` in errors (a profile's
    /// `time_format`).
    ///
    /// # Errors
    /// As [`TimeFormat::parse`].
    pub fn parse_named(s: &str, what: &'static str) -> Result<TimeFormat> {
        const EXPECTED: &str = "unix, or a strftime pattern such as \"%d/%b/%y %I:%M %p\" or \"%m/%d/%Y %H:%M\"";
        match s.trim() {
            "unix" => Ok(TimeFormat::Unix),
            "" | "auto" => Ok(TimeFormat::Auto),
            p if p.contains('%') => match Pattern::check(p) {
                Ok(pattern) => Ok(TimeFormat::Pattern(pattern)),
                Err(why) => Err(Error::invalid_because(what, crate::text::cut(s, 80), why, EXPECTED)),
            },
            _ => Err(Error::invalid(what, crate::text::cut(s, 80), EXPECTED)),
        }
    }
}

/// What a time inside an input file may be, when it is none of them. "now"
/// is not offered (a file records when things happened), `--time-format` is.
const FILE_FORMS: &str = "RFC 3339 like 2026-11-20T17:30:00+01:00 or a local time like \"2026-11-20 17:30\"; for other forms give --time-format, e.g. --time-format \"%d/%m/%Y %H:%M\" or --time-format unix";

/// Parses `s` written in `format` (see [`TimeFormat`]); local times are read
/// in `tz`. A pattern that does not match falls back to the usual forms, so a
/// file that mixes them still reads.
///
/// # Errors
/// As [`parse_instant`], with a message for a time inside a file (naming
/// `--time-format`); for a pattern or `unix`, a message naming it.
#[cfg(test)]
pub(crate) fn parse_instant_as(s: &str, tz: Tz, now: i64, format: &TimeFormat) -> Result<i64> {
    parse_instant_in(s, tz, now, format, Ambiguous::Reject)
}

/// [`parse_instant_as`] with a policy for a local time in a DST fold
/// ([`Ambiguous`]); the message of a refused one names `--ambiguous`.
///
/// # Errors
/// As [`parse_instant_as`].
pub(crate) fn parse_instant_in(s: &str, tz: Tz, now: i64, format: &TimeFormat, ambiguous: Ambiguous) -> Result<i64> {
    let amb = Some(ambiguous);
    match format {
        // The shape of most files first: what `parse_instant_amb` would
        // find (such a text has no spaces to trim and is not `now`)
        // without its trim and comparisons.
        TimeFormat::Auto if let Some(secs) = parse_rfc3339_fast(s.as_bytes()) => in_range(secs, s),
        TimeFormat::Auto => parse_instant_amb(s, tz, now, amb).map_err(|e| match e {
            Error::Invalid { what, value, problem, .. } => {
                Error::Invalid { what, value, problem, expected: FILE_FORMS.into() }
            }
            e => e,
        }),
        TimeFormat::Unix => parse_unix(s, now),
        TimeFormat::Pattern(p) => {
            if let Some(r) = p.read(s.trim(), tz, s, amb) {
                return r;
            }
            parse_instant_amb(s, tz, now, amb).map_err(|_| {
                Error::invalid("time", s, format!("a time written as --time-format \"{}\", or RFC 3339", p.as_str()))
            })
        }
    }
}

/// Unix seconds, with an optional fraction that is truncated as an instant
/// is: floored, so −0.5 is −1. A value that is out of range but would be in
/// range as milliseconds says so.
fn parse_unix(s: &str, now: i64) -> Result<i64> {
    let t = s.trim();
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) if f.bytes().all(|b| b.is_ascii_digit()) => (w, f),
        _ => (t, ""),
    };
    let n = match whole.parse::<i64>() {
        Ok(n) => n,
        Err(_) if t.eq_ignore_ascii_case("now") => return Ok(now),
        Err(_) => return Err(Error::invalid("time", s, "Unix seconds (--time-format unix), e.g. 1763652000")),
    };
    // `-0.5` is half a second before 0: its second is −1.
    let below = whole.starts_with('-') && frac.bytes().any(|b| b != b'0');
    let n = if below { n.checked_sub(1) } else { Some(n) };
    let Some(n) = n else {
        return Err(Error::OutOfRange {
            what: format!("time \"{}\"", crate::text::cut(s, 40)),
            range: "years 1583 to 9999".into(),
        });
    };
    in_range(n, s).map_err(|e| {
        let secs = n.div_euclid(1000);
        if in_range(secs, s).is_ok() {
            Error::OutOfRange {
                what: format!("time \"{}\"", crate::text::cut(s, 40)),
                range: format!(
                    "years 1583 to 9999 in Unix seconds; milliseconds? divide by 1000: {secs} is {}",
                    format_instant(secs, Display::Utc)
                )
                .into(),
            }
        } else {
            e
        }
    })
}

/// `2026-11-20T15:00:00+0000`, `2026-11-20 10:00:00 -0500`, `… 10:00 -05:00`:
/// a date-time and a numeric offset that RFC 3339 does not accept.
fn parse_offset_forms(t: &str) -> Option<i64> {
    let b = t.as_bytes();
    // Ends with ±HHMM or ±HH:MM: anything else is not one of these forms.
    let tail = if b.len() > 6 && b[b.len() - 3] == b':' { 6 } else { 5 };
    let sign = *b.get(b.len().checked_sub(tail)?)?;
    if !matches!(sign, b'+' | b'-') || b.get(4) != Some(&b'-') {
        return None;
    }
    let (head, offset) = t.split_at(t.len() - tail);
    let head = head.trim_end().replacen('T', " ", 1);
    let head = match head.split_once('.') {
        Some((h, f)) if f.bytes().all(|c| c.is_ascii_digit()) => h.to_string(),
        _ => head,
    };
    let text = format!("{head} {offset}");
    ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z"]
        .iter()
        .find_map(|f| DateTime::parse_from_str(&text, f).ok())
        .map(|dt| dt.timestamp())
}

/// True when `s` is a local date-time (no offset, not `now`): an instant only
/// once a zone is chosen.
pub(crate) fn is_local(s: &str) -> bool {
    let t = s.trim();
    !t.eq_ignore_ascii_case("now")
        && DateTime::parse_from_rfc3339(t).is_err()
        && DateTime::parse_from_rfc3339(&t.replacen(' ', "T", 1)).is_err()
        && parse_local(t).is_some()
}

pub(crate) fn in_range(t: i64, s: &str) -> Result<i64> {
    // 1583-01-01 .. 9999-12-31: the years the holiday rules cover.
    if (-12_212_553_600..=253_402_300_799).contains(&t) {
        Ok(t)
    } else {
        Err(Error::OutOfRange { what: format!("time \"{s}\""), range: "years 1583 to 9999".into() })
    }
}

fn parse_local(t: &str) -> Option<NaiveDateTime> {
    let t = t.replacen('T', " ", 1);
    let t = match t.split_once('.') {
        Some((head, frac)) if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) => head.to_string(),
        Some(_) => return None,
        None => t,
    };
    NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M"))
        .ok()
        .filter(|_| t.len() <= 19 && t.as_bytes().get(4) == Some(&b'-'))
}

/// A local date-time in `tz`, with the fold policy of an input file (`Some`): a fold
/// taken as its earlier or later instant, or refused with a message naming
/// `--ambiguous`. `None` refuses it with the command line's message.
fn resolve_local_with(naive: NaiveDateTime, tz: Tz, shown: &str, amb: Option<Ambiguous>) -> Result<i64> {
    let local = naive.and_utc().timestamp();
    match zone::resolve(tz, LocalSeconds::from_secs(local), Disambiguation::Reject) {
        // `Reject` answers a time that happens once and returns the others.
        Ok(t) => Ok(t.secs()),
        Err(Local::Single(t)) => Ok(t),
        Err(Local::Ambiguous(a, b)) if amb == Some(Ambiguous::Earlier) => Ok(a.min(b)),
        Err(Local::Ambiguous(a, b)) if amb == Some(Ambiguous::Later) => Ok(a.max(b)),
        Err(Local::Ambiguous(a, b)) => {
            let (oa, ob) = (fixed(local - a), fixed(local - b));
            let fix = if amb.is_some() { " (or --ambiguous earlier|later for the whole file)" } else { "" };
            Err(Error::Input(format!(
                "local time \"{shown}\" is ambiguous in {tz}: it happens twice as the clocks go back, at {oa} and at {ob}; write the offset, e.g. {} or {}{fix}",
                fmt_with(naive, oa),
                fmt_with(naive, ob),
            )))
        }
        Err(Local::Gap { before, after }) => {
            let (before, after) = (fixed(before), fixed(after));
            Err(Error::Input(format!(
                "local time \"{shown}\" does not exist in {tz}: the clocks jump from {before} to {after} (a DST gap); write the offset, e.g. {} or {}",
                fmt_with(naive, before),
                fmt_with(naive, after),
            )))
        }
    }
}

/// An offset in seconds as chrono's fixed offset (zone offsets are always in range).
fn fixed(off: i64) -> FixedOffset {
    i32::try_from(off).ok().and_then(FixedOffset::east_opt).unwrap_or_else(|| Utc.fix())
}

fn fmt_with(naive: NaiveDateTime, off: FixedOffset) -> String {
    format!("{}{}", naive.format("%Y-%m-%dT%H:%M:%S"), off)
}

/// Parses a date `YYYY-MM-DD`.
///
/// # Errors
/// [`Error::Invalid`] naming the value.
pub fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1583..=9998).contains(&chrono::Datelike::year(d)))
        .ok_or_else(|| Error::invalid("date", s, "YYYY-MM-DD between 1583 and 9998"))
}

/// Where printed instants are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// In this zone, with its offset.
    Zone(Tz),
    /// In UTC, with `Z`.
    Utc,
}

impl crate::Timestamp {
    /// The instant as RFC 3339, in `display`'s zone: how slacalc prints
    /// every instant (`2026-11-23T14:30:00+01:00`, or `…Z` in UTC).
    ///
    /// ```
    /// use slacalc::{Display, Timestamp};
    /// assert_eq!(Timestamp::from_secs(1_795_179_600).to_rfc3339(Display::Utc), "2026-11-20T13:00:00Z");
    /// ```
    #[must_use]
    pub fn to_rfc3339(self, display: Display) -> String {
        format_instant(self.secs(), display)
    }

    /// Appends [`Timestamp::to_rfc3339`] to `out` (ASCII), with no
    /// allocation: for callers that print millions of instants.
    pub fn write_rfc3339(self, out: &mut Vec<u8>, display: Display) {
        write_instant_bytes(out, self.secs(), display);
    }
}

/// Prints UTC seconds as RFC 3339: `2026-11-23T14:30:00+01:00` or `…Z`.
pub fn format_instant(t: i64, d: Display) -> String {
    let mut out = String::with_capacity(25);
    write_instant(&mut out, t, d);
    out
}

/// Appends `t` as RFC 3339 to `out`. Digits are written by hand: `batch`
/// prints two instants per row, and chrono's general formatter was a tenth of
/// its time.
pub(crate) fn write_instant(out: &mut String, t: i64, d: Display) {
    let offset = match d {
        Display::Utc => None,
        Display::Zone(tz) => Some(zone::offset_at(tz, t)),
    };
    write_with_offset(out, t, offset);
}

/// Appends `t` as RFC 3339 with a known UTC offset in seconds (`None`: `Z`).
///
/// RFC 3339 offsets have no seconds, so an old local-mean-time offset such
/// as Paris's +00:09:21 is rounded to the minute *before* the wall time is
/// computed: the printed text always names exactly the instant `t`.
pub(crate) fn write_with_offset(out: &mut String, t: i64, offset: Option<i64>) {
    let mut b = STAMP;
    match stamp(t, offset, &mut b) {
        Some(len) => out.push_str(std::str::from_utf8(&b[..len]).unwrap_or_default()),
        None => write_far(out, t, offset),
    }
}

/// [`write_with_offset`] into bytes: `batch` writes its rows as bytes, and
/// the text is ASCII, so it needs no UTF-8 check.
pub(crate) fn write_with_offset_bytes(out: &mut Vec<u8>, t: i64, offset: Option<i64>) {
    let mut b = STAMP;
    match stamp(t, offset, &mut b) {
        // Copies of a known length: moves, not a call to `memcpy`.
        Some(25) => out.extend_from_slice(&b),
        Some(len) => out.extend_from_slice(&b[..len]),
        None => {
            let mut s = String::new();
            write_far(&mut s, t, offset);
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// [`write_instant`] into bytes (see [`write_with_offset_bytes`]).
pub(crate) fn write_instant_bytes(out: &mut Vec<u8>, t: i64, d: Display) {
    let offset = match d {
        Display::Utc => None,
        Display::Zone(tz) => Some(zone::offset_at(tz, t)),
    };
    write_with_offset_bytes(out, t, offset);
}

/// An offset rounded to the minute, as RFC 3339 prints it.
fn minute_offset(offset: Option<i64>) -> Option<i64> {
    offset.map(|o| (o.abs() + 30) / 60 * 60 * o.signum())
}

/// "00" to "99", so two digits are one table read, not two divisions.
pub(crate) const DIGITS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Appends `n` in decimal, as `{n}` prints it: two digits at a time from
/// [`DIGITS`], where fmt goes through its padding machinery (batch and
/// replay write several integers a row).
pub(crate) fn push_int(buf: &mut Vec<u8>, n: i64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut m = n.unsigned_abs();
    while m >= 100 {
        let k = (m % 100) as usize * 2;
        m /= 100;
        i -= 2;
        digits[i..i + 2].copy_from_slice(&DIGITS[k..k + 2]);
    }
    if m >= 10 {
        let k = m as usize * 2;
        i -= 2;
        digits[i..i + 2].copy_from_slice(&DIGITS[k..k + 2]);
    } else {
        i -= 1;
        digits[i] = b'0' + m as u8;
    }
    if n < 0 {
        buf.push(b'-');
    }
    buf.extend_from_slice(&digits[i..]);
}

/// Writes `n` (below 100) as two digits at `at`.
fn two(b: &mut [u8; 25], at: usize, n: u32) {
    let i = n as usize * 2;
    b[at] = DIGITS[i];
    b[at + 1] = DIGITS[i + 1];
}

/// The shape [`stamp`] fills in.
const STAMP: [u8; 25] = *b"0000-00-00T00:00:00+00:00";

/// Fills [`STAMP`] in `b` with "YYYY-MM-DDTHH:MM:SS" then "Z" or "+HH:MM"
/// and returns its length; `None` when the local year has no four digits
/// (see [`write_far`]). In place: the caller's buffer, no copy returned.
fn stamp(t: i64, offset: Option<i64>, b: &mut [u8; 25]) -> Option<usize> {
    let offset = minute_offset(offset);
    let local = t + offset.unwrap_or(0);
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400) as u32);
    let (y, m, day) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return None;
    }
    let y = y as u32;
    two(b, 0, y / 100);
    two(b, 2, y % 100);
    two(b, 5, m as u32);
    two(b, 8, day as u32);
    two(b, 11, secs / 3600);
    two(b, 14, secs / 60 % 60);
    two(b, 17, secs % 60);
    let len = match offset {
        None => {
            b[19] = b'Z';
            20
        }
        Some(o) => {
            b[19] = if o < 0 { b'-' } else { b'+' };
            let minutes = (o.unsigned_abs() / 60) as u32;
            // Zone offsets are under a day; `% 100` keeps any other in the table.
            two(b, 20, minutes / 60 % 100);
            two(b, 23, minutes % 60);
            25
        }
    };
    Some(len)
}

/// An instant whose local date has no four-digit year.
fn write_far(out: &mut String, t: i64, offset: Option<i64>) {
    // A local date past 9999-12-31 (the last hours of 9999 UTC, east of
    // Greenwich) has no four-digit year: print the instant in UTC, which
    // reads back exactly.
    if offset.is_some() {
        return write_with_offset(out, t, None);
    }
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let (y, m, day) = civil_from_days(days);
    out.push_str(&format!("{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60));
}

/// (year, month, day) of a day number since 1970-01-01. Within ±10
/// million years of 1970, C. Neri and L. Schneider's algorithm ("Euclidean
/// affine functions and their application to calendar algorithms", 2022):
/// 32-bit arithmetic whose divisions by constants are multiplications, about
/// a third of the instructions of [`civil_from_days_wide`], which answers
/// elsewhere.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    // Day 0 moved to 0000-03-01 minus 82 cycles of 400 years, so that every
    // number below is unsigned.
    const CYCLES: u32 = 82;
    const SHIFT: i64 = 719_468 + 146_097 * CYCLES as i64;
    let Ok(n) = u32::try_from(days + SHIFT) else { return civil_from_days_wide(days) };
    if n > 1_000_000_000 {
        return civil_from_days_wide(days);
    }
    // Century, then year of the century (as its March-first year).
    let n1 = 4 * n + 3;
    let (century, of_century) = (n1 / 146_097, n1 % 146_097 / 4);
    let p2 = 2_939_745u64 * u64::from(4 * of_century + 3);
    let (year_of_century, day_of_year) = ((p2 >> 32) as u32, (p2 as u32) / 2_939_745 / 4);
    // Month and day, from March.
    let n3 = 2141 * day_of_year + 197_913;
    let (month, day) = (n3 >> 16, (n3 & 0xffff) / 2141 + 1);
    let january_or_february = day_of_year >= 306;
    let year = i64::from(100 * century + year_of_century) - i64::from(400 * CYCLES) + i64::from(january_or_february);
    let month = if january_or_february { month - 12 } else { month };
    (year, i64::from(month), i64::from(day))
}

/// [`civil_from_days`] for any day number (H. Hinnant's `civil_from_days`).
fn civil_from_days_wide(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Paris;
    use proptest::prelude::*;

    /// The fast path agrees with chrono: when it reads a string, chrono reads
    /// the same seconds; when chrono reads one of its shapes (but a leap
    /// second), so does it.
    fn agrees(s: &str) -> std::result::Result<(), TestCaseError> {
        let fast = parse_rfc3339_fast(s.as_bytes());
        let chrono = DateTime::parse_from_rfc3339(s).ok().map(|d| d.timestamp());
        if fast.is_some() {
            prop_assert_eq!(fast, chrono, "{}", s);
        } else {
            let shaped = s.len() == 20 && s.ends_with('Z') && s.contains('T')
                || s.len() == 25 && s.as_bytes()[10] == b'T' && s.as_bytes()[22] == b':';
            let leap = s.get(17..19) == Some("60");
            prop_assert!(chrono.is_none() || !shaped || leap, "{} read by chrono only", s);
        }
        // And parse_instant as a whole still reads what it did.
        if let Some(t) = chrono {
            prop_assert_eq!(parse_instant(s, Paris, 0).ok(), in_range(t, s).ok(), "{}", s);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn fast_rfc3339_matches_chrono_on_fields(
            y in 0i64..10_000, mo in 0i64..14, d in 0i64..33, h in 0i64..26, mi in 0i64..62, se in 0i64..62,
            z in prop::bool::ANY, neg in prop::bool::ANY, oh in 0i64..26, om in 0i64..62,
        ) {
            let tail = if z { "Z".to_string() } else { format!("{}{oh:02}:{om:02}", if neg { '-' } else { '+' }) };
            agrees(&format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}{tail}"))?;
        }

        #[test]
        fn fast_rfc3339_matches_chrono_on_text(
            s in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?([Zz]|[+-][0-9]{2}:?[0-9]{2})",
            noise in "[0-9:TZ+ .-]{0,26}",
        ) {
            agrees(&s)?;
            agrees(&noise)?;
            // One byte changed.
            let mut b = s.clone().into_bytes();
            let i = noise.len() % b.len();
            b[i] = noise.bytes().next().unwrap_or(b'x');
            agrees(&String::from_utf8(b).unwrap())?;
        }
    }

    /// What RFC 3339 printing must give, from chrono: the offset rounded to
    /// the minute, UTC for a local year past 9999.
    fn chrono_text(t: i64, offset: Option<i64>) -> String {
        use chrono::SecondsFormat;
        let utc = DateTime::<Utc>::from_timestamp(t, 0).unwrap();
        let o = offset.map(|o| (o.abs() + 30) / 60 * 60 * o.signum());
        match o.map(|o| utc.with_timezone(&FixedOffset::east_opt(i32::try_from(o).unwrap()).unwrap())) {
            Some(local) if chrono::Datelike::year(&local) <= 9999 => local.to_rfc3339_opts(SecondsFormat::Secs, false),
            _ => utc.to_rfc3339_opts(SecondsFormat::Secs, true),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn digit_writer_prints_what_chrono_prints(
            // 1583-01-01 to 9999-12-31, with odd offsets such as Paris's
            // LMT +00:09:21 and up to ±18 h.
            t in -12_212_553_600i64..253_402_300_800,
            offset in proptest::option::weighted(0.8, prop_oneof![Just(561i64), Just(-561), -64_800i64..=64_800]),
        ) {
            let want = chrono_text(t, offset);
            let mut text = String::from("x");
            write_with_offset(&mut text, t, offset);
            prop_assert_eq!(&text[1..], want.as_str());
            let mut bytes = b"y".to_vec();
            write_with_offset_bytes(&mut bytes, t, offset);
            prop_assert_eq!(&bytes[1..], want.as_bytes());
        }
    }

    #[test]
    fn both_day_algorithms_agree_on_every_day_of_the_years_0_to_10000() {
        // And either side of the fast one's range.
        let edges = [-12_699_423i64, -12_699_422, 987_300_577, 987_300_578, i64::MIN / 2, i64::MAX / 2];
        for d in (-720_000..2_933_000).chain(edges) {
            assert_eq!(civil_from_days(d), civil_from_days_wide(d), "{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
    }

    #[test]
    fn days_from_dates_of_four_digit_years_invert_civil_from_days() {
        // 0000-01-01 to 9999-12-31.
        for d in -719_528..=2_932_896 {
            let (y, m, day) = civil_from_days(d);
            assert!((0..=9999).contains(&y), "{d}");
            assert_eq!(days_from_civil4(y as u32, m as u32, day as u32), d, "{y}-{m}-{day}");
        }
    }

    #[test]
    fn digit_writer_edges() {
        for (t, off, want) in [
            (-12_212_553_600, Some(561), "1583-01-01T00:09:00+00:09"),
            (-12_212_553_600, None, "1583-01-01T00:00:00Z"),
            (253_402_300_799, None, "9999-12-31T23:59:59Z"),
            (253_402_300_799, Some(3600), "9999-12-31T23:59:59Z"),
            (253_402_300_799, Some(-3600), "9999-12-31T22:59:59-01:00"),
            (0, Some(-561), "1969-12-31T23:51:00-00:09"),
            (1_763_656_200, Some(3600), "2025-11-20T17:30:00+01:00"),
        ] {
            let mut b = Vec::new();
            write_with_offset_bytes(&mut b, t, off);
            assert_eq!(String::from_utf8(b).unwrap(), want);
            assert_eq!(chrono_text(t, off), want);
        }
        let mut b = Vec::new();
        write_instant_bytes(&mut b, 1_763_656_200, Display::Zone(Paris));
        assert_eq!(b, b"2025-11-20T17:30:00+01:00");
    }

    #[test]
    fn fast_rfc3339_refuses_every_non_digit_where_a_digit_goes() {
        for base in ["2026-11-20T11:11:11Z", "2026-11-20T11:11:11+01:00"] {
            for i in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] {
                for c in (0..=255u8).filter(|c| !c.is_ascii_digit()) {
                    let mut b = base.as_bytes().to_vec();
                    b[i] = c;
                    assert_eq!(parse_rfc3339_fast(&b), None, "{:?}", String::from_utf8_lossy(&b));
                }
            }
        }
    }

    #[test]
    fn forms() {
        let want = 1_763_656_200; // 2025-11-20T16:30:00Z
        assert_eq!(parse_instant("2025-11-20T17:30:00+01:00", Paris, 0).unwrap(), want);
        assert_eq!(parse_instant("2025-11-20T16:30:00Z", Paris, 0).unwrap(), want);
        assert_eq!(parse_instant("2025-11-20 17:30", Paris, 0).unwrap(), want);
        assert_eq!(parse_instant("2025-11-20T17:30:00.999", Paris, 0).unwrap(), want);
        assert_eq!(parse_instant("now", Paris, 42).unwrap(), 42);
        for bad in ["2026-13-01 10:00", "2026-02-30T10:00", "2026-01-01 25:00", "", "2026-01-01 10:00 x", "tomorrow"] {
            assert!(parse_instant(bad, Paris, 0).is_err(), "{bad}");
        }
    }

    #[test]
    fn export_forms_and_time_formats() {
        let want = 1_763_650_800; // 2025-11-20T15:00:00Z
        assert_eq!(parse_instant("2025-11-20T15:00:00+0000", Paris, 0).unwrap(), want);
        assert_eq!(parse_instant("2025-11-20 10:00:00 -0500", Paris, 0).unwrap(), want);
        assert_eq!(parse_instant("2025-11-20 10:00 -05:00", Paris, 0).unwrap(), want);
        assert_eq!(parse_instant("2025-11-20T16:00:00.123+0100", Paris, 0).unwrap(), want);
        assert!(parse_instant("2025-11-20 10:00:00 -05", Paris, 0).is_err());
        let jira = TimeFormat::parse("%d/%b/%y %I:%M %p").unwrap();
        // 16:00 in Paris is 15:00Z.
        assert_eq!(parse_instant_as("20/Nov/25 4:00 PM", Paris, 0, &jira).unwrap(), want);
        let us = TimeFormat::parse("%m/%d/%Y %H:%M").unwrap();
        assert_eq!(parse_instant_as("11/20/2025 16:00", Paris, 0, &us).unwrap(), want);
        // The usual forms still read beside a pattern.
        assert_eq!(parse_instant_as("2025-11-20T15:00:00Z", Paris, 0, &us).unwrap(), want);
        assert!(parse_instant_as("20/11/2025", Paris, 0, &us).unwrap_err().to_string().contains("%m/%d/%Y %H:%M"));
        assert_eq!(parse_instant_as("1763650800", Paris, 0, &TimeFormat::Unix).unwrap(), want);
        assert_eq!(parse_instant_as("1763650800.9", Paris, 0, &TimeFormat::Unix).unwrap(), want);
        assert!(TimeFormat::parse("dd/mm/yyyy").is_err());
    }

    #[test]
    fn patterns_are_honoured_exactly_or_refused() {
        let at = |p: &str, s: &str| parse_instant_as(s, Paris, 0, &TimeFormat::parse(p).unwrap());
        // %s is an instant, whatever the zone; %+ keeps its offset.
        assert_eq!(at("%s", "1763650800").unwrap(), 1_763_650_800);
        assert_eq!(at("%+", "2025-11-20T20:00:00+05:00").unwrap(), 1_763_650_800);
        for p in ["%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M %:z", "%Y-%m-%d %H:%M %#z", "%Y-%m-%d %H:%M %::z"] {
            let s = if p.ends_with(" %z") { "2025-11-20 10:00 -0500" } else { "2025-11-20 10:00 -05:00" };
            assert_eq!(at(p, s).unwrap(), 1_763_650_800, "{p}");
        }
        // Week-based and ordinal dates: 2025-11-20 is a Thursday, day 324,
        // ISO week 47, %U and %W week 46.
        assert_eq!(at("%Y-%j %H:%M", "2025-324 16:00").unwrap(), 1_763_650_800);
        assert_eq!(at("%G-W%V-%u %H:%M", "2025-W47-4 16:00").unwrap(), 1_763_650_800);
        assert_eq!(at("%Y %U %a %H:%M", "2025 46 Thu 16:00").unwrap(), 1_763_650_800);
        assert_eq!(at("%Y %W %a %H:%M", "2025 46 Thu 16:00").unwrap(), 1_763_650_800);
        assert_eq!(at("%d.%m.%Y %H:%M:%S%.f", "20.11.2025 16:00:00.999").unwrap(), 1_763_650_800);
        // A weekday that contradicts the date is an error, not a guess.
        assert!(at("%a %d.%m.%Y %H:%M", "Fri 20.11.2025 16:00").is_err());
        for (p, why) in [
            ("%Y-%m-%d %H:%M %Z", "%Z cannot be resolved exactly: use %z"),
            ("%d/%m/%Y %I:%M", "needs %p"),
            ("%s %H", "%s is a whole instant"),
            ("%H:%M", "no year"),
            ("%d/%m %H:%M", "no year"),
        ] {
            let e = TimeFormat::parse(p).unwrap_err().to_string();
            assert!(e.contains(why) && e.contains("--time-format"), "{p}: {e}");
        }
        let e = TimeFormat::parse_named("%Z %Y", "time_format").unwrap_err().to_string();
        assert!(e.starts_with("invalid time_format"), "{e}");
    }

    #[test]
    fn unix_fractions_floor_and_milliseconds_get_a_hint() {
        let unix = |s: &str| parse_instant_as(s, Paris, 0, &TimeFormat::Unix);
        assert_eq!(unix("-0.5").unwrap(), -1);
        assert_eq!(unix("-1.5").unwrap(), -2);
        assert_eq!(unix("-1.0").unwrap(), -1);
        assert_eq!(unix("-2").unwrap(), -2);
        assert_eq!(unix("1.5").unwrap(), 1);
        let e = unix("1709647401000").unwrap_err().to_string();
        assert!(
            e.contains("milliseconds") && e.contains("divide by 1000") && e.contains("2024-03-05T14:03:21Z"),
            "{e}"
        );
        let e = unix("99999999999999999").unwrap_err().to_string();
        assert!(e.contains("out of range") && !e.contains("milliseconds"), "{e}");
    }

    #[test]
    fn a_bad_time_in_a_file_names_time_format_not_now() {
        let e = parse_instant_as("31/Mar/24 1:57 PM", Paris, 0, &TimeFormat::Auto).unwrap_err().to_string();
        assert!(e.contains("--time-format") && !e.contains("or now"), "{e}");
    }

    #[test]
    fn gap_and_fold_name_both_offsets() {
        let gap = parse_instant("2026-03-29 02:30", Paris, 0).unwrap_err().to_string();
        assert!(gap.contains("+01:00") && gap.contains("+02:00"), "{gap}");
        let fold = parse_instant("2026-10-25 02:30", Paris, 0).unwrap_err().to_string();
        assert!(fold.contains("+02:00") && fold.contains("+01:00") && fold.contains("ambiguous"), "{fold}");
    }

    #[test]
    fn printing_matches_chrono_everywhere() {
        use chrono::SecondsFormat;
        let zones = [Paris, chrono_tz::America::St_Johns, chrono_tz::Asia::Kathmandu, chrono_tz::UTC];
        let mut t: i64 = -12_212_553_600; // 1583-01-01
        while t < 253_402_300_799 {
            for tz in zones {
                // chrono's own offsets after 2099 are its table's last one;
                // ours keep the zone's rule (see `engine::zone`).
                let off = i32::try_from(zone::offset_at(tz, t)).unwrap();
                let utc = DateTime::<Utc>::from_timestamp(t, 0).unwrap();
                let local = utc.with_timezone(&FixedOffset::east_opt(off).unwrap());
                if t < zone::TABLE_END {
                    assert_eq!(
                        local.offset().local_minus_utc(),
                        utc.with_timezone(&tz).offset().fix().local_minus_utc()
                    );
                }
                let shown = format_instant(t, Display::Zone(tz));
                // Whole-minute offsets print as chrono prints them; any
                // offset prints an instant that reads back exactly.
                if off % 60 == 0 {
                    assert_eq!(shown, local.to_rfc3339_opts(SecondsFormat::Secs, false));
                }
                assert_eq!(parse_instant(&shown, chrono_tz::UTC, 0).unwrap(), t, "{shown}");
            }
            assert_eq!(
                format_instant(t, Display::Utc),
                DateTime::<Utc>::from_timestamp(t, 0).unwrap().to_rfc3339_opts(SecondsFormat::Secs, true)
            );
            t += 7_919_993; // about three months, odd seconds
        }
    }

    #[test]
    fn after_2099_the_zone_rule_goes_on() {
        // 2150-07-01 12:00 in Paris is CEST (+02:00), 10:00Z; in January, CET.
        assert_eq!(parse_instant("2150-07-01 12:00", Paris, 0).unwrap(), 5_695_956_000);
        assert_eq!(format_instant(5_695_956_000, Display::Zone(Paris)), "2150-07-01T12:00:00+02:00");
        assert_eq!(format_instant(5_695_956_000 - 170 * 86_400, Display::Zone(Paris)), "2150-01-12T11:00:00+01:00");
        // Sun 2150-03-29 02:30 is in the spring gap; Sun 2150-10-25 02:30 in the fold.
        let gap = parse_instant("2150-03-29 02:30", Paris, 0).unwrap_err().to_string();
        assert!(gap.contains("does not exist") && gap.contains("+01:00") && gap.contains("+02:00"), "{gap}");
        let fold = parse_instant("2150-10-25 02:30", Paris, 0).unwrap_err().to_string();
        assert!(fold.contains("ambiguous") && fold.contains("+02:00") && fold.contains("+01:00"), "{fold}");
    }

    #[test]
    fn prints_in_zone_or_utc() {
        assert_eq!(format_instant(1_763_656_200, Display::Zone(Paris)), "2025-11-20T17:30:00+01:00");
        assert_eq!(format_instant(1_763_656_200, Display::Utc), "2025-11-20T16:30:00Z");
    }
}
