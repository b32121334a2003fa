//! Quantities of a quota in exact integer *ticks* of its unit (a request is
//! 1,000 ticks, an hour 3,600,000), and the quantities users type (`3`,
//! `4.5h`, `4h30m`, `90m`, `4.5`).

use crate::decimal::{Milli, ParseError, Syntax};
use crate::engine::parse_duration;
use crate::error::{Error, Result};
use crate::plan::{Plan, QuotaUnit};

/// Ticks in one unit of `unit`: 1,000 per request, 3,600,000 (ms) per hour.
pub(crate) fn ticks_per_unit(unit: QuotaUnit) -> i64 {
    match unit {
        QuotaUnit::Requests => 1_000,
        QuotaUnit::Hours => 3_600_000,
    }
}

/// The largest quantity (allowance or usage) slacalc counts, in ticks: 4 ×
/// 10^18, over 10^12 hours or 10^15 requests. Any sum or difference of two
/// such quantities (remaining, one more request, rounding) stays inside `i64`.
pub(crate) const MAX_TICKS: i64 = 4_000_000_000_000_000_000;

/// Ticks of a plan figure; `None` if they leave `i64` (a plan's figures are
/// at most 10^12 units, so they never do).
pub(super) fn from_milli(milli: Milli, unit: QuotaUnit) -> Option<i64> {
    milli.raw().checked_mul(ticks_per_unit(unit) / 1_000)
}

/// Ticks as thousandths of a unit, rounded half away from zero (hours are
/// printed to three decimals).
pub fn to_milli(ticks: i64, unit: QuotaUnit) -> Milli {
    let per = ticks_per_unit(unit) / 1_000;
    let q = ticks.abs() / per;
    let r = ticks.abs() % per;
    let m = if r * 2 >= per { q + 1 } else { q };
    Milli::from_raw(if ticks < 0 { -m } else { m })
}

/// `hour` / `hours`, `request` / `requests` for `n` of the unit.
pub(super) fn unit_name(unit: QuotaUnit, n: Milli) -> &'static str {
    match (unit, n == Milli::from_int(1)) {
        (QuotaUnit::Hours, true) => "hour",
        (QuotaUnit::Requests, true) => "request",
        (u, false) => u.as_str(),
    }
}

/// The unit a plan's quota counts (`requests` when it has no quota).
pub(crate) fn unit_of(plan: &Plan) -> QuotaUnit {
    plan.quota.as_ref().map_or(QuotaUnit::Requests, |q| q.unit)
}

/// Parses an amount of `unit` typed by the user: a whole number of requests,
/// or hours as `4.5h`, `4h30m`, `90m` or a plain number of hours (`4.5`, at
/// most three decimals). `flag` names the option in errors.
///
/// # Errors
/// [`Error::Invalid`] naming the value and the accepted forms.
pub fn parse_quantity(s: &str, unit: QuotaUnit, flag: &str) -> Result<i64> {
    let t = s.trim();
    match unit {
        QuotaUnit::Requests => match t.parse::<u64>() {
            Ok(n) if n <= MAX_REQUESTS => Ok(n as i64 * 1_000),
            _ if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => Err(Error::invalid_because(
                flag.to_string(),
                s,
                "too large",
                format!("a whole number of requests from 0 to {MAX_REQUESTS}"),
            )),
            _ => Err(Error::invalid(
                flag.to_string(),
                s,
                "a whole number of requests >= 0, e.g. 3: this quota counts requests",
            )),
        },
        QuotaUnit::Hours => parse_hours(t).map_err(|e| {
            if e == ParseError::TooLarge {
                Error::invalid_because(flag.to_string(), s, "too large", format!("hours from 0 to {MAX_HOURS}"))
            } else {
                Error::invalid(
                    flag.to_string(),
                    s,
                    "hours >= 0 as 4.5h, 4h30m, 90m or a plain number of hours such as 4.5: this quota counts hours",
                )
            }
        }),
    }
}

/// Most requests `--used` / `--allowance` accept.
const MAX_REQUESTS: u64 = 1_000_000_000;
/// Most hours a plain number of hours may give (10^8 h).
const MAX_HOURS: Milli = Milli::from_int(100_000_000);

/// How a plain number of hours is written: `4.5`, `.5` or `5.`, at most
/// three decimals and 15 digits before the point.
const HOURS: Syntax = Syntax { negative: false, grouped: false, bare_int: true, bare_frac: true, max_digits: 15 };

/// Hours in milliseconds, from `4.5` (hours) or a duration (`4h30m`).
/// [`ParseError::TooLarge`] only for a well-formed plain number over
/// [`MAX_HOURS`].
pub(super) fn parse_hours(t: &str) -> std::result::Result<i64, ParseError> {
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        let hours = Milli::parse(t, HOURS)?;
        return if hours > MAX_HOURS { Err(ParseError::TooLarge) } else { Ok(hours.raw() * 3_600) };
    }
    parse_duration(t).map(|secs| secs * 1_000).map_err(|_| ParseError::Malformed)
}
