//! How much of a support quota is used in the period that holds `--at`?
//!
//! Quantities are integers in *ticks* of the quota's unit so that every
//! comparison is exact: a request is 1,000 ticks (plans may write thousandths),
//! an hour is 3,600,000 ticks (milliseconds, so `4h30m`, `4.5` and `0.001` h
//! are all exact). Periods are cut at local midnight in the plan calendar's
//! zone ([`super::period`]).

use chrono::NaiveDate;

use super::money::Money;
use super::period::{self, PeriodSpan};
use crate::decimal::{BasisPoints, Milli, Permille};
use crate::error::{Error, Result};
use crate::plan::{Allowance, Period, Plan, Provenance, Quota, QuotaUnit};

mod log;
pub(crate) mod ticks;

#[cfg(test)]
use log::parse_log;
pub(crate) use log::{LogRow, parse_log_with};
pub(crate) use ticks::{MAX_TICKS, parse_quantity, ticks_per_unit, to_milli, unit_of};
use ticks::{from_milli, unit_name};

/// What the usage is read from.
#[derive(Debug, Clone)]
pub enum Usage {
    /// Nothing given: nothing used.
    None,
    /// `--used`, in ticks.
    Used(i64),
    /// `--log` rows; only those in the period count.
    Log(Vec<LogRow>),
}

/// A quota question.
#[derive(Debug, Clone)]
pub struct QuotaInput {
    /// The instant whose period is asked about.
    pub at: i64,
    /// `--period-start`: the anchor of the periods (a subscription's start).
    pub period_start: Option<NaiveDate>,
    /// `--subscription`: the annual subscription.
    pub subscription: Option<Money>,
    /// `--allowance`, in ticks: overrides the plan's.
    pub allowance: Option<i64>,
    /// What was used.
    pub usage: Usage,
}

/// Quota states (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaState {
    /// Under the warning threshold.
    Ok,
    /// At or over the warning threshold, under the allowance.
    Warning,
    /// At or over the allowance (an allowance of 0 is exhausted at once).
    Exhausted,
    /// No limit.
    Unlimited,
}

impl QuotaState {
    /// The JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            QuotaState::Ok => "ok",
            QuotaState::Warning => "warning",
            QuotaState::Exhausted => "exhausted",
            QuotaState::Unlimited => "unlimited",
        }
    }
}

/// How the rows of a log were counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LogCounts {
    /// Rows in the file.
    pub rows: usize,
    /// Rows in the period that count.
    pub counted: usize,
    /// Rows in the period whose kind does not count.
    pub excluded: usize,
    /// Rows outside the period.
    pub outside: usize,
}

/// A quota answer. Quantities in ticks (see [`ticks_per_unit`]).
#[derive(Debug, Clone)]
pub struct QuotaAnswer {
    /// What is counted.
    pub unit: QuotaUnit,
    /// The period kind, `None` when the plan has no quota.
    pub period: Option<Period>,
    /// The period holding `at`, `None` when the plan has no quota.
    pub span: Option<PeriodSpan>,
    /// `None` = unlimited.
    pub allowance: Option<i64>,
    /// Used in the period.
    pub used: i64,
    /// Allowance − used (negative when over); `None` when unlimited.
    pub remaining: Option<i64>,
    /// The state.
    pub state: QuotaState,
    /// Used / allowance in percent, floored to a tenth; `None` when unlimited
    /// or the allowance is 0.
    pub used_permille: Option<Permille>,
    /// Warning threshold.
    pub warn_basis_points: BasisPoints,
    /// Kinds that do not count.
    pub excluded_kinds: Vec<String>,
    /// Log counts when the usage came from a log.
    pub log: Option<LogCounts>,
    /// True when `--check` fails: exhausted, or one more request would go over.
    pub check_fails: bool,
    /// True when the allowance itself is assumed.
    pub assumed: bool,
    /// Every assumed figure the answer rests on.
    pub assumptions: Vec<String>,
    /// How the answer was reached (defaults taken, inputs ignored).
    pub notes: Vec<String>,
}

