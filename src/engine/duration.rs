//! Durations as plans and users write them (`4h30m`, `90s`, `4.5h`, `2bd`) and
//! as slacalc prints them.

use std::fmt;

use super::ParseError;
use super::day::WorkSpan;
use crate::decimal::{Micro, Syntax};

/// Longest duration slacalc accepts anywhere: 10,000 years of seconds. Keeps
/// every later sum far from `i64` overflow.
pub(crate) const MAX_SECONDS: i64 = 10_000 * 366 * 86_400;

/// How the number before a unit is written: `4`, `4.5` or `.5`.
const AMOUNT: Syntax = Syntax { bare_int: true, ..Syntax::PLAIN };

/// A response target read from a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A committed amount of working time, in seconds.
    Seconds(i64),
    /// A committed number of business days (see [`crate::engine::Calendar::business_day`]).
    BusinessDays(i64),
    /// "Commercially reasonable efforts": no committed time.
    BestEffort,
    /// No service level at all.
    None,
}

impl Target {
    /// Parses `4h`, `30m`, `4h30m`, `1bd`, `best-effort` or `none`.
    ///
    /// # Errors
    /// [`ParseError`] naming the value and the accepted forms.
    pub fn parse(s: &str) -> Result<Target, ParseError> {
        let bad = || ParseError::Invalid {
            what: "target",
            value: s.to_string(),
            expected: "e.g. 4h, 30m, 4h30m, 2bd, best-effort or none",
        };
        let t = s.trim();
        match t {
            "best-effort" => return Ok(Target::BestEffort),
            "none" => return Ok(Target::None),
            _ => {}
        }
        if let Some(n) = t.strip_suffix("bd") {
            let days: i64 = n.trim().parse().map_err(|_| bad())?;
            if !(0..=1_000_000).contains(&days) {
                return Err(ParseError::BusinessDays { value: s.to_string() });
            }
            return Ok(Target::BusinessDays(days));
        }
        parse_duration(t).map(Target::Seconds).map_err(|_| bad())
    }

    /// Working time of this target on a calendar whose business day lasts
    /// `business_day`; `None` when there is no committed time.
    pub fn seconds(&self, business_day: WorkSpan) -> Option<WorkSpan> {
        match *self {
            Target::Seconds(s) => Some(WorkSpan::new(s)),
            Target::BusinessDays(d) => Some(WorkSpan::new(d.saturating_mul(business_day.secs()))),
            Target::BestEffort | Target::None => None,
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Seconds(s) => f.write_str(&format_duration(*s)),
            Target::BusinessDays(d) => write!(f, "{d}bd"),
            Target::BestEffort => f.write_str("best-effort"),
            Target::None => f.write_str("none"),
        }
    }
}

/// Parses a duration: `90s`, `30m`, `4h`, `4h30m`, `1h0m5s`, `4.5h`, or a bare
/// number of seconds. Negative values are rejected.
///
/// # Errors
/// `ParseError` naming the value and the accepted forms.
pub fn parse_duration(s: &str) -> Result<i64, ParseError> {
    let bad =
        || ParseError::Invalid { what: "duration", value: s.to_string(), expected: "e.g. 90s, 30m, 4h, 4h30m or 4.5h" };
    let t = s.trim();
    if t.is_empty() {
        return Err(bad());
    }
    if let Ok(n) = t.parse::<i64>() {
        return if (0..=MAX_SECONDS).contains(&n) { Ok(n) } else { Err(bad()) };
    }
    let mut total: i64 = 0;
    let mut num = String::new();
    let mut last_unit = 0u8; // 3 = h, 2 = m, 1 = s: units must come in that order
    for c in t.chars() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let (unit, rank) = match c {
            'h' => (3600, 3),
            'm' => (60, 2),
            's' => (1, 1),
            _ => return Err(bad()),
        };
        if num.is_empty() || (last_unit != 0 && rank >= last_unit) {
            return Err(bad());
        }
        last_unit = rank;
        // `4.5h`, `.5h`: at most six decimals; a fraction of a second is dropped.
        let secs = Micro::parse(&num, AMOUNT).ok().and_then(|n| n.mul_trunc(unit)).ok_or_else(bad)?;
        total = total.checked_add(secs).ok_or_else(bad)?;
        num.clear();
    }
    if !num.is_empty() || total > MAX_SECONDS {
        return Err(bad());
    }
    Ok(total)
}

/// Prints seconds as `4h30m`, `45s`, `0s`, `-1h5m`: the form [`parse_duration`] reads.
pub fn format_duration(secs: i64) -> String {
    if secs == 0 {
        return "0s".into();
    }
    let sign = if secs < 0 { "-" } else { "" };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    let mut out = String::from(sign);
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_written_forms() {
        assert_eq!(parse_duration("4h30m"), Ok(16_200));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("4.5h"), Ok(16_200));
        assert_eq!(parse_duration("1h0m5s"), Ok(3605));
        assert_eq!(parse_duration("120"), Ok(120));
        for bad in ["", "h", "4x", "-1h", "30m4h", "4h4h", "1.2.3h", "4.h"] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn prints_round_trip() {
        for s in [0, 1, 59, 60, 3599, 3600, 16_200, 3605, 86_400 * 400] {
            assert_eq!(parse_duration(&format_duration(s)), Ok(s));
        }
        assert_eq!(format_duration(-3900), "-1h5m");
    }

    #[test]
    fn targets() {
        assert_eq!(Target::parse("2bd"), Ok(Target::BusinessDays(2)));
        assert_eq!(Target::parse("4h"), Ok(Target::Seconds(14_400)));
        assert_eq!(Target::parse("best-effort"), Ok(Target::BestEffort));
        assert_eq!(Target::BusinessDays(3).seconds(WorkSpan::new(7 * 3600)), Some(WorkSpan::new(75_600)));
        assert_eq!(Target::BusinessDays(1).to_string(), "1bd");
        assert!(Target::parse("2 days").is_err());
    }
}
