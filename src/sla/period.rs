//! Measurement periods (a day … a subscription year) cut at local midnight
//! in a zone, shared by `quota` and `credit`.
//!
//! A period is a run of whole local dates `[first, next)`; its instants are
//! `[midnight(first), midnight(next))` by the engine's DST policy
//! ([`Calendar::midnight`]). Periods repeat from an *anchor* date: by default
//! the natural one (1 January, the 1st of the month or quarter, Monday), or
//! `--period-start` for a subscription that starts on another date, whose
//! anniversaries then cut the periods. A month after 31 January ends on the
//! last day of February (dates are clamped to the month's end).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use chrono_tz::Tz;

use crate::engine::{Calendar, Window};
use crate::error::{Error, Result};
use crate::plan::Period;

/// One period, as local dates and UTC instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodSpan {
    /// First local date in the period.
    pub first: NaiveDate,
    /// First local date after the period.
    pub next: NaiveDate,
    /// UTC seconds of local midnight at the start of `first`.
    pub start: i64,
    /// UTC seconds of local midnight at the start of `next` (exclusive end).
    pub end: i64,
}

impl PeriodSpan {
    /// Length in real seconds.
    pub fn seconds(&self) -> i64 {
        self.end - self.start
    }
}

/// How long one period is.
enum Len {
    Days(u64),
    Months(u32),
}

fn len(period: Period) -> Len {
    match period {
        Period::Day => Len::Days(1),
        Period::Week => Len::Days(7),
        Period::Month => Len::Months(1),
        Period::Quarter => Len::Months(3),
        Period::Year | Period::SubscriptionYear => Len::Months(12),
    }
}

/// The share of an annual fee one period is worth, as (numerator, denominator):
/// a month 1/12, a quarter 1/4, a year 1, a week 7/365, a day 1/365.
pub(crate) fn fee_fraction(period: Period) -> (i64, i64) {
    match period {
        Period::Day => (1, 365),
        Period::Week => (7, 365),
        Period::Month => (1, 12),
        Period::Quarter => (1, 4),
        Period::Year | Period::SubscriptionYear => (1, 1),
    }
}

/// The natural first day of the period that holds `date`: the date itself,
/// its Monday, the 1st of its month or quarter, or 1 January.
pub(crate) fn natural_start(period: Period, date: NaiveDate) -> NaiveDate {
    let (y, m) = (date.year(), date.month());
    let ymd = |m: u32| NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(date);
    match period {
        Period::Day => date,
        Period::Week => date - Days::new(u64::from(date.weekday().num_days_from_monday())),
        Period::Month => ymd(m),
        Period::Quarter => ymd((m - 1) / 3 * 3 + 1),
        Period::Year | Period::SubscriptionYear => ymd(1),
    }
}

/// The first day of the `k`-th period from `anchor` (negative `k` goes back).
fn step(anchor: NaiveDate, period: Period, k: i64) -> Option<NaiveDate> {
    match len(period) {
        Len::Days(n) => {
            let days = n.checked_mul(k.unsigned_abs())?;
            if k >= 0 { anchor.checked_add_days(Days::new(days)) } else { anchor.checked_sub_days(Days::new(days)) }
        }
        Len::Months(n) => {
            let months = Months::new(n.checked_mul(u32::try_from(k.unsigned_abs()).ok()?)?);
            if k >= 0 { anchor.checked_add_months(months) } else { anchor.checked_sub_months(months) }
        }
    }
}

fn out_of_range(what: &str) -> Error {
    Error::OutOfRange { what: what.to_string(), range: "years 1583 to 9999".into() }
}

/// Builds the span `[first, next)` on `cal`'s zone.
fn span(cal: &Calendar, first: NaiveDate, next: NaiveDate) -> Result<PeriodSpan> {
    if first.year() < 1583 || next.year() > 10_000 || (next.year() == 10_000 && next.ordinal() > 1) {
        return Err(out_of_range(&format!("the period {first} to {next}")));
    }
    Ok(PeriodSpan { first, next, start: cal.midnight(first), end: cal.midnight(next) })
}

/// The period of kind `period` that holds instant `at`, cut at local midnight
/// on `cal`'s zone and repeating from `anchor` (default: the natural start of
/// the period holding `at`). With an anchor, the answer is the anniversary
/// period holding `at`, before or after the anchor.
///
/// # Errors
/// [`Error::Input`] when the period leaves the years 1583–9999.
pub(crate) fn containing(cal: &Calendar, period: Period, anchor: Option<NaiveDate>, at: i64) -> Result<PeriodSpan> {
    let date = cal.local_date(crate::Timestamp::from_secs(at)).ok_or_else(|| out_of_range("the instant"))?;
    let a = anchor.unwrap_or_else(|| natural_start(period, date));
    let mut k = match len(period) {
        Len::Days(n) => (date - a).num_days().div_euclid(n as i64),
        Len::Months(n) => {
            let months = i64::from(date.year() - a.year()) * 12 + i64::from(date.month0()) - i64::from(a.month0());
            months.div_euclid(i64::from(n))
        }
    };
    let at_k = |k: i64| step(a, period, k).ok_or_else(|| out_of_range("the period"));
    // The estimate is off by at most one (clamped month ends): settle it.
    while at_k(k)? > date {
        k -= 1;
    }
    while at_k(k + 1)? <= date {
        k += 1;
    }
    span(cal, at_k(k)?, at_k(k + 1)?)
}