/// Answers a quota question for `plan`.
///
/// # Errors
/// [`Error::Input`] when the plan needs `--subscription` or `--allowance` and
/// it is missing, the subscription's currency differs from the plan's, a log
/// row that counts has no hours on an hour quota, or a period leaves the
/// supported years.
pub fn quota(plan: &Plan, input: &QuotaInput) -> Result<QuotaAnswer> {
    let Some(q) = &plan.quota else {
        return no_quota(plan, input);
    };
    let unit = q.unit;
    let cal = &plan.calendar.calendar;
    let span = period::containing(cal, q.period, input.period_start, input.at)?;
    let mut notes = Vec::new();
    let mut assumptions = Vec::new();
    let (allowance, assumed) = allowance(plan, q, input, &mut notes)?;
    if input.period_start.is_none() && q.period == Period::SubscriptionYear {
        notes.push(format!(
            "the subscription year is taken to start on {} (default: 1 January; pass --period-start DATE)",
            span.first
        ));
    }
    let (used, log) = usage(plan, q, &span, &input.usage)?;
    let (remaining, state, used_permille, check_fails) = match allowance {
        None => (None, QuotaState::Unlimited, None, false),
        Some(a) => {
            let state = if used >= a {
                QuotaState::Exhausted
            } else if i128::from(used) * 10_000 >= i128::from(q.warn_basis_points.raw()) * i128::from(a) {
                QuotaState::Warning
            } else {
                QuotaState::Ok
            };
            let permille = match a {
                0 => None,
                a => Some(Permille::from_raw(mul_div_floor(used, 1_000, a).ok_or_else(|| {
                    Error::Input(format!(
                        "the usage is too many times the allowance to print as a share (used {} against an allowance of {})",
                        to_milli(used, unit),
                        to_milli(a, unit)
                    ))
                })?)),
            };
            let next_over = unit == QuotaUnit::Requests && used.saturating_add(ticks_per_unit(unit)) > a;
            (Some(a - used), state, permille, state == QuotaState::Exhausted || next_over)
        }
    };
    if assumed {
        assumptions.push(format!("allowance: {}", q.allowance_provenance.text()));
    }
    let mut push = |what: &str, p: Option<&Provenance>| {
        if let Some(p) = p.filter(|p| p.is_assumed()) {
            assumptions.push(format!("{what}: {}", p.text()));
        }
    };
    if allowance.is_some() {
        push("period", Some(&q.period_provenance));
        push("warn_percent", q.warn_provenance.as_ref());
    }
    push("excluded_kinds", q.excluded_provenance.as_ref());
    push(&format!("calendar {} time zone (periods are cut in it)", cal.id()), Some(&plan.calendar.zone));
    Ok(QuotaAnswer {
        unit,
        period: Some(q.period),
        span: Some(span),
        allowance,
        used,
        remaining,
        state,
        used_permille,
        warn_basis_points: q.warn_basis_points,
        excluded_kinds: q.excluded_kinds.clone(),
        log,
        check_fails,
        assumed,
        assumptions,
        notes,
    })
}

/// `a × b / d`, floored, for non-negative `a`, `b` and positive `d`; `None`
/// when it does not fit (never saturated into a false figure).
fn mul_div_floor(a: i64, b: i64, d: i64) -> Option<i64> {
    i64::try_from(i128::from(a) * i128::from(b) / i128::from(d)).ok()
}