/// The period of kind `period` that starts on local date `first`.
///
/// # Errors
/// [`Error::Input`] when the period leaves the years 1583–9999.
pub(crate) fn starting(cal: &Calendar, period: Period, first: NaiveDate) -> Result<PeriodSpan> {
    let next = step(first, period, 1).ok_or_else(|| out_of_range("the period"))?;
    span(cal, first, next)
}

/// A calendar that only serves to cut periods at local midnight in `tz`
/// (every instant is "working"; its windows are never walked).
///
/// # Errors
/// None in practice; the engine's validation error is passed on.
pub(crate) fn zone_calendar(tz: Tz) -> Result<Calendar> {
    let day = Window::parse("00:00-24:00")?;
    let week: [Vec<Window>; 7] = std::array::from_fn(|_| vec![day]);
    Calendar::new(tz.name(), tz, week, vec![], BTreeMap::new(), None).map_err(|e| Error::Input(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::{Paris, Zurich};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn t(s: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    #[test]
    fn month_is_cut_in_the_zone() {
        let cal = zone_calendar(Paris).unwrap();
        // 23:30Z on 30 November is 00:30 on 1 December in Paris.
        let p = containing(&cal, Period::Month, None, t("2026-11-30T23:30:00Z")).unwrap();
        assert_eq!((p.first, p.next), (d("2026-12-01"), d("2027-01-01")));
        assert_eq!(p.start, t("2026-12-01T00:00:00+01:00"));
        let p = containing(&cal, Period::Month, None, t("2026-11-30T22:59:59Z")).unwrap();
        assert_eq!(p.first, d("2026-11-01"));
    }

    #[test]
    fn quarters_weeks_days() {
        let cal = zone_calendar(Paris).unwrap();
        let at = t("2026-05-20T12:00:00Z"); // a Wednesday
        assert_eq!(containing(&cal, Period::Quarter, None, at).unwrap().first, d("2026-04-01"));
        assert_eq!(containing(&cal, Period::Week, None, at).unwrap().first, d("2026-05-18"));
        let day = containing(&cal, Period::Day, None, at).unwrap();
        assert_eq!((day.first, day.next), (d("2026-05-20"), d("2026-05-21")));
    }

    #[test]
    fn subscription_year_anniversaries() {
        let cal = zone_calendar(Zurich).unwrap();
        let start = Some(d("2024-03-15"));
        let p = containing(&cal, Period::SubscriptionYear, start, t("2026-01-10T00:00:00Z")).unwrap();
        assert_eq!((p.first, p.next), (d("2025-03-15"), d("2026-03-15")));
        let p = containing(&cal, Period::SubscriptionYear, start, t("2026-03-15T00:00:00+01:00")).unwrap();
        assert_eq!(p.first, d("2026-03-15"));
        // Before the anchor: the anniversary period going back.
        let p = containing(&cal, Period::SubscriptionYear, start, t("2023-06-01T00:00:00Z")).unwrap();
        assert_eq!(p.first, d("2023-03-15"));
        // 29 February clamps to 28 February in common years.
        let p = containing(&cal, Period::SubscriptionYear, Some(d("2024-02-29")), t("2025-06-01T00:00:00Z")).unwrap();
        assert_eq!((p.first, p.next), (d("2025-02-28"), d("2026-02-28")));
    }

    #[test]
    fn a_year_is_365_or_366_days_of_real_seconds() {
        let cal = zone_calendar(Zurich).unwrap();
        assert_eq!(starting(&cal, Period::Year, d("2026-01-01")).unwrap().seconds(), 365 * 86_400);
        assert_eq!(starting(&cal, Period::Year, d("2028-01-01")).unwrap().seconds(), 366 * 86_400);
        // March in Zurich loses an hour to DST.
        assert_eq!(starting(&cal, Period::Month, d("2026-03-01")).unwrap().seconds(), 31 * 86_400 - 3600);
    }

    #[test]
    fn range_is_checked() {
        let cal = zone_calendar(Zurich).unwrap();
        assert!(starting(&cal, Period::Year, d("9999-06-01")).is_err());
        assert!(starting(&cal, Period::Year, d("9999-01-01")).is_ok());
    }
}