/// The allowance in ticks (`None` = unlimited) and whether it is assumed.
fn allowance(plan: &Plan, q: &Quota, input: &QuotaInput, notes: &mut Vec<String>) -> Result<(Option<i64>, bool)> {
    let unit = q.unit;
    let rate_currency = match &q.allowance {
        Allowance::Rate { currency, .. } => Some(currency.as_str()),
        _ => None,
    };
    if input.subscription.is_some() && (rate_currency.is_none() || input.allowance.is_some()) {
        notes.push("--subscription is ignored: this allowance does not depend on the subscription".into());
    }
    if let Some(a) = input.allowance {
        notes.push(format!("allowance {} {} from --allowance (overrides the plan)", to_milli(a, unit), unit.as_str()));
        return Ok((Some(a), false));
    }
    let assumed = q.allowance_provenance.is_assumed();
    match &q.allowance {
        Allowance::Unlimited => Ok((None, assumed)),
        Allowance::Fixed(n) => {
            let ticks = from_milli(*n, unit)
                .ok_or_else(|| Error::Input(format!("plan {}'s quota allowance {n} is too large to count", plan.id)))?;
            Ok((Some(ticks), assumed))
        }
        Allowance::PerContract => Err(Error::Input(format!(
            "plan {} includes a quota of {} but does not publish its amount: pass --allowance N (the {} per {} in your contract)",
            plan.id,
            unit.as_str(),
            unit.as_str(),
            q.period.as_str()
        ))),
        Allowance::Rate { amount, per: per_amount, currency } => {
            let per = format!("{currency} {per_amount:#}");
            let grant = format!("{amount} {}", unit_name(unit, *amount));
            let sub = input.subscription.as_ref().ok_or_else(|| {
                Error::Input(format!(
                    "plan {}'s quota is {grant} per full {per} of annual subscription: pass --subscription AMOUNT (e.g. --subscription \"{currency} 12500\")",
                    plan.id,
                ))
            })?;
            let cents = sub.cents_in(currency, "--subscription", &format!("plan {}'s quota", plan.id))?;
            let steps = cents.raw() / per_amount.raw().max(1);
            let per_milli = ticks_per_unit(unit) / 1_000;
            let ticks = i128::from(steps) * i128::from(amount.raw()) * i128::from(per_milli);
            let ticks = i64::try_from(ticks).ok().filter(|t| *t <= MAX_TICKS).ok_or_else(|| {
                Error::Input(format!(
                    "--subscription \"{currency} {cents}\" gives plan {}'s quota ({grant} per full {per}) an allowance too large to count",
                    plan.id
                ))
            })?;
            let total = Milli::from_raw(ticks / per_milli);
            notes.push(format!(
                "allowance: {grant} per full {per}; {currency} {cents} holds {steps} → {total} {}",
                unit_name(unit, total)
            ));
            Ok((Some(ticks), assumed))
        }
    }
}

/// Used ticks in the period, and the log counts.
fn usage(plan: &Plan, q: &Quota, span: &PeriodSpan, usage: &Usage) -> Result<(i64, Option<LogCounts>)> {
    match usage {
        Usage::None => Ok((0, None)),
        Usage::Used(n) if (0..=MAX_TICKS).contains(n) => Ok((*n, None)),
        Usage::Used(n) => Err(Error::OutOfRange {
            what: format!("usage of {} {}", to_milli(*n, q.unit), q.unit.as_str()),
            range: format!("0 to {}", to_milli(MAX_TICKS, q.unit)).into(),
        }),
        Usage::Log(rows) => {
            let mut counts = LogCounts { rows: rows.len(), ..LogCounts::default() };
            let mut used: i64 = 0;
            for r in rows {
                if r.opened < span.start || r.opened >= span.end {
                    counts.outside += 1;
                } else if q.excluded_kinds.contains(&r.kind) {
                    counts.excluded += 1;
                } else {
                    counts.counted += 1;
                    let add = match q.unit {
                        QuotaUnit::Requests => ticks_per_unit(QuotaUnit::Requests),
                        QuotaUnit::Hours => r.hours_ms.ok_or_else(|| {
                            Error::Input(format!(
                                "log line {}: no hours given, but plan {}'s quota counts hours (fill the hours column, e.g. 1.5 or 1h30m)",
                                r.line, plan.id
                            ))
                        })?,
                    };
                    used = used.checked_add(add).filter(|u| *u <= MAX_TICKS).ok_or_else(|| {
                        Error::Input(format!(
                            "log line {}: the {} counted so far add up to more than {} (too large to count)",
                            r.line,
                            q.unit.as_str(),
                            to_milli(MAX_TICKS, q.unit)
                        ))
                    })?;
                }
            }
            Ok((used, Some(counts)))
        }
    }
}

/// The answer for a plan without a quota: unlimited requests.
fn no_quota(plan: &Plan, input: &QuotaInput) -> Result<QuotaAnswer> {
    if input.allowance.is_some() {
        return Err(Error::Input(format!(
            "plan {} has no support quota (unlimited requests), so --allowance has no period to apply to: describe the quota in your own plan file",
            plan.id
        )));
    }
    let (used, log) = match &input.usage {
        Usage::None => (0, None),
        Usage::Used(n) => (*n, None),
        Usage::Log(rows) => (
            rows.len() as i64 * 1_000,
            Some(LogCounts { rows: rows.len(), counted: rows.len(), ..LogCounts::default() }),
        ),
    };
    Ok(QuotaAnswer {
        unit: QuotaUnit::Requests,
        period: None,
        span: None,
        allowance: None,
        used,
        remaining: None,
        state: QuotaState::Unlimited,
        used_permille: None,
        warn_basis_points: BasisPoints::from_int(80),
        excluded_kinds: vec![],
        log,
        check_fails: false,
        assumed: false,
        assumptions: vec![],
        notes: vec![format!("plan {} publishes no support quota: requests are unlimited", plan.id)],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_at_the_limits() {
        let (h, r) = (QuotaUnit::Hours, QuotaUnit::Requests);
        assert_eq!(parse_quantity("100000000", h, "--used").unwrap(), 100_000_000 * 3_600_000);
        assert_eq!(parse_quantity("1000000000", r, "--used").unwrap(), 1_000_000_000_000);
        for (s, unit) in
            [("100000000.001", h), ("99999999999999999999", h), ("1000000001", r), ("1".repeat(40).as_str(), r)]
        {
            let e = parse_quantity(s, unit, "--used").unwrap_err().to_string();
            assert!(e.contains("too large") && e.contains(s), "{e}");
        }
        assert!(!parse_quantity("1.2345", h, "--used").unwrap_err().to_string().contains("too large"));
        // Every accepted quantity, and any two summed or subtracted, fit in i64.
        assert!(MAX_TICKS.checked_add(MAX_TICKS).is_some());
        assert!(to_milli(MAX_TICKS, h).raw() > 0 && to_milli(-MAX_TICKS, h).raw() < 0);
    }

    #[test]
    fn quantities() {
        let h = QuotaUnit::Hours;
        assert_eq!(parse_quantity("4.5h", h, "--used").unwrap(), 16_200_000);
        assert_eq!(parse_quantity("4h30m", h, "--used").unwrap(), 16_200_000);
        assert_eq!(parse_quantity("4.5", h, "--used").unwrap(), 16_200_000);
        assert_eq!(parse_quantity("12", h, "--used").unwrap(), 43_200_000);
        assert_eq!(parse_quantity("90m", h, "--used").unwrap(), 5_400_000);
        for bad in ["-1", "4.5x", "", "4.5555", "h"] {
            assert!(parse_quantity(bad, h, "--used").is_err(), "{bad}");
        }
        let r = QuotaUnit::Requests;
        assert_eq!(parse_quantity("3", r, "--used").unwrap(), 3_000);
        for bad in ["-1", "3.5", "3h", "x"] {
            assert!(parse_quantity(bad, r, "--used").is_err(), "{bad}");
        }
    }

    #[test]
    fn printing() {
        assert_eq!(Milli::from_raw(12_000).to_string(), "12");
        assert_eq!(Milli::from_raw(4_500).to_string(), "4.5");
        assert_eq!(Milli::from_raw(-250).to_string(), "-0.25");
        assert_eq!(to_milli(16_200_000, QuotaUnit::Hours).raw(), 4_500);
        assert_eq!(to_milli(1_800, QuotaUnit::Hours).raw(), 1); // half a millihour rounds up
        assert_eq!(to_milli(-1_800, QuotaUnit::Hours).raw(), -1);
        assert_eq!(to_milli(1_799, QuotaUnit::Hours).raw(), 0);
        assert_eq!(to_milli(4_000, QuotaUnit::Requests).raw(), 4_000);
    }

    #[test]
    fn floors() {
        assert_eq!(mul_div_floor(8, 1_000, 12), Some(666));
        assert_eq!(mul_div_floor(i64::MAX, 1_000, 1), None);
        assert_eq!(mul_div_floor(3, 1_000, 4), Some(750));
    }

    #[test]
    fn log_reading() {
        let text = "opened,hours,kind\n2026-03-02T10:00:00Z,1.5,account\n\n2026-03-03 10:00,1h30m,BUG\n2026-03-04T10:00:00Z,,\n";
        let rows = parse_log(text.as_bytes(), "log.csv", chrono_tz::Europe::Zurich, 0).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].hours_ms, Some(5_400_000));
        assert_eq!((rows[1].line, rows[1].kind.as_str(), rows[1].hours_ms), (4, "bug", Some(5_400_000)));
        assert_eq!(rows[2].hours_ms, None);
        let e = parse_log(&b"opened\nyesterday\n"[..], "log.csv", chrono_tz::UTC, 0).unwrap_err().to_string();
        assert!(e.contains("log.csv line 2") && e.contains("yesterday"), "{e}");
        let e = parse_log(&b"opened,hours\n2026-03-02T10:00:00Z,-2\n"[..], "l", chrono_tz::UTC, 0).unwrap_err();
        assert!(e.to_string().contains("line 2") && e.to_string().contains("\"-2\""), "{e}");
        assert!(parse_log(&b"when,hours\n"[..], "l", chrono_tz::UTC, 0).is_err());
    }

    const PLANS: &str = r#"
[calendars.test]
zone = "Europe/Paris"
hours = { mon-fri = ["09:00-18:00"] }
source = "test"

[[plans]]
id = "hourly"
provider = "Test"
calendar = "test"
target = "none"
target_assumed = "test"
[plans.quota]
unit = "hours"
period = "subscription-year"
rate = { amount = 1, per = 1000, currency = "CHF" }
excluded_kinds = ["bug"]
source = "test"

[[plans]]
id = "monthly"
provider = "Test"
calendar = "test"
target = "none"
target_assumed = "test"
[plans.quota]
unit = "requests"
period = "month"
allowance = 4
source = "test"

[[plans]]
id = "contract"
provider = "Test"
calendar = "test"
target = "none"
target_assumed = "test"
[plans.quota]
unit = "hours"
period = "year"
allowance = "per-contract"
source = "test"
"#;

    fn ask(plan: &str, sub: Option<&str>, used: Usage) -> Result<QuotaAnswer> {
        let src = crate::plan::Source { name: "t.toml".into(), text: PLANS.into() };
        let set = crate::PlanSet::from_sources(&[src]).unwrap();
        let input = QuotaInput {
            at: 1_780_000_000, // 2026-05-28
            period_start: None,
            subscription: sub.map(|s| Money::parse(s, "--subscription").unwrap()),
            allowance: None,
            usage: used,
        };
        quota(set.get(plan).unwrap(), &input)
    }

    const HOUR: i64 = 3_600_000;

    #[test]
    fn rate_counts_full_steps_only() {
        let a = |s| ask("hourly", Some(s), Usage::None).unwrap();
        assert_eq!((a("999").allowance, a("999").state), (Some(0), QuotaState::Exhausted));
        assert_eq!((a("1000").allowance, a("1000").state), (Some(HOUR), QuotaState::Ok));
        assert_eq!(a("CHF 12500.99").allowance, Some(12 * HOUR));
        assert!(ask("hourly", None, Usage::None).unwrap_err().to_string().contains("--subscription"));
        assert!(ask("hourly", Some("EUR 5000"), Usage::None).unwrap_err().to_string().contains("EUR"));
        assert!(ask("contract", None, Usage::None).unwrap_err().to_string().contains("--allowance"));
    }

    #[test]
    fn states_and_check() {
        let st = |used: i64| {
            let a = ask("hourly", Some("12000"), Usage::Used(used)).unwrap();
            (a.state, a.remaining, a.check_fails)
        };
        // 80 % of 12 h = 9.6 h.
        assert_eq!(st(9_600 * 3_600 - 1), (QuotaState::Ok, Some(12 * HOUR - 9_600 * 3_600 + 1), false));
        assert_eq!(st(9_600 * 3_600).0, QuotaState::Warning);
        assert_eq!(st(12 * HOUR), (QuotaState::Exhausted, Some(0), true));
        assert_eq!(st(13 * HOUR).1, Some(-HOUR));
        let req = |n: i64| {
            let a = ask("monthly", None, Usage::Used(n * 1_000)).unwrap();
            (a.state, a.check_fails)
        };
        assert_eq!(req(3), (QuotaState::Ok, false)); // 75 %: the 4th still fits
        assert_eq!(req(4), (QuotaState::Exhausted, true));
    }

    #[test]
    fn log_rows_outside_the_period_or_excluded_do_not_count() {
        let row =
            |line, opened, h: i64, kind: &str| LogRow { line, opened, hours_ms: Some(h * HOUR), kind: kind.into() };
        let rows = vec![
            row(2, 1_770_000_000, 2, "account"), // 2026-02-02
            row(3, 1_771_000_000, 3, "bug"),
            row(4, 1_760_000_000, 5, "account"), // 2025-10-09: last year
        ];
        let a = ask("hourly", Some("12000"), Usage::Log(rows)).unwrap();
        assert_eq!(a.used, 2 * HOUR);
        assert_eq!(a.log, Some(LogCounts { rows: 3, counted: 1, excluded: 1, outside: 1 }));
    }
}
